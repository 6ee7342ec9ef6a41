"""The event pattern files and CAMEO tables: they load, and every code they use exists."""

from __future__ import annotations

import pytest

from veille.annotate.event_lexicon import WordSet, load_lexicon, split_words
from veille.interpret.event_tables import (
    cameo_info,
    cameo_table,
    country_code,
    goldstein_of,
    is_known,
    plover_of,
    quad_class_of,
)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_pattern_code_is_a_cameo_code(lang: str) -> None:
    lex = load_lexicon(lang)
    frames = [f for table in (lex.verbs, lex.nouns) for fs in table.values() for f in fs]
    assert len(frames) > 100
    unknown = sorted({f.code for f in frames if not is_known(f.code)})
    assert unknown == []
    mapped = {code for f in frames for _, code in (*f.complement, *((c, c) for _, c in f.complement_nouns))}
    assert sorted(c for c in mapped if not is_known(c)) == []
    assert all(is_known(code) for _, code in lex.negated_intent)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_pattern_ids_are_unique_and_readable(lang: str) -> None:
    lex = load_lexicon(lang)
    ids = [f.id for table in (lex.verbs, lex.nouns) for fs in table.values() for f in fs]
    assert len(ids) == len(set(ids))
    assert all(i.startswith(f"{lang}.") for i in ids)


def test_unknown_language_falls_back_to_english() -> None:
    assert load_lexicon("xx").lang == "en"


def test_data_words_split_like_the_tokenizer() -> None:
    assert split_words("prise d'otage") == ("prise", "de", "otage")
    assert split_words("état d’urgence") == ("état", "de", "urgence")
    assert split_words("aujourd'hui") == ("aujourd'hui",)
    words = WordSet.of(["navire de guerre", "soldat"])
    assert "soldat" in words.singles and ("navire", "de", "guerre") in words.multi


def test_cameo_table_keeps_leading_zeros_and_repairs_upstream_defects() -> None:
    table = cameo_table()
    assert len(table) >= 310
    assert table["042"].label == "Make a visit"
    assert table["042"].plover == "CONSULT" and table["042"].quad_class == 1
    assert table["0231"].plover is None  # 02x appeals are dropped by PLOVER
    # GDELT's label file merges 1056 and 106 on one line; both codes exist after conversion.
    assert table["1056"].label.startswith("Demand de-escalation")
    assert table["106"].label == "Demand withdrawal"
    assert "third location" in table["044"].label


def test_lookups_fall_back_to_the_parent_code() -> None:
    assert plover_of("186") == "ASSAULT"
    assert goldstein_of("186") == -10.0
    assert quad_class_of("154") == 4
    assert plover_of("163") == "COERCE"  # as upstream PLOVER maps it
    assert goldstein_of("1213") == -4.0  # no Goldstein upstream: the 3-digit parent's
    info = cameo_info("0999")
    assert info is not None and info.code == "09"
    assert cameo_info("99") is None


def test_iso2_to_cameo_country() -> None:
    assert country_code("BY") == "BLR"
    assert country_code("by") == "BLR"
    assert country_code("XK") == "KSV"
    assert country_code(None) is None
    assert country_code("ZZ") is None
