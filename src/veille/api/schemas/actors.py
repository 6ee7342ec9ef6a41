"""Schemas of actors: most mentioned actors, one actor code's profile, the actor network."""

from __future__ import annotations

from veille.api.schemas.common import Schema


class ActorStatOut(Schema):
    name: str
    code: str | None
    mentions: int
    articles: int
    events_as_source: int
    events_as_target: int


class CounterpartOut(Schema):
    code: str
    as_source: int
    as_target: int


class ActorNameOut(Schema):
    name: str
    mentions: int


class ActorProfileOut(Schema):
    code: str
    names: list[ActorNameOut]
    events_as_source: int
    events_as_target: int
    counterparts: list[CounterpartOut]
    roots: dict[str, int]


class NetworkNodeOut(Schema):
    code: str
    label: str
    events: int


class NetworkEdgeOut(Schema):
    source: str
    target: str
    weight: int
    conflict: int


class NetworkOut(Schema):
    nodes: list[NetworkNodeOut]
    edges: list[NetworkEdgeOut]
