"""Resolution of date expressions against the publication date, with news conventions."""

from __future__ import annotations

import datetime as dt

import pytest
from spacy.language import Language

from veille.annotate.nlp import get_nlp
from veille.interpret.dates import publication_candidates, resolve_dates
from veille.models import DateMention
from veille.settings import Settings

# Wednesday 11 March 2026.
WED = dt.date(2026, 3, 11)


@pytest.fixture(scope="module")
def nlp_fr() -> Language:
    return get_nlp("fr", models=Settings().models)


@pytest.fixture(scope="module")
def nlp_en() -> Language:
    return get_nlp("en", models=Settings().models)


def resolve(nlp: Language, text: str, reference: dt.date | None = WED) -> list[DateMention]:
    return list(resolve_dates(nlp(text), reference=reference, lang=nlp.lang))


def values(nlp: Language, text: str, reference: dt.date | None = WED) -> list[str | None]:
    return [m.value for m in resolve(nlp, text, reference)]


# ---- French ----


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A bare weekday in a past clause: the most recent one.
        ("Le ministre a démissionné lundi.", "2026-03-09"),
        ("Le ministre a démissionné mercredi.", "2026-03-11"),
        # In a future clause: the next one.
        ("Le ministre démissionnera vendredi.", "2026-03-13"),
        ("Le ministre va démissionner lundi.", "2026-03-16"),
        # "ce" is the current week, "prochain/dernier" the next/previous week.
        ("Le conseil s'est réuni ce lundi.", "2026-03-09"),
        ("Le conseil se réunira ce samedi.", "2026-03-14"),
        ("Le conseil se réunira mardi prochain.", "2026-03-17"),
        ("Le conseil s'est réuni jeudi dernier.", "2026-03-05"),
        ("Les secours sont arrivés il y a deux jours.", "2026-03-09"),
        ("Les résultats seront publiés dans dix jours.", "2026-03-21"),
        ("La grève a commencé hier.", "2026-03-10"),
        ("La grève commencera demain.", "2026-03-12"),
        ("La grève a commencé avant-hier.", "2026-03-09"),
        # A day and month without a year: not after the reference in a past clause.
        ("Le traité a été signé le 20 décembre.", "2025-12-20"),
        ("Le traité a été signé le 2 mars.", "2026-03-02"),
        ("Le traité sera signé le 2 avril.", "2026-04-02"),
        ("Le traité a été signé le 2 mars 1999.", "1999-03-02"),
        # Months.
        ("En octobre dernier, le parlement a voté.", "2025-10"),
        ("En janvier, le parlement a voté.", "2026-01"),
        ("Le parlement votera en mai prochain.", "2026-05"),
        ("Les ventes ont baissé en 2024.", "2024"),
        ("Le scrutin a eu lieu le 03/02/2025.", "2025-02-03"),
    ],
)
def test_french_news_conventions(nlp_fr: Language, text: str, expected: str) -> None:
    assert values(nlp_fr, text) == [expected]


def test_a_span_before_or_after_an_event_is_no_date_from_publication(nlp_fr: Language) -> None:
    # "six semaines avant la fin du mandat" counts from an event the text does not date.
    (before,) = resolve(nlp_fr, "Le texte doit être voté six semaines avant la fin du mandat.")
    assert (before.text, before.type, before.value) == ("six semaines", "duration", "P6W")
    assert [m.value for m in resolve(nlp_fr, "Le stade a été rasé deux ans après les Jeux.")] in ([], ["P2Y"])
    (earlier,) = resolve(nlp_fr, "Il avait prévenu trois jours plus tôt.")
    assert earlier.value == "2026-03-08"


def test_week_periods_fr(nlp_fr: Language) -> None:
    (next_week,) = resolve(nlp_fr, "Le sommet se tiendra la semaine prochaine.")
    assert next_week.type == "daterange" and next_week.range == ("2026-03-16", "2026-03-23")
    (last_week,) = resolve(nlp_fr, "Le sommet s'est tenu la semaine dernière.")
    assert last_week.range == ("2026-03-02", "2026-03-09")


def test_duration_fr(nlp_fr: Language) -> None:
    (mention,) = resolve(nlp_fr, "Le régime est au pouvoir depuis plus de 30 ans.")
    assert (mention.type, mention.value, mention.mod) == ("duration", "P30Y", "more")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Il y a une dizaine de jours, la digue a cédé.", ["2026-03-01"]),
        ("Dans une vingtaine de jours, le pont rouvrira.", ["2026-03-31"]),
        ("Les fouilles dureront une quinzaine de mois.", ["P15M"]),  # not "une" fortnight
        ("Il y a une quinzaine, la digue a cédé.", ["2026-02-25"]),  # a fortnight ago
    ],
)
def test_approximate_counts_fr(nlp_fr: Language, text: str, expected: list[str]) -> None:
    assert values(nlp_fr, text) == expected


