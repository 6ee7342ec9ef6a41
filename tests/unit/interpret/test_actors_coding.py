"""Actor records at a date, ``actor_at``, and the "actor-tenure" publication-date constraint."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from veille.annotate.actor_types import ActorMention, Coding
from veille.annotate.actors import annotate_text
from veille.interpret.actor_tenure import tenure_verdict
from veille.interpret.actors import actor_at, choose_coding, code_actors, published_day
from veille.interpret.published import registered_constraints
from veille.models import Actor

TUESDAYS_4_FEB = [dt.date(2014, 2, 4), dt.date(2020, 2, 4), dt.date(2025, 2, 4)]


def d(value: str) -> dt.date:
    return dt.date.fromisoformat(value)


# ------------------------------------------------------------------ choosing a coding


def test_the_coding_valid_at_the_date_wins() -> None:
    codings = (
        Coding("NORGOV", "NOR", "GOV", d("2005-10-17"), d("2013-10-16")),
        Coding("IGOWSTNAT", None, None, d("2014-10-01"), d("2024-10-01")),
    )
    assert choose_coding(codings, d("2020-02-04")) == (codings[1], 1.0)
    assert choose_coding(codings, d("2010-01-01")) == (codings[0], 1.0)


def test_a_past_office_holder_becomes_an_elite_and_no_date_means_the_latest() -> None:
    codings = (Coding("USAGOV", "USA", "GOV", d("2009-01-20"), d("2017-01-20")),)
    later = choose_coding(codings, d("2020-02-04"))
    assert later is not None and later[0].code == "USAELI" and later[1] < 1.0
    undated = choose_coding(codings, None)
    assert undated is not None and undated[0].code == "USAGOV" and undated[1] < 1.0


def test_without_a_date_a_stated_title_without_country_gives_way_to_the_current_office() -> None:
    stated = Coding("---GOV", None, "GOV")
    office = Coding("KENGOV", "KEN", "GOV", d("2022-09-13"), None)
    chosen = choose_coding((stated, office), None)
    assert chosen is not None and chosen[0].code == "KENGOV"
    named = Coding("KENGOV", "KEN", "GOV")  # a stated title with its country still wins
    assert choose_coding((named, office), None) == (named, 0.8)


def test_phoenix_default_coding_applies_outside_the_dated_ones() -> None:
    codings = (Coding("BLRGOV", "BLR", "GOV", d("1994-07-20"), None), Coding("BLRELI", "BLR", "ELI"))
    assert choose_coding(codings, d("1990-01-01")) == (codings[1], 0.9)
    assert choose_coding(codings, d("2020-01-01")) == (codings[0], 1.0)


def test_published_day_tolerates_partial_dates() -> None:
    assert published_day("2020-02-04") == d("2020-02-04")
    assert published_day("2020-02") is None and published_day(None) is None


# ------------------------------------------------------------------ actor_at


def test_actor_at_prefers_the_largest_overlap_then_the_tighter_span() -> None:
    wide = Actor(text="x" * 40, start=0, end=40, name="wide", code="USAGOV")
    tight = Actor(text="x" * 10, start=20, end=30, name="tight", code="RUSMIL")
    assert actor_at([wide, tight], 22, 28) is tight
    assert actor_at([wide, tight], 2, 12) is wide
    assert actor_at([wide, tight], 25, 25) is tight
    assert actor_at([wide, tight], 50, 60) is None


# ------------------------------------------------------------------ the tenure constraint


def test_constraint_is_registered() -> None:
    assert "actor-tenure" in registered_constraints()


def test_secretary_of_state_pompeo_leaves_2020_only() -> None:
    mentions = annotate_text("Le secrétaire d'État américain Mike Pompeo est arrivé ce mardi.", lang="fr")
    verdict = tenure_verdict(mentions, TUESDAYS_4_FEB)
    assert verdict is not None and verdict.allowed == {d("2020-02-04")}
    assert verdict.evidence[0].why == "Mike Pompeo was US Secretary of State 2018-04-26 – 2021-01-20"
    assert verdict.evidence[0].text == "secrétaire d'État américain Mike Pompeo"


def test_president_trump_alone_keeps_both_terms() -> None:
    verdict = tenure_verdict(annotate_text("the US President Donald Trump said", lang="en"), TUESDAYS_4_FEB)
    assert verdict is not None and verdict.allowed == {d("2020-02-04"), d("2025-02-04")}


def test_stoltenberg_as_nato_secretary_general_excludes_2014_and_2025() -> None:
    mentions = annotate_text("le secrétaire général de l'OTAN, Jens Stoltenberg, a déclaré", lang="fr")
    verdict = tenure_verdict(mentions, TUESDAYS_4_FEB)
    assert verdict is not None and verdict.allowed == {d("2020-02-04")}


def test_rutte_as_nato_secretary_general_keeps_2025() -> None:
    verdict = tenure_verdict(
        annotate_text("NATO Secretary General Mark Rutte said", lang="en"), TUESDAYS_4_FEB
    )
    assert verdict is not None and verdict.allowed == {d("2025-02-04")}


def test_untitled_former_and_mismatched_titles_do_not_constrain() -> None:
    assert tenure_verdict(annotate_text("Mike Pompeo a parlé.", lang="fr"), TUESDAYS_4_FEB) is None
    assert (
        tenure_verdict(annotate_text("l'ancien secrétaire d'État Mike Pompeo", lang="fr"), TUESDAYS_4_FEB)
        is None
    )
    # Pompeo was never a defence minister: the title does not match any dated office.
    assert (
        tenure_verdict(annotate_text("le ministre de la Défense Mike Pompeo", lang="fr"), TUESDAYS_4_FEB)
        is None
    )


def test_an_office_ended_by_death_does_not_exclude_later_dates() -> None:
    mentions = annotate_text(
        "le commandant de la Force Qods, le général Qassem Soleimani, est mort", lang="fr"
    )
    verdict = tenure_verdict(mentions, [d("1990-02-04"), d("2020-02-04")])
    assert verdict is not None and verdict.allowed == {d("2020-02-04")}


def test_a_contradicting_mention_is_ignored() -> None:
    text = "le président américain Barack Obama et le secrétaire d'État américain Mike Pompeo"
    verdict = tenure_verdict(annotate_text(text, lang="fr"), [d("2012-02-04"), d("2020-02-04")])
    # Obama keeps 2012, Pompeo only 2020: the second clue would leave nothing and is skipped.
    assert verdict is not None and verdict.allowed == {d("2012-02-04")}


def test_hand_made_mentions() -> None:
    stated = Coding("USAGOV", "USA", "GOV", position="secretary_of_state")
    mention = ActorMention(
        start=0,
        end=11,
        text="Mike Pompeo",
        name="Mike Pompeo",
        kb_id="per:mike_pompeo",
        kind="person",
        codings=(stated,),
        stated=stated,
        positions=("secretary_of_state",),
    )
    verdict = tenure_verdict([mention], [d("2018-04-25"), d("2018-04-26"), d("2021-01-20"), d("2021-01-21")])
    assert verdict is not None and verdict.allowed == {d("2018-04-26"), d("2021-01-20")}


# ------------------------------------------------------------------ the seed page


@pytest.fixture(scope="module")
def seed_doc(shared_dir: Path):  # type: ignore[no-untyped-def]
    from veille.annotate.nlp import get_nlp
    from veille.settings import Settings

    raw = (shared_dir / "seed" / "000_d4915bc04119538f.txt").read_text(encoding="utf-8")
    text = "\n".join(raw.split("Laisser un commentaire")[0].split("\n")[2:]).strip()
    return get_nlp("fr", models=Settings().models)(text)


def test_seed_actors_at_publication_date(seed_doc) -> None:  # type: ignore[no-untyped-def]
    actors = code_actors(seed_doc, at=d("2020-02-04"))
    codes: dict[str, set[str]] = {}
    for actor in actors:
        codes.setdefault(actor.name, set()).add(actor.code or "")
    assert codes["Mike Pompeo"] == {"USAGOV"}
    assert codes["Donald Trump"] == {"USAGOV"}
    assert codes["Emmanuel Macron"] == {"FRAGOV"}
    assert codes["Jens Stoltenberg"] == {"IGOWSTNAT"}
    assert codes["Alexander Fomin"] <= {"RUSGOVMIL", "RUSMIL", "RUSGOV"}
    assert codes["Kazem Jalali"] == {"IRNGOV"}
    assert codes["Qassem Soleimani"] == {"IRNMIL"}
    assert codes["Sputnik"] == {"RUSMED"}
    assert codes["Euronews"] == {"EURMED"}
    assert codes["Avia.pro"] == {"RUSMED"}
    assert codes["Telegram"] == {"---MED"}
    assert codes["ministère de la Défense de la Biélorussie"] == {"BLRGOVMIL"}
    by_text = {a.text: a for a in actors}
    assert by_text["1er diplomate US"].name == "Mike Pompeo"
    assert by_text["Européens"].code == "EUR"
    assert by_text["forces américaines"].code == "USAMIL"
    assert by_text["armée russe"].code == "RUSMIL"
    assert "Defender Europe" not in {a.text for a in actors}


def test_seed_tenure_constraint_leaves_2020(seed_doc) -> None:  # type: ignore[no-untyped-def]
    from veille.interpret.actor_tenure import tenure_constraint

    verdict = tenure_constraint(seed_doc, TUESDAYS_4_FEB)
    assert verdict is not None and verdict.allowed == {d("2020-02-04")}
    whys = " | ".join(e.why for e in verdict.evidence)
    for person in ("Mike Pompeo", "Donald Trump", "Jens Stoltenberg"):
        assert person in whys
