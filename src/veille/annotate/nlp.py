"""Build the spaCy pipeline of a language once per process, with veille's components added.

The base models are PyPI packages (no download at run time). veille's own components are
registered with ``@Language.factory`` in their modules under ``annotate/``; importing this
module registers them all, so users can also ``nlp.add_pipe("veille_dates")`` in their own
pipelines.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Mapping

import spacy
from spacy.language import Language

from veille.errors import ModelError

# (factory name, module that registers it), in pipeline order. Each component reads only what
# earlier components (or the base model) wrote on the Doc.
COMPONENTS: tuple[tuple[str, str], ...] = (
    ("veille_entities", "veille.annotate.entities"),
    ("veille_dates", "veille.annotate.dates"),
    ("veille_actors", "veille.annotate.actors"),
    ("veille_quotes", "veille.annotate.quotes"),
    ("veille_places", "veille.annotate.places"),
    ("veille_events", "veille.annotate.events"),
)

# Runs before the base model's parser (where it has one): paragraph breaks are sentence breaks.
BOUNDARIES: tuple[str, str] = ("veille_paragraphs", "veille.annotate.paragraphs")

# The base model components veille never reads are disabled for speed (see `veille bench`).
_UNUSED_BASE_COMPONENTS: frozenset[str] = frozenset()

_lock = threading.Lock()
_cache: dict[tuple[str, str], Language] = {}


def register_components() -> None:
    """Import every component module so their factories are registered with spaCy."""
    for _, module in (BOUNDARIES, *COMPONENTS):
        importlib.import_module(module)


def load_base(model: str) -> Language:
    try:
        return spacy.load(model, exclude=sorted(_UNUSED_BASE_COMPONENTS))
    except OSError as exc:
        raise ModelError(
            f"spaCy model {model!r} is not installed; install it with `pip install {model.replace('_', '-')}`"
        ) from exc


def build_nlp(model: str, *, max_length: int = 2_000_000) -> Language:
    """A fresh pipeline: the base model plus veille's components."""
    register_components()
    nlp = load_base(model)
    nlp.max_length = max_length
    if "parser" in nlp.pipe_names and BOUNDARIES[0] not in nlp.pipe_names:
        nlp.add_pipe(BOUNDARIES[0], before="parser")
    for name, _ in COMPONENTS:
        if name not in nlp.pipe_names:
            nlp.add_pipe(name, last=True)
    return nlp


def get_nlp(lang: str, *, models: Mapping[str, str], max_length: int = 2_000_000) -> Language:
    """The process-wide pipeline for ``lang`` (loaded on first use, then reused)."""
    model = models.get(lang) or models.get("en")
    if model is None:
        raise ModelError(f"no spaCy model configured for language {lang!r}")
    key = (lang, model)
    with _lock:
        nlp = _cache.get(key)
        if nlp is None:
            nlp = build_nlp(model, max_length=max_length)
            _cache[key] = nlp
        return nlp
