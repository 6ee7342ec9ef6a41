"""The actor knowledge base (``data/actors/``), loaded once per process.

Built by ``tools/build_actor_kb.py`` from the CAMEO tables, the PETRARCH/Phoenix dictionaries and
veille's curated files: entities (countries, IGOs, media, organisations, persons with dated offices),
demonyms, role words and office keys. This module turns them into one phrase lexicon per language
(see :mod:`veille.annotate.actor_match`) and answers code questions (which 3-letter segment is a
country, a region, a role).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

from veille.annotate.actor_types import Coding
from veille.resources import data_path, load_tsv

# Alias token case modes: "any" (matches whatever the case), "title" (the text word must not start in
# lower case: names), "exact" (short acronyms: "US" is not "us", "UN" is not "un").
ANY, TITLE, EXACT = "any", "title", "exact"


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@dataclass(frozen=True, slots=True)
class KbEntity:
    id: str
    kind: str
    name: str
    codings: tuple[Coding, ...]

    @property
    def offices(self) -> tuple[Coding, ...]:
        """Codings tied to a named office (curated persons): what the tenure constraint reads."""
        return tuple(c for c in self.codings if c.position)


@dataclass(frozen=True, slots=True)
class RoleInfo:
    phrase: str
    role: str | None  # CAMEO role segments to append to a country code: "GOV", "GOVMIL"
    positions: tuple[str, ...]
    head: str  # person | rank | org | group | modifier


@dataclass(frozen=True, slots=True)
class Entry:
    """One reading of a phrase: an entity name, a demonym or a role word."""

    kind: str  # entity | demonym | role
    cases: tuple[tuple[str, str], ...]  # per token: (mode, raw token)
    entity: KbEntity | None = None
    code: str | None = None  # demonym: the country or region code
    role: RoleInfo | None = None


@dataclass(slots=True)
class Lexicon:
    keys: dict[tuple[str, ...], list[Entry]] = field(default_factory=dict)
    maxlen: dict[str, int] = field(default_factory=dict)  # first folded token -> longest key
    role_starts: set[str] = field(default_factory=set)  # first tokens of role phrases
    honorifics: frozenset[str] = frozenset()  # "Mr", "M.": the name after one is a person's

    def add(self, tokens: tuple[str, ...], entry: Entry) -> None:
        if not tokens:
            return
        self.keys.setdefault(tokens, []).append(entry)
        if len(tokens) > self.maxlen.get(tokens[0], 0):
            self.maxlen[tokens[0]] = len(tokens)
        if entry.kind == "role":
            self.role_starts.add(tokens[0])


@dataclass(frozen=True, slots=True)
class CodeTable:
    countries: frozenset[str]
    regions: frozenset[str]
    roles: frozenset[str]

    def split(self, code: str) -> tuple[str | None, str | None]:
        """(country or region, primary role) of a CAMEO actor code; (None, None) for an IGO/NGO."""
        head, rest = code[:3], code[3:]
        if head == "---":
            return None, rest[:3] or None
        if head in self.countries or head in self.regions:
            role = rest[:3] if rest[:3] in self.roles else None
            return head, role
        if head in self.roles and not rest:
            return None, head
        return None, None

    def coding(self, code: str, **extra: object) -> Coding:
        country, role = self.split(code)
        return Coding(code=code, country=country, role=role, **extra)  # type: ignore[arg-type]


@cache
def code_table() -> CodeTable:
    rows = load_tsv("actors/codes.tsv")
    by_level: dict[str, set[str]] = {}
    for row in rows:
        by_level.setdefault(row["level"], set()).add(row["code"])
    roles = by_level.get("primary_role", set()) | by_level.get("secondary_role", set())
    return CodeTable(
        countries=frozenset(by_level.get("country", set())),
        regions=frozenset(by_level.get("region", set())),
        roles=frozenset(roles | by_level.get("tertiary_role", set()) | by_level.get("religion", set())),
    )


def _iter_entities() -> Iterator[tuple[KbEntity, list[tuple[str, str]]]]:
    table = code_table()
    with data_path("actors/entities.jsonl").open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip() or line.startswith("#"):
                continue
            raw = json.loads(line)
            codings = tuple(
                table.coding(
                    code,
                    start=_date(start),
                    end=_date(end),
                    position=position,
                    label=label,
                    died=_date(died),
                )
                for code, start, end, position, label, died in raw["codings"]
            )
            entity = KbEntity(id=raw["id"], kind=raw["kind"], name=raw["name"], codings=codings)
            yield entity, [(alias, lang) for alias, lang in raw["aliases"]]


@dataclass(frozen=True, slots=True)
class ActorKB:
    entities: dict[str, KbEntity]
    aliases: tuple[tuple[KbEntity, str, str], ...]  # (entity, alias, lang)
    demonyms: tuple[tuple[str, str, str], ...]  # (form, lang, code)
    roles: tuple[tuple[str, RoleInfo], ...]  # (lang, role)
    position_includes: dict[str, frozenset[str]]
    country_names: dict[str, tuple[str, str]]  # code -> (English name, French name)

    def expand_positions(self, positions: tuple[str, ...]) -> frozenset[str]:
        out: set[str] = set()
        for position in positions:
            out |= self.position_includes.get(position, frozenset({position}))
        return frozenset(out)


@cache
def load_kb() -> ActorKB:
    entities: dict[str, KbEntity] = {}
    aliases: list[tuple[KbEntity, str, str]] = []
    for entity, names in _iter_entities():
        entities[entity.id] = entity
        aliases.extend((entity, alias, lang) for alias, lang in names)
    roles = tuple(
        (
            row["lang"],
            RoleInfo(
                phrase=row["phrase"],
                role=row["role"] or None,
                positions=tuple(p for p in row["positions"].split("|") if p),
                head=row["head"],
            ),
        )
        for row in load_tsv("actors/roles.tsv")
    )
    includes = {
        row["position"]: frozenset(row["includes"].split("|")) | {row["position"]}
        for row in load_tsv("actors/positions.tsv")
    }
    return ActorKB(
        entities=entities,
        aliases=tuple(aliases),
        demonyms=tuple((r["form"], r["lang"], r["code"]) for r in load_tsv("actors/demonyms.tsv")),
        roles=roles,
        position_includes=includes,
        country_names={r["code"]: (r["name_en"], r["name_fr"]) for r in load_tsv("actors/countries.tsv")},
    )
