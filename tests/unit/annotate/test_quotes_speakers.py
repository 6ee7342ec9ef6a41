"""Speaker attribution rules: the speaker is a well-formed noun phrase, the subject of the cue.

Examples written for these tests (English and French): participial adjuncts take the subject of
their clause, a speaker after the verb is read from the parse, appositions keep the name they
describe, nationality modifiers are not the speaker, and two noun phrases side by side are cut.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from veille.annotate.attribution import Attribution
from veille.annotate.nlp import get_nlp
from veille.settings import Settings


@pytest.fixture(scope="module")
def en() -> Language:
    return get_nlp("en", models=Settings().models)


@pytest.fixture(scope="module")
def fr() -> Language:
    return get_nlp("fr", models=Settings().models)


def speaker_of(nlp: Language, text: str, quote_start: str) -> str | None:
    records: list[Attribution] = nlp(text)._.veille_quotes
    for record in records:
        if text[record.start : record.end].startswith(quote_start):
            return record.speaker.name if record.speaker is not None else None
    raise AssertionError(
        f"no quote starting with {quote_start!r} in {[text[r.start : r.end] for r in records]}"
    )


def test_english_participle_takes_the_clause_subject(en: Language) -> None:
    text = (
        "Councillor Maya Brandt rejected the transit plan, saying it would leave the suburbs without buses."
    )
    assert speaker_of(en, text, "it would leave") == "Maya Brandt"


def test_french_participle_takes_the_clause_subject_not_the_object(fr: Language) -> None:
    text = "Le syndicat des pilotes a contesté ces estimations, les qualifiant de « fantaisistes »."
    assert speaker_of(fr, text, "fantaisistes") == "syndicat des pilotes"


def test_french_participle_after_a_relative_denial(fr: Language) -> None:
    text = (
        "Plusieurs journaux ont affirmé que Berlin aurait gelé les crédits, ce que Siemens a démenti "
        "mardi, qualifiant ces affirmations de « ridicules »."
    )
    assert speaker_of(fr, text, "ridicules") == "Siemens"


def test_inverted_speaker_read_past_a_coordination(en: Language) -> None:
    text = "“We will not back down,” said steel and aluminium worker Dana Kowalski."
    assert speaker_of(en, text, "We will not back down") == "Dana Kowalski"


def test_apposition_keeps_the_name_not_the_firm(en: Language) -> None:
    text = (
        "Peter Halvorsen, a partner with Grant Miller LLP in Calgary, said the ruling would be appealed "
        "within weeks."
    )
    assert speaker_of(en, text, "the ruling would be appealed") == "Peter Halvorsen"


def test_nationality_modifier_is_not_the_speaker(en: Language) -> None:
    text = "The border will reopen on Monday, Norwegian officials said."
    name = speaker_of(en, text, "The border will reopen")
    assert name is not None and name.lower() == "norwegian officials"


def test_two_noun_phrases_side_by_side_are_cut(en: Language) -> None:
    text = "Airlines claimed losses of two billion dollars, a number the pilots disputed."
    name = speaker_of(en, text, "Airlines claimed losses")
    assert name is not None and name.lower() == "pilots"


def test_document_speaks_for_its_author(en: Language) -> None:
    text = "According to a statement from the World Bank, growth will slow to two percent next year."
    name = speaker_of(en, text, "growth will slow")
    assert name is not None and "World Bank" in name


def test_french_inference_of_the_writer_is_not_a_quote(fr: Language) -> None:
    """ "…, ce qui prouve que …": the writer's own conclusion, with no one to quote."""
    text = (
        "Les ventes ont reculé de 12 % au troisième trimestre, ce qui prouve que la demande "
        "s'essouffle nettement dans la région."
    )
    records: list[Attribution] = fr(text)._.veille_quotes
    assert [text[r.start : r.end] for r in records if r.speaker is not None and r.speaker.name == "ce"] == []


