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


ModelOption = Annotated[
    list[str] | None,
    typer.Option(
        "--model",
        help="spaCy model to use instead of the default of its language, told by its name's prefix "
        "(fr_core_news_sm replaces the French model); repeatable",
    ),
]
NProcessOption = Annotated[
    int, typer.Option("--n-process", help="worker processes (each loads its own models)")
]


def with_models(settings: Settings, models: list[str] | None) -> Settings:
    """``settings`` with the ``--model`` choices (an unknown prefix is a usage error)."""
    if not models:
        return settings
    try:
        return settings.with_models(models)
    except VeilleError as exc:
        raise fail(f"--model: {exc}") from None


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


DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", help="database URL: sqlite:///PATH (default: in the user data folder) or postgresql://…"
    ),
]


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
        int | None, typer.Option(help="analysis partitions (default: from the input size)")
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


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="address to listen on (loopback by default)")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    read_only: Annotated[bool, typer.Option(help="refuse writes (POST /api/analyze?store=true)")] = False,
    api_token_env: Annotated[
        str | None,
        typer.Option(help="name of the environment variable holding the API token that writes require"),
    ] = None,
    max_body: Annotated[int, typer.Option(help="largest request body in bytes (413 beyond)")] = 2_097_152,
    workers: Annotated[
        int, typer.Option(help="server processes (each with its own connections and answer cache)")
    ] = 1,
    cache: Annotated[
        bool, typer.Option(help="keep repeated read answers in memory until the store changes")
    ] = True,
) -> None:
    """REST API under /api (OpenAPI at /openapi.json) and the web UI at /."""
    import os

    import uvicorn

    from veille.api.app import LOOPBACK_HOSTS, create_app

    if not 0 < port < 65536:
        raise fail(f"--port must be between 1 and 65535, got {port}")
    if max_body < 1:
        raise fail("--max-body must be at least 1")
    if not 1 <= workers <= 32:
        raise fail(f"--workers must be between 1 and 32, got {workers}")
    token = None
    if api_token_env:
        token = os.environ.get(api_token_env, "").strip()
        if not token:
            raise fail(f"--api-token-env: the environment variable {api_token_env} is unset or empty")
    settings = Settings.from_env()
    # On loopback, accept only loopback Host headers: a web page cannot reach the API by DNS rebinding.
    loopback = host in LOOPBACK_HOSTS or host.startswith("127.")
    allowed = [*LOOPBACK_HOSTS, host] if loopback else None

    def run() -> None:
        if workers > 1:
            _serve_workers(
                workers,
                host=host,
                port=port,
                options={
                    "db_url": db or settings.db_url,
                    "read_only": read_only,
                    "api_token_env": api_token_env,
                    "max_body_bytes": max_body,
                    "allowed_hosts": allowed,
                    "response_cache": cache,
                },
            )
            return
        application = create_app(
            db_url=db or settings.db_url,
            read_only=read_only,
            api_token=token,
            settings=settings,
            max_body_bytes=max_body,
            allowed_hosts=allowed,
            response_cache=cache,
        )
        mode = " (read-only)" if read_only else ""
        typer.echo(f"veille: serving http://{host}:{port}/ — API under /api{mode}")
        uvicorn.run(
            application, host=host, port=port, log_level="warning", access_log=False, server_header=False
        )

    guarded(run)


def _serve_workers(workers: int, *, host: str, port: int, options: dict[str, object]) -> None:
    """``workers`` processes of the app (``veille.api.app.app_from_env``) behind one socket."""
    import os

    import uvicorn

    from veille.api.app import SERVE_ENV
    from veille.store import Store

    Store.open(str(options["db_url"])).close()  # migrate once, and fail here with one line
    os.environ[SERVE_ENV] = json.dumps(options)
    mode = " (read-only)" if options["read_only"] else ""
    typer.echo(f"veille: serving http://{host}:{port}/ — API under /api{mode}, {workers} workers")
    uvicorn.run(
        "veille.api.app:app_from_env",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        server_header=False,
    )


@app.command()
def watch(
    sources: Annotated[
        list[str], typer.Argument(help="RSS/Atom feeds, sitemaps or URL lists: http(s) URLs or local files")
    ],
    db: DbOption = None,
    every: Annotated[str, typer.Option(help="heartbeat: 15m, 1h, 90s…")] = "15m",
    cycles: Annotated[
        int | None, typer.Option(help="stop after N cycles (default: until SIGTERM/SIGINT)")
    ] = None,
    alerts: Annotated[
        list[str] | None,
        typer.Option(help="where alerts go: a JSON-lines file, - for stdout (default), or a webhook URL"),
    ] = None,
    watchlist: Annotated[Path | None, typer.Option(help="YAML rules: what to alert on (see README)")] = None,
    allow_private_network: Annotated[
        bool, typer.Option(help="let URLs reach loopback/private addresses (tests, intranets)")
    ] = False,
) -> None:
    """Keep sources under watch: each cycle ingests what is new, re-links, and writes alerts."""
    from veille.watch import DEFAULT_WATCHLIST, WatchOptions, load_watchlist, parse_every, run_watch

    if cycles is not None and cycles < 1:
        raise fail("--cycles must be at least 1")
    settings = Settings.from_env()
    if allow_private_network:
        settings = settings.with_options(fetch=replace(settings.fetch, allow_private_network=True))

    def run() -> None:
        options = WatchOptions(every=parse_every(every))
        rules = load_watchlist(watchlist) if watchlist is not None else DEFAULT_WATCHLIST
        run_watch(
            sources,
            db_url=db or settings.db_url,
            settings=settings,
            options=options,
            watchlist=rules,
            alerts=alerts or ["-"],
            cycles=cycles,
            # Alerts may be on stdout (JSON lines): problems and the per-cycle summary go to stderr.
            on_cycle=lambda report: typer.echo("\n".join(report.lines()), err=True),
        )

    guarded(run)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except BrokenPipeError:  # `veille analyze … | head`
        sys.stderr.close()


if __name__ == "__main__":
    main()
