"""Near-duplicates across the whole corpus, with Spark joins: the store's MinHash LSH, distributed.

Each article's MinHash signature and LSH band hashes are computed in the analysis tasks with the
store's own functions (``veille.store.dedup``: word 4-shingles, 128 permutations, 32 bands), so the
pairs found here are the pairs ``veille ingest`` finds. Articles sharing a band hash are candidates
(an equi-join on the exploded bands); a candidate is kept when the estimated Jaccard similarity
(the share of equal signature values, computed in SQL) reaches the threshold. Groups are the
connected components of the kept pairs, and each group's canonical article is the earliest
published, then the longest, then the first read.
"""

from __future__ import annotations

from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F

from veille.batch.graph import components


def near_duplicate_pairs(articles: DataFrame, *, threshold: float) -> DataFrame:
    """``(article_a, article_b, similarity)`` with ``article_a < article_b``, similarity ≥ threshold."""
    signed = articles.where(F.col("minhash").isNotNull()).select("article_id", "minhash", "bands")
    bands = signed.select("article_id", F.explode("bands").alias("band"))
    left, right = bands.alias("l"), bands.alias("r")
    candidates = (
        left.join(
            right, (F.col("l.band") == F.col("r.band")) & (F.col("l.article_id") < F.col("r.article_id"))
        )
        .select(F.col("l.article_id").alias("article_a"), F.col("r.article_id").alias("article_b"))
        .distinct()
    )
    sig_a = signed.select(F.col("article_id").alias("article_a"), F.col("minhash").alias("sig_a"))
    sig_b = signed.select(F.col("article_id").alias("article_b"), F.col("minhash").alias("sig_b"))
    equal = F.expr("size(filter(zip_with(sig_a, sig_b, (x, y) -> x = y), v -> v))")
    score = equal / F.size("sig_a")
    return (
        candidates.join(sig_a, "article_a")
        .join(sig_b, "article_b")
        .select("article_a", "article_b", score.alias("score"))
        .where(F.col("score") >= threshold)
        .select("article_a", "article_b", F.round("score", 4).alias("similarity"))
    )


def dedup_groups(articles: DataFrame, pairs: DataFrame) -> DataFrame:
    """``(article_id, dedup_group, is_canonical)`` for the articles that have a near-duplicate."""
    edges = pairs.select(F.col("article_a").alias("src"), F.col("article_b").alias("dst"))
    nodes = edges.select(F.col("src").alias("node")).union(edges.select(F.col("dst").alias("node")))
    groups = components(nodes, edges).withColumnRenamed("node", "article_id")
    members = groups.join(
        articles.select("article_id", "published", F.length("text").alias("length")), "article_id"
    )
    rank = Window.partitionBy("component").orderBy(
        F.col("published").asc_nulls_last(), F.col("length").desc(), F.col("article_id")
    )
    return members.select(
        "article_id",
        F.col("component").alias("dedup_group"),
        (F.row_number().over(rank) == 1).alias("is_canonical"),
    )
