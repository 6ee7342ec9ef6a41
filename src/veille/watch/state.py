"""Per-source and per-item state in the store, so that a restart resumes exactly where it stopped.

A source's validators and cursor are saved only once every item its document listed is done
(written, linked to a copy, known, or recorded as failed): a run stopped half-way leaves the old
state, the next run reads the document again and skips, by content hash, what was already written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, select, update
from sqlalchemy.dialects import postgresql, sqlite

from veille.store import Store
from veille.store.schema import ArticleRow
from veille.store.watch_tables import WatchItem, WatchSource

_CHUNK = 500  # keys per IN (...) query
MAX_ITEM_ATTEMPTS = 5  # a link that failed this many times in a row is left alone until it changes


def backoff(errors: int, *, base: dt.timedelta, cap: dt.timedelta) -> dt.timedelta:
    """Wait before the next try after ``errors`` failures in a row: base, 2×base, 4×base … up to cap."""
    if errors <= 0:
        return dt.timedelta(0)
    return min(base * (1 << min(errors - 1, 30)), cap)


@dataclass(frozen=True)
class SourceState:
    id: int
    url: str
    kind: str | None
    cursor: str | None
    etag: str | None
    last_modified: str | None
    error_count: int
    next_due: dt.datetime | None
    last_success: dt.datetime | None

    def due(self, now: dt.datetime) -> bool:
        return self.next_due is None or self.next_due <= now


@dataclass(frozen=True)
class ItemState:
    key: str
    source_id: int | None
    article_id: int | None
    content_hash: str | None
    signature: str | None
    attempts: int
    next_retry: dt.datetime | None
    meta: dict[str, str]


def upsert(
    conn: Connection, table: Table, rows: Sequence[dict[str, Any]], *, key: str, update_cols: Iterable[str]
) -> None:
    """Insert rows, or update ``update_cols`` of the row with the same ``key`` (SQLite and PostgreSQL)."""
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table)
    statement = statement.on_conflict_do_update(
        index_elements=[key], set_={col: statement.excluded[col] for col in update_cols}
    )
    conn.execute(statement, list(rows))


def _source(row: Any) -> SourceState:
    return SourceState(
        row.id,
        row.url,
        row.kind,
        row.cursor,
        row.etag,
        row.last_modified,
        row.error_count,
        row.next_due,
        row.last_success,
    )


def register_sources(store: Store, urls: Sequence[str], *, now: dt.datetime) -> list[SourceState]:
    """The state of each URL, in order; a URL never watched before is added (due at once)."""
    table = WatchSource.__table__
    with store.engines.write.begin() as conn:
        known = {r.url for r in conn.execute(select(WatchSource.url).where(WatchSource.url.in_(urls)))}
        fresh = [
            {"url": u, "error_count": 0, "created_at": now} for u in dict.fromkeys(urls) if u not in known
        ]
        if fresh:
            conn.execute(table.insert(), fresh)  # type: ignore[attr-defined]
        rows = {r.url: _source(r) for r in conn.execute(select(WatchSource).where(WatchSource.url.in_(urls)))}
    return [rows[u] for u in dict.fromkeys(urls)]


def load_sources(store: Store, ids: Sequence[int]) -> list[SourceState]:
    with store.read() as conn:
        rows = {r.id: _source(r) for r in conn.execute(select(WatchSource).where(WatchSource.id.in_(ids)))}
    return [rows[i] for i in ids if i in rows]


def save_source(store: Store, source_id: int, **values: Any) -> None:
    with store.engines.write.begin() as conn:
        conn.execute(update(WatchSource).where(WatchSource.id == source_id).values(**values))


def item_states(store: Store, keys: Iterable[str]) -> dict[str, ItemState]:
    """What the watcher knows about each key: its ``watch_items`` row, else the article stored under it."""
    wanted = list(dict.fromkeys(keys))
    found: dict[str, ItemState] = {}
    with store.read() as conn:
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            for r in conn.execute(select(WatchItem).where(WatchItem.key.in_(chunk))):
                found[r.key] = ItemState(
                    r.key,
                    r.source_id,
                    r.article_id,
                    r.content_hash,
                    r.signature,
                    r.attempts,
                    r.next_retry,
                    r.meta,
                )
            missing = [k for k in chunk if k not in found]
            if missing:  # stored by `veille ingest`, or before a crash let us record the item
                rows = conn.execute(
                    select(ArticleRow.source_key, ArticleRow.id, ArticleRow.content_hash).where(
                        ArticleRow.source_key.in_(missing)
                    )
                )
                for key, article_id, digest in rows:
                    found[key] = ItemState(key, None, article_id, digest, None, 0, None, {})
    return found


def article_by_hash(store: Store, digests: Iterable[str]) -> dict[str, int]:
    """``content hash → article id`` of articles already stored with that exact content."""
    wanted = list(dict.fromkeys(digests))
    found: dict[str, int] = {}
    with store.read() as conn:
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            rows = conn.execute(
                select(ArticleRow.content_hash, ArticleRow.id)
                .where(ArticleRow.content_hash.in_(chunk))
                .order_by(ArticleRow.id.desc())  # the oldest wins (last assignment)
            )
            found.update({digest: article_id for digest, article_id in rows})
    return found


def save_items(store: Store, rows: Sequence[dict[str, Any]]) -> None:
    """Insert or update ``watch_items`` rows (each with every column but ``id`` and ``first_seen``)."""
    if not rows:
        return
    columns = [c for c in rows[0] if c not in {"key", "first_seen"}]
    with store.engines.write.begin() as conn:
        upsert(conn, WatchItem.__table__, rows, key="key", update_cols=columns)  # type: ignore[arg-type]


def retries_due(store: Store, *, now: dt.datetime, limit: int = 200) -> list[ItemState]:
    """Items whose last read failed and whose next try has come."""
    with store.read() as conn:
        rows = conn.execute(
            select(WatchItem)
            .where(
                WatchItem.article_id.is_(None),
                WatchItem.attempts.between(1, MAX_ITEM_ATTEMPTS - 1),
                WatchItem.next_retry <= now,
            )
            .order_by(WatchItem.next_retry)
            .limit(limit)
        )
        return [
            ItemState(
                r.key,
                r.source_id,
                r.article_id,
                r.content_hash,
                r.signature,
                r.attempts,
                r.next_retry,
                r.meta,
            )
            for r in rows
        ]
