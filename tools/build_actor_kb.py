#!/usr/bin/env python3
"""Build veille's actor knowledge base (``src/veille/data/actors/``) from the shared reference data.

Inputs:
  * ``../shared/reference/`` — ``cameo_countries.tsv``, ``cameo_actor_types.tsv`` and the PETRARCH/Phoenix
    dictionaries ``actors/Phoenix.{Countries,International,MilNonState}.actors.txt`` and
    ``actors/Phoenix.agents.txt`` (MIT, Open Event Data Alliance; attribution kept in the built headers);
  * ``src/veille/data/actors/curated/*.tsv`` — files written for veille (names and demonyms in French and
    English, organisations, media, roles, persons with dated offices);
  * pycountry's ISO 3166 names and their French translations (build time only).

Outputs (committed, so that veille never needs ``../shared`` at run time):
  ``countries.tsv``, ``entities.jsonl``, ``demonyms.tsv``, ``roles.tsv``, ``positions.tsv``.

Usage: ``python tools/build_actor_kb.py [--reference ../shared/reference] [--out src/veille/data/actors]``.
Only the standard library and pycountry are used.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gettext
import json
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PHOENIX_NOTE = (
    "PETRARCH/Phoenix dictionaries (openeventdata/petrarch2 @ 676801cd, MIT, Copyright (c) 2014 Open Event "
    "Data Alliance; see ../shared/reference/actors/LICENSE-openeventdata-petrarch2)"
)
# Phoenix people whose every dated coding ended before this year are left out: they are history, and
# their names only add false matches to news text.
OLDEST_YEAR = 1990
# Words Phoenix writes in capitals that news text writes in lower case inside names.
LOWER_NAME_WORDS = frozenset(
    str.split("of the for and in on to at de du des la le el al bin ben ibn von van der den da di y et")
)
ORG_WORDS = frozenset(
    str.split(
        "ministry department army force forces party council agency committee union bank court "
        "office organization organisation association front movement group police guard guards "
        "brigade brigades corps command commission assembly parliament government company "
        "corporation news media"
    )
)


def fold(text: str) -> str:
    text = text.replace("’", "'").lower()
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if line.strip() and not line.startswith("#"))
        return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


# ---------------------------------------------------------------- Phoenix dictionaries


@dataclass
class PhoenixGroup:
    names: list[str] = field(default_factory=list)
    codings: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    comment: str = ""


def phoenix_date(raw: str) -> dt.date | None:
    """YYMMDD (year <= 30 means 20YY, as PETRARCH reads it) or YYYYMMDD; None when invalid."""
    raw = raw.strip()
    try:
        if len(raw) == 8:
            return dt.date(int(raw[:4]), int(raw[4:6]), int(raw[6:8]))
        if len(raw) == 6:
            year = int(raw[:2])
            return dt.date(year + (2000 if year <= 30 else 1900), int(raw[2:4]), int(raw[4:6]))
    except ValueError:
        return None
    return None


def parse_restriction(body: str) -> tuple[str, str | None, str | None] | None:
    """``CODE``, ``CODE >D``, ``CODE <D``, ``CODE A-B`` -> (code, start, end) with ISO dates."""
    parts = body.split(None, 1)
    if not parts:
        return None
    code = parts[0].strip()
    if len(parts) == 1:
        return code, None, None
    rest = parts[1].strip()
    if rest.startswith(">"):
        start = phoenix_date(rest[1:])
        return (code, start.isoformat(), None) if start else None
    if rest.startswith("<"):
        end = phoenix_date(rest[1:])
        return (code, None, end.isoformat()) if end else None
    if "-" in rest:
        a, _, b = rest.partition("-")
        start, end = phoenix_date(a), phoenix_date(b)
        if start and end and start <= end:
            return code, start.isoformat(), end.isoformat()
    return None


def read_phoenix(path: Path) -> Iterator[PhoenixGroup]:
    """Groups as PETRARCH reads them: names sharing the codes that follow them."""
    group = PhoenixGroup()
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if not raw.strip() or raw.startswith("#") or raw.startswith("<"):
            continue
        line, _, comment = raw.partition("#")
        codes = [parse_restriction(m) for m in re.findall(r"\[([^\]]*)\]", line)]
        name = re.sub(r"\[[^\]]*\]", "", line).strip()
        if raw[0] in "\t " and not name:
            group.codings.extend(c for c in codes if c)
            continue
        if not raw.startswith("+") and group.codings:
            yield group
            group = PhoenixGroup()
        if name:
            group.names.append(name.lstrip("+").strip())
            if not raw.startswith("+") and comment and not group.comment:
                group.comment = comment.strip()
        group.codings.extend(c for c in codes if c)
    if group.names and group.codings:
        yield group


def phoenix_alias(name: str) -> str:
    words = [w for w in name.replace("_", " ").split() if w]
    return " ".join(w.lower() if w.lower() in LOWER_NAME_WORDS else w for w in words)


def latest_year(codings: Iterable[tuple[str, str | None, str | None]]) -> int:
    years = [int((end or "9999")[:4]) for _, start, end in codings if start or end]
    return max(years) if years else 9999


def recent_office(codings: Iterable[tuple[str, str | None, str | None]]) -> bool:
    """A non-ELI coding still running in OLDEST_YEAR or later (or open-ended)."""
    for code, start, end in codings:
        if code.endswith("ELI") or not (start or end):
            continue
        if end is None or int(end[:4]) >= OLDEST_YEAR:
            return True
    return False


# ---------------------------------------------------------------- entities


@dataclass
class Entity:
    id: str
    kind: str
    name: str
    priority: int  # lower wins alias collisions: curated 0, countries 1, Phoenix 2-4
    codings: list[list[str | None]] = field(default_factory=list)  # code, start, end, position, label, died
    aliases: dict[tuple[str, str], None] = field(default_factory=dict)  # (alias, lang) in insertion order

    def add(self, alias: str, lang: str) -> None:
        alias = " ".join(alias.replace("’", "'").split())
        if alias:
            self.aliases[(alias, lang)] = None

    def json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "kind": self.kind,
            "name": self.name,
            "codings": self.codings,
            "aliases": [[a, lang] for a, lang in self.aliases],
        }


def pycountry_names() -> dict[str, tuple[str, str, list[str], list[str]]]:
    """ISO3 -> (ISO2, short English name, English names, French names); inverted official forms left out."""
    try:
        import pycountry
    except ImportError:
        sys.exit("pycountry is needed to build the actor KB: pip install pycountry")
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    out: dict[str, tuple[str, str, list[str], list[str]]] = {}
    for country in pycountry.countries:
        en = [country.name, getattr(country, "common_name", ""), getattr(country, "official_name", "")]
        fr = [french.gettext(n) for n in en if n]
        keep = [n for n in en if n and "," not in n and "(" not in n]
        short = getattr(country, "common_name", "") or country.name
        out[country.alpha_3] = (
            country.alpha_2,
            short,
            keep,
            [n for n in fr if "," not in n and "(" not in n],
        )
    return out


CAMEO_TO_ISO = {"TMP": "TLS", "KSV": "XKX"}
ISO2_EXTRA = {"KSV": "XK", "SUN": "SU", "CSK": "CS", "DDR": "DD", "SCG": "CS"}


def build_countries(ref: Path, cur: Path) -> tuple[list[dict[str, str]], dict[str, Entity]]:
    iso = pycountry_names()
    cameo = {r["code"]: r["name"] for r in read_tsv(ref / "cameo_countries.tsv")}
    regions = {
        r["code"]: r["label"] for r in read_tsv(ref / "cameo_actor_types.tsv") if r["level"] == "region"
    }
    rows: list[dict[str, str]] = []
    entities: dict[str, Entity] = {}
    codes = sorted(set(cameo) | {c for c in iso if c not in CAMEO_TO_ISO.values()} | {"VAT"})
    for code in codes:
        iso2, short, en, fr = iso.get(CAMEO_TO_ISO.get(code, code), (ISO2_EXTRA.get(code, ""), "", [], []))
        if code in cameo and not en:
            en = [cameo[code]]
        name_en = short or en[0]
        entity = Entity(f"cty:{code}", "country", name_en, 1, [[code, None, None, None, None, None]])
        for name in en:
            entity.add(name, "en")
        for name in fr:
            entity.add(name, "fr")
        entities[code] = entity
        rows.append({"code": code, "iso2": iso2, "name_en": name_en, "name_fr": fr[0] if fr else name_en})
    for code, label in regions.items():
        if code == "WST":
            label = "The West"
        entities[code] = Entity(f"reg:{code}", "region", label, 1, [[code, None, None, None, None, None]])
        rows.append({"code": code, "iso2": "", "name_en": label, "name_fr": ""})
    capitals: dict[str, Entity] = {}
    renamed: set[str] = set()
    for row in read_tsv(cur / "countries.tsv"):
        code, lang = row["code"], row["lang"]
        names = [n.strip() for n in row["names"].split("|") if n.strip()]
        if row["type"] == "capital":
            for name in names:
                key = f"cap:{code}:{fold(name).replace(' ', '_')}"
                cap = capitals.setdefault(
                    key, Entity(key, "capital", name, 0, [[code, None, None, None, None, None]])
                )
                cap.add(name, lang)
            continue
        for name in names:
            entities[code].add(name, lang)
        if lang == "en" and entities[code].id not in renamed:
            entities[code].name = names[0]  # the usual short name ("Russia", not "Russian Federation")
            renamed.add(entities[code].id)
            for r in rows:
                if r["code"] == code:
                    r["name_en"] = names[0]
        if lang == "fr":
            for r in rows:
                if r["code"] == code and (
                    not r["name_fr"] or r["name_fr"] == r["name_en"] or "," in r["name_fr"]
                ):
                    r["name_fr"] = names[0]
    for cap in capitals.values():
        entities[cap.id] = cap
    return rows, entities


def title_alias(alias: str, titles: frozenset[str], prefixes: frozenset[str]) -> bool:
    """ "US SECRETARY OF STATE", "PRESIDENT": a title, not a name (the title composer codes those)."""
    words = fold(alias).split()
    k = 0
    while k < len(words):
        step = next((n for n in (3, 2, 1) if " ".join(words[k : k + n]) in prefixes), 0)
        if not step:
            break
        k += step
    rest = " ".join(words[k:])
    return k < len(words) and rest in titles


def build_phoenix(
    ref: Path, countries: dict[str, Entity], titles: frozenset[str], prefixes: frozenset[str]
) -> list[Entity]:
    out: list[Entity] = []
    sources = [
        ("Phoenix.Countries.actors.txt", 3),
        ("Phoenix.International.actors.txt", 2),
        ("Phoenix.MilNonState.actors.txt", 2),
    ]
    seen: set[str] = set()
    for filename, priority in sources:
        for group in read_phoenix(ref / "actors" / filename):
            bare = [c for c, _, _ in group.codings if len(c) == 3 and c in countries]
            if bare and filename.startswith("Phoenix.Countries"):
                for name in group.names:
                    countries[bare[-1]].add(phoenix_alias(name), "en")
                continue
            head = phoenix_alias(group.names[0])
            words = {w.lower() for w in head.split()}
            dated = any(s or e for _, s, e in group.codings)
            is_person = "CountryInfo" in group.comment or (dated and not words & ORG_WORDS)
            if is_person and not recent_office(group.codings):
                continue
            code = group.codings[0][0]
            kind = (
                "person"
                if is_person
                else "igo"
                if code.startswith("IGO")
                else "ngo"
                if code.startswith("NGO")
                else "media"
                if code.endswith("MED") or code == "MED"
                else "group"
                if filename.startswith("Phoenix.MilNonState") or code.startswith("IMG")
                else "org"
            )
            base = "phx:" + fold(head).replace(" ", "_")
            key, n = base, 1
            while key in seen:
                n += 1
                key = f"{base}_{n}"
            seen.add(key)
            display = " ".join(w if w.islower() else w[:1] + w[1:].lower() for w in head.split())
            entity = Entity(key, kind, display, priority + (kind == "person"))
            entity.codings = [
                [c if c != "MED" else "---MED", s, e, None, None, None] for c, s, e in group.codings
            ]
            for name in group.names:
                alias = phoenix_alias(name)
                if kind != "person" and title_alias(alias, titles, prefixes):
                    continue
                # A one-word Phoenix org alias ("GUARD", "ADMINISTRATION") is a common noun, not a name.
                if len(alias.split()) > 1 or kind in ("person", "igo", "media", "group") or len(alias) <= 6:
                    entity.add(alias, "en" if kind not in ("person", "media") else "*")
            out.append(entity)
    return out


def split_aliases(raw: str) -> Iterator[tuple[str, str]]:
    for alias in raw.split("|"):
        alias = alias.strip()
        if alias[:3] in ("fr:", "en:"):
            yield alias[3:], alias[:2]
        elif alias:
            yield alias, "*"


def build_curated(cur: Path) -> list[Entity]:
    out: list[Entity] = []
    for filename in ("organizations.tsv", "media.tsv"):
        for row in read_tsv(cur / filename):
            entity = Entity(
                row["id"], row["kind"], row["name"], 0, [[row["code"], None, None, None, None, None]]
            )
            for alias, lang in split_aliases(row["aliases"]):
                entity.add(alias, lang)
            out.append(entity)
    persons: dict[str, Entity] = {}
    for row in read_tsv(cur / "persons.tsv"):
        entity = persons.setdefault(row["id"], Entity(row["id"], "person", row["name"], 0))
        entity.codings.append(
            [
                row["code"],
                row["start"] or None,
                row["end"] or None,
                row["position"] or None,
                row["label"] or None,
                row["died"] or None,
            ]
        )
        for alias, lang in split_aliases(row["aliases"]):
            entity.add(alias, lang)
    out.extend(persons.values())
    return out


def resolve(entities: list[Entity]) -> list[Entity]:
    """Each (folded alias, language) points to one entity: the best priority, then the latest coding.

    A Phoenix entity whose main name is claimed by a better entity (a curated person or organisation)
    is dropped whole: the curated entry replaces it, stale codings and all.
    """
    owner: dict[tuple[str, str], Entity] = {}
    order = sorted(entities, key=lambda e: (e.priority, -latest_year(tuple(c[:3]) for c in e.codings)))  # type: ignore[misc]
    dropped: set[str] = set()
    for entity in order:
        first = True
        for alias, lang in list(entity.aliases):
            keys = [(fold(alias), lang)] + ([(fold(alias), "*")] if lang != "*" else [])
            taken = next((owner[k] for k in keys if k in owner), None)
            if taken is not None and taken is not entity:
                del entity.aliases[(alias, lang)]
                if first and entity.priority >= 2 and taken.priority < entity.priority:
                    dropped.add(entity.id)
            else:
                owner[(fold(alias), lang)] = entity
            first = False
    return [e for e in entities if e.id not in dropped and e.aliases]


# ---------------------------------------------------------------- demonyms and roles


def inflect_fr(form: str) -> list[str]:
    """Masculine singular French adjective -> its four forms."""
    if form.endswith("e"):
        fem = form
    elif form.endswith(("ien", "éen", "en", "on")):
        fem = form + "ne"
    elif form.endswith("al"):
        fem = form + "e"
    else:
        fem = form + "e"
    masc_pl = form if form.endswith(("s", "x")) else form[:-2] + "aux" if form.endswith("al") else form + "s"
    return list(dict.fromkeys([form, fem, masc_pl, fem + "s"]))


def build_demonyms(cur: Path) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for row in read_tsv(cur / "demonyms.tsv"):
        forms = [f.strip() for f in row["forms"].split(",") if f.strip()]
        if row["lang"] == "fr" and len(forms) == 1 and not forms[0].isupper() and "." not in forms[0]:
            forms = inflect_fr(forms[0])
        elif row["lang"] == "en":
            forms = list(
                dict.fromkeys(forms + [f + "s" for f in forms if f.endswith(("an", "i")) and " " not in f])
            )
        rows.extend({"form": f, "lang": row["lang"], "code": row["code"]} for f in forms)
    return rows


ROLE_SEGMENT = re.compile(r"[A-Z]{3}")
DANGLING = frozenset(["to", "at", "for", "in", "of", "on", "with", "from", "by"])


def build_roles(ref: Path, cur: Path) -> list[dict[str, str]]:
    known = {r["code"] for r in read_tsv(ref / "cameo_actor_types.tsv") if r["level"] != "region"}
    rows: dict[tuple[str, str], dict[str, str]] = {}
    for lang in ("fr", "en"):
        for row in read_tsv(cur / f"roles_{lang}.tsv"):
            rows[(lang, fold(row["phrase"]))] = {"lang": lang, **row}
    subst: dict[str, list[str]] = {}
    for raw in (
        (ref / "actors" / "Phoenix.agents.txt").read_text(encoding="utf-8", errors="replace").splitlines()
    ):
        line = raw.split("#")[0].strip()
        if not line:
            continue
        if "!" in line and "=" in line:
            marker, _, items = line.partition("=")
            subst[marker.strip().strip("!")] = [i.strip() for i in items.split(",")]
            continue
        match = re.match(r"([^\[{]+?)\s*(?:\{([^}]*)\})?\s*\[([^\]]+)\]", line)
        if not match:
            continue
        phrase, plural, code = match.group(1).strip(), match.group(2), match.group(3).strip()
        segments = [s for s in ROLE_SEGMENT.findall(code.replace("~", "")) if s in known]
        if not segments:
            continue
        forms: list[tuple[str, str]] = []
        marker = re.search(r"!([A-Z]+)!", phrase)
        if marker:
            forms = [
                (
                    phrase.replace(marker.group(0), s),
                    "org" if s.endswith("Y") else "group" if s.endswith(("S", "EN")) else "person",
                )
                for s in subst.get(marker.group(1), [])
            ]
        else:
            person = re.search(r"(ER|OR|IST|MAN|ANT|[^M]ENT|IAN|ARY|IVE|AT|CRAT)$", phrase) is not None
            forms.append((phrase, "person" if person else "org"))
            if plural is None:
                plural = (
                    phrase[:-1] + "IES"
                    if phrase.endswith("Y")
                    else phrase + ("ES" if phrase.endswith("S") else "S")
                )
            if plural:
                forms.append((plural.strip(), "group"))
        for form, head in forms:
            text = form.replace("_", " ").lower()
            if text.split()[-1] in DANGLING:
                continue  # TABARI pattern pieces ("AMBASSADOR_TO"), not titles
            key = ("en", fold(text))
            if key not in rows and len(text) > 2:
                rows[key] = {
                    "lang": "en",
                    "phrase": text,
                    "role": "".join(segments),
                    "positions": "",
                    "head": head,
                }
    return sorted(rows.values(), key=lambda r: (r["lang"], r["phrase"]))


# ---------------------------------------------------------------- output


def header(what: str, sources: str) -> str:
    return (
        f"# {what}\n# Built by tools/build_actor_kb.py from {sources}.\n"
        "# Licences: Phoenix-derived rows MIT (Open Event Data Alliance, attribution kept); pycountry\n"
        "# names LGPL-2.1 data (iso-codes); curated rows Apache-2.0 (veille).\n"
        "# Do not edit: edit curated/ and rerun the script.\n"
    )


def write_tsv(path: Path, head: str, rows: list[dict[str, str]], columns: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(head)
        handle.write("\t".join(columns) + "\n")
        for row in rows:
            handle.write("\t".join(str(row.get(c) or "").replace("\t", " ") for c in columns) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=ROOT.parent / "shared" / "reference")
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "veille" / "data" / "actors")
    args = parser.parse_args(argv)
    ref, out = args.reference, args.out
    cur = out / "curated"
    if not (ref / "actors").is_dir():
        sys.exit(f"reference data not found at {ref}")
    country_rows, countries = build_countries(ref, cur)
    roles = build_roles(ref, cur)
    demonyms = build_demonyms(cur)
    titles = frozenset(fold(r["phrase"]) for r in roles if r["lang"] == "en")
    prefixes = frozenset(
        [fold(d["form"]) for d in demonyms if d["lang"] == "en"]
        + [fold(a) for e in countries.values() for a, lang in e.aliases if lang != "fr"]
        + ["the", "former", "acting"]
    )
    phoenix = build_phoenix(
        ref, {k: v for k, v in countries.items() if v.kind == "country"}, titles, prefixes
    )
    entities = resolve(build_curated(cur) + list(countries.values()) + phoenix)
    write_tsv(
        out / "countries.tsv",
        header(
            "Countries and regions: CAMEO code, ISO 3166 alpha-2, English and French names.",
            "cameo_countries.tsv, cameo_actor_types.tsv, pycountry, curated/countries.tsv",
        ),
        country_rows,
        ["code", "iso2", "name_en", "name_fr"],
    )
    with (out / "entities.jsonl").open("w", encoding="utf-8") as handle:
        handle.write(
            header(
                "Actor entities, one JSON object a line: id, kind, name, aliases [alias, lang],\n"
                "# codings [code, start, end, position, label, died]",
                f"{PHOENIX_NOTE}, pycountry and curated/*.tsv",
            )
        )
        for entity in sorted(entities, key=lambda e: e.id):
            handle.write(json.dumps(entity.json(), ensure_ascii=False, separators=(",", ":")) + "\n")
    write_tsv(
        out / "demonyms.tsv",
        header("Demonyms: inflected form, language, CAMEO country or region code.", "curated/demonyms.tsv"),
        demonyms,
        ["form", "lang", "code"],
    )
    write_tsv(
        out / "roles.tsv",
        header(
            "Role words and titles -> CAMEO role segments, office keys and head type.",
            f"curated/roles_*.tsv and the agents of the {PHOENIX_NOTE}",
        ),
        roles,
        ["lang", "phrase", "role", "positions", "head"],
    )
    types = read_tsv(ref / "cameo_actor_types.tsv")
    region_codes = {r["code"] for r in types if r["level"] == "region"}
    levels = [{"code": r["code"], "level": "country"} for r in country_rows if r["code"] not in region_codes]
    levels += [{"code": r["code"], "level": r["level"]} for r in types]
    seen_codes: set[str] = set()
    levels = [r for r in levels if not (r["code"] in seen_codes or seen_codes.add(r["code"]))]
    write_tsv(
        out / "codes.tsv",
        header(
            "CAMEO 3-letter segments and their level (country, region, primary_role, ...).",
            "cameo_countries.tsv, cameo_actor_types.tsv, pycountry",
        ),
        levels,
        ["code", "level"],
    )
    write_tsv(
        out / "positions.tsv",
        header("Generic office keys and the offices they include.", "curated/positions.tsv"),
        read_tsv(cur / "positions.tsv"),
        ["position", "includes"],
    )
    kinds: dict[str, int] = {}
    for entity in entities:
        kinds[entity.kind] = kinds.get(entity.kind, 0) + 1
    print(f"entities: {len(entities)} {dict(sorted(kinds.items()))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
