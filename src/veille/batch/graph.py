"""Grouping with Spark operations: connected components of a pair list, and day-window chains.

Both give every member the smallest id of its group, like the store's linker does, so cluster ids
are stable and equal to those of ``veille export`` on the same articles in the same order.
Components use min-label propagation (one join and one aggregation per round; the number of
rounds is the diameter of the largest component, a handful for near-duplicates and claims).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

MAX_ROUNDS = 64


def components(nodes: DataFrame, edges: DataFrame) -> DataFrame:
    """``(node, component)`` for every node of ``nodes`` (column ``node``); ``edges``: ``(src, dst)``.

    ``component`` is the smallest node id of the node's connected component (itself when alone).
    Only the nodes that have edges take part in the rounds.
    """
    # Local checkpoints: the edges are computed once (they may come from costly joins) and each
    # round's plan starts from the previous round's result instead of growing with the rounds.
    both = (
        edges.select("src", "dst")
        .union(edges.select(F.col("dst").alias("src"), F.col("src").alias("dst")))
        .where(F.col("src") != F.col("dst"))
        .distinct()
        .localCheckpoint()
    )
    # First round folded in: each node's label is the smallest of itself and its neighbours.
    labels = (
        both.groupBy(F.col("src").alias("node"))
        .agg(F.least(F.min("dst"), F.min("src")).alias("component"))
        .localCheckpoint()
    )
    for _ in range(MAX_ROUNDS):
        smallest = (
            both.join(labels, both.dst == labels.node)
            .groupBy(both.src.alias("node"))
            .agg(F.min("component").alias("neighbour"))
        )
        updated = (
            labels.join(smallest, "node")
            .select(
                "node",
                F.least("component", "neighbour").alias("component"),
                (F.col("neighbour") < F.col("component")).alias("changed"),
            )
            .localCheckpoint()
        )
        labels = updated.select("node", "component")
        if updated.where("changed").isEmpty():
            break
    return (
        nodes.select("node")
        .distinct()
        .join(labels, "node", "left")
        .select("node", F.coalesce("component", "node").alias("component"))
    )


def chain_days(members: Iterable[tuple[dt.date, int]]) -> list[tuple[int, int]]:
    """``(id, group id)`` for members with the same key: a group spans at most one day past its first.

    Members are taken by (day, id); a member more than one day after the first day of the current
    group starts a new group. The group id is the smallest member id (the store's rule).
    """
    out: list[tuple[int, int]] = []
    anchor: dt.date | None = None
    current: list[int] = []

    def close() -> None:
        if current:
            root = min(current)
            out.extend((m, root) for m in current)

    for day, member in sorted(members):
        if anchor is None or (day - anchor).days > 1:
            close()
            anchor, current = day, []
        current.append(member)
    close()
    return out
