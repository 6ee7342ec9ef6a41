"""``veille eval geo GOLD.jsonl``: toponym recognition and geocoding against gold coordinates.

Gold schema: ``../shared/eval/geo/README.md`` (one document per line with ``text`` and
``toponyms`` ``{start, end, text, lat, lon, country, …}``; GeoWebNews also lists
``non_toponyms``). The gold offsets refer to the raw text, so the texts are annotated directly with
the language's pipeline (``get_nlp``), not through the cleaner, which could move them.

Metrics (micro over all documents):

- ``toponym_f1`` (``_precision``, ``_recall``): exact spans. Adjectival gold spans ("Turkish",
  "Russian"; GWN's ``Non_Literal_Modifier``) are optional: veille does not tag demonyms as places,
  so missing one is no error and predicting one is no error either. ``toponym_f1_all_gold``
  counts them as required; ``toponym_f1_overlap`` accepts any overlap. A prediction matching no
  gold span is a false positive (GWN's ``non_toponyms`` spans included).
- ``country_accuracy``, ``acc_161km``, ``mean_km``, ``median_km``, ``auc``: geocoding of the gold
  toponyms veille recognised (span overlap), as in Gritta et al.; ``acc_161km_all`` and
  ``country_accuracy_all`` count every required gold toponym, unrecognised ones as wrong.

``python -m veille.evaluate.geo PATH...`` scores several files (or every ``*.jsonl`` of a folder)
one by one and combined.
"""

from __future__ import annotations

import json
import math
import statistics
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from veille.annotate.nlp import get_nlp
from veille.annotate.place_lexicon import lexicon
from veille.errors import InputError
from veille.interpret.places import locate_places
from veille.models import Place
from veille.settings import Settings

_MAX_KM = 20_039.0  # half the Earth's circumference: the error of a missing point


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p = math.pi / 180
    a = (
        math.sin((lat2 - lat1) * p / 2) ** 2
        + math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lon2 - lon1) * p / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tp_all: int = 0
    fp_all: int = 0
    fn_all: int = 0
    tp_overlap: int = 0
    fp_overlap: int = 0
    fn_overlap: int = 0
    errors_km: list[float] = field(default_factory=list)
    gold_points: int = 0
    country_right: int = 0
    country_seen: int = 0
    gold_countries: int = 0
    docs: int = 0

    def add(self, other: Tally) -> None:
        for name, value in vars(other).items():
            if isinstance(value, list):
                getattr(self, name).extend(value)
            else:
                setattr(self, name, getattr(self, name) + value)


def _f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _adjectival(toponym: dict[str, Any]) -> bool:
    if toponym.get("type") == "Non_Literal_Modifier":
        return True
    return lexicon("en").demonym_country(toponym["text"])[0]


def score_document(record: dict[str, Any], places: tuple[Place, ...]) -> Tally:
    t = Tally(docs=1)
    gold = record.get("toponyms", [])
    required = [g for g in gold if not _adjectival(g)]
    optional = [g for g in gold if _adjectival(g)]
    predicted = {(p.start, p.end): p for p in places}
    gold_spans = {(g["start"], g["end"]) for g in gold}
    optional_spans = {(g["start"], g["end"]) for g in optional}
    t.tp = sum(1 for g in required if (g["start"], g["end"]) in predicted)
    t.fn = len(required) - t.tp
    t.fp = sum(1 for span in predicted if span not in gold_spans and span not in optional_spans)
    t.tp_all = sum(1 for g in gold if (g["start"], g["end"]) in predicted)
    t.fn_all = len(gold) - t.tp_all
    t.fp_all = sum(1 for span in predicted if span not in gold_spans)

    def overlapping(start: int, end: int) -> Place | None:
        exact = predicted.get((start, end))
        if exact is not None:
            return exact
        return next((p for p in places if p.start < end and start < p.end), None)

    t.tp_overlap = sum(1 for g in required if overlapping(g["start"], g["end"]) is not None)
    t.fn_overlap = len(required) - t.tp_overlap
    t.fp_overlap = sum(1 for p in places if not any(p.start < g["end"] and g["start"] < p.end for g in gold))
    for g in required:
        place = overlapping(g["start"], g["end"])
        if g.get("lat") is not None:
            t.gold_points += 1
            if place is not None and place.lat is not None and place.lon is not None:
                t.errors_km.append(great_circle_km(g["lat"], g["lon"], place.lat, place.lon))
            elif place is not None:
                t.errors_km.append(_MAX_KM)
        if g.get("country"):
            t.gold_countries += 1
            if place is not None:
                t.country_seen += 1
                t.country_right += int(place.country == g["country"])
    return t


