"""Property tests: place recognition and name keys never fail on arbitrary text."""

from __future__ import annotations

from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language

from veille.annotate.gazetteer import name_key
from veille.annotate.nlp import get_nlp
from veille.interpret.places import locate_places, place_of_predicate
from veille.settings import Settings

_WORDS = st.sampled_from(
    [
        "Minsk",
        "Bagdad",
        "à",
        "in",
        "the",
        "l’Europe",
        "mer",
        "Noire",
        "U.S.",
        "Ky.",
        "-",
        ",",
        "territoire",
        "syrien",
        "Washington",
        "Paris",
        "Texas",
        "\n",
        "États-Unis",
        "Reading",
        "américains",
        "'",
        "Le",
        "Caire",
    ]
)
_TEXT = st.one_of(st.text(max_size=200), st.lists(_WORDS, max_size=40).map(" ".join))


@cache
def _nlp(lang: str) -> Language:
    return get_nlp(lang, models=Settings().models)


@given(st.text(max_size=100))
def test_name_key_is_idempotent(text: str) -> None:
    assert name_key(name_key(text)) == name_key(text)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_TEXT, st.sampled_from(["fr", "en"]))
def test_places_point_into_the_text(text: str, lang: str) -> None:
    doc = _nlp(lang)(text)
    places = locate_places(doc, lang=lang)
    for place in places:
        assert text[place.start : place.end] == place.text
        assert place.country is None or len(place.country) == 2
        assert place.lat is None or -90 <= place.lat <= 90
        assert 0.0 <= place.confidence <= 1.0
    for token in doc:
        found = place_of_predicate(doc, token.i, places)
        assert found is None or found in places