@pytest.mark.parametrize(
    ("lang", "text", "quote_start", "speakers"),
    [
        # A gérondif takes its clause's subject, not the object before it.
        (
            "fr",
            "La ministre de la Santé Claire Dumont a présenté mardi le nouveau plan hospitalier en "
            "affirmant que les urgences rouvriraient avant l'hiver.",
            "les urgences rouvriraient",
            {"Claire Dumont"},
        ),
        (
            "fr",
            "Le maire de Lille a inauguré la ligne de tramway tout en précisant que les travaux "
            "continueraient jusqu'en mars.",
            "les travaux continueraient",
            {"maire de Lille"},
        ),
        # "Selon X, Y, … : « … »": the marker's source speaks, not the speaker of the quote before.
        (
            "fr",
            "« Les essais sont encourageants », a indiqué la biologiste Anna Berg. Selon le directeur du "
            "laboratoire, Tomas Lind, la molécule pourrait être testée sur l'homme dès l'an prochain : "
            "« Nous avons du travail pour une décennie ! »",
            "Nous avons du travail",
            {"Tomas Lind"},
        ),
        # "X was quoted in the Gazette saying": X speaks; the paper only relays.
        (
            "en",
            "The councillor was suspended on Monday. Ms Carter was quoted in the Evening Gazette saying: "
            '"I have done nothing wrong and I will fight this decision."',
            "I have done nothing wrong",
            {"Ms Carter"},
        ),
        # "the company said" sentences after the last "Norvik said": the firm the story is about.
        (
            "en",
            "Norvik Foods reported a fall in profits on Tuesday. Norvik said sales in Europe fell 3% in "
            "the last quarter. Sales of frozen meals dropped sharply. Prices of grain rose in the spring. "
            "The company said it would close two plants next year.",
            "it would close two plants",
            {"Norvik", "Norvik Foods"},
        ),
        # A title's adjective read as a verb ("exécutive") does not end the phrase before the name.
        (
            "fr",
            "« Le marché doit rester ouvert », a déclaré la vice-présidente exécutive de la Banque, "
            "Ingrid Solberg, lors d'un point presse.",
            "Le marché doit rester ouvert",
            {"Ingrid Solberg"},
        ),
        # A name the tagger reads as a verb ("Oleh" VERB), with an adjective on the title.
        (
            "fr",
            "« Les secours sont sur place », a déclaré le gouverneur régional Oleh Synehoubov sur Telegram.",
            "Les secours sont sur place",
            {"Oleh Synehoubov"},
        ),
    ],
)
def test_speaker_of_clauses_around_the_cue(
    en: Language, fr: Language, lang: str, text: str, quote_start: str, speakers: set[str]
) -> None:
    assert speaker_of(en if lang == "en" else fr, text, quote_start) in speakers


@pytest.mark.parametrize(
    ("text", "quote_start", "expected"),
    [
        # A place completing a role does not make it a place: "elle" is the mayor.
        (
            "La maire de Rennes a présenté jeudi un plan pour les transports. « Nous allons doubler "
            "les lignes de bus », a-t-elle promis devant les élus.",
            "Nous allons doubler",
            "maire de Rennes",
        ),
        # The name before the role is its holder: "il" is the named person, not a nameless second one.
        (
            "Les ventes ont doublé en un an, souligne Marc Lefebvre le directeur commercial de Sapema. "
            "Il précise que la nouvelle usine ouvrira en mars.",
            "la nouvelle usine",
            "Marc Lefebvre",
        ),
    ],
)
def test_a_pronoun_after_a_role_subject(fr: Language, text: str, quote_start: str, expected: str) -> None:
    assert speaker_of(fr, text, quote_start) == expected


def test_a_description_of_the_source_before_its_quotation_is_not_the_statement(fr: Language) -> None:
    text = "Pour Hélène Garnier, sociologue à l'université de Brest, « la fracture ne cesse de grandir »."
    records: list[Attribution] = fr(text)._.veille_quotes
    assert [(text[r.start : r.end], r.type) for r in records] == [
        ("la fracture ne cesse de grandir", "direct")
    ]
    assert records[0].speaker is not None and records[0].speaker.name == "Hélène Garnier"


