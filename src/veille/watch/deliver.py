"""Alert delivery: JSON lines to a file or stdout, or one HTTP POST per alert to a webhook.

At most once per destination: the ``alert_deliveries`` row is committed *before* the alert is
written or sent, so a crash between the two loses that one alert for that destination rather than
sending it twice. A webhook that could not be reached at all (connection refused, DNS) is tried
again on later cycles (the alert certainly did not arrive); any other failure is final. A
destination receives the alerts raised since it was first used (its start is kept in the store).

The webhook is the operator's own endpoint, named on the command line: it is not a watched
source, so the SSRF guard does not apply to it (an intranet chat hook is a normal target).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, TextIO

import httpx
from sqlalchemy import Connection, and_, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from veille.errors import InputError
from veille.store import Store
from veille.store.base import utcnow
from veille.store.schema import ArticleRow, StoreState
from veille.store.watch_tables import Alert, AlertDelivery

MAX_ATTEMPTS = 5
_WEBHOOK_TIMEOUT_S = 10.0


class DeliveryError(Exception):
    def __init__(self, message: str, *, retry: bool) -> None:
        super().__init__(message)
        self.retry = retry


class Sink(Protocol):
    destination: str  # identity in alert_deliveries

    def send(self, payload: dict[str, Any]) -> None: ...

    def close(self) -> None: ...


class LinesSink:
    """JSON lines appended to a file (``-``: stdout), flushed after each alert."""

    def __init__(self, target: str, *, stdout: TextIO | None = None) -> None:
        self._handle: TextIO | None = None
        if target == "-":
            self.destination = "stdout"
            self._stdout: TextIO | None = stdout or sys.stdout
            return
        path = Path(target).expanduser().resolve()
        if path.is_dir():
            raise InputError("is a directory, not an alerts file", source=target)
        self.destination = f"file://{path}"
        self._path = path
        self._stdout = None

    def send(self, payload: dict[str, Any]) -> None:
        line = json.dumps(payload, ensure_ascii=False) + "\n"
        try:
            if self._stdout is not None:
                self._stdout.write(line)
                self._stdout.flush()
                return
            if self._handle is None:
                self._path.parent.mkdir(parents=True, exist_ok=True)
                self._handle = self._path.open("a", encoding="utf-8")
            self._handle.write(line)
            self._handle.flush()
            os.fsync(self._handle.fileno())
        except OSError as exc:
            raise DeliveryError(f"cannot write ({exc.strerror or exc})", retry=False) from None

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


class WebhookSink:
    """One JSON POST per alert; a 2xx answer means delivered."""

    def __init__(self, url: str, *, user_agent: str, client: httpx.Client | None = None) -> None:
        self.destination = url
        self._client = client or httpx.Client(
            timeout=_WEBHOOK_TIMEOUT_S, trust_env=False, headers={"User-Agent": user_agent}
        )

    def send(self, payload: dict[str, Any]) -> None:
        try:
            response = self._client.post(self.destination, json=payload)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise DeliveryError(f"cannot connect ({exc})", retry=True) from None
        except httpx.HTTPError as exc:
            raise DeliveryError(f"failed ({type(exc).__name__}: {exc})", retry=False) from None
        if not response.is_success:
            raise DeliveryError(f"HTTP {response.status_code}", retry=False)

    def close(self) -> None:
        self._client.close()


def make_sink(target: str, *, user_agent: str) -> Sink:
    if target.lower().startswith(("http://", "https://")):
        return WebhookSink(target, user_agent=user_agent)
    return LinesSink(target)


def payload(row: Any) -> dict[str, Any]:
    """An alert row (with its article's url and title) as one JSON object, the contract's keys first."""
    return {
        "kind": row.kind,
        "claim_id": row.claim_id,
        "article_id": row.article_id,
        "evidence": row.evidence,
        "at": row.at.isoformat(timespec="seconds") + "Z",
        "id": row.id,
        "rule": row.rule,
        "status": row.status,
        "previous_status": row.previous_status,
        "summary": row.summary,
        "url": row.url,
        "title": row.title,
        "details": row.details,
    }


def _start_key(destination: str) -> str:
    return "watch_dest_" + hashlib.sha256(destination.encode()).hexdigest()[:40]


def _start(conn: Connection, destination: str) -> int:
    """Alerts after this id go to ``destination`` (set when it is first used)."""
    key = _start_key(destination)
    value = conn.execute(select(StoreState.value).where(StoreState.key == key)).scalar()
    if value is None:
        value = str(conn.execute(select(func.coalesce(func.max(Alert.id), 0))).scalar_one())
        conn.execute(insert(StoreState).values(key=key, value=value))
    return int(value)


def register(store: Store, sinks: Sequence[Sink]) -> None:
    """Record where each destination starts (call before detecting anything)."""
    with store.engines.write.begin() as conn:
        for sink in sinks:
            _start(conn, sink.destination)


def _pending(conn: Connection, destination: str, start: int) -> list[Any]:
    delivery = and_(AlertDelivery.alert_id == Alert.id, AlertDelivery.destination == destination)
    query = (
        select(
            *Alert.__table__.columns,
            ArticleRow.url,
            ArticleRow.title,
            AlertDelivery.status.label("delivery_status"),
            AlertDelivery.attempts.label("delivery_attempts"),
        )
        .outerjoin(AlertDelivery, delivery)
        .outerjoin(ArticleRow, ArticleRow.id == Alert.article_id)
        .where(
            Alert.id > start,
            or_(
                AlertDelivery.status.is_(None),  # never tried
                and_(AlertDelivery.status == "retry", AlertDelivery.attempts < MAX_ATTEMPTS),
            ),
        )
        .order_by(Alert.id)
    )
    return list(conn.execute(query))


def _claim(store: Store, alert_id: int, destination: str, *, attempts: int | None) -> bool:
    """Mark the delivery as under way, before sending (at most once)."""
    match = and_(
        AlertDelivery.alert_id == alert_id,
        AlertDelivery.destination == destination,
        AlertDelivery.status == "retry",
    )
    try:
        with store.engines.write.begin() as conn:
            if attempts is None:
                conn.execute(
                    insert(AlertDelivery).values(
                        alert_id=alert_id, destination=destination, status="sending", attempts=1, at=utcnow()
                    )
                )
                return True
            changed = conn.execute(
                update(AlertDelivery)
                .where(match)
                .values(status="sending", attempts=attempts + 1, at=utcnow())
            )
            return bool(changed.rowcount)
    except IntegrityError:
        return False


def deliver(store: Store, sinks: Sequence[Sink]) -> int:
    """Send every alert not yet sent to each sink; return how many were delivered."""
    delivered = 0
    for sink in sinks:
        with store.engines.write.begin() as conn:
            rows = _pending(conn, sink.destination, _start(conn, sink.destination))
        for row in rows:
            if not _claim(store, row.id, sink.destination, attempts=row.delivery_attempts):
                continue  # another watcher on the same store took it
            try:
                sink.send(payload(row))
                status, error = "sent", None
                delivered += 1
            except DeliveryError as exc:
                status, error = ("retry" if exc.retry else "failed"), str(exc)
            with store.engines.write.begin() as conn:
                conn.execute(
                    update(AlertDelivery)
                    .where(AlertDelivery.alert_id == row.id, AlertDelivery.destination == sink.destination)
                    .values(status=status, error=error, at=utcnow())
                )
    return delivered
