"""One polling cycle: read what is due, analyse what is new, store it, re-link, detect and deliver alerts.

Order of work, and why it is safe to stop (SIGTERM) between any two steps:

1. due sources are read concurrently (conditional GET); unchanged ones cost one request;
2. their items are planned (:mod:`veille.watch.plan`) against the store, links read concurrently;
3. new documents are analysed a batch at a time and each article committed on its own; the stop
   flag is checked between batches (the safe point);
4. a source's validators and cursor are saved only when all its items are done, so a stopped run
   leaves it due, and the next run skips by content hash what was written;
5. links are rebuilt when articles changed, alerts detected and stored in one transaction, then
   delivered (each at most once per destination).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import anyio.to_thread

from veille.errors import FetchError, StoreError, VeilleError
from veille.ingest.items import Skipped
from veille.ingest.raw import RawDocument
from veille.models import Analysis, Failure
from veille.settings import Settings
from veille.store import SourceInfo, Store
from veille.store.base import utcnow
from veille.watch import deliver, detect
from veille.watch.deliver import Sink
from veille.watch.documents import Listed
from veille.watch.http import ClientLimits, PoliteClient
from veille.watch.plan import Candidate, Plan, decide, item_row, raw_digest
from veille.watch.poll import Poll, fetch_page, poll_source
from veille.watch.state import (
    MAX_ITEM_ATTEMPTS,
    article_by_hash,
    backoff,
    item_states,
    load_sources,
    register_sources,
    retries_due,
    save_items,
    save_source,
)
from veille.watch.watchlist import DEFAULT_WATCHLIST, Watchlist

if TYPE_CHECKING:
    from veille.pipeline import AnalyzeOptions

# ``veille.pipeline.analyze_many``'s signature: (raws, *, settings, options) -> results in order.
Analyzer = Callable[..., Iterable[Analysis | Failure]]


def _pipeline(
    raws: list[RawDocument], *, settings: Settings, options: AnalyzeOptions
) -> Iterable[Analysis | Failure]:
    from veille.pipeline import analyze_many  # spaCy is imported only when there is work for it

    return analyze_many(raws, settings=settings, options=options)


@dataclass(frozen=True, kw_only=True)
class WatchOptions:
    every: dt.timedelta = dt.timedelta(minutes=15)
    backoff_base: dt.timedelta | None = None  # default: the heartbeat, at least one minute
    backoff_cap: dt.timedelta = dt.timedelta(hours=6)
    limits: ClientLimits = field(default_factory=ClientLimits)
    analyze: AnalyzeOptions | None = None  # default: AnalyzeOptions() (language detected)

    def retry_in(self, errors: int, *, at_least_s: float | None = None) -> dt.timedelta:
        base = self.backoff_base or max(self.every, dt.timedelta(minutes=1))
        wait = backoff(errors, base=base, cap=self.backoff_cap)
        return max(wait, dt.timedelta(seconds=at_least_s or 0))


@dataclass
class CycleReport:
    number: int
    sources: int = 0  # due and read
    unchanged_sources: int = 0
    failed_sources: int = 0
    pages: int = 0  # linked pages read
    counts: Counter[str] = field(default_factory=Counter)  # new, updated, unchanged, copies, failed, waiting
    analysed: int = 0
    alerts: int = 0
    delivered: int = 0
    interrupted: bool = False
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    problems: list[Skipped] = field(default_factory=list)

    def summary_line(self) -> str:
        c = self.counts
        line = (
            f"cycle {self.number}: {self.sources} sources ({self.unchanged_sources} unchanged, "
            f"{self.failed_sources} failed), {self.pages} pages read; "
            f"{c['new']} new, {c['updated']} updated, {c['copies']} copies, "
            f"{c['unchanged']} unchanged, {c['failed']} failed; "
            f"{self.analysed} analysed; {self.alerts} alerts, {self.delivered} delivered "
            f"in {self.seconds:.1f} s ({self.cpu_seconds:.1f} s CPU)"
        )
        return line + (" — interrupted" if self.interrupted else "")


class Watcher:
    """The sources under watch and everything one cycle needs; call :meth:`start` once, then :meth:`cycle`."""

    def __init__(
        self,
        store: Store,
        urls: Sequence[str],
        *,
        settings: Settings,
        options: WatchOptions | None = None,
        watchlist: Watchlist = DEFAULT_WATCHLIST,
        sinks: Sequence[Sink] = (),
        analyzer: Analyzer = _pipeline,
        clock: Callable[[], dt.datetime] = utcnow,
        stop: threading.Event | None = None,
    ) -> None:
        self.store, self.urls, self.settings = store, list(urls), settings
        self.options = options or WatchOptions()
        self.watchlist, self.sinks, self.analyzer, self.clock = watchlist, list(sinks), analyzer, clock
        self.stop = stop or threading.Event()
        self.source_ids: list[int] = []
        self.cycles = 0

    def start(self) -> None:
        self.source_ids = [s.id for s in register_sources(self.store, self.urls, now=self.clock())]
        detect.prime(self.store)
        deliver.register(self.store, self.sinks)

    async def cycle(self, client: PoliteClient) -> CycleReport:
        self.cycles += 1
        report = CycleReport(self.cycles)
        wall, cpu = time.perf_counter(), time.process_time()
        now = self.clock()
        due = [s for s in load_sources(self.store, self.source_ids) if s.due(now)]
        polls = list(await asyncio.gather(*(poll_source(client, s, settings=self.settings) for s in due)))
        report.sources = len(polls)
        plan = await anyio.to_thread.run_sync(self._plan, polls, now, report)
        pages = await asyncio.gather(*(fetch_page(client, item) for item, _, _ in plan.to_fetch))
        report.pages = len(pages)
        await anyio.to_thread.run_sync(self._finish, polls, plan, list(pages), now, report)
        report.seconds, report.cpu_seconds = time.perf_counter() - wall, time.process_time() - cpu
        return report

    # -- planning ------------------------------------------------------------------------------

    def _plan(self, polls: list[Poll], now: dt.datetime, report: CycleReport) -> Plan:
        listed: list[tuple[Listed, int | None]] = []
        for poll in polls:
            if poll.listing is None:
                continue
            poll.keys = list(dict.fromkeys(item.key for item in poll.listing.items))
            listed += [(item, poll.source.id) for item in poll.listing.items]
            report.problems += poll.listing.skipped
        listed_keys = {item.key for item, _ in listed}
        for state in retries_due(self.store, now=now):
            if state.key not in listed_keys:
                item = Listed(
                    key=state.key,
                    source=state.key,
                    fetch=state.key,
                    meta=state.meta,
                    signature=state.signature or "",
                )
                listed.append((item, state.source_id))
        plan = decide(listed, item_states(self.store, (item.key for item, _ in listed)), now=now)
        report.counts["unchanged"] += plan.unchanged
        report.counts["waiting"] += plan.waiting
        return plan

    # -- ingest, state, links, alerts -------------------------------------------------------------

    def _finish(
        self,
        polls: list[Poll],
        plan: Plan,
        pages: list[RawDocument | FetchError],
        now: dt.datetime,
        report: CycleReport,
    ) -> None:
        done: set[str] = set(plan.settled)
        ingest = _Ingest(self, now, report, done)
        candidates = ingest.read_pages(plan, pages)
        ingest.run(plan.candidates + candidates)
        report.interrupted = self.stop.is_set()
        self._save_sources(polls, done, now, report)
        if report.interrupted:
            return  # links and alerts are completed by the next run (dirty flag, watermark)
        if ingest.written or self.cycles == 1:
            self.store.relink()
            report.alerts = len(detect.detect(self.store, self.watchlist, now=now).alert_ids)
        if self.sinks:
            report.delivered = deliver.deliver(self.store, self.sinks)

    def _save_sources(self, polls: list[Poll], done: set[str], now: dt.datetime, report: CycleReport) -> None:
        next_beat = now + self.options.every
        for poll in polls:
            source = poll.source
            if poll.outcome == "failed":
                report.failed_sources += 1
                errors = source.error_count + 1
                wait = self.options.retry_in(errors, at_least_s=poll.retry_after)
                report.problems.append(Skipped(source.url, poll.error or "failed"))
                save_source(
                    self.store,
                    source.id,
                    error_count=errors,
                    last_error=poll.error,
                    last_checked=now,
                    next_due=now + wait,
                )
                continue
            if poll.outcome == "changed" and not all(k in done for k in poll.keys):
                save_source(self.store, source.id, last_checked=now)  # stopped half-way: due again
                continue
            report.unchanged_sources += poll.outcome == "unchanged"
            values: dict[str, Any] = {
                "kind": poll.kind,
                "etag": poll.etag,
                "last_modified": poll.last_modified,
                "error_count": 0,
                "last_error": None,
                "last_checked": now,
                "last_success": now,
                "next_due": next_beat,
            }
            if poll.digest is not None:
                values["cursor"] = poll.digest
            save_source(self.store, source.id, **values)


class _Ingest:
    """Reads linked pages' results, links copies, analyses and writes the rest (a batch at a time)."""

    def __init__(self, watcher: Watcher, now: dt.datetime, report: CycleReport, done: set[str]) -> None:
        self.w, self.now, self.report, self.done = watcher, now, report, done
        self.written = 0
        self.run_id: int | None = None

    def _retry_at(self, attempts: int) -> dt.datetime:
        return self.now + self.w.options.retry_in(attempts)

    def read_pages(self, plan: Plan, pages: list[RawDocument | FetchError]) -> list[Candidate]:
        rows, candidates = [], []
        for (item, source_id, previous), page in zip(plan.to_fetch, pages, strict=True):
            if isinstance(page, FetchError):
                self.report.counts["failed"] += 1
                self.report.problems.append(Skipped(item.source, page.message))
                self.done.add(item.key)
                if previous is not None and previous.article_id is not None:
                    # A stored article whose new version could not be read: keep the old signature
                    # so that the change is noticed (and read) again next time.
                    rows.append(
                        item_row(
                            item,
                            source_id=source_id,
                            now=self.now,
                            article_id=previous.article_id,
                            digest=previous.content_hash,
                            signature=previous.signature,
                            error=page.message,
                        )
                    )
                    continue
                attempts = (previous.attempts if previous else 0) + 1
                rows.append(
                    item_row(
                        item,
                        source_id=source_id,
                        now=self.now,
                        article_id=None,
                        digest=None,
                        attempts=attempts,
                        error=page.message,
                        next_retry=self._retry_at(attempts),
                    )
                )
                continue
            digest = raw_digest(page)
            if previous is not None and previous.article_id is not None and previous.content_hash == digest:
                self.report.counts["unchanged"] += 1
                rows.append(
                    item_row(
                        item, source_id=source_id, now=self.now, article_id=previous.article_id, digest=digest
                    )
                )
                self.done.add(item.key)
                continue
            candidates.append(Candidate(item, page, digest, source_id, previous))
        save_items(self.w.store, rows)
        return candidates

    def run(self, candidates: list[Candidate]) -> None:
        stored = article_by_hash(self.w.store, (c.digest for c in candidates))
        rows: list[dict[str, Any]] = []
        first_of: dict[str, Candidate] = {}
        followers: list[Candidate] = []
        to_analyse: list[Candidate] = []
        for c in candidates:
            article_id = stored.get(c.digest)
            if article_id is not None:  # these exact bytes are stored already
                kind = (
                    "unchanged"
                    if c.previous is not None and c.previous.article_id == article_id
                    else "copies"
                )
                self.report.counts[kind] += 1
                rows.append(
                    item_row(
                        c.item, source_id=c.source_id, now=self.now, article_id=article_id, digest=c.digest
                    )
                )
                self.done.add(c.item.key)
            elif c.digest in first_of:
                followers.append(c)  # the same bytes twice in this cycle: analysed once
            else:
                first_of[c.digest] = c
                to_analyse.append(c)
        save_items(self.w.store, rows)
        written: dict[str, int] = {}
        size = max(1, self.w.settings.batch_size)
        for start in range(0, len(to_analyse), size):
            if self.w.stop.is_set():
                break
            written.update(self._batch(to_analyse[start : start + size]))
        rows = []
        for c in followers:
            if c.digest in written:
                self.report.counts["copies"] += 1
                rows.append(
                    item_row(
                        c.item,
                        source_id=c.source_id,
                        now=self.now,
                        article_id=written[c.digest],
                        digest=c.digest,
                    )
                )
                self.done.add(c.item.key)
        save_items(self.w.store, rows)
        if self.run_id is not None:
            counts = {k: self.report.counts[k] for k in ("new", "unchanged", "updated", "failed")}
            status = "interrupted" if self.w.stop.is_set() else "done"
            self.w.store.finish_run(self.run_id, counts=counts, status=status)

    def _analyse(self, raws: list[RawDocument]) -> list[Analysis | Failure]:
        from veille.pipeline import AnalyzeOptions

        settings, options = self.w.settings, self.w.options.analyze or AnalyzeOptions()
        try:
            return list(self.w.analyzer(raws, settings=settings, options=options))
        except Exception:  # one document broke the batch (a bug, not bad input): isolate it
            results: list[Analysis | Failure] = []
            for raw in raws:
                try:
                    results += list(self.w.analyzer([raw], settings=settings, options=options))
                except Exception as exc:
                    why = (
                        exc.message
                        if isinstance(exc, VeilleError)
                        else f"analysis error ({type(exc).__name__}: {exc})"
                    )
                    results.append(Failure(source=raw.source, error=why))
            return results

    def _batch(self, batch: list[Candidate]) -> dict[str, int]:
        results = self._analyse([c.raw for c in batch])
        self.report.analysed += len(batch)
        rows: list[dict[str, Any]] = []
        written: dict[str, int] = {}
        for c, result in zip(batch, results, strict=True):
            if isinstance(result, Failure):  # bad input: not retried until the item changes
                self.report.counts["failed"] += 1
                self.report.problems.append(Skipped(c.item.source, result.error))
                rows.append(
                    item_row(
                        c.item,
                        source_id=c.source_id,
                        now=self.now,
                        article_id=None,
                        digest=c.digest,
                        attempts=MAX_ITEM_ATTEMPTS,
                        error=result.error,
                    )
                )
                self.done.add(c.item.key)
                continue
            if self.run_id is None:
                self.run_id = self.w.store.start_run(["watch", *self.w.urls])
            info = SourceInfo(key=c.item.key, content_hash=c.digest, url=c.raw.url, meta=c.raw.meta)
            try:
                result_w = self.w.store.write(result, info, run_id=self.run_id)
            except StoreError as exc:  # not done: the source stays due and the item is read again
                self.report.counts["failed"] += 1
                self.report.problems.append(Skipped(c.item.source, exc.message))
                continue
            self.report.counts[result_w.status] += 1
            self.written += result_w.status != "unchanged"
            if result_w.article_id is not None:
                written[c.digest] = result_w.article_id
            rows.append(
                item_row(
                    c.item,
                    source_id=c.source_id,
                    now=self.now,
                    article_id=result_w.article_id,
                    digest=c.digest,
                )
            )
            self.done.add(c.item.key)
        save_items(self.w.store, rows)
        return written
