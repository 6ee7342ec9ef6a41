"""The ``veille_events`` component on English sentences (ClearNLP labels of the English model)."""

from __future__ import annotations

import pytest
from spacy.language import Language

from veille.annotate.events import EventMention
from veille.annotate.nlp import load_base
from veille.settings import Settings


@pytest.fixture(scope="module")
def nlp() -> Language:
    pipeline = load_base(Settings().models["en"])
    pipeline.add_pipe("veille_events")
    return pipeline


def found(nlp: Language, text: str) -> list[EventMention]:
    return list(nlp(text)._.veille_event_mentions)


def one(nlp: Language, text: str, code_prefix: str) -> EventMention:
    hits = [m for m in found(nlp, text) if m.cameo.startswith(code_prefix)]
    assert hits, f"no {code_prefix} event in {text!r}: {[m.cameo for m in found(nlp, text)]}"
    return hits[0]


def text_of(arg: object) -> str:
    return getattr(arg, "text", "") or ""


@pytest.mark.parametrize(
    ("sentence", "code", "source", "target"),
    [
        ("The Kenyan president visited Ethiopia on Monday.", "042", "The Kenyan president", "Ethiopia"),
        ("Chile hosted the Peruvian foreign minister.", "043", "Chile", "the Peruvian foreign minister"),
        ("Nigeria condemned the raid on the embassy.", "111", "Nigeria", "the raid on the embassy"),
        ("Poland imposed sanctions on Belarus.", "163", "Poland", "Belarus"),
        ("Police arrested two Danish journalists in Cairo.", "173", "Police", "two Danish journalists"),
        ("Rebels kidnapped three aid workers near the border.", "181", "Rebels", "three aid workers"),
        ("Japan will send 500 troops to South Sudan.", "154", "Japan", "South Sudan"),
    ],
)
def test_basic_frames(nlp: Language, sentence: str, code: str, source: str, target: str) -> None:
    m = one(nlp, sentence, code)
    assert m.cameo == code
    assert text_of(m.source) == source
    assert text_of(m.target).startswith(target)


def test_passive_with_agent(nlp: Language) -> None:
    m = one(nlp, "The envoy was received by the Omani sultan.", "043")
    assert text_of(m.source) == "the Omani sultan" and text_of(m.target) == "The envoy"


def test_control_and_purpose_clauses_share_the_subject(nlp: Language) -> None:
    m = one(nlp, "Estonia agreed to deploy 200 soldiers to Latvia.", "154")
    assert text_of(m.source) == "Estonia" and m.modality == "asserted"


def test_light_verb_noun_and_future(nlp: Language) -> None:
    m = one(nlp, "Israeli jets carried out air strikes on Hezbollah positions.", "195")
    assert "jets" in text_of(m.source)
    m = one(nlp, "Brazil will provide humanitarian aid to Haiti.", "073")
    assert m.modality == "intended"


def test_negated_future_aid_is_a_refusal(nlp: Language) -> None:
    m = one(nlp, "Germany would not supply weapons to the rebels.", "12")
    assert m.cameo == "1222" and not m.negated


def test_negation_and_report(nlp: Language) -> None:
    m = one(nlp, "Canada did not criticize the decision.", "111")
    assert m.negated
    m = one(nlp, "Rebels attacked a police post, officials said.", "19")
    assert m.modality == "reported"
    m = one(nlp, "According to witnesses, soldiers shot at the protesters.", "19")
    assert m.modality == "reported"


def test_accusation_verb_and_want(nlp: Language) -> None:
    m = one(nlp, "Seoul accused Pyongyang of espionage.", "112")
    assert m.cameo == "1125" and text_of(m.target) == "Pyongyang"
    m = one(nlp, "Iran wants to attack the base.", "13")
    assert m.cameo == "138"


def test_coordinated_meeting(nlp: Language) -> None:
    pairs = {
        (text_of(m.source), text_of(m.target))
        for m in found(nlp, "Peru and Chile met in Lima.")
        if m.cameo == "040"
    }
    assert ("Peru", "Chile") in pairs and ("Chile", "Peru") in pairs


def test_business_operations_and_targets_are_no_attacks(nlp: Language) -> None:
    """ "operations" and "target" are attacks only with something military around them."""
    for text in (
        "The carmaker said its operations in Brazil returned to profit last year.",
        "The European Union will target the airlines with a new fuel tax.",
    ):
        assert [m.cameo for m in found(nlp, text) if m.cameo.startswith("19")] == [], text
    assert one(nlp, "The army launched a military operation against the rebels in the north.", "19")


def test_a_date_is_never_the_source_of_an_attack(nlp: Language) -> None:
    text = "Airlines were hit hard after the 11 September 2001 attacks on the United States."
    assert all(m.source is None or "September" not in m.source.text for m in found(nlp, text)), [
        (m.cameo, m.source.text if m.source else None) for m in found(nlp, text)
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "Chile demanded that Bolivia free the detained fishermen.",
        "Chile demanded that Bolivia provide aid to Peru.",  # the one asked, not the act's own target
    ],
)
def test_a_demand_targets_whoever_is_to_act(nlp: Language, sentence: str) -> None:
    m = one(nlp, sentence, "10")
    assert text_of(m.source) == "Chile" and text_of(m.target) == "Bolivia"


@pytest.mark.parametrize(
    "sentence",
    [
        "She ran the fastest indoor mile of the year to beat Canada's Anne Miller by ten seconds.",
        "Arkansas beat Canada's Nate Brown by almost ten seconds.",
        "Smith beat Russian rival Olga Petrova in the final.",
    ],
)
def test_a_win_is_no_assault(nlp: Language, sentence: str) -> None:
    assert not [m for m in found(nlp, sentence) if m.cameo.startswith("18")]


def test_a_beating_is_still_an_assault(nlp: Language) -> None:
    m = one(nlp, "Guards beat the prisoners with sticks in the yard.", "182")
    assert text_of(m.source) == "Guards" and text_of(m.target) == "the prisoners"


@pytest.mark.parametrize(
    "sentence",
    [
        'The governor called the riot "shameful" and promised an inquiry.',
        "The minister called the report a provocation.",
    ],
)
def test_calling_something_a_name_is_no_appeal(nlp: Language, sentence: str) -> None:
    assert not [m for m in found(nlp, sentence) if m.cameo.startswith("02")]


def test_calling_on_someone_is_still_an_appeal(nlp: Language) -> None:
    assert one(nlp, "The UN called on both sides to show restraint.", "02")
