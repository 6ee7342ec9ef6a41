"""Read-side queries on the alerts of ``veille watch``, and a claim's status over time.

``list_alerts``: newest first, filtered by rule and kind (the alerts page). ``claim_history``: the
articles that reported one claim (cluster), in the order they appeared, with the claim's status
across the store after each of them, so the article that changed it (denied, confirmed) is marked,
plus the alerts raised about it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, func, select

from veille.store.read_common import Page, capped_count
from veille.store.records import ClaimEvidenceRow, ClaimRow
from veille.store.schema import ArticleRow, ClaimCluster
from veille.store.watch_tables import Alert

ALERT_KINDS = ("new_claim", "status_change", "contradiction", "burst")


@dataclass(frozen=True, kw_only=True)
class AlertItem:
    id: int
    kind: str
    rule: str
    at: dt.datetime
    summary: str
    claim_id: int | None
    article_id: int | None
    article_title: str | None
    article_url: str | None
    outlet: str | None
    status: str | None
    previous_status: str | None
    evidence: list[dict[str, Any]]
    details: dict[str, Any]


def _alert(row: Any) -> AlertItem:
    return AlertItem(
        id=row.id,
        kind=row.kind,
        rule=row.rule,
        at=row.at,
        summary=row.summary,
        claim_id=row.claim_id,
        article_id=row.article_id,
        article_title=row.title,
        article_url=row.url,
        outlet=row.outlet,
        status=row.status,
        previous_status=row.previous_status,
        evidence=list(row.evidence or []),
        details=dict(row.details or {}),
    )


def _alerts_query() -> Any:
    return select(*Alert.__table__.columns, ArticleRow.title, ArticleRow.url, ArticleRow.outlet).outerjoin(
        ArticleRow, ArticleRow.id == Alert.article_id
    )


def list_alerts(
    conn: Connection,
    *,
    rule: str | None = None,
    kind: str | None = None,
    claim_id: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[AlertItem]:
    """Alerts, newest first."""
    where = []
    if rule:
        where.append(Alert.rule == rule)
    if kind:
        where.append(Alert.kind == kind)
    if claim_id is not None:
        where.append(Alert.claim_id == claim_id)
    total, exact = capped_count(conn, select(Alert.id).where(*where))
    rows = conn.execute(
        _alerts_query().where(*where).order_by(Alert.at.desc(), Alert.id.desc()).limit(limit).offset(offset)
    )
    return Page([_alert(r) for r in rows], total, exact, limit, offset)


def alert_rules(conn: Connection) -> list[tuple[str, int]]:
    """``(rule, number of alerts)``, most alerts first: the choices of the rule filter."""
    rows = conn.execute(select(Alert.rule, func.count()).group_by(Alert.rule).order_by(func.count().desc()))
    return [(rule, int(n)) for rule, n in rows]


@dataclass(frozen=True, kw_only=True)
class HistoryStep:
    """One article reporting the claim; ``status_after`` is the claim's status once it appeared."""

    claim_row_id: int
    article_id: int
    article_title: str | None
    outlet: str | None
    seen: dt.datetime
    status: str  # what this article says
    status_after: str
    changed: bool  # this article changed the claim's status across the store
    evidence: list[dict[str, Any]] = field(default_factory=list)  # denial / confirmation spans


@dataclass(frozen=True, kw_only=True)
class ClaimHistory:
    claim_id: int
    text: str
    status: str
    contradiction: bool
    steps: list[HistoryStep]
    alerts: list[AlertItem]


def _combined(statuses: set[str]) -> str:
    # The linker's rule for a claim's status across articles (veille.store.linking).
    if "denied" in statuses and "confirmed" in statuses:
        return "contested"
    for status in ("denied", "confirmed", "reported"):
        if status in statuses:
            return status
    return "unverified"


def claim_history(conn: Connection, claim_id: int, *, max_steps: int = 500) -> ClaimHistory | None:
    """The claim cluster ``claim_id`` over time, or None when there is no such claim."""
    cluster = conn.execute(select(ClaimCluster.__table__).where(ClaimCluster.id == claim_id)).first()
    if cluster is None:
        return None
    rows = conn.execute(
        select(
            ClaimRow.id,
            ClaimRow.article_id,
            ClaimRow.status,
            ArticleRow.title,
            ArticleRow.outlet,
            ArticleRow.published,
            ArticleRow.created_at,
        )
        .join(ArticleRow, ArticleRow.id == ClaimRow.article_id)
        .where(ClaimRow.cluster_id == claim_id)
        .limit(max_steps)
    ).all()

    def seen(row: Any) -> dt.datetime:
        if row.published is not None:
            return dt.datetime.combine(row.published, dt.time())
        return row.created_at  # type: ignore[no-any-return]

    ordered = sorted(rows, key=lambda r: (seen(r), r.id))
    evidence: dict[int, list[dict[str, Any]]] = {}
    ids = [r.id for r in ordered]
    if ids:
        spans = conn.execute(
            select(ClaimEvidenceRow)
            .where(ClaimEvidenceRow.claim_id.in_(ids), ClaimEvidenceRow.role.in_(("denial", "confirmation")))
            .order_by(ClaimEvidenceRow.claim_id, ClaimEvidenceRow.position)
        )
        for e in spans:
            evidence.setdefault(e.claim_id, []).append(
                {"start": e.start, "end": e.end, "text": e.text, "role": e.role}
            )
    steps: list[HistoryStep] = []
    statuses: set[str] = set()
    before: str | None = None
    for row in ordered:
        statuses.add(row.status)
        after = _combined(statuses)
        steps.append(
            HistoryStep(
                claim_row_id=row.id,
                article_id=row.article_id,
                article_title=row.title,
                outlet=row.outlet,
                seen=seen(row),
                status=row.status,
                status_after=after,
                changed=before is not None and after != before,
                evidence=evidence.get(row.id, []),
            )
        )
        before = after
    alerts = list_alerts(conn, claim_id=claim_id, limit=100).items
    return ClaimHistory(
        claim_id=cluster.id,
        text=cluster.text,
        status=cluster.status,
        contradiction=bool(cluster.contradiction),
        steps=steps,
        alerts=alerts,
    )
