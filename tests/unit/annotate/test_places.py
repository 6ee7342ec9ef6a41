"""veille_places: gazetteer, lexicons, ranking and recognition on French and English sentences."""

from __future__ import annotations

import pytest
from spacy.language import Language

from veille.annotate.gazetteer import Candidate, get_gazetteer, name_key
from veille.annotate.nlp import get_nlp
from veille.annotate.place_lexicon import french_inflections, lexicon
from veille.annotate.place_rank import rank
from veille.settings import Settings


@pytest.fixture(scope="module")
def fr() -> Language:
    return get_nlp("fr", models=Settings().models)


@pytest.fixture(scope="module")
def en() -> Language:
    return get_nlp("en", models=Settings().models)


def _top(name: str) -> Candidate:
    found = get_gazetteer().lookup([name_key(name)])[name_key(name)]
    return rank([found])[0].candidate  # type: ignore[return-value]


def _places(nlp: Language, text: str) -> dict[str, tuple[str | None, str]]:
    doc = nlp(text)
    out = {}
    for t in doc._.veille_places:
        best = rank([t.candidates])[0].candidate
        out[t.text] = (best.country if best else None, t.source)
    return out


def test_name_key_ignores_accents_case_dashes_and_apostrophes() -> None:
    assert name_key("Téhéran") == name_key("TEHERAN") == "teheran"
    assert name_key("Saint-Pétersbourg") == "saint petersbourg"
    assert name_key("Côte d’Ivoire") == name_key("cote d'ivoire")
    # An opening "St"/"Ste" is "Saint(e)"; a word merely starting with "st" is untouched.
    assert name_key("St-Pétersbourg") == name_key("Saint-Pétersbourg") == "saint petersbourg"
    assert name_key("Ste. Croix") == "sainte croix"
    assert name_key("Stuttgart") == "stuttgart"


@pytest.mark.parametrize(
    ("name", "country", "kind"),
    [
        ("Bagdad", "IQ", "city"),
        ("Moscou", "RU", "city"),
        ("Téhéran", "IR", "city"),
        ("Pékin", "CN", "city"),
        ("Londres", "GB", "city"),
        ("Le Caire", "EG", "city"),
        ("Varsovie", "PL", "city"),
        ("Minsk", "BY", "city"),
        ("Biélorussie", "BY", "country"),
        ("Royaume-Uni", "GB", "country"),
        ("Allemagne", "DE", "country"),
        ("U.S.", "US", "country"),
        ("Ky.", "US", "admin1"),
        ("Crimée", "UA", "region"),
        ("golfe Persique", None, "sea"),
        ("El-Facher", "SD", "city"),  # a city row of exonyms.tsv
        ("Zaporijia", "UA", "city"),
        # French names of first-level divisions: over a town of another country named alike.
        ("Floride", "US", "admin1"),  # not Florida (Uruguay)
        ("Corse", "FR", "admin1"),  # not Corse (England)
        ("Tessin", "CH", "admin1"),  # not Tessin (Germany)
        ("Bavière", "DE", "admin1"),
        ("Colombie-Britannique", "CA", "admin1"),
        ("St-Pétersbourg", "RU", "city"),  # the abbreviated "Saint"
        ("St-Gall", "CH", "city"),
        ("Isère", "FR", "admin2"),  # a French department
        ("Vienne", "AT", "city"),  # the capital, not the department
    ],
)
def test_gazetteer_resolves_exonyms_and_curated_names(name: str, country: str | None, kind: str) -> None:
    best = _top(name)
    assert (best.country, best.kind) == (country, kind)


def test_minsk_is_the_belarus_capital_not_the_polish_town() -> None:
    best = _top("Minsk")
    assert best.geonameid == 625144
    assert abs(best.lat - 53.90) < 0.05 and abs(best.lon - 27.57) < 0.05  # type: ignore[operator]


