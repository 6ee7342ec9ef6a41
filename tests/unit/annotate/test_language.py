from __future__ import annotations

from veille.annotate.language import detect_language


def test_french_and_english() -> None:
    assert detect_language("Le gouvernement a annoncé mardi une nouvelle réforme des retraites.") == "fr"
    assert detect_language("The government announced a new pension reform on Tuesday.") == "en"


def test_short_text_follows_hint() -> None:
    assert detect_language("OTAN", hint="fr-FR") == "fr"
    assert detect_language("Brexit", hint="en_GB") == "en"


def test_unsupported_hint_is_ignored() -> None:
    assert detect_language("Le président a parlé aux journalistes ce matin.", hint="de") == "fr"
