"""Schemas of the store overview and the service health."""

from __future__ import annotations

import datetime as dt

from veille.api.schemas.common import Schema


class StatsOut(Schema):
    articles: int
    outlets: int
    languages: dict[str, int]
    events: int
    event_clusters: int
    quotes: int
    actors: int
    places: int
    claims: int
    claim_clusters: int
    contradictions: int
    events_by_root: dict[str, int]
    events_by_quad: dict[str, int]
    claims_by_status: dict[str, int]
    first_day: dt.date | None
    last_day: dt.date | None


class HealthOut(Schema):
    status: str
    version: str
    read_only: bool
    writes_enabled: bool