def metrics_of(t: Tally) -> dict[str, Any]:
    p, r, f = _f1(t.tp, t.fp, t.fn)
    _, _, f_all = _f1(t.tp_all, t.fp_all, t.fn_all)
    _, _, f_overlap = _f1(t.tp_overlap, t.fp_overlap, t.fn_overlap)
    errors = t.errors_km
    within = sum(1 for e in errors if e <= 161)
    # AUC of the log error curve (Gritta et al.): mean of ln(1 + error) / ln(max error); lower is better.
    auc = statistics.fmean(math.log1p(e) / math.log1p(_MAX_KM) for e in errors) if errors else None
    return {
        "n": t.docs,
        "toponym_precision": round(p, 4),
        "toponym_recall": round(r, 4),
        "toponym_f1": round(f, 4),
        "toponym_f1_all_gold": round(f_all, 4),
        "toponym_f1_overlap": round(f_overlap, 4),
        "country_accuracy": round(t.country_right / t.country_seen, 4) if t.country_seen else None,
        "country_accuracy_all": round(t.country_right / t.gold_countries, 4) if t.gold_countries else None,
        "acc_161km": round(within / len(errors), 4) if errors else None,
        "acc_161km_all": round(within / t.gold_points, 4) if t.gold_points else None,
        "mean_km": round(statistics.fmean(errors), 1) if errors else None,
        "median_km": round(statistics.median(errors), 1) if errors else None,
        "auc": round(auc, 4) if auc is not None else None,
        "geocoded": len(errors),
    }


def _gold_files(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(path.glob("*.jsonl"))
        if not files:
            raise InputError(f"{path}: no .jsonl gold file in this folder")
        return files
    if not path.is_file():
        raise InputError(f"{path}: no such gold file")
    return [path]


def _records(path: Path, limit: int | None) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if limit is not None and number > limit:
                return
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{number}: not a JSON line ({exc.msg})") from exc
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                raise InputError(f"{path}:{number}: a gold record needs a 'text' string")
            yield record


def score_file(path: Path, *, limit: int | None = None, settings: Settings | None = None) -> Tally:
    settings = settings or Settings()
    total = Tally()
    records = list(_records(path, limit))
    by_lang: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        by_lang.setdefault(str(record.get("lang") or "en"), []).append(record)
    for lang, items in by_lang.items():
        nlp = get_nlp(lang, models=settings.models)
        for record, doc in zip(items, nlp.pipe(r["text"] for r in items), strict=True):
            total.add(score_document(record, locate_places(doc, lang=lang)))
    return total


_ROWS = (
    ("toponym_f1", "toponym F1 (exact; adjectival gold optional)"),
    ("toponym_precision", "  precision"),
    ("toponym_recall", "  recall"),
    ("toponym_f1_all_gold", "toponym F1 (every gold span required)"),
    ("toponym_f1_overlap", "toponym F1 (any overlap)"),
    ("country_accuracy", "country accuracy (recognised toponyms)"),
    ("country_accuracy_all", "country accuracy (all gold toponyms)"),
    ("acc_161km", "accuracy @161 km (recognised toponyms)"),
    ("acc_161km_all", "accuracy @161 km (all gold toponyms)"),
    ("mean_km", "mean error (km)"),
    ("median_km", "median error (km)"),
    ("auc", "AUC of log error (lower is better)"),
    ("geocoded", "toponyms geocoded"),
)


def render(results: dict[str, dict[str, Any]]) -> str:
    names = list(results)
    width = max(12, *(len(n) for n in names))
    lines = [f"{'metric':42} " + " ".join(f"{n:>{width}}" for n in names)]
    for key, label in (("n", "documents"), *_ROWS):
        cells = []
        for name in names:
            value = results[name].get(key)
            cells.append(f"{'-' if value is None else value:>{width}}")
        lines.append(f"{label:42} " + " ".join(cells))
    return "\n".join(lines)


def evaluate(
    gold: Path, *, limit: int | None = None, settings: Settings | None = None
) -> tuple[str, dict[str, Any]]:
    """Score one gold file (or every ``*.jsonl`` of a folder): a table and the metrics."""
    files = _gold_files(gold)
    combined = Tally()
    results: dict[str, dict[str, Any]] = {}
    for path in files:
        tally = score_file(path, limit=limit, settings=settings)
        combined.add(tally)
        results[path.stem] = metrics_of(tally)
    metrics = metrics_of(combined)
    if len(files) > 1:
        results["combined"] = metrics
    return render(results), {"task": "geo", **metrics}


def main(argv: list[str] | None = None) -> None:
    paths = [Path(a) for a in (argv if argv is not None else sys.argv[1:])]
    if not paths:
        raise SystemExit("usage: python -m veille.evaluate.geo GOLD.jsonl|FOLDER ...")
    files = [f for p in paths for f in _gold_files(p)]
    combined = Tally()
    results: dict[str, dict[str, Any]] = {}
    for path in files:
        tally = score_file(path)
        combined.add(tally)
        results[path.stem] = metrics_of(tally)
    results["combined"] = metrics_of(combined)
    print(render(results))
    print(json.dumps({"task": "geo", **results["combined"]}))


if __name__ == "__main__":
    main()
