"""Every output table of the batch job, derived from the persisted staging rows.

Tables partitioned by publication day (undated articles in Spark's null bucket), whole-corpus
tables (near-duplicates, clusters, errors) and the GDELT TSV part files; see :mod:`veille.batch.job`
for the folder layout. Returns the counts that need a Spark action (pairs, clusters).

After the analysis the data is small and each Spark job is mostly fixed cost (planning, scheduling,
file commits), so the stage is organised to keep both cores busy rather than to move less data:
chains of steps run at once on driver threads — deduplication (then ``articles``), event linking
(then ``events``, ``event_clusters``, GDELT events), claim linking (then ``claims``,
``claim_clusters``, ``mentions``, GDELT mentions) and the tables that need none of them — and
each write is submitted as soon as what it reads is ready. Claim linking waits for the event
clusters only after its costliest step, the claim-similarity join, which needs no event.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from veille.batch.dedup import dedup_groups, near_duplicate_pairs
from veille.batch.gdelt import events_lines, mentions_lines
from veille.batch.link import (
    claim_clusters,
    cluster_claims,
    cluster_events,
    event_clusters,
    exploded,
    similar_claims,
)
from veille.batch.schemas import ARTICLE_INTERNAL, ARTICLE_SCHEMA, CHILD_SCHEMAS, INTERNAL_COLUMNS

DATED_TABLES = (
    "article_removed",
    "article_dates",
    "entities",
    "actors",
    "places",
    "quotes",
    "claim_evidence",
)
# Driver threads: the two linking chains and deduplication hold one each for most of the stage (the
# claim chain waits on the event chain, so there must be at least two), the rest write tables.
_WRITERS = 6
# Articles per writing task. Below this a table is written by one task without a shuffle (one file
# per day either way): on 2,000 articles the shuffle before each write cost more than the write.
ARTICLES_PER_WRITER = 10_000


def _children(stage: DataFrame, table: str) -> DataFrame:
    drop = INTERNAL_COLUMNS.get(table, ())
    columns = [f"r.{name}" for name in CHILD_SCHEMAS[table].fieldNames() if name not in drop]
    return stage.select("article_id", "pub_date", F.explode(table).alias("r")).select(
        "article_id", *columns, "pub_date"
    )


def _write(frame: DataFrame, path: str, *, dated: bool, writers: int = 0) -> None:
    """Write Parquet; ``writers`` tasks (0: one per shuffle partition, 1: no shuffle)."""
    if writers == 1:
        frame = frame.coalesce(1)
    elif dated:
        # One file per day and table: all rows of a day go to one writer task.
        frame = frame.repartition(writers, "pub_date") if writers else frame.repartition("pub_date")
    if dated:
        frame.write.mode("overwrite").partitionBy("pub_date").parquet(path)
    else:
        frame.write.mode("overwrite").parquet(path)


def _write_text(frame: DataFrame, path: str) -> None:
    frame.write.mode("overwrite").text(path)


class _Plan:
    """Steps on a pool of driver threads; a running step may submit the steps that follow it."""

    def __init__(self, pool: ThreadPoolExecutor) -> None:
        self._pool = pool
        self._lock = threading.Lock()
        self._futures: list[Future[None]] = []

    def submit(self, step: Callable[[], None]) -> None:
        with self._lock:
            self._futures.append(self._pool.submit(step))

    def wait(self) -> None:
        """Until every step is done, including those submitted meanwhile; the first error is raised."""
        done = 0
        while True:
            with self._lock:
                if done == len(self._futures):
                    return
                future = self._futures[done]
            future.result()
            done += 1


def _failing_into(step: Callable[[], None], *promises: Future[Any]) -> Callable[[], None]:
    """``step``, which fulfils ``promises``; if it fails first, they fail with the same error."""

    def run() -> None:
        try:
            step()
        except BaseException as exc:
            for promise in promises:
                if not promise.done():
                    promise.set_exception(exc)
            raise

    return run


def write_tables(
    spark: SparkSession,
    stage: DataFrame,
    out: str,
    *,
    run_time: str,
    dedup_threshold: float,
    gdelt: bool = True,
    rows: int | None = None,
) -> dict[str, int]:
    """Write every table under ``out``; ``run_time`` ("YYYY-MM-DD HH:MM:SS", UTC) dates undated articles.

    ``rows``: the number of staging rows when the caller knows it (else counted), to size writes.
    """
    if rows is None:
        rows = stage.count()
    writers = 1 if rows <= ARTICLES_PER_WRITER else math.ceil(rows / ARTICLES_PER_WRITER)
    single = writers == 1
    # The analysis wants many partitions (balance), every later read of the staging rows few (each
    # task is fixed cost): merge the cached partitions, one per core, without a shuffle.
    stage = stage.coalesce(spark.sparkContext.defaultParallelism)
    good = stage.where(F.col("error").isNull())
    article_columns = [
        n for n in ARTICLE_SCHEMA.fieldNames() if n not in ARTICLE_INTERNAL and n != "pub_date"
    ]
    # The article columns before the dedup join: the GDELT lines need no dedup group, and the left
    # join with one row per article changes no row, so they need not wait for deduplication.
    plain_articles = good.select(*article_columns, "pub_date")
    counts: dict[str, int] = {}

    def write(frame: DataFrame, table: str, *, dated: bool) -> Callable[[], None]:
        return lambda: _write(frame, f"{out}/{table}", dated=dated, writers=writers)

    def deduplicate(plan: _Plan) -> None:
        pairs = near_duplicate_pairs(good, threshold=dedup_threshold).localCheckpoint()
        plan.submit(write(pairs, "near_duplicates", dated=False))
        groups = dedup_groups(good, pairs).localCheckpoint()
        articles = plain_articles.join(groups, "article_id", "left").withColumn(
            "is_canonical", F.coalesce("is_canonical", F.lit(True))
        )
        plan.submit(write(articles, "articles", dated=True))
        counts["near_duplicates"] = pairs.count()

    # Linking runs as two chains on their own threads, so that the costly claim-similarity join
    # overlaps event clustering instead of following it. The claim chain waits for the event
    # clusters only where it needs them (claims tied to events, mentions, GDELT mention lines).
    event_side: Future[tuple[DataFrame, DataFrame]] = Future()  # events, their cluster ids
    event_table: Future[DataFrame] = Future()  # event clusters

    def link_events(plan: _Plan) -> None:
        # Checkpointed once: linking, the tables and the GDELT lines all read them, and each read
        # of the staging rows would unpack every article's records again.
        events = exploded(good, "events", run_time).localCheckpoint()
        cluster_of = cluster_events(spark, events).localCheckpoint()
        event_side.set_result((events, cluster_of))
        frame = _children(stage, "events").join(cluster_of, "event_id", "left")
        plan.submit(write(frame, "events", dated=True))
        clusters = event_clusters(events, cluster_of).localCheckpoint()
        event_table.set_result(clusters)
        plan.submit(write(clusters, "event_clusters", dated=False))
        if gdelt:
            places = _children(stage, "places")
            lines = events_lines(clusters, events, plain_articles, places, single=single)
            plan.submit(lambda: _write_text(lines, f"{out}/gdelt/events"))
        counts["event_clusters"] = clusters.count()

    def link_claims(plan: _Plan) -> None:
        claims = exploded(good, "claims", run_time).localCheckpoint()
        similar = similar_claims(claims).localCheckpoint()
        events, event_cluster_of = event_side.result()
        cluster_of = cluster_claims(claims, events, event_cluster_of, similar).localCheckpoint()
        frame = _children(stage, "claims").join(cluster_of, "claim_id", "left")
        plan.submit(write(frame, "claims", dated=True))
        clusters = claim_clusters(claims, events, event_cluster_of, cluster_of).localCheckpoint()
        plan.submit(write(clusters, "claim_clusters", dated=False))
        mentions = (
            _children(stage, "mentions")
            .join(event_cluster_of.withColumnRenamed("cluster_id", "event_cluster"), "event_id", "left")
            .join(cluster_of.withColumnRenamed("cluster_id", "claim_cluster"), "claim_id", "left")
            .withColumn("cluster_id", F.coalesce("event_cluster", "claim_cluster"))
            .drop("event_cluster", "claim_cluster")
        )
        plan.submit(write(mentions, "mentions", dated=True))
        if gdelt:
            lines = mentions_lines(mentions, event_table.result(), plain_articles, run_time, single=single)
            plan.submit(lambda: _write_text(lines, f"{out}/gdelt/mentions"))
        counts["claim_clusters"] = clusters.count()

    errors = stage.where(F.col("error").isNotNull()).select(
        "article_id", "source", "source_key", "stage", F.col("error").alias("reason")
    )
    with ThreadPoolExecutor(max_workers=_WRITERS) as pool:
        plan = _Plan(pool)
        # The longest chains first: linking claims is a dozen jobs one after the other. Both linking
        # chains start at once (link_claims waits on link_events), and a failure in link_events
        # reaches the waiting chain rather than leaving it blocked.
        plan.submit(lambda: link_claims(plan))
        plan.submit(_failing_into(lambda: link_events(plan), event_side, event_table))
        plan.submit(lambda: deduplicate(plan))
        for table in DATED_TABLES:
            plan.submit(write(_children(stage, table), table, dated=True))
        plan.submit(write(errors, "errors", dated=False))
        plan.wait()
    return {name: counts[name] for name in ("near_duplicates", "event_clusters", "claim_clusters")}
