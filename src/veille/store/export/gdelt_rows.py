"""GDELT 2.0 Events (61 values) and Mentions (16 values) rows, built from plain mappings.

One mapping of values for both exporters: the store's (``veille export``, from database rows) and
the Spark job's (from Spark rows), so both write the same line for the same event. A mapping has
the store's column names (``event_clusters``, ``events``, ``mentions``, ``articles``). Values follow
GDELT's formats: dates YYYYMMDD, DATEADDED YYYYMMDDHHMMSS (UTC), CAMEO codes with their leading
zeros, FIPS country codes in the *Geo_* columns; what veille does not compute (tone, actor
locations, ADM2 codes) is left empty rather than invented.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

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


def cell(value: Any) -> str:
    """One GDELT cell: empty for None, 0/1 for booleans, no trailing zeros, no tab or line break."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".") if value != int(value) else f"{value:.1f}"
    # Tabs and line breaks would break the format: GDELT fields never contain them.
    return " ".join(str(value).split())


def line(values: list[Any]) -> str:
    """One tab-separated GDELT line, without its line break."""
    return "\t".join(cell(v) for v in values)


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
    mention: Mapping[str, Any],
    article: Mapping[str, Any],
    *,
    first_seen: dt.datetime,
    seen: dt.date | dt.datetime,
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
