"""The ``veille_actors`` annotator: titles, demonyms, names, links, on French and English sentences."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from veille.annotate.actors import ActorMention, annotate_text
from veille.interpret.actors import choose_coding

DAY = dt.date(2020, 2, 4)


def coded(text: str, lang: str, ner: list[tuple[int, int, str]] | None = None) -> dict[str, str | None]:
    """mention text -> code chosen at DAY."""
    out: dict[str, str | None] = {}
    for m in annotate_text(text, lang=lang, ner=ner):
        chosen = choose_coding(m.codings, DAY)
        out[m.text] = chosen[0].code if chosen else None
    return out


def by_name(text: str, lang: str) -> dict[str, ActorMention]:
    return {m.name: m for m in annotate_text(text, lang=lang)}


# ------------------------------------------------------------------ French


@pytest.mark.parametrize(
    ("sentence", "mention", "code"),
    [
        (
            "Hier, le président français Emmanuel Macron a reçu ses homologues.",
            "président français Emmanuel Macron",
            "FRAGOV",
        ),
        (
            "Le chef de la diplomatie russe Sergueï Lavrov ira en Inde.",
            "chef de la diplomatie russe Sergueï Lavrov",
            "RUSGOV",
        ),
        (
            "Le ministre turc de la Défense a démenti toute incursion.",
            "ministre turc de la Défense",
            "TURGOVMIL",
        ),
        (
            "Le ministère de la Défense de l'Ukraine publie un bilan.",
            "ministère de la Défense de l'Ukraine",
            "UKRGOVMIL",
        ),
        ("Les forces américaines quittent la base.", "forces américaines", "USAMIL"),
        ("L'armée russe a bombardé la ville.", "armée russe", "RUSMIL"),
        ("Des rebelles syriens ont pris le contrôle du village.", "rebelles syriens", "SYRREB"),
        ("La police allemande a arrêté deux suspects.", "police allemande", "DEUCOP"),
        (
            "Selon l'agence de presse chinoise Xinhua, le sommet aura lieu.",
            "agence de presse chinoise Xinhua",
            "CHNMED",
        ),
        ("Le quotidien russe Kommersant affirme le contraire.", "quotidien russe Kommersant", "RUSMED"),
        ("Une enquête de la chaîne Al Jazeera a été diffusée.", "chaîne Al Jazeera", "QATMED"),
        (
            "L'ancien président américain Barack Obama a parlé.",
            "ancien président américain Barack Obama",
            "USAELI",
        ),
        ("Un diplomate iranien, Ali Rezaei, a été convoqué.", "diplomate iranien, Ali Rezaei", "IRNGOV"),
        (
            "La présidente de la Commission européenne Ursula von der Leyen arrive.",
            "présidente de la Commission européenne Ursula von der Leyen",
            "IGOEUREEC",
        ),
        # A counterpart is an official of the country named with it.
        ("Le chancelier a reçu son homologue polonais lundi.", "homologue polonais", "POLGOV"),
        # Criminal groups (CAMEO CRM).
        ("Des gangs haïtiens ont pillé le marché.", "gangs haïtiens", "HTICRM"),
        ("Les trafiquants mexicains ont fui.", "trafiquants mexicains", "MEXCRM"),
    ],
)
def test_french_titles(sentence: str, mention: str, code: str) -> None:
    assert coded(sentence, "fr").get(mention) == code


def test_french_title_with_unknown_person_takes_the_apposed_name() -> None:
    m = by_name("Le ministre malien des Affaires étrangères, Karim Traoré, a protesté.", "fr")["Karim Traoré"]
    assert m.kb_id is None and m.kind == "person"
    assert [c.code for c in m.codings] == ["MLIGOV"]


def test_french_demonym_inside_a_role_phrase() -> None:
    # "vice-ministre ... de la Défense" is one title even with "russe" in the middle.
    m = annotate_text("Le premier vice-ministre russe de la Défense a parlé lundi.", lang="fr")[0]
    assert m.positions == ("deputy_defence_minister",)
    assert m.codings[0].code == "RUSGOVMIL"


def test_french_postposed_apposition() -> None:
    codes = coded("Kazem Jalali, l'ambassadeur iranien, a rencontré Dmitri Peskov.", "fr")
    assert codes["Kazem Jalali, l'ambassadeur iranien"] == "IRNGOV"


def test_demonyms_alone_are_not_actors_but_nationality_nouns_are() -> None:
    codes = coded("Les sanctions américaines visent les Européens et les Russes.", "fr")
    assert "américaines" not in codes
    assert codes["Européens"] == "EUR" and codes["Russes"] == "RUS"


def test_a_name_after_a_capitalised_role_word_is_not_a_title() -> None:
    text = "Selon Marine Le Pen, le gouvernement ment."
    ner = [(text.index("Marine"), text.index("Marine") + len("Marine Le Pen"), "PER")]
    assert all("MIL" not in (code or "") for code in coded(text, "fr", ner).values())


def test_role_anaphora_and_office_coreference() -> None:
    text = (
        "Le secrétaire d'État américain Mike Pompeo était à Minsk. Le ministère biélorusse de la Défense "
        "a démenti. Le ministère a ajouté que le chef de la diplomatie US repartait lundi."
    )
    mentions = annotate_text(text, lang="fr")
    ministry = [m for m in mentions if m.text == "ministère"]
    assert ministry and ministry[0].codings[0].code == "BLRGOVMIL"
    chief = [m for m in mentions if m.text.startswith("chef de la diplomatie")]
    assert chief and chief[0].kb_id == "per:mike_pompeo"


def test_surname_links_to_the_person_named_before() -> None:
    text = "Le porte-parole du gouvernement malien, Amadou Keita, a parlé. Keita a ensuite quitté la salle."
    mentions = [m for m in annotate_text(text, lang="fr") if m.name == "Amadou Keita"]
    assert len(mentions) == 2
    assert mentions[1].text == "Keita" and mentions[1].codings == mentions[0].codings


def test_bare_names_come_from_the_knowledge_base() -> None:
    names = by_name("L'OTAN, l'ONU, Sputnik et Telegram commentent; Moscou dément.", "fr")
    assert names["NATO"].codings[0].code == "IGOWSTNAT"
    assert names["United Nations"].codings[0].code == "IGOUNO"
    assert names["Sputnik"].codings[0].code == "RUSMED"
    assert names["Telegram"].kind == "social" and names["Telegram"].codings[0].code == "---MED"
    assert names["Moscou"].kind == "capital" and names["Moscou"].confidence < 1.0


# ------------------------------------------------------------------ English


@pytest.mark.parametrize(
    ("sentence", "mention", "code"),
    [
        ("US Secretary of State Mike Pompeo landed in Minsk.", "US Secretary of State Mike Pompeo", "USAGOV"),
        ("French President Emmanuel Macron spoke first.", "French President Emmanuel Macron", "FRAGOV"),
        (
            "NATO Secretary General Jens Stoltenberg said so.",
            "NATO Secretary General Jens Stoltenberg",
            "IGOWSTNAT",
        ),
        (
            "Russia's deputy defence minister Alexander Fomin hosted him.",
            "Russia's deputy defence minister Alexander Fomin",
            "RUSGOVMIL",
        ),
        (
            "The Iranian ambassador to Moscow, Kazem Jalali, attended.",
            "Iranian ambassador to Moscow, Kazem Jalali",
            "IRNGOV",
        ),
        ("The Belarusian defence ministry denied it.", "Belarusian defence ministry", "BLRGOVMIL"),
        ("The Defence Ministry of Belarus denied it.", "Defence Ministry of Belarus", "BLRGOVMIL"),
        ("US forces left the base.", "US forces", "USAMIL"),
        ("Russian news agency Sputnik reported the talks.", "Russian news agency Sputnik", "RUSMED"),
        ("Iraqi officials met the envoy.", "Iraqi officials", "IRQGOV"),
        ("The chancellor welcomed her Polish counterpart.", "Polish counterpart", "POLGOV"),
    ],
)
def test_english_titles(sentence: str, mention: str, code: str) -> None:
    assert coded(sentence, "en").get(mention) == code


def test_english_pronoun_us_is_not_the_united_states() -> None:
    assert coded("Let us hope they tell us more.", "en") == {}


# ------------------------------------------------------------------ names written loosely


@pytest.mark.parametrize(
    ("sentence", "lang", "code"),
    [
        # An international body named like a national role word: the body, not "---GOV".
        ("On Friday the Security Council voted a resolution on Haiti.", "en", "IGOUNO"),
        ("Hier, le Conseil de sécurité a voté une résolution.", "fr", "IGOUNO"),
        # A lower-case surname right after a person title is still the known person.
        ("President putin praised the deal in Ankara.", "en", "RUSGOV"),
        # A capital inside a word is a typing slip, not a common word.
        ("Paris wants to help mOrocco.", "en", "MAR"),
        # Dictionary names spelt "al Assad" match the press's "al-Assad", and the reverse.
        ("Khartoum: Omar al-Bashir spoke on Monday.", "en", "SDNELI"),
        # Former names of an international body.
        ("The European Community gave Chad aid.", "en", "IGOEUREEC"),
    ],
)
def test_loosely_written_names(sentence: str, lang: str, code: str) -> None:
    assert code in coded(sentence, lang).values()


def test_national_councils_and_plain_lower_case_words_stay_what_they_are() -> None:
    codes = coded("Russia's Security Council met; the president said bush fires spread.", "en")
    assert list(codes.values()) == ["RUSGOV"]  # "bush" follows no person title: no George Bush
    # A generic legislature: the KB's US Congress is only a guess without a country.
    assert "USALEG" not in coded("Congress voted the budget.", "en").values()


# ------------------------------------------------------------------ robustness


def test_all_caps_text_codes_long_names_and_skips_two_letter_acronyms() -> None:
    codes = coded("LE PRÉSIDENT FRANÇAIS EMMANUEL MACRON ET L'OTAN. LAISSEZ-NOUS UN MOMENT, DIT US.", "fr")
    assert "FRAGOV" in codes.values() and "IGOWSTNAT" in codes.values()
    assert "US" not in codes and "UN" not in codes


def test_long_sentence_and_name_lists_stay_fast() -> None:
    names = ", ".join(
        ["Emmanuel Macron", "Donald Trump", "Jens Stoltenberg", "Ali Bongo", "le président russe"] * 80
    )
    long_sentence = " ".join(["les soldats américains et"] * 500) + " l'armée russe."
    start = time.perf_counter()
    lists = annotate_text(names, lang="fr")
    sentence = annotate_text(long_sentence, lang="fr")
    assert time.perf_counter() - start < 5.0
    assert len(lists) >= 240 and len(sentence) >= 500


@pytest.mark.parametrize(
    "text", ["", " ", "\n\n", "(((", "de de de de", "Le président", "président ,", "’’’"]
)
def test_degenerate_text(text: str) -> None:
    assert isinstance(annotate_text(text, lang="fr"), list)


# ------------------------------------------------------------------ the spaCy component on the seed page


def seed_clean_text(shared: Path) -> str:
    raw = (shared / "seed" / "000_d4915bc04119538f.txt").read_text(encoding="utf-8")
    return "\n".join(raw.split("Laisser un commentaire")[0].split("\n")[2:]).strip()


@pytest.fixture(scope="module")
def seed_doc(shared_dir: Path):  # type: ignore[no-untyped-def]
    from veille.annotate.nlp import get_nlp
    from veille.settings import Settings

    nlp = get_nlp("fr", models=Settings().models)
    assert "veille_actors" in nlp.pipe_names
    return nlp(seed_clean_text(shared_dir))


def test_component_writes_mentions_with_offsets(seed_doc) -> None:  # type: ignore[no-untyped-def]
    mentions = seed_doc._.veille_actor_mentions
    assert mentions
    for m in mentions:
        assert seed_doc.text[m.start : m.end] == m.text
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)


# ------------------------------------------------------------------ any text (property)

PIECES = st.sampled_from(
    [
        "le",
        "président",
        "russe",
        "US",
        "de",
        "la",
        "Défense",
        ",",
        "Mike Pompeo",
        "OTAN",
        "l'",
        "ex",
        "-",
        "(",
        ")",
        "armée",
        "Stoltenberg",
        "UN",
        "’",
        "\n",
        "É",
        "the",
        "Iranian",
        "ambassador",
        "to",
        "Moscow",
        "son",
        ".",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(PIECES, st.text(max_size=6)), max_size=40), st.sampled_from(["fr", "en", "de"]))
def test_any_text_gives_well_formed_mentions(parts: list[str], lang: str) -> None:
    text = " ".join(parts)
    for m in annotate_text(text, lang=lang):
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.text
        assert all(c.code for c in m.codings)


@pytest.mark.parametrize(
    ("sentence", "lang", "name", "code"),
    [
        (
            "Léa Garnier, présidente de la fédération de judo, a salué les arbitres.",
            "fr",
            "Léa Garnier",
            None,
        ),
        ("Le porte-parole du club, Marc Petit, a démenti tout transfert.", "fr", "Marc Petit", None),
        ("The chairman of the rowing club, Ian Bell, welcomed the result.", "en", "Ian Bell", None),
        # With a state, or an owner the annotator knows, the title keeps its government role.
        ("Léa Garnier, présidente de l'Estonie, a salué les arbitres.", "fr", "Léa Garnier", "ESTGOV"),
        ("Le porte-parole du Kremlin, Marc Petit, a démenti tout transfert.", "fr", "Marc Petit", "RUSGOV"),
        # A minister is governmental whatever the portfolio, known to the lexicon or not.
        ("Le ministre du Numérique, Marc Petit, a démenti tout transfert.", "fr", "Marc Petit", "---GOV"),
    ],
)
def test_generic_title_of_an_unknown_owner_is_not_government(
    sentence: str, lang: str, name: str, code: str | None
) -> None:
    """ "présidente de la fédération de judo" is no ---GOV: generic titles (grammar.yaml) are
    governmental only when they belong to a state or a known entity."""
    start = sentence.index(name)
    found = coded(sentence, lang, ner=[(start, start + len(name), "PER")])
    assert {c for c in found.values() if c} == ({code} if code else set()), found


@pytest.mark.parametrize(
    ("sentence", "plain", "lang", "name", "country"),
    [
        (
            "Mr Denver told the inquiry the plan was flawed.",
            "Troops left Denver on Monday.",
            "en",
            "Denver",
            "USA",
        ),
        (
            "Dr. Chicago said the study was flawed.",
            "The summit opens in Chicago today.",
            "en",
            "Chicago",
            "USA",
        ),
        (
            "M. Paris a affirmé que le projet était abandonné.",
            "Le ministre a quitté Paris lundi.",
            "fr",
            "Paris",
            "FRA",
        ),
    ],
)
def test_a_place_name_after_an_honorific_is_a_person(
    sentence: str, plain: str, lang: str, name: str, country: str
) -> None:
    """Phoenix codes cities as their country ("Houston" → USA); after "Mr" or "M." it is a surname."""
    assert {c for c in coded(sentence, lang).values() if c} == set()
    assert coded(plain, lang).get(name) == country  # elsewhere the name still stands for its country


def test_a_title_takes_no_name_from_the_next_line() -> None:
    # A caption ends with a title; the capitalised article opening the next paragraph is no name.
    text = "—Claire Dubois, journaliste\n\nLes reporters de la chaîne sont rentrés à Paris."
    assert not any("\n" in m.text for m in annotate_text(text, lang="fr"))


@pytest.mark.parametrize(
    "text",
    [
        # the full stop after a whole word ends the sentence, even when the next one is on this line
        "Le texte a été présenté par le ministre Tamaz Beridze. La police a bouclé le quartier.",
        "Le texte a été présenté par le ministre Tamaz Beridze.\n\nLa police a bouclé le quartier.",
    ],
)
def test_an_unknown_name_stops_at_the_end_of_its_sentence(text: str) -> None:
    mentions = annotate_text(text, lang="fr")
    assert [m.name for m in mentions if m.kind == "person"] == ["Tamaz Beridze"]
    assert not any(m.text == "La" for m in mentions)  # the next sentence's article is nobody


def test_an_initial_keeps_its_full_stop_inside_the_name() -> None:
    mentions = annotate_text("Le ministre Tamaz K. Beridze a parlé.", lang="fr")
    (mention,) = [m for m in mentions if m.kind == "person"]
    assert mention.name == "Tamaz K. Beridze"


def test_a_stated_title_holds_outside_the_knowledge_base_tenure() -> None:
    # The KB knows her as a foreign minister (GEOGOV, 2004-2005); at DAY (2020) the text calls her president.
    titled = coded("La présidente Salomé Zourabichvili a reçu les ambassadeurs.", "fr")
    assert titled["présidente Salomé Zourabichvili"] == "GEOGOV"
    bare = coded("Salomé Zourabichvili a reçu les ambassadeurs.", "fr")
    assert bare["Salomé Zourabichvili"] == "GEOELI"  # no title: a former office-holder


def test_a_junta_is_the_government_of_its_country() -> None:
    assert coded("La junte nigérienne a fermé la frontière.", "fr")["junte nigérienne"] == "NERGOV"


@pytest.mark.parametrize(
    ("sentence", "mention", "code"),
    [
        ("Les Forces de soutien rapide ont pris la ville.", "Forces de soutien rapide", "SDNUAF"),
        ("Le M23 contrôle désormais la route.", "M23", "CODREB"),
    ],
)
def test_armed_groups_in_the_news(sentence: str, mention: str, code: str) -> None:
    assert coded(sentence, "fr").get(mention) == code
