"""The ``veille`` command: thin typer shell over :mod:`veille.pipeline` and friends.

Errors a user can cause become one line on stderr and exit code 2 (3 for installation or store
problems); never a traceback.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from veille.errors import VeilleError
from veille.settings import Settings

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="veille: news event & claim intelligence with evidence (French-first).",
    pretty_exceptions_enable=False,
)

T = TypeVar("T")


class OutputFormat(StrEnum):
    json = "json"
    jsonl = "jsonl"
    text = "text"


def fail(message: str, *, code: int = 2) -> typer.Exit:
    typer.echo(f"veille: {message}", err=True)
    return typer.Exit(code)


def guarded(func: Callable[[], T]) -> T:
    """Run a command body, turning veille's errors into a one-line message and an exit code."""
    try:
        return func()
    except VeilleError as exc:
        raise fail(str(exc), code=exc.exit_code) from None
    except KeyboardInterrupt:
        raise fail("interrupted", code=130) from None
    except (typer.Exit, typer.Abort):
        raise
    except Exception as exc:  # a bug, not the user's fault: still one line, but say so
        raise fail(f"internal error ({type(exc).__name__}: {exc}); please report it", code=1) from None


def parse_day(value: str | None, *, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise fail(f"{option} expects YYYY-MM-DD, got {value!r}") from None


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
) -> None:
    """Analyse pages and print their analysis (JSON contract, JSON lines, or a readable report)."""
    from veille.models import Analysis, Failure
    from veille.pipeline import AnalyzeOptions, analyze_many
    from veille.report import render_text

    if lang not in {"auto", "fr", "en"}:
        raise fail(f"--lang must be auto, fr or en, got {lang!r}")
    options = AnalyzeOptions(published=parse_day(published, option="--published"), lang=lang)
    settings = Settings.from_env()
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
def demo() -> None:
    """Analyse the embedded showcase pages and print the readable report (no network, no server)."""
    from veille.demo import run_demo

    guarded(lambda: run_demo(echo=typer.echo))


@app.command(name="eval")
def evaluate(
    task: Annotated[str, typer.Argument(help="dates, quotes, claims, events or geo")],
    gold: Annotated[Path, typer.Argument(help="gold JSONL file")],
    limit: Annotated[int | None, typer.Option(help="score only the first N cases")] = None,
) -> None:
    """Score veille on a gold file: a table, then one JSON line of metrics."""
    from veille.evaluate import run_evaluation

    if not gold.is_file():
        raise fail(f"{gold}: no such gold file")

    def run() -> None:
        table, metrics = run_evaluation(task, gold, limit=limit)
        typer.echo(table)
        typer.echo(json.dumps(metrics, ensure_ascii=False))

    guarded(run)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except BrokenPipeError:  # `veille analyze … | head`
        sys.stderr.close()


if __name__ == "__main__":
    main()
