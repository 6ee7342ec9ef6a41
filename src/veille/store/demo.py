"""The store part of ``veille demo``: ingest the embedded sample corpus and summarise the store.

``run_demo`` (in :mod:`veille.demo`) calls :func:`ingest_demo`, then prints
:func:`veille.store.console.render_summary` of the result and how to start ``veille serve``.
"""

from __future__ import annotations

from veille.demo import sample_corpus
from veille.settings import Settings
from veille.store.core import Store
from veille.store.ingest import IngestReport, ProgressCallback, ingest
from veille.store.queries import StoreSummary, summary


def ingest_demo(
    db_url: str, *, progress: ProgressCallback | None = None, settings: Settings | None = None
) -> tuple[IngestReport, StoreSummary]:
    """Ingest the sample corpus into ``db_url`` (idempotent) and return the run report and store summary."""
    settings = settings or Settings()
    with Store.open(db_url, dedup_threshold=settings.dedup_threshold) as store:
        report = ingest([str(sample_corpus())], store=store, settings=settings, progress=progress)
        with store.read() as conn:
            return report, summary(conn)
