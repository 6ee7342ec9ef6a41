"""Batch ingest: discover documents, skip what the store already has, analyse the rest, write each.

Idempotent and resumable: each document's content hash is compared with the store *before* any
analysis (a second run over the same inputs reads and hashes, nothing more); each article is
committed on its own, so a run killed at any point leaves a consistent store, and the next run
does only what is missing. Failures (bad input, analysis errors, write errors) are counted, kept
with their reason in ``ingest_failures``, and never stop the batch. Dedup groups and cross-article
links are rebuilt once at the end, when something changed (or a killed run left them stale).
"""

from __future__ import annotations

import contextlib
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice

from veille.errors import StoreError, VeilleError
from veille.ingest import read_source
from veille.ingest.discover import discover, estimate_total
from veille.ingest.items import Entry, Item, Skipped
from veille.ingest.raw import RawDocument
from veille.models import Analysis, Failure
from veille.pipeline import AnalyzeOptions, analyze, analyze_many
from veille.settings import Settings
from veille.store.core import RelinkStats, Store
from veille.store.write import SourceInfo, content_hash

_LOOKUP_BATCH = 256


@dataclass(frozen=True)
class IngestProgress:
    done: int
    total: int | None
    counts: dict[str, int]
    current: str


ProgressCallback = Callable[[IngestProgress], None]


@dataclass
class IngestReport:
    run_id: int
    counts: Counter[str] = field(default_factory=Counter)
    failures: list[Skipped] = field(default_factory=list)
    seconds: float = 0.0
    relinked: RelinkStats | None = None

    @property
    def done(self) -> int:
        return sum(self.counts[k] for k in ("new", "unchanged", "updated", "failed"))

    def summary_line(self) -> str:
        c = self.counts
        rate = (c["new"] + c["updated"]) / self.seconds if self.seconds else 0.0
        line = (
            f"{c['new']} new, {c['unchanged']} unchanged, {c['updated']} updated, {c['failed']} failed"
            f" in {self.seconds:.1f} s ({rate:.2f} analysed/s)"
        )
        if self.failures:
            reasons = Counter(f.reason.split(" (")[0] for f in self.failures).most_common(3)
            line += "; failures: " + "; ".join(f"{n}× {why}" for why, n in reasons)
        return line


def _raw_hash(raw: RawDocument) -> str:
    return content_hash(raw.data if raw.data is not None else raw.text or "")


def _analyse(
    raws: Sequence[RawDocument], settings: Settings, options: AnalyzeOptions
) -> list[Analysis | Failure]:
    try:
        return list(analyze_many(raws, settings=settings, options=options))
    except Exception:  # one document broke the batch (a bug, not bad input): isolate it
        results: list[Analysis | Failure] = []
        for raw in raws:
            try:
                results.append(analyze(raw, settings=settings, options=options))
            except VeilleError as exc:
                results.append(Failure(source=raw.source, error=exc.message))
            except Exception as exc:
                results.append(
                    Failure(source=raw.source, error=f"analysis error ({type(exc).__name__}: {exc})")
                )
        return results


def _chunks(entries: Iterable[Entry], size: int) -> Iterator[list[Entry]]:
    iterator = iter(entries)
    while chunk := list(islice(iterator, size)):
        yield chunk


class _Run:
    def __init__(
        self,
        store: Store,
        settings: Settings,
        report: IngestReport,
        total: int | None,
        progress: ProgressCallback | None,
    ) -> None:
        self.store, self.settings, self.report = store, settings, report
        self.total, self.progress = total, progress

    def tick(self, current: str) -> None:
        if self.progress is not None:
            done = self.report.done
            total = max(self.total, done) if self.total is not None else None
            self.progress(IngestProgress(done, total, dict(self.report.counts), current))

    def fail(self, source: str, reason: str) -> None:
        self.report.counts["failed"] += 1
        self.report.failures.append(Skipped(source, reason))
        # If even that cannot be written, the failure is still counted and on the summary line.
        with contextlib.suppress(StoreError):
            self.store.record_failure(self.report.run_id, source, reason)
        self.tick(source)

    def unchanged(self, source: str) -> None:
        self.report.counts["unchanged"] += 1
        self.tick(source)

    def write_batch(self, batch: list[tuple[RawDocument, SourceInfo]], options: AnalyzeOptions) -> None:
        results = _analyse([raw for raw, _ in batch], self.settings, options)
        for (raw, info), result in zip(batch, results, strict=True):
            if isinstance(result, Failure):
                self.fail(raw.source, result.error)
                continue
            try:
                written = self.store.write(result, info, run_id=self.report.run_id)
            except StoreError as exc:
                self.fail(raw.source, exc.message)
                continue
            except Exception as exc:  # a bug on one article must not stop the batch
                self.fail(raw.source, f"internal error ({type(exc).__name__}: {exc})")
                continue
            self.report.counts[written.status] += 1
            self.tick(raw.source)


def ingest(
    inputs: Sequence[str],
    *,
    store: Store,
    settings: Settings | None = None,
    options: AnalyzeOptions | None = None,
    progress: ProgressCallback | None = None,
    refresh: bool = False,
    fetch_links: bool = True,
) -> IngestReport:
    """Ingest every document named by ``inputs`` into ``store``; see the module doc.

    ``refresh`` re-fetches URLs the store already has (by default a known URL is not fetched
    again); ``fetch_links`` lets feed items with only a teaser be read from their link.
    """
    settings = settings or Settings()
    options = options or AnalyzeOptions()
    started = time.monotonic()
    report = IngestReport(run_id=store.start_run(inputs))
    run = _Run(store, settings, report, estimate_total(inputs, settings=settings), progress)
    status = "interrupted"

    def reader(url: str) -> RawDocument:
        return read_source(url, settings=settings)

    try:
        batch: list[tuple[RawDocument, SourceInfo]] = []
        for chunk in _chunks(discover(inputs, settings=settings, fetch_links=fetch_links), _LOOKUP_BATCH):
            known = store.known_hashes(e.key for e in chunk if isinstance(e, Item))
            for entry in chunk:
                if isinstance(entry, Skipped):
                    run.fail(entry.source, entry.reason)
                    continue
                if entry.raw is None and entry.key in known and not refresh:
                    run.unchanged(entry.source)  # a known URL: not fetched again
                    continue
                try:
                    raw = entry.load(reader)
                except VeilleError as exc:
                    run.fail(entry.source, exc.message)
                    continue
                if not (raw.data or raw.text or "").strip():
                    run.fail(entry.source, "empty document")
                    continue
                digest = _raw_hash(raw)
                if known.get(entry.key) == digest:
                    run.unchanged(entry.source)
                    continue
                batch.append(
                    (raw, SourceInfo(key=entry.key, content_hash=digest, url=raw.url, meta=raw.meta))
                )
                if len(batch) >= settings.batch_size:
                    run.write_batch(batch, options)
                    batch = []
        if batch:
            run.write_batch(batch, options)
        report.relinked = store.relink()
        status = "done"
    finally:
        report.seconds = time.monotonic() - started
        with contextlib.suppress(StoreError):  # the database went away: nothing more to record
            store.finish_run(report.run_id, counts=dict(report.counts), status=status)
    return report
