"""Commands over the store: ``ingest`` and ``export``."""

from __future__ import annotations

import sys
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from veille.cli.common import DbOption, app, fail, guarded
from veille.settings import Settings


@app.command()
def ingest(
    inputs: Annotated[
        list[str],
        typer.Argument(
            help="files, folders, .warc(.gz), corpus .jsonl(.gz), RSS/Atom files or URLs, URL lists"
        ),
    ],
    db: DbOption = None,
    lang: Annotated[str, typer.Option(help="auto, fr or en")] = "auto",
    refresh: Annotated[bool, typer.Option(help="fetch again URLs the store already has")] = False,
    fetch_links: Annotated[
        bool, typer.Option(help="read feed items with only a teaser from their link")
    ] = True,
    progress: Annotated[bool, typer.Option(help="show the progress bar")] = True,
    allow_private_network: Annotated[
        bool, typer.Option(help="let URLs reach loopback/private addresses (tests, intranets)")
    ] = False,
) -> None:
    """Add articles to the store (idempotent: unchanged content is skipped, changed content replaced)."""
    from veille.pipeline import AnalyzeOptions
    from veille.store import Store
    from veille.store.console import ingest_progress
    from veille.store.ingest import ingest as run_ingest

    if lang not in {"auto", "fr", "en"}:
        raise fail(f"--lang must be auto, fr or en, got {lang!r}")
    settings = Settings.from_env()
    if allow_private_network:
        settings = settings.with_options(fetch=replace(settings.fetch, allow_private_network=True))

    def run() -> None:
        store = Store.open(db or settings.db_url, dedup_threshold=settings.dedup_threshold)
        with store, ingest_progress(enabled=progress and sys.stderr.isatty()) as callback:
            report = run_ingest(
                inputs,
                store=store,
                settings=settings,
                options=AnalyzeOptions(lang=lang),
                progress=callback,
                refresh=refresh,
                fetch_links=fetch_links,
            )
        for failure in report.failures[:20]:
            typer.echo(f"veille: skipped {failure.source}: {failure.reason}", err=True)
        if len(report.failures) > 20:
            typer.echo(f"veille: … and {len(report.failures) - 20} more (table ingest_failures)", err=True)
        typer.echo(report.summary_line())
        if report.counts["failed"] and report.done == report.counts["failed"]:
            raise typer.Exit(2)  # nothing could be ingested at all

    guarded(run)


class ExportFormat(StrEnum):
    gdelt_events = "gdelt-events"
    gdelt_mentions = "gdelt-mentions"
    plover = "plover"
    jsonl = "jsonl"
    parquet = "parquet"


@app.command()
def export(
    output_format: Annotated[ExportFormat, typer.Option("--format", help="what to write")],
    output: Annotated[Path, typer.Option("-o", "--output", help="file to write (a folder for parquet)")],
    db: DbOption = None,
) -> None:
    """Write the store out: GDELT 2.0 Events/Mentions TSV, PLOVER JSON, JSONL of analyses, Parquet."""
    from veille.store import Store
    from veille.store.export import export as run_export

    settings = Settings.from_env()

    def run() -> None:
        with Store.open(db or settings.db_url) as store:
            count = run_export(store, output_format.value, output)
        typer.echo(f"wrote {count} rows to {output}")

    guarded(run)
