"""The boilerplate rules of ``data/boilerplate/*.yaml``, compiled once per process.

Every language file is merged: a page's boilerplate is often in another language than its
article (a French article under an English theme's "Check Also"), and the language is only
identified after cleaning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from veille.resources import load_yaml

RULE_FILES: tuple[str, ...] = ("boilerplate/common.yaml", "boilerplate/fr.yaml", "boilerplate/en.yaml")
_FLAGS = re.IGNORECASE


@dataclass(frozen=True)
class LineRule:
    """Lines of at most ``max_words`` words on which ``pattern`` is found are removed for ``reason``."""

    reason: str
    max_words: int
    pattern: re.Pattern[str]
    contains: tuple[str, ...] = ()  # a line must contain one of these for floating patterns


@dataclass(frozen=True)
class BoilerplateRules:
    line_rules: tuple[LineRule, ...]
    # For a line of n words: the rules that apply to it as two regexes, each rule's patterns a
    # named group r<i>: those anchored at the start (tried at position 0 only, with .match) and
    # the floating ones (searched). Two regex calls per line instead of one per rule.
    line_rule_index: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...]
    # Casefolded words one of which a line must contain for the floating patterns to be searched
    # (``contains`` of the rules); None when some rule with floating patterns declares none.
    floating_triggers: tuple[str, ...] | None
    teaser_header: re.Pattern[str]  # the phrase alone on its line: a block of teasers follows
    teaser_link: re.Pattern[str]  # the phrase, a colon, a headline: a one-line teaser
    breadcrumb_separator: re.Pattern[str]
    breadcrumb_hint: re.Pattern[str]  # any separator character: a cheap test before the real one
    breadcrumb_home: frozenset[str]  # casefolded
    max_crumb_words: int
    min_crumb_separators: int
    language_menu: re.Pattern[str]
    language_codes: re.Pattern[str]
    share_bar: re.Pattern[str]
    stray_max_chars: int
    stray_symbols_max_chars: int
    prose_min_words: int
    prose_end_chars: str
    teaser_max_item_words: int
    teaser_max_truncated_words: int
    teaser_mid_article_items: int
    html_context: tuple[tuple[str, re.Pattern[str]], ...]


def _alternation(words: Iterable[str]) -> str:
    # Longest first, so that a name is never cut short by one of its prefixes.
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _menu(names: Iterable[str], *, minimum: int, separator: str) -> re.Pattern[str]:
    alt = _alternation(names)
    # Atomic repetition: no name is a prefix of another, so giving back a name never helps, and
    # a long near-miss line fails in linear time.
    return re.compile(rf"^(?:{alt})(?>(?:{separator})(?:{alt})){{{max(minimum - 1, 1)},}}+\s*:?$", _FLAGS)


def _rule_index(
    rules: tuple[LineRule, ...], specs: tuple[tuple[str, ...], ...]
) -> tuple[tuple[re.Pattern[str], re.Pattern[str]], ...]:
    longest = max((rule.max_words for rule in rules), default=0)
    compiled: dict[tuple[int, ...], tuple[re.Pattern[str], re.Pattern[str]]] = {}
    index: list[tuple[re.Pattern[str], re.Pattern[str]]] = []
    for words in range(longest + 1):
        applicable = tuple(i for i, rule in enumerate(rules) if rule.max_words >= words)
        if applicable not in compiled:
            compiled[applicable] = (
                _named(specs, applicable, anchored=True),
                _named(specs, applicable, anchored=False),
            )
        index.append(compiled[applicable])
    return tuple(index)


def _named(specs: tuple[tuple[str, ...], ...], rules: tuple[int, ...], *, anchored: bool) -> re.Pattern[str]:
    groups = []
    for i in rules:
        patterns = [p for p in specs[i] if p.startswith("^") == anchored]
        if patterns:
            groups.append(f"(?P<r{i}>" + "|".join(f"(?:{p})" for p in patterns) + ")")
    return re.compile("|".join(groups) or r"(?!)", _FLAGS)


def _line_rules(tables: list[Mapping[str, Any]]) -> tuple[tuple[LineRule, ...], tuple[tuple[str, ...], ...]]:
    rules: list[LineRule] = []
    specs: list[tuple[str, ...]] = []
    for table in tables:
        for reason, spec in (table.get("line_rules") or {}).items():
            patterns = tuple(str(p) for p in spec["patterns"])
            pattern = "|".join(f"(?:{p})" for p in patterns)
            contains = tuple(str(c).casefold() for c in spec.get("contains") or ())
            rules.append(LineRule(str(reason), int(spec["max_words"]), re.compile(pattern, _FLAGS), contains))
            specs.append(patterns)
    return tuple(rules), tuple(specs)


def _floating_triggers(
    rules: tuple[LineRule, ...], specs: tuple[tuple[str, ...], ...]
) -> tuple[str, ...] | None:
    triggers: list[str] = []
    for rule, patterns in zip(rules, specs, strict=True):
        if all(p.startswith("^") for p in patterns):
            continue
        if not rule.contains:
            return None
        triggers.extend(rule.contains)
    return tuple(dict.fromkeys(triggers))


@cache
def load_rules() -> BoilerplateRules:
    tables: list[Mapping[str, Any]] = [load_yaml(name) for name in RULE_FILES]
    common = tables[0]
    headers = "|".join(f"(?:{h})" for table in tables for h in table.get("teaser_headers") or ())
    crumbs = common["breadcrumb"]
    loose = "|".join(re.escape(s) for s in crumbs["loose"])
    spaced = "|".join(re.escape(s) for s in crumbs["spaced"])
    menu = common["language_menu"]
    share = common["share_bar"]
    teaser = common["teaser"]
    line_rules, specs = _line_rules(tables)
    return BoilerplateRules(
        line_rules=line_rules,
        line_rule_index=_rule_index(line_rules, specs),
        floating_triggers=_floating_triggers(line_rules, specs),
        teaser_header=re.compile(rf"^(?:{headers})\s*[:：.…]?$", _FLAGS),
        teaser_link=re.compile(rf"^(?:{headers})\s*[:：\-–—]\s*\S", _FLAGS),
        breadcrumb_separator=re.compile(rf"\s*(?:{loose})\s*|\s+(?:{spaced})\s+"),
        breadcrumb_hint=re.compile(f"(?:{loose}|{spaced})"),
        breadcrumb_home=frozenset(h.casefold() for t in tables for h in t.get("breadcrumb_home") or ()),
        max_crumb_words=int(crumbs["max_crumb_words"]),
        min_crumb_separators=int(crumbs["min_separators"]),
        # Language names may be glued together ("ArabicDutchEnglish"): the separator is optional.
        language_menu=_menu(
            menu["names"], minimum=int(menu["min_names"]), separator=r"(?:\s*[|/·•,]\s*|\s+)?"
        ),
        language_codes=re.compile(
            rf"^(?:{_alternation(menu['codes'])})(?:(?:\s*[|/·•]\s*|\s+)(?:{_alternation(menu['codes'])}))"
            rf"{{{int(menu['min_codes']) - 1},}}$"
        ),
        share_bar=_menu(
            share["names"], minimum=int(share["min_names"]), separator=r"\s*[|/·•,:]?\s+|\s*[|/·•,:]\s*"
        ),
        stray_max_chars=int(common["stray"]["max_chars"]),
        stray_symbols_max_chars=int(common["stray"]["symbols_max_chars"]),
        prose_min_words=int(common["prose"]["min_words"]),
        prose_end_chars=str(common["prose"]["end_chars"]),
        teaser_max_item_words=int(teaser["max_item_words"]),
        teaser_max_truncated_words=int(teaser["max_truncated_words"]),
        teaser_mid_article_items=int(teaser["mid_article_items"]),
        html_context=tuple((str(k), re.compile(str(v), _FLAGS)) for k, v in common["html_context"].items()),
    )
