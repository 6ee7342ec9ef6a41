"""Find the knowledge base's phrases in a text: names, demonyms and role words.

Text and phrases are cut into words by the same rule (runs of letters/digits, each other character on
its own), so matching does not depend on the spaCy tokenizer and a phrase like "Avia.pro" or "d'État"
matches however the model splits it. Words are compared case- and accent-folded; each phrase word then
checks the case of the text word (see :data:`veille.annotate.actor_kb.EXACT`). Lookups go through a dict
of word tuples keyed by first word, so a 25 000-name lexicon costs a few dict probes per word.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import NamedTuple

from veille.annotate.actor_kb import ANY, EXACT, TITLE, Entry, Lexicon, load_kb
from veille.resources import load_yaml

WORD = re.compile(r"[^\W_]+|[^\w\s]")
MAX_KEY = 12  # longest phrase considered, in words: bounds the work per word
MAX_GAP_START = 4  # a demonym may sit this many words into a role phrase ("vice-ministre russe de ...")
SENTENCE_END = frozenset(".!?\n")


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").lower()
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


class Word(NamedTuple):
    """One word of the text; a named tuple because every article makes thousands of them (a frozen
    dataclass costs three times as much to build)."""

    start: int
    end: int
    raw: str
    norm: str
    sent_start: bool


# Words and line breaks in one scan: a line break is a sentence boundary for the names that follow.
_WORD_OR_BREAK = re.compile(r"\n|[^\W_]+|[^\w\s]")
_new_word = tuple.__new__  # what Word(...) calls, without its Python-level __new__ frame


def words(text: str) -> list[Word]:
    out: list[Word] = []
    append = out.append
    find = text.find
    boundary = True
    position = 0
    # findall and find are C loops; a Match object per word (group, span) costs more than the rest.
    # ``find`` lands on the match itself: the characters the pattern skips (spaces, "_") cannot start
    # a word, and the search starts at the end of the previous one.
    for raw in _WORD_OR_BREAK.findall(text):
        start = find(raw, position)
        position = start + len(raw)
        if raw == "\n":
            boundary = True
            continue
        append(_new_word(Word, (start, position, raw, fold(raw), boundary)))
        boundary = raw in SENTENCE_END
    return out


def case_modes(alias: str) -> tuple[tuple[str, str], ...]:
    raws = [m.group() for m in WORD.finditer(alias)]
    alpha = [r for r in raws if any(c.isalpha() for c in r)]
    acronym = len(alpha) == 1 or all(r.isupper() and len(r) <= 3 for r in alpha)
    modes: list[tuple[str, str]] = []
    for raw in raws:
        if not any(c.isalpha() for c in raw) or raw.islower():
            modes.append((ANY, raw))
        elif raw.isupper() and len(raw) <= 3 and acronym:
            modes.append((EXACT, raw))
        else:
            modes.append((TITLE, raw))
    return tuple(modes)


# Arabic articles inside names, written with a space in the dictionaries ("Omar al Bashir") and a hyphen
# in the press ("Omar al-Bashir"), or the reverse: each spelling of an alias also gets the other.
ARTICLES = frozenset({"al", "el", "ad", "ar", "as", "ash", "at", "az", "ed", "er", "es"})


def hyphen_variant(modes: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...] | None:
    """The alias with the hyphens after its articles added (or removed when it has them); None if none."""
    out: list[tuple[str, str]] = []
    changed = False
    for k, (mode, raw) in enumerate(modes):
        if raw == "-" and k > 0 and k + 1 < len(modes) and fold(modes[k - 1][1]) in ARTICLES:
            changed = True
            continue
        out.append((mode, raw))
        following = modes[k + 1][1] if k + 1 < len(modes) else ""
        if k > 0 and fold(raw) in ARTICLES and following[:1].isalpha():
            out.append((ANY, "-"))
            changed = True
    return tuple(out) if changed else None


_PLACE_KINDS = frozenset({"country", "capital", "region"})


@cache
def lexicon(lang: str) -> Lexicon:
    """The phrase lexicon of one language (French or English; other languages use English)."""
    lang = lang if lang in ("fr", "en") else "en"
    kb = load_kb()
    lex = Lexicon(honorifics=frozenset(load_yaml("actors/grammar.yaml")[lang].get("honorifics", ())))
    for entity, alias, alias_lang in kb.aliases:
        if alias_lang in (lang, "*"):
            modes = case_modes(alias)
            for spelling in (modes, hyphen_variant(modes)):
                if spelling is not None:
                    lex.add(tuple(fold(raw) for _, raw in spelling), Entry("entity", spelling, entity=entity))
    for form, form_lang, code in kb.demonyms:
        if form_lang == lang:
            modes = case_modes(form)
            lex.add(tuple(fold(raw) for _, raw in modes), Entry("demonym", modes, code=code))
    for role_lang, role in kb.roles:
        if role_lang == lang:
            modes = tuple((ANY, m.group()) for m in WORD.finditer(role.phrase))
            lex.add(tuple(fold(raw) for _, raw in modes), Entry("role", modes, role=role))
    return lex


@dataclass(frozen=True, slots=True)
class Match:
    """Words ``start``..``end`` (exclusive) read as ``entries``; ``gap`` is an inner demonym's words."""

    start: int
    end: int
    entries: tuple[Entry, ...]
    gap: tuple[int, int] | None = None
    gap_code: str | None = None  # the inner demonym's country code

    def of_kind(self, kind: str) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.kind == kind)


def is_all_caps(ws: list[Word]) -> bool:
    letters = [w.raw for w in ws if len(w.raw) > 1 and w.raw.isalpha()]
    return bool(letters) and sum(r.isupper() for r in letters) > 0.6 * len(letters)


