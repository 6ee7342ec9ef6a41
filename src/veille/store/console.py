"""Terminal rendering for the store commands: the ingest progress bar and the store summary.

Kept out of ``cli.py`` so that ``veille ingest``, ``veille demo`` and ``veille watch`` share them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from veille.store.ingest import IngestProgress, ProgressCallback
from veille.store.queries import StoreSummary


@contextmanager
def ingest_progress(*, enabled: bool = True, console: Console | None = None) -> Iterator[ProgressCallback]:
    """A progress callback drawing a rich bar (rate, ETA, counts) on stderr while the block runs."""
    if not enabled:
        yield lambda _p: None
        return
    console = console or Console(stderr=True)
    columns = (
        SpinnerColumn(),
        TextColumn("ingest"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        TextColumn("{task.fields[counts]}"),
    )
    with Progress(*columns, console=console, transient=False) as bar:
        task = bar.add_task("ingest", total=None, rate="", counts="")

        def update(p: IngestProgress) -> None:
            elapsed = bar.tasks[0].elapsed or 0.0
            rate = f"{p.done / elapsed:.1f} doc/s" if elapsed > 0 else ""
            c = p.counts
            counts = (
                f"new {c.get('new', 0)} · same {c.get('unchanged', 0)} · "
                f"upd {c.get('updated', 0)} · fail {c.get('failed', 0)}"
            )
            bar.update(task, completed=p.done, total=p.total, rate=rate, counts=counts)

        yield update


def render_summary(summary: StoreSummary, *, echo: Callable[[str], object]) -> None:
    """The store in a few lines: articles, duplicates, events by root, top actors, claims with status."""
    langs = ", ".join(f"{k} {v}" for k, v in sorted(summary.languages.items()))
    echo(f"Articles: {summary.articles} ({langs}) from {summary.outlets} outlets")
    echo(f"Near-duplicates: {summary.duplicates} copies in {summary.duplicate_groups} groups")
    roots = ", ".join(f"{root}: {n}" for root, n in summary.events_by_root.items()) or "none"
    echo(
        f"Events: {summary.events} mentions in {summary.event_clusters} linked events; by CAMEO root: {roots}"
    )
    if summary.top_actors:
        actors = ", ".join(f"{name} ({code or '?'}) ×{n}" for name, code, n in summary.top_actors)
        echo(f"Top actors: {actors}")
    if summary.claims:
        echo("Claims across the corpus:")
    for claim in summary.claims:
        flag = "  ⚠ CONTRADICTION" if claim.contradiction else ""
        echo(f"  [{claim.status}] {claim.text[:110]}{flag}")
        if len(claim.chain) > 1 or (claim.chain and claim.num_articles > 1):
            echo(f"      origin: {' → '.join(claim.chain)}")
        for status, outlets in claim.by_status.items():
            echo(f"      {status}: {', '.join(outlets)}")
        for verdict in claim.verdicts:
            where = f" (in {verdict.outlet})" if verdict.outlet else ""
            echo(f"      {verdict.status} by {verdict.by or 'an unnamed source'}{where}")
        echoed: set[str] = set()
        for item in claim.echoes:
            outlet = item.outlet or f"article {item.article_id}"
            if outlet in echoed:
                continue
            echoed.add(outlet)
            day = item.published.isoformat() if item.published else item.seen.date().isoformat()
            sentence = item.text if len(item.text) <= 90 else item.text[:89] + "…"
            echo(f"      repeated as fact by {outlet} ({day}): « {sentence} »")
        others = [o for o in claim.asserted_by if o not in echoed]
        if others:
            echo(f"      stated as fact by: {', '.join(others)}")