def test_a_day_then_au_soir_is_one_expression_fr(nlp_fr: Language) -> None:
    (mention,) = resolve(nlp_fr, "Jeudi 12 mars au soir, la digue a cédé.")
    assert mention.text == "Jeudi 12 mars au soir"
    assert mention.range == ("2026-03-12T16:00:00", "2026-03-12T20:00:00")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Le pont a été endommagé dans la nuit de lundi à mardi.", "dans la nuit de lundi à mardi"),
        ("Le pont a été endommagé dans la nuit du 9 au 10 mars.", "dans la nuit du 9 au 10 mars"),
    ],
)
def test_a_night_from_one_day_to_the_next_ends_in_the_morning_fr(
    nlp_fr: Language, text: str, expected: str
) -> None:
    (mention,) = resolve(nlp_fr, text)
    assert mention.text == expected
    assert mention.range == ("2026-03-09T20:00:00", "2026-03-10T06:00:00")


def test_approximate_counts_en(nlp_en: Language) -> None:
    assert values(nlp_en, "The dam was built a dozen years ago.") == ["2014-03-11"]


def test_explicit_range_fr(nlp_fr: Language) -> None:
    (mention,) = resolve(nlp_fr, "Le salon a eu lieu du 3 au 6 février.")
    assert (mention.type, mention.range) == ("daterange", ("2026-02-03", "2026-02-06"))


def test_day_range_without_month_fr(nlp_fr: Language) -> None:
    (mention,) = resolve(nlp_fr, "La grève a duré du 2 au 6, selon les syndicats.")
    assert (mention.type, mention.range) == ("daterange", ("2026-03-02", "2026-03-06"))


@pytest.mark.parametrize(
    "text",
    ["Le taux est passé du 12 au 15 %.", "Il a grimpé du 3 au 5e étage.", "Un public de 13 à 18 ans."],
)
def test_number_ranges_are_not_dates_fr(nlp_fr: Language, text: str) -> None:
    assert [m for m in resolve(nlp_fr, text) if m.type == "daterange"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Le train est parti à cinq trente du matin.", "05:30:00"),
        ("Il était dix-neuf quarante du soir.", "19:40:00"),
        ("Il est huit et quart.", "08:15:00"),
        ("Le vol part à sept quarante pm.", "19:40:00"),
    ],
)
def test_clock_times_in_words_fr(nlp_fr: Language, text: str, expected: str) -> None:
    assert [(m.type, m.value) for m in resolve(nlp_fr, text)] == [("time", expected)]


def test_hour_range_sharing_pm_fr(nlp_fr: Language) -> None:
    (mention,) = resolve(nlp_fr, "Le guichet ouvre 4 au 7pm.")
    assert (mention.type, mention.range) == ("timerange", ("16:00:00", "19:00:00"))


def test_fraction_without_clock_cue_is_not_a_time_fr(nlp_fr: Language) -> None:
    assert resolve(nlp_fr, "Ils étaient deux et demi.") == []


def test_day_with_open_clock_bound_fr(nlp_fr: Language) -> None:
    (mention,) = resolve(nlp_fr, "Le vote aura lieu jeudi avant 18h.")
    assert (mention.text, mention.value, mention.mod) == ("jeudi avant 18h", "2026-03-12T18:00:00", "before")
    # A comma keeps them apart: "après 20h de négociations" is not a bound of Monday.
    assert all(m.text != "Lundi, après 20h" for m in resolve(nlp_fr, "Lundi, après 20h de négociations."))


def test_current_winter_straddles_the_year_fr(nlp_fr: Language) -> None:
    february = dt.date(2026, 2, 10)
    assert [m.range for m in resolve(nlp_fr, "Il a beaucoup neigé cet hiver.", february)] == [
        ("2025-12-01", "2026-03-01")
    ]
    assert [m.range for m in resolve(nlp_fr, "Rendez-vous l'hiver prochain.", february)] == [
        ("2026-12-01", "2027-03-01")
    ]


def test_open_range_fr(nlp_fr: Language) -> None:
    (mention,) = resolve(nlp_fr, "Le couvre-feu est en vigueur depuis 2021.")
    assert (mention.type, mention.value, mention.mod) == ("daterange", "2021-01-01", "since")


