"""Alembic migrations of the store, run programmatically at open (see ``veille.store.engine``)."""
