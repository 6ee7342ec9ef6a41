"""The executor side of the job: one partition of entries → staging rows, through ``analyze_many``.

The spaCy pipelines are loaded by ``veille.annotate.nlp.get_nlp``, which caches them per process.
Workers are forked from veille's daemon after it loaded them (:mod:`veille.batch.daemon`), and
reused for later partitions (``spark.python.worker.reuse``); a worker started some other way loads
a language's model on its first article of that language and keeps it. Entries go through
``analyze_many`` a batch at a time (``nlp.pipe`` batching inside); a batch that raises something
unexpected is re-run article by article so that only the guilty article ends in the errors table,
with the exception as reason. A missing model is an installation problem and fails the job instead.

The functions a worker runs live here rather than in :mod:`veille.batch.job`, which the driver
alone needs: a worker forked from veille's daemon (:mod:`veille.batch.daemon`) finds this module
already imported and imports nothing more to start its first partition.
"""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from pyspark.accumulators import Accumulator, AccumulatorParam

from veille.batch.daemon import ROLE_ENV
from veille.batch.records import TooManyRecords, article_row, error_row
from veille.errors import InputError, ModelError, VeilleError
from veille.evaluate.proctree import proc_mb
from veille.ingest.items import Entry, Item
from veille.ingest.raw import RawDocument
from veille.models import Analysis, Failure
from veille.pipeline import AnalyzeOptions, analyze, analyze_many
from veille.settings import Settings


@dataclass(frozen=True)
class PartitionStats:
    """What one partition cost, measured inside the Python worker that ran it."""

    partition: int
    pid: int
    articles: int
    errors: int
    events: int
    quotes: int
    claims: int
    seconds: float  # wall time, including waits for Spark to take the rows
    cpu_seconds: float  # this process's CPU time over the same span
    peak_rss_mb: float
    # How the worker started: "zygote" (forked from a daemon that warmed up while Spark started),
    # "daemon" (forked from veille's daemon, warmed up on the first task), "pyspark" (Spark's own
    # daemon: the worker loaded the models itself).
    started_by: str = "pyspark"


def peak_rss_mb() -> float:
    """Peak resident memory of this process (VmHWM), in MB; 0.0 where /proc is unavailable."""
    return proc_mb("/proc/self/status", "VmHWM:")


def _no_fetch(url: str) -> RawDocument:
    raise InputError("batch inputs are read from files; URLs are not fetched", source=url)


def _internal(exc: Exception) -> str:
    return f"internal error ({type(exc).__name__}: {exc})"


def _analyse_batch(
    batch: list[tuple[int, str, RawDocument]], *, settings: Settings, options: AnalyzeOptions
) -> list[Analysis | Failure]:
    try:
        return list(analyze_many((raw for _, _, raw in batch), settings=settings, options=options))
    except ModelError:
        raise
    except Exception:  # one article broke something: find which, keep the others
        results: list[Analysis | Failure] = []
        for _, _, raw in batch:
            try:
                results.append(analyze(raw, settings=settings, options=options))
            except ModelError:
                raise
            except VeilleError as exc:
                results.append(Failure(source=raw.source, error=str(exc.message)))
            except Exception as exc:
                results.append(Failure(source=raw.source, error=_internal(exc)))
        return results


def _rows(
    batch: list[tuple[int, str, RawDocument]], *, settings: Settings, options: AnalyzeOptions
) -> Iterator[tuple[tuple[Any, ...], Analysis | None]]:
    """(staging row, the analysis it came from, or None for an error row)."""
    results = _analyse_batch(batch, settings=settings, options=options)
    for (article_id, key, raw), result in zip(batch, results, strict=True):
        if isinstance(result, Failure):
            yield error_row(article_id, raw.source, key, stage="analyze", reason=result.error), None
            continue
        try:
            yield article_row(article_id, key, raw, result), result
        except (TooManyRecords, ValueError, TypeError) as exc:
            yield error_row(article_id, raw.source, key, stage="records", reason=_internal(exc)), None


def analyse_entries(
    entries: Iterable[tuple[int, Entry]],
    *,
    settings: Settings,
    options: AnalyzeOptions,
    stats: list[PartitionStats] | None = None,
    partition: int = 0,
) -> Iterator[tuple[Any, ...]]:
    """Staging rows for (article id, entry) pairs: analysed articles and errors, a batch at a time.

    When ``stats`` is given, one :class:`PartitionStats` is appended to it at the end.
    """
    started, cpu_started = time.perf_counter(), time.process_time()
    counts = dict.fromkeys(("articles", "errors", "events", "quotes", "claims"), 0)
    stream = iter(entries)
    while True:
        chunk = list(itertools.islice(stream, settings.batch_size))
        if not chunk:
            break
        batch: list[tuple[int, str, RawDocument]] = []
        for article_id, entry in chunk:
            if isinstance(entry, Item):
                try:
                    batch.append((article_id, entry.key, entry.load(_no_fetch)))
                    continue
                except VeilleError as exc:
                    reason, source, key = str(exc.message), entry.source, entry.key
            else:
                reason, source, key = entry.reason, entry.source, None
            counts["errors"] += 1
            yield error_row(article_id, source, key, stage="read", reason=reason)
        for row, analysis in _rows(batch, settings=settings, options=options):
            if analysis is None:
                counts["errors"] += 1
            else:
                counts["articles"] += 1
                counts["events"] += len(analysis.events)
                counts["quotes"] += len(analysis.quotes)
                counts["claims"] += len(analysis.claims)
            yield row
    if stats is not None:
        stats.append(
            PartitionStats(
                partition=partition,
                pid=os.getpid(),
                **counts,
                seconds=time.perf_counter() - started,
                cpu_seconds=time.process_time() - cpu_started,
                peak_rss_mb=peak_rss_mb(),
                started_by=os.environ.get(ROLE_ENV, "pyspark"),
            )
        )


class StatsParam(AccumulatorParam[list[PartitionStats]]):
    """Spark accumulator of the partitions' statistics (a list, extended by each partition)."""

    def zero(self, value: list[PartitionStats]) -> list[PartitionStats]:
        return []

    def addInPlace(self, value1: list[PartitionStats], value2: list[PartitionStats]) -> list[PartitionStats]:
        value1.extend(value2)
        return value1


def analyse_partition(
    index: int,
    entries: Iterator[tuple[int, Entry]],
    *,
    settings: Settings,
    options: AnalyzeOptions,
    stats: Accumulator[list[PartitionStats]],
) -> Iterator[tuple[Any, ...]]:
    """One analysis partition on an executor: staging rows, and its statistics to ``stats``."""
    local: list[PartitionStats] = []
    yield from analyse_entries(entries, settings=settings, options=options, stats=local, partition=index)
    stats.add(local)
