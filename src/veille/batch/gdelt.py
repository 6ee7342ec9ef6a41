"""GDELT 2.0 Events (61 columns) and Mentions (16 columns) lines from the batch job's tables.

The store's exporter builds its rows from database rows; here the same values are built from plain
mappings (Spark rows), with the store's code helpers (actor-code split, FIPS codes, geographic
resolution, date formats) and its column lists and cell format, so both exports write the same
line for the same event. Lines are written as text part files (no header, like GDELT's).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from veille.store.export.codes import (
    GEO_COUNTRY,
    country_name,
    fips,
    fraction_date,
    geo_type,
    split_actor,
    stamp,
    translation_info,
)
from veille.store.export.gdelt import _cell, event_columns, mention_columns


def line(values: list[Any]) -> str:
    """One tab-separated GDELT line (without its line break), cells formatted as the store does."""
    return "\t".join(_cell(v) for v in values)


def _actor(code: str | None, name: str | None) -> list[Any]:
    parts = split_actor(code)
    return [
        code or "",
        (name or "").upper(),
        parts.country,
        parts.known_group,
        "",  # ethnic code: not coded by veille
        parts.religion1,
        parts.religion2,
        parts.type1,
        parts.type2,
        parts.type3,
    ]


def _action_geo(ev: Mapping[str, Any], kind: str | None, admin1: str | None) -> list[Any]:
    name, iso2 = ev["place_name"], ev["place_country"]
    if name is None:
        return [""] * 8
    kind = kind or ("country" if ev["place_lat"] is None and iso2 else "city")
    gtype = geo_type(kind, iso2)
    code = fips(iso2)
    adm1 = f"{code}{admin1}" if code and admin1 and gtype != GEO_COUNTRY else code
    country = country_name(iso2)
    if gtype == GEO_COUNTRY:
        full, feature = country or name, code
    else:
        full = f"{name}, {country}" if country else name
        feature = ev["place_geonameid"] if ev["place_geonameid"] is not None else ""
    return [gtype, full, code, adm1, "", ev["place_lat"], ev["place_lon"], feature]


def event_day(date: dt.date | None, coded: str | None, first_seen: dt.datetime) -> dt.date:
    """The cluster's day; a month-only date counts as its first day, as GDELT does for vague dates."""
    if date is not None:
        return date
    if coded and len(coded) >= 7:
        try:
            return dt.date(int(coded[:4]), int(coded[5:7]), 1)
        except ValueError:
            pass
    return first_seen.date()


def event_values(
    cluster: Mapping[str, Any], ev: Mapping[str, Any], *, place: tuple[str | None, str | None], link: str
) -> list[Any]:
    """The 61 values of a GDELT Events row: ``cluster`` as in ``event_clusters``, ``ev`` its first event."""
    day = event_day(cluster["date"], ev["date"], cluster["first_seen"])
    row: list[Any] = [cluster["id"], day.strftime("%Y%m%d"), day.strftime("%Y%m"), day.year]
    row.append(round(fraction_date(day), 4))
    row += _actor(ev["source_code"], ev["source_text"])
    row += _actor(ev["target_code"], ev["target_text"])
    row += [ev["is_root_event"], cluster["event_code"], cluster["base_code"], cluster["root_code"]]
    row += [ev["quad_class"], ev["goldstein"]]
    row += [cluster["num_mentions"], cluster["num_sources"], cluster["num_articles"], None]  # AvgTone
    row += [""] * 16  # Actor1Geo_*, Actor2Geo_*: veille does not locate actors
    row += _action_geo(ev, *place)
    row += [stamp(cluster["first_seen"]), link]
    return row


def mention_values(
    mention: Mapping[str, Any], article: Mapping[str, Any], *, first_seen: dt.datetime, seen: dt.datetime
) -> list[Any]:
    """The 16 values of a GDELT Mentions row for one event mention."""
    url = article["url"]
    web = bool(url and url.startswith(("http://", "https://")))
    return [
        mention["cluster_id"],
        stamp(first_seen),
        stamp(seen),
        1 if web else 2,  # 1 web, 2 citation only (a corpus record without URL)
        article["outlet"] or "",
        url if web else article["source_key"],
        mention["sentence_id"],
        mention["actor1_offset"],
        mention["actor2_offset"],
        mention["action_offset"],
        mention["in_raw_text"],
        mention["confidence"],
        mention["doc_len"],
        None,  # MentionDocTone: not computed
        translation_info(article["language"]),
        "",
    ]


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


def events_lines(clusters: DataFrame, events: DataFrame, articles: DataFrame, places: DataFrame) -> DataFrame:
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
        .orderBy(F.col("cluster.id"))
    )
    return joined.rdd.map(lambda row: (_event_line(row),)).toDF("value string")


def mentions_lines(mentions: DataFrame, clusters: DataFrame, articles: DataFrame, run_time: str) -> DataFrame:
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
        .orderBy(F.col("m.cluster_id"), F.col("m.event_id"))
    )
    return joined.rdd.map(lambda row: (_mention_line(row),)).toDF("value string")
