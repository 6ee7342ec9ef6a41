"""evaluate: one scorer per task, reading gold JSONL and calling the pipeline (never inside it)."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from veille.errors import InputError
from veille.settings import Settings

# task name → module defining
# ``evaluate(gold: Path, *, limit: int | None, settings: Settings | None) -> tuple[str, dict]``
# (``settings`` carries the models to use, e.g. ``--model fr_core_news_sm``).
TASKS: dict[str, str] = {
    "dates": "veille.evaluate.dates",
    "events": "veille.evaluate.events",
    "geo": "veille.evaluate.geo",
    "quotes": "veille.evaluate.quotes",
    "claims": "veille.evaluate.claims",
}


def run_evaluation(
    task: str, gold: Path, *, limit: int | None = None, settings: Settings | None = None
) -> tuple[str, dict[str, Any]]:
    """Score ``task`` on ``gold``: a readable table and the metrics dict (last line of the CLI)."""
    module_name = TASKS.get(task)
    if module_name is None:
        known = ", ".join(sorted(TASKS))
        raise InputError(f"unknown evaluation task {task!r} (available: {known})")
    module = importlib.import_module(module_name)
    table, metrics = module.evaluate(gold, limit=limit, settings=settings)
    return str(table), dict(metrics)
