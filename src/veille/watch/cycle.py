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
from collections.abc import Callable, Sequence
from typing import Any

import anyio.to_thread

from veille.errors import FetchError
from veille.ingest.items import Skipped
from veille.ingest.raw import RawDocument
from veille.settings import Settings
from veille.store import Store
from veille.store.base import utcnow
from veille.watch import deliver, detect
from veille.watch.deliver import Sink
from veille.watch.documents import Listed
from veille.watch.http import PoliteClient
from veille.watch.intake import Intake, IntakeContext
from veille.watch.options import Analyzer, CycleReport, WatchOptions, pipeline
from veille.watch.plan import Plan, decide
from veille.watch.poll import Poll, fetch_page, poll_source
from veille.watch.state import item_states, load_sources, register_sources, retries_due, save_source
from veille.watch.watchlist import DEFAULT_WATCHLIST, Watchlist


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
        analyzer: Analyzer = pipeline,
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
        context = IntakeContext(self.store, self.settings, self.options, self.analyzer, self.stop, self.urls)
        ingest = Intake(context, now, report, done)
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


__all__ = ["CycleReport", "WatchOptions", "Watcher"]
