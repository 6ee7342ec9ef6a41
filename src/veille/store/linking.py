"""Cross-article linking: the same event, the same claim, across articles and outlets.

Events are the same when they share the CAMEO root, the source and target actor codes (at least
one of them known) and polarity, and fall within one day of the cluster's first date (the event's
own date, else its article's publication date). Claims are the same when they share issue B's
``Claim.key``, when their texts are similar (word-set Jaccard), or when events tied to them fall in
one event cluster (this also links claims across languages).

A claim cluster's status across the corpus: ``denied`` / ``confirmed`` when some outlet says so,
``contested`` when both happen; ``contradiction`` is raised when a denied claim is confirmed
elsewhere or stated as fact by another outlet: an asserted event in the same event cluster, or an
asserted sentence that repeats one of its claims (an *echo*, :mod:`veille.store.claim_echoes`).
Clusters are rebuilt from the records on each call: deterministic, and cheap next to analysis;
echoes are found incrementally (only new or changed articles are read).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, delete, insert, select, update

from veille.store.claim_echo_text import fold
from veille.store.claim_echoes import echo_outlets, link_echoes
from veille.store.dedup import components
from veille.store.records import ClaimRow, EventRow
from veille.store.schema import ArticleRow, ClaimCluster, EventCluster, Mention

CLAIM_TEXT_THRESHOLD = 0.5  # Jaccard of the claims' word sets
_CONTAINMENT = 0.8  # share of the shorter claim's words found in the other
_MIN_SHARED = 5
_MAX_TOKEN_DF = 200  # words in more claims than this are too common to propose candidates
# Words of 4+ letters: drops most function words of French and English without a stop list.
_TOKEN = re.compile(r"\w{4,}")


@dataclass(frozen=True)
class LinkStats:
    event_clusters: int
    linked_events: int
    claim_clusters: int
    linked_claims: int
    contradictions: int
    echoes: int = 0  # new asserted-sentence → claim links found by this relink


def _outlet(row: Any) -> str:
    return str(row.outlet or f"article:{row.article_id}")


def _seen(row: Any) -> dt.datetime:
    if row.published is not None:
        return dt.datetime.combine(row.published, dt.time())
    return row.created_at  # type: ignore[no-any-return]


def _event_groups(rows: Sequence[Any]) -> dict[int, int]:
    """Event id → cluster id (the smallest event id of its cluster)."""
    by_key: dict[tuple[Any, ...], list[Any]] = defaultdict(list)
    cluster_of: dict[int, int] = {}
    for row in rows:
        if row.day is None or (row.source_code is None and row.target_code is None):
            cluster_of[row.id] = row.id
            continue
        by_key[(row.root_code, row.source_code, row.target_code, row.negated)].append(row)
    for members in by_key.values():
        members.sort(key=lambda r: (r.day, r.id))
        anchor: dt.date | None = None
        current: list[int] = []
        for row in [*members, None]:
            if row is None or anchor is None or (row.day - anchor).days > 1:
                if current:
                    root = min(current)
                    cluster_of.update(dict.fromkeys(current, root))
                if row is None:
                    break
                anchor, current = row.day, []
            current.append(row.id)
    return cluster_of


def _set_cluster_ids(conn: Connection, model: Any, rows: Iterable[Any], cluster_of: dict[int, int]) -> int:
    changes = [
        {"b_id": row.id, "cluster": cluster_of[row.id]}
        for row in rows
        if row.cluster_id != cluster_of[row.id]
    ]
    if changes:
        conn.execute(
            update(model).where(model.id == bindparam("b_id")).values(cluster_id=bindparam("cluster")),
            changes,
        )
    return len(changes)


def link_events(conn: Connection) -> tuple[int, int, dict[int, int]]:
    rows = conn.execute(
        select(
            EventRow.id,
            EventRow.article_id,
            EventRow.cameo,
            EventRow.root_code,
            EventRow.base_code,
            EventRow.source_code,
            EventRow.target_code,
            EventRow.negated,
            EventRow.day,
            EventRow.modality,
            EventRow.cluster_id,
            ArticleRow.outlet,
            ArticleRow.published,
            ArticleRow.created_at,
        ).join(ArticleRow, ArticleRow.id == EventRow.article_id)
    ).all()
    cluster_of = _event_groups(rows)
    members: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        members[cluster_of[row.id]].append(row)
    clusters = []
    for cid, group in members.items():
        first = min(group, key=lambda r: (_seen(r), r.id))
        code = Counter(r.cameo for r in group).most_common(1)[0][0]
        days = [r.day for r in group if r.day is not None]
        clusters.append(
            {
                "id": cid,
                "event_code": code,
                "base_code": code[:3],
                "root_code": code[:2],
                "source_code": first.source_code,
                "target_code": first.target_code,
                "negated": first.negated,
                "date": min(days) if days else None,
                "first_seen": _seen(first),
                "first_event_id": first.id,
                "first_article_id": first.article_id,
                "num_mentions": len(group),
                "num_sources": len({_outlet(r) for r in group}),
                "num_articles": len({r.article_id for r in group}),
                "modalities": dict(Counter(r.modality for r in group)),
            }
        )
    conn.execute(delete(EventCluster))
    if clusters:
        conn.execute(insert(EventCluster), clusters)
    _set_cluster_ids(conn, EventRow, rows, cluster_of)
    linked = sum(1 for group in members.values() if len(group) > 1 for _ in group)
    return len(clusters), linked, cluster_of


def _tokens(text: str) -> frozenset[str]:
    return frozenset(_TOKEN.findall(fold(text)))


def _similar_pairs(rows: Sequence[Any], threshold: float) -> list[tuple[int, int]]:
    tokens = {row.id: _tokens(row.text) for row in rows}
    postings: dict[str, list[int]] = defaultdict(list)
    for cid, toks in tokens.items():
        for tok in toks:
            postings[tok].append(cid)
    pairs = []
    for cid, toks in tokens.items():
        candidates: set[int] = set()
        for tok in toks:
            ids = postings[tok]
            if len(ids) <= _MAX_TOKEN_DF:
                candidates.update(i for i in ids if i > cid)
        for other in candidates:
            shared = len(toks & tokens[other])
            smaller = min(len(toks), len(tokens[other]))
            union = len(toks | tokens[other])
            # Same words overall, or one claim restating most of a longer one ("X" / "X, sources say").
            if (union and shared / union >= threshold) or (
                shared >= _MIN_SHARED and shared / smaller >= _CONTAINMENT
            ):
                pairs.append((cid, other))
    return pairs


def _claim_status(statuses: set[str]) -> str:
    if "denied" in statuses and "confirmed" in statuses:
        return "contested"
    for status in ("denied", "confirmed", "reported"):
        if status in statuses:
            return status
    return "unverified"


def link_claims(
    conn: Connection,
    event_cluster_of: dict[int, int],
    *,
    threshold: float = CLAIM_TEXT_THRESHOLD,
    echoed_by: dict[int, set[str]] | None = None,
) -> tuple[int, int, int]:
    """Claim clusters; ``echoed_by`` (claim id → outlets repeating it as fact) adds to ``asserted_by``."""
    echoed_by = echoed_by or {}
    rows = conn.execute(
        select(
            ClaimRow.id,
            ClaimRow.article_id,
            ClaimRow.text,
            ClaimRow.key,
            ClaimRow.status,
            ClaimRow.cluster_id,
            ArticleRow.outlet,
            ArticleRow.published,
            ArticleRow.created_at,
        ).join(ArticleRow, ArticleRow.id == ClaimRow.article_id)
    ).all()
    edges: list[tuple[int, int]] = _similar_pairs(rows, threshold)
    by_key: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        if row.key:
            by_key[row.key].append(row.id)
    edges += [(ids[0], other) for ids in by_key.values() for other in ids[1:]]
    events = conn.execute(
        select(
            EventRow.id,
            EventRow.claim_id,
            EventRow.modality,
            EventRow.negated,
            EventRow.article_id,
            ArticleRow.outlet,
        ).join(ArticleRow, ArticleRow.id == EventRow.article_id)
    ).all()
    claims_in_cluster: dict[int, list[int]] = defaultdict(list)
    asserting: dict[int, set[str]] = defaultdict(set)  # event cluster -> outlets stating it as fact
    for ev in events:
        cluster = event_cluster_of[ev.id]
        if ev.claim_id is not None:
            claims_in_cluster[cluster].append(ev.claim_id)
        elif ev.modality == "asserted" and not ev.negated:
            asserting[cluster].add(_outlet(ev))
    edges += [(ids[0], other) for ids in claims_in_cluster.values() for other in ids[1:]]
    cluster_of = components([r.id for r in rows], edges)
    members: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        members[cluster_of[row.id]].append(row)
    event_clusters_of_claim: dict[int, set[int]] = defaultdict(set)
    for cluster, claim_ids in claims_in_cluster.items():
        for claim_id in claim_ids:
            if claim_id in cluster_of:
                event_clusters_of_claim[cluster_of[claim_id]].add(cluster)
    clusters, contradictions = [], 0
    for cid, group in members.items():
        first = min(group, key=lambda r: (_seen(r), r.id))
        by_status: dict[str, list[str]] = defaultdict(list)
        for row in sorted(group, key=lambda r: (_seen(r), r.id)):
            outlet = _outlet(row)
            if outlet not in by_status[row.status]:
                by_status[row.status].append(outlet)
        denying = set(by_status.get("denied", ()))
        asserted_set = {o for ec in event_clusters_of_claim[cid] for o in asserting[ec]}
        asserted_set |= {o for row in group for o in echoed_by.get(row.id, ())}
        asserted = sorted(asserted_set - denying)
        status = _claim_status(set(by_status))
        contradiction = bool(denying) and (bool(by_status.get("confirmed")) or bool(asserted))
        contradictions += contradiction
        keys = Counter(r.key for r in group if r.key)
        clusters.append(
            {
                "id": cid,
                "key": keys.most_common(1)[0][0] if keys else None,
                "text": first.text,
                "first_seen": _seen(first),
                "first_article_id": first.article_id,
                "num_mentions": len(group),
                "num_sources": len({_outlet(r) for r in group} | set(asserted)),
                "num_articles": len({r.article_id for r in group}),
                "status": status,
                "contradiction": contradiction,
                "by_status": dict(by_status),
                "asserted_by": asserted,
            }
        )
    conn.execute(delete(ClaimCluster))
    if clusters:
        conn.execute(insert(ClaimCluster), clusters)
    _set_cluster_ids(conn, ClaimRow, rows, cluster_of)
    linked = sum(len(g) for g in members.values() if len(g) > 1)
    return len(clusters), linked, contradictions


def sync_mentions(conn: Connection) -> None:
    """Copy the cluster ids of events and claims onto their mentions."""
    for kind, model, column in (("event", EventRow, Mention.event_id), ("claim", ClaimRow, Mention.claim_id)):
        conn.execute(
            update(Mention)
            .where(Mention.kind == kind)
            .values(cluster_id=select(model.cluster_id).where(model.id == column).scalar_subquery())
        )


def relink(conn: Connection) -> LinkStats:
    n_events, linked_events, event_cluster_of = link_events(conn)
    echoes = link_echoes(conn)
    n_claims, linked_claims, contradictions = link_claims(
        conn, event_cluster_of, echoed_by=echo_outlets(conn)
    )
    sync_mentions(conn)
    return LinkStats(n_events, linked_events, n_claims, linked_claims, contradictions, echoes.echoes)
