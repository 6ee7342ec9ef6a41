"""The date grammar: which words are date expressions, and what they mean (before resolution)."""

from __future__ import annotations

import pytest
from spacy.language import Language

from veille.annotate.date_types import DatePoint, Duration, Open, Range, Recurrence, When, Window
from veille.annotate.dates import find_date_exprs
from veille.annotate.nlp import get_nlp
from veille.settings import Settings


def texts(text: str, lang: str) -> list[str]:
    return [e.text for e in find_date_exprs(text, lang=lang)]


def only_point(text: str, lang: str) -> DatePoint:
    exprs = find_date_exprs(text, lang=lang)
    assert len(exprs) == 1, exprs
    node = exprs[0].node
    assert isinstance(node, When) and node.date is not None
    return node.date


# ---- French: what is a date ----


@pytest.mark.parametrize(
    "text",
    [
        "Plus de 20 000 manifestants ont défilé à Lyon.",
        "Le chômage a reculé de -92% dans le secteur.",
        "Le 1er ministre a démissionné.",
        "Un homme âgé de 25 ans a été interpellé.",
        "Elle a 25 ans et vit à Nantes.",
        "Le PSG s'est imposé 3-1 face à Lille.",
        "Il a payé 12 € pour 3 kg de pommes.",
        "Le parti a obtenu 2000 voix de plus.",
        "Les élus ont été nombreux à voter.",
        "La sonde a atterri sur Mars.",
    ],
)
def test_numbers_and_words_that_are_not_dates_fr(text: str) -> None:
    assert texts(text, "fr") == []


def test_relative_day_fr() -> None:
    point = only_point("Le convoi est parti il y a cinq jours de Kiev.", "fr")
    assert (point.shift, point.shift_unit) == (-5.0, "day")


def test_deictic_weekday_with_date_fr() -> None:
    point = only_point("Le ministre a parlé ce jeudi 12 mars devant les députés.", "fr")
    assert (point.weekday, point.day, point.month, point.year, point.direction) == (3, 12, 3, None, 0)


def test_month_with_direction_fr() -> None:
    point = only_point("En octobre dernier, la banque a relevé ses taux.", "fr")
    assert (point.month, point.direction) == (10, -1)


def test_period_from_today_fr() -> None:
    point = only_point("Le sommet aura lieu la semaine prochaine à Rome.", "fr")
    assert (point.period, point.offset) == ("week", 1)


def test_span_excludes_article_before_day_fr() -> None:
    assert texts("Il est mort le 14 juillet à Paris.", "fr") == ["14 juillet"]


def test_duration_needs_a_time_word_for_years_fr() -> None:
    exprs = find_date_exprs("La centrale fonctionne depuis plus de 40 ans sans incident.", lang="fr")
    assert [e.text for e in exprs] == ["depuis plus de 40 ans"]
    node = exprs[0].node
    assert isinstance(node, Duration)
    assert (node.amount, node.unit, node.mod, node.since) == (40.0, "year", "more", True)


def test_short_durations_need_no_cue_fr() -> None:
    node = find_date_exprs("Une grève de trois semaines a paralysé le port.", lang="fr")[0].node
    assert isinstance(node, Duration) and (node.amount, node.unit) == (3.0, "week")


def test_range_with_shared_month_fr() -> None:
    exprs = find_date_exprs("Le festival se tiendra du 4 au 9 août 2026 à Arles.", lang="fr")
    assert len(exprs) == 1 and isinstance(exprs[0].node, Range)
    node = exprs[0].node
    assert node.start.date is not None and node.end.date is not None
    assert (node.start.date.day, node.end.date.day, node.end.date.month, node.end.date.year) == (
        4,
        9,
        8,
        2026,
    )


def test_open_range_fr() -> None:
    exprs = find_date_exprs("La frontière est fermée depuis le 2 mars.", lang="fr")
    assert [e.text for e in exprs] == ["depuis le 2 mars"]
    assert isinstance(exprs[0].node, Open) and exprs[0].node.mod == "since"


def test_year_after_preposition_fr() -> None:
    point = only_point("En 2019, les exportations ont chuté.", "fr")
    assert point.year == 2019


def test_date_and_time_join_fr() -> None:
    exprs = find_date_exprs("Le vote est prévu mardi à 15h30.", lang="fr")
    assert [e.text for e in exprs] == ["mardi à 15h30"]
    node = exprs[0].node
    assert isinstance(node, When) and node.time is not None and (node.time.hour, node.time.minute) == (15, 30)


def test_window_fr() -> None:
    node = find_date_exprs("Les prix ont baissé ces trois derniers mois.", lang="fr")[0].node
    assert isinstance(node, Window) and (node.amount, node.unit, node.direction) == (3.0, "month", -1)


def test_recurrence_fr() -> None:
    node = find_date_exprs("Le marché se tient chaque samedi.", lang="fr")[0].node
    assert isinstance(node, Recurrence) and node.weekday == 5


def test_season_is_not_a_participle_fr() -> None:
    assert texts("Le texte a été adopté.", "fr") == []
    assert texts("L'été dernier fut chaud.", "fr") == ["été dernier"]


