"""Schemas of articles: search hits and one article with all its facts (offsets into ``text``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from veille.api.schemas.common import Schema
from veille.api.schemas.events import EventOut
from veille.store.read_articles import ArticleDetail, Span


class ArticleHitOut(Schema):
    id: int
    title: str | None
    url: str | None
    outlet: str | None
    language: str | None
    published: dt.date | None
    snippet: str
    n_events: int
    n_claims: int


class RemovedOut(Schema):
    text: str
    reason: str


class DateOut(Schema):
    id: int
    text: str
    start: int
    end: int
    type: str
    value: str | None
    range_start: str | None
    range_end: str | None


class EntityOut(Schema):
    id: int
    text: str
    start: int
    end: int
    label: str


class ActorMentionOut(Schema):
    id: int
    text: str
    start: int
    end: int
    name: str
    code: str | None
    country: str | None
    role: str | None
    kb_id: str | None


class PlaceMentionOut(Schema):
    id: int
    text: str
    start: int
    end: int
    name: str
    country: str | None
    lat: float | None
    lon: float | None
    geonameid: int | None
    kind: str | None


class QuoteOut(Schema):
    id: int
    local_id: str
    quote: str
    start: int
    end: int
    type: str
    speaker_name: str | None
    speaker_code: str | None
    speaker_start: int | None
    speaker_end: int | None
    speaker_mention: str | None
    verb: str | None
    stance: str
    via: list[str]
    evidence_start: int
    evidence_end: int


class ClaimEvidenceOut(Schema):
    start: int
    end: int
    text: str
    role: str


class ClaimOut(Schema):
    id: int
    local_id: str
    text: str
    origin: str | None
    chain: list[str]
    status: str
    by: str | None
    cluster_id: int | None
    cluster_status: str | None
    cluster_articles: int | None
    evidence: list[ClaimEvidenceOut]


class PublishedOut(Schema):
    date: dt.date | None
    source: str | None
    evidence: list[dict[str, Any]]


class ArticleOut(Schema):
    id: int
    uid: str
    title: str | None
    url: str | None
    outlet: str | None
    language: str | None
    published: PublishedOut
    text: str
    removed: list[RemovedOut]
    dates: list[DateOut]
    entities: list[EntityOut]
    actors: list[ActorMentionOut]
    places: list[PlaceMentionOut]
    events: list[EventOut]
    quotes: list[QuoteOut]
    claims: list[ClaimOut]
    dedup_group: int | None
    is_canonical: bool

    @classmethod
    def of(cls, a: ArticleDetail) -> ArticleOut:
        def spans(model: type[Schema], items: list[Span]) -> list[Any]:
            return [
                model.model_validate({"id": s.id, "text": s.text, "start": s.start, "end": s.end, **s.data})
                for s in items
            ]

        return cls(
            id=a.id,
            uid=a.uid,
            title=a.title,
            url=a.url,
            outlet=a.outlet,
            language=a.language,
            published=PublishedOut(
                date=a.published, source=a.published_source, evidence=a.published_evidence
            ),
            text=a.text,
            removed=[RemovedOut(text=t, reason=r) for t, r in a.removed],
            dates=spans(DateOut, a.dates),
            entities=spans(EntityOut, a.entities),
            actors=spans(ActorMentionOut, a.actors),
            places=spans(PlaceMentionOut, a.places),
            events=[EventOut.model_validate(e) for e in a.events],
            quotes=[QuoteOut.model_validate(q) for q in a.quotes],
            claims=[ClaimOut.model_validate(c) for c in a.claims],
            dedup_group=a.dedup_group,
            is_canonical=a.is_canonical,
        )
