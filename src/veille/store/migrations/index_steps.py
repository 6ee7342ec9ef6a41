"""Steps shared by the migrations that only add indexes (0004_read_indexes, 0006_overview_indexes)."""

from __future__ import annotations

from alembic import op

# (index name, table, columns)
IndexSpec = tuple[str, str, list[str]]


def create_indexes(indexes: tuple[IndexSpec, ...]) -> None:
    for name, table, columns in indexes:
        op.create_index(name, table, columns, unique=False)


def drop_indexes(indexes: tuple[IndexSpec, ...]) -> None:
    """The indexes dropped in the reverse order of their creation."""
    for name, table, _columns in reversed(indexes):
        op.drop_index(name, table_name=table)