# Words after which a capitalised role word is still a title ("le Premier ministre", "the President").
TITLE_OPENERS = frozenset(
    str.split("le la les l ' un une the a an son sa ses leur his her its their of de du des d")
)


def _lower_name_ok(entry: Entry, word: Word, after_title: bool) -> bool:
    """A name word written in lower case still reads as the name when it carries a capital elsewhere
    ("iSrael": a typing slip, no common word looks like that) or is a known person's name right after a
    person title ("President obama", "le président macron")."""
    if any(c.isupper() for c in word.raw[1:]):
        return True
    return after_title and entry.entity is not None and entry.entity.kind == "person"


def _case_ok(
    entry: Entry,
    seq: list[Word],
    all_caps: bool,
    prev: Word | None = None,
    after: Word | None = None,
    *,
    after_title: bool = False,
) -> bool:
    for (mode, raw), word in zip(entry.cases, seq, strict=False):
        if mode == EXACT:
            if word.raw != raw and not (all_caps and len(raw) > 2 and word.raw.upper() == raw):
                return False
            if all_caps and len(raw) <= 2 and entry.kind != "role":
                return False  # "US", "UN" cannot be told from "us", "un" in capitals
        elif (
            mode == TITLE
            and not all_caps
            and word.raw[:1].islower()
            and not _lower_name_ok(entry, word, after_title)
        ):
            return False
    if entry.kind == "role" and not all_caps:
        first = seq[0]
        # A capitalised role word inside a sentence is a name ("selon Marine Le Pen"), unless a determiner
        # or a capitalised word opens it ("le Premier ministre", "French President") or it is a
        # several-word title ("Secretary of State").
        capitalised = (
            first.raw[:1].isupper() and not first.sent_start and first.norm not in ("m", "mme", "dr")
        )
        opened = (prev is not None and (prev.norm in TITLE_OPENERS or prev.raw[:1].isupper())) or (
            after is not None and after.raw[:1].isupper() and not after.sent_start  # "President Donald Trump"
        )
        if capitalised and not opened and len(entry.cases) < 2:
            return False
    return True


def _lookup(
    lex: Lexicon,
    key: tuple[str, ...],
    seq: list[Word],
    all_caps: bool,
    prev: Word | None = None,
    after: Word | None = None,
    *,
    after_title: bool = False,
    after_honorific: bool = False,
) -> tuple[Entry, ...]:
    found = lex.keys.get(key)
    if not found:
        return ()
    if after_honorific:
        # "Mr Houston", "M. Paris": a person named like a place, not the country the place stands for.
        found = [e for e in found if e.entity is None or e.entity.kind not in _PLACE_KINDS]
    return tuple(e for e in found if _case_ok(e, seq, all_caps, prev, after, after_title=after_title))


def find(ws: list[Word], lex: Lexicon, *, all_caps: bool) -> list[Match]:
    """Longest-first, left-to-right, non-overlapping matches (every reading of the chosen phrase kept)."""
    norms = [w.norm for w in ws]
    out: list[Match] = []
    i, n = 0, len(ws)
    keys, role_starts = lex.keys, lex.role_starts
    title_end = -1  # word index just after the last person title found
    while i < n:
        best: Match | None = None
        longest = min(lex.maxlen.get(norms[i], 0), n - i, MAX_KEY)
        if longest <= 0 and norms[i] not in role_starts:
            i += 1  # most words start no phrase: nothing to look up, no gapped role either
            continue
        for k in range(longest, 0, -1):
            key = tuple(norms[i : i + k])
            if not keys.get(key):
                continue  # not a phrase of the lexicon (what _lookup would say, without the slicing)
            prev, after = ws[i - 1] if i else None, ws[i + k] if i + k < n else None
            honorific = (i >= 1 and norms[i - 1] in lex.honorifics) or (
                i >= 2 and norms[i - 1] == "." and norms[i - 2] in lex.honorifics
            )
            entries = _lookup(
                lex,
                key,
                ws[i : i + k],
                all_caps,
                prev,
                after,
                after_title=title_end == i,
                after_honorific=honorific,
            )
            if entries:
                best = Match(i, i + k, entries)
                break
        gapped = _gapped_role(ws, norms, lex, i, all_caps)
        if gapped is not None and (best is None or gapped.end > best.end):
            best = gapped
        if best is None:
            i += 1
            continue
        out.append(best)
        i = best.end
        if any(e.role is not None and e.role.head in ("person", "rank") for e in best.of_kind("role")):
            title_end = i
    return out


def _gapped_role(ws: list[Word], norms: list[str], lex: Lexicon, i: int, all_caps: bool) -> Match | None:
    """A role phrase split by a demonym: "vice-ministre russe de la Défense" = vice-ministre de la défense."""
    if norms[i] not in lex.role_starts:
        return None
    for p in range(i + 1, min(i + 1 + MAX_GAP_START, len(ws))):
        code, q = _demonym_at(ws, norms, lex, p, all_caps)
        if code is None:
            continue
        for m in range(min(MAX_KEY, len(ws) - q), 0, -1):
            key = tuple(norms[i:p]) + tuple(norms[q : q + m])
            seq = ws[i:p] + ws[q : q + m]
            entries = tuple(
                e for e in _lookup(lex, key, seq, all_caps, ws[i - 1] if i else None) if e.kind == "role"
            )
            if entries:
                return Match(i, q + m, entries, gap=(p, q), gap_code=code)
        return None
    return None


def _demonym_at(
    ws: list[Word], norms: list[str], lex: Lexicon, p: int, all_caps: bool
) -> tuple[str | None, int]:
    for k in range(min(3, len(ws) - p), 0, -1):
        for entry in _lookup(lex, tuple(norms[p : p + k]), ws[p : p + k], all_caps):
            if entry.kind == "demonym":
                return entry.code, p + k
    return None, p
