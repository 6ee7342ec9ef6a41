"""Cross-article linking with Spark operations: the store linker's rules, as joins and aggregations.

Events are the same when they share the CAMEO root, the source and target actor codes (one at
least known) and polarity, and fall within one day of their group's first day (the event's date,
else its article's publication date): a shuffle by that key, then a sort by day inside each key.
Claims are the same when their word sets are similar (candidates from a join on shared rare
words), when they share ``Claim.key``, or when events tied to them fall in one event cluster;
groups are the connected components of those pairs. Cluster statistics (first seen, mentions,
sources, status across outlets, contradiction) follow ``veille.store.linking``.
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame, SparkSession, Window
from pyspark.sql import functions as F

from veille.batch.graph import chain_days, components
from veille.store.linking import _CONTAINMENT, _MAX_TOKEN_DF, _MIN_SHARED, CLAIM_TEXT_THRESHOLD


def _first(frame: DataFrame, group: str, order: list[Column | str]) -> DataFrame:
    rank = Window.partitionBy(group).orderBy(*order)
    return frame.withColumn("_rank", F.row_number().over(rank)).where("_rank = 1").drop("_rank")


def _most_common(frame: DataFrame, group: str, value: str, tie: str, name: str) -> DataFrame:
    """The most frequent non-null ``value`` per group (ties: the one seen first by ``tie``)."""
    counted = (
        frame.where(F.col(value).isNotNull())
        .groupBy(group, value)
        .agg(F.count(F.lit(1)).alias("_n"), F.min(tie).alias("_tie"))
    )
    return _first(counted, group, [F.col("_n").desc(), "_tie"]).select(group, F.col(value).alias(name))


def article_facts(run_time: str) -> list[Column]:
    """Columns every linked record needs: its outlet (or the article) and when it was seen."""
    return [
        F.coalesce("outlet", F.concat(F.lit("article:"), F.col("article_id").cast("string"))).alias(
            "outlet_key"
        ),
        F.coalesce(F.col("published").cast("timestamp_ntz"), F.lit(run_time).cast("timestamp_ntz")).alias(
            "seen"
        ),
    ]


def exploded(stage: DataFrame, table: str, run_time: str) -> DataFrame:
    """One row per record of ``table`` with its article's id, outlet key and seen time."""
    return stage.select("article_id", *article_facts(run_time), F.explode(table).alias("r")).select(
        "article_id", "outlet_key", "seen", "r.*"
    )


def cluster_events(spark: SparkSession, events: DataFrame) -> DataFrame:
    """``(event_id, cluster_id)`` for every event."""
    keyed = events.where(
        F.col("day").isNotNull() & (F.col("source_code").isNotNull() | F.col("target_code").isNotNull())
    )
    # Grouped by the JVM, chained in Python: Python workers hold spaCy models, so a Python-side
    # shuffle would think itself short of memory and spill.
    grouped = keyed.groupBy("root_code", "source_code", "target_code", "negated").agg(
        F.collect_list(F.struct("day", "event_id")).alias("members")
    )
    chains = grouped.rdd.flatMap(lambda row: chain_days((m[0], m[1]) for m in row["members"]))
    chained = spark.createDataFrame(chains, "event_id long, cluster_id long")
    return (
        events.select("event_id")
        .join(chained, "event_id", "left")
        .select("event_id", F.coalesce("cluster_id", "event_id").alias("cluster_id"))
    )


def event_clusters(events: DataFrame, cluster_of: DataFrame) -> DataFrame:
    ev = events.join(cluster_of, "event_id")
    firsts = _first(ev, "cluster_id", ["seen", "event_id"]).select(
        "cluster_id",
        "source_code",
        "target_code",
        "negated",
        F.col("seen").alias("first_seen"),
        F.col("event_id").alias("first_event_id"),
        F.col("article_id").alias("first_article_id"),
    )
    codes = _most_common(ev, "cluster_id", "cameo", "event_id", "event_code")
    stats = ev.groupBy("cluster_id").agg(
        F.min("day").alias("date"),
        F.count(F.lit(1)).alias("num_mentions"),
        F.countDistinct("outlet_key").alias("num_sources"),
        F.countDistinct("article_id").alias("num_articles"),
    )
    modalities = (
        ev.groupBy("cluster_id", "modality")
        .agg(F.count(F.lit(1)).alias("n"))
        .groupBy("cluster_id")
        .agg(
            F.to_json(F.map_from_entries(F.sort_array(F.collect_list(F.struct("modality", "n"))))).alias(
                "modalities"
            )
        )
    )
    return (
        firsts.join(codes, "cluster_id")
        .join(stats, "cluster_id")
        .join(modalities, "cluster_id")
        .select(
            F.col("cluster_id").alias("id"),
            "event_code",
            F.substring("event_code", 1, 3).alias("base_code"),
            F.substring("event_code", 1, 2).alias("root_code"),
            "source_code",
            "target_code",
            "negated",
            "date",
            "first_seen",
            "first_event_id",
            "first_article_id",
            "num_mentions",
            "num_sources",
            "num_articles",
            "modalities",
        )
    )


