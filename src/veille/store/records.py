"""Tables for the records of one article (one row per record of :class:`veille.models.Analysis`).

Each row keeps the contract fields flat (so SQL can filter and join on them) plus ``position``, the
record's index in the analysis, so that the order of the analysis is kept. Offsets are Python
string indices into ``articles.text``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from veille.store.base import Base, JsonType


def _article_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)


class RemovedRow(Base):
    """A piece of the page dropped as boilerplate, with the rule that dropped it."""

    __tablename__ = "article_removed"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = _article_fk()
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)


class DateRow(Base):
    __tablename__ = "article_dates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = _article_fk()
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(16))
    value: Mapped[str | None] = mapped_column(String(64), index=True)
    range_start: Mapped[str | None] = mapped_column(String(32))
    range_end: Mapped[str | None] = mapped_column(String(32))
    timex: Mapped[str | None] = mapped_column(String(64))
    mod: Mapped[str | None] = mapped_column(String(16))


class EntityRow(Base):
    __tablename__ = "entities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = _article_fk()
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(16), index=True)


class ActorRow(Base):
    __tablename__ = "actors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = _article_fk()
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text, index=True)
    code: Mapped[str | None] = mapped_column(String(64), index=True)
    country: Mapped[str | None] = mapped_column(String(8))
    role: Mapped[str | None] = mapped_column(String(16))
    kb_id: Mapped[str | None] = mapped_column(String(64))
    confidence: Mapped[float] = mapped_column(Float, default=1.0)


class PlaceRow(Base):
    __tablename__ = "places"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = _article_fk()
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text, index=True)
    country: Mapped[str | None] = mapped_column(String(8), index=True)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    geonameid: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str | None] = mapped_column(String(16))
    confidence: Mapped[float] = mapped_column(Float, default=1.0)
    admin1: Mapped[str | None] = mapped_column(String(16))


class ClaimRow(Base):
    __tablename__ = "claims"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = _article_fk()
    position: Mapped[int] = mapped_column(Integer)
    local_id: Mapped[str] = mapped_column(String(64))  # Claim.id, unique within the article
    text: Mapped[str] = mapped_column(Text)
    origin: Mapped[str | None] = mapped_column(Text)
    chain: Mapped[list[Any]] = mapped_column(JsonType, default=list)
    status: Mapped[str] = mapped_column(String(16), index=True)
    by: Mapped[str | None] = mapped_column(Text)
    key: Mapped[str | None] = mapped_column(Text, index=True)
    cluster_id: Mapped[int | None] = mapped_column(Integer, index=True)


class ClaimEvidenceRow(Base):
    __tablename__ = "claim_evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(32))


class EventRow(Base):
    """An event as coded in one article: the contract fields plus GDELT-ready derived fields."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = _article_fk()
    position: Mapped[int] = mapped_column(Integer)
    local_id: Mapped[str] = mapped_column(String(64))
    cameo: Mapped[str] = mapped_column(String(8))
    base_code: Mapped[str] = mapped_column(String(8))
    root_code: Mapped[str] = mapped_column(String(4), index=True)
    plover: Mapped[str | None] = mapped_column(String(32))
    source_text: Mapped[str | None] = mapped_column(Text)
    source_code: Mapped[str | None] = mapped_column(String(64), index=True)
    source_start: Mapped[int | None] = mapped_column(Integer)
    source_end: Mapped[int | None] = mapped_column(Integer)
    target_text: Mapped[str | None] = mapped_column(Text)
    target_code: Mapped[str | None] = mapped_column(String(64), index=True)
    target_start: Mapped[int | None] = mapped_column(Integer)
    target_end: Mapped[int | None] = mapped_column(Integer)
    date: Mapped[str | None] = mapped_column(String(16))  # as coded: YYYY-MM-DD | YYYY-MM
    day: Mapped[dt.date | None] = mapped_column(index=True)  # date, else the publication date
    place_name: Mapped[str | None] = mapped_column(Text)
    place_country: Mapped[str | None] = mapped_column(String(8))
    place_lat: Mapped[float | None] = mapped_column(Float)
    place_lon: Mapped[float | None] = mapped_column(Float)
    place_geonameid: Mapped[int | None] = mapped_column(Integer)
    negated: Mapped[bool] = mapped_column(Boolean, default=False)
    modality: Mapped[str] = mapped_column(String(16))
    claim_local_id: Mapped[str | None] = mapped_column(String(64))
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id", ondelete="SET NULL"), index=True)
    confidence: Mapped[float] = mapped_column(Float)
    evidence_start: Mapped[int] = mapped_column(Integer)
    evidence_end: Mapped[int] = mapped_column(Integer)
    evidence_text: Mapped[str] = mapped_column(Text)
    goldstein: Mapped[float | None] = mapped_column(Float)
    quad_class: Mapped[int | None] = mapped_column(Integer)
    trigger: Mapped[str | None] = mapped_column(Text)
    is_root_event: Mapped[bool] = mapped_column(Boolean, default=False)
    sentence_id: Mapped[int] = mapped_column(Integer, default=1)
    cluster_id: Mapped[int | None] = mapped_column(Integer, index=True)


