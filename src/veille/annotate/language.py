"""Language identification of the clean text (py3langid, restricted to the languages veille models)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

SUPPORTED: tuple[str, ...] = ("fr", "en")
# Characters read to choose among the supported languages: a few hundred words decide between French
# and English with certainty, and the classifier's cost grows with the sample (a tenth of veille's
# own time per article at 5,000 characters).
SAMPLE_CHARS = 2000


@lru_cache(maxsize=4)
def _identifier(languages: tuple[str, ...]) -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    ident.set_languages(list(languages))
    return ident


def detect_language(text: str, *, hint: str | None = None, languages: Iterable[str] = SUPPORTED) -> str:
    """The most likely of ``languages`` for ``text``; a metadata ``hint`` wins when the text is too short."""
    langs = tuple(languages)
    sample = text[:SAMPLE_CHARS]
    if hint:
        hint = hint.split("-")[0].split("_")[0].lower()
    if len(sample.split()) < 4 and hint in langs:
        return str(hint)
    lang, prob = _identifier(langs).classify(sample)
    if hint in langs and prob < 0.9:
        return str(hint)
    return str(lang)
