"""Per-Doc values read once and shared by the components: the hot paths' answer to Token churn.

spaCy rebuilds ``Doc.text`` (and ``Span.text``) by joining the tokens at every access, and every
``doc[i]`` or ``for token in doc`` creates a Python ``Token``. A rule that reads the text once per
entity, or walks the whole Doc once per sentence, turns a linear pass into a quadratic one. These
helpers compute the text and the token arrays once per Doc and keep them in ``doc.user_data``, so
every component (and :mod:`veille.interpret`) reads plain Python strings and lists.

The cache is keyed by the number of tokens: a retokenised Doc gets fresh arrays.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from spacy.attrs import (
    DEP,
    HEAD,
    IDX,
    IS_PUNCT,
    IS_SPACE,
    IS_STOP,
    LEMMA,
    LOWER,
    MORPH,
    ORTH,
    POS,
    SENT_START,
)
from spacy.parts_of_speech import NAMES as POS_NAMES
from spacy.tokens import Doc, Span

# Shared with ``veille.annotate.attribution.text_of``: either helper fills the cache for the other.
TEXT_KEY = "veille_text"
_TABLE_KEY = "veille_token_table"
_WRAP = 1 << 64  # Doc.to_array returns uint64 columns
_MEMO_PREFIX = "veille_memo:"

T = TypeVar("T")


def doc_text(doc: Doc) -> str:
    """The Doc's text, joined once (``Doc.text`` rebuilds it from the tokens at every access)."""
    cached = doc.user_data.get(TEXT_KEY)
    if not isinstance(cached, str):
        cached = doc.text
        doc.user_data[TEXT_KEY] = cached
    return cached


def span_text(span: Span) -> str:
    """``span.text`` without rebuilding it from its tokens (the same string: tokens are contiguous)."""
    return doc_text(span.doc)[span.start_char : span.end_char]


@dataclass(frozen=True, slots=True)
class TokenTable:
    """Token attributes as parallel lists (index = token index)."""

    texts: list[str]
    starts: list[int]  # character offset of each token (``Token.idx``)
    lowers: list[str]
    lemmas: list[str]  # ``Token.lemma_`` as the model wrote it (not lower-cased)
    pos: list[str]
    deps: list[str]
    morphs: list[str]  # ``str(Token.morph)``: "Mood=Cnd|Number=Sing|…", "" when empty
    is_space: list[bool]
    is_punct: list[bool]
    is_stop: list[bool]
    sent_starts: list[bool]  # ``Token.is_sent_start`` is True (None, unknown, counts as False)
    heads: list[int]  # index of each token's head (itself for a root)

    def end(self, i: int) -> int:
        """Character offset just after token ``i``."""
        return self.starts[i] + len(self.texts[i])


def token_table(doc: Doc) -> TokenTable:
    """The token arrays of ``doc``, built on first use from one ``Doc.to_array`` call."""
    cached = doc.user_data.get(_TABLE_KEY)
    if isinstance(cached, TokenTable) and len(cached.texts) == len(doc):
        return cached
    attrs = [ORTH, LOWER, LEMMA, POS, DEP, MORPH, IDX, HEAD, IS_SPACE, IS_PUNCT, IS_STOP, SENT_START]
    columns = doc.to_array(attrs).T
    strings = doc.vocab.strings
    orth, lower, lemma, pos, dep, morph, idx, head, space, punct, stop, sent_start = (
        c.tolist() for c in columns
    )
    # HEAD is stored relative to the token (and as unsigned: -1 wraps around).
    n = len(doc)
    table = TokenTable(
        texts=[strings[h] for h in orth],
        starts=idx,
        lowers=[strings[h] for h in lower],
        lemmas=[strings[h] if h else "" for h in lemma],
        pos=[POS_NAMES[p] if p else "" for p in pos],
        deps=[strings[h] if h else "" for h in dep],
        morphs=[_morph(strings[h]) if h else "" for h in morph],
        is_space=[bool(x) for x in space],
        is_punct=[bool(x) for x in punct],
        is_stop=[bool(x) for x in stop],
        sent_starts=[x == 1 for x in sent_start],
        heads=[i + (h - _WRAP if h >= _WRAP >> 1 else h) for i, h in zip(range(n), head, strict=True)],
    )
    doc.user_data[_TABLE_KEY] = table
    return table


def _morph(features: str) -> str:
    # The empty analysis is stored as "_" but reads as "" on a Token.
    return "" if features == "_" else features


def memo(doc: Doc, key: str, build: Callable[[Doc], T]) -> T:
    """``build(doc)``, computed once per Doc (and again if the Doc was retokenised) and shared."""
    slot = _MEMO_PREFIX + key
    cached = doc.user_data.get(slot)
    if isinstance(cached, tuple) and len(cached) == 2 and cached[0] == len(doc):
        return cached[1]  # type: ignore[no-any-return]
    value = build(doc)
    doc.user_data[slot] = (len(doc), value)
    return value
