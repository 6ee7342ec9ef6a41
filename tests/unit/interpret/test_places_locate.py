"""locate_places on the seed page, event locations and GDELT ActionGeo fields."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from veille.annotate.nlp import get_nlp
from veille.interpret.places import (
    action_geo,
    event_place,
    fips_code,
    locate_places,
    place_for_span,
    place_of_predicate,
)
from veille.models import Actor, Place
from veille.settings import Settings

SEED = Path(__file__).resolve().parents[3].parent / "shared" / "seed" / "000_d4915bc04119538f.txt"


@pytest.fixture(scope="module")
def fr() -> Language:
    return get_nlp("fr", models=Settings().models)


@pytest.fixture(scope="module")
def en() -> Language:
    return get_nlp("en", models=Settings().models)


@pytest.fixture(scope="module")
def seed(fr: Language) -> tuple[Doc, tuple[Place, ...]]:
    if not SEED.is_file():
        pytest.skip(f"seed page not found at {SEED}")
    raw = SEED.read_text(encoding="utf-8")
    # The page before its comment form, without the breadcrumb lines (what the cleaner keeps).
    text = "\n".join(raw[: raw.index("Laisser un commentaire")].split("\n")[2:])
    doc = fr(text)
    return doc, locate_places(doc, lang="fr")


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p = math.pi / 180
    a = (
        math.sin((lat2 - lat1) * p / 2) ** 2
        + math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lon2 - lon1) * p / 2) ** 2
    )
    return 2 * 6371 * math.asin(math.sqrt(a))


def test_seed_places_table(seed: tuple[Doc, tuple[Place, ...]]) -> None:
    _, places = seed
    by_text = {p.text: p for p in places}
    expected = {
        "Biélorussie": "BY",
        "Minsk": "BY",
        "Russie": "RU",
        "Moscou": "RU",
        "Téhéran": "IR",
        "Bagdad": "IQ",
        "États-Unis": "US",
        "France": "FR",
        "Espagne": "ES",
        "Italie": "IT",
        "Allemagne": "DE",
        "Royaume-Uni": "GB",
        "Iran": "IR",
        "territoire syrien": "SY",
    }
    for text, country in expected.items():
        assert text in by_text, text
        assert by_text[text].country == country, text
    assert by_text["Europe"].kind in {"continent", "region"}
    assert by_text["territoire syrien"].kind == "country"
    for text in ("américain", "biélorusse", "russe", "iranien", "Européens", "Jalali", "Défense"):
        assert not any(p.text.lower() == text.lower() for p in places), text


def test_seed_minsk_and_baghdad_within_10_km(seed: tuple[Doc, tuple[Place, ...]]) -> None:
    _, places = seed
    minsk = next(p for p in places if p.text == "Minsk")
    bagdad = next(p for p in places if p.text == "Bagdad")
    assert _km(53.90, 27.57, minsk.lat, minsk.lon) < 10  # type: ignore[arg-type]
    assert _km(33.34, 44.40, bagdad.lat, bagdad.lon) < 10  # type: ignore[arg-type]
    assert minsk.geonameid == 625144 and bagdad.kind == "city"


def test_seed_offsets_point_at_the_text(seed: tuple[Doc, tuple[Place, ...]]) -> None:
    doc, places = seed
    for place in places:
        assert doc.text[place.start : place.end] == place.text


def test_seed_event_places(seed: tuple[Doc, tuple[Place, ...]]) -> None:
    doc, places = seed
    visit = next(t for t in doc if t.text == "effectué")
    assert place_of_predicate(doc, visit.i, places).name == "Minsk"  # type: ignore[union-attr]
    killed = next(t for t in doc if t.text == "tombé")
    assert place_of_predicate(doc, killed.i, places).name == "Baghdad"  # type: ignore[union-attr]
    received = next(t for t in doc if t.text == "reçu" and "Fomin" in t.sent.text)
    assert place_of_predicate(doc, received.i, places).name == "Moscow"  # type: ignore[union-attr]


def test_english_predicate_place(en: Language) -> None:
    doc = en("The commander was killed in Baghdad on Friday, officials in Washington said.")
    places = locate_places(doc, lang="en")
    killed = next(t for t in doc if t.text == "killed")
    place = place_of_predicate(doc, killed.i, places)
    assert place is not None and place.country == "IQ"


def test_place_of_predicate_without_places(en: Language) -> None:
    doc = en("The minister resigned on Monday.")
    assert place_of_predicate(doc, 2, locate_places(doc, lang="en")) is None


def test_actor_countries_are_context(en: Language) -> None:
    doc = en("Officials met in Athens on Tuesday.")
    alone = next(p for p in locate_places(doc, lang="en") if p.text == "Athens")
    assert alone.country == "GR"
    actor = Actor(text="Georgia Governor", start=0, end=1, name="Governor", code="USAGOV", country="USA")
    with_actors = locate_places(doc, lang="en", actors=[actor] * 8)
    assert next(p for p in with_actors if p.text == "Athens").country == "US"


def test_place_for_span_picks_the_largest_overlap() -> None:
    a = Place(text="Minsk", start=10, end=15, name="Minsk")
    b = Place(text="Belarus", start=20, end=27, name="Belarus")
    assert place_for_span([a, b], 12, 22) is a
    assert place_for_span([a, b], 21, 40) is b
    assert place_for_span([a, b], 0, 5) is None


def test_action_geo_fields() -> None:
    minsk = Place(
        text="Minsk",
        start=0,
        end=5,
        name="Minsk",
        country="BY",
        lat=53.9,
        lon=27.57,
        geonameid=625144,
        kind="city",
        admin1="05",
    )
    geo = action_geo(minsk)
    assert geo["ActionGeo_Type"] == 4
    assert geo["ActionGeo_CountryCode"] == "BO"  # FIPS 10-4, not ISO
    assert geo["ActionGeo_ADM1Code"] == "BO05"
    assert geo["ActionGeo_FeatureID"] == "625144"
    assert geo["ActionGeo_FullName"] == "Minsk, Minsk, Belarus"
    texas = Place(
        text="Texas",
        start=0,
        end=5,
        name="Texas",
        country="US",
        lat=31.0,
        lon=-99.0,
        geonameid=4736286,
        kind="admin1",
        admin1="TX",
    )
    assert (action_geo(texas)["ActionGeo_Type"], action_geo(texas)["ActionGeo_ADM1Code"]) == (2, "USTX")
    iraq = Place(text="Irak", start=0, end=4, name="Iraq", country="IQ", lat=33.0, lon=44.0, kind="country")
    assert (action_geo(iraq)["ActionGeo_Type"], action_geo(iraq)["ActionGeo_CountryCode"]) == (1, "IZ")
    assert action_geo(None)["ActionGeo_Type"] == 0
    assert fips_code("GB") == "UK" and fips_code(None) is None


def test_event_place_record() -> None:
    assert event_place(None) is None
    place = Place(
        text="Bagdad",
        start=0,
        end=6,
        name="Baghdad",
        country="IQ",
        lat=33.34,
        lon=44.4,
        geonameid=98182,
        kind="city",
    )
    record = event_place(place)
    assert record is not None and (record.name, record.country, record.geonameid) == ("Baghdad", "IQ", 98182)


@pytest.mark.parametrize(
    ("lang", "text", "name", "kind", "country"),
    [
        # A bare capital is the capital, not the division of the same name ...
        ("en", "The envoy flew to Washington on Tuesday for the talks.", "Washington", "city", "US"),
        ("fr", "L'envoyé s'est rendu à Washington mardi pour les pourparlers.", "Washington", "city", "US"),
        ("en", "A strike halted the trams of Bern this week.", "Bern", "city", "CH"),
        # ... unless it is written as the division.
        (
            "en",
            "Wildfires burned near Spokane, Washington, during the heat wave.",
            "Washington",
            "admin1",
            "US",
        ),
        ("en", "Voters in Washington state rejected the new tax.", "Washington", "admin1", "US"),
        ("fr", "Des incendies ont ravagé des forêts de l'État de Washington.", "Washington", "admin1", "US"),
    ],
)
def test_a_capital_over_the_division_of_its_name(
    lang: str, text: str, name: str, kind: str, country: str
) -> None:
    doc = get_nlp(lang, models=Settings().models)(text)
    placed = {p.text: p for p in locate_places(doc, lang=lang)}
    assert (placed[name].kind, placed[name].country) == (kind, country)


def test_one_other_place_is_a_hint_not_the_whole_context() -> None:
    doc = get_nlp("en", models=Settings().models)(
        "The airline will fly again between Washington and Moscow from next month."
    )
    placed = {p.text: p.country for p in locate_places(doc, lang="en")}
    assert placed == {"Washington": "US", "Moscow": "RU"}


def test_an_organisation_of_the_knowledge_base_is_no_place() -> None:
    from veille.ingest.raw import RawDocument
    from veille.pipeline import analyze

    text = (
        "Trêve\n\nUne délégation du Hamas est arrivée au Caire, a rapporté France 24. "
        "Le ministère russe des Affaires étrangères a protesté à Doha."
    )
    analysis = analyze(RawDocument(source="t.txt", text=text), settings=Settings())
    names = [p.text for p in analysis.places]
    # "Hamas" is also an old name of Hamm (Germany); "France 24" is a channel; the ministry is
    # a government body even where the NER takes it for a location.
    assert "Hamas" not in names and "France" not in names
    assert not any("ministère" in n for n in names)
    assert {"Caire", "Doha"} <= set(names)


def test_a_landmark_standing_for_a_government_is_no_place_unless_something_happens_there() -> None:
    from veille.ingest.raw import RawDocument
    from veille.pipeline import analyze

    text = (
        "Sommet\n\nLe porte-parole du Kremlin a démenti lundi. Le président a reçu mardi à la "
        "Maison Blanche son homologue mexicain, puis la Maison Blanche a publié un communiqué."
    )
    analysis = analyze(RawDocument(source="t.txt", text=text), settings=Settings())
    # The spokesman speaks for the government; the visit takes place in the building.
    assert not any(p.text == "Kremlin" for p in analysis.places)
    kept = [p.start for p in analysis.places if p.text == "Maison Blanche"]
    assert kept == [analysis.article.text.index("à la Maison Blanche") + len("à la ")]


def test_a_headline_topic_label_before_a_colon_is_no_place() -> None:
    from veille.ingest.raw import RawDocument
    from veille.pipeline import analyze

    text = "Nucléaire : Téhéran rejette les conditions européennes\n\nLes discussions ont repris à Vienne."
    names = [p.text for p in analyze(RawDocument(source="t.txt", text=text), settings=Settings()).places]
    assert "Nucléaire" not in names
    assert {"Téhéran", "Vienne"} <= set(names)
