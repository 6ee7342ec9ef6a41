"""Commands that analyse articles without a store: ``analyze``, ``eval``, ``bench``, ``demo``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from veille.cli.common import (
    ModelOption,
    NProcessOption,
    OutputFormat,
    app,
    fail,
    guarded,
    parse_day,
    with_models,
)
from veille.settings import Settings


@app.command()
def analyze(
    sources: Annotated[list[str], typer.Argument(help="files (HTML or text), - for stdin, or http(s) URLs")],
    published: Annotated[
        str | None, typer.Option(help="publication date YYYY-MM-DD (overrides metadata and text)")
    ] = None,
    lang: Annotated[str, typer.Option(help="auto, fr or en")] = "auto",
    output: Annotated[OutputFormat, typer.Option("--format", help="json, jsonl or text")] = OutputFormat.json,
    allow_private_network: Annotated[
        bool, typer.Option(help="let URLs reach loopback/private addresses (tests, intranets)")
    ] = False,
    model: ModelOption = None,
    n_process: NProcessOption = 1,
) -> None:
    """Analyse pages and print their analysis (JSON contract, JSON lines, or a readable report)."""
    from veille.models import Analysis, Failure
    from veille.pipeline import AnalyzeOptions, analyze_many
    from veille.report import render_text

    if lang not in {"auto", "fr", "en"}:
        raise fail(f"--lang must be auto, fr or en, got {lang!r}")
    if n_process < 1:
        raise fail("--n-process must be at least 1")
    options = AnalyzeOptions(published=parse_day(published, option="--published"), lang=lang)
    settings = with_models(Settings.from_env(), model).with_options(n_process=n_process)
    if allow_private_network:
        settings = settings.with_options(fetch=replace(settings.fetch, allow_private_network=True))
    if output is OutputFormat.json and len(sources) > 1:
        raise fail("--format json takes one source; use --format jsonl for several")

    def results() -> Iterator[Analysis | Failure]:
        return analyze_many(sources, settings=settings, options=options)

    def run() -> None:
        failed = False
        for result in results():
            if isinstance(result, Failure):
                failed = True
                if output is OutputFormat.jsonl:
                    typer.echo(json.dumps(result.model_dump(mode="json"), ensure_ascii=False))
                else:
                    typer.echo(f"veille: {result.source}: {result.error}", err=True)
                continue
            if output is OutputFormat.text:
                typer.echo(render_text(result))
            elif output is OutputFormat.jsonl:
                typer.echo(json.dumps(result.to_json_dict(), ensure_ascii=False))
            else:
                typer.echo(json.dumps(result.to_json_dict(), ensure_ascii=False, indent=2))
        if failed:
            raise typer.Exit(2)

    guarded(run)


@app.command()
def demo(
    db: Annotated[str | None, typer.Option(help="where to store the sample corpus")] = None,
) -> None:
    """Analyse the showcase pages, then ingest the sample corpus into SQLite and summarise it."""
    from veille.demo import run_demo

    guarded(lambda: run_demo(echo=typer.echo, settings=Settings.from_env(), db_url=db))


@app.command(name="eval")
def evaluate(
    task: Annotated[str, typer.Argument(help="dates, quotes, claims, events or geo")],
    gold: Annotated[Path, typer.Argument(help="gold JSONL file")],
    limit: Annotated[int | None, typer.Option(help="score only the first N cases")] = None,
    model: ModelOption = None,
) -> None:
    """Score veille on a gold file: a table, then one JSON line of metrics."""
    from veille.evaluate import run_evaluation

    if not gold.is_file():
        raise fail(f"{gold}: no such gold file")
    settings = with_models(Settings.from_env(), model)

    def run() -> None:
        table, metrics = run_evaluation(task, gold, limit=limit, settings=settings)
        typer.echo(table)
        typer.echo(json.dumps(metrics, ensure_ascii=False))

    guarded(run)


@app.command()
def bench(
    corpus: Annotated[
        list[Path] | None,
        typer.Option(help="corpus .jsonl(.gz) file(s); default: the embedded sample corpus"),
    ] = None,
    n: Annotated[int, typer.Option(help="number of articles (taken in turn from each corpus)")] = 200,
    model: ModelOption = None,
    n_process: NProcessOption = 1,
) -> None:
    """Full-pipeline throughput against spaCy parsing alone on the same articles, and peak memory."""
    from veille.demo import sample_corpus
    from veille.evaluate.bench import load_articles, render_table, run_bench

    if n < 1:
        raise fail("--n must be at least 1")
    if n_process < 1:
        raise fail("--n-process must be at least 1")
    settings = with_models(Settings.from_env(), model).with_options(n_process=n_process)
    paths = corpus or [sample_corpus()]
    for path in paths:
        if not path.is_file():
            raise fail(f"{path}: no such corpus file")

    def run() -> None:
        articles = load_articles(paths, n=n, settings=settings)
        if not articles:
            raise fail("no readable article in the corpus")
        result = run_bench(articles, settings=settings)
        typer.echo(render_table(result))
        typer.echo(json.dumps(result.metrics()))

    guarded(run)
