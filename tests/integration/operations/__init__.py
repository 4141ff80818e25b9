"""Running the service: the outbox, retention, CLI commands, migrations, resilience, simultaneous saves, bench."""
