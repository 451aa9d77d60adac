"""Alembic migrations of the hub's schema (`hub.db.upgrade_database` runs them)."""
