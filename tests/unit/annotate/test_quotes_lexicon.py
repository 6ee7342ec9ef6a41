"""The reporting-verb lexicon: lemmas, forms, stance classes and cue phrases are data, compiled once."""

from __future__ import annotations

import spacy

from veille.annotate.quote_lexicon import fold, load_lexicon


def test_stance_classes() -> None:
    fr = load_lexicon("fr")
    assert fr.verbs["prétendre"].stance == "distancing"
    assert fr.verbs["démentir"].cls == "denial" and fr.verbs["démentir"].stance == "neutral"
    assert fr.verbs["reconnaître"].stance == "endorsing"
    assert fr.verbs["qualifier"].stance == "neutral"
    en = load_lexicon("en")
    assert en.verbs["claim"].stance == "distancing"
    assert en.verbs["deny"].cls == "denial"
    assert en.verbs["admit"].stance == "endorsing"


def test_inflected_forms_map_to_lemmas() -> None:
    fr = load_lexicon("fr")
    assert fr.forms["cité"] == "citer"
    assert fr.forms["prétendu"] == "prétendre"
    assert fr.forms["dément"] == "démentir"
    assert fr.forms["annonça"] == "annoncer"
    assert load_lexicon("en").forms["said"] == "say"


def test_multiword_cue_and_loose_participle() -> None:
    nlp = spacy.blank("fr")
    doc = nlp("Il a fait savoir que tout allait bien")
    hit = load_lexicon("fr").verb_at(doc, 2, strict=False)
    assert hit is not None and hit.verb.lemma == "faire savoir" and hit.last == 3


def test_phrases_match_on_tokens() -> None:
    fr = load_lexicon("fr")
    nlp = spacy.blank("fr")
    words = [fold(t.text) for t in nlp("Aucun argument convaincant n'a été présenté")]
    assert fr.phrase("doubt").match(words, 0) == 3
    words = [fold(t.text) for t in nlp("d’après le ministère")]
    assert fr.phrase("source_markers").match(words, 0) == 2


def test_unknown_language_falls_back_to_english() -> None:
    assert load_lexicon("de").lang == "en"


def test_phrase_find_gives_the_first_start_within_the_range() -> None:
    from veille.annotate.quote_lexicon import PhraseSet

    phrases = PhraseSet([["sans", "fondement"], ["faux"]])
    words = ["c'", "est", "sans", "fondement", "et", "faux"]
    assert phrases.find(words, 0, len(words)) == 2
    assert phrases.find(words, 3, len(words)) == 5  # "fondement" alone starts nothing
    assert phrases.find(words, 0, 2) is None
    assert phrases.find(["sans", "doute"], 0, 2) is None  # a first word is not a phrase
