"""A large store for load checks, made by replicating an analysed store's rows (no analysis run).

Every article of the source store is copied ``copies`` times (new ids, source keys and content
hashes, publication days shifted over a few years), with all its records; each copy's events are
written ``event_factor`` times on successive days so that the target reaches the wanted number of
events with a realistic number of articles. Offsets stay valid: the copies keep their texts.
This is test data for measuring queries, never a corpus to analyse.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select

from veille.errors import StoreError
from veille.store import Store
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
from veille.store.schema import ArticleRow, Mention
from veille.store.write import mark_links_dirty

_SIMPLE = (RemovedRow, DateRow, EntityRow, ActorRow, PlaceRow, QuoteRow)
SPAN_DAYS = 3 * 365  # copies' publication days spread over about three years


@dataclass(frozen=True)
class Generated:
    articles: int
    events: int
    copies: int
    event_factor: int


def _table(model: Any) -> Table:
    table: Table = model.__table__
    return table


def _rows(conn: Connection, model: Any) -> list[dict[str, Any]]:
    table = _table(model)
    return [dict(r._mapping) for r in conn.execute(select(table).order_by(table.c.id))]


def _insert_ids(conn: Connection, model: Any, rows: list[dict[str, Any]]) -> list[int]:
    if not rows:
        return []
    table = _table(model)
    result = conn.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
    return [int(r[0]) for r in result]


def _shift_date(coded: str | None, day: dt.date | None) -> str | None:
    if coded is None or day is None:
        return coded
    return day.isoformat()[: len(coded)] if len(coded) in (7, 10) else coded


class _Source:
    """The source store's rows, grouped by article."""

    def __init__(self, conn: Connection) -> None:
        self.articles = _rows(conn, ArticleRow)
        self.simple: dict[Any, dict[int, list[dict[str, Any]]]] = {
            model: defaultdict(list) for model in _SIMPLE
        }
        for model in _SIMPLE:
            for row in _rows(conn, model):
                self.simple[model][row["article_id"]].append(row)
        self.claims: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for row in _rows(conn, ClaimRow):
            self.claims[row["article_id"]].append(row)
        self.evidence: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for row in _rows(conn, ClaimEvidenceRow):
            self.evidence[row["claim_id"]].append(row)
        self.events: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for row in _rows(conn, EventRow):
            self.events[row["article_id"]].append(row)
        self.n_events = sum(len(v) for v in self.events.values())


def _copy_once(conn: Connection, src: _Source, copy: int, event_factor: int) -> int:
    shift = dt.timedelta(days=(copy * 7919) % SPAN_DAYS)  # a prime stride spreads copies evenly
    articles = []
    for a in src.articles:
        row = {k: v for k, v in a.items() if k != "id"}
        row.update(
            source_key=f"{a['source_key']}#load{copy}",
            uid=f"{a['uid']}-{copy}",
            content_hash=f"{a['content_hash'][:48]}{copy:016x}",
            published=a["published"] + shift if a["published"] else None,
            minhash=None,
            dedup_group=None,
            run_id=None,
        )
        articles.append(row)
    new_ids = dict(zip((a["id"] for a in src.articles), _insert_ids(conn, ArticleRow, articles), strict=True))
    for model, by_article in src.simple.items():
        rows = [
            {k: v for k, v in r.items() if k != "id"} | {"article_id": new_ids[old]}
            for old, group in by_article.items()
            for r in group
        ]
        if rows:
            conn.execute(insert(_table(model)), rows)
    claim_sources = [c for group in src.claims.values() for c in group]
    claim_rows = [
        {k: v for k, v in c.items() if k != "id"}
        | {"article_id": new_ids[c["article_id"]], "cluster_id": None}
        for c in claim_sources
    ]
    claim_ids = dict(
        zip((c["id"] for c in claim_sources), _insert_ids(conn, ClaimRow, claim_rows), strict=True)
    )
    evidence = [
        {k: v for k, v in e.items() if k != "id"} | {"claim_id": claim_ids[old]}
        for old in claim_ids
        for e in src.evidence.get(old, [])
    ]
    if evidence:
        conn.execute(insert(_table(ClaimEvidenceRow)), evidence)
    events = []
    for old_article, group in src.events.items():
        for repeat in range(event_factor):
            for e in group:
                day = e["day"] + shift + dt.timedelta(days=repeat) if e["day"] else None
                events.append(
                    {k: v for k, v in e.items() if k != "id"}
                    | {
                        "article_id": new_ids[old_article],
                        "claim_id": claim_ids.get(e["claim_id"]) if e["claim_id"] else None,
                        "day": day,
                        "date": _shift_date(e["date"], day),
                        "cluster_id": None,
                    }
                )
    event_ids = _insert_ids(conn, EventRow, events)
    mentions = [
        {
            "kind": "event",
            "article_id": e["article_id"],
            "event_id": eid,
            "sentence_id": e["sentence_id"],
            "actor1_offset": e["source_start"] if e["source_start"] is not None else -1,
            "actor2_offset": e["target_start"] if e["target_start"] is not None else -1,
            "action_offset": e["evidence_start"],
            "confidence": max(10, min(100, round(e["confidence"] * 100))),
            "doc_len": 0,
        }
        for e, eid in zip(events, event_ids, strict=True)
    ]
    if mentions:
        conn.execute(insert(_table(Mention)), mentions)
    return len(events)


def generate(
    source_url: str,
    target_url: str,
    *,
    events: int = 100_000,
    articles: int = 15_000,
    relink: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> Generated:
    """Fill the empty store at ``target_url`` with copies of the store at ``source_url``."""
    with Store.open(source_url) as source, source.read() as conn:
        src = _Source(conn)
    if not src.articles or src.n_events == 0:
        raise StoreError(
            "the source store has no events: ingest analysed articles into it first", source=source_url
        )
    copies = max(1, math.ceil(articles / len(src.articles)))
    event_factor = max(1, math.ceil(events / (copies * src.n_events)))
    total = 0
    with Store.open(target_url) as target:
        with target.read() as conn:
            if conn.execute(select(func.count()).select_from(ArticleRow)).scalar_one():
                raise StoreError("the target store is not empty", source=target.url)
        for copy in range(copies):
            with target.engines.write.begin() as conn:
                total += _copy_once(conn, src, copy, event_factor)
                mark_links_dirty(conn)
            if progress is not None:
                progress(copy + 1, copies)
        if relink:
            target.relink(force=True)
    return Generated(copies * len(src.articles), total, copies, event_factor)
