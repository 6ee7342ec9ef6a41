"""Compile a language's date grammar (``data/dates/<lang>.yaml``) once: regexes, lookups, triggers.

The YAML holds the knowledge; this module only turns it into fast matchers:

- every lexicon table ``name`` becomes a regex macro ``@name`` (whole words, longest first) and a
  lookup from the folded, lower-cased words to their value;
- a few macros are built in: ``@yyyy`` (a plausible year), ``@dd`` (1-31), ``@mm`` (1-12),
  ``@dsuf``/``@ordsuf`` (the language's day/ordinal suffixes), ``@numword`` (a run of number words),
  ``@num`` (digits or number words or a vague quantity), ``@day`` and ``@dayword`` (a day of the
  month in digits or words), ``@ordword`` (an ordinal), ``@ampm``;
- patterns are compiled with IGNORECASE | VERBOSE and run on the accent-folded text.

Named groups of the patterns form a small vocabulary read by :mod:`veille.annotate.date_reading`:
year/year2, month, day, n1/n2 (day and month in the language's numeric order), weekday, dir/dir2,
today, nth/nth_unit, weeks_later, month_dir/month_dir2 (a day of "ce mois"/"le mois prochain"),
now, deictic, qmod, n, unit/unit2, frac/frac2, week, week_of_day, decade, quarter_code, season,
holiday, hour/hour2, minute/minute2, second, ampm/ampm2, minus, past, noon, pod/pod2-4, eod/eod2
(end of the day), part/part2, frequency, year_words, and core (the span when context words are
matched around it). In a ``range`` pattern, the groups of the second bound end in ``_e``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from veille.errors import ModelError
from veille.resources import load_yaml

# One character for one character, so offsets into the folded text are offsets into the text.
_FOLD_PAIRS = {
    "àáâãäå": "a", "ÀÁÂÃÄÅ": "A", "ç": "c", "Ç": "C", "èéêë": "e", "ÈÉÊË": "E", "ìíîï": "i", "ÌÍÎÏ": "I",
    "ñ": "n", "Ñ": "N", "òóôõö": "o", "ÒÓÔÕÖ": "O", "ùúûü": "u", "ÙÚÛÜ": "U", "ýÿ": "y", "Ý": "Y",
    "’‘ʼ`´": "'", "\u00a0\u202f\u2009\u2007": " ", "‐‑‒–—": "-",
}  # fmt: skip
_FOLD_MAP = {ch: repl for chars, repl in _FOLD_PAIRS.items() for ch in chars}
FOLD_TABLE = str.maketrans(_FOLD_MAP)
# Substituting only the few accented characters is faster than str.translate on non-ASCII text.
_FOLD_CHARS = re.compile("[" + "".join(re.escape(ch) for ch in _FOLD_MAP) + "]")

# Lexicon tables whose words may start a search window, by trigger category.
TRIGGER_TABLES: dict[str, tuple[str, ...]] = {
    "month": ("month", "month_abbr"),
    "weekday": ("weekday", "weekday_abbr", "weekday_plural"),
    "unit": ("unit", "period_unit", "nth_unit"),
    "deictic": ("deictic",),
    "now": ("now",),
    "part_of_day": ("part_of_day",),
    "season": ("season",),
    "holiday": ("holiday",),
    "frequency": ("frequency",),
    "clock_word": ("clock_word",),
    "ordinal": ("ordinal", "last_ordinal"),
}
_WORD = re.compile(r"[^\W\d_]+")


def fold(text: str) -> str:
    """Accent-folded copy of ``text`` with the same length (offsets are kept)."""
    return _FOLD_CHARS.sub(_fold_char, text)


def _fold_char(match: re.Match[str]) -> str:
    return _FOLD_MAP[match.group()]


def normalize_key(text: str) -> str:
    """The lookup key of matched words: folded, lower case, hyphens and runs of spaces as one space."""
    key = fold(text).lower().replace("-", " ").replace(".", " ")
    return " ".join(key.split())


@dataclass(frozen=True, slots=True)
class Pattern:
    name: str
    kind: str
    regex: re.Pattern[str]
    needs: frozenset[str]
    fixed: dict[str, Any]
    check: str | None
    priority: int


@dataclass(frozen=True)
class Grammar:
    """Everything the annotator needs for one language, compiled once."""

    lang: str
    numeric_order: str
    patterns: tuple[Pattern, ...]
    lookups: dict[str, dict[str, Any]]
    triggers: dict[str, frozenset[str]]  # folded lower-case word -> categories
    ambiguous_months: frozenset[str]
    ambiguous_month_case: str
    ambiguous_seasons: frozenset[str]
    ambiguous_units: frozenset[str]
    season_cue_before: re.Pattern[str]
    date_cue_before: re.Pattern[str]
    duration_cue_before: re.Pattern[str]
    duration_only_cue_before: re.Pattern[str]
    clock_cue_before: re.Pattern[str]
    span_cue_before: re.Pattern[str]
    publication_cue_before: re.Pattern[str]
    update_cue_before: re.Pattern[str]
    dateline_before: re.Pattern[str]
    datetime_gap: re.Pattern[str]
    weekday_gap: re.Pattern[str]
    range_open: re.Pattern[str]
    range_mid_open: re.Pattern[str]
    range_mid: re.Pattern[str]
    open_mod_before: re.Pattern[str]
    open_mods: dict[str, str]
    future_aux: frozenset[str]
    future_cues: tuple[str, ...] = ()
    date_cue_words: frozenset[str] = field(default_factory=frozenset)
    need_sets: frozenset[frozenset[str]] = field(default_factory=frozenset)
    glued_triggers: frozenset[str] = field(default_factory=frozenset)

    def lookup(self, table: str, text: str | None) -> Any:
        if text is None:
            return None
        return self.lookups.get(table, {}).get(normalize_key(text))


def _notice_regex(keys: list[str]) -> re.Pattern[str]:
    """Cue words ending right before a date ("Publié le", "Updated on:"), matched on folded text."""
    return re.compile(_words_regex(keys) + r"\s*:?\s*(?:le|on|du)?\s*$", re.IGNORECASE)


def _dateline_regex(leads: list[str]) -> re.Pattern[str]:
    """What may precede a dateline's date on its line: a place name and a comma, an agency in
    brackets, then one lead word ("Vienne, le 20 novembre 2024", "Le 1er décembre 2024")."""
    lead = rf"(?:{_words_regex(leads)}[ \t]+)?" if leads else ""
    return re.compile(
        r"(?:^|\n)[ \t]*(?:[^\W\d_][^\n,.;]{0,40},[ \t]*)?(?:\([^)\n]{0,30}\)[ \t]*)?" + lead + "$",
        re.IGNORECASE,
    )


def _words_regex(keys: list[str]) -> str:
    """Alternation of lexicon entries (already normalised) as whole words, written as a trie.

    A trie ("j(?:anvier|ui(?:n|llet))") fails at the first letter on most positions, which makes
    the large word lists cheap to try; a space in an entry matches spaces or a hyphen.
    """
    trie: dict[str, Any] = {}
    for key in set(keys):
        node = trie
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}
    if not trie:
        return r"(?!x)x"
    # Whole words, but digits may touch them ("3jours", "15h30", "Dec31"); elided entries ("l'",
    # "d'") end inside a word: the apostrophe is their boundary.
    return r"(?<![^\W\d_])" + _trie_regex(trie) + r"(?:(?<=')|(?![^\W\d_]))"


def _trie_regex(node: dict[str, Any]) -> str:
    alternatives = []
    for char in sorted(c for c in node if c):
        token = r"[-\s]+" if char == " " else r"'\s?" if char == "'" else re.escape(char)
        alternatives.append(token + _trie_regex(node[char]))
    if not alternatives:
        return ""
    body = alternatives[0] if len(alternatives) == 1 else "(?:" + "|".join(alternatives) + ")"
    # An entry ending here ("juin" inside "juin|juillet") makes the rest optional.
    return "(?:" + body + ")?" if "" in node else body


def _numeric_macros(data: dict[str, Any], words: dict[str, str]) -> dict[str, str]:
    dsuf = data.get("day_suffix", "")
    osuf = data.get("ordinal_suffix", "")
    # At most seven words ("two thousand and twenty one"): an unbounded run of number words would
    # make matching quadratic on pathological text.
    numword = (
        r"(?:" + words["number"] + r")(?:(?:[-\s]+(?:et[-\s]+|and[-\s]+)?)(?:" + words["number"] + r")){0,6}"
    )
    ordword = r"(?:(?:" + numword + r")[-\s]+)?(?:" + words["ordinal"] + r")"
    digits = r"(?<![\d.,])(?<!\d\s)\d+(?:[.,]\d+)?"
    # Not glued to other digits, nor a sum of money ("$12", "12 €" is checked by the patterns).
    dd = r"(?<![\d$€£])(?<![$€£]\s)(?:0?[1-9]|[12]\d|3[01])(?!\d)"
    dayword = r"(?:" + ordword + r"|" + numword + r")"
    return {
        "yyyy": r"(?:1[5-9]\d\d|20\d\d|21\d\d)(?!\d)",
        "dd": dd,
        "mm": r"(?:0?[1-9]|1[0-2])(?!\d)",
        "dsuf": dsuf + "?",
        "ordsuf": osuf,
        "numword": numword,
        "ordword": ordword,
        "dayword": dayword,
        "day": r"(?:(?<![.,])" + dd + dsuf + r"?(?!\w)|" + dayword + r")",
        # Vague and approximate counts first: "une quinzaine de mois" is fifteen months, not "une"
        # (one) fortnight followed by "de mois".
        "num": r"(?:"
        + digits
        + r"|"
        + words["vague"]
        + r"|"
        + numword
        + r"|"
        + words["article_number"]
        + r")",
        # "9a"/"9p" only glued to the hour: a lone "a" is the French "à" once accents are folded.
        "ampm": r"(?:a\.?\s?m\.?|p\.?\s?m\.?|(?<=\d)[ap])(?![\w])",
    }


def _expand(template: str, macros: dict[str, str]) -> str:
    def repl(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in macros:
            raise ModelError(f"date grammar: unknown macro @{name}")
        return "(?:" + macros[name] + ")"

    # Macro names are greedy: "@dayword" is never read as "@day" followed by "word".
    return re.sub(r"@([a-z_]+)", repl, template)


def _cue_regex(keys: list[str]) -> re.Pattern[str]:
    """Matches when the text ends with one of the cue words (and spaces)."""
    body = _words_regex(keys) if keys else r"(?!x)x"
    return re.compile(body + r"\s*$", re.IGNORECASE)


@cache
def load_grammar(lang: str) -> Grammar:
    """The compiled grammar of ``lang`` (English for languages without their own file)."""
    try:
        data = load_yaml(f"dates/{lang}.yaml")
    except ModelError:
        data = load_yaml("dates/en.yaml")
        lang = "en"
    lexicon: dict[str, dict[str, Any]] = {}
    for table, entries in (data.get("lexicon") or {}).items():
        if isinstance(entries, list):
            entries = dict.fromkeys(entries, True)
        lexicon[table] = {normalize_key(str(k)): v for k, v in entries.items()}
    for table in (
        "number",
        "ordinal",
        "last_ordinal",
        "vague",
        "article_number",
        "clock_word",
        "nth_unit",
        "deictic_pod",
    ):
        lexicon.setdefault(table, {})
    words = {table: _words_regex(list(entries)) for table, entries in lexicon.items()}
    macros = dict(words)
    macros.update(_numeric_macros(data, words))
    patterns = []
    for index, spec in enumerate(data.get("patterns") or []):
        # Every expression starts at a word boundary ("at" must not match inside "That").
        source = r"(?<!\w)(?:" + _expand(spec["re"], macros) + ")"
        try:
            regex = re.compile(source, re.IGNORECASE | re.VERBOSE)
        except re.error as exc:
            raise ModelError(
                f"date grammar {lang}: pattern {spec['name']!r} does not compile: {exc}"
            ) from exc
        patterns.append(
            Pattern(
                name=spec["name"],
                kind=spec.get("kind", "when"),
                regex=regex,
                needs=frozenset(spec.get("needs") or ()),
                fixed=dict(spec.get("set") or {}),
                check=spec.get("check"),
                priority=index,
            )
        )
    triggers: dict[str, set[str]] = {}
    for category, tables in TRIGGER_TABLES.items():
        for table in tables:
            for key in lexicon.get(table, {}):
                # The longest word of a multi-word entry triggers it ("saint sylvestre" → "sylvestre"):
                # short function words ("de", "la") would open windows everywhere.
                word = max(re.split(r"[ ']", key), key=len)
                triggers.setdefault(word, set()).add(category)
    # Ordinal suffixes ("1st", "3e") count as ordinals when glued to a number (see trigger_spans).
    glued = frozenset(normalize_key(str(w)) for w in data.get("ordinal_suffix_words") or ())
    for word in glued:
        triggers.setdefault(word, set()).add("ordinal")
    # Patterns may also name literal trigger words ("=nineteen") when no lexicon table fits.
    for pattern in patterns:
        for need in pattern.needs:
            if need.startswith("="):
                triggers.setdefault(need[1:], set()).add(need)
    combine = data.get("combine") or {}
    open_mods = {normalize_key(k): v for k, v in (combine.get("open_mod") or {}).items()}

    def rx(key: str) -> re.Pattern[str]:
        return re.compile(_expand(combine.get(key, r"(?!x)x"), macros), re.IGNORECASE)

    cues = lexicon.get("date_cue", {})
    return Grammar(
        lang=lang,
        numeric_order=str(data.get("numeric_order", "dmy")),
        patterns=tuple(patterns),
        lookups=lexicon,
        triggers={word: frozenset(cats) for word, cats in triggers.items()},
        ambiguous_months=frozenset(lexicon.get("ambiguous_month", {})),
        ambiguous_month_case=str(data.get("ambiguous_month_case", "lower")),
        ambiguous_seasons=frozenset(lexicon.get("ambiguous_season", {})),
        ambiguous_units=frozenset(lexicon.get("ambiguous_unit", {})),
        season_cue_before=_cue_regex(list(lexicon.get("season_cue", {}))),
        date_cue_before=_cue_regex([k for k, v in cues.items() if v]),
        duration_cue_before=_cue_regex(list(lexicon.get("duration_cue", {}))),
        duration_only_cue_before=_cue_regex(list(lexicon.get("duration_only_cue", {}))),
        clock_cue_before=_cue_regex(list(lexicon.get("clock_cue", {}))),
        publication_cue_before=_notice_regex(list(lexicon.get("publication_cue", {}))),
        update_cue_before=_notice_regex(list(lexicon.get("update_cue", {}))),
        dateline_before=_dateline_regex(list(lexicon.get("dateline_lead", {}))),
        span_cue_before=re.compile(
            _words_regex(list(lexicon.get("span_cue", {}))) + r"[^.;!?]*$", re.IGNORECASE
        ),
        datetime_gap=rx("datetime_gap"),
        weekday_gap=rx("weekday_gap"),
        range_open=rx("range_open"),
        range_mid_open=rx("range_mid_open"),
        range_mid=rx("range_mid"),
        open_mod_before=re.compile(
            _words_regex(list(open_mods)) + r"(?:\s*" + combine.get("article", r"(?!x)x") + r")?\s*$",
            re.IGNORECASE,
        ),
        open_mods=open_mods,
        future_aux=frozenset(str(w) for w in combine.get("future_aux") or ()),
        future_cues=tuple(fold(str(w)) for w in combine.get("future_cues") or ()),
        date_cue_words=frozenset(cues),
        need_sets=frozenset(p.needs for p in patterns if p.needs),
        glued_triggers=glued,
    )


def trigger_spans(grammar: Grammar, folded: str) -> list[tuple[int, int, frozenset[str]]]:
    """Positions of words and digits that can be part of a date, with their categories."""
    found: list[tuple[int, int, frozenset[str]]] = []
    triggers = grammar.triggers
    lower = folded.lower()
    if len(lower) != len(folded):  # a few characters change length in lower case ("İ")
        lower = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in folded)
    for match in _WORD.finditer(lower):
        word = match.group()
        cats = triggers.get(word)
        if cats is None:
            continue
        start = match.start()
        # One-letter units ("3h", "10D") and ordinal suffixes ("1st") count only glued to a number.
        glued = start > 0 and (folded[start - 1].isdigit() or folded[start - 2 : start].strip().isdigit())
        if (len(word) == 1 or word in grammar.glued_triggers) and not glued:
            continue
        found.append((start, match.end(), cats))
    digit = frozenset({"digit"})
    found.extend((m.start(), m.end(), digit) for m in _DIGITS.finditer(folded))
    found.sort(key=lambda item: item[0])
    return found


_DIGITS = re.compile(r"\d+")
