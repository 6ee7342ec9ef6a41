"""Untrusted text through the quotation rules: never a crash, offsets always valid, time bounded."""

from __future__ import annotations

import time

import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language

import veille.annotate.quotes  # noqa: F401  (registers the factory)
from veille.annotate.quote_marks import find_quote_spans
from veille.interpret.claims import build_claims
from veille.interpret.quotes import extract_quotes

MARKS = "«»“”„‹›‘’\"'"
ALPHABET = st.sampled_from([*MARKS, *" \n,.:;-—abcdeéàç XYZ", "dit", " a déclaré ", " selon ", " que "])


@pytest.fixture(scope="module")
def blank() -> Language:
    nlp = spacy.blank("fr")
    nlp.max_length = 2_000_000
    nlp.add_pipe("veille_quotes")
    return nlp


def check(nlp: Language, text: str) -> None:
    doc = nlp(text)
    quotes = extract_quotes(doc, actors=())
    for q in quotes:
        assert 0 <= q.start <= q.end <= len(text)
        assert text[q.start : q.end] == q.quote
        assert 0 <= q.evidence.start <= q.evidence.end <= len(text)
    for claim in build_claims(doc, quotes=quotes, actors=()):
        for ev in claim.evidence:
            assert text[ev.start : ev.end] == ev.text


@given(st.text(alphabet=MARKS + "ab \n,.", max_size=300))
def test_scanner_spans_are_well_formed(text: str) -> None:
    for span in find_quote_spans(text):
        assert 0 <= span.open < span.start <= span.end <= len(text)
        assert span.close == -1 or span.end <= span.close


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(ALPHABET, max_size=120).map("".join))
def test_component_on_random_text(blank: Language, text: str) -> None:
    check(blank, text)


def test_unbalanced_marks(blank: Language) -> None:
    check(blank, '« Il a dit « que » » » « « selon lui, « rien. “ ” ” ‘ ’ \' " " "')


def test_hundred_nested_quotes(blank: Language) -> None:
    check(blank, "« " * 100 + "Nous partons, a-t-il dit." + " »" * 100 + ", a déclaré le ministre.")


def test_quotes_in_a_table(blank: Language) -> None:
    rows = "\n".join(f"| « Ligne {i} » | a dit | “{i}” | selon X |" for i in range(200))
    check(blank, rows)


@pytest.mark.parametrize(
    "text",
    [
        "« " + "Nous ne reculerons pas, a-t-il dit, " * 26_000 + "», a déclaré le ministre.",
        "Il a dit que " * 80_000,
        "“" + "x, " * 330_000 + "”, he said.",
    ],
    ids=["1MB-quote-with-incises", "1MB-of-reported-clauses", "1MB-english-quote"],
)
def test_one_megabyte_in_bounded_time(blank: Language, text: str) -> None:
    assert len(text) >= 900_000
    doc = blank.make_doc(text)
    started = time.perf_counter()
    doc = blank.get_pipe("veille_quotes")(doc)
    quotes = extract_quotes(doc, actors=())
    build_claims(doc, quotes=quotes, actors=())
    assert time.perf_counter() - started < 30