def test_a_statement_keeps_a_subject_set_off_by_commas(fr: Language) -> None:
    text = "Selon l'observatoire, la pénurie, déjà sévère, devrait durer tout l'hiver dans la région."
    assert speaker_of(fr, text, "la pénurie, déjà sévère") == "observatoire"


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        (
            "fr",
            "Plusieurs syndicats de pêcheurs ont rejeté le nouveau quota, qu'ils jugent beaucoup trop bas.",
        ),
        (
            "en",
            "Several fishing unions rejected the new quota for this season, which they called far too low.",
        ),
    ],
)
def test_a_relative_clause_after_a_comma_is_no_reporting_clause(
    en: Language, fr: Language, lang: str, text: str
) -> None:
    records: list[Attribution] = (fr if lang == "fr" else en)(text)._.veille_quotes
    assert records == []


def test_a_titled_name_the_ner_missed_is_still_a_discourse_entity(fr: Language) -> None:
    # Without NER entities, the person comes from the actor annotator's title composition.
    text = (
        "Le président tanzanien Baraka Mwenda a inauguré le pont jeudi. « C'est un jour historique », "
        "a déclaré M. Mwenda."
    )
    with fr.select_pipes(disable=["ner"]):
        assert speaker_of(fr, text, "C'est un jour") == "Baraka Mwenda"


_MINISTRY = (
    "Le ministère malien de la Santé a affirmé que le bilan s'alourdit. Deux hôpitaux ont été fermés, "
)


@pytest.mark.parametrize(
    ("text", "quote_start", "expected"),
    [
        pytest.param(  # the tagger reads "kényane" as PROPN; the speaker is the whole description
            "Les deux délégations ont conclu une trêve mardi, a annoncé la présidence kényane dans un "
            "communiqué.",
            "Les deux délégations",
            "présidence kényane",
            id="nationality-adjective-tagged-as-a-name",
        ),
        pytest.param(  # a description with words of its own is not the organisation named before …
            _MINISTRY + "a indiqué le ministère sénégalais des Transports.",
            "Deux hôpitaux",
            "ministère sénégalais des Transports",
            id="description-with-words-of-its-own",
        ),
        pytest.param(  # … but a bare one is
            _MINISTRY + "a ajouté le ministère.",
            "Deux hôpitaux",
            "ministère malien de la Santé",
            id="bare-description",
        ),
        pytest.param(  # the parser hung the relative on the main verb
            "Cette décision fait suite aux propos du ministre français des Affaires étrangères Jean-Yves "
            "Le Drian, qui avait qualifié la junte d'« illégitime » la semaine dernière.",
            "illégitime",
            "Jean-Yves Le Drian",
            id="relative-hung-on-the-main-verb",
        ),
        pytest.param(
            "Le dispensaire a été pillé lundi, selon Action contre la faim. L'ONG a dénoncé « une attaque "
            "contre des soignants ».",
            "une attaque",
            "Action contre la faim",
            id="l-ong-is-the-organisation-named-before",
        ),
    ],
)
def test_french_speakers_of_descriptions(fr: Language, text: str, quote_start: str, expected: str) -> None:
    assert speaker_of(fr, text, quote_start) == expected


def test_a_quoted_verb_is_not_the_quote_of_a_relative_clause_after_its_object(fr: Language) -> None:
    text = "Le ministère a « rejeté catégoriquement » ces allégations, qu'il juge « sans objet »."
    quotes = [text[r.start : r.end] for r in fr(text)._.veille_quotes]
    assert "rejeté catégoriquement" not in quotes and "sans objet" in quotes


@pytest.mark.parametrize(
    ("lang", "text", "kept"),
    [
        ("fr", "Le chef de gang Marc Joseph, dit « Le Boucher », a menacé la police.", []),
        ("fr", "Le ministre a dit « Non, jamais » lundi.", ["Non, jamais"]),
        ("en", 'The army launched an operation dubbed "Iron Shield" on Monday.', []),
    ],
)
def test_a_short_name_after_dit_or_dubbed_is_a_nickname_not_a_quote(
    en: Language, fr: Language, lang: str, text: str, kept: list[str]
) -> None:
    nlp = fr if lang == "fr" else en
    assert [text[r.start : r.end] for r in nlp(text)._.veille_quotes] == kept


