"""GDELT 2.0 Events (61 columns) and Mentions (16 columns) lines from the batch job's tables.

The values come from :mod:`veille.store.export.gdelt_rows`, the builders of the store's exporter, so
both exports write the same line for the same event. Lines are written as text part files (no
header, like GDELT's).
"""

from __future__ import annotations

from typing import Any

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from veille.store.export.gdelt import event_columns, mention_columns
from veille.store.export.gdelt_rows import event_values, line, mention_values


def _event_line(row: Any) -> str:
    values = event_values(
        row["cluster"], row["ev"], place=(row["place_kind"], row["place_admin1"]), link=row["link"]
    )
    assert len(values) == len(event_columns()), "GDELT events row width"
    return line(values)


def _mention_line(row: Any) -> str:
    values = mention_values(row["m"], row["a"], first_seen=row["first_seen"], seen=row["seen"])
    assert len(values) == len(mention_columns()), "GDELT mentions row width"
    return line(values)


def _ordered(frame: DataFrame, *order: Column, single: bool) -> DataFrame:
    """``frame`` sorted across its part files, or in one part file when ``single``.

    A global sort samples its input in a Spark job of its own to choose the ranges; one part file
    sorted inside has the same lines in the same order without that job or the shuffle.
    """
    if single:
        return frame.coalesce(1).sortWithinPartitions(*order)
    return frame.orderBy(*order)


def events_lines(
    clusters: DataFrame, events: DataFrame, articles: DataFrame, places: DataFrame, *, single: bool = False
) -> DataFrame:
    """``value`` column of GDELT Events lines, one per event cluster, ordered by GLOBALEVENTID."""
    first_place = (
        places.groupBy("article_id", "name")
        .agg(F.min(F.struct("position", "kind", "admin1")).alias("p"))
        .select("article_id", F.col("name").alias("place_name"), "p.kind", "p.admin1")
    )
    joined = (
        clusters.alias("c")
        .join(events.alias("e"), F.col("c.first_event_id") == F.col("e.event_id"))
        .join(articles.select("article_id", "url", "source_key"), "article_id")
        .join(first_place, ["article_id", "place_name"], "left")
        .select(
            F.struct("c.*").alias("cluster"),
            F.struct("e.*").alias("ev"),
            F.col("kind").alias("place_kind"),
            F.col("admin1").alias("place_admin1"),
            F.coalesce("url", "source_key").alias("link"),
        )
    )
    joined = _ordered(joined, F.col("cluster.id"), single=single)
    return joined.rdd.map(lambda row: (_event_line(row),)).toDF("value string")


def mentions_lines(
    mentions: DataFrame, clusters: DataFrame, articles: DataFrame, run_time: str, *, single: bool = False
) -> DataFrame:
    """``value`` column of GDELT Mentions lines, one per event mention, ordered by cluster."""
    article = articles.select(
        "article_id",
        F.struct("url", "outlet", "source_key", "language").alias("a"),
        F.coalesce(F.col("published").cast("timestamp_ntz"), F.lit(run_time).cast("timestamp_ntz")).alias(
            "seen"
        ),
    )
    joined = (
        mentions.where(F.col("kind") == "event")
        .join(clusters.select(F.col("id").alias("cluster_id"), "first_seen"), "cluster_id")
        .join(article, "article_id")
        .select(F.struct(*[c for c in mentions.columns]).alias("m"), "a", "first_seen", "seen")
    )
    joined = _ordered(joined, F.col("m.cluster_id"), F.col("m.event_id"), single=single)
    return joined.rdd.map(lambda row: (_mention_line(row),)).toDF("value string")
