"""Regenerate the reporting-verb *forms* tables from the hand-maintained lemma tables.

    python -m veille.annotate.quote_lexicon_build ../shared/reference/lexicons

Inputs: ``data/lexicons/reporting_verbs_{fr,en}.tsv`` (lemma, class, stance, frames, source — edited by
hand) and the Gender Gap Tracker verb lists in the reference folder (MIT, see its README). Output:
``data/lexicons/reporting_verb_forms_{fr,en}.tsv`` (form, lemma, rest). Forms come from the upstream
lists (grouped by lemma with spaCy's French lemmatizer where a spaCy model is installed, by the
conjugator below otherwise) plus the third-person and participle forms the conjugator derives for
every lemma, so verbs added here get their forms too. Only a build tool: nothing imports it at run time.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from veille.resources import data_path, iter_tsv

# Upstream entries whose lemma is not a lemma of its own (typos, nouns, auxiliaries): where they go.
_FR_ALIASES: dict[str, str | None] = {
    "analyse": "analyser",
    "critique": "critiquer",
    "demande": "demander",
    "donne": None,
    "dénonnçer": "dénoncer",
    "direr": "dire",
    "disanter": "dire",
    "diser": "dire",
    "divulger": "divulguer",
    "dancer": None,
    "entendanter": None,
    "entender": None,
    "entendre": None,
    "estime": "estimer",
    "exciter": None,
    "illustre": "illustrer",
    "indique": "indiquer",
    "invite": "inviter",
    "laisse": None,
    "lirer": "lire",
    "lit": "lire",
    "lâche": "lâcher",
    "note": "noter",
    "preciser": "préciser",
    "reconnaitre": "reconnaître",
    "reproche": "reprocher",
    "réagisser": "réagir",
    "sourirer": "sourire",
    "avoir": None,
    "être": None,
    "savoir": None,
    "valoir": None,
    "vouloir": None,
    "demeurer": None,
    "donner": None,
}

# Irregular French verbs (third person, participles, infinitive) that the regular rules get wrong;
# one "lemma: forms" line each (a lemma may take several lines).
_FR_IRREGULAR_TEXT = """
démentir: dément démentent démentait démentaient démentit démentirent démentira démentiront
démentir: démentirait démentiraient démenti démentie démentis démenties démentant démentir démente
faire: fait font faisait faisaient fit firent fera feront ferait feraient faite faits faites faisant faire
mettre: met mettent mettait mettaient mit mirent mettra mettront mettrait mettraient mis mise mises
mettre: mettant mettre
marteler: martèle martèlent martelait martelaient martela martelèrent martèlera martèleront
marteler: martèlerait martèleraient martelé martelée martelés martelées martelant marteler
rejeter: rejette rejettent rejetait rejetaient rejeta rejetèrent rejettera rejetteront rejetterait
rejeter: rejetteraient rejeté rejetée rejetés rejetées rejetant rejeter
asséner: assène assènent assénait assénaient asséna assénèrent assénera asséneront assénerait
asséner: asséneraient asséné assénée assénés assénées assénant asséner
"""
_FR_IRREGULAR: dict[str, list[str]] = {}
for _line in _FR_IRREGULAR_TEXT.strip().splitlines():
    _lemma, _, _forms = _line.partition(":")
    _FR_IRREGULAR.setdefault(_lemma.strip(), []).extend(_forms.split())

_EN_IRREGULAR: dict[str, tuple[str, ...]] = {
    "say": ("says", "said", "saying"),
    "tell": ("tells", "told", "telling"),
    "write": ("writes", "wrote", "written", "writing"),
    "think": ("thinks", "thought", "thinking"),
    "feel": ("feels", "felt", "feeling"),
    "find": ("finds", "found", "finding"),
    "retell": ("retells", "retold", "retelling"),
    "go": ("goes", "went", "gone", "going"),
    "rebut": ("rebuts", "rebutted", "rebutting"),
    "quip": ("quips", "quipped", "quipping"),
    "brag": ("brags", "bragged", "bragging"),
    "admit": ("admits", "admitted", "admitting"),
    "point": ("points", "pointed", "pointing"),
}


def french_forms(lemma: str) -> tuple[str, ...]:
    """Third-person, infinitive and participle forms of a French verb (what reported speech uses)."""
    if lemma in _FR_IRREGULAR:
        return tuple(_FR_IRREGULAR[lemma])
    if lemma.endswith("er"):
        stem = lemma[:-2]
        # "annoncer" → "annonça", "juger" → "jugea": the soft consonant is kept before a/o.
        before_a = stem[:-1] + "ç" if stem.endswith("c") else stem + "e" if stem.endswith("g") else stem
        present = stem
        # é/e + consonant before a mute ending becomes è ("répéter" → "répète", "relever" → "relève").
        if len(stem) >= 2 and stem[-2] in "ée" and stem[-1] not in "aeiouéè":
            present = stem[:-2] + "è" + stem[-1]
        return (
            present + "e",
            present + "ent",
            before_a + "ait",
            before_a + "aient",
            before_a + "a",
            stem + "èrent",
            stem + "era",
            stem + "eront",
            stem + "erait",
            stem + "eraient",
            stem + "é",
            stem + "ée",
            stem + "és",
            stem + "ées",
            before_a + "ant",
            lemma,
        )
    if lemma.endswith("ir"):
        stem = lemma[:-2]
        return (
            stem + "it",
            stem + "issent",
            stem + "issait",
            stem + "issaient",
            stem + "irent",
            stem + "ira",
            stem + "iront",
            stem + "irait",
            stem + "iraient",
            stem + "i",
            stem + "ie",
            stem + "is",
            stem + "ies",
            stem + "issant",
            lemma,
        )
    return (lemma,)


def english_forms(lemma: str) -> tuple[str, ...]:
    if lemma in _EN_IRREGULAR:
        return (lemma, *_EN_IRREGULAR[lemma])
    if lemma.endswith("y") and lemma[-2:-1] not in ("a", "e", "o", "u"):
        return (lemma, lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing")
    if lemma.endswith("e"):
        return (lemma, lemma + "s", lemma + "d", lemma[:-1] + "ing")
    plural = lemma + ("es" if lemma.endswith(("s", "sh", "ch", "x", "z")) else "s")
    return (lemma, plural, lemma + "ed", lemma + "ing")


def _lemma_rows(lang: str) -> list[dict[str, str]]:
    return list(iter_tsv(f"lexicons/reporting_verbs_{lang}.tsv"))


def _group_french_upstream(forms: Iterable[str], lemmas: set[str]) -> dict[str, str]:
    """Upstream form → lemma, with spaCy's French lemmatizer (the upstream list has no lemmas)."""
    try:
        import spacy
        from spacy.tokens import Doc
    except ImportError:  # pragma: no cover - spaCy is a dependency
        return {}
    nlp = spacy.load("fr_core_news_md")
    lemmatizer = nlp.get_pipe("lemmatizer")
    out: dict[str, str] = {}
    for form in forms:
        doc = Doc(nlp.vocab, words=[form])
        doc[0].pos_ = "VERB"
        lemma = lemmatizer(doc)[0].lemma_
        target = _FR_ALIASES.get(lemma, lemma)
        if target is not None and target in lemmas:
            out[form] = target
    return out


