"""``veille bench``: end-to-end throughput against spaCy parsing alone, on the same articles, in one run.

Parsing is the floor of the analysis on a CPU: the figure that matters is the *ratio* of the full
pipeline's throughput to parse-only throughput, measured in the same process a few seconds apart
(absolute times on a shared machine are noise). Parse-only uses the very same loaded pipeline with
veille's components switched off, so both runs share the model and its caches.
"""

from __future__ import annotations

import itertools
import resource
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from veille.annotate.language import detect_language
from veille.annotate.nlp import COMPONENTS, get_nlp
from veille.ingest.corpus import read_corpus
from veille.ingest.items import Item
from veille.ingest.raw import RawDocument
from veille.models import Failure
from veille.pipeline import analyze_many
from veille.settings import Settings


def _rate(count: int, seconds: float) -> float:
    return round(count / seconds, 2) if seconds else 0.0


@dataclass(frozen=True, kw_only=True)
class BenchResult:
    articles: int
    tokens: int
    parse_only_s: float
    pipeline_s: float
    failures: int
    peak_rss_mb: float

    @property
    def parse_only_tok_s(self) -> float:
        return self.tokens / self.parse_only_s if self.parse_only_s else 0.0

    @property
    def pipeline_tok_s(self) -> float:
        return self.tokens / self.pipeline_s if self.pipeline_s else 0.0

    @property
    def ratio(self) -> float:
        return self.parse_only_s / self.pipeline_s if self.pipeline_s else 0.0

    def metrics(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "tokens": self.tokens,
            "parse_only_tok_s": round(self.parse_only_tok_s, 1),
            "pipeline_tok_s": round(self.pipeline_tok_s, 1),
            "ratio": round(self.ratio, 3),
            "peak_rss_mb": round(self.peak_rss_mb, 1),
            "parse_only_articles_s": _rate(self.articles, self.parse_only_s),
            "pipeline_articles_s": _rate(self.articles, self.pipeline_s),
            "failures": self.failures,
        }


def _readable(path: Path, *, settings: Settings) -> Iterator[RawDocument]:
    for entry in read_corpus(path, settings=settings):
        if isinstance(entry, Item) and entry.raw is not None:
            yield entry.raw


def load_articles(corpora: Iterable[Path], *, n: int, settings: Settings) -> list[RawDocument]:
    """The first ``n`` readable articles of the corpora, taken in turn from each (mixes languages)."""
    streams = [_readable(path, settings=settings) for path in corpora]
    out: list[RawDocument] = []
    rounds: Iterator[tuple[RawDocument | None, ...]] = itertools.zip_longest(*streams)
    for raw in itertools.chain.from_iterable(rounds):
        if raw is not None:
            out.append(raw)
            if len(out) >= n:
                break
    return out


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kilobytes, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def run_bench(articles: list[RawDocument], *, settings: Settings) -> BenchResult:
    texts_by_lang: dict[str, list[str]] = {}
    for raw in articles:
        text = raw.text or ""
        lang = raw.meta.get("lang") or detect_language(text)
        texts_by_lang.setdefault(lang, []).append(text)
    veille_components = [name for name, _ in COMPONENTS]
    pipelines = {
        lang: get_nlp(lang, models=settings.models, max_length=settings.max_text_chars + 1)
        for lang in texts_by_lang
    }
    # Warm up both paths (lazy tables, caches) outside the timed runs.
    list(analyze_many(articles[:2], settings=settings))

    tokens = 0
    started = time.perf_counter()
    for lang, texts in texts_by_lang.items():
        nlp = pipelines[lang]
        with nlp.select_pipes(disable=[c for c in veille_components if c in nlp.pipe_names]):
            for doc in nlp.pipe(texts, batch_size=settings.batch_size):
                tokens += len(doc)
    parse_only_s = time.perf_counter() - started

    started = time.perf_counter()
    failures = sum(isinstance(r, Failure) for r in analyze_many(articles, settings=settings))
    pipeline_s = time.perf_counter() - started
    return BenchResult(
        articles=len(articles),
        tokens=tokens,
        parse_only_s=parse_only_s,
        pipeline_s=pipeline_s,
        failures=failures,
        peak_rss_mb=_peak_rss_mb(),
    )


def render_table(result: BenchResult) -> str:
    m = result.metrics()
    rows = [
        ("articles", f"{m['articles']}", ""),
        ("tokens", f"{m['tokens']}", ""),
        ("parse only", f"{m['parse_only_tok_s']:.0f} tok/s", f"{m['parse_only_articles_s']:.2f} articles/s"),
        ("full pipeline", f"{m['pipeline_tok_s']:.0f} tok/s", f"{m['pipeline_articles_s']:.2f} articles/s"),
        ("ratio", f"{m['ratio']:.3f}", "pipeline / parse-only throughput"),
        ("peak RSS", f"{m['peak_rss_mb']:.0f} MB", "whole process"),
        ("failures", f"{m['failures']}", ""),
    ]
    return "\n".join(f"{a:14} {b:>16}  {c}" for a, b, c in rows)
