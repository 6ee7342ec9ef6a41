"""Every output table of the batch job, derived from the persisted staging rows.

Tables partitioned by publication day (undated articles in Spark's null bucket), whole-corpus
tables (near-duplicates, clusters, errors) and the GDELT TSV part files; see :mod:`veille.batch.job`
for the folder layout. Returns the counts that need a Spark action (pairs, clusters).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

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


def _children(stage: DataFrame, table: str) -> DataFrame:
    drop = INTERNAL_COLUMNS.get(table, ())
    columns = [f"r.{name}" for name in CHILD_SCHEMAS[table].fieldNames() if name not in drop]
    return stage.select("article_id", "pub_date", F.explode(table).alias("r")).select(
        "article_id", *columns, "pub_date"
    )


def _write(frame: DataFrame, path: str, *, dated: bool) -> None:
    if dated:
        # One file per day and table: all rows of a day go to one writer task.
        frame.repartition("pub_date").write.mode("overwrite").partitionBy("pub_date").parquet(path)
    else:
        frame.write.mode("overwrite").parquet(path)


def _write_text(frame: DataFrame, path: str) -> None:
    frame.write.mode("overwrite").text(path)


def write_tables(
    spark: SparkSession,
    stage: DataFrame,
    out: str,
    *,
    run_time: str,
    dedup_threshold: float,
    gdelt: bool = True,
) -> dict[str, int]:
    """Write every table under ``out``; ``run_time`` ("YYYY-MM-DD HH:MM:SS", UTC) dates undated articles."""
    good = stage.where(F.col("error").isNull())
    errors = stage.where(F.col("error").isNotNull()).select(
        "article_id", "source", "source_key", "stage", F.col("error").alias("reason")
    )
    pairs = near_duplicate_pairs(good, threshold=dedup_threshold).localCheckpoint()
    groups = dedup_groups(good, pairs).localCheckpoint()
    article_columns = [
        n for n in ARTICLE_SCHEMA.fieldNames() if n not in ARTICLE_INTERNAL and n != "pub_date"
    ]
    articles = (
        good.select(*article_columns, "pub_date")
        .join(groups, "article_id", "left")
        .withColumn("is_canonical", F.coalesce("is_canonical", F.lit(True)))
    )
    # Computed once: linking, the cluster tables and the GDELT lines all read them, and each read
    # of the staging rows would unpack every article's records again.
    events = exploded(good, "events", run_time).localCheckpoint()
    claims = exploded(good, "claims", run_time).localCheckpoint()
    links = link(spark, events, claims)

    mentions = (
        _children(stage, "mentions")
        .join(links.event_cluster_of.withColumnRenamed("cluster_id", "event_cluster"), "event_id", "left")
        .join(links.claim_cluster_of.withColumnRenamed("cluster_id", "claim_cluster"), "claim_id", "left")
        .withColumn("cluster_id", F.coalesce("event_cluster", "claim_cluster"))
        .drop("event_cluster", "claim_cluster")
    )
    writes: list[Callable[[], None]] = [
        functools.partial(_write, articles, f"{out}/articles", dated=True),
        *(functools.partial(_write, _children(stage, t), f"{out}/{t}", dated=True) for t in DATED_TABLES),
        functools.partial(
            _write,
            _children(stage, "events").join(links.event_cluster_of, "event_id", "left"),
            f"{out}/events",
            dated=True,
        ),
        functools.partial(
            _write,
            _children(stage, "claims").join(links.claim_cluster_of, "claim_id", "left"),
            f"{out}/claims",
            dated=True,
        ),
        functools.partial(_write, mentions, f"{out}/mentions", dated=True),
        functools.partial(_write, pairs, f"{out}/near_duplicates", dated=False),
        functools.partial(_write, links.event_clusters, f"{out}/event_clusters", dated=False),
        functools.partial(_write, links.claim_clusters, f"{out}/claim_clusters", dated=False),
        functools.partial(_write, errors, f"{out}/errors", dated=False),
    ]
    if gdelt:
        lines = events_lines(links.event_clusters, events, articles, _children(stage, "places"))
        writes.append(functools.partial(_write_text, lines, f"{out}/gdelt/events"))
        lines = mentions_lines(mentions, links.event_clusters, articles, run_time)
        writes.append(functools.partial(_write_text, lines, f"{out}/gdelt/mentions"))
    # The tables are independent: writing several at once keeps every core busy, since each
    # small write spends most of its time in scheduling rather than in work.
    with ThreadPoolExecutor(max_workers=_WRITERS) as pool:
        for future in [pool.submit(write) for write in writes]:
            future.result()
    return {
        "near_duplicates": pairs.count(),
        "event_clusters": links.event_clusters.count(),
        "claim_clusters": links.claim_clusters.count(),
    }
