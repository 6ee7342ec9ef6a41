"""Indexes for the API's and web UI's read queries: newest-first lists under one filter.

Revision ID: 0004_read_indexes
Revises: 0003_watch
Create Date: 2026-11-27

Each filter column of the events list (CAMEO root, PLOVER type, source and target actor code, place
country) gets a (column, day) index, so that "the 50 newest events with root 04" is read in order
from the index instead of sorting every match; articles get (language, published) and (outlet,
published) for the same reason. Measured on a store of 112,800 events (``python -m
veille.api.loadcheck``): filtered event pages from 60–250 ms to 3–10 ms. Models: the ``Index``
declarations at the end of :mod:`veille.store.records` and :mod:`veille.store.schema`.
"""

from __future__ import annotations

from collections.abc import Sequence

from veille.store.migrations.index_steps import IndexSpec, create_indexes, drop_indexes

revision: str = "0004_read_indexes"
down_revision: str | None = "0003_watch"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES: tuple[IndexSpec, ...] = (
    ("ix_events_root_day", "events", ["root_code", "day"]),
    ("ix_events_plover_day", "events", ["plover", "day"]),
    ("ix_events_source_day", "events", ["source_code", "day"]),
    ("ix_events_target_day", "events", ["target_code", "day"]),
    ("ix_events_country_day", "events", ["place_country", "day"]),
    ("ix_articles_language_published", "articles", ["language", "published"]),
    ("ix_articles_outlet_published", "articles", ["outlet", "published"]),
)


def upgrade() -> None:
    create_indexes(INDEXES)


def downgrade() -> None:
    drop_indexes(INDEXES)
