"""Score date finding and resolution on a gold JSONL file (``shared/eval/dates/README.md`` schema).

Scoring follows the README's "Recommended scoring": span P/R/F1 with exact and overlap matching
(one-to-one, greedy by largest overlap), and resolution accuracy (a gold result is right when its
overlap-matched prediction has a value equal to one of the gold values), over all resolvable
gold results and over matched pairs only. Ranges are scored strictly; a lenient figure also
accepts a range ending one day before the gold end (inclusive vs exclusive ends).

The headline keys ``span_f1`` (overlap matching) and ``resolution_accuracy`` are computed on the
gold types the acceptance criteria name (date, daterange, datetime); ``*_all_types`` keys give the
same figures over every type. Each case runs through the full spaCy pipeline of its language with
its reference moment (date and time).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from veille.annotate.nlp import get_nlp
from veille.errors import InputError
from veille.interpret.dates import resolve_dates
from veille.models import DateMention
from veille.settings import Settings

HEADLINE_TYPES = frozenset({"date", "daterange", "datetime"})
TYPES = ("date", "daterange", "datetime", "datetimerange", "time", "timerange", "duration", "set")
_UNRESOLVED = "not resolved"


def _load(gold: Path, limit: int | None) -> list[dict[str, Any]]:
    try:
        lines = gold.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read gold file: {exc.strerror or exc}", source=str(gold)) from exc
    cases = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            case = json.loads(line)
            case["text"], case["expected"], case["reference"]
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise InputError(f"line {number} is not a dates gold case", source=str(gold)) from exc
        cases.append(case)
        if limit is not None and len(cases) >= limit:
            break
    return cases


def _norm(value: Any) -> str | None:
    return None if value is None else str(value).replace(" ", "T")


def _resolvable(gold: dict[str, Any]) -> bool:
    if gold["type"] in {"duration", "set"}:
        return bool(gold.get("timex"))
    return any(
        any(v.get(k) not in (None, _UNRESOLVED) for k in ("value", "start", "end"))
        for v in gold.get("values") or []
    )


def _day_before(value: str | None) -> str | None:
    if value is None or len(value) != 10:
        return None
    try:
        return (dt.date.fromisoformat(value) - dt.timedelta(days=1)).isoformat()
    except ValueError:
        return None


def _correct(gold: dict[str, Any], pred: DateMention, *, lenient: bool = False) -> bool:
    if gold["type"] == "duration":
        return pred.value is not None and pred.value == gold.get("timex")
    if gold["type"] == "set":
        return pred.timex is not None and pred.timex == gold.get("timex")
    pred_range = (_norm(pred.range[0]), _norm(pred.range[1])) if pred.range else None
    for value in gold.get("values") or []:
        point = value.get("value")
        if point not in (None, _UNRESOLVED) and "start" not in value and "end" not in value:
            if _norm(point) == _norm(pred.value):
                return True
            continue
        start, end = _norm(value.get("start")), _norm(value.get("end"))
        if start is not None and end is not None:
            if pred_range == (start, end) or (lenient and pred_range == (start, _day_before(end))):
                return True
        elif start is not None or end is not None:
            bound = start if start is not None else end
            if bound in {_norm(pred.value), *(pred_range or ())}:
                return True
    return False


def _match(golds: Sequence[dict[str, Any]], preds: Sequence[DateMention], *, exact: bool) -> dict[int, int]:
    """One-to-one gold→prediction matching, greedy by largest overlap (or exact equal spans)."""
    pairs = []
    for gi, gold in enumerate(golds):
        for pi, pred in enumerate(preds):
            if exact:
                if (gold["start"], gold["end"]) == (pred.start, pred.end):
                    pairs.append((1, gi, pi))
            else:
                overlap = min(gold["end"], pred.end) - max(gold["start"], pred.start)
                if overlap > 0:
                    pairs.append((overlap, gi, pi))
    pairs.sort(key=lambda item: -item[0])
    used_g: dict[int, int] = {}
    used_p: set[int] = set()
    for _, gi, pi in pairs:
        if gi not in used_g and pi not in used_p:
            used_g[gi] = pi
            used_p.add(pi)
    return used_g


class _Tally:
    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def f1(self, prefix: str) -> tuple[float, float, float]:
        tp, fp, fn = (self.counts[f"{prefix}_{k}"] for k in ("tp", "fp", "fn"))
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def ratio(self, num: str, den: str) -> float:
        return self.counts[num] / self.counts[den] if self.counts[den] else 0.0


def _in(kind: str, kept: frozenset[str] | None) -> bool:
    return kept is None or kind in kept


def _score_case(
    tally: _Tally,
    per_type: dict[str, Counter[str]],
    golds: list[dict[str, Any]],
    preds: Sequence[DateMention],
) -> None:
    c = tally.counts
    for exact in (True, False):
        matched = _match(golds, preds, exact=exact)
        tag = "exact" if exact else "overlap"
        matched_preds = set(matched.values())
        for scope in ("all", "head"):
            kept = None if scope == "all" else HEADLINE_TYPES
            c[f"{scope}_{tag}_tp"] += sum(1 for gi in matched if _in(golds[gi]["type"], kept))
            c[f"{scope}_{tag}_fn"] += sum(
                1 for gi, g in enumerate(golds) if gi not in matched and _in(g["type"], kept)
            )
            # A prediction outside the subset's types is not a false positive of the subset.
            c[f"{scope}_{tag}_fp"] += sum(
                1 for pi, p in enumerate(preds) if pi not in matched_preds and _in(p.type, kept)
            )
        if exact:
            continue
        for gi, gold in enumerate(golds):
            scopes = ("all", "head") if gold["type"] in HEADLINE_TYPES else ("all",)
            stats = per_type[gold["type"]]
            stats["gold"] += 1
            pred = preds[matched[gi]] if gi in matched else None
            stats["found"] += pred is not None
            if pred is not None and pred.type == gold["type"]:
                c["type_agree"] += 1
            c["type_pairs"] += pred is not None
            if not _resolvable(gold):
                continue
            ok = pred is not None and _correct(gold, pred)
            lenient = pred is not None and _correct(gold, pred, lenient=True)
            stats["resolvable"] += 1
            stats["resolved"] += ok
            for scope in scopes:
                c[f"{scope}_res_n"] += 1
                c[f"{scope}_res_ok"] += ok
                c[f"{scope}_res_lenient"] += lenient
                c[f"{scope}_res_matched_n"] += pred is not None
                c[f"{scope}_res_matched_ok"] += ok


def _predict(
    cases: list[dict[str, Any]], *, settings: Settings
) -> Iterable[tuple[dict[str, Any], tuple[DateMention, ...]]]:
    by_lang: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for case in cases:
        by_lang[case.get("lang") or "en"].append(case)
    for lang, group in by_lang.items():
        nlp = get_nlp(lang, models=settings.models)
        for case, doc in zip(group, nlp.pipe(c["text"] for c in group), strict=True):
            reference = dt.datetime.fromisoformat(case["reference"]) if case.get("reference") else None
            yield case, resolve_dates(doc, reference=reference, lang=lang)


def evaluate(
    gold: Path, *, limit: int | None = None, settings: Settings | None = None
) -> tuple[str, dict[str, Any]]:
    cases = _load(gold, limit)
    tally = _Tally()
    per_type: dict[str, Counter[str]] = defaultdict(Counter)
    for case, preds in _predict(cases, settings=settings or Settings()):
        _score_case(tally, per_type, case["expected"], preds)
    metrics: dict[str, Any] = {"task": "dates", "n": len(cases), "gold_file": gold.name}
    for scope, suffix in (("head", ""), ("all", "_all_types")):
        for tag, name in (("overlap", "span"), ("exact", "span_exact")):
            p, r, f = tally.f1(f"{scope}_{tag}")
            key = "span_f1" if tag == "overlap" else "span_f1_exact"
            metrics[f"{key}{suffix}"] = round(f, 4)
            metrics[f"{name}_precision{suffix}"] = round(p, 4)
            metrics[f"{name}_recall{suffix}"] = round(r, 4)
        metrics[f"resolution_accuracy{suffix}"] = round(tally.ratio(f"{scope}_res_ok", f"{scope}_res_n"), 4)
        metrics[f"resolution_accuracy_lenient{suffix}"] = round(
            tally.ratio(f"{scope}_res_lenient", f"{scope}_res_n"), 4
        )
        metrics[f"resolution_accuracy_matched{suffix}"] = round(
            tally.ratio(f"{scope}_res_matched_ok", f"{scope}_res_matched_n"), 4
        )
        metrics[f"resolvable_gold{suffix}"] = tally.counts[f"{scope}_res_n"]
    metrics["type_accuracy_matched"] = round(tally.ratio("type_agree", "type_pairs"), 4)
    metrics["per_type"] = {
        t: {
            "gold": s["gold"],
            "span_recall": round(s["found"] / s["gold"], 4) if s["gold"] else 0.0,
            "resolvable": s["resolvable"],
            "resolution_accuracy": round(s["resolved"] / s["resolvable"], 4) if s["resolvable"] else 0.0,
        }
        for t in TYPES
        if (s := per_type.get(t)) is not None
    }
    return _table(metrics), metrics


def _table(m: dict[str, Any]) -> str:
    lines = [
        f"dates evaluation: {m['gold_file']} ({m['n']} cases)",
        "headline figures ('subset') on gold types date/daterange/datetime, the acceptance subset;",
        "'all types' = the same figures over every gold type",
        f"{'metric':<34}{'subset':>10}{'all types':>12}",
    ]
    for label, key in (
        ("span F1, overlap (span_f1)", "span_f1"),
        ("span precision, overlap", "span_precision"),
        ("span recall, overlap", "span_recall"),
        ("span F1, exact", "span_f1_exact"),
        ("resolution accuracy (all gold)", "resolution_accuracy"),
        ("resolution accuracy, lenient ends", "resolution_accuracy_lenient"),
        ("resolution accuracy (matched only)", "resolution_accuracy_matched"),
    ):
        lines.append(f"{label:<34}{m[key]:>10.3f}{m[key + '_all_types']:>12.3f}")
    lines.append(f"{'type agreement (matched pairs)':<34}{'':>10}{m['type_accuracy_matched']:>12.3f}")
    lines.append("")
    lines.append(f"{'gold type':<16}{'gold':>6}{'span recall':>13}{'resolvable':>12}{'resolution acc':>16}")
    for name, s in m["per_type"].items():
        lines.append(
            f"{name:<16}{s['gold']:>6}{s['span_recall']:>13.3f}{s['resolvable']:>12}{s['resolution_accuracy']:>16.3f}"
        )
    lines.append(
        "ranges are scored strictly; 'lenient ends' also accepts a range ending one day before the gold end"
    )
    return "\n".join(lines)