# Every (earlier, later) pair of a sorted id list, without a self-join.
_PAIRS = (
    "flatten(transform(ids, (x, i) -> transform(slice(ids, i + 2, size(ids)), "
    "y -> named_struct('src', x, 'dst', y))))"
)


def _candidate_claims(claims: DataFrame, threshold: float) -> DataFrame:
    """Pairs sharing a rare word, kept when the words they could share at most can pass the test.

    Words in more than ``_MAX_TOKEN_DF`` claims propose no pair (as in the store), but they still
    count in the similarity, so the bound adds the fewer of the two claims' common words.
    """
    tokens = claims.select("claim_id", F.explode("tokens").alias("token"))
    df = tokens.groupBy("token").agg(F.count(F.lit(1)).alias("df"))
    common = (
        tokens.join(df.where(F.col("df") > _MAX_TOKEN_DF), "token")
        .groupBy("claim_id")
        .agg(F.count(F.lit(1)).alias("common"))
    )
    sizes = (
        claims.select("claim_id", F.size("tokens").alias("n"))
        .join(common, "claim_id", "left")
        .fillna(0, ["common"])
    )
    pairs = (
        tokens.join(df.where(F.col("df") <= _MAX_TOKEN_DF), "token")
        .groupBy("token")
        .agg(F.sort_array(F.collect_list("claim_id")).alias("ids"))
        .select(F.explode(F.expr(_PAIRS)).alias("p"))
        .groupBy(F.col("p.src").alias("src"), F.col("p.dst").alias("dst"))
        .agg(F.count(F.lit(1)).alias("rare"))
    )
    size_a = sizes.select(F.col("claim_id").alias("src"), F.col("n").alias("na"), F.col("common").alias("ca"))
    size_b = sizes.select(F.col("claim_id").alias("dst"), F.col("n").alias("nb"), F.col("common").alias("cb"))
    most = F.col("rare") + F.least("ca", "cb")
    can_pass = (most >= threshold * F.greatest("na", "nb")) | (
        (most >= _MIN_SHARED) & (most >= _CONTAINMENT * F.least("na", "nb"))
    )
    return pairs.join(size_a, "src").join(size_b, "dst").where(can_pass).select("src", "dst")


def _similar_claims(claims: DataFrame, threshold: float) -> DataFrame:
    candidates = _candidate_claims(claims, threshold)
    ta = claims.select(F.col("claim_id").alias("src"), F.col("tokens").alias("ta"))
    tb = claims.select(F.col("claim_id").alias("dst"), F.col("tokens").alias("tb"))
    shared = F.size(F.array_intersect("ta", "tb"))
    union = F.size(F.array_union("ta", "tb"))
    smaller = F.least(F.size("ta"), F.size("tb"))
    # Same words overall, or one claim restating most of a longer one ("X" / "X, sources say").
    similar = ((union > 0) & (shared / union >= threshold)) | (
        (shared >= _MIN_SHARED) & (shared / smaller >= _CONTAINMENT)
    )
    return candidates.join(ta, "src").join(tb, "dst").where(similar).select("src", "dst")


def _same_group_edges(frame: DataFrame, group: str, member: str) -> DataFrame:
    """Edges from each group's smallest member to the others."""
    roots = frame.groupBy(group).agg(F.min(member).alias("src"))
    return (
        frame.join(roots, group)
        .where(F.col(member) != F.col("src"))
        .select("src", F.col(member).alias("dst"))
    )


def similar_claims(claims: DataFrame) -> DataFrame:
    """``(src, dst)`` pairs of claims worded alike: the costliest part of linking, which needs no event."""
    return _similar_claims(claims, CLAIM_TEXT_THRESHOLD)


