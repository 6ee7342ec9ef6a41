"""English event rules on statements: announced future acts, attributions, protest aims, new frames."""

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


def codes(nlp: Language, text: str) -> list[str]:
    mentions: list[EventMention] = list(nlp(text)._.veille_event_mentions)
    return [m.cameo for m in mentions]


@pytest.mark.parametrize(
    ("sentence", "code"),
    [
        # A future act someone announces is the statement of intent (03x) or the threat (13x).
        ("Chile said it will send humanitarian aid to Peru.", "0333"),
        ("The rebels said they would boycott the talks with the government.", "1312"),
        ("Kenya announced that it will withdraw its peacekeepers from Somalia.", "136"),
        ("The junta said it would attack the rebel camps in the north.", "138"),
    ],
)
def test_announced_future_acts_are_intents_or_threats(nlp: Language, sentence: str, code: str) -> None:
    assert code in codes(nlp, sentence)


def test_future_without_a_speaker_stays_the_act(nlp: Language) -> None:
    # No report: the sentence tells the act itself (intended modality), not somebody's statement.
    found = codes(nlp, "Japan will send 500 troops to South Sudan.")
    assert "154" in found and not any(c.startswith(("03", "13")) for c in found)


def test_could_is_not_an_announcement(nlp: Language) -> None:
    found = codes(nlp, "Officials said Chile could send humanitarian aid to Peru.")
    assert "073" in found and "0333" not in found


def test_leading_report_of_violence_is_an_accusation(nlp: Language) -> None:
    assert "112" in codes(nlp, "Peru said that Chilean troops had attacked a border post.")


def test_trailing_attribution_accuses_no_one(nlp: Language) -> None:
    found = codes(nlp, "Gunmen attacked a police station in the north on Sunday, Nigerian police said.")
    assert "190" in found and "112" not in found


def test_own_act_told_by_its_doer_is_no_accusation(nlp: Language) -> None:
    assert "112" not in codes(nlp, "The militants said they attacked the army base at dawn.")
    # The speaker's own forces: telling it claims the act.
    assert "112" not in codes(nlp, "The defence ministry said its forces struck fuel depots near the port.")
    assert "112" in codes(nlp, "The defence ministry said enemy forces struck fuel depots near the port.")


def test_violence_in_a_relative_clause_is_background(nlp: Language) -> None:
    found = codes(nlp, "Chile said Peru must return a fishing boat that was seized by its navy last week.")
    assert "112" not in found


def test_demand_as_the_aim_of_a_protest_is_not_a_second_event(nlp: Language) -> None:
    found = codes(nlp, "Thousands of Kenyan students staged demonstrations on Friday to demand reforms.")
    assert "141" in found and not any(c.startswith("10") for c in found)


@pytest.mark.parametrize(
    ("sentence", "code"),
    [
        ("Brazil and Chile have agreed on a new trade deal.", "057"),
        ("Austrian police wounded three Czech soldiers in an ambush.", "190"),
        ("Striking miners blocked roads into Lima on Monday.", "144"),
        ("The government accepted the demands of the striking miners.", "080"),
        ("Chile has established diplomatic ties with Iran.", "050"),
        ("The junta expelled the UN inspectors from the country.", "1662"),
    ],
)
def test_new_frames(nlp: Language, sentence: str, code: str) -> None:
    assert code in codes(nlp, sentence)


def test_what_a_speaker_says_another_party_must_do_is_a_demand(nlp: Language) -> None:
    found = list(nlp("Chile said on Monday that Peru must return the fishing boat.")._.veille_event_mentions)
    demand = [m for m in found if m.cameo.startswith("10")]
    assert demand and demand[0].source is not None and demand[0].source.text == "Chile"
    assert demand[0].target is not None and demand[0].target.text == "Peru"
    # The return is the demand's content, not an event that happened.
    assert not any(m.cameo.startswith("084") for m in found)


def test_what_is_rejected_did_not_happen(nlp: Language) -> None:
    found = codes(nlp, "Bolivia rejected an invitation to attend a summit with Chile.")
    assert any(c.startswith("12") for c in found)
    assert not any(c.startswith("04") for c in found)


def test_a_passive_future_is_not_an_announced_intent(nlp: Language) -> None:
    found = codes(nlp, "Peru said the Chilean officers would be arrested on arrival.")
    assert not any(c.startswith("13") for c in found)
