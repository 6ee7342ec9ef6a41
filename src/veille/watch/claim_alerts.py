"""Claim alerts: a new claim about a watched actor or keyword, a claim whose status changes, and a
claim stated as fact (or confirmed) by one outlet after another denied it.

Works on the store after linking (claim clusters, issue E) and on the *window*: the articles
written since the last detection. A cluster's status *before* the window is recomputed from its
members outside the window, with the linker's rule (denied and confirmed → contested, else denied,
confirmed, reported, unverified); a cluster with no member outside the window is a new claim.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from veille.store.records import ActorRow, ClaimEvidenceRow, ClaimRow, EventRow, PlaceRow
from veille.store.schema import ArticleRow, ClaimCluster
from veille.watch.watchlist import Rule, Watchlist, contains_phrase, fold

_CHUNK = 500
_CHANGES = frozenset({"denied", "confirmed", "contested"})
_SHOWN_ROLES = ("denial", "confirmation", "statement", "content")


@dataclass(frozen=True, kw_only=True)
class NewAlert:
    kind: str
    rule: str
    anchor: str  # what makes the alert unique (with kind and rule): hashed into its fingerprint
    claim_id: int | None
    article_id: int | None
    summary: str
    status: str | None = None
    previous_status: str | None = None
    evidence: list[dict[str, Any]] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Member:
    id: int
    article_id: int
    local_id: str
    text: str
    origin: str | None
    chain: list[str]
    status: str
    by: str | None
    cluster_id: int
    outlet: str
    source_key: str
    seen: dt.datetime
    evidence: list[dict[str, Any]] = field(default_factory=list)


def cluster_status(statuses: Collection[str]) -> str:
    """A cluster's status from its members' (the linker's rule, :mod:`veille.store.linking`)."""
    if "denied" in statuses and "confirmed" in statuses:
        return "contested"
    for status in ("denied", "confirmed", "reported"):
        if status in statuses:
            return status
    return "unverified"


def _chunks(values: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _seen(published: dt.date | None, created: dt.datetime) -> dt.datetime:
    return dt.datetime.combine(published, dt.time()) if published is not None else created


def _members(conn: Connection, cluster_ids: Sequence[int]) -> dict[int, list[_Member]]:
    by_cluster: dict[int, list[_Member]] = defaultdict(list)
    columns = (
        ClaimRow.id,
        ClaimRow.article_id,
        ClaimRow.local_id,
        ClaimRow.text,
        ClaimRow.origin,
        ClaimRow.chain,
        ClaimRow.status,
        ClaimRow.by,
        ClaimRow.cluster_id,
        ArticleRow.outlet,
        ArticleRow.source_key,
        ArticleRow.published,
        ArticleRow.created_at,
    )
    members: dict[int, _Member] = {}
    for chunk in _chunks(cluster_ids):
        query = select(*columns).join(ArticleRow, ArticleRow.id == ClaimRow.article_id)
        for r in conn.execute(query.where(ClaimRow.cluster_id.in_(chunk))):
            member = _Member(
                r.id,
                r.article_id,
                r.local_id,
                r.text,
                r.origin,
                list(r.chain or []),
                r.status,
                r.by,
                r.cluster_id,
                r.outlet or f"article:{r.article_id}",
                r.source_key,
                _seen(r.published, r.created_at),
            )
            members[r.id] = member
            by_cluster[r.cluster_id].append(member)
    ids = sorted(members)
    for chunk in _chunks(ids):
        query = select(ClaimEvidenceRow).where(ClaimEvidenceRow.claim_id.in_(chunk))
        for e in conn.execute(query.order_by(ClaimEvidenceRow.claim_id, ClaimEvidenceRow.position)):
            members[e.claim_id].evidence.append(
                {"start": e.start, "end": e.end, "text": e.text, "role": e.role}
            )
    for group in by_cluster.values():
        group.sort(key=lambda m: (m.seen, m.id))
    return by_cluster


@dataclass(frozen=True)
class _Context:
    """Actors and places of the articles involved, to match rules on codes and countries."""

    actors: dict[int, list[Any]]
    places: dict[int, list[Any]]

    @classmethod
    def load(cls, conn: Connection, article_ids: Sequence[int]) -> _Context:
        actors: dict[int, list[Any]] = defaultdict(list)
        places: dict[int, list[Any]] = defaultdict(list)
        for chunk in _chunks(sorted(set(article_ids))):
            for a in conn.execute(select(ActorRow).where(ActorRow.article_id.in_(chunk))):
                actors[a.article_id].append(a)
            for p in conn.execute(select(PlaceRow).where(PlaceRow.article_id.in_(chunk))):
                places[p.article_id].append(p)
        return cls(actors, places)

    def near(self, member: _Member) -> tuple[list[Any], list[Any]]:
        spans = [(e["start"], e["end"]) for e in member.evidence]

        def overlaps(row: Any) -> bool:
            return any(row.start < end and row.end > start for start, end in spans)

        return (
            [a for a in self.actors.get(member.article_id, []) if overlaps(a)],
            [p for p in self.places.get(member.article_id, []) if overlaps(p)],
        )


def matches(rule: Rule, member: _Member, context: _Context) -> bool:
    """Actors or keywords name the topic (either suffices); countries, when given, must also match."""
    if not rule.filters_claims:
        return True
    actors, places = context.near(member)
    words = [member.text, member.origin or "", " ".join(member.chain), member.by or ""]
    words += [e["text"] for e in member.evidence if e["role"] in {"statement", "origin", "relay"}]
    text = fold(" ".join(words))
    topic = not (rule.actor_names or rule.actor_codes or rule.keywords)
    if not topic:
        names = {fold(a.name) for a in actors} | {fold(a.text) for a in actors}
        topic = (
            any(contains_phrase(text, n) or n in names for n in rule.actor_names)
            or any(a.code and a.code.startswith(rule.actor_codes) for a in actors)
            or any(contains_phrase(text, k) for k in rule.keywords)
        )
    if not topic:
        return False
    if rule.countries:
        found = {p.country for p in places if p.country} | {a.country for a in actors if a.country}
        return bool(found & rule.countries)
    return True


def _evidence(member: _Member, roles: Collection[str] = _SHOWN_ROLES) -> list[dict[str, Any]]:
    shown = [e for e in member.evidence if e["role"] in roles] or member.evidence[:1]
    return [{"article_id": member.article_id, **e} for e in shown]


def _anchor(first: _Member) -> str:
    return f"{first.source_key}#{first.local_id}"


def claim_alerts(conn: Connection, watchlist: Watchlist, window: Collection[int]) -> list[NewAlert]:
    """Alerts about the claims of the articles in ``window`` (article ids)."""
    if not window:
        return []
    rules = [r for r in watchlist.rules if r.alerts & {"new_claim", "status_change", "contradiction"}]
    if not rules:
        return []
    cluster_ids: set[int] = set()
    for chunk in _chunks(sorted(window)):
        query = select(ClaimRow.cluster_id).where(
            ClaimRow.article_id.in_(chunk), ClaimRow.cluster_id.is_not(None)
        )
        cluster_ids.update(c for (c,) in conn.execute(query.distinct()) if c is not None)
    contradicted = {
        c for (c,) in conn.execute(select(ClaimCluster.id).where(ClaimCluster.contradiction.is_(True)))
    }
    members = _members(conn, sorted(cluster_ids | contradicted))
    clusters = {
        c.id: c
        for chunk in _chunks(sorted(members))
        for c in conn.execute(select(ClaimCluster).where(ClaimCluster.id.in_(chunk)))
    }
    involved = [m.article_id for cid in cluster_ids for m in members.get(cid, []) if m.article_id in window]
    involved += [group[0].article_id for group in members.values() if group]
    context = _Context.load(conn, involved)
    alerts: list[NewAlert] = []
    for cid in sorted(cluster_ids):
        group, cluster = members.get(cid, []), clusters.get(cid)
        if not group or cluster is None:
            continue
        fresh = [m for m in group if m.article_id in window]
        old = [m for m in group if m.article_id not in window]
        if not fresh:
            continue
        if not old:
            alerts += _new_claim(rules, group, cluster, context)
        else:
            alerts += _status_change(rules, group, fresh, old, cluster, context)
    for cid in sorted(contradicted):
        group, cluster = members.get(cid, []), clusters.get(cid)
        if group and cluster is not None:
            alerts += _contradiction(conn, rules, group, cluster, context)
    return alerts


def _matching(rules: Iterable[Rule], kind: str, group: Sequence[_Member], context: _Context) -> list[Rule]:
    return [r for r in rules if r.wants(kind) and any(matches(r, m, context) for m in group)]


def _new_claim(rules: list[Rule], group: list[_Member], cluster: Any, context: _Context) -> list[NewAlert]:
    first = group[0]
    return [
        NewAlert(
            kind="new_claim",
            rule=rule.name,
            anchor=_anchor(first),
            claim_id=cluster.id,
            article_id=first.article_id,
            status=cluster.status,
            summary=f"new claim ({cluster.status}) from {first.origin or first.outlet}: {first.text}",
            evidence=_evidence(first, ("statement", "content", "origin")),
            details={"claim": first.text, "origin": first.origin, "outlet": first.outlet},
        )
        for rule in _matching(rules, "new_claim", group, context)
    ]


def _status_change(
    rules: list[Rule],
    group: list[_Member],
    fresh: list[_Member],
    old: list[_Member],
    cluster: Any,
    context: _Context,
) -> list[NewAlert]:
    before = cluster_status({m.status for m in old})
    now = cluster.status
    if now == before or now not in _CHANGES:
        return []
    wanted = {"denied", "confirmed"} if now == "contested" else {now}
    changers = [m for m in fresh if m.status in wanted] or fresh
    changer = changers[-1]
    by = changer.by or changer.outlet
    return [
        NewAlert(
            kind="status_change",
            rule=rule.name,
            anchor=f"{_anchor(group[0])}|{now}",
            claim_id=cluster.id,
            article_id=changer.article_id,
            status=now,
            previous_status=before,
            summary=f"claim {now} (was {before}) by {by}: {group[0].text}",
            evidence=[e for m in changers for e in _evidence(m)],
            details={"claim": group[0].text, "by": changer.by, "outlet": changer.outlet},
        )
        for rule in _matching(rules, "status_change", group, context)
    ]


def _asserting_events(conn: Connection, group: list[_Member], cluster: Any) -> list[Any]:
    """Events stated as fact by the outlets the linker found asserting the claim."""
    outlets = set(cluster.asserted_by or [])
    if not outlets:
        return []
    claim_ids = [m.id for m in group]
    event_clusters = {
        c
        for (c,) in conn.execute(
            select(EventRow.cluster_id).where(
                EventRow.claim_id.in_(claim_ids), EventRow.cluster_id.is_not(None)
            )
        )
    }
    if not event_clusters:
        return []
    query = (
        select(
            EventRow.article_id,
            EventRow.evidence_start,
            EventRow.evidence_end,
            EventRow.evidence_text,
            ArticleRow.outlet,
            ArticleRow.published,
            ArticleRow.created_at,
        )
        .join(ArticleRow, ArticleRow.id == EventRow.article_id)
        .where(
            EventRow.cluster_id.in_(event_clusters),
            EventRow.claim_id.is_(None),
            EventRow.modality == "asserted",
            EventRow.negated.is_(False),
        )
    )
    return [r for r in conn.execute(query) if (r.outlet or f"article:{r.article_id}") in outlets]


def _contradiction(
    conn: Connection, rules: list[Rule], group: list[_Member], cluster: Any, context: _Context
) -> list[NewAlert]:
    denials = [m for m in group if m.status == "denied"]
    if not denials:
        return []
    first_denial = min(m.seen for m in denials)
    denying = {m.outlet for m in denials}
    # (seen, article id, outlet, evidence) of each confirmation or assertion after the first denial
    against: list[tuple[dt.datetime, int, str, list[dict[str, Any]]]] = [
        (m.seen, m.article_id, m.outlet, _evidence(m, ("confirmation", "statement")))
        for m in group
        if m.status == "confirmed" and m.outlet not in denying and m.seen >= first_denial
    ]
    for r in _asserting_events(conn, group, cluster):
        seen = _seen(r.published, r.created_at)
        if seen >= first_denial:
            span = {"start": r.evidence_start, "end": r.evidence_end, "text": r.evidence_text}
            against.append(
                (seen, r.article_id, r.outlet, [{"article_id": r.article_id, **span, "role": "assertion"}])
            )
    if not against:
        return []
    against.sort(key=lambda a: (a[0], a[1]))
    latest = against[-1]
    outlets = sorted({a[2] for a in against})
    shown = _evidence(denials[0], ("denial",)) + [e for a in against for e in a[3]]
    denied_by, stated_by = ", ".join(sorted(denying)), ", ".join(outlets)
    return [
        NewAlert(
            kind="contradiction",
            rule=rule.name,
            anchor=f"{_anchor(group[0])}|{'|'.join(outlets)}",
            claim_id=cluster.id,
            article_id=latest[1],
            status=cluster.status,
            summary=f"claim denied by {denied_by} but stated by {stated_by}: {group[0].text}",
            evidence=shown,
            details={"claim": group[0].text, "denied_by": sorted(denying), "stated_by": outlets},
        )
        for rule in _matching(rules, "contradiction", group, context)
    ]
