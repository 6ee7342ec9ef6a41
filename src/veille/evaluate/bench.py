"""``veille bench``: end-to-end throughput against spaCy parsing alone, on the same articles, in one run.

Parsing is the floor of the analysis on a CPU: the figure that matters is the *ratio* of the full
pipeline's throughput to parse-only throughput, measured in the same process (absolute times on a
shared machine are noise). Parse-only uses the very same loaded pipeline with veille's components
switched off, on the very texts the pipeline parses (cleaned by ``extract``, grouped by language);
the pipeline run includes reading, cleaning, language identification and interpretation.

Both paths are warmed up on every language first (lazy tables, lexicons, the gazetteer), then timed
on alternating chunks of articles (parse-only then pipeline, then pipeline then parse-only, ...):
when other jobs load the machine for a while, both paths share the slowdown instead of one of
them taking it all. Wall-clock and CPU times are both kept; the CPU ratio is the steadier one on a
busy machine. With ``n_process`` > 1 the two paths run once each over all articles (worker pools
are not restarted per chunk), parse-only with spaCy's ``nlp.pipe(n_process=…)``.
"""

from __future__ import annotations

import itertools
import os
import resource
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from veille.annotate.nlp import COMPONENTS, get_nlp
from veille.errors import VeilleError
from veille.ingest.corpus import read_corpus
from veille.ingest.items import Item
from veille.ingest.raw import RawDocument
from veille.models import Failure
from veille.pipeline import AnalyzeOptions, _prepare, analyze_many, parser_batches
from veille.settings import Settings

CHUNK = 48  # articles per timed chunk (three pipeline batches of 16)


def _rate(count: int, seconds: float) -> float:
    return round(count / seconds, 2) if seconds else 0.0


def _ms(seconds: float, count: int) -> float:
    return round(1000 * seconds / count, 2) if count else 0.0


@dataclass(frozen=True, kw_only=True)
class BenchResult:
    articles: int
    tokens: int
    parse_only_s: float
    pipeline_s: float
    failures: int
    peak_rss_mb: float
    parse_only_cpu_s: float = 0.0
    pipeline_cpu_s: float = 0.0
    peak_rss_children_mb: float = 0.0
    n_process: int = 1
    models: dict[str, str] = field(default_factory=dict)
    load_avg: tuple[float, float] = (0.0, 0.0)  # 1-minute load average before and after

    @property
    def parse_only_tok_s(self) -> float:
        return self.tokens / self.parse_only_s if self.parse_only_s else 0.0

    @property
    def pipeline_tok_s(self) -> float:
        return self.tokens / self.pipeline_s if self.pipeline_s else 0.0

    @property
    def ratio(self) -> float:
        return self.parse_only_s / self.pipeline_s if self.pipeline_s else 0.0

    @property
    def cpu_ratio(self) -> float:
        return self.parse_only_cpu_s / self.pipeline_cpu_s if self.pipeline_cpu_s else 0.0

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
            "parse_only_ms_per_article": _ms(self.parse_only_s, self.articles),
            "pipeline_ms_per_article": _ms(self.pipeline_s, self.articles),
            "pipeline_cpu_ms_per_article": _ms(self.pipeline_cpu_s, self.articles),
            "cpu_ratio": round(self.cpu_ratio, 3),
            "peak_rss_children_mb": round(self.peak_rss_children_mb, 1),
            "n_process": self.n_process,
            "models": dict(self.models),
            "load_avg": list(self.load_avg),
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


def _peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    peak = resource.getrusage(who).ru_maxrss
    # Linux reports kilobytes, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _load() -> float:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:  # not available on this platform
        return 0.0


@dataclass
class _Clock:
    wall: float = 0.0
    cpu: float = 0.0

    def add(self, wall: float, cpu: float) -> None:
        self.wall += wall
        self.cpu += cpu


@dataclass(frozen=True)
class _Case:
    raw: RawDocument
    lang: str | None  # None: the pipeline refuses it (a failure), nothing to parse
    text: str


def _cases(articles: Sequence[RawDocument], *, settings: Settings) -> list[_Case]:
    """Each article with the clean text the pipeline will parse and the language it will choose."""
    out: list[_Case] = []
    options = AnalyzeOptions()
    for index, raw in enumerate(articles):
        try:
            prepared = _prepare(index, raw, settings=settings, options=options)
        except VeilleError:
            out.append(_Case(raw, None, ""))
            continue
        out.append(_Case(raw, prepared.lang, prepared.extracted.text))
    return out


