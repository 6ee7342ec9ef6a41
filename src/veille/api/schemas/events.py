"""Schemas of events: one coded event with its evidence, timeline counts, event places."""

from __future__ import annotations

import datetime as dt

from veille.api.schemas.common import Schema


class EventOut(Schema):
    id: int
    article_id: int
    article_title: str | None
    outlet: str | None
    local_id: str
    cameo: str
    root_code: str
    plover: str | None
    source_text: str | None
    source_code: str | None
    target_text: str | None
    target_code: str | None
    date: str | None
    day: dt.date | None
    place_name: str | None
    place_country: str | None
    place_lat: float | None
    place_lon: float | None
    negated: bool
    modality: str
    claim_id: int | None
    claim_local_id: str | None
    confidence: float
    evidence_start: int
    evidence_end: int
    evidence_text: str
    goldstein: float | None
    quad_class: int | None
    cluster_id: int | None


class TimelinePointOut(Schema):
    day: dt.date
    quad_class: int | None
    count: int


class EventPlaceOut(Schema):
    name: str
    country: str | None
    lat: float
    lon: float
    events: int
