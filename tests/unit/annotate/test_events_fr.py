"""The ``veille_events`` component on French sentences: frames, arguments, negation and modality.

Mentions are linguistic only (character spans, no actor codes): the assertions look at the CAMEO code
chosen and at the *text* of the source and target phrases.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from veille.annotate.events import EventMention
from veille.annotate.nlp import COMPONENTS, load_base
from veille.settings import Settings


@pytest.fixture(scope="module")
def nlp() -> Language:
    # The base model and this component only: these tests stay independent of the other components.
    pipeline = load_base(Settings().models["fr"])
    pipeline.add_pipe("veille_events")
    return pipeline


def mentions(nlp: Language, text: str) -> list[EventMention]:
    return list(nlp(text)._.veille_event_mentions)


def one(nlp: Language, text: str, code_prefix: str) -> EventMention:
    found = [m for m in mentions(nlp, text) if m.cameo.startswith(code_prefix)]
    assert found, f"no {code_prefix} event in {text!r}: {[m.cameo for m in mentions(nlp, text)]}"
    return found[0]


def src(m: EventMention) -> str:
    return m.source.text if m.source else ""


def tgt(m: EventMention) -> str:
    return m.target.text if m.target else ""


def test_component_is_registered_after_the_parse(nlp: Language) -> None:
    assert ("veille_events", "veille.annotate.events") in COMPONENTS
    assert nlp.pipe_names.index("veille_events") > nlp.pipe_names.index("parser")


def test_nominal_visit_with_light_verb(nlp: Language) -> None:
    m = one(
        nlp,
        "Le chef de la diplomatie italienne a effectué une visite à Tunis, capitale de la Tunisie.",
        "042",
    )
    assert m.kind == "noun" and m.lemma == "visite"
    assert "diplomatie italienne" in src(m)
    assert tgt(m).startswith("Tunis")
    assert m.target_place and m.modality == "asserted" and not m.negated


def test_nominal_visit_with_de_and_a(nlp: Language) -> None:
    m = one(nlp, "La visite du président kényan à Kampala a duré deux jours.", "042")
    assert "président kényan" in src(m)
    assert "Kampala" in tgt(m)


def test_host_with_object(nlp: Language) -> None:
    m = one(nlp, "Le roi du Maroc a reçu jeudi le ministre espagnol des Affaires étrangères.", "043")
    assert "roi du Maroc" in src(m)
    assert "ministre espagnol" in tgt(m)


def test_passive_agent_is_the_source(nlp: Language) -> None:
    m = one(nlp, "Le Premier ministre grec a été reçu par le président chypriote.", "043")
    assert "président chypriote" in src(m)
    assert "Premier ministre grec" in tgt(m)


def test_reflexive_visit_and_reciprocal_meeting(nlp: Language) -> None:
    m = one(nlp, "Le ministre japonais s'est rendu à Séoul.", "042")
    assert "ministre japonais" in src(m) and tgt(m) == "Séoul"
    talk = one(nlp, "Le président égyptien s'est entretenu avec son homologue soudanais.", "040")
    assert "président égyptien" in src(talk) and "homologue soudanais" in tgt(talk)
    phone = one(nlp, "Le chancelier s'est entretenu par téléphone avec le président turc.", "041")
    assert "président turc" in tgt(phone)


def test_coordinated_subjects_of_a_joint_act_are_paired(nlp: Language) -> None:
    found = [
        m
        for m in mentions(nlp, "Le Chili et le Pérou ont signé un traité de coopération.")
        if m.cameo == "057"
    ]
    pairs = {(src(m), tgt(m)) for m in found}
    assert ("Le Chili", "le Pérou") in pairs and ("le Pérou", "Le Chili") in pairs


def test_pair_anaphor_is_flagged_for_the_interpreter(nlp: Language) -> None:
    m = one(nlp, "Les deux hommes se sont entretenus de la situation régionale.", "040")
    assert m.pair_anaphor and m.target is None


def test_criticism_with_indirect_object(nlp: Language) -> None:
    m = one(nlp, "Le président américain reproche aux Européens leur manque d'engagement.", "111")
    assert "président américain" in src(m) and tgt(m) == "Européens"


def test_accusation_absorbs_its_content(nlp: Language) -> None:
    found = mentions(nlp, "La Serbie a accusé le Kosovo d'avoir attaqué des policiers.")
    codes = [m.cameo for m in found]
    assert "1123" in codes  # accusation of aggression, sub-coded from its content
    assert not any(c.startswith("19") for c in codes)  # the attack is the accusation's content, not a fact


def test_agent_of_participle_on_an_attack_noun(nlp: Language) -> None:
    m = one(
        nlp,
        "Le dirigeant rebelle est mort le 5 mars dans un assassinat mené par des forces spéciales.",
        "186",
    )
    assert "forces spéciales" in src(m)
    assert "dirigeant rebelle" in tgt(m)  # the subject of "est mort" undergoes the assassination


def test_deployment_of_troops_through_control_verb(nlp: Language) -> None:
    m = one(nlp, "Les Pays-Bas ont accepté de déployer 300 soldats en Lituanie.", "154")
    assert src(m) == "Les Pays-Bas"
    assert m.modality == "asserted"


def test_future_is_intended(nlp: Language) -> None:
    m = one(nlp, "Le Canada va envoyer 200 militaires en Lettonie.", "154")
    assert m.modality == "intended" and any(c.startswith("intent:") for c in m.cues)
    assert src(m) == "Le Canada"


def test_negation(nlp: Language) -> None:
    m = one(nlp, "Le gouvernement hongrois n'a pas condamné l'invasion.", "111")
    assert m.negated and any(c.startswith("neg:") for c in m.cues)
    plain = one(nlp, "Le gouvernement hongrois a condamné l'invasion.", "111")
    assert not plain.negated


def test_conditional(nlp: Language) -> None:
    m = one(nlp, "Le régime aurait livré des armes aux rebelles du nord.", "072")
    assert m.modality == "conditional"


def test_reported_by_verb_by_selon_and_by_quotes(nlp: Language) -> None:
    m = one(nlp, "Le journal affirme que la police a arrêté trois opposants.", "173")
    assert m.modality == "reported"
    m = one(nlp, "Selon l'agence, la police a arrêté trois opposants.", "173")
    assert m.modality == "reported"
    m = one(nlp, "« Nous avons arrêté trois opposants », a déclaré le ministre.", "173")
    assert m.modality == "reported"
    m = one(nlp, "Il est utile de rappeler que la police a arrêté trois opposants.", "173")
    assert m.modality == "asserted"  # a reporting verb with no speaker is the author's own voice


def test_threat_takes_its_code_from_the_complement(nlp: Language) -> None:
    m = one(nlp, "Le ministre a menacé la Turquie de sanctions économiques.", "13")
    assert m.cameo == "1312"
    m = one(nlp, "Le gouvernement a menacé de bombarder les positions rebelles.", "13")
    assert m.cameo == "138"


def test_negated_future_cooperation_is_a_refusal(nlp: Language) -> None:
    m = one(nlp, "La Suisse ne livrera pas d'armes à l'Ukraine.", "12")
    assert m.cameo == "1222" and not m.negated


def test_evaluative_statement_is_a_criticism(nlp: Language) -> None:
    m = one(nlp, "Le Premier ministre a affirmé que l'Organisation était totalement inefficace.", "111")
    assert m.kind == "evaluation"
    assert "Premier ministre" in src(m) and "Organisation" in tgt(m)


def test_reported_violence_by_a_party_is_also_an_accusation(nlp: Language) -> None:
    found = mentions(nlp, "Le Mali a affirmé que des rebelles avaient attaqué un convoi de l'armée.")
    assert any(m.cameo == "112" and m.kind == "report" and src(m) == "Le Mali" for m in found)
    assert any(m.cameo.startswith("19") and m.modality == "reported" for m in found)


def test_sentence_and_clause_spans(nlp: Language) -> None:
    text = "Le 3 mars, l'armée a bombardé la ville. Le lendemain, le maire a critiqué l'armée."
    doc = nlp(text)
    first = next(m for m in doc._.veille_event_mentions if m.cameo.startswith("19"))
    assert doc.text[first.sentence_start : first.sentence_end].startswith("Le 3 mars")
    assert first.clause_start <= first.trigger_start < first.clause_end <= first.sentence_end
    assert doc[first.clause_head].text == "bombardé"


def test_nothing_in_texts_without_events(nlp: Language) -> None:
    assert mentions(nlp, "Il fait beau aujourd'hui à Paris et les terrasses sont pleines.") == []
    assert mentions(nlp, "Accueil » Actualité » International") == []


def test_finite_verb_misparsed_as_acl_of_the_root_noun_keeps_its_subject(nlp: Language) -> None:
    # fr_core_news_md parses "La Biélorussie négocie …" as a noun with an acl: the noun is the subject.
    m = one(nlp, "La Biélorussie négocie avec l'OTAN la création d'un centre de formation.", "04")
    assert "Biélorussie" in src(m)
    assert "OTAN" in tgt(m)


@pytest.mark.parametrize(
    ("code", "event", "not_events"),
    [
        # "honorer" praises a person but keeps an obligation.
        (
            "051",
            "Le maire a honoré les pompiers de la ville lors d'une cérémonie.",
            (
                "Le gouvernement grec devra honorer ses dettes envers les banques européennes.",
                "L'entreprise a honoré tous ses engagements auprès de ses fournisseurs.",
                # The object of a relative clause is the noun it modifies, also through "doit".
                "Le ministre a évoqué la lourde dette que le pays doit encore honorer auprès du FMI.",
            ),
        ),
        # One arrives in a place, not in power or at a compromise.
        (
            "042",
            "Le président kényan est arrivé à Paris lundi soir.",
            (
                "Le chef de l'opposition est arrivé au pouvoir après des élections anticipées.",
                "Les négociateurs européens sont arrivés à un compromis sur le budget.",
            ),
        ),
    ],
)
def test_a_verb_codes_its_event_only_with_the_right_object(
    nlp: Language, code: str, event: str, not_events: tuple[str, ...]
) -> None:
    assert one(nlp, event, code)
    for text in not_events:
        assert [m.cameo for m in mentions(nlp, text) if m.cameo == code] == [], text


def test_hyphenated_name_torn_by_the_parser_stays_whole(nlp: Language) -> None:
    m = one(nlp, "Le Royaume-Uni a menacé la Norvège de sanctions commerciales.", "13")
    assert src(m) == "Le Royaume-Uni" or src(m) == "Royaume-Uni"


def test_relative_subject_of_a_passive_is_the_noun_it_modifies(nlp: Language) -> None:
    text = "Le ministre a rencontré le juge Paul Marin, qui sera reçu par le président tchèque mardi."
    found = [
        m
        for m in mentions(nlp, text)
        if m.cameo.startswith("04") and tgt(m) in {"qui", "Paul Marin", "le juge Paul Marin"}
    ]
    assert found and all(tgt(m) != "qui" for m in found), [
        (m.cameo, src(m), tgt(m)) for m in mentions(nlp, text)
    ]


def test_a_date_is_never_the_target_of_a_visit(nlp: Language) -> None:
    text = "Les cyclistes ne participeront pas à la tournée de l'équipe en Espagne en mars."
    assert all(tgt(m) != "mars" for m in mentions(nlp, text)), [
        (m.cameo, tgt(m)) for m in mentions(nlp, text)
    ]


def test_arguments_stay_in_their_paragraph(nlp: Language) -> None:
    # The parser reads "X." as an abbreviation and runs on into the next paragraph: neither the
    # phrase of the complaint nor the object of the refusal may reach across the blank line.
    text = (
        "Les deux reporters vont déposer une plainte contre X.\n\nD'autre part, la rédaction a "
        "fermement condamné les violences.\n\nLe ministère a refusé.\n\nÀ l'ouverture du sommet, "
        "les délégués ont applaudi."
    )
    found = mentions(nlp, text)
    assert found and all("\n" not in src(m) + tgt(m) for m in found)
    refusals = [m for m in found if m.lemma == "refuser"]
    assert all("sommet" not in tgt(m) for m in refusals)


@pytest.mark.parametrize(
    "sentence",
    [
        "La joueuse américaine a battu la Polonaise Anna Nowak en trois sets.",
        "La Suissesse a battu l'Italienne Giulia Rossi en finale.",
    ],
)
def test_a_win_is_no_assault(nlp: Language, sentence: str) -> None:
    assert not [m for m in mentions(nlp, sentence) if m.cameo.startswith("18")]


def test_a_beating_is_still_an_assault(nlp: Language) -> None:
    m = one(nlp, "Des gardiens ont battu les détenus dans la cour de la prison.", "182")
    assert src(m) == "Des gardiens" and tgt(m) == "les détenus"


def test_the_speakers_own_forces_are_no_accusation(nlp: Language) -> None:
    own = "Le ministère de la Défense assure que ses forces ont frappé des dépôts de carburant."
    assert not any(m.cameo.startswith("112") for m in mentions(nlp, own))
    other = "Le ministère de la Défense assure que les forces ennemies ont frappé des dépôts de carburant."
    assert any(m.cameo.startswith("112") for m in mentions(nlp, other))


def test_an_ordered_material_act_is_the_event_of_who_ordered_it(nlp: Language) -> None:
    expel = one(nlp, "Le gouvernement a ordonné l'expulsion de l'ambassadeur du Niger.", "161")
    assert src(expel) == "Le gouvernement" and "ambassadeur" in tgt(expel)
    assert not any(
        m.cameo.startswith("10")
        for m in mentions(nlp, "Le gouvernement a ordonné l'expulsion de l'ambassadeur du Niger.")
    )
    # An order to do something else stays a demand.
    assert one(nlp, "Le gouvernement a ordonné aux troupes étrangères de se retirer.", "10").cameo == "106"


def test_who_intends_a_nominal_act_is_a_source_of_it(nlp: Language) -> None:
    m = one(nlp, "Le Canada envisage de nouvelles sanctions contre la junte.", "163")
    assert m.modality == "intended"
    assert "Le Canada" in [src(m), *(a.text for a in m.source_alternatives)]


def test_an_object_after_a_coordinated_verb_is_that_verbs(nlp: Language) -> None:
    # The parser hangs "ingérence" on "appelé"; it is what was rejected, not whom the appeal was to.
    appeal = one(nlp, "Le Brésil a appelé au dialogue et rejeté toute ingérence du Venezuela.", "02")
    assert tgt(appeal) == ""


def test_a_bracketed_acronym_stays_in_the_phrase(nlp: Language) -> None:
    m = one(nlp, "Les Forces armées révolutionnaires (FAR) ont attaqué une caserne.", "190")
    assert src(m) == "Les Forces armées révolutionnaires (FAR)"


def test_water_bombers_are_aid_not_troops(nlp: Language) -> None:
    sent = mentions(nlp, "Le Portugal a envoyé deux bombardiers d'eau en Espagne.")
    assert [m.cameo for m in sent] == ["073"]
    assert one(nlp, "La Russie a envoyé des bombardiers en Syrie.", "15").cameo == "154"


def test_a_list_whose_first_item_the_parser_made_the_root() -> None:
    from veille.annotate.nlp import get_nlp  # the whole pipeline: its paragraph marks shape this parse

    text = (
        "Titre de la dépêche\n\nLe Kenya, l'Ouganda et la Tanzanie ont condamné l'attaque contre la Somalie."
    )
    found = get_nlp("fr", models=Settings().models)(text)._.veille_event_mentions
    assert sorted(src(m) for m in found if m.cameo == "111") == ["Le Kenya", "l'Ouganda", "la Tanzanie"]


def test_a_subject_with_a_preposition_is_a_misparsed_source_not_the_subject() -> None:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from veille.annotate.event_syntax import Syntax

    # "D'après le ministère, 200 personnes ont été tuées." as the French parser sometimes reads it:
    # "ministère" the passive subject, with "D'après" as its preposition and "personnes" hung on it.
    words = ["D'", "après", "le", "ministère", ",", "200", "personnes", "ont", "été", "tuées", "."]
    heads = [3, 0, 3, 9, 3, 6, 3, 9, 9, 9, 9]
    deps = [
        "case",
        "fixed",
        "det",
        "nsubj:pass",
        "punct",
        "nummod",
        "nmod",
        "aux:tense",
        "aux:pass",
        "ROOT",
        "punct",
    ]
    pos = ["ADP", "ADP", "DET", "NOUN", "PUNCT", "NUM", "NOUN", "AUX", "AUX", "VERB", "PUNCT"]
    doc = Doc(Vocab(), words=words, heads=heads, deps=deps, pos=pos)
    assert [t.text for t in Syntax("ud").surface_subjects(doc[9])] == ["personnes"]
    doc = Doc(
        Vocab(),
        words=words[:5] + words[7:],
        heads=[3, 0, 3, 7, 3, 7, 7, 7, 7],
        deps=deps[:5] + deps[7:],
        pos=pos[:5] + pos[7:],
    )
    assert Syntax("ud").surface_subjects(doc[7]) == []  # nobody else: no subject
    # Or "D'" hung on the verb as its mark: the phrase still opens with "D'après".
    deps = [
        "mark",
        "fixed",
        "det",
        "nsubj:pass",
        "punct",
        "nummod",
        "appos",
        "aux:tense",
        "aux:pass",
        "ROOT",
        "punct",
    ]
    heads = [9, 0, 3, 9, 3, 6, 3, 9, 9, 9, 9]
    doc = Doc(Vocab(), words=words, heads=heads, deps=deps, pos=pos)
    assert [t.text for t in Syntax("ud").surface_subjects(doc[9])] == ["personnes"]


@pytest.mark.parametrize(
    ("text", "code", "source", "target"),
    [
        # An airdrop of food is humanitarian aid to where it falls.
        ("Le Canada a largué des vivres sur le nord du pays.", "073", "Le Canada", "le nord du pays"),
        # Demands are proposals: rejecting them is 120.
        ("Le président tchadien a rejeté ces exigences.", "120", "Le président tchadien", ""),
        # "auprès de" parsed as an adverb heading "de X" still names the target.
        ("Rome a protesté auprès de Tunis par la voie diplomatique.", "114", "Rome", "Tunis"),
        # Police sent abroad is police power (153), not troops.
        ("Le Sénégal va déployer 500 policiers en Gambie.", "153", "Le Sénégal", "Gambie"),
        # Suspending a broadcast restricts political freedoms.
        (
            "Les autorités ont suspendu la diffusion de Radio Oméga.",
            "1721",
            "Les autorités",
            "la diffusion de Radio Oméga",
        ),
    ],
)
def test_airdrops_demands_police_censorship_and_aupres_de(
    nlp: Language, text: str, code: str, source: str, target: str
) -> None:
    m = one(nlp, text, code)
    assert (m.cameo, src(m), tgt(m)) == (code, source, target)


def test_a_negative_determiner_on_the_object_negates_the_verb(nlp: Language) -> None:
    m = one(nlp, "Le Togo ne signera aucun accord avec le Bénin.", "05")
    assert m.negated