def _parse_only(cases: Sequence[_Case], *, settings: Settings) -> int:
    texts: dict[str, list[str]] = {}
    for case in cases:
        if case.lang is not None:
            texts.setdefault(case.lang, []).append(case.text)
    veille_components = [name for name, _ in COMPONENTS]
    tokens = 0
    for lang, group in texts.items():
        nlp = get_nlp(lang, models=settings.models, max_length=settings.max_text_chars + 1)
        with nlp.select_pipes(disable=[c for c in veille_components if c in nlp.pipe_names]):
            if settings.n_process > 1:
                docs = nlp.pipe(group, batch_size=settings.batch_size, n_process=settings.n_process)
                tokens += sum(len(doc) for doc in docs)
                continue
            # The parser batches of the pipeline (by count and characters), so the floor is comparable.
            for start, end in parser_batches(group, settings=settings):
                tokens += sum(len(doc) for doc in nlp.pipe(group[start:end], batch_size=end - start))
    return tokens


def _pipeline(cases: Sequence[_Case], *, settings: Settings) -> int:
    sources = [case.raw for case in cases]
    return sum(isinstance(r, Failure) for r in analyze_many(sources, settings=settings))


def _timed(clock: _Clock, run: Callable[[], int]) -> int:
    wall, cpu = time.perf_counter(), time.process_time()
    value = run()
    clock.add(time.perf_counter() - wall, time.process_time() - cpu)
    return value


def run_bench(articles: list[RawDocument], *, settings: Settings, chunk_size: int = CHUNK) -> BenchResult:
    load_before = _load()
    cases = _cases(articles, settings=settings)
    # Warm-up outside the timed runs: every language through both paths (lexicons, gazetteer, lazy
    # tables), and a full batch of each through the parser (its first full-size batch is slow).
    single = settings.with_options(n_process=1)
    by_lang: dict[str, list[_Case]] = {}
    for case in cases:
        if case.lang is not None:
            by_lang.setdefault(case.lang, []).append(case)
    _pipeline([group[0] for group in by_lang.values()], settings=single)
    _parse_only([c for group in by_lang.values() for c in group[: settings.batch_size]], settings=single)

    parse, pipe = _Clock(), _Clock()
    tokens = failures = 0
    size = chunk_size if settings.n_process == 1 else max(len(cases), 1)
    for k, start in enumerate(range(0, len(cases), size)):
        chunk = cases[start : start + size]
        parse_run = partial(_parse_only, chunk, settings=settings)
        pipe_run = partial(_pipeline, chunk, settings=settings)
        # Alternate which path goes first, so that a drift in the machine's load hits both alike.
        if k % 2 == 0:
            tokens += _timed(parse, parse_run)
            failures += _timed(pipe, pipe_run)
        else:
            failures += _timed(pipe, pipe_run)
            tokens += _timed(parse, parse_run)
    return BenchResult(
        articles=len(articles),
        tokens=tokens,
        parse_only_s=parse.wall,
        pipeline_s=pipe.wall,
        parse_only_cpu_s=parse.cpu,
        pipeline_cpu_s=pipe.cpu,
        failures=failures,
        peak_rss_mb=_peak_rss_mb(),
        peak_rss_children_mb=_peak_rss_mb(resource.RUSAGE_CHILDREN),
        n_process=settings.n_process,
        models=dict(settings.models),
        load_avg=(load_before, _load()),
    )


def render_table(result: BenchResult) -> str:
    m = result.metrics()
    rows = [
        ("articles", f"{m['articles']}", ""),
        ("tokens", f"{m['tokens']}", ""),
        ("parse only", f"{m['parse_only_tok_s']:.0f} tok/s", f"{m['parse_only_articles_s']:.2f} articles/s"),
        ("full pipeline", f"{m['pipeline_tok_s']:.0f} tok/s", f"{m['pipeline_articles_s']:.2f} articles/s"),
        ("ratio", f"{m['ratio']:.3f}", "pipeline / parse-only throughput"),
        ("CPU ratio", f"{m['cpu_ratio']:.3f}", "the same on CPU time (steadier on a busy machine)"),
        (
            "per article",
            f"{m['pipeline_ms_per_article']:.1f} ms",
            f"parse only {m['parse_only_ms_per_article']:.1f} ms",
        ),
        ("peak RSS", f"{m['peak_rss_mb']:.0f} MB", "whole process"),
        ("failures", f"{m['failures']}", ""),
        ("load average", f"{m['load_avg'][0]:.2f} → {m['load_avg'][1]:.2f}", "1 minute, before → after"),
    ]
    if m["n_process"] > 1:
        rows.insert(
            -2, ("workers RSS", f"{m['peak_rss_children_mb']:.0f} MB", f"largest of {m['n_process']} workers")
        )
    return "\n".join(f"{a:14} {b:>16}  {c}" for a, b, c in rows)