def cluster_claims(
    claims: DataFrame, events: DataFrame, event_cluster_of: DataFrame, similar: DataFrame
) -> DataFrame:
    """``(claim_id, cluster_id)`` for every claim; ``similar``: from :func:`similar_claims`."""
    tied = (
        events.where(F.col("claim_id").isNotNull())
        .select("event_id", "claim_id")
        .join(event_cluster_of, "event_id")
    )
    same_key = _same_group_edges(claims.where(F.col("key").isNotNull()), "key", "claim_id")
    edges = similar.union(same_key).union(_same_group_edges(tied, "cluster_id", "claim_id"))
    labels = components(claims.select(F.col("claim_id").alias("node")), edges)
    return labels.select(F.col("node").alias("claim_id"), F.col("component").alias("cluster_id"))


def _has(statuses: str, status: str) -> Column:
    return F.array_contains(statuses, status)


def claim_clusters(
    claims: DataFrame, events: DataFrame, event_cluster_of: DataFrame, cluster_of: DataFrame
) -> DataFrame:
    cl = claims.join(cluster_of, "claim_id")
    firsts = _first(cl, "cluster_id", ["seen", "claim_id"]).select(
        "cluster_id", "text", F.col("seen").alias("first_seen"), F.col("article_id").alias("first_article_id")
    )
    keys = _most_common(cl, "cluster_id", "key", "claim_id", "key")
    stats = cl.groupBy("cluster_id").agg(
        F.count(F.lit(1)).alias("num_mentions"),
        F.countDistinct("article_id").alias("num_articles"),
        F.collect_set("status").alias("statuses"),
        F.collect_set("outlet_key").alias("outlets"),
    )
    # status -> outlets saying so, in the order they first said it
    by_status = (
        cl.groupBy("cluster_id", "status", "outlet_key")
        .agg(F.min(F.struct("seen", "claim_id")).alias("first"))
        .groupBy("cluster_id", "status")
        .agg(F.sort_array(F.collect_list(F.struct("first", "outlet_key"))).alias("said"))
        .groupBy("cluster_id")
        .agg(
            F.map_from_entries(
                F.sort_array(
                    F.collect_list(F.struct("status", F.transform("said", lambda x: x["outlet_key"])))
                )
            ).alias("by_status")
        )
    )
    ev = events.join(event_cluster_of, "event_id")
    asserting = (
        ev.where(F.col("claim_id").isNull() & (F.col("modality") == "asserted") & ~F.col("negated"))
        .select(F.col("cluster_id").alias("event_cluster"), "outlet_key")
        .distinct()
    )
    claim_events = (
        ev.where(F.col("claim_id").isNotNull())
        .select("claim_id", F.col("cluster_id").alias("event_cluster"))
        .join(cluster_of, "claim_id")
        .select("cluster_id", "event_cluster")
        .distinct()
    )
    asserted = (
        claim_events.join(asserting, "event_cluster")
        .groupBy("cluster_id")
        .agg(F.sort_array(F.collect_set("outlet_key")).alias("asserted_all"))
    )
    joined = (
        firsts.join(keys, "cluster_id", "left")
        .join(stats, "cluster_id")
        .join(by_status, "cluster_id")
        .join(asserted, "cluster_id", "left")
        .withColumn("denying", F.coalesce(F.col("by_status")["denied"], F.array().cast("array<string>")))
        .withColumn(
            "asserted_by",
            F.array_except(F.coalesce("asserted_all", F.array().cast("array<string>")), F.col("denying")),
        )
    )
    status = (
        F.when(_has("statuses", "denied") & _has("statuses", "confirmed"), "contested")
        .when(_has("statuses", "denied"), "denied")
        .when(_has("statuses", "confirmed"), "confirmed")
        .when(_has("statuses", "reported"), "reported")
        .otherwise("unverified")
    )
    contradiction = (F.size("denying") > 0) & (_has("statuses", "confirmed") | (F.size("asserted_by") > 0))
    return joined.select(
        F.col("cluster_id").alias("id"),
        "key",
        "text",
        "first_seen",
        "first_article_id",
        "num_mentions",
        F.size(F.array_union("outlets", "asserted_by")).alias("num_sources"),
        "num_articles",
        status.alias("status"),
        contradiction.alias("contradiction"),
        F.to_json("by_status").alias("by_status"),
        F.to_json("asserted_by").alias("asserted_by"),
    )