def test_holiday_fr() -> None:
    point = only_point("Les magasins ferment à la Toussaint.", "fr")
    assert (point.month, point.day) == (11, 1)


# ---- English ----


@pytest.mark.parametrize(
    "text",
    [
        "May I ask a question?",
        "Prices rose 92% over the quarter's first days of trading in 3-1 odds.",
        "The 24th amendment was ratified.",
        "Some 20,000 troops took part.",
        "A 25-year-old man was arrested.",
        "He paid $12 for 3 tickets.",
    ],
)
def test_not_dates_en(text: str) -> None:
    assert texts(text, "en") == []


def test_ago_en() -> None:
    point = only_point("The ship sank four days ago near Malta.", "en")
    assert (point.shift, point.shift_unit) == (-4.0, "day")


def test_last_weekday_en() -> None:
    point = only_point("Officials met last Thursday in Geneva.", "en")
    assert (point.weekday, point.direction) == (3, -1)


def test_month_day_year_en() -> None:
    point = only_point("The treaty was signed on March 9, 2011 in Cairo.", "en")
    assert (point.year, point.month, point.day) == (2011, 3, 9)


def test_range_en() -> None:
    exprs = find_date_exprs("The fair runs from June 3 to June 8.", lang="en")
    assert len(exprs) == 1 and isinstance(exprs[0].node, Range)


def test_duration_en() -> None:
    node = find_date_exprs("Talks lasted more than six hours.", lang="en")[0].node
    assert isinstance(node, Duration) and (node.amount, node.unit, node.mod) == (6.0, "hour", "more")


# ---- the spaCy component: offsets and tense ----


@pytest.fixture(scope="module")
def nlp_fr() -> Language:
    return get_nlp("fr", models=Settings().models)


def test_component_offsets_and_tense_fr(nlp_fr: Language) -> None:
    doc = nlp_fr("Le président a reçu vendredi son homologue. Il se rendra lundi à Berlin.")
    exprs = doc._.veille_date_exprs
    assert [e.text for e in exprs] == ["vendredi", "lundi"]
    assert [e.tense for e in exprs] == ["past", "future"]
    for expr in exprs:
        assert doc.text[expr.start : expr.end] == expr.text


def test_near_future_with_aller_fr(nlp_fr: Language) -> None:
    doc = nlp_fr("Le gouvernement va annoncer jeudi un plan de relance.")
    assert [e.tense for e in doc._.veille_date_exprs] == ["future"]


def test_component_is_in_the_pipeline(nlp_fr: Language) -> None:
    assert "veille_dates" in nlp_fr.pipe_names


# ---- more rules ----


def test_span_of_years_is_a_duration_en() -> None:
    node = find_date_exprs("It was the first rate cut in more than two decades.", lang="en")[0].node
    assert isinstance(node, Duration) and (node.amount, node.unit, node.mod) == (2.0, "decade", "more")


def test_ordinal_second_is_not_a_duration_en() -> None:
    assert texts("A second round of voting is planned.", "en") == []


def test_weekday_en_huit_fr() -> None:
    point = only_point("Le verdict sera rendu jeudi en huit.", "fr")
    assert (point.weekday, point.later_weeks) == (3, 1)


def test_time_range_on_a_day_fr() -> None:
    exprs = find_date_exprs("Le bureau de vote est ouvert mercredi de 8h à 19h.", lang="fr")
    assert [e.text for e in exprs] == ["mercredi de 8h à 19h"]
    node = exprs[0].node
    assert isinstance(node, Range) and node.start.date is not None and node.start.date.weekday == 2
    assert node.start.time is not None and node.end.time is not None
    assert (node.start.time.hour, node.end.time.hour) == (8, 19)


def test_score_is_not_a_time_range_fr() -> None:
    assert texts("Lyon mène 2-1 à la mi-temps.", "fr") == []


def test_recurrence_at_a_time_fr() -> None:
    node = find_date_exprs("La navette part chaque vendredi à 7h45.", lang="fr")[0].node
    assert isinstance(node, Recurrence) and node.weekday == 4
    assert node.time is not None and (node.time.hour, node.time.minute) == (7, 45)


def test_weekday_joins_a_numeric_date_fr() -> None:
    exprs = find_date_exprs("Rendez-vous vendredi 14/03/25 au siège.", lang="fr")
    assert [e.text for e in exprs] == ["vendredi 14/03/25"]
    point = only_point("Rendez-vous vendredi 14/03/25 au siège.", "fr")
    assert (point.weekday, point.day, point.month, point.year) == (4, 14, 3, 2025)


def test_day_month_with_direction_fr() -> None:
    point = only_point("Le procès s'ouvrira le 9 février prochain.", "fr")
    assert (point.day, point.month, point.direction) == (9, 2, 1)


def test_modal_may_is_not_a_month_en() -> None:
    assert texts("In June, the board may approve the merger.", "en") == ["June"]


def test_last_day_of_month_fr() -> None:
    point = only_point("Le délai expire le dernier jour de février 2024.", "fr")
    assert (point.nth, point.nth_unit, point.month, point.year) == (-1, "day", 2, 2024)