def test_datetime_fr(nlp_fr: Language) -> None:
    (mention,) = resolve(nlp_fr, "L'explosion a eu lieu hier vers 22h15.")
    assert (mention.type, mention.value) == ("datetime", "2026-03-10T22:15:00")


def test_without_reference_absolute_resolve_relative_do_not(nlp_fr: Language) -> None:
    mentions = resolve(nlp_fr, "Signé le 12 mai 2004, l'accord a été dénoncé hier.", reference=None)
    assert [(m.text, m.value) for m in mentions] == [("12 mai 2004", "2004-05-12"), ("hier", None)]


def test_publication_candidates_fr(nlp_fr: Language) -> None:
    doc = nlp_fr("Le chef de l'État a annoncé ce mercredi 11 mars de nouvelles mesures.")
    candidates = publication_candidates(doc, today=dt.date(2026, 6, 1))
    years = [c.date.year for c in candidates]
    assert 2026 in years and 2020 in years and all(c.date.strftime("%m-%d") == "03-11" for c in candidates)
    assert all(c.date.weekday() == 2 for c in candidates)
    assert candidates[0].evidence.text == "ce mercredi 11 mars"
    assert "Wednesday 11 March falls in" in candidates[0].evidence.why


def test_fully_dated_candidate_fr(nlp_fr: Language) -> None:
    doc = nlp_fr("Publié aujourd'hui mercredi 11 mars 2026 à Paris.")
    assert [c.date for c in publication_candidates(doc)] == [dt.date(2026, 3, 11)]


def test_no_candidate_from_plain_dates(nlp_fr: Language) -> None:
    assert publication_candidates(nlp_fr("Le traité a été signé le 2 mars 1999.")) == []


# ---- English ----


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The rebels withdrew three days ago.", "2026-03-08"),
        ("The rebels withdrew on Monday.", "2026-03-09"),
        ("The rebels will withdraw on Monday.", "2026-03-16"),
        ("The rebels withdrew last Monday.", "2026-03-02"),
        ("The rebels will withdraw this Friday.", "2026-03-13"),
        ("The rebels withdrew yesterday.", "2026-03-10"),
        ("The accord was signed on January 3.", "2026-01-03"),
        ("The accord was signed on December 3.", "2025-12-03"),
        ("The accord was signed in November.", "2025-11"),
        ("The accord was signed on 4 July 1998.", "1998-07-04"),
    ],
)
def test_english_news_conventions(nlp_en: Language, text: str, expected: str) -> None:
    assert values(nlp_en, text) == [expected]


def test_next_week_en(nlp_en: Language) -> None:
    (mention,) = resolve(nlp_en, "Ministers will meet next week.")
    assert mention.range == ("2026-03-16", "2026-03-23")


def test_open_range_en(nlp_en: Language) -> None:
    (mention,) = resolve(nlp_en, "Prices have doubled since 2019.")
    assert (mention.value, mention.mod) == ("2019-01-01", "since")


def test_publication_candidates_en(nlp_en: Language) -> None:
    doc = nlp_en("The president said this Wednesday, March 11, that talks would resume.")
    candidates = publication_candidates(doc, today=dt.date(2026, 6, 1))
    assert dt.date(2026, 3, 11) in {c.date for c in candidates}
    assert all(c.date.weekday() == 2 for c in candidates)


# ---- more conventions ----


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Le verdict sera rendu jeudi en huit.", "2026-03-19"),
        ("Le verdict sera rendu mercredi en huit.", "2026-03-18"),
        ("Le délai expire le dernier jour de février 2024.", "2024-02-29"),
        ("Le procès s'ouvrira le 9 février prochain.", "2027-02-09"),
        ("Le procès s'est ouvert le 9 avril dernier.", "2025-04-09"),
    ],
)
def test_more_french_values(nlp_fr: Language, text: str, expected: str) -> None:
    assert values(nlp_fr, text) == [expected]


def test_range_over_new_year_fr(nlp_fr: Language) -> None:
    (mention,) = resolve(
        nlp_fr, "La trêve a duré du 28 décembre au 3 janvier.", reference=dt.date(2026, 1, 20)
    )
    assert mention.range == ("2025-12-28", "2026-01-03")


def test_year_range_fr(nlp_fr: Language) -> None:
    (mention,) = resolve(nlp_fr, "Il a dirigé le club de 2015 à 2018.")
    assert (mention.type, mention.range) == ("daterange", ("2015-01-01", "2018-01-01"))


def test_first_week_of_a_month_fr(nlp_fr: Language) -> None:
    (mention,) = resolve(nlp_fr, "Les travaux commencent la première semaine de mars 2027.")
    assert mention.range == ("2027-03-01", "2027-03-08")


