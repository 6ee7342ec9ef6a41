"""Read-side queries on articles: search (full-text + filters, paged) and one article with all its facts.

Full-text search uses the store's index (SQLite FTS5 ``articles_fts``, PostgreSQL ``search_vector``,
both created by migration 0002); the query's words are all required. Without words, articles are
listed newest first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Connection,
    Integer,
    bindparam,
    func,
    select,
)

from veille.store.prepared import column_names, fetch
from veille.store.read_article_plans import newest_ids
from veille.store.read_common import (
    AnySelect,
    Page,
    capped_count,
    day_bounds,
    snippet,
    words,
)
from veille.store.read_events import EventItem, events_of_article
from veille.store.read_fulltext import fts_page, fts_ranked
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
from veille.store.schema import ArticleRow, ClaimCluster

_SNIPPET_SOURCE = 20_000  # characters of the text searched for the snippet


@dataclass(frozen=True, kw_only=True)
class ArticleFilter:
    q: str | None = None
    language: str | None = None
    outlet: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@dataclass(frozen=True, kw_only=True)
class ArticleHit:
    id: int
    title: str | None
    url: str | None
    outlet: str | None
    language: str | None
    published: dt.date | None
    snippet: str
    n_events: int
    n_claims: int


@dataclass(frozen=True)
class Span:
    """A generic record with an offset span (dates, entities, actors, places), fields in ``data``."""

    id: int
    text: str
    start: int
    end: int
    data: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class QuoteItem:
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


@dataclass(frozen=True)
class ClaimEvidenceItem:
    start: int
    end: int
    text: str
    role: str


@dataclass(frozen=True, kw_only=True)
class ClaimItem:
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
    evidence: list[ClaimEvidenceItem] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class ArticleDetail:
    id: int
    uid: str
    title: str | None
    url: str | None
    outlet: str | None
    language: str | None
    published: dt.date | None
    published_source: str | None
    published_evidence: list[dict[str, Any]]
    text: str
    removed: list[tuple[str, str]]
    dates: list[Span]
    entities: list[Span]
    actors: list[Span]
    places: list[Span]
    events: list[EventItem]
    quotes: list[QuoteItem]
    claims: list[ClaimItem]
    dedup_group: int | None
    is_canonical: bool


def _filters(flt: ArticleFilter, *, by_index: bool = True) -> list[ColumnElement[bool]]:
    """The filter's conditions; ``by_index=False`` keeps SQLite from reading them by index.

    With a full-text query, SQLite may otherwise start from (say) every French article and probe
    the full-text index once for each (seconds) instead of reading the matches once (ms):
    ``coalesce(column, column)`` is the same value but no index serves it.
    """

    def col(column: Any) -> Any:
        return column if by_index else func.coalesce(column, column, type_=column.type)

    where = day_bounds(col(ArticleRow.published), flt.date_from, flt.date_to)
    if flt.language:
        where.append(col(ArticleRow.language) == flt.language)
    if flt.outlet:
        where.append(col(ArticleRow.outlet) == flt.outlet)
    return where


# Built once per process (statement construction costs more than running it on a page of ids).
_HITS_BY_IDS = select(
    ArticleRow.id,
    ArticleRow.title,
    ArticleRow.url,
    ArticleRow.outlet,
    ArticleRow.language,
    ArticleRow.published,
    func.substr(ArticleRow.text, 1, _SNIPPET_SOURCE).label("head"),
    select(func.count()).where(EventRow.article_id == ArticleRow.id).scalar_subquery().label("n_events"),
    select(func.count()).where(ClaimRow.article_id == ArticleRow.id).scalar_subquery().label("n_claims"),
).where(ArticleRow.id.in_(bindparam("ids", expanding=True)))
_HIT_COLUMNS = column_names(_HITS_BY_IDS)


def _ids_page(
    conn: Connection, flt: ArticleFilter, terms: list[str], *, limit: int, offset: int
) -> tuple[list[int], int, bool]:
    """One page of matching article ids with ``(total, exact)``: ranked by the words when there
    are any, else newest first."""
    if not terms:  # newest first, from statements prepared once per filter shape
        return newest_ids(conn, flt, limit=limit, offset=offset)
    ids_query: AnySelect = select(ArticleRow.id).where(*_filters(flt, by_index=conn.dialect.name != "sqlite"))
    fts, order = fts_ranked(conn, terms)
    ordered = ids_query.join(fts, fts.c.id == ArticleRow.id).order_by(order, ArticleRow.id)
    # Ranking reads every match anyway: count them in the same pass (a window count) rather
    # than running the full-text match a second time.
    page = conn.execute(ordered.add_columns(func.count().over()).limit(limit).offset(offset)).all()
    if page:
        return [int(r[0]) for r in page], int(page[0][1]), True
    # Counting through IN (…) makes the planner read the full-text matches once; with a join
    # it may probe the index once per article of the language instead (seconds, not ms).
    return [], *capped_count(conn, ids_query.where(ArticleRow.id.in_(select(fts.c.id))))


def search_articles(
    conn: Connection, flt: ArticleFilter, *, limit: int = 20, offset: int = 0
) -> Page[ArticleHit]:
    terms = words(flt.q or "")
    narrowed = flt.language or flt.outlet or flt.date_from is not None or flt.date_to is not None
    if terms and conn.dialect.name == "sqlite" and not narrowed:
        # Decided before any statement is built: building them costs more than this path runs.
        ids, total, exact = fts_page(conn, terms, limit=limit, offset=offset)
    else:
        ids, total, exact = _ids_page(conn, flt, terms, limit=limit, offset=offset)
    # Text heads and record counts only for the page's articles (not for every match).
    found: dict[int, ArticleHit] = {}
    for row in fetch(conn, _HITS_BY_IDS, {"ids": ids}) if ids else []:
        values = dict(zip(_HIT_COLUMNS, row, strict=True))
        head = values.pop("head")
        found[values["id"]] = ArticleHit(**values, snippet=snippet(head or "", terms))
    return Page([found[i] for i in ids if i in found], total, exact, limit, offset)


# The article page's statements are built once with a bound ``article_id`` (building a select
# and its cache key costs more Python than SQLite needs to run it from the article_id index).
_ARTICLE_ID: BindParameter[int] = bindparam("article_id", type_=Integer())


@cache
def _spans_query(model: Any, fields: tuple[str, ...]) -> AnySelect:
    columns = [model.id, model.text, model.start, model.end, *(getattr(model, f) for f in fields)]
    return select(*columns).where(model.article_id == _ARTICLE_ID).order_by(model.position)


def _spans(conn: Connection, model: Any, article_id: int, fields: tuple[str, ...]) -> list[Span]:
    rows = fetch(conn, _spans_query(model, fields), {"article_id": article_id})
    return [Span(r[0], r[1], r[2], r[3], dict(zip(fields, r[4:], strict=True))) for r in rows]


_QUOTE_FIELDS = tuple(QuoteItem.__dataclass_fields__)
_QUOTES = (
    select(*(getattr(QuoteRow, f) for f in _QUOTE_FIELDS))
    .where(QuoteRow.article_id == _ARTICLE_ID)
    .order_by(QuoteRow.position)
)
_CLAIMS = (
    select(
        ClaimRow.id,
        ClaimRow.local_id,
        ClaimRow.text,
        ClaimRow.origin,
        ClaimRow.chain,
        ClaimRow.status,
        ClaimRow.by,
        ClaimRow.cluster_id,
        ClaimCluster.status.label("cluster_status"),
        ClaimCluster.num_articles.label("cluster_articles"),
    )
    .outerjoin(ClaimCluster, ClaimCluster.id == ClaimRow.cluster_id)
    .where(ClaimRow.article_id == _ARTICLE_ID)
    .order_by(ClaimRow.position)
)
_CLAIM_COLUMNS = column_names(_CLAIMS)
# The evidence of claims, by claim then position (also read for a claim cluster's members).
CLAIM_EVIDENCE = (
    select(
        ClaimEvidenceRow.claim_id,
        ClaimEvidenceRow.start,
        ClaimEvidenceRow.end,
        ClaimEvidenceRow.text,
        ClaimEvidenceRow.role,
    )
    .where(ClaimEvidenceRow.claim_id.in_(bindparam("claim_ids", expanding=True)))
    .order_by(ClaimEvidenceRow.claim_id, ClaimEvidenceRow.position)
)
_ARTICLE = select(
    ArticleRow.id,
    ArticleRow.uid,
    ArticleRow.title,
    ArticleRow.url,
    ArticleRow.outlet,
    ArticleRow.language,
    ArticleRow.published,
    ArticleRow.published_source,
    ArticleRow.published_evidence,
    ArticleRow.text,
    ArticleRow.dedup_group,
    ArticleRow.is_canonical,
).where(ArticleRow.id == _ARTICLE_ID)
_ARTICLE_COLUMNS = column_names(_ARTICLE)
_REMOVED = (
    select(RemovedRow.text, RemovedRow.reason)
    .where(RemovedRow.article_id == _ARTICLE_ID)
    .order_by(RemovedRow.position)
)


def _quotes(conn: Connection, article_id: int) -> list[QuoteItem]:
    quotes = []
    for row in fetch(conn, _QUOTES, {"article_id": article_id}):
        values = dict(zip(_QUOTE_FIELDS, row, strict=True))
        quotes.append(QuoteItem(**{**values, "via": list(values["via"] or [])}))
    return quotes


def _claims(conn: Connection, article_id: int) -> list[ClaimItem]:
    rows: list[tuple[Any, ...]] = fetch(conn, _CLAIMS, {"article_id": article_id})
    evidence: dict[int, list[ClaimEvidenceItem]] = {r[0]: [] for r in rows}
    if rows:
        for claim_id, start, end, text, role in fetch(conn, CLAIM_EVIDENCE, {"claim_ids": list(evidence)}):
            evidence[claim_id].append(ClaimEvidenceItem(start, end, text, role))
    items = []
    for row in rows:
        values = dict(zip(_CLAIM_COLUMNS, row, strict=True))
        values["chain"] = [str(c) for c in values["chain"] or []]
        items.append(ClaimItem(**values, evidence=evidence[values["id"]]))
    return items


def get_article(conn: Connection, article_id: int) -> ArticleDetail | None:
    found = fetch(conn, _ARTICLE, {"article_id": article_id})
    if not found:
        return None
    values = dict(zip(_ARTICLE_COLUMNS, found[0], strict=True))
    values["published_evidence"] = list(values["published_evidence"] or [])
    values["is_canonical"] = bool(values["is_canonical"])
    return ArticleDetail(
        **values,
        removed=[(t, r) for t, r in fetch(conn, _REMOVED, {"article_id": article_id})],
        dates=_spans(conn, DateRow, article_id, ("type", "value", "range_start", "range_end")),
        entities=_spans(conn, EntityRow, article_id, ("label",)),
        actors=_spans(conn, ActorRow, article_id, ("name", "code", "country", "role", "kb_id")),
        places=_spans(conn, PlaceRow, article_id, ("name", "country", "lat", "lon", "geonameid", "kind")),
        events=events_of_article(conn, article_id),
        quotes=_quotes(conn, article_id),
        claims=_claims(conn, article_id),
    )


def stored_analysis(conn: Connection, article_id: int) -> dict[str, Any] | None:
    """The stored contract JSON of one article (with its text put back), as ``veille analyze`` gave it."""
    row = conn.execute(
        select(ArticleRow.analysis, ArticleRow.text).where(ArticleRow.id == article_id)
    ).first()
    if row is None:
        return None
    doc = dict(row.analysis or {})
    doc["article"] = {**doc.get("article", {}), "text": row.text}
    return doc


def outlets(conn: Connection, *, limit: int = 500) -> list[tuple[str, int]]:
    """Outlets with their article counts, most articles first."""
    count = func.count().label("n")
    rows = conn.execute(
        select(ArticleRow.outlet, count)
        .where(ArticleRow.outlet.is_not(None))
        .group_by(ArticleRow.outlet)
        .order_by(count.desc(), ArticleRow.outlet)
        .limit(limit)
    )
    return [(str(o), int(n)) for o, n in rows]


def languages(conn: Connection) -> list[str]:
    """The languages of the stored articles (sorted)."""
    rows = conn.execute(select(ArticleRow.language).where(ArticleRow.language.is_not(None)).distinct())
    return sorted(str(lang) for (lang,) in rows)
