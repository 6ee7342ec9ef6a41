"""``veille watch``: keep feeds and lists under watch, with alerts."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from veille.cli.common import DbOption, app, fail, guarded
from veille.settings import Settings


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
