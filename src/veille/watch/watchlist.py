"""Watchlist files: what ``veille watch`` alerts on, as data (YAML).

A watchlist is a list of named rules; every alert names the rule that raised it::

    rules:
      - name: brest                       # required, unique; shown on each alert
        alerts: [new_claim, status_change, contradiction]
        actors: ["ministère des Armées", FRAGOV]   # names, or CAMEO actor codes (prefix: RUS)
        keywords: ["port militaire", Brest]        # words or phrases (case and accents ignored)
        countries: [FR]                   # ISO 3166 alpha-2 or alpha-3 (places in the claim)
      - name: violences-sahel
        alerts: [burst]
        cameo: ["18", "19", "145"]        # CAMEO roots or codes (prefix match)
        plover: [ASSAULT, PROTEST]
        countries: [ML, BF, NE]           # where the events happen (place, else actor country)
        thresholds: {burst_events: 5, burst_hours: 24, burst_sources: 2}

A file without ``rules:`` is one rule named after the file. Claim alerts (``new_claim``,
``status_change``, ``contradiction``) fire for claims matching the rule: a rule with no actors,
keywords or countries matches every claim. ``new_claim`` needs actors or keywords (alerting on
every new claim of every article is noise, not monitoring). ``burst`` needs CAMEO or PLOVER types:
it fires when ``burst_events`` distinct events (event clusters) of those types, reported by at
least ``burst_sources`` outlets, fall within ``burst_hours`` in one country. Without a watchlist,
one built-in rule ``claims`` reports status changes and contradictions of every claim.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pycountry
import yaml

from veille.errors import InputError

ALERT_KINDS = ("new_claim", "status_change", "contradiction", "burst")
CLAIM_KINDS = frozenset({"new_claim", "status_change", "contradiction"})
_RULE_KEYS = frozenset({"name", "alerts", "actors", "keywords", "countries", "cameo", "plover", "thresholds"})
_THRESHOLDS = {"burst_events": 5, "burst_hours": 24, "burst_sources": 1}
_ACTOR_CODE = re.compile(r"^[A-Z]{3,}$")  # USA, RUSGOV, IGOWSTNAT: a code, not a name
_CAMEO = re.compile(r"^\d{2,4}$")


def fold(text: str) -> str:
    """Lower case without accents, runs of spaces made one: how names and keywords are compared."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[’'`]", "'", plain).split())


@cache
def _phrase(folded: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(folded) + r"(?!\w)")


def contains_phrase(folded_text: str, folded_phrase: str) -> bool:
    """``folded_phrase`` occurs in ``folded_text`` as whole words."""
    return _phrase(folded_phrase).search(folded_text) is not None


@dataclass(frozen=True, kw_only=True)
class Rule:
    name: str
    alerts: frozenset[str]
    actor_names: tuple[str, ...] = ()  # folded
    actor_codes: tuple[str, ...] = ()  # upper-case CAMEO prefixes
    keywords: tuple[str, ...] = ()  # folded
    countries: frozenset[str] = frozenset()  # ISO2 and ISO3 of each country named
    cameo: tuple[str, ...] = ()
    plover: frozenset[str] = frozenset()
    burst_events: int = _THRESHOLDS["burst_events"]
    burst_hours: int = _THRESHOLDS["burst_hours"]
    burst_sources: int = _THRESHOLDS["burst_sources"]

    @property
    def filters_claims(self) -> bool:
        return bool(self.actor_names or self.actor_codes or self.keywords or self.countries)

    def wants(self, kind: str) -> bool:
        return kind in self.alerts


@dataclass(frozen=True)
class Watchlist:
    rules: tuple[Rule, ...]

    def for_kind(self, kind: str) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.wants(kind))


DEFAULT_WATCHLIST = Watchlist((Rule(name="claims", alerts=frozenset({"status_change", "contradiction"})),))


def load_watchlist(path: Path) -> Watchlist:
    """Read and check a watchlist file; :class:`InputError` names the file and the problem."""
    source = str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read the watchlist ({exc.strerror or exc})", source=source) from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InputError(f"not a YAML file ({type(exc).__name__})", source=source) from None
    return parse_watchlist(data, source=source, default_name=path.stem)


