"""Code tables the exports need: CAMEO actor-code segments, countries (ISO → FIPS), PLOVER modes.

All from knowledge files under ``veille/data/`` (loaded once).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from veille.resources import load_tsv

# GDELT's geographic resolution codes (ActionGeo_Type).
GEO_COUNTRY, GEO_US_STATE, GEO_US_CITY, GEO_WORLD_CITY, GEO_WORLD_STATE = 1, 2, 3, 4, 5
_STATE_KINDS = frozenset({"region", "admin1", "state", "province", "adm1"})
_ISO639_3 = {
    "fr": "fra",
    "en": "eng",
    "de": "deu",
    "es": "spa",
    "it": "ita",
    "ru": "rus",
    "ar": "ara",
    "pt": "por",
}


@cache
def _segment_levels() -> dict[str, str]:
    return {row["code"]: row["level"] for row in load_tsv("store/cameo_actor_types.tsv")}


@cache
def _cameo_countries() -> frozenset[str]:
    return frozenset(row["code"] for row in load_tsv("store/cameo_countries.tsv"))


@cache
def _countries() -> dict[str, tuple[str, str]]:
    """ISO 3166 alpha-2 → (FIPS 10-4 code, English name), from the geo knowledge files."""
    return {
        row["iso2"]: (row["fips"], row["name"]) for row in load_tsv("geo/countries.tsv") if row.get("iso2")
    }


@cache
def _plover() -> dict[str, tuple[str, str, str]]:
    return {
        row["code"]: (row["plover"], row["plover_mode"], row["plover_context"])
        for row in load_tsv("events/cameo_codes.tsv")
    }


@dataclass(frozen=True)
class ActorParts:
    """A CAMEO actor code split the way GDELT's Actor* columns want it."""

    country: str = ""
    known_group: str = ""
    religion1: str = ""
    religion2: str = ""
    type1: str = ""
    type2: str = ""
    type3: str = ""


def split_actor(code: str | None) -> ActorParts:
    """``USAGOV`` → country USA, type GOV; ``IGOWSTNAT`` → type IGO, known group NAT (NATO)."""
    if not code:
        return ActorParts()
    segments = [code[i : i + 3] for i in range(0, len(code), 3)]
    levels = _segment_levels()
    country = segments[0] if segments[0] in _cameo_countries() and segments[0] not in levels else ""
    rest = segments[1:] if country else segments
    types, religions, groups = [], [], []
    after_international = False
    for segment in rest:
        level = levels.get(segment)
        if level is None:
            # After IGO/NGO/IMG…, an unknown segment names the group (NAT for NATO).
            if after_international:
                groups.append(segment)
            continue
        if level == "religion":
            religions.append(segment)
        elif level != "region":
            types.append(segment)
            after_international = after_international or level == "international_type"
    types += [""] * 3
    religions += [""] * 2
    return ActorParts(
        country=country,
        known_group=groups[0] if groups else "",
        religion1=religions[0],
        religion2=religions[1],
        type1=types[0],
        type2=types[1],
        type3=types[2],
    )


def fips(iso2: str | None) -> str:
    if not iso2:
        return ""
    found = _countries().get(iso2.upper())
    return found[0] if found else ""


def country_name(iso2: str | None) -> str:
    if not iso2:
        return ""
    found = _countries().get(iso2.upper())
    return found[1] if found else ""


def geo_type(kind: str | None, iso2: str | None) -> int | None:
    """GDELT geographic resolution of a place; None for areas GDELT cannot express (Europe)."""
    kind = (kind or "").lower()
    us = (iso2 or "").upper() == "US"
    if kind == "country":
        return GEO_COUNTRY
    if kind in _STATE_KINDS:
        return (GEO_US_STATE if us else GEO_WORLD_STATE) if iso2 else None
    if kind in {"continent", "sea", "ocean"} or not iso2:
        return None
    return GEO_US_CITY if us else GEO_WORLD_CITY


def plover_of(cameo: str) -> tuple[str | None, str | None, list[str]]:
    """PLOVER (event type, mode, contexts) of a CAMEO code, from the most specific code known."""
    table = _plover()
    for prefix in (cameo, cameo[:3], cameo[:2]):
        found = table.get(prefix)
        if found is not None:
            event_type, mode, context = found
            contexts = [c.strip() for c in context.split(";") if c.strip()]
            return event_type or None, mode or None, contexts
    return None, None, []


def translation_info(language: str | None) -> str:
    """GDELT's MentionDocTranslationInfo: empty for English, ``srclc:xxx`` for other languages."""
    if not language or language == "en":
        return ""
    return f"srclc:{_ISO639_3.get(language, language)}"


def fraction_date(day: dt.date) -> float:
    """GDELT FractionDate: the year plus the elapsed fraction of it."""
    start = dt.date(day.year, 1, 1)
    length = (dt.date(day.year + 1, 1, 1) - start).days
    return day.year + (day - start).days / length


def stamp(moment: dt.datetime | dt.date | None) -> str:
    """YYYYMMDDHHMMSS (UTC), GDELT's DATEADDED format."""
    if moment is None:
        return ""
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime.combine(moment, dt.time())
    return moment.strftime("%Y%m%d%H%M%S")
