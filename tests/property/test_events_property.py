"""Property tests: the event coder never fails and stays fast on hostile text.

Sentences of 2,000 tokens, no verbs, all capitals, lists of names, stray quotes and brackets: the
``veille_events`` component and ``code_events`` must return (possibly nothing), in bounded time.
"""

from __future__ import annotations

import datetime as dt
import time
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language

from veille.annotate.nlp import load_base
from veille.interpret.events import code_events
from veille.models import Actor
from veille.settings import Settings

_WORDS = st.sampled_from(
    [
        "Poutine",
        "Macron",
        "OTAN",
        "a",
        "reçu",
        "visite",
        "attaque",
        "de",
        "à",
        "par",
        "n'",
        "pas",
        "«",
        "»",
        "aurait",
        "va",
        "envoyer",
        "soldats",
        "the",
        "visited",
        "attacked",
        "was",
        "by",
        "not",
        "(",
        ")",
        ",",
        ".",
        "ET",
        "ASSASSINAT",
        "MENÉ",
        "PAR",
        "selon",
        "qui",
        "se",
        "sont",
        "entretenus",
        "deux",
        "hommes",
        "\n",
        "-",
        "2020",
        "'",
        '"',
        "Minsk",
        "Trump",
        "US",
        "sanctions",
        "contre",
        "l'",
        "EU",
    ]
)


@cache
def pipeline(lang: str) -> Language:
    nlp = load_base(Settings().models[lang])
    nlp.add_pipe("veille_events")
    return nlp


def _code(nlp: Language, text: str) -> None:
    doc = nlp(text)
    first = next(iter(doc), None)
    actors = (
        [Actor(text=first.text, start=first.idx, end=first.idx + len(first.text), name="x", code="USA")]
        if first
        else []
    )
    events = code_events(doc, actors=actors, dates=(), places=(), claims=(), published=dt.date(2020, 1, 1))
    for event in events:
        assert 0 <= event.evidence.start <= event.evidence.end <= len(text)
        assert text[event.evidence.start : event.evidence.end] == event.evidence.text


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_WORDS, max_size=60), st.sampled_from(["fr", "en"]))
def test_random_word_salad_never_fails(words: list[str], lang: str) -> None:
    _code(pipeline(lang), " ".join(words))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300), st.sampled_from(["fr", "en"]))
def test_arbitrary_unicode_never_fails(text: str, lang: str) -> None:
    _code(pipeline(lang), text)


def test_hostile_shapes_are_bounded_in_time() -> None:
    long_sentence = " ".join(["le président a reçu le ministre et"] * 300) + " fin."
    names = ", ".join(["Emmanuel Macron", "Vladimir Poutine", "Joe Biden", "Xi Jinping"] * 120)
    shapes = [
        long_sentence,  # one "sentence" of ~2,100 tokens
        names,  # a list of names, no verb
        "LE PRÉSIDENT RUSSE A REÇU LE MINISTRE IRANIEN À MOSCOU. L'ARMÉE A BOMBARDÉ LA VILLE.",
        "Accueil » Actualité » International » Europe",
        "« « « » » » ( ( ) ) — – … !!! ???",
        "",
    ]
    for lang in ("fr", "en"):
        nlp = pipeline(lang)
        component = nlp.get_pipe("veille_events")
        for text in shapes:
            doc = nlp.make_doc(text)
            for name, proc in nlp.pipeline:
                if name != "veille_events":
                    doc = proc(doc)
            started = time.perf_counter()
            component(doc)
            assert time.perf_counter() - started < 2.0, f"{lang}: too slow on {text[:40]!r}"
            _code(nlp, text)