def parse_watchlist(data: Any, *, source: str, default_name: str = "watchlist") -> Watchlist:
    if not isinstance(data, Mapping):
        raise InputError("a watchlist is a mapping (rules: [...] or one rule's keys)", source=source)
    if "rules" in data:
        extra = set(data) - {"rules"}
        if extra:
            raise InputError(f"unknown top-level key(s) {sorted(map(str, extra))}", source=source)
        raw_rules = data["rules"]
        if not isinstance(raw_rules, list) or not raw_rules:
            raise InputError("'rules' must be a non-empty list", source=source)
    else:
        raw_rules = [{"name": default_name, **data}]
    rules = [_rule(raw, index, source=source) for index, raw in enumerate(raw_rules, 1)]
    names = [r.name for r in rules]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise InputError(f"rule names must be unique: {duplicates}", source=source)
    return Watchlist(tuple(rules))


def _strings(raw: Mapping[str, Any], key: str, *, where: str, source: str) -> list[str]:
    value = raw.get(key, [])
    if isinstance(value, str | int):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
        raise InputError(f"{where}: '{key}' must be a list of strings", source=source)
    return [str(v).strip() for v in value if str(v).strip()]


def _country_codes(value: str, *, where: str, source: str) -> set[str]:
    country = pycountry.countries.get(alpha_2=value.upper()) if len(value) == 2 else None
    if country is None and len(value) == 3:
        country = pycountry.countries.get(alpha_3=value.upper())
    if country is None:
        raise InputError(f"{where}: unknown country code {value!r} (ISO 3166 alpha-2 or -3)", source=source)
    return {country.alpha_2, country.alpha_3}


def _thresholds(raw: Mapping[str, Any], *, where: str, source: str) -> dict[str, int]:
    given = raw.get("thresholds") or {}
    if not isinstance(given, Mapping):
        raise InputError(f"{where}: 'thresholds' must be a mapping", source=source)
    unknown = set(given) - set(_THRESHOLDS)
    if unknown:
        raise InputError(f"{where}: unknown threshold(s) {sorted(map(str, unknown))}", source=source)
    values = dict(_THRESHOLDS)
    for key, value in given.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise InputError(f"{where}: threshold '{key}' must be a positive integer", source=source)
        values[key] = value
    return values


def _default_kinds(*, types: bool, named: bool) -> list[str]:
    """Alerts of a rule that does not list them: bursts for event types, else claim alerts."""
    if types:
        return ["burst"]
    return ["new_claim", "status_change", "contradiction"] if named else ["status_change", "contradiction"]


def _rule(raw: Any, index: int, *, source: str) -> Rule:
    if not isinstance(raw, Mapping):
        raise InputError(f"rule {index} is not a mapping", source=source)
    name = str(raw.get("name") or "").strip()
    where = f"rule {name!r}" if name else f"rule {index}"
    if not name:
        raise InputError(f"{where} has no name", source=source)
    unknown = set(raw) - _RULE_KEYS
    if unknown:
        raise InputError(f"{where}: unknown key(s) {sorted(map(str, unknown))}", source=source)
    actors = _strings(raw, "actors", where=where, source=source)
    cameo = _strings(raw, "cameo", where=where, source=source)
    bad = [c for c in cameo if not _CAMEO.match(c)]
    if bad:
        raise InputError(f"{where}: CAMEO types are 2 to 4 digits, got {bad}", source=source)
    plover = frozenset(p.upper() for p in _strings(raw, "plover", where=where, source=source))
    countries: set[str] = set()
    for code in _strings(raw, "countries", where=where, source=source):
        countries |= _country_codes(code, where=where, source=source)
    keywords = _strings(raw, "keywords", where=where, source=source)
    kinds = _strings(raw, "alerts", where=where, source=source) or _default_kinds(
        types=bool(cameo or plover), named=bool(actors or keywords)
    )
    wrong = [k for k in kinds if k not in ALERT_KINDS]
    if wrong:
        raise InputError(
            f"{where}: unknown alert kind(s) {wrong} (one of {list(ALERT_KINDS)})", source=source
        )
    rule = Rule(
        name=name,
        alerts=frozenset(kinds),
        actor_names=tuple(fold(a) for a in actors if not _ACTOR_CODE.match(a)),
        actor_codes=tuple(a for a in actors if _ACTOR_CODE.match(a)),
        keywords=tuple(fold(k) for k in keywords),
        countries=frozenset(countries),
        cameo=tuple(cameo),
        plover=plover,
        **_thresholds(raw, where=where, source=source),
    )
    if "burst" in rule.alerts and not (rule.cameo or rule.plover):
        raise InputError(f"{where}: a burst alert needs 'cameo' or 'plover' types", source=source)
    if "new_claim" in rule.alerts and not (rule.actor_names or rule.actor_codes or rule.keywords):
        raise InputError(f"{where}: a new_claim alert needs 'actors' or 'keywords'", source=source)
    return rule
