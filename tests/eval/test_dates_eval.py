"""Date finding and resolution on the shared gold files: floors at the figures reached (they only move up).

The headline keys (``span_f1``, ``resolution_accuracy``) are on the gold types date, daterange
and datetime (the acceptance subset); ``*_all_types`` on every type. Reproduce with
``veille eval dates ../shared/eval/dates/<file>.jsonl``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from veille.evaluate import run_evaluation
from veille.evaluate.dates import evaluate

FLOORS: dict[str, dict[str, float]] = {
    # measured: 0.976 / 0.919 / 0.951 / 0.811
    "fr.jsonl": {
        "span_f1": 0.96,
        "resolution_accuracy": 0.90,
        "span_f1_all_types": 0.94,
        "resolution_accuracy_all_types": 0.80,
    },
    # measured: 0.969 / 0.923 / 0.950 / 0.864
    "en.jsonl": {
        "span_f1": 0.95,
        "resolution_accuracy": 0.91,
        "span_f1_all_types": 0.94,
        "resolution_accuracy_all_types": 0.85,
    },
    # measured: 0.959 / 0.575 / 0.955 / 0.452 (Duckling resolves bare dates to the future)
    "fr_duckling.jsonl": {
        "span_f1": 0.95,
        "resolution_accuracy": 0.56,
        "span_f1_all_types": 0.95,
        "resolution_accuracy_all_types": 0.44,
    },
}
# The acceptance criteria of the dates issue, on the headline subset.
ACCEPTANCE: dict[str, dict[str, float]] = {
    "fr.jsonl": {"span_f1": 0.85, "resolution_accuracy": 0.80},
    "en.jsonl": {"resolution_accuracy": 0.75},
}


@pytest.fixture(scope="module", params=sorted(FLOORS))
def scored(request: pytest.FixtureRequest, shared_dir: Path) -> tuple[str, dict[str, Any]]:
    gold = shared_dir / "eval" / "dates" / request.param
    if not gold.is_file():
        pytest.skip(f"gold file {gold} is absent")
    _, metrics = evaluate(gold, limit=None)
    return request.param, metrics


@pytest.mark.eval
def test_floors(scored: tuple[str, dict[str, Any]]) -> None:
    name, metrics = scored
    for key, floor in FLOORS[name].items():
        assert metrics[key] >= floor, f"{name}: {key} = {metrics[key]} fell below {floor}"


@pytest.mark.eval
def test_acceptance(scored: tuple[str, dict[str, Any]]) -> None:
    name, metrics = scored
    for key, target in ACCEPTANCE.get(name, {}).items():
        assert metrics[key] >= target, f"{name}: {key} = {metrics[key]} misses the acceptance target {target}"


@pytest.mark.eval
def test_metrics_contract(scored: tuple[str, dict[str, Any]]) -> None:
    _, metrics = scored
    assert metrics["task"] == "dates" and metrics["n"] > 0
    for key in ("span_f1", "span_f1_exact", "resolution_accuracy", "span_f1_all_types", "per_type"):
        assert key in metrics


# ---- the scorer itself, on a tiny gold file of our own (fast, not marked eval) ----


def _case(text: str, reference: str, expected: list[dict[str, Any]]) -> str:
    return json.dumps({"id": text, "lang": "fr", "text": text, "reference": reference, "expected": expected})


def test_scorer_counts_spans_and_values(tmp_path: Path) -> None:
    text = "Le conseil s'est réuni hier et le 3 mai."
    hier, mai = text.index("hier"), text.index("3 mai")
    expected = [
        {"start": hier, "end": hier + 4, "text": "hier", "type": "date", "values": [{"value": "2026-03-10"}]},
        {
            "start": mai,
            "end": mai + 5,
            "text": "3 mai",
            "type": "date",
            "values": [{"value": "2025-05-03"}, {"value": "2026-05-03"}],
        },
    ]
    gold = tmp_path / "gold.jsonl"
    ref = "2026-03-11T00:00:00"
    lines = [_case(text, ref, expected), _case("Rien à signaler.", ref, [])]
    gold.write_text("\n".join(lines), encoding="utf-8")
    table, metrics = run_evaluation("dates", gold)
    assert metrics["n"] == 2 and metrics["span_f1"] == 1.0 and metrics["span_f1_exact"] == 1.0
    assert metrics["resolution_accuracy"] == 1.0
    assert "span F1" in table


def test_scorer_counts_wrong_values(tmp_path: Path) -> None:
    text = "La réunion a eu lieu hier."
    start = text.index("hier")
    gold = tmp_path / "gold.jsonl"
    expected = [
        {
            "start": start,
            "end": start + 4,
            "text": "hier",
            "type": "date",
            "values": [{"value": "1999-01-01"}],
        }
    ]
    gold.write_text(_case(text, "2026-03-11T00:00:00", expected), encoding="utf-8")
    _, metrics = evaluate(gold, limit=None)
    assert metrics["span_f1"] == 1.0 and metrics["resolution_accuracy"] == 0.0
