"""The single write path: one :class:`~veille.models.Analysis` in, one transaction.

``write_analysis`` inserts a new article, or replaces a changed one (same ``source_key``, other
content hash) with all its records, in one transaction; an unchanged one is left alone. It also
indexes the article for near-duplicate search and marks links as stale, so a crash between two
articles leaves a consistent store that the next run completes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy import Connection, Table, delete, insert, select, update

from veille.models import Analysis
from veille.store import dedup
from veille.store.records import (
    ActorRow,
    ClaimEvidenceRow,
    ClaimRow,
    DateRow,
    EntityRow,
    EventRow,
    PlaceRow,
    QuoteRow,
    RemovedRow,
)
from veille.store.rows import (
    TextIndex,
    claim_mention,
    claim_row,
    event_mention,
    event_row,
    parse_day,
    simple_rows,
)
from veille.store.schema import ArticleRow, Mention, StoreState, utcnow

WriteStatus = Literal["new", "updated", "unchanged"]
LINKS_DIRTY = "links_dirty"

_SIMPLE_TABLES: dict[str, Any] = {
    "article_removed": RemovedRow,
    "article_dates": DateRow,
    "entities": EntityRow,
    "actors": ActorRow,
    "places": PlaceRow,
    "quotes": QuoteRow,
}
_TRACKING_PARAMS = ("utm_", "fbclid", "gclid", "xtor", "at_medium", "at_campaign")


def content_hash(data: bytes | str) -> str:
    """sha256 of what the source gave (bytes, or text encoded as UTF-8)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()


def canonical_url(url: str | None) -> str | None:
    """The URL without fragment, tracking parameters, default port or trailing slash, host lowercased."""
    if not url or not url.lower().startswith(("http://", "https://")):
        return url
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and not ((parts.scheme == "http" and port == 80) or (parts.scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = urlencode(
        [
            (k, v)
            for k, v in parse_qsl(parts.query, keep_blank_values=True)
            if not k.startswith(_TRACKING_PARAMS)
        ]
    )
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), host, path, query, ""))


def outlet_from_url(url: str | None) -> str | None:
    if not url or not url.startswith(("http://", "https://")):
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.") or None


@dataclass(frozen=True, kw_only=True)
class SourceInfo:
    """Where an article came from: its identity for idempotence, and container metadata."""

    key: str  # URL, file path, or "corpus-file#record-id": unique in the store
    content_hash: str
    url: str | None = None
    meta: dict[str, str] = field(default_factory=dict)  # title, published, lang, source, canonical_url


@dataclass(frozen=True)
class WriteResult:
    status: WriteStatus
    article_id: int | None
    near_duplicates: int = 0


def article_fields(analysis: Analysis, *, url: str | None, meta: Mapping[str, Any]) -> dict[str, Any]:
    """The article columns that the store and the Spark job derive alike from one analysis: what
    extract did not find (URL, language, title, date, outlet) comes from the container's ``meta``
    (corpus record, feed item, WARC header). ``analysis`` is the JSON document without the text."""
    article = analysis.article
    url = article.url or url or meta.get("url")
    published = parse_day(article.published.date)
    published_source = article.published.source
    if published is None and parse_day(meta.get("published")):
        published, published_source = parse_day(meta.get("published")), "metadata"
    doc = analysis.to_json_dict()
    doc["article"].pop("text", None)  # kept once, in the text column
    return {
        "uid": article.id,
        "text_hash": content_hash(article.text),
        "url": url,
        "canonical_url": canonical_url(meta.get("canonical_url") or url),
        "language": article.language or meta.get("lang"),
        "title": article.title or meta.get("title"),
        "text": article.text,
        "published": published,
        "published_source": published_source,
        "outlet": article.source or meta.get("source") or outlet_from_url(url),
        "veille_version": analysis.veille_version,
        "analysis": doc,
    }


def _article_values(analysis: Analysis, source: SourceInfo, run_id: int | None) -> dict[str, Any]:
    sig = dedup.signature(analysis.article.text)
    return {
        **article_fields(analysis, url=source.url, meta=source.meta),
        "source_key": source.key,
        "content_hash": source.content_hash,
        "published_evidence": [e.model_dump() for e in analysis.article.published.evidence],
        "minhash": dedup.to_bytes(sig) if sig is not None else None,
        "run_id": run_id,
        "updated_at": utcnow(),
    }