def test_french_demonyms_inflect() -> None:
    assert set(french_inflections("iranien")) == {"iranien", "iraniens", "iranienne", "iraniennes"}
    assert "françaises" in french_inflections("français")
    assert "turque" in french_inflections("turc")
    lex = lexicon("fr")
    assert lex.demonym_country("Américaines") == (True, "US")
    assert lex.demonym_country("russo-iraniennes") == (True, None)
    assert lex.demonym_country("Minsk") == (False, None)


def test_context_of_the_article_moves_a_shared_name() -> None:
    gaz = get_gazetteer()
    found = gaz.lookup([name_key("Dublin"), name_key("Ohio")])
    alone = rank([found["dublin"]])[0].candidate
    assert alone is not None and alone.country == "IE"
    with_state = rank([found["dublin"], found["ohio"]], names=["Dublin", "Ohio"])[0].candidate
    assert with_state is not None and (with_state.country, with_state.admin1) == ("US", "OH")


def test_a_qualifying_division_settles_the_town() -> None:
    gaz = get_gazetteer()
    found = gaz.lookup(["paris", "texas"])
    chosen = rank([found["paris"], found["texas"]], names=["Paris", "Texas"], qualifiers={0: 1})[0]
    assert chosen.candidate is not None and (chosen.candidate.country, chosen.candidate.admin1) == (
        "US",
        "TX",
    )


def test_french_places_exonyms_elision_and_demonyms(fr: Language) -> None:
    places = _places(
        fr,
        "Le ministre s’est rendu mardi à Minsk, capitale de la Biélorussie, avant de gagner Le Caire. "
        "Les forces américaines restent en Irak et l’Europe s’inquiète.",
    )
    assert places["Minsk"][0] == "BY"
    assert places["Biélorussie"][0] == "BY"
    assert places["Caire"][0] == "EG" or places.get("Le Caire", (None,))[0] == "EG"
    assert places["Irak"][0] == "IQ"
    assert "Europe" in places  # without the elided article
    assert not any("améric" in text.lower() for text in places)


def test_adjectival_place_phrase_is_the_country_but_a_bare_demonym_is_not(fr: Language) -> None:
    places = _places(fr, "Des frappes ont visé le territoire syrien. Les diplomates syriens ont protesté.")
    assert places == {"territoire syrien": ("SY", "phrase")}


def test_sea_and_region_names_starting_lower_case(fr: Language) -> None:
    places = _places(fr, "Des navires croisent en mer Noire et dans le golfe Persique, loin du Donbass.")
    assert {"mer Noire", "golfe Persique", "Donbass"} <= set(places)


def test_english_person_named_like_a_town_is_not_a_place(en: Language) -> None:
    places = _places(en, "George Washington crossed the river. Later, Washington said he was tired.")
    assert "Washington" not in places


def test_french_person_title_before_a_town_name_makes_a_person(fr: Language) -> None:
    """ "M. Paris", "Mme Nancy": the NER's place is a surname after a person title (geo/rules.yaml)."""
    places = _places(fr, "M. Paris a affirmé que le projet était abandonné, puis il a quitté Lyon.")
    assert "Paris" not in places and "Lyon" in places


def test_english_common_words_are_not_places(en: Language) -> None:
    places = _places(en, "Reading the report, officials in Baghdad said the talks would resume in May.")
    assert set(places) == {"Baghdad"}
    assert places["Baghdad"][0] == "IQ"


def test_place_context_counts_demonyms(fr: Language) -> None:
    doc = fr("Le président américain a rencontré des officiels russes et russes encore.")
    assert doc._.veille_place_context == {"US": 1, "RU": 2}


def test_neighbouring_towns_choose_between_namesakes() -> None:
    # "Athens" alone is the Greek capital; next to two small Georgia towns it is Athens, Georgia.
    gaz = get_gazetteer()
    names = ["Athens", "Watkinsville", "Winterville"]
    found = gaz.lookup([name_key(n) for n in names])
    assert rank([found["athens"]])[0].candidate.country == "GR"  # type: ignore[union-attr]
    chosen = rank([found[name_key(n)] for n in names], names=names)[0].candidate
    assert chosen is not None and (chosen.country, chosen.admin1) == ("US", "GA")