class QuoteRow(Base):
    __tablename__ = "quotes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = _article_fk()
    position: Mapped[int] = mapped_column(Integer)
    local_id: Mapped[str] = mapped_column(String(64))
    quote: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(16))
    speaker_name: Mapped[str | None] = mapped_column(Text, index=True)
    speaker_code: Mapped[str | None] = mapped_column(String(64))
    speaker_start: Mapped[int | None] = mapped_column(Integer)
    speaker_end: Mapped[int | None] = mapped_column(Integer)
    speaker_mention: Mapped[str | None] = mapped_column(Text)
    verb: Mapped[str | None] = mapped_column(Text)
    stance: Mapped[str] = mapped_column(String(16))
    verb_class: Mapped[str | None] = mapped_column(String(16))
    via: Mapped[list[Any]] = mapped_column(JsonType, default=list)
    evidence_start: Mapped[int] = mapped_column(Integer)
    evidence_end: Mapped[int] = mapped_column(Integer)
    evidence_text: Mapped[str] = mapped_column(Text)


__all__ = [
    "ActorRow",
    "ClaimEvidenceRow",
    "ClaimRow",
    "DateRow",
    "EntityRow",
    "EventRow",
    "PlaceRow",
    "QuoteRow",
    "RemovedRow",
]


# Read indexes for the API's newest-first lists under one filter (migration 0004_read_indexes).
Index("ix_events_root_day", EventRow.root_code, EventRow.day)
Index("ix_events_plover_day", EventRow.plover, EventRow.day)
Index("ix_events_source_day", EventRow.source_code, EventRow.day)
Index("ix_events_target_day", EventRow.target_code, EventRow.day)
Index("ix_events_country_day", EventRow.place_country, EventRow.day)
# Covering indexes of the overviews' GROUP BYs (migration 0006_overview_indexes).
Index("ix_events_root_quad", EventRow.root_code, EventRow.quad_class)
Index("ix_events_day_quad", EventRow.day, EventRow.quad_class)
Index("ix_events_pair_quad", EventRow.source_code, EventRow.target_code, EventRow.quad_class)
Index(
    "ix_events_place_point",
    EventRow.place_name,
    EventRow.place_country,
    EventRow.place_lat,
    EventRow.place_lon,
)
Index("ix_actors_code_name", ActorRow.code, ActorRow.name, ActorRow.article_id)
Index(
    "ix_places_point",
    PlaceRow.name,
    PlaceRow.country,
    PlaceRow.lat,
    PlaceRow.lon,
    PlaceRow.article_id,
    PlaceRow.kind,
    PlaceRow.geonameid,
)
