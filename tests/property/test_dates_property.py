"""Random text through the date grammar, component and resolver: no crash, bounded time, valid offsets."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language

from veille.annotate.dates import find_date_exprs
from veille.annotate.nlp import get_nlp
from veille.interpret.dates import publication_candidates, resolve_dates
from veille.settings import Settings

# Words the grammar reacts to, mixed with noise: the risky inputs are the near-dates.
FRENCH = [
    "le", "du", "au", "depuis", "il", "y", "a", "dans", "plus", "de", "moins", "ce", "cette", "dernier",
    "prochain", "lundi", "mardi", "dimanche", "janvier", "février", "mars", "mai", "août", "décembre",
    "hier", "demain", "aujourd'hui", "semaine", "mois", "an", "ans", "année", "jours", "heures", "h",
    "midi", "soir", "matin", "été", "noël", "trois", "vingt", "et", "un", "premier", "1er", "fin",
    "début", "mi", "chaque", "tous", "les"
]  # fmt: skip
ENGLISH = [
    "the", "of", "on", "in", "last", "next", "this", "ago", "since", "before", "after", "between",
    "and", "to", "Monday", "May", "March", "June", "Dec", "yesterday", "tomorrow", "week", "month",
    "year", "days", "hours", "am", "pm", "o'clock", "twenty", "first", "Christmas", "quarter", "Q1",
    "weekend", "every"
]  # fmt: skip
NOISE = [
    "2020", "1999", "20", "000", "3", "12", "31", "04", "15h30", "8:30", "22/04", "2019-11-03",
    "03/02/21", "-92%", "$12", "12€", "3-1", "/", "-", ",", ".", ":", "’", "\u00a0", "\n", "(", ")",
    "#", "@"
]  # fmt: skip
WORDS = FRENCH + ENGLISH + NOISE

texts = st.one_of(
    st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join),
    st.lists(st.sampled_from(WORDS), max_size=60).map("".join),
    st.text(max_size=300),
)
references = st.one_of(
    st.none(),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 12, 31)),
)
VALUE = re.compile(r"^(\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}:\d{2})?)?)?|\d{2}:\d{2}:\d{2}|P[\dT.YMWDHS]+)$")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, lang=st.sampled_from(["fr", "en"]))
def test_grammar_on_random_text(text: str, lang: str) -> None:
    started = time.perf_counter()
    exprs = find_date_exprs(text, lang=lang)
    assert time.perf_counter() - started < 2.0
    previous_end = -1
    for expr in exprs:
        assert 0 <= expr.start < expr.end <= len(text)
        assert text[expr.start : expr.end] == expr.text
        assert expr.start >= previous_end  # sorted, non-overlapping
        previous_end = expr.end


@pytest.fixture(scope="module")
def nlps() -> dict[str, Language]:
    models = Settings().models
    return {lang: get_nlp(lang, models=models) for lang in ("fr", "en")}


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=texts, lang=st.sampled_from(["fr", "en"]), reference=references)
def test_component_and_resolver_on_random_text(
    nlps: dict[str, Language], text: str, lang: str, reference: dt.date | None
) -> None:
    doc = nlps[lang](text)
    started = time.perf_counter()
    mentions = resolve_dates(doc, reference=reference, lang=lang)
    candidates = publication_candidates(doc)
    assert time.perf_counter() - started < 2.0
    for mention in mentions:
        assert doc.text[mention.start : mention.end] == mention.text
        if mention.value is not None:
            assert VALUE.match(mention.value), mention
        if mention.range is not None:
            assert all(VALUE.match(bound) for bound in mention.range), mention
    for candidate in candidates:
        assert doc.text[candidate.evidence.start : candidate.evidence.end] == candidate.evidence.text