def test_towns_nearby_never_turn_a_state_into_a_small_town() -> None:
    gaz = get_gazetteer()
    names = ["Florida", "Brooklyn", "Yonkers"]
    found = gaz.lookup([name_key(n) for n in names])
    chosen = rank([found[name_key(n)] for n in names], names=names)[0].candidate
    assert chosen is not None and chosen.kind == "admin1" and chosen.admin1 == "FL"


def test_english_possessive_part_words_and_small_qualified_towns(en: Language) -> None:
    doc = en(
        "The sheriff of Polk County's jail spoke on Friday. Snow fell across Northeast Ohio overnight. "
        "TOLEDO BEND, Texas (AP) Crews worked near ELDORADO, Ill., after the storm."
    )
    by_text = {t.text: t for t in doc._.veille_places}
    assert "Polk County" in by_text and "Polk County's" not in by_text
    ohio = by_text["Northeast Ohio"]
    assert any(c.kind == "admin1" and c.admin1 == "OH" for c in ohio.candidates)
    # A town too small to be found alone is found (by the NER or by its division) and placed there.
    from veille.interpret.places import locate_places

    placed = {p.text: p for p in locate_places(doc, lang="en")}
    assert (placed["ELDORADO"].country, placed["ELDORADO"].admin1) == ("US", "IL")


def test_a_small_town_named_once_is_a_place_wherever_it_recurs(en: Language) -> None:
    from spacy.tokens import Span

    from veille.annotate.places import recognizer

    doc = en("Heavy snow closed schools in Pewaukee on Monday. Officials in Pewaukee reopened them later.")
    first = next(t.i for t in doc if t.text == "Pewaukee")
    # Only the first mention is given as a location: the second is found as the same name.
    found = recognizer("en").recognize(doc, [Span(doc, first, first + 1, label="GPE")])
    assert [t.text for t in found] == ["Pewaukee", "Pewaukee"]
    alone = recognizer("en").recognize(doc, [])
    assert alone == []  # a town of 8,000 is not found without the NER


def test_lookups_are_remembered_with_their_misses_and_the_memory_is_bounded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from veille.annotate import gazetteer
    from veille.annotate.gazetteer import Gazetteer

    gaz = Gazetteer(get_gazetteer().path)  # a fresh memory
    keys = [name_key("Bagdad"), "zzq nowhere at all"]
    first = gaz.lookup(keys)
    assert set(first) == {"bagdad"} and gaz._memo["zzq nowhere at all"] == ()
    assert gaz.lookup(keys) == first  # answered from memory, misses included
    monkeypatch.setattr(gazetteer, "_MEMO_KEYS", 3)
    assert gaz.lookup(["moscou", "kiev", "riga"]).keys() == {"moscou", "kiev", "riga"}
    assert len(gaz._memo) == 3  # refilled after the memory was dropped


def test_the_key_filter_keeps_every_stored_key_and_changes_no_answer() -> None:
    import sqlite3

    from veille.annotate.gazetteer import KEY_FILTER_SLOTS, Gazetteer, key_slot

    path = get_gazetteer().path
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        stored = [key for (key,) in conn.execute("SELECT key FROM names ORDER BY rowid LIMIT 20000")]
    filtered = Gazetteer(path)
    assert all(filtered._filter[key_slot(key)] for key in stored)
    unfiltered = Gazetteer(path)
    unfiltered._filter = b"\x01" * KEY_FILTER_SLOTS  # every key goes to SQL
    asked = stored[::50] + [name_key(w) for w in ("Le Caire", "zzq nowhere", "Président", "Minsk", "qqqq")]
    assert filtered.lookup(asked) == unfiltered.lookup(asked)
