"""``veille_quotes`` on French: direct, interrupted, mixed and indirect quotes, cues, speakers, chains."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from veille.annotate.attribution import Attribution
from veille.annotate.nlp import get_nlp
from veille.settings import Settings

SEED = Path(__file__).resolve().parents[4] / "shared" / "seed" / "000_d4915bc04119538f.txt"


@pytest.fixture(scope="module")
def nlp() -> Language:
    return get_nlp("fr", models=Settings().models)


def quotes(nlp: Language, text: str) -> list[tuple[str, Attribution]]:
    doc = nlp(text)
    return [(text[r.start : r.end], r) for r in doc._.veille_quotes]


def one(nlp: Language, text: str, start: str) -> Attribution:
    found = [r for quote, r in quotes(nlp, text) if quote.startswith(start)]
    assert found, f"no quote starting with {start!r} in {[q for q, _ in quotes(nlp, text)]}"
    return found[0]


def speaker(record: Attribution) -> str | None:
    return record.speaker.name if record.speaker is not None else None


def test_inverted_cue_with_pronoun_resolved_to_the_last_named_speaker(nlp: Language) -> None:
    text = (
        "Le ministre de l'Intérieur, Paul Martin, a défendu son projet devant les députés. "
        "« Nous ne céderons pas à la pression de la rue », a-t-il déclaré mardi."
    )
    record = one(nlp, text, "Nous ne céderons")
    assert record.type == "direct"
    assert record.cue == "déclarer"
    assert speaker(record) == "Paul Martin"
    assert record.speaker is not None and record.speaker.kind == "pronoun"


def test_distancing_verb_in_a_mixed_quote(nlp: Language) -> None:
    text = "Le porte-parole, Marc Dupuis, a prétendu que « la situation est entièrement sous contrôle »."
    record = one(nlp, text, "la situation est entièrement")
    assert record.type == "mixed"
    assert record.verb is not None and record.verb.stance == "distancing"
    assert speaker(record) == "Marc Dupuis"


def test_interrupted_quote_is_split_with_one_speaker(nlp: Language) -> None:
    text = (
        "La ministre Claire Vidal a visité l'usine. « Les salariés ont fait un travail remarquable, "
        "a-t-elle souligné, et nous allons les soutenir jusqu'au bout. »"
    )
    first = one(nlp, text, "Les salariés ont fait")
    second = one(nlp, text, "et nous allons les soutenir")
    assert first.rule == second.rule == "incise"
    assert speaker(first) == speaker(second) == "Claire Vidal"
    assert "a-t-elle" not in text[first.start : first.end] + text[second.start : second.end]


def test_incise_after_a_single_word(nlp: Language) -> None:
    text = (
        "Le maire, Julien Carpentier, a reçu les commerçants lundi. "
        "« Franchement, dit-il, personne ne s'attendait à une telle affluence dans le centre. »"
    )
    record = one(nlp, text, "personne ne s'attendait")
    assert record.rule == "incise" and record.cue == "dire"
    assert speaker(record) == "Julien Carpentier"
    # The opening word alone is no quote of its own.
    assert [q for q, _ in quotes(nlp, text)] == [text[record.start : record.end]]


def test_inverted_speaker_read_as_adjectives_with_a_named_apposition(nlp: Language) -> None:
    # The tagger reads "un jeune manifestant" as DET ADJ ADJ: the article still makes it a noun phrase.
    text = (
        "La foule a envahi la place de la mairie samedi. « Nous resterons ici tant que le projet "
        "ne sera pas abandonné », affirme un jeune manifestant, Karim Benali."
    )
    record = one(nlp, text, "Nous resterons ici")
    assert record.cue == "affirmer"
    assert speaker(record) == "Karim Benali"


def test_colon_after_a_sentence_opening_source_marker(nlp: Language) -> None:
    text = (
        "Le syndicat tiendra son congrès en juillet. Pour Michel Durand, son secrétaire général : "
        "« C'est un moment décisif pour le gouvernement, qui doit agir vite ». "
        "Selon la préfète : « Aucune décision n'a encore été prise »."
    )
    first = one(nlp, text, "C'est un moment décisif")
    assert speaker(first) == "Michel Durand" and first.cue == "pour"
    second = one(nlp, text, "Aucune décision")
    assert speaker(second) == "préfète" and second.cue == "selon"


def test_the_subject_of_a_passive_is_no_speaker(nlp: Language) -> None:
    text = (
        "Quelques milliers d'habitants de la vallée sont appelés à élire un « conseil des sages » dimanche."
    )
    assert [speaker(r) for _, r in quotes(nlp, text)] in ([], [None])


def test_relative_clause_speaker_without_its_preposition(nlp: Language) -> None:
    text = (
        "La hausse a été critiquée par la Commission européenne, qui regrette le « calendrier » choisi. "
        "Le premier ministre s'est entretenu avec Paul Durand, le ministre de l'Industrie, qui a déclaré "
        "au Sénat que le plan était inacceptable."
    )
    assert speaker(one(nlp, text, "calendrier")) == "Commission européenne"
    assert speaker(one(nlp, text, "le plan était inacceptable")) in {"Paul Durand", "ministre de l'Industrie"}


def test_a_described_organisation_with_words_of_its_own_is_not_the_one_talked_about(nlp: Language) -> None:
    text = (
        "La Commission européenne a publié son rapport lundi. Ces destructions sont des représailles "
        "de l'organisation islamiste, qui affirme « agir au nom de Dieu »."
    )
    assert speaker(one(nlp, text, "agir au nom")) == "organisation islamiste"


def test_selon_before_and_after_the_statement(nlp: Language) -> None:
    text = (
        "Selon le ministère de la Santé, trois cents patients ont été hospitalisés cette semaine. "
        "La vague devrait culminer en janvier, d'après l'Institut Pasteur."
    )
    first = one(nlp, text, "trois cents patients")
    assert first.cue == "selon" and first.type == "indirect"
    assert speaker(first) == "ministère de la Santé"
    second = one(nlp, text, "La vague devrait culminer")
    assert second.cue == "d'après"
    assert speaker(second) == "Institut Pasteur"
    assert second.conditional  # "devrait": the press conditional


def test_selon_with_two_sources_and_a_participle_before_its_comma(nlp: Language) -> None:
    text = (
        "Selon des témoins et un élu de l'opposition joint par téléphone depuis la capitale, six "
        "manifestants ont été arrêtés devant la mairie."
    )
    record = one(nlp, text, "six manifestants")
    assert record.cue == "selon" and speaker(record) == "des témoins"


def test_selon_with_a_criterion_is_no_attribution(nlp: Language) -> None:
    text = "Selon les cas, les travaux dureront de deux à trois semaines dans chaque quartier."
    assert quotes(nlp, text) == []


def test_cite_par_gives_the_relay(nlp: Language) -> None:
    text = (
        "« Aucun soldat n'a franchi la frontière », a affirmé le ministère de la Défense, "
        "cité par l'agence de presse Interfax."
    )
    record = one(nlp, text, "Aucun soldat")
    assert [v.name for v in record.via] == ["Interfax"]
    assert "Défense" in (speaker(record) or "")


def test_inverted_tail_names_the_outlet(nlp: Language) -> None:
    text = "Le projet coûtera plus de deux milliards d'euros, ajoute le site d'information Contexte."
    record = one(nlp, text, "Le projet coûtera")
    assert record.type == "indirect" and record.cue == "ajouter"
    assert speaker(record) == "Contexte"


def test_indirect_speech_with_que(nlp: Language) -> None:
    text = "Le président du club, Jean Roux, a annoncé lundi que l'entraîneur serait remplacé avant l'été."
    record = one(nlp, text, "l'entraîneur serait remplacé")
    assert record.type == "indirect" and record.cue == "annoncer"
    assert speaker(record) == "Jean Roux"
    assert record.conditional


def test_negated_reporting_verb_is_no_attribution(nlp: Language) -> None:
    text = "Le maire n'a pas dit que la piscine fermerait cet hiver."
    assert not [r for _, r in quotes(nlp, text) if r.cue == "dire"]


def test_title_in_marks_is_not_a_quote(nlp: Language) -> None:
    text = "Le programme « Horizon bleu » a été lancé en 2021 par la région Bretagne."
    assert quotes(nlp, text) == []


def test_origin_of_a_report(nlp: Language) -> None:
    text = (
        "Se référant à des publications sur Telegram, plusieurs médias ont rapporté que des chars "
        "avaient été aperçus près de la frontière."
    )
    record = one(nlp, text, "des chars avaient")
    assert [o.name for o in record.origins] == ["Telegram"]
    assert speaker(record) == "plusieurs médias"


def test_definite_description_resolved_through_a_title(nlp: Language) -> None:
    text = (
        "Le secrétaire général de l'ONU, Antonio Guterres, s'est rendu à Kiev. "
        "« La paix ne peut pas attendre », a insisté le secrétaire général."
    )
    assert speaker(one(nlp, text, "La paix ne peut")) == "Antonio Guterres"


def test_la_source_is_the_last_speaker(nlp: Language) -> None:
    text = (
        "Le quotidien Le Soir a écrit lundi que le gouvernement préparait un plan d'économies. "
        "« Les arbitrages seront rendus avant Noël », ajoute la source."
    )
    assert speaker(one(nlp, text, "Les arbitrages")) == "Le Soir"


def test_quote_over_two_paragraphs_keeps_its_speaker(nlp: Language) -> None:
    text = (
        "« Nous avons perdu trois récoltes de suite, raconte l'agricultrice Anne Morel.\n\n"
        "« Sans aide, la ferme fermera l'an prochain », conclut-elle."
    )
    found = quotes(nlp, text)
    assert len(found) >= 2
    assert all(speaker(r) == "Anne Morel" for _, r in found)


@pytest.mark.skipif(not SEED.is_file(), reason="seed page not found beside the repository")
def test_seed_page_quotes() -> None:
    nlp = get_nlp("fr", models=Settings().models)
    raw = SEED.read_text(encoding="utf-8").split("Laisser un commentaire")[0]
    text = "\n".join(raw.split("\n")[2:]).strip()
    records = {text[r.start : r.end][:25]: r for r in nlp(text)._.veille_quotes}
    expected = {
        "complètement fausses": ("Biélorussie", None),
        "Les informations diffusée": ("Biélorussie", None),
        "20 000 soldats qui devron": ("Euronews", None),
        "Il s’agira du plan grand": ("Euronews", None),
        "les exercices à grande éc": ("Stoltenberg", "distancing"),
        "“Défendre l’Europe” repré": ("Stoltenberg", "distancing"),
        "Cet exercice défensif dém": ("Stoltenberg", None),
        "l’OTAN est une alliance d": ("Stoltenberg", None),
        "Nous ne cherchons pas la": ("Stoltenberg", "distancing"),
    }
    for start, (who, stance) in expected.items():
        key = next(
            (k for k in records if k.replace("\u00a0", " ").startswith(start.replace("\u00a0", " "))), None
        )
        assert key is not None, f"missing quote {start!r}"
        record = records[key]
        assert who in (speaker(record) or ""), (start, speaker(record))
        if stance is not None:
            assert record.verb is not None and record.verb.stance == stance
    sputnik = records[next(k for k in records if k.startswith("Les informations diffusée"))]
    assert [v.name for v in sputnik.via] == ["Sputnik"]


def test_a_body_of_law_or_belief_is_no_source(nlp: Language) -> None:
    text = (
        "Selon la mythologie nordique, Odin vivait à Asgard. D'après le droit maritime, le navire devait "
        "porter secours. Selon le ministère, trois personnes ont été arrêtées."
    )
    assert [speaker(r) for _, r in quotes(nlp, text)] == ["ministère"]


def test_impersonal_on_is_hearsay_not_the_last_person_named(nlp: Language) -> None:
    text = (
        "Le maire, Jacques Favier, a visité le chantier mardi. On assure que les travaux seront "
        "terminés avant l'hiver. Les ouvriers, dit-on, seraient payés en retard."
    )
    found = {quote: r for quote, r in quotes(nlp, text)}
    works = next(r for quote, r in found.items() if quote.startswith("les travaux"))
    assert speaker(works) is not None and "Favier" not in str(speaker(works))
    assert works.conditional  # what people say is not established


@pytest.mark.parametrize(
    ("text", "start", "expected"),
    [
        pytest.param(
            "« Nous ne partirons pas », a lancé Paul Girard, le délégué syndical. « Le texte ne sera pas "
            "retiré, a répondu la ministre, nous irons jusqu'au vote. » « Nous reviendrons chaque semaine "
            "dans la rue », a-t-il prévenu.",
            "Nous reviendrons chaque",
            "Paul Girard",
            id="il-skips-la-ministre",  # "ministre" is tagged masculine whatever its article
        ),
        pytest.param(
            "Les chercheurs ont présenté leurs mesures mardi. L'un des deux responsables des équipes "
            "ayant mené l'expérience, Marc Lefort, a annoncé : « Le résultat est encore fragile, mais "
            "nous pensons qu'il tiendra ».",
            "Le résultat est encore fragile",
            "Marc Lefort",
            id="name-after-a-partitive-subject",  # parsed with a subject "un", or with two subjects
        ),
        pytest.param(
            "Le journaliste Marc Lenoir est mort samedi. En 1998, il commenta la finale où les Tricolores "
            "obtinrent le trophée. « On peut partir tranquille ! » avait-il lancé après le match.",
            "On peut partir",
            "Marc Lenoir",
            id="il-skips-a-plural-name",  # "les Tricolores" is plural
        ),
    ],
)
def test_speaker_of_a_quote(nlp: Language, text: str, start: str, expected: str) -> None:
    assert speaker(one(nlp, text, start)) == expected
