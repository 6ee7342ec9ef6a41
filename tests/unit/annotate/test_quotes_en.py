"""``veille_quotes`` on English news sentences."""

from __future__ import annotations

import pytest
from spacy.language import Language

from veille.annotate.attribution import Attribution
from veille.annotate.nlp import get_nlp
from veille.settings import Settings


@pytest.fixture(scope="module")
def nlp() -> Language:
    return get_nlp("en", models=Settings().models)


def records(nlp: Language, text: str) -> dict[str, Attribution]:
    return {text[r.start : r.end]: r for r in nlp(text)._.veille_quotes}


def test_said_after_quote_and_pronoun(nlp: Language) -> None:
    text = (
        "Mayor Jane Doyle defended the budget on Tuesday. “We cannot keep borrowing,” she said. "
        "“The numbers simply do not add up.”"
    )
    found = records(nlp, text)
    assert found["We cannot keep borrowing"].speaker is not None
    assert found["We cannot keep borrowing"].speaker.name == "Jane Doyle"
    follow = found["The numbers simply do not add up."]
    assert follow.speaker is not None and follow.speaker.name == "Jane Doyle"


def test_according_to_and_said_that(nlp: Language) -> None:
    text = (
        "According to the ministry, 40 people were injured in the blast. "
        "Police chief Tom Avery said that the suspect had been arrested."
    )
    found = records(nlp, text)
    injured = next(r for q, r in found.items() if q.startswith("40 people"))
    assert injured.cue == "according to" and injured.speaker is not None
    assert injured.speaker.name == "ministry"
    arrested = next(r for q, r in found.items() if q.startswith("the suspect"))
    assert arrested.cue == "say" and arrested.speaker is not None and arrested.speaker.name == "Tom Avery"


def test_claim_is_distancing(nlp: Language) -> None:
    text = "The company claimed that the outage lasted only ten minutes."
    record = next(iter(records(nlp, text).values()))
    assert record.verb is not None and record.verb.stance == "distancing"


def test_a_noun_with_its_article_is_no_reporting_verb(nlp: Language) -> None:
    # "reports" right before the quote is the noun (the tagger says so, and "the" proves it)
    found = records(nlp, 'The mayor\'s office called the reports "a hoax" on Tuesday.')
    assert all(r.cue != "report" for r in found.values())
    said = records(nlp, '"We will appeal," the lawyer reports.')
    assert said["We will appeal"].cue == "report"


def test_a_speaker_phrase_keeps_its_hyphenated_words(nlp: Language) -> None:
    text = (
        "Airlines met regulators in Brussels on Monday. Low-cost carriers argue that the new "
        "compensation rules are unfair to small operators."
    )
    found = [r for r in records(nlp, text).values() if r.speaker is not None]
    assert any(r.speaker.name == "Low-cost carriers" for r in found), [r.speaker.name for r in found]


def test_what_a_speaker_cites_is_an_origin_only_when_it_is_a_source(nlp: Language) -> None:
    text = (
        "Interfax, citing a source in the interior ministry, reported that two officers had been detained. "
        "Analysts at Nordbank, citing weaker exports, said growth would slow this year."
    )
    found = records(nlp, text)
    detained = next(r for key, r in found.items() if key.startswith("two officers"))
    assert [o.name for o in detained.origins if o is not None] == ["interior ministry"]
    growth = next(r for key, r in found.items() if key.startswith("growth would slow"))
    assert growth.origins == []  # a reason, not a source


def test_a_wire_dateline_with_a_hyphen_is_not_part_of_the_reported_clause(nlp: Language) -> None:
    text = (
        "OSLO, March 3, 2025 (Reuters) - Norway will double its grant to the fund next year, "
        "a senior finance ministry official said."
    )
    (quote,) = records(nlp, text)
    assert quote.startswith("Norway will double")


def test_a_quote_that_ends_its_sentence_takes_no_cue_from_the_next_one(nlp: Language) -> None:
    text = (
        'Senator Ann Kerr said the mayor had "betrayed the city." '
        "The council denied that any funds were missing."
    )
    found = records(nlp, text)
    quote = next(r for q, r in found.items() if "betrayed the city" in q)
    assert quote.speaker is not None and quote.speaker.name == "Ann Kerr"
