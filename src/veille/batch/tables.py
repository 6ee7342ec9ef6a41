"""Every output table of the batch job, derived from the persisted staging rows.

Tables partitioned by publication day (undated articles in Spark's null bucket), whole-corpus
tables (near-duplicates, clusters, errors) and the GDELT TSV part files; see :mod:`veille.batch.job`
for the folder layout. Returns the counts that need a Spark action (pairs, clusters).

After the analysis the data is small and each Spark job is mostly fixed cost (planning, scheduling,
file commits), so the stage is organised to keep both cores busy rather than to move less data:
three independent chains run at once on driver threads — deduplication (then ``articles``),
linking (then the event, claim and GDELT outputs) and the tables that need neither — and each
write is submitted as soon as what it reads is ready.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from veille.batch.dedup import dedup_groups, near_duplicate_pairs
from veille.batch.gdelt import events_lines, mentions_lines
from veille.batch.link import exploded, link
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
_WRITERS = 4
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

    def cluster(plan: _Plan) -> None:
        # Computed once: linking, the cluster tables and the GDELT lines all read them, and each
        # read of the staging rows would unpack every article's records again.
        events = exploded(good, "events", run_time).localCheckpoint()
        claims = exploded(good, "claims", run_time).localCheckpoint()
        links = link(spark, events, claims)
        event_cluster = links.event_cluster_of.withColumnRenamed("cluster_id", "event_cluster")
        claim_cluster = links.claim_cluster_of.withColumnRenamed("cluster_id", "claim_cluster")
        mentions = (
            _children(stage, "mentions")
            .join(event_cluster, "event_id", "left")
            .join(claim_cluster, "claim_id", "left")
            .withColumn("cluster_id", F.coalesce("event_cluster", "claim_cluster"))
            .drop("event_cluster", "claim_cluster")
        )
        if gdelt:
            lines = events_lines(
                links.event_clusters, events, plain_articles, _children(stage, "places"), single=single
            )
            plan.submit(lambda: _write_text(lines, f"{out}/gdelt/events"))
            mention_lines = mentions_lines(
                mentions, links.event_clusters, plain_articles, run_time, single=single
            )
            plan.submit(lambda: _write_text(mention_lines, f"{out}/gdelt/mentions"))
        for table, frame in (
            ("events", _children(stage, "events").join(links.event_cluster_of, "event_id", "left")),
            ("claims", _children(stage, "claims").join(links.claim_cluster_of, "claim_id", "left")),
            ("mentions", mentions),
        ):
            plan.submit(write(frame, table, dated=True))
        plan.submit(write(links.event_clusters, "event_clusters", dated=False))
        plan.submit(write(links.claim_clusters, "claim_clusters", dated=False))
        counts["event_clusters"] = links.event_clusters.count()
        counts["claim_clusters"] = links.claim_clusters.count()

    errors = stage.where(F.col("error").isNotNull()).select(
        "article_id", "source", "source_key", "stage", F.col("error").alias("reason")
    )
    with ThreadPoolExecutor(max_workers=_WRITERS) as pool:
        plan = _Plan(pool)
        # The longest chain first: linking is a dozen jobs one after the other.
        plan.submit(lambda: cluster(plan))
        plan.submit(lambda: deduplicate(plan))
        for table in DATED_TABLES:
            plan.submit(write(_children(stage, table), table, dated=True))
        plan.submit(write(errors, "errors", dated=False))
        plan.wait()
    return {name: counts[name] for name in ("near_duplicates", "event_clusters", "claim_clusters")}
