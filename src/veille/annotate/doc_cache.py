"""Per-Doc values read once and shared by the components: the hot paths' answer to Token churn.

spaCy rebuilds ``Doc.text`` (and ``Span.text``) by joining the tokens at every access, and every
``doc[i]`` or ``for token in doc`` creates a Python ``Token``. A rule that reads the text once per
entity, or walks the whole Doc once per sentence, turns a linear pass into a quadratic one. These
helpers compute the text and the token arrays once per Doc and keep them in ``doc.user_data``, so
every component (and :mod:`veille.interpret`) reads plain Python strings and lists.

The cache is keyed by the number of tokens: a retokenised Doc gets fresh arrays.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
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
    SPACY,
)
from spacy.parts_of_speech import NAMES as POS_NAMES
from spacy.strings import StringStore
from spacy.tokens import Doc, Span

# Shared with ``veille.annotate.attribution.text_of``: either helper fills the cache for the other.
TEXT_KEY = "veille_text"
_TABLE_KEY = "veille_token_table"
_WRAP = 1 << 64  # Doc.to_array returns uint64 columns
_MEMO_PREFIX = "veille_memo:"
# Hash -> string for every Doc of the process. ``StringStore[h]`` decodes the stored UTF-8 into a new
# str at each call; articles repeat the same words, lemmas, tags and morphologies, and a dict probe
# costs half as much. Hashes are the strings' own (the same in every vocabulary), and 0 is the
# empty string. Bounded: cleared when it grows past the limit (OCR text has endless misspellings).
_STRINGS: dict[int, str] = {0: ""}
_STRINGS_MAX = 1 << 19

T = TypeVar("T")


def doc_text(doc: Doc) -> str:
    """The Doc's text, joined once (``Doc.text`` rebuilds it from a Token object per token at every
    access); joined here from the token arrays, as ``Doc.text`` does: each token and its space."""
    cached = doc.user_data.get(TEXT_KEY)
    if not isinstance(cached, str):
        table = token_table(doc)
        cached = "".join(
            [t + " " if space else t for t, space in zip(table.texts, table.spaces, strict=True)]
        )
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
    spaces: list[bool]  # a space follows the token (``Token.whitespace_``)

    def end(self, i: int) -> int:
        """Character offset just after token ``i``."""
        return self.starts[i] + len(self.texts[i])


def token_table(doc: Doc) -> TokenTable:
    """The token arrays of ``doc``, built on first use from one ``Doc.to_array`` call."""
    cached = doc.user_data.get(_TABLE_KEY)
    if isinstance(cached, TokenTable) and len(cached.texts) == len(doc):
        return cached
    attrs = [ORTH, LOWER, LEMMA, POS, DEP, MORPH, IDX, HEAD, IS_SPACE, IS_PUNCT, IS_STOP, SENT_START, SPACY]
    columns = doc.to_array(attrs).T
    strings = doc.vocab.strings
    orth, lower, lemma, pos, dep, morph, idx, head, space, punct, stop, sent_start, spacy = (
        c.tolist() for c in columns
    )
    # HEAD is stored relative to the token (and as unsigned: -1 wraps around).
    n = len(doc)
    table = TokenTable(
        texts=_strings_of(orth, strings),
        starts=idx,
        lowers=_strings_of(lower, strings),
        lemmas=_strings_of(lemma, strings),
        pos=[POS_NAMES[p] if p else "" for p in pos],
        deps=_strings_of(dep, strings),
        # The empty analysis is stored as "_" but reads as "" on a Token.
        morphs=["" if m == "_" else m for m in _strings_of(morph, strings)],
        is_space=list(map(bool, space)),
        is_punct=list(map(bool, punct)),
        is_stop=list(map(bool, stop)),
        sent_starts=[x == 1 for x in sent_start],
        heads=[i + (h - _WRAP if h >= _WRAP >> 1 else h) for i, h in zip(range(n), head, strict=True)],
        spaces=list(map(bool, spacy)),
    )
    doc.user_data[_TABLE_KEY] = table
    return table


def _strings_of(hashes: Sequence[int], strings: StringStore) -> list[str]:
    """The strings of ``hashes`` (0 is ""), through the process-wide memo."""
    if len(_STRINGS) > _STRINGS_MAX:
        _STRINGS.clear()
        _STRINGS[0] = ""
    out: list[str | None] = list(map(_STRINGS.get, hashes))
    if None in out:  # strings met for the first time
        for k, value in enumerate(out):
            if value is None:
                out[k] = _STRINGS[hashes[k]] = strings[hashes[k]]
    return out  # type: ignore[return-value]  # no None is left


def _token_by_char(table: TokenTable, char: int) -> int:
    # The token whose text or trailing space holds ``char``; -1 outside the Doc (spaCy's rule).
    i = bisect_right(table.starts, char) - 1
    if i < 0 or char >= table.end(i) + table.spaces[i]:
        return -1
    return i


def char_span(
    doc: Doc, start_char: int, end_char: int, *, alignment_mode: str, label: str = ""
) -> Span | None:
    """``Doc.char_span`` for the "contract" and "expand" modes, from the token arrays.

    spaCy's own builds a Token object at each step of its search; the hot rules align thousands of
    offsets per article. The answer is the same Span, or None in the same cases.
    """
    table = token_table(doc)
    start = _token_by_char(table, start_char)
    end = _token_by_char(table, end_char - 1)
    if start < 0 or end < 0:
        return None
    if alignment_mode == "contract":
        if table.starts[start] < start_char:
            start += 1
        if end_char < table.end(end):
            end -= 1
        if end < start:
            return None
    elif alignment_mode == "expand":
        if start_char == table.end(start):
            start += 1  # on the previous token's trailing space
    else:
        raise ValueError(f"alignment_mode must be 'contract' or 'expand', not {alignment_mode!r}")
    return Span(doc, start, end + 1, label=label)


def memo(doc: Doc, key: str, build: Callable[[Doc], T]) -> T:
    """``build(doc)``, computed once per Doc (and again if the Doc was retokenised) and shared."""
    slot = _MEMO_PREFIX + key
    cached = doc.user_data.get(slot)
    if isinstance(cached, tuple) and len(cached) == 2 and cached[0] == len(doc):
        return cached[1]  # type: ignore[no-any-return]
    value = build(doc)
    doc.user_data[slot] = (len(doc), value)
    return value
