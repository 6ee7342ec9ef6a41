"""The embedded showcase: pages shipped with the package, analysed by ``veille demo``.

``showcase/`` holds the seed page of the project (a plain-text scrape of a French news site, with
its boilerplate) and pages written for the demo (an HTML page with metadata, an English scrape).
Nothing here needs the network or a server.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path

from veille.models import Analysis, Failure
from veille.pipeline import analyze_many
from veille.report import render_text
from veille.settings import Settings


def showcase_pages() -> list[Path]:
    """The showcase pages, seed first."""
    folder = Path(str(resources.files("veille") / "demo" / "showcase"))
    pages = sorted(p for p in folder.iterdir() if p.suffix in {".txt", ".html"})
    return sorted(pages, key=lambda p: not p.name.startswith("seed"))


def sample_corpus() -> Path:
    """The embedded sample corpus (corpus JSON lines, written for the demo)."""
    return Path(str(resources.files("veille") / "demo" / "corpus" / "sample_articles.jsonl"))


def default_demo_db() -> str:
    """The demo database: a SQLite file in the current folder, easy to find and to delete."""
    return "sqlite:///veille-demo.sqlite"


def run_demo(
    *,
    echo: Callable[[str], None],
    settings: Settings | None = None,
    db_url: str | None = None,
    progress: bool = True,
) -> list[Analysis]:
    """Analyse the showcase pages (readable reports), then ingest the sample corpus into SQLite."""
    from veille.store.console import ingest_progress, render_summary
    from veille.store.demo import ingest_demo

    settings = settings or Settings()
    results: list[Analysis] = []
    pages = showcase_pages()
    for page, result in zip(pages, analyze_many(map(str, pages), settings=settings), strict=True):
        echo(f"\n▶ {page.name}")
        if isinstance(result, Failure):
            echo(f"  failed: {result.error}")
            continue
        echo(render_text(result))
        results.append(result)

    db_url = db_url or default_demo_db()
    echo(f"\n▶ sample corpus → {db_url}")
    with ingest_progress(enabled=progress) as on_progress:
        report, summary = ingest_demo(db_url, progress=on_progress, settings=settings)
    echo(report.summary_line())
    render_summary(summary, echo=echo)
    echo(f"\nExplore it in a browser:  veille serve --db {db_url}   (then open http://127.0.0.1:8000/)")
    return results
