"""The intake of one cycle: linked pages read, copies linked, new documents analysed and stored.

Exactly once: a document whose bytes are already stored (under any key) is linked, not analysed;
the same bytes twice in one cycle are analysed once. Documents are analysed a batch at a time and
each article is committed on its own; the stop flag is checked between batches (the safe point).
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import Any

from veille.errors import FetchError, StoreError, VeilleError
from veille.ingest.items import Skipped
from veille.ingest.raw import RawDocument
from veille.models import Analysis, Failure
from veille.settings import Settings
from veille.store import SourceInfo, Store
from veille.watch.options import Analyzer, CycleReport, WatchOptions
from veille.watch.plan import Candidate, Plan, item_row, raw_digest
from veille.watch.state import MAX_ITEM_ATTEMPTS, article_by_hash, save_items


@dataclass(frozen=True)
class IntakeContext:
    """What the intake needs from the watcher."""

    store: Store
    settings: Settings
    options: WatchOptions
    analyzer: Analyzer
    stop: threading.Event
    urls: list[str]


class Intake:
    """Reads linked pages' results, links copies, analyses and writes the rest (a batch at a time).

    ``done`` collects the keys that need nothing more this cycle: a source whose keys are all done
    gets its validators and cursor saved.
    """

    def __init__(self, context: IntakeContext, now: dt.datetime, report: CycleReport, done: set[str]) -> None:
        self.w, self.now, self.report, self.done = context, now, report, done
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
