"""GDELT 2.0 exports: Events (61 tab-separated columns, one row per linked event) and Mentions (16).

Column order comes from ``data/store/gdelt2_*_columns.tsv``; the files have no header row, like
GDELT's, so ``pandas.read_csv(path, sep="\\t", header=None, names=columns)`` reads them. Values
follow GDELT's formats: dates YYYYMMDD, DATEADDED YYYYMMDDHHMMSS (UTC), CAMEO codes with their
leading zeros, FIPS country codes in the *Geo_* columns. What veille does not compute (tone,
actor locations, ADM2 codes) is left empty rather than invented.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import cache
from typing import Any, TextIO

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session, aliased

from veille.resources import load_tsv
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
from veille.store.records import EventRow, PlaceRow
from veille.store.schema import ArticleRow, EventCluster, Mention


@cache
def event_columns() -> tuple[str, ...]:
    return tuple(row["name"] for row in load_tsv("store/gdelt2_events_columns.tsv"))


@cache
def mention_columns() -> tuple[str, ...]:
    return tuple(row["name"] for row in load_tsv("store/gdelt2_mentions_columns.tsv"))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".") if value != int(value) else f"{value:.1f}"
    # Tabs and line breaks would break the format: GDELT fields never contain them.
    return " ".join(str(value).split())


def _line(values: list[Any]) -> str:
    return "\t".join(_cell(v) for v in values) + "\n"


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


def _place_info(conn: Connection, ev: Any) -> tuple[str | None, str | None]:
    """(kind, admin1) that the article's place records give the event's place."""
    query = select(PlaceRow.kind, PlaceRow.admin1).where(
        PlaceRow.article_id == ev.article_id, PlaceRow.name == ev.place_name
    )
    found = conn.execute(query.limit(1)).first()
    return (found[0], found[1]) if found else (None, None)


def _action_geo(conn: Connection, ev: Any) -> list[Any]:
    if ev.place_name is None:
        return [""] * 8
    kind, admin1 = _place_info(conn, ev)
    kind = kind or ("country" if ev.place_lat is None and ev.place_country else "city")
    gtype = geo_type(kind, ev.place_country)
    code = fips(ev.place_country)
    adm1 = f"{code}{admin1}" if code and admin1 and gtype != GEO_COUNTRY else code
    country = country_name(ev.place_country)
    if gtype == GEO_COUNTRY:
        full, feature = country or ev.place_name, code
    else:
        full = f"{ev.place_name}, {country}" if country else ev.place_name
        feature = ev.place_geonameid if ev.place_geonameid is not None else ""
    return [gtype, full, code, adm1, "", ev.place_lat, ev.place_lon, feature]


def _event_day(cluster: Any, ev: Any) -> dt.date:
    if cluster.date is not None:
        return cluster.date  # type: ignore[no-any-return]
    if ev.date and len(ev.date) >= 7:  # a month: its first day, as GDELT does for vague dates
        try:
            return dt.date(int(ev.date[:4]), int(ev.date[5:7]), 1)
        except ValueError:
            pass
    return cluster.first_seen.date()  # type: ignore[no-any-return]


def event_rows(conn: Connection) -> Iterator[list[Any]]:
    """GDELT Events rows (lists of 61 values), one per event cluster, by GLOBALEVENTID."""
    first = aliased(EventRow)
    query = (
        select(EventCluster, first, ArticleRow.url, ArticleRow.source_key)
        .join(first, first.id == EventCluster.first_event_id)
        .join(ArticleRow, ArticleRow.id == first.article_id)
        .order_by(EventCluster.id)
    )
    for cluster, ev, url, key in Session(bind=conn).execute(query):
        day = _event_day(cluster, ev)
        row: list[Any] = [cluster.id, day.strftime("%Y%m%d"), day.strftime("%Y%m"), day.year]
        row.append(round(fraction_date(day), 4))
        row += _actor(ev.source_code, ev.source_text)
        row += _actor(ev.target_code, ev.target_text)
        row += [ev.is_root_event, cluster.event_code, cluster.base_code, cluster.root_code]
        row += [ev.quad_class, ev.goldstein]
        row += [
            cluster.num_mentions,
            cluster.num_sources,
            cluster.num_articles,
            None,
        ]  # AvgTone: not computed
        row += [""] * 16  # Actor1Geo_*, Actor2Geo_*: veille does not locate actors
        row += _action_geo(conn, ev)
        row += [stamp(cluster.first_seen), url or key]
        yield row


def mention_rows(conn: Connection) -> Iterator[list[Any]]:
    """GDELT Mentions rows (16 values), one per mention of a linked event in an article."""
    query = (
        select(Mention, EventCluster.first_seen, ArticleRow)
        .join(EventCluster, EventCluster.id == Mention.cluster_id)
        .join(ArticleRow, ArticleRow.id == Mention.article_id)
        .where(Mention.kind == "event")
        .order_by(Mention.cluster_id, Mention.id)
    )
    for mention, first_seen, article in Session(bind=conn).execute(query):
        web = bool(article.url and article.url.startswith(("http://", "https://")))
        seen = article.published or article.created_at
        yield [
            mention.cluster_id,
            stamp(first_seen),
            stamp(seen),
            1 if web else 2,  # 1 web, 2 citation only (a corpus record without URL)
            article.outlet or "",
            article.url if web else article.source_key,
            mention.sentence_id,
            mention.actor1_offset,
            mention.actor2_offset,
            mention.action_offset,
            mention.in_raw_text,
            mention.confidence,
            mention.doc_len,
            None,  # MentionDocTone: not computed
            translation_info(article.language),
            "",
        ]


def write_events(conn: Connection, out: TextIO) -> int:
    count = 0
    width = len(event_columns())
    for row in event_rows(conn):
        assert len(row) == width, f"GDELT events row has {len(row)} columns, not {width}"
        out.write(_line(row))
        count += 1
    return count


def write_mentions(conn: Connection, out: TextIO) -> int:
    count = 0
    width = len(mention_columns())
    for row in mention_rows(conn):
        assert len(row) == width, f"GDELT mentions row has {len(row)} columns, not {width}"
        out.write(_line(row))
        count += 1
    return count