def _delete_records(conn: Connection, article_id: int) -> None:
    claim_ids = select(ClaimRow.id).where(ClaimRow.article_id == article_id)
    conn.execute(delete(Mention).where(Mention.article_id == article_id))
    conn.execute(delete(ClaimEvidenceRow).where(ClaimEvidenceRow.claim_id.in_(claim_ids)))
    conn.execute(delete(EventRow).where(EventRow.article_id == article_id))
    conn.execute(delete(ClaimRow).where(ClaimRow.article_id == article_id))
    for model in _SIMPLE_TABLES.values():
        conn.execute(delete(model).where(model.article_id == article_id))


def _insert_returning_ids(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> list[int]:
    if not rows:
        return []
    result = conn.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
    return [row[0] for row in result]


def _insert_records(conn: Connection, article_id: int, analysis: Analysis, published: dt.date | None) -> None:
    for name, rows in simple_rows(analysis).items():
        if rows:
            # Fields a newer model may add and the table lacks stay in the analysis JSON column.
            known = set(_SIMPLE_TABLES[name].__table__.columns.keys())
            conn.execute(
                insert(_SIMPLE_TABLES[name]),
                [{k: v for k, v in r.items() if k in known} | {"article_id": article_id} for r in rows],
            )
    text = analysis.article.text
    index = TextIndex(text)
    claims = [claim_row(c, i) | {"article_id": article_id} for i, c in enumerate(analysis.claims)]
    claim_ids = _insert_returning_ids(conn, ClaimRow.__table__, claims)  # type: ignore[arg-type]
    by_local = {c.id: cid for c, cid in zip(analysis.claims, claim_ids, strict=True)}
    evidence = [
        {"claim_id": cid, "position": i, "start": e.start, "end": e.end, "text": e.text, "role": e.role}
        for claim, cid in zip(analysis.claims, claim_ids, strict=True)
        for i, e in enumerate(claim.evidence)
    ]
    if evidence:
        conn.execute(insert(ClaimEvidenceRow), evidence)
    events = [
        event_row(e, i, published=published, index=index)
        | {"article_id": article_id, "claim_id": by_local.get(e.claim_id or "")}
        for i, e in enumerate(analysis.events)
    ]
    event_ids = _insert_returning_ids(conn, EventRow.__table__, events)  # type: ignore[arg-type]
    mentions = [
        event_mention(row, eid, doc_len=len(text)) for row, eid in zip(events, event_ids, strict=True)
    ]
    mentions += [
        claim_mention(c, cid, index=index, doc_len=len(text))
        for c, cid in zip(analysis.claims, claim_ids, strict=True)
    ]
    if mentions:
        conn.execute(insert(Mention), [m | {"article_id": article_id} for m in mentions])


def mark_links_dirty(conn: Connection, dirty: bool = True) -> None:
    value = "1" if dirty else "0"
    updated = conn.execute(update(StoreState).where(StoreState.key == LINKS_DIRTY).values(value=value))
    if updated.rowcount == 0:
        conn.execute(insert(StoreState).values(key=LINKS_DIRTY, value=value))


def write_analysis(
    conn: Connection,
    analysis: Analysis,
    source: SourceInfo,
    *,
    run_id: int | None = None,
    dedup_threshold: float = dedup.DEFAULT_THRESHOLD,
) -> WriteResult:
    """Insert or replace one article and all its records (the caller owns the transaction)."""
    existing = conn.execute(
        select(ArticleRow.id, ArticleRow.content_hash).where(ArticleRow.source_key == source.key)
    ).first()
    if existing is not None and existing.content_hash == source.content_hash:
        return WriteResult("unchanged", existing.id)
    values = _article_values(analysis, source, run_id)
    if existing is None:
        values["created_at"] = values["updated_at"]
        article_id = conn.execute(insert(ArticleRow).values(**values).returning(ArticleRow.id)).scalar_one()
        status: WriteStatus = "new"
    else:
        article_id = existing.id
        _delete_records(conn, article_id)
        conn.execute(update(ArticleRow).where(ArticleRow.id == article_id).values(**values))
        status = "updated"
    _insert_records(conn, article_id, analysis, values["published"])
    sig = dedup.from_bytes(values["minhash"]) if values["minhash"] is not None else None
    pairs = dedup.index_article(conn, article_id, sig, threshold=dedup_threshold)
    mark_links_dirty(conn)
    return WriteResult(status, article_id, pairs)