@pytest.mark.parametrize(
    ("lang", "text", "quote_start", "expected"),
    [
        # A pronoun takes a subject of its own sentence over the speaker of the paragraph before.
        (
            "fr",
            "« Le texte est prêt », a affirmé lundi Marc Morin, le négociateur du syndicat.\n\n"
            "Le ministre du Travail Paul Garnier a écarté mardi ces revendications, qu'il a jugées "
            "« irréalistes ».",
            "irréalistes",
            "Paul Garnier",
        ),
        # An institution named by its role is a discourse entity when it is a subject.
        (
            "fr",
            "D'après cette enquête, des policiers auraient frappé des manifestants.\n\n"
            "Le gouvernement sénégalais a écarté ces accusations, qu'il juge « sans objet ».",
            "sans objet",
            "gouvernement sénégalais",
        ),
        # A subject inside the reported words is not what the pronoun of the cue names.
        (
            "en",
            "The Bundesbank said it would keep its forecast until the spring. "
            "The European Commission, for its part, was planning new spending in 2026, it added.",
            "The European Commission, for its part",
            "Bundesbank",
        ),
        # Two people of one surname stay two; a bare surname is the last one named.
        (
            "fr",
            "La militante Aminata Diallo a été arrêtée samedi. « Nous voulons des élections », a déclaré "
            "Moussa Diallo, l'un des organisateurs. « Rien ne changera », a ajouté Diallo.",
            "Nous voulons",
            "Moussa Diallo",
        ),
        (
            "fr",
            "La militante Aminata Diallo a été arrêtée samedi. « Nous voulons des élections », a déclaré "
            "Moussa Diallo, l'un des organisateurs. « Rien ne changera », a ajouté Diallo.",
            "Rien ne changera",
            "Moussa Diallo",
        ),
    ],
)
def test_pronouns_institutions_and_namesakes(
    en: Language, fr: Language, lang: str, text: str, quote_start: str, expected: str
) -> None:
    assert speaker_of(fr if lang == "fr" else en, text, quote_start) == expected


@pytest.mark.parametrize(
    ("lang", "text", "contents"),
    [
        # The parser hangs "said" on the denied clause's verb: it is the ministry's second statement.
        (
            "en",
            "The port authority denied that its cranes had been damaged and said dock workers had "
            "walked out first without notice.",
            {
                "its cranes had been damaged": "port authority",
                "dock workers had walked out first without notice": "port authority",
            },
        ),
        (
            "fr",
            "La préfecture a démenti que des tirs avaient visé les pompiers et a affirmé que les "
            "incendies étaient maîtrisés.",
            {
                "des tirs avaient visé les pompiers": "préfecture",
                "les incendies étaient maîtrisés": "préfecture",
            },
        ),
        # A passive verb after "and" continues the reported clause: "are asked" is the nurses'.
        (
            "en",
            "She said nurses often skip lunch and are asked to stay past their twelve-hour shifts.",
            {"nurses often skip lunch and are asked to stay past their twelve-hour shifts": "She"},
        ),
    ],
)
def test_a_second_reporting_verb_of_the_same_subject_ends_the_first_clause(
    en: Language, fr: Language, lang: str, text: str, contents: dict[str, str]
) -> None:
    records: list[Attribution] = (en if lang == "en" else fr)(text)._.veille_quotes
    found = {text[r.content_start : r.content_end]: r.speaker.name if r.speaker else None for r in records}
    assert found == contents


def test_a_quoted_object_of_accept_inside_a_report_is_the_reporters_words(en: Language) -> None:
    text = 'The mayor told the council that the city would never accept "blackmail by developers".'
    (record,) = en(text)._.veille_quotes
    assert record.type == "mixed" and record.cue == "tell" and record.speaker.name == "mayor"
    # Standing alone, the verb still introduces the quoted words.
    (alone,) = en('The union accepted "a fair deal" on Monday.')._.veille_quotes
    assert alone.cue == "accept"
