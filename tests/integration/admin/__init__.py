"""Administration: users, memberships, localities, the audit log."""
