"""The Spark job: read → spread by size → analyse per partition → tables, links, GDELT files.

Output folder (``OUTPUT``):

- Parquet tables partitioned by publication day (``pub_date=YYYY-MM-DD``, undated articles under
  Spark's null bucket ``pub_date=__HIVE_DEFAULT_PARTITION__``): ``articles``, ``article_removed``,
  ``article_dates``, ``entities``, ``actors``, ``places``, ``events``, ``quotes``, ``claims``,
  ``claim_evidence``, ``mentions``;
- Parquet tables over the whole corpus: ``near_duplicates``, ``event_clusters``,
  ``claim_clusters``, ``errors`` (one row per input that could not be read or analysed, with why);
- ``gdelt/events`` and ``gdelt/mentions``: GDELT 2.0 TSV part files (no header);
- ``_job.json``: counts, timings and the cost of each analysis partition.

The analysis runs once: its staging rows are persisted (memory, spilling to disk) and every table
is derived from them. Deduplication and linking are Spark joins and aggregations over the whole
corpus; nothing but counts and per-partition statistics comes back to the driver.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import time
from dataclasses import asdict
from pathlib import Path

from pyspark import StorageLevel
from pyspark.accumulators import Accumulator
from pyspark.sql import DataFrame, SparkSession

from veille.batch.analyse import PartitionStats, StatsParam, analyse_partition
from veille.batch.daemon import read_tasks
from veille.batch.inputs import InputFile, Layout, discover, layout, partition_count, read_file
from veille.batch.options import JobOptions, JobSummary, check_output
from veille.batch.schemas import STAGING_SCHEMA
from veille.batch.tables import write_tables
from veille.pipeline import AnalyzeOptions
from veille.settings import Settings

_COUNTED = ("articles", "errors", "events", "quotes", "claims")


def staging(
    spark: SparkSession,
    files: list[InputFile],
    *,
    settings: Settings,
    options: AnalyzeOptions,
    spread_by: Layout,
    stats: Accumulator[list[PartitionStats]],
) -> DataFrame:
    """The staging DataFrame: one row per input entry (analysed article or error), not yet computed."""
    sc = spark.sparkContext
    entries = sc.parallelize(files, len(files)).flatMap(functools.partial(read_file, settings=settings))
    with read_tasks(sc):  # where the read pipeline is wrapped for the JVM: see read_tasks
        shuffled = entries.keyBy(lambda pair: spread_by.slot(pair[0])).partitionBy(
            spread_by.partitions, lambda key: key
        )
    spread_out = shuffled.values()
    rows = spread_out.mapPartitionsWithIndex(
        functools.partial(analyse_partition, settings=settings, options=options, stats=stats)
    )
    return spark.createDataFrame(rows, STAGING_SCHEMA)


def run_job(
    spark: SparkSession,
    inputs: list[str],
    output: str,
    *,
    settings: Settings,
    options: AnalyzeOptions | None = None,
    job: JobOptions | None = None,
) -> JobSummary:
    """Analyse every article of ``inputs`` on Spark and write the tables under ``output``."""
    started = time.perf_counter()
    options = options or AnalyzeOptions()
    job = job or JobOptions()
    check_output(output, overwrite=job.overwrite)
    files = discover(inputs)
    run_time = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0).isoformat(sep=" ")
    sc = spark.sparkContext
    if job.partitions:  # the user's count, as equal shares
        spread_by = layout(job.partitions, cores=sc.defaultParallelism, tail_levels=0)
    else:
        even = partition_count(files, parallelism=sc.defaultParallelism, target_chars=job.target_chars)
        spread_by = layout(even, cores=sc.defaultParallelism)
    partitions = spread_by.partitions
    stats = sc.accumulator([], StatsParam())
    stage = staging(spark, files, settings=settings, options=options, spread_by=spread_by, stats=stats)
    stage = stage.persist(StorageLevel.MEMORY_AND_DISK)
    total_rows = stage.count()  # the analysis itself, once
    summary = JobSummary(output=output, inputs=len(files), partitions=partitions)
    summary.analysis_s = time.perf_counter() - started
    # A retried task reports its partition again: keep one report per partition.
    by_partition = {s.partition: s for s in stats.value}
    summary.partition_stats = [asdict(by_partition[i]) for i in sorted(by_partition)]

    counts = write_tables(
        spark,
        stage,
        output.rstrip("/"),
        run_time=run_time,
        dedup_threshold=settings.dedup_threshold,
        gdelt=job.gdelt,
        rows=total_rows,
    )
    summary.counts = {
        "inputs": total_rows,
        **{name: sum(s[name] for s in summary.partition_stats) for name in _COUNTED},
        **counts,
    }
    stage.unpersist()
    summary.total_s = time.perf_counter() - started
    _write_summary(output.rstrip("/"), summary)
    return summary


def _write_summary(out: str, summary: JobSummary) -> None:
    if "://" in out and not out.startswith("file://"):
        return  # on a cluster file system the summary is only printed
    path = Path(out.removeprefix("file://")) / "_job.json"
    path.write_text(json.dumps(asdict(summary), indent=2) + "\n", encoding="utf-8")
