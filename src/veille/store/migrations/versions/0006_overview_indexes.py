"""Covering indexes for the store's overviews: counts, timeline, network, maps, top actors and places.

Revision ID: 0006_overview_indexes
Revises: 0005_claim_echoes
Create Date: 2026-11-27

The overview pages group every event, actor mention or place mention of the store:

- ``/api/stats`` and the web UI's home page count events per CAMEO root and quad class;
- ``/events`` draws the timeline (per day and quad class) and the map (per place);
- ``/actors`` draws the network (per source and target code, labelled with the names of each code)
  and lists the most mentioned actors (per code and name);
- ``/places`` lists places by mentions (per name, country and point).

Without an index holding the grouped columns, SQLite looked up every row in the table. SQL time
on 112,800 events, 145,800 actor mentions and 94,800 place mentions, before → after:

- root and quad counts 46 → 7 ms; timeline 163 → 21 ms; map places 94 → 15 ms;
- network 184 → 16 ms and its labels 252 → 23 ms;
- top actors 286 → 44 ms and their count 242 → 16 ms;
- places 204 → 41 ms and their count 158 → 12 ms.

Each index costs a few microseconds per written row, against about 100 ms of analysis per
article. Models: the ``Index`` declarations at the end of :mod:`veille.store.records`.
"""

from __future__ import annotations

from collections.abc import Sequence

from veille.store.migrations.index_steps import IndexSpec, create_indexes, drop_indexes

revision: str = "0006_overview_indexes"
down_revision: str | None = "0005_claim_echoes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES: tuple[IndexSpec, ...] = (
    ("ix_events_root_quad", "events", ["root_code", "quad_class"]),
    ("ix_events_day_quad", "events", ["day", "quad_class"]),
    ("ix_events_pair_quad", "events", ["source_code", "target_code", "quad_class"]),
    ("ix_events_place_point", "events", ["place_name", "place_country", "place_lat", "place_lon"]),
    ("ix_actors_code_name", "actors", ["code", "name", "article_id"]),
    ("ix_places_point", "places", ["name", "country", "lat", "lon", "article_id", "kind", "geonameid"]),
)


def upgrade() -> None:
    create_indexes(INDEXES)


def downgrade() -> None:
    drop_indexes(INDEXES)
