"""The store: one object per open database, wrapping the write path, runs and relinking.

>>> store = Store.open("sqlite:///veille.sqlite")   # migrates to the latest schema
>>> store.write(analysis, SourceInfo(key=..., content_hash=...))
>>> store.relink()                                   # dedup groups, event and claim clusters
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.exc import SQLAlchemyError

from veille import __version__
from veille.errors import StoreError
from veille.models import Analysis
from veille.store import dedup
from veille.store.engine import Engines, create_engines, migrate, redact
from veille.store.linking import LinkStats, relink
from veille.store.schema import ArticleRow, IngestFailure, IngestRun, StoreState, utcnow
from veille.store.write import LINKS_DIRTY, SourceInfo, WriteResult, mark_links_dirty, write_analysis

_LOOKUP_CHUNK = 500  # keys per IN (...) query: well under SQLite's and PostgreSQL's parameter limits


@dataclass(frozen=True)
class RelinkStats:
    duplicate_groups: int
    links: LinkStats


class Store:
    """An open database. Use :meth:`open`; close with :meth:`close` (or ``with Store.open(...)``)."""

    def __init__(self, engines: Engines, *, dedup_threshold: float = dedup.DEFAULT_THRESHOLD) -> None:
        self.engines = engines
        self.dedup_threshold = dedup_threshold

    @classmethod
    def open(cls, db_url: str, *, dedup_threshold: float = dedup.DEFAULT_THRESHOLD) -> Store:
        engines = create_engines(db_url)
        try:
            migrate(engines)
        except Exception:
            engines.dispose()
            raise
        return cls(engines, dedup_threshold=dedup_threshold)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.engines.dispose()

    @property
    def url(self) -> str:
        return redact(self.engines.url)

    def read(self) -> Connection:
        """A connection for reading (never blocks the writer)."""
        return self.engines.read.connect()

    def _write(self) -> Any:
        return self.engines.write.begin()

    def known_hashes(self, keys: Iterable[str]) -> dict[str, str]:
        """``source_key → content_hash`` of the keys already stored."""
        found: dict[str, str] = {}
        wanted = list(dict.fromkeys(keys))
        with self.read() as conn:
            for start in range(0, len(wanted), _LOOKUP_CHUNK):
                chunk = wanted[start : start + _LOOKUP_CHUNK]
                rows = conn.execute(
                    select(ArticleRow.source_key, ArticleRow.content_hash).where(
                        ArticleRow.source_key.in_(chunk)
                    )
                )
                found.update({key: digest for key, digest in rows})
        return found

    def write(self, analysis: Analysis, source: SourceInfo, *, run_id: int | None = None) -> WriteResult:
        """Insert, replace or skip one article, in its own transaction."""
        try:
            with self._write() as conn:
                return write_analysis(
                    conn, analysis, source, run_id=run_id, dedup_threshold=self.dedup_threshold
                )
        except SQLAlchemyError as exc:
            raise StoreError(
                f"cannot write article ({type(exc).__name__}: {exc})", source=source.key
            ) from None

    def start_run(self, inputs: Sequence[str]) -> int:
        with self._write() as conn:
            return int(
                conn.execute(
                    insert(IngestRun)
                    .values(inputs=list(inputs), veille_version=__version__, started_at=utcnow())
                    .returning(IngestRun.id)
                ).scalar_one()
            )

    def record_failure(self, run_id: int, source: str, reason: str) -> None:
        with self._write() as conn:
            conn.execute(insert(IngestFailure).values(run_id=run_id, source=source, reason=reason))

    def finish_run(self, run_id: int, *, counts: dict[str, int], status: str = "done") -> None:
        with self._write() as conn:
            conn.execute(
                update(IngestRun)
                .where(IngestRun.id == run_id)
                .values(
                    status=status,
                    finished_at=utcnow(),
                    n_new=counts.get("new", 0),
                    n_unchanged=counts.get("unchanged", 0),
                    n_updated=counts.get("updated", 0),
                    n_failed=counts.get("failed", 0),
                )
            )

    def links_dirty(self) -> bool:
        with self.read() as conn:
            value = conn.execute(select(StoreState.value).where(StoreState.key == LINKS_DIRTY)).scalar()
        return value == "1"

    def relink(self, *, force: bool = False) -> RelinkStats | None:
        """Rebuild dedup groups and event/claim clusters when articles changed since the last time."""
        if not force and not self.links_dirty():
            return None
        try:
            with self._write() as conn:
                # Clear the flag first: on PostgreSQL this locks it, so an article committed while
                # we link sets it again afterwards instead of being lost.
                mark_links_dirty(conn, dirty=False)
                groups = dedup.regroup(conn)
                stats = relink(conn)
        except SQLAlchemyError as exc:
            raise StoreError(f"cannot link articles ({type(exc).__name__}: {exc})", source=self.url) from None
        return RelinkStats(groups, stats)
