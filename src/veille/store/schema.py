"""SQLAlchemy 2 models of the store: articles, ingest runs, deduplication, links and mentions.

The records of one article (dates, entities, actors, places, events, quotes, claims) live in
:mod:`veille.store.records`. Migrations under ``migrations/versions`` create exactly these tables (a
test compares them); change both together, with a new named revision.

Identifiers: ``articles.id`` is a surrogate integer; ``source_key`` (the URL, or the file / corpus
record it came from) is what makes ingest idempotent. Cluster tables (``event_clusters``,
``claim_clusters``) are rebuilt by the linker; their ids are the smallest member row id, so they
stay stable while that row lives (GDELT's GLOBALEVENTID).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from veille.store import (  # noqa: F401  (registers the watch and claim echo tables on Base)
    claim_echo_tables,
    records,
    watch_tables,
)
from veille.store.base import Base, JsonType, utcnow


class IngestRun(Base):
    """One `veille ingest` invocation: what it read and what came of it."""

    __tablename__ = "ingest_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(16), default="running")  # running | done | interrupted
    inputs: Mapped[list[Any]] = mapped_column(JsonType, default=list)
    n_new: Mapped[int] = mapped_column(Integer, default=0)
    n_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    n_updated: Mapped[int] = mapped_column(Integer, default=0)
    n_failed: Mapped[int] = mapped_column(Integer, default=0)
    veille_version: Mapped[str | None] = mapped_column(String(32))


class IngestFailure(Base):
    """A source that could not be ingested, and why (failures never stop a batch)."""

    __tablename__ = "ingest_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("ingest_runs.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ArticleRow(Base):
    """One article: where it came from, its clean text and metadata, its dedup group."""

    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_key: Mapped[str] = mapped_column(Text, unique=True)
    uid: Mapped[str] = mapped_column(String(64), index=True)  # Analysis.article.id
    content_hash: Mapped[str] = mapped_column(String(64), index=True)  # sha256 of the raw input
    text_hash: Mapped[str] = mapped_column(String(64), index=True)  # sha256 of the clean text
    url: Mapped[str | None] = mapped_column(Text)
    canonical_url: Mapped[str | None] = mapped_column(Text, index=True)
    language: Mapped[str | None] = mapped_column(String(16), index=True)
    title: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    published: Mapped[dt.date | None] = mapped_column(index=True)
    published_source: Mapped[str | None] = mapped_column(String(16))
    published_evidence: Mapped[list[Any]] = mapped_column(JsonType, default=list)
    outlet: Mapped[str | None] = mapped_column(Text, index=True)
    dedup_group: Mapped[int | None] = mapped_column(Integer, index=True)
    is_canonical: Mapped[bool] = mapped_column(Boolean, default=True)
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)
    # The whole Analysis in its contract JSON form minus article.text (kept once, above): lossless
    # exports and room for fields the normalised tables do not have yet.
    analysis: Mapped[dict[str, Any]] = mapped_column(JsonType)
    veille_version: Mapped[str | None] = mapped_column(String(32))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("ingest_runs.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class MinhashBand(Base):
    """LSH bands of an article's MinHash: articles sharing one band hash are near-duplicate candidates."""

    __tablename__ = "minhash_bands"

    band_hash: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class NearDuplicate(Base):
    """A verified near-duplicate pair (estimated Jaccard of word shingles), ``article_a < article_b``."""

    __tablename__ = "near_duplicates"

    article_a: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    article_b: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    similarity: Mapped[float] = mapped_column(Float)


class EventCluster(Base):
    """The same event across articles (GDELT Events row): root code, actors, date ±1 day."""

    __tablename__ = "event_clusters"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    event_code: Mapped[str] = mapped_column(String(8))
    base_code: Mapped[str] = mapped_column(String(8))
    root_code: Mapped[str] = mapped_column(String(4), index=True)
    source_code: Mapped[str | None] = mapped_column(String(64), index=True)
    target_code: Mapped[str | None] = mapped_column(String(64), index=True)
    negated: Mapped[bool] = mapped_column(Boolean, default=False)
    date: Mapped[dt.date | None] = mapped_column(index=True)
    first_seen: Mapped[dt.datetime] = mapped_column(DateTime)
    first_event_id: Mapped[int] = mapped_column(Integer)
    first_article_id: Mapped[int] = mapped_column(Integer)
    num_mentions: Mapped[int] = mapped_column(Integer)
    num_sources: Mapped[int] = mapped_column(Integer)
    num_articles: Mapped[int] = mapped_column(Integer)
    modalities: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)  # modality -> count


class ClaimCluster(Base):
    """The same claim across articles and outlets, with its status across the corpus."""

    __tablename__ = "claim_clusters"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    key: Mapped[str | None] = mapped_column(Text, index=True)
    text: Mapped[str] = mapped_column(Text)
    first_seen: Mapped[dt.datetime] = mapped_column(DateTime)
    first_article_id: Mapped[int] = mapped_column(Integer)
    num_mentions: Mapped[int] = mapped_column(Integer)
    num_sources: Mapped[int] = mapped_column(Integer)
    num_articles: Mapped[int] = mapped_column(Integer)
    # reported | unverified | denied | confirmed | contested (denied somewhere, confirmed elsewhere)
    status: Mapped[str] = mapped_column(String(16), index=True)
    contradiction: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    by_status: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)  # status -> [outlets]
    asserted_by: Mapped[list[Any]] = mapped_column(JsonType, default=list)  # outlets stating it as fact


class Mention(Base):
    """One mention of an event or a claim in one article (GDELT Mentions style)."""

    __tablename__ = "mentions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))  # event | claim
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    cluster_id: Mapped[int | None] = mapped_column(Integer, index=True)
    sentence_id: Mapped[int] = mapped_column(Integer)
    actor1_offset: Mapped[int] = mapped_column(Integer, default=-1)
    actor2_offset: Mapped[int] = mapped_column(Integer, default=-1)
    action_offset: Mapped[int] = mapped_column(Integer, default=-1)
    in_raw_text: Mapped[bool] = mapped_column(Boolean, default=True)
    confidence: Mapped[int] = mapped_column(Integer)  # 10..100, GDELT's scale
    doc_len: Mapped[int] = mapped_column(Integer)


class StoreState(Base):
    """Small key/value flags, e.g. ``links_dirty`` set by the write path and cleared by the linker."""

    __tablename__ = "store_state"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


Index("ix_mentions_kind_cluster", Mention.kind, Mention.cluster_id)

__all__ = [
    "ArticleRow",
    "Base",
    "ClaimCluster",
    "EventCluster",
    "IngestFailure",
    "IngestRun",
    "Mention",
    "MinhashBand",
    "NearDuplicate",
    "StoreState",
    "records",
    "utcnow",
]

# Read indexes for the API's article lists (migration 0004_read_indexes).
Index("ix_articles_language_published", ArticleRow.language, ArticleRow.published)
Index("ix_articles_outlet_published", ArticleRow.outlet, ArticleRow.published)
