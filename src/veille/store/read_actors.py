"""Read-side queries on actors: the most mentioned actors, one actor code's events, the actor network.

Actors are mentions in articles (name + CAMEO-style code); events refer to actors by code, so the
event counts and the network are per code (``USAGOV`` gathers Pompeo and Trump as US government).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, case, func, or_, select

from veille.store.read_common import Page, capped_count, like_escape
from veille.store.read_events import EventFilter, conditions
from veille.store.records import ActorRow, EventRow


@dataclass(frozen=True, kw_only=True)
class ActorStat:
    name: str
    code: str | None
    mentions: int
    articles: int
    events_as_source: int
    events_as_target: int


@dataclass(frozen=True)
class Counterpart:
    code: str
    as_source: int  # events this code did to the actor
    as_target: int  # events the actor did to this code


@dataclass(frozen=True, kw_only=True)
class ActorProfile:
    code: str
    names: list[tuple[str, int]]  # names seen with the code, most mentioned first
    events_as_source: int
    events_as_target: int
    counterparts: list[Counterpart]
    roots: dict[str, int]  # CAMEO root -> events involving the actor


@dataclass(frozen=True)
class NetworkNode:
    code: str
    label: str
    events: int  # events the code takes part in, within the network's edges


@dataclass(frozen=True)
class NetworkEdge:
    source: str
    target: str
    weight: int  # number of events from source to target
    conflict: int  # of which material or verbal conflict (quad class 3-4)


@dataclass(frozen=True)
class Network:
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]


def _event_counts(conn: Connection, column: Any, codes: list[str]) -> dict[str, int]:
    if not codes:
        return {}
    rows = conn.execute(select(column, func.count()).where(column.in_(codes)).group_by(column))
    return {str(code): int(n) for code, n in rows}


def top_actors(
    conn: Connection, *, q: str | None = None, limit: int = 50, offset: int = 0
) -> Page[ActorStat]:
    """Actors (name, code) by number of mentions, with event counts of their code."""
    mentions = func.count().label("mentions")
    query = select(
        ActorRow.name,
        ActorRow.code,
        mentions,
        func.count(func.distinct(ActorRow.article_id)).label("articles"),
    ).group_by(ActorRow.name, ActorRow.code)
    if q:
        pattern = f"%{like_escape(q.strip().lower())}%"
        query = query.where(
            or_(
                func.lower(ActorRow.name).like(pattern, escape="\\"),
                func.lower(ActorRow.code).like(pattern, escape="\\"),
            )
        )
    total, exact = capped_count(conn, query)
    rows = conn.execute(query.order_by(mentions.desc(), ActorRow.name).limit(limit).offset(offset)).all()
    codes = sorted({r.code for r in rows if r.code})
    as_source = _event_counts(conn, EventRow.source_code, codes)
    as_target = _event_counts(conn, EventRow.target_code, codes)
    items = [
        ActorStat(
            name=r.name,
            code=r.code,
            mentions=int(r.mentions),
            articles=int(r.articles),
            events_as_source=as_source.get(r.code or "", 0),
            events_as_target=as_target.get(r.code or "", 0),
        )
        for r in rows
    ]
    return Page(items, total, exact, limit, offset)


def actor_profile(conn: Connection, code: str, *, top: int = 20) -> ActorProfile | None:
    """What the store knows of one actor code; None when no mention or event has it."""
    count = func.count().label("n")
    names = [
        (str(n), int(c))
        for n, c in conn.execute(
            select(ActorRow.name, count)
            .where(ActorRow.code == code)
            .group_by(ActorRow.name)
            .order_by(count.desc(), ActorRow.name)
            .limit(top)
        )
    ]
    partners: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for other, n in conn.execute(
        select(EventRow.source_code, count).where(EventRow.target_code == code).group_by(EventRow.source_code)
    ):
        if other:
            partners[str(other)][0] += int(n)
    for other, n in conn.execute(
        select(EventRow.target_code, count).where(EventRow.source_code == code).group_by(EventRow.target_code)
    ):
        if other:
            partners[str(other)][1] += int(n)
    roots = {
        str(root): int(n)
        for root, n in conn.execute(
            select(EventRow.root_code, count)
            .where(or_(EventRow.source_code == code, EventRow.target_code == code))
            .group_by(EventRow.root_code)
            .order_by(EventRow.root_code)
        )
    }
    as_source = _event_counts(conn, EventRow.source_code, [code]).get(code, 0)
    as_target = _event_counts(conn, EventRow.target_code, [code]).get(code, 0)
    if not names and not as_source and not as_target:
        return None
    counterparts = sorted(
        (Counterpart(c, s, t) for c, (s, t) in partners.items()),
        key=lambda p: (-(p.as_source + p.as_target), p.code),
    )[:top]
    return ActorProfile(
        code=code,
        names=names,
        events_as_source=as_source,
        events_as_target=as_target,
        counterparts=counterparts,
        roots=roots,
    )


def _labels(conn: Connection, codes: list[str]) -> dict[str, str]:
    """The most mentioned name of each code when the code is one person or body, else the code."""
    if not codes:
        return {}
    count = func.count().label("n")
    names: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for code, name, n in conn.execute(
        select(ActorRow.code, ActorRow.name, count)
        .where(ActorRow.code.in_(codes))
        .group_by(ActorRow.code, ActorRow.name)
    ):
        names[str(code)].append((int(n), str(name)))
    labels = {}
    for code in codes:
        seen = sorted(names.get(code, []), reverse=True)
        # A code shared by several names (USAGOV: Pompeo, Trump…) is best shown as the code.
        labels[code] = seen[0][1] if len(seen) == 1 else code
    return labels


def network(conn: Connection, flt: EventFilter, *, max_edges: int = 120) -> Network:
    """Who acts on whom: directed edges between actor codes weighted by their number of events."""
    weight = func.count().label("weight")
    conflict = func.sum(case((EventRow.quad_class >= 3, 1), else_=0)).label("conflict")
    rows = conn.execute(
        select(EventRow.source_code, EventRow.target_code, weight, conflict)
        .where(
            EventRow.source_code.is_not(None),
            EventRow.target_code.is_not(None),
            EventRow.source_code != EventRow.target_code,
            *conditions(flt),
        )
        .group_by(EventRow.source_code, EventRow.target_code)
        .order_by(weight.desc(), EventRow.source_code, EventRow.target_code)
        .limit(max_edges)
    ).all()
    edges = [NetworkEdge(str(s), str(t), int(w), int(c or 0)) for s, t, w, c in rows]
    totals: dict[str, int] = defaultdict(int)
    for edge in edges:
        totals[edge.source] += edge.weight
        totals[edge.target] += edge.weight
    labels = _labels(conn, sorted(totals))
    nodes = [
        NetworkNode(code, labels.get(code, code), n)
        for code, n in sorted(totals.items(), key=lambda kv: -kv[1])
    ]
    return Network(nodes, edges)
