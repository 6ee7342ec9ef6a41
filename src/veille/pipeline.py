"""The only entry the shells call: ``analyze`` one source, ``analyze_many`` a stream of them.

The flow is the design diagram: ingest (read) → extract (clean) → language → annotate (spaCy,
batched with ``nlp.pipe``) → interpret (records). No linguistic rule lives here.

With ``Settings.n_process`` > 1, whole batches (reading, cleaning, parsing and interpretation) go
to worker processes, each with its own pipelines, and come back as records in source order. Only
sources, settings and records cross process boundaries (never an ``nlp`` or a ``Doc``, whose
veille annotations spaCy's own ``nlp.pipe(n_process=…)`` could not serialise).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import threading
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass

from veille import __version__
from veille.annotate.language import SUPPORTED, detect_language
from veille.annotate.nlp import get_nlp
from veille.errors import InputError, VeilleError
from veille.extract import extract
from veille.extract.result import Extracted
from veille.ingest import read_source
from veille.ingest.raw import RawDocument
from veille.interpret.analysis import build_analysis
from veille.models import Analysis, Failure
from veille.settings import Settings

_READ_BATCHES = 4


@dataclass(frozen=True, kw_only=True)
class AnalyzeOptions:
    """Per-call choices; everything else comes from :class:`Settings`."""

    published: dt.date | None = None  # the user's publication date: overrides metadata and text
    lang: str | None = None  # None or "auto": detect


@dataclass(frozen=True)
class _Prepared:
    index: int
    source: str
    extracted: Extracted
    lang: str


def _prepare(
    index: int, source: str | RawDocument, *, settings: Settings, options: AnalyzeOptions
) -> _Prepared:
    raw = source if isinstance(source, RawDocument) else read_source(source, settings=settings)
    extracted = extract(raw, max_chars=settings.max_text_chars)
    if not extracted.text.strip():
        raise InputError("no article text found after cleaning", source=raw.source)
    if options.lang and options.lang != "auto":
        lang = options.lang
    else:
        lang = detect_language(extracted.text, hint=extracted.language_hint, languages=SUPPORTED)
    return _Prepared(index, raw.source, extracted, lang)


def _source_name(source: str | RawDocument) -> str:
    return source.source if isinstance(source, RawDocument) else source


def analyze_many(
    sources: Iterable[str | RawDocument],
    *,
    settings: Settings | None = None,
    options: AnalyzeOptions | None = None,
) -> Iterator[Analysis | Failure]:
    """Analyse sources in order, streaming: one result per source, a :class:`Failure` for bad ones.

    Sources are read and cleaned a batch at a time; each batch is grouped by language and parsed
    with ``nlp.pipe`` so that spaCy batches the work, then results are yielded in source order.
    """
    settings = settings or Settings()
    options = options or AnalyzeOptions()
    # Read several parser batches at a time: once split by language, each nlp.pipe call still gets
    # full batches (16 mixed articles would give the parser a French 11 and an English 5).
    batches = _batches(sources, settings.batch_size * _READ_BATCHES)
    if settings.n_process > 1:
        yield from _run_parallel(batches, settings=settings, options=options)
        return
    for batch in batches:
        yield from _run_batch(batch, settings=settings, options=options)


def _batches(
    sources: Iterable[str | RawDocument], size: int
) -> Iterator[list[tuple[int, str | RawDocument]]]:
    batch: list[tuple[int, str | RawDocument]] = []
    for index, source in enumerate(sources):
        batch.append((index, source))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _start_method() -> str:
    """Fork when it is safe (a single-threaded process on a platform that has it): workers then
    inherit the pipelines already loaded, as with spaCy's own ``nlp.pipe(n_process=…)``. Otherwise
    spawn: each worker imports veille, registers the components and loads its pipelines itself."""
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return "fork"
    return "spawn"


def _batch_results(
    batch: list[tuple[int, str | RawDocument]], settings: Settings, options: AnalyzeOptions
) -> list[Analysis | Failure]:
    """One batch analysed in a worker process (module level: workers import it by name)."""
    return list(_run_batch(batch, settings=settings, options=options))


def _run_parallel(
    batches: Iterator[list[tuple[int, str | RawDocument]]], *, settings: Settings, options: AnalyzeOptions
) -> Iterator[Analysis | Failure]:
    # Batches are analysed in order of submission and yielded in that order; at most two per worker
    # are in flight, so a stream of sources is never read far ahead of its consumer.
    context = multiprocessing.get_context(_start_method())
    workers = settings.n_process
    single = settings.with_options(n_process=1)  # a worker never starts workers of its own
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    pending: deque[Future[list[Analysis | Failure]]] = deque()
    try:
        for batch in batches:
            pending.append(pool.submit(_batch_results, batch, single, options))
            if len(pending) >= 2 * workers:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def parser_batches(texts: Sequence[str], *, settings: Settings) -> list[tuple[int, int]]:
    """Consecutive ``(start, end)`` groups of ``texts`` for ``nlp.pipe``: at most ``batch_size``
    texts and ``batch_chars`` characters each (a longer text goes alone)."""
    out: list[tuple[int, int]] = []
    start, chars = 0, 0
    for i, text in enumerate(texts):
        if i > start and (i - start >= settings.batch_size or chars + len(text) > settings.batch_chars):
            out.append((start, i))
            start, chars = i, 0
        chars += len(text)
    if start < len(texts):
        out.append((start, len(texts)))
    return out


def _run_batch(
    batch: list[tuple[int, str | RawDocument]], *, settings: Settings, options: AnalyzeOptions
) -> Iterator[Analysis | Failure]:
    results: dict[int, Analysis | Failure] = {}
    by_lang: dict[str, list[_Prepared]] = {}
    for index, source in batch:
        try:
            prepared = _prepare(index, source, settings=settings, options=options)
        except VeilleError as exc:
            results[index] = Failure(source=_source_name(source), error=str(exc.message))
            continue
        by_lang.setdefault(prepared.lang, []).append(prepared)
    for lang, items in by_lang.items():
        nlp = get_nlp(lang, models=settings.models, max_length=settings.max_text_chars + 1)
        # The Docs never leave this block (only records do), so the strings and lexemes spaCy adds
        # to the vocabulary for them can be freed at its end: without that, a long stream of
        # articles grows the process by every new word it ever met.
        with nlp.memory_zone():
            for start, end in parser_batches([p.extracted.text for p in items], settings=settings):
                group = items[start:end]
                docs = nlp.pipe((p.extracted.text for p in group), batch_size=len(group))
                for prepared, doc in zip(group, docs, strict=True):
                    results[prepared.index] = build_analysis(
                        doc,
                        prepared.extracted,
                        lang=lang,
                        source=prepared.source,
                        published=options.published,
                        version=__version__,
                    )
                    # The annotations hold Spans, which hold the Doc: a reference cycle that only a
                    # full garbage collection would free, with the Doc's arrays and tensor. The
                    # records are built, so drop them now and let the Doc go as soon as spaCy does.
                    doc.user_data.clear()
    for index, _ in batch:
        yield results[index]


def analyze(
    source: str | RawDocument,
    *,
    settings: Settings | None = None,
    options: AnalyzeOptions | None = None,
) -> Analysis:
    """Analyse one source; raise the :class:`VeilleError` that made it fail."""
    settings = settings or Settings()
    options = options or AnalyzeOptions()
    prepared = _prepare(0, source, settings=settings, options=options)
    nlp = get_nlp(prepared.lang, models=settings.models, max_length=settings.max_text_chars + 1)
    doc = nlp(prepared.extracted.text)
    analysis = build_analysis(
        doc,
        prepared.extracted,
        lang=prepared.lang,
        source=prepared.source,
        published=options.published,
        version=__version__,
    )
    doc.user_data.clear()  # break the Doc ↔ Span cycles (see _run_batch)
    return analysis
