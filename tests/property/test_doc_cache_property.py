"""Property tests: the token-array shortcuts of ``doc_cache`` answer as spaCy's own methods do.

``doc_text`` and ``char_span`` replace ``Doc.text`` and ``Doc.char_span`` on the hot paths (they
build no Token objects); on any text and any offsets they must give the same string, and the same
Span or None.
"""

from __future__ import annotations

from functools import cache
from typing import Any, cast

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language
from spacy.tokens import Doc, Span

from veille.annotate.doc_cache import char_span, doc_text

_PIECES = st.sampled_from(
    ["Minsk", "l'", "État", "a-t-il", "«", "»", " ", "  ", "\n", "\n\n", "\t", ".", ",", "U.S.", "2020", "É"]
)


@cache
def _nlp() -> Language:
    return spacy.blank("fr")  # the tokenizer is what offsets depend on


def _answer(method: Any, doc: Doc, a: int, b: int, mode: str) -> Span | Exception | None:
    try:
        return cast("Span | None", method(doc, a, b, alignment_mode=mode, label="LOC"))
    except IndexError as exc:
        return exc


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=25).map("".join), st.data(), st.sampled_from(["contract", "expand"]))
def test_char_span_and_text_agree_with_spacy(text: str, data: st.DataObject, mode: str) -> None:
    doc = _nlp()(text)
    assert doc_text(doc) == doc.text
    offsets = st.integers(min_value=-1, max_value=len(text) + 1)
    for _ in range(10):
        a, b = data.draw(offsets), data.draw(offsets)
        ours, theirs = _answer(char_span, doc, a, b, mode), _answer(Doc.char_span, doc, a, b, mode)
        if isinstance(theirs, Exception):  # reversed offsets: both refuse
            assert type(ours) is type(theirs), (a, b)
            continue
        assert not isinstance(ours, Exception), (a, b)
        if theirs is None:
            assert ours is None, (a, b)
        else:
            assert ours is not None, (a, b)
            assert (ours.start, ours.end, ours.label_) == (theirs.start, theirs.end, theirs.label_)
