"""Alert detection over the articles written since the last detection, stored exactly once.

The *window* is the set of articles whose ``updated_at`` is after a watermark kept in the store
(``store_state`` key ``watch_alerts_after``); alerts and the new watermark are written in one
transaction, and each alert's ``fingerprint`` (kind, rule and what it is about) is unique: a run
killed at any point detects again what it had not committed, and never records an alert twice.
A store that was never watched starts its watermark at its newest article (no flood of alerts
about the existing corpus).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from sqlalchemy import Connection, func, insert, select, update

from veille.store import Store
from veille.store.schema import ArticleRow, StoreState
from veille.store.watch_tables import Alert
from veille.watch.bursts import burst_alerts
from veille.watch.claim_alerts import NewAlert, claim_alerts
from veille.watch.watchlist import Watchlist

WATERMARK = "watch_alerts_after"
_FORMAT = "%Y-%m-%dT%H:%M:%S.%f"


def fingerprint(alert: NewAlert) -> str:
    return hashlib.sha256(f"{alert.kind}\x1f{alert.rule}\x1f{alert.anchor}".encode()).hexdigest()


def _get_watermark(conn: Connection) -> dt.datetime | None:
    value = conn.execute(select(StoreState.value).where(StoreState.key == WATERMARK)).scalar()
    return dt.datetime.strptime(value, _FORMAT) if value else None


def _set_watermark(conn: Connection, value: dt.datetime) -> None:
    text = value.strftime(_FORMAT)
    if conn.execute(update(StoreState).where(StoreState.key == WATERMARK).values(value=text)).rowcount == 0:
        conn.execute(insert(StoreState).values(key=WATERMARK, value=text))


def prime(store: Store) -> None:
    """Start the watermark at the newest article when this store has never been watched."""
    with store.engines.write.begin() as conn:
        if _get_watermark(conn) is None:
            newest = conn.execute(select(func.max(ArticleRow.updated_at))).scalar()
            _set_watermark(conn, newest or dt.datetime(1970, 1, 1))


@dataclass(frozen=True)
class Detected:
    window: int  # articles looked at
    alert_ids: list[int]


def detect(store: Store, watchlist: Watchlist, *, now: dt.datetime) -> Detected:
    """Detect alerts about the articles written since the last call; store the new ones."""
    with store.engines.write.begin() as conn:
        after = _get_watermark(conn) or dt.datetime(1970, 1, 1)
        rows = conn.execute(
            select(ArticleRow.id, ArticleRow.updated_at).where(ArticleRow.updated_at > after)
        ).all()
        if not rows:
            return Detected(0, [])
        window = {r.id for r in rows}
        found = claim_alerts(conn, watchlist, window) + burst_alerts(conn, watchlist, window, now=now)
        prints = {fingerprint(a): a for a in found}
        existing = set()
        if prints:
            existing = set(
                conn.execute(select(Alert.fingerprint).where(Alert.fingerprint.in_(list(prints)))).scalars()
            )
        ids = []
        for digest, alert in prints.items():
            if digest in existing:
                continue
            ids.append(
                conn.execute(
                    insert(Alert)
                    .values(
                        kind=alert.kind,
                        rule=alert.rule,
                        fingerprint=digest,
                        claim_id=alert.claim_id,
                        article_id=alert.article_id,
                        status=alert.status,
                        previous_status=alert.previous_status,
                        summary=alert.summary,
                        evidence=alert.evidence,
                        details=alert.details,
                        at=now,
                    )
                    .returning(Alert.id)
                ).scalar_one()
            )
        _set_watermark(conn, max(r.updated_at for r in rows))
    return Detected(len(window), ids)
