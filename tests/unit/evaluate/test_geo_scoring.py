"""The geo scorer's arithmetic on hand-made gold records (no model involved)."""

from __future__ import annotations

from pathlib import Path

import pytest

from veille.errors import InputError
from veille.evaluate.geo import _records as read_records
from veille.evaluate.geo import great_circle_km, metrics_of, score_document
from veille.models import Place

TEXT = "Troops left Minsk for Kyiv; Turkish envoys stayed home."


def _gold() -> dict[str, object]:
    return {
        "text": TEXT,
        "toponyms": [
            {"start": 12, "end": 17, "text": "Minsk", "lat": 53.9, "lon": 27.57, "country": "BY"},
            {"start": 22, "end": 26, "text": "Kyiv", "lat": 50.45, "lon": 30.52, "country": "UA"},
            {"start": 28, "end": 35, "text": "Turkish", "lat": 39.0, "lon": 35.0, "country": "TR"},
        ],
    }


def test_exact_spans_adjectival_gold_optional_and_geocoding() -> None:
    places = (
        Place(text="Minsk", start=12, end=17, name="Minsk", country="BY", lat=53.9, lon=27.56),
        Place(text="Kyi", start=22, end=25, name="Kyiv", country="UA", lat=50.45, lon=30.52),
        Place(text="envoys", start=36, end=42, name="x", country="US", lat=0.0, lon=0.0),
    )
    m = metrics_of(score_document(_gold(), places))
    # exact: Minsk right; Kyi is a wrong span (FP and FN); envoys FP; Turkish optional.
    assert (m["toponym_precision"], m["toponym_recall"]) == (round(1 / 3, 4), 0.5)
    assert m["toponym_f1_overlap"] == pytest.approx(2 * (2 / 3) * 1 / (2 / 3 + 1), abs=1e-4)
    assert m["country_accuracy"] == 1.0 and m["acc_161km"] == 1.0 and m["geocoded"] == 2
    assert m["acc_161km_all"] == 1.0


def test_missing_toponyms_count_only_in_the_all_gold_metrics() -> None:
    m = metrics_of(score_document(_gold(), ()))
    assert m["toponym_recall"] == 0.0 and m["acc_161km"] is None and m["acc_161km_all"] == 0.0


def test_great_circle() -> None:
    assert great_circle_km(0, 0, 0, 1) == pytest.approx(111.2, abs=0.2)


def test_bad_gold_lines_are_input_errors(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text('{"text": "ok", "toponyms": []}\nnot json\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"gold.jsonl:2: not a JSON line"):
        list(read_records(path, None))
    path.write_text('{"toponyms": []}\n', encoding="utf-8")
    with pytest.raises(InputError, match="needs a 'text' string"):
        list(read_records(path, None))
