"""Database plumbing: engine and pragmas, migrations, backups."""
