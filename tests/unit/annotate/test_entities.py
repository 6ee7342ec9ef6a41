"""Clean-up of spaCy's NER spans on news text."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Span

from veille.annotate.entities import EntityCleaner
from veille.annotate.nlp import get_nlp
from veille.settings import Settings


@pytest.fixture(scope="module")
def nlp_fr() -> Language:
    return get_nlp("fr", models=Settings().models)


def texts(nlp: Language, text: str) -> list[str]:
    return [span.text for span in nlp(text)._.veille_entities]


def test_leading_elision_is_trimmed(nlp_fr: Language) -> None:
    found = texts(nlp_fr, "Le secrétaire général de l’OTAN s’est exprimé à Bruxelles.")
    assert "OTAN" in found and "l’OTAN" not in found


def test_span_stops_at_line_break(nlp_fr: Language) -> None:
    doc = nlp_fr("Les sanctions contre la Russie\n\nSe référant à la presse, le ministre a répondu.")
    assert all("\n" not in span.text for span in doc._.veille_entities)


def test_generic_title_word_is_not_an_entity(nlp_fr: Language) -> None:
    assert "État" not in texts(nlp_fr, "Le secrétaire d’État américain est arrivé à Kiev mardi.")


def test_offsets_point_into_the_text(nlp_fr: Language) -> None:
    doc = nlp_fr("Selon l’agence Reuters, le président Emmanuel Macron a reçu le chancelier allemand.")
    for span in doc._.veille_entities:
        assert doc.text[span.start_char : span.end_char] == span.text


def test_a_name_cut_at_its_hyphen_is_whole(nlp_fr: Language) -> None:
    # The NER sometimes stops at the hyphen ("Rami Abd al-" in a Wikinews page); given such a span,
    # the cleaner takes the rest of the name.
    doc = nlp_fr.make_doc("Le bilan est lourd, affirme Karim Abd al-Hakim de l’Observatoire.")
    words = [t.text for t in doc]
    cut = Span(doc, words.index("Karim"), words.index("-") + 1, label="PER")
    assert cut.text == "Karim Abd al-"
    cleaned = EntityCleaner(nlp_fr, "veille_entities").clean(cut)
    assert cleaned is not None and cleaned.text == "Karim Abd al-Hakim"
