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


def run_demo(*, echo: Callable[[str], None], settings: Settings | None = None) -> list[Analysis]:
    """Analyse every showcase page and print its readable report."""
    results: list[Analysis] = []
    for page, result in zip(
        showcase_pages(), analyze_many(map(str, showcase_pages()), settings=settings), strict=True
    ):
        echo(f"\n▶ {page.name}")
        if isinstance(result, Failure):
            echo(f"  failed: {result.error}")
            continue
        echo(render_text(result))
        results.append(result)
    return results
