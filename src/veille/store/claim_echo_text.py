"""Reading an article for claim echoes: its sentences, which of them the outlet states as fact, and
the content terms compared with stored claims.

A sentence is *asserted* when nothing in the analysis or the text makes it someone else's words or
a hedge: it overlaps no claim evidence and no quotation; every event coded in it is asserted, not
negated and tied to no claim; and it has no attribution cue, hedge, denial, falsity or doubt word
(``data/lexicons/attribution_*.yaml`` plus ``data/store/claim_echoes.yaml``) and no negation.
Kept on purpose simple and explainable: a missed attribution would make a reported claim look like
an echo, so any cue is enough to drop the sentence.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from veille.resources import load_yaml

_CUE_LISTS = (
    "source_markers",
    "origin_markers",
    "relay_markers",
    "hedges",
    "falsity",
    "denial_nouns",
    "doubt",
)
# A sentence ends at . ! ? … (then maybe a closing quote) before a space and an upper-case letter or
# an opening quote; a line break always ends one.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"»”’)]?\s+(?=[«\"“(A-ZÀ-ÖØ-Þ])|\n+")
# "M. Dupont", "U.S. troops": a single capital before the dot is an initial, not a sentence end.
_INITIAL = re.compile(r"(?:^|[\s.(])(?:[A-Z]|Mr|Mrs|Ms|Dr|St|Mme|Mgr|Me|Pr)\.$")


@dataclass(frozen=True)
class EventInfo:
    """An event of the article, as the store has it."""

    id: int
    start: int
    end: int
    base_code: str
    source: str | None
    target: str | None
    modality: str
    negated: bool
    claim_id: int | None


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    terms: frozenset[str]
    events: tuple[tuple[int, str, str | None, str | None], ...]  # asserted events: id, base, source, target


def fold(text: str) -> str:
    """Case, accents and apostrophes folded: the form every cue and term is matched on."""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _alternation(cues: Sequence[str]) -> re.Pattern[str] | None:
    words = sorted({fold(c).strip() for c in cues if c and c.strip()}, key=len, reverse=True)
    if not words:
        return None
    return re.compile(r"(?<![\w'])(?:" + "|".join(re.escape(w) for w in words) + r")(?![\w])")


def _languages(language: str | None) -> tuple[str, ...]:
    return (language,) if language in {"fr", "en"} else ("fr", "en")


@cache
def _config() -> dict[str, Any]:
    config: dict[str, Any] = load_yaml("store/claim_echoes.yaml")
    return config


@cache
def _cue_pattern(language: str) -> re.Pattern[str] | None:
    lexicon = load_yaml(f"lexicons/attribution_{language}.yaml")
    cues = [cue for name in _CUE_LISTS for cue in lexicon.get(name) or ()]
    # One-letter-word cues ("per") are too ambiguous out of their parser context.
    cues = [c for c in cues if len(c) > 3 or " " in c]
    return _alternation(cues + list(_config()["attribution"].get(language) or ()))


@cache
def _negation(language: str) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    spec = _config()["negation"][language]
    alone = _alternation(spec.get("alone") or ())
    openers, closers = spec.get("opener") or (), spec.get("closer") or ()
    if not openers or not closers:
        return alone, None
    window = int(_config()["negation_window"])
    opener = "|".join(re.escape(fold(o)) for o in openers)
    closer = "|".join(re.escape(fold(c)) for c in closers)
    pair = re.compile(rf"(?<![\w'])(?:{opener})(?:\s*[\w'-]+){{0,{window}}}?\s+(?:{closer})(?!\w)")
    return alone, pair


@cache
def _stop_words() -> frozenset[str]:
    return frozenset(fold(w) for words in _config()["stop_words"].values() for w in words)


def terms(text: str) -> frozenset[str]:
    """Content terms: folded words of ``min_word``+ letters, minus function words, cut to ``prefix``."""
    config = _config()
    size, prefix = int(config["min_word"]), int(config["prefix"])
    stop = _stop_words()
    words = re.findall(rf"[^\W\d_]{{{size},}}", fold(text))
    return frozenset(w[:prefix] for w in words if w not in stop)


def is_hedged(text: str, language: str | None) -> bool:
    """Attributed, hedged, denied or negated: not the outlet stating a fact."""
    folded = fold(text)
    for lang in _languages(language):
        cue = _cue_pattern(lang)
        if cue is not None and cue.search(folded):
            return True
        for pattern in _negation(lang):
            if pattern is not None and pattern.search(folded):
                return True
    return False


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence, surrounding spaces excluded."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if "\n" not in match.group() and _INITIAL.search(text[start : match.start()]):
            continue
        spans.append((start, match.start() + len(match.group().rstrip())))
        start = match.end()
    spans.append((start, len(text)))
    out = []
    for s, e in spans:
        piece = text[s:e]
        lead = len(piece) - len(piece.lstrip())
        trimmed = piece.strip()
        if trimmed:
            out.append((s + lead, s + lead + len(trimmed)))
    return out


def _overlaps(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


def asserted_sentences(
    text: str,
    *,
    language: str | None,
    covered: Sequence[tuple[int, int]],
    events: Sequence[EventInfo],
    min_terms: int = 4,
) -> list[Sentence]:
    """The sentences of ``text`` the outlet states as fact (see the module doc)."""
    out = []
    for start, end in sentence_spans(text):
        if _overlaps(start, end, covered):
            continue
        inside = [ev for ev in events if start <= ev.start < end or (ev.start < start < ev.end)]
        if any(ev.modality != "asserted" or ev.negated or ev.claim_id is not None for ev in inside):
            continue
        sentence = text[start:end]
        if is_hedged(sentence, language):
            continue
        found = terms(sentence)
        if len(found) < min_terms:
            continue
        signature = tuple((ev.id, ev.base_code, ev.source, ev.target) for ev in inside)
        out.append(Sentence(start, end, sentence, found, signature))
    return out


def actor_key(code: str | None) -> str | None:
    """An actor code reduced to what two articles agree on: the country (``BLRGOV`` → ``BLR``), or
    the whole code for organisations without a country (``IGOWSTNAT``)."""
    if not code:
        return None
    if code.startswith(("IGO", "NGO", "MNC", "IMG")) or len(code) < 3:
        return code
    return code[:3]


def event_signature(
    base_code: str, source: str | None, target: str | None
) -> tuple[str, frozenset[str]] | None:
    """What makes two coded events the same happening: base code and the (unordered) actors."""
    actors = frozenset(a for a in (actor_key(source), actor_key(target)) if a)
    return (base_code[:3], actors) if actors else None
