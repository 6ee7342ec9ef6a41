"""Schemas of places mentioned by articles."""

from __future__ import annotations

from veille.api.schemas.common import Schema


class PlaceOut(Schema):
    name: str
    country: str | None
    lat: float | None
    lon: float | None
    kind: str | None
    geonameid: int | None
    mentions: int
    articles: int
