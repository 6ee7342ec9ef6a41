"""``veille batch``: the analysis as an Apache Spark job."""

from __future__ import annotations

from typing import Annotated

import typer

from veille.cli.common import app, fail, guarded
from veille.settings import Settings


@app.command()
def batch(
    inputs: Annotated[
        list[str], typer.Argument(help="corpus .jsonl(.gz) files, .warc(.gz) files, or folders")
    ],
    output: Annotated[str, typer.Argument(help="output folder (Parquet tables, GDELT TSV)")],
    master: Annotated[
        str, typer.Option(help="Spark master: local[*], local[N], spark://host:7077, yarn…")
    ] = ("local[*]"),
    partitions: Annotated[
        int | None,
        typer.Option(
            help="analysis partitions, of equal shares (default: from the input size, then smaller ones)"
        ),
    ] = None,
    lang: Annotated[str, typer.Option(help="auto, fr or en")] = "auto",
    max_chars: Annotated[
        int | None, typer.Option(help="refuse articles longer than this after cleaning (errors table)")
    ] = None,
    conf: Annotated[list[str] | None, typer.Option(help="extra Spark setting KEY=VALUE (repeatable)")] = None,
    overwrite: Annotated[bool, typer.Option(help="replace a non-empty output folder")] = False,
) -> None:
    """The same analysis as an Apache Spark job: Parquet tables by publication day, GDELT TSV."""
    from veille.batch.inputs import discover
    from veille.batch.options import JobOptions, check_output
    from veille.batch.runner import run_batch
    from veille.pipeline import AnalyzeOptions

    if lang not in {"auto", "fr", "en"}:
        raise fail(f"--lang must be auto, fr or en, got {lang!r}")
    if partitions is not None and partitions < 1:
        raise fail("--partitions must be at least 1")
    if max_chars is not None and max_chars < 1:
        raise fail("--max-chars must be at least 1")
    extra: dict[str, str] = {}
    for item in conf or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise fail(f"--conf expects KEY=VALUE, got {item!r}")
        extra[key.strip()] = value
    settings = Settings.from_env()
    if max_chars is not None:
        settings = settings.with_options(max_text_chars=max_chars)

    def run() -> None:
        discover(inputs)  # bad inputs and outputs fail here, before Spark starts
        check_output(output, overwrite=overwrite)
        summary = run_batch(
            inputs,
            output,
            master=master,
            conf=extra,
            settings=settings,
            options=AnalyzeOptions(lang=lang),
            job=JobOptions(partitions=partitions, overwrite=overwrite),
        )
        typer.echo(summary.line())
        if summary.counts.get("articles", 0) == 0:
            raise typer.Exit(2)  # nothing could be analysed at all (see the errors table)

    guarded(run)
