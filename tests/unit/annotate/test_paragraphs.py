"""``veille_paragraphs``: blank lines and datelines' dashes are sentence starts the parser keeps."""

from __future__ import annotations

import pytest
from spacy.language import Language

from veille.annotate.nlp import get_nlp
from veille.annotate.paragraphs import mark_paragraph_starts
from veille.settings import Settings


@pytest.fixture(scope="module")
def fr() -> Language:
    return get_nlp("fr", models=Settings().models)


def test_it_runs_right_before_the_parser(fr: Language) -> None:
    names = fr.pipe_names
    assert names.index("veille_paragraphs") + 1 == names.index("parser")


def test_no_sentence_runs_across_a_blank_line(fr: Language) -> None:
    text = (
        "Israël, de son côté, aurait préparé des plans de frappes contre des sites nucléaires, selon le "
        "New York Times, qui cite des responsables américains anonymes.\n\n"
        "La Chine et la Russie ont appelé au dialogue et rejeté toute sanction supplémentaire."
    )
    doc = fr(text)
    second = text.index("La Chine")
    for sent in doc.sents:
        assert not (sent.start_char < second < sent.end_char - 1), sent.text
    called = next(t for t in doc if t.text == "appelé")
    assert called.head.idx >= second  # its tree stays in its paragraph


def test_starts_after_blank_lines_and_datelines_none_inside_a_line() -> None:
    from spacy.lang.fr import French

    text = "MARSEILLE, 2 mai 2026 — Les dockers ont voté\nla grève. Ils reprendront, dit-on, lundi.\n\nFin."
    doc = mark_paragraph_starts(French()(text))
    marks = {t.text: t.is_sent_start for t in doc if not t.is_space}
    assert [t.text for t in doc if t.is_sent_start] == ["MARSEILLE", "Les", "Fin"]
    # After a single line break or a full stop the parser decides; inside a line, no start.
    assert marks["la"] is None and marks["Ils"] is None
    assert marks["dockers"] is False and marks["lundi"] is False
    plain = mark_paragraph_starts(French()("Le port - le premier du pays - est fermé."))
    assert [t.text for t in plain if t.is_sent_start] == ["Le"]  # no dateline: dashes mean nothing


@pytest.mark.parametrize(
    ("text", "after"),
    [
        ("Séoul, 2 avril 2024 - La Corée du Nord a tiré un missile.", "La"),
        ("Kiev (AFP) - Les sirènes ont retenti toute la nuit.", "Les"),
        ("BEIJING, April 26 (Reuters) - U.S. officials met.", "U.S."),
    ],
)
def test_a_capitalised_place_with_a_date_or_an_agency_is_a_dateline(text: str, after: str) -> None:
    from spacy.lang.fr import French

    doc = mark_paragraph_starts(French()(text))
    assert [t.text for t in doc if t.is_sent_start] == [doc[0].text, after]


def test_a_capitalised_word_before_a_parenthetical_dash_is_no_dateline() -> None:
    from spacy.lang.fr import French

    for text in (
        "Paris, Londres et Berlin - les trois capitales - ont signé.",
        "Moscou - qui dément - a riposté.",
    ):
        doc = mark_paragraph_starts(French()(text))
        assert [t.text for t in doc if t.is_sent_start] == [doc[0].text], text
