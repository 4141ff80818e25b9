"""Meetings: scheduling, agendas, invites, calendars, agency checks and the agenda page cache."""
