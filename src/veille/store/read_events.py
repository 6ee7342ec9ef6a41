"""Read-side queries on events: filtered lists, single events, CSV rows (counts per day and place
are in :mod:`veille.store.read_event_stats`).

Filters (all optional, combined with AND): a day range, an actor code or code prefix (source or
target), a country (ISO alpha-2 or alpha-3: the event's place, or an actor code starting with the
CAMEO country code), a CAMEO root, a PLOVER type, an article. Lists are newest first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import ColumnElement, Connection, bindparam, false, or_, select

from veille.store.prepared import column_names, fetch
from veille.store.read_common import (
    COUNT_CAP,
    AnySelect,
    Page,
    country_codes,
    day_bounds,
    known_total,
    prefix_match,
)
from veille.store.read_event_plans import (
    Merge,
    bound_filter,
    capped_count_statement,
    merge_of,
    merged_count,
    merged_page,
    sorted_page,
)
from veille.store.records import ClaimRow, EventRow
from veille.store.schema import ArticleRow


@dataclass(frozen=True, kw_only=True)
class EventFilter:
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    actor: str | None = None  # actor code, or its start ("USA" matches USAGOV, USAMIL…)
    actor_exact: bool = False  # match the code exactly instead of as a start
    country: str | None = None  # ISO 3166 alpha-2 or alpha-3
    root: str | None = None  # CAMEO root, "01".."20"
    plover: str | None = None
    article_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class EventItem:
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
    source_start: int | None = None
    source_end: int | None = None
    target_start: int | None = None
    target_end: int | None = None


_ITEM_COLUMNS = (
    EventRow.id,
    EventRow.article_id,
    ArticleRow.title.label("article_title"),
    ArticleRow.outlet,
    EventRow.local_id,
    EventRow.cameo,
    EventRow.root_code,
    EventRow.plover,
    EventRow.source_text,
    EventRow.source_code,
    EventRow.target_text,
    EventRow.target_code,
    EventRow.date,
    EventRow.day,
    EventRow.place_name,
    EventRow.place_country,
    EventRow.place_lat,
    EventRow.place_lon,
    EventRow.negated,
    EventRow.modality,
    EventRow.claim_id,
    EventRow.claim_local_id,
    EventRow.confidence,
    EventRow.evidence_start,
    EventRow.evidence_end,
    EventRow.evidence_text,
    EventRow.goldstein,
    EventRow.quad_class,
    EventRow.cluster_id,
    EventRow.source_start,
    EventRow.source_end,
    EventRow.target_start,
    EventRow.target_end,
)

CSV_COLUMNS = (
    "id",
    "day",
    "date",
    "cameo",
    "root_code",
    "plover",
    "source_text",
    "source_code",
    "target_text",
    "target_code",
    "negated",
    "modality",
    "place_name",
    "place_country",
    "place_lat",
    "place_lon",
    "goldstein",
    "quad_class",
    "confidence",
    "cluster_id",
    "article_id",
    "outlet",
    "article_title",
    "evidence_text",
)


def count_events(
    conn: Connection, flt: EventFilter, *, cap: int = COUNT_CAP, merge: Merge | None = None
) -> tuple[int, bool]:
    """``(count, exact)`` of the matching events as ``capped_count`` gives it, by a prepared statement.

    ``merge``: the filter's :func:`~veille.store.read_event_plans.merge_of`, counted as one OR
    of them: SQLite then reads each (column, day) index in turn, where the OR of prefix ranges of
    the plain conditions made it walk the day index and look up every event of the window (actor
    IRQ over 90 days: 4.1 → 0.06 ms on 112,800 events).
    """
    if merge is not None and not merge.arms:
        return 0, True
    if merge is not None:
        statement = merged_count(merge.arms, flt.date_from is not None, flt.date_to is not None, cap)
        ((found,),) = fetch(conn, statement, merge.params(flt))
    else:
        shape, params = bound_filter(flt)
        ((found,),) = fetch(conn, capped_count_statement(shape, cap), params)
    found = int(found)
    return min(found, cap), found <= cap


def conditions(flt: EventFilter) -> list[ColumnElement[bool]]:
    """The filter as SQL conditions (the CSV export's query; the hot paths use the prepared
    statements of :mod:`veille.store.read_event_plans`, which the tests hold to these)."""
    where = day_bounds(EventRow.day, flt.date_from, flt.date_to)
    groups: list[list[ColumnElement[bool]]] = []
    if flt.actor:
        code = flt.actor.strip().upper()
        if flt.actor_exact:
            groups.append([EventRow.source_code == code, EventRow.target_code == code])
        else:
            groups.append(
                [prefix_match(EventRow.source_code, code), prefix_match(EventRow.target_code, code)]
            )
    if flt.country:
        alpha2, alpha3 = country_codes(flt.country)
        options: list[ColumnElement[bool]] = []
        if alpha2:
            options.append(EventRow.place_country == alpha2)
        if alpha3:
            options += [
                prefix_match(EventRow.source_code, alpha3),
                prefix_match(EventRow.target_code, alpha3),
            ]
        if options:
            groups.append(options)
        else:
            where.append(false())
    if flt.root:
        where.append(EventRow.root_code == flt.root)
    if flt.plover:
        where.append(EventRow.plover == flt.plover.strip().upper())
    if flt.article_id is not None:
        where.append(EventRow.article_id == flt.article_id)
    return where + [or_(*group) for group in groups]


def _newest_first(conn: Connection) -> list[Any]:
    if conn.dialect.name == "postgresql":  # PostgreSQL puts NULLs first in DESC order
        return [EventRow.day.desc().nulls_last(), EventRow.id.desc()]
    return [EventRow.day.desc(), EventRow.id.desc()]


def _item_query(flt: EventFilter) -> AnySelect:
    return (
        select(*_ITEM_COLUMNS)
        .select_from(EventRow)
        .join(ArticleRow, ArticleRow.id == EventRow.article_id)
        .where(*conditions(flt))
    )


# Built once: constructing a 33-column select per request costs more than running it.
_ITEMS_BY_IDS = (
    select(*_ITEM_COLUMNS)
    .select_from(EventRow)
    .join(ArticleRow, ArticleRow.id == EventRow.article_id)
    .where(EventRow.id.in_(bindparam("ids", expanding=True)))
)


_ITEM_FIELDS = tuple(f.name for f in fields(EventItem))
# item_of relies on this: one column per field, same names, same order.
assert column_names(_ITEMS_BY_IDS) == _ITEM_FIELDS, "_ITEM_COLUMNS and EventItem disagree"


def item_of(values: tuple[Any, ...]) -> EventItem:
    """The item of one row of ``_ITEM_COLUMNS`` (as :func:`veille.store.prepared.fetch` gives it)."""
    # Fill the instance's __dict__ in one step: the frozen dataclass __init__ sets 33 fields one
    # object.__setattr__ at a time, which made it the costliest Python of an event page (1.5 ms
    # of 50 rows, 0.2 ms this way); the object is the same (equal, hashable, frozen).
    item: EventItem = object.__new__(EventItem)
    item.__dict__.update(zip(_ITEM_FIELDS, values, strict=True))
    return item


def _page_ids(conn: Connection, flt: EventFilter, *, limit: int, offset: int) -> list[int]:
    """Ids of one page of matching events, newest first, from the events table alone."""
    return _ids_of(conn, flt, merge_of(conn, flt), limit=limit, offset=offset)


def _ids_of(conn: Connection, flt: EventFilter, merge: Merge | None, *, limit: int, offset: int) -> list[int]:
    """:func:`_page_ids` with the filter's :func:`~veille.store.read_event_plans.merge_of` given.

    An OR between columns (actor as source or target, country of place or actors) defeats the
    (column, day) indexes; each alternative is then read on its own, already in day order from its
    index, and the short ordered lists are merged (SQL UNION) instead of sorting every match.
    """
    postgres = conn.dialect.name == "postgresql"
    if merge is None:
        # Any other filter: one sorted query, from a statement prepared once per filter shape.
        shape, values = bound_filter(flt)
        values |= {"page_limit": limit, "page_offset": offset}
        return [int(i) for (i,) in fetch(conn, sorted_page(shape, postgres), values)]
    if not merge.arms:
        return []
    statement = merged_page(merge.arms, flt.date_from is not None, flt.date_to is not None, postgres)
    params = {"depth": limit + offset, "page_limit": limit, "page_offset": offset, **merge.params(flt)}
    return [int(i) for (i,) in fetch(conn, statement, params)]


def list_events(conn: Connection, flt: EventFilter, *, limit: int = 50, offset: int = 0) -> Page[EventItem]:
    # The page's ids first, then the full rows of those ids only: sorting wide joined rows of
    # every match is what costs.
    merge = merge_of(conn, flt)
    ids = _ids_of(conn, flt, merge, limit=limit, offset=offset)
    known = known_total(len(ids), limit=limit, offset=offset)
    total, exact = known or count_events(conn, flt, merge=merge)
    rows = {r[0]: item_of(r) for r in fetch(conn, _ITEMS_BY_IDS, {"ids": ids})} if ids else {}
    return Page([rows[i] for i in ids if i in rows], total, exact, limit, offset)


def get_event(conn: Connection, event_id: int) -> EventItem | None:
    rows = fetch(conn, _ITEMS_BY_IDS, {"ids": [event_id]})
    return item_of(rows[0]) if rows else None


_EVENTS_OF_ARTICLE = (
    select(*_ITEM_COLUMNS)
    .select_from(EventRow)
    .join(ArticleRow, ArticleRow.id == EventRow.article_id)
    .where(EventRow.article_id == bindparam("article_id"))
    .order_by(EventRow.position)
)


def events_of_article(conn: Connection, article_id: int) -> list[EventItem]:
    return [item_of(r) for r in fetch(conn, _EVENTS_OF_ARTICLE, {"article_id": article_id})]


def iter_csv_rows(conn: Connection, flt: EventFilter, *, max_rows: int) -> Iterator[dict[str, Any]]:
    """Events as flat dicts (``CSV_COLUMNS``), newest first, at most ``max_rows``, streamed."""
    query = _item_query(flt).order_by(*_newest_first(conn)).limit(max_rows)
    result = conn.execution_options(yield_per=1000).execute(query)
    for row in result:
        values = row._asdict()
        yield {name: values[name] for name in CSV_COLUMNS}


def claim_cluster_of(conn: Connection, claim_ids: list[int]) -> dict[int, int | None]:
    """Claim row id → claim cluster id, for linking events to claim pages."""
    if not claim_ids:
        return {}
    rows = conn.execute(select(ClaimRow.id, ClaimRow.cluster_id).where(ClaimRow.id.in_(claim_ids)))
    return {cid: cluster for cid, cluster in rows}