def test_before_a_time_fr(nlp_fr: Language) -> None:
    (mention,) = resolve(nlp_fr, "Les bureaux ferment avant 20h.")
    assert (mention.type, mention.value, mention.mod) == ("timerange", "20:00:00", "before")


def test_time_range_on_a_day_fr(nlp_fr: Language) -> None:
    (mention,) = resolve(nlp_fr, "Le bureau de vote était ouvert lundi de 8h à 19h.")
    assert (mention.type, mention.range) == ("datetimerange", ("2026-03-09T08:00:00", "2026-03-09T19:00:00"))


def test_in_two_weeks_en(nlp_en: Language) -> None:
    assert values(nlp_en, "The envoy will return in two weeks.") == ["2026-03-25"]


def test_by_the_end_of_the_month_en(nlp_en: Language) -> None:
    (mention,) = resolve(nlp_en, "A decision is expected by the end of the month.")
    assert (mention.value, mention.mod) == ("2026-04-01", "before")


# ---- publication candidates from datelines and notices ----


def test_dateline_candidate_fr(nlp_fr: Language) -> None:
    doc = nlp_fr("Grève générale\n\nLYON, mardi 10 mars 2026 — Les syndicats ont appelé à manifester.")
    (candidate,) = publication_candidates(doc)
    assert candidate.date == dt.date(2026, 3, 10) and candidate.evidence.why.startswith("dateline")


def test_publication_notice_fr(nlp_fr: Language) -> None:
    doc = nlp_fr("Publié le 10/03/2026 à 14h05\n\nLes syndicats ont appelé à manifester.")
    assert [c.date for c in publication_candidates(doc)] == [dt.date(2026, 3, 10)]


@pytest.mark.parametrize(
    "head",
    ["Le 2 avril 2026", "Grenoble, le 2 avril 2026", "le 2 avril 2026 à 09:15"],
)
def test_dateline_with_lead_word_fr(nlp_fr: Language, head: str) -> None:
    doc = nlp_fr(f"Coupure d'eau\n\n{head}\n\nLa régie a prévenu les habitants mercredi.")
    (candidate,) = publication_candidates(doc)
    assert candidate.date == dt.date(2026, 4, 2) and candidate.evidence.why.startswith("dateline")


def test_date_in_a_sentence_is_no_dateline_fr(nlp_fr: Language) -> None:
    doc = nlp_fr("Coupure d'eau\n\nLe 2 avril 2026, la régie a prévenu les habitants.")
    assert publication_candidates(doc) == []


def test_update_notice_only_without_other_anchor_fr(nlp_fr: Language) -> None:
    updated = "Mis à jour le 3 avril 2026 à 18h40\n\nLa régie a prévenu les habitants mercredi."
    (candidate,) = publication_candidates(nlp_fr(updated))
    assert candidate.date == dt.date(2026, 4, 3) and candidate.evidence.why.startswith("update notice")
    both = "Publié le 2 avril 2026\nMis à jour le 3 avril 2026 à 18h40\n\nLa régie a prévenu les habitants."
    assert [c.date for c in publication_candidates(nlp_fr(both))] == [dt.date(2026, 4, 2)]


def test_update_notice_en(nlp_en: Language) -> None:
    doc = nlp_en("Water cut\n\nLast updated: 3 April 2026\n\nThe utility warned residents on Wednesday.")
    assert [c.date for c in publication_candidates(doc)] == [dt.date(2026, 4, 3)]


def test_full_date_settles_deictic_years_fr(nlp_fr: Language) -> None:
    text = "LYON, 10 mars 2026 — Le ministre a parlé ce mardi 10 mars devant la presse."
    dates = {c.date for c in publication_candidates(nlp_fr(text), today=dt.date(2026, 6, 1))}
    assert dates == {dt.date(2026, 3, 10)}


def test_dateline_candidate_en(nlp_en: Language) -> None:
    doc = nlp_en("GENEVA, March 10, 2026 - Negotiators met on Monday.")
    assert [c.date for c in publication_candidates(doc)] == [dt.date(2026, 3, 10)]


def test_d_ici_points_ahead_whatever_the_tense(nlp_fr: Language) -> None:
    # A past clause would take last September; "d'ici" is always ahead of the reference.
    (until,) = resolve(nlp_fr, "Les deux pays se sont entendus sur un retrait d'ici le 15 septembre.")
    assert (until.value, until.mod) == ("2026-09-15", "before")
    (capital,) = resolve(nlp_fr, "D'ici septembre, les troupes auront quitté le pays.")
    assert capital.value == "2026-09-01"