def _group_english_upstream(forms: Iterable[str], generated: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for form in forms:
        if form in generated:
            out[form] = generated[form]
    return out


def build(reference: Path, lang: str) -> list[tuple[str, str, str]]:
    rows = _lemma_rows(lang)
    lemmas = {r["lemma"] for r in rows}
    upstream = [
        line.strip()
        for line in (reference / f"ggt_quote_verbs_{lang}.txt").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    table: dict[tuple[str, str], str] = {}  # (form, rest) → lemma
    generated: dict[str, str] = {}
    for lemma in sorted(lemmas):
        head, _, rest = lemma.partition(" ")
        make = french_forms if lang == "fr" else english_forms
        for form in make(head):
            table.setdefault((form, rest), lemma)
            if not rest:
                generated.setdefault(form, lemma)
    grouped = (
        _group_french_upstream(upstream, lemmas)
        if lang == "fr"
        else _group_english_upstream(upstream, generated)
    )
    for form, lemma in grouped.items():
        table.setdefault((form, ""), lemma)
    return sorted((form, lemma, rest) for (form, rest), lemma in table.items())


HEADER = """# {lang_name} reporting-verb forms: generated by
# `python -m veille.annotate.quote_lexicon_build ../shared/reference/lexicons`
# from reporting_verbs_{lang}.tsv (hand-maintained lemmas) and the Gender Gap Tracker list
# ggt_quote_verbs_{lang}.txt (sfu-discourse-lab/GenderGapTracker @ 5501de31e8598e18ace47982220e91961ca5460a,
# MIT licence, Copyright (c) 2018-2023 Maite Taboada). Do not edit by hand: edit the lemma table, regenerate.
# Columns: form (lower case), lemma, rest (next words of a multiword cue: "savoir" in "faire savoir").
form\tlemma\trest
"""


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    reference = Path(argv[0])
    for lang, lang_name in (("fr", "French"), ("en", "English")):
        rows = build(reference, lang)
        target = data_path(f"lexicons/reporting_verbs_{lang}.tsv").with_name(
            f"reporting_verb_forms_{lang}.tsv"
        )
        body = "".join(f"{form}\t{lemma}\t{rest}\n" for form, lemma, rest in rows)
        target.write_text(HEADER.format(lang=lang, lang_name=lang_name) + body, encoding="utf-8")
        print(f"{target}: {len(rows)} forms")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
