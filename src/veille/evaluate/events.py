"""``veille eval events GOLD.jsonl``: CAMEO / PLOVER event coding against gold sentences.

Gold schema: ``../shared/eval/events/README.md`` — one sentence per line with ``text``, ``lang``,
``date`` (used as the publication date) and ``events`` ``[{source, target, cameo, plover}]``. Each
sentence is annotated directly with the language's pipeline and the interpret steps events need
(actors, dates, places), as :mod:`veille.evaluate.geo` does; negated events are not predictions.

Metrics, micro-averaged over sentences, each sentence compared as *sets* (an event coded twice
counts once, as in PETRARCH's per-sentence scoring):

- ``root_f1``: two-digit CAMEO roots, source and target ignored (sentences whose gold has CAMEO codes);
- ``triple_f1``: (source, target, root) with actor codes cut to their first three characters (the
  country or IGO part; a missing code is ``---``); ``triple_f1_exact`` compares whole actor codes;
- ``code_f1``: full CAMEO codes;
- ``plover_f1``: PLOVER event types (gold PLOVER, or the gold CAMEO code mapped through the table;
  gold events without a PLOVER type — CAMEO 01x/02x — are left out on both sides).

The table also lists the confusions between roots (gold root → predicted root in the same sentence).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from veille.annotate.nlp import get_nlp
from veille.errors import InputError
from veille.interpret.actors import code_actors
from veille.interpret.dates import resolve_dates
from veille.interpret.event_tables import plover_of
from veille.interpret.events import code_events
from veille.interpret.places import locate_places
from veille.interpret.quotes import extract_quotes
from veille.models import Event
from veille.settings import Settings

Item = tuple[str, ...]


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: set[Item], pred: set[Item]) -> None:
        self.tp += len(gold & pred)
        self.fp += len(pred - gold)
        self.fn += len(gold - pred)

    def f1(self) -> float:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return 2 * p * r / (p + r) if p + r else 0.0

    def pr(self) -> tuple[float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        return p, r


@dataclass
class Tally:
    n: int = 0
    cameo_sentences: int = 0
    root: Score = field(default_factory=Score)
    triple: Score = field(default_factory=Score)
    triple_exact: Score = field(default_factory=Score)
    code: Score = field(default_factory=Score)
    plover: Score = field(default_factory=Score)
    confusions: Counter[tuple[str, str]] = field(default_factory=Counter)
    plover_confusions: Counter[tuple[str, str]] = field(default_factory=Counter)


def _actor(code: str | None, exact: bool) -> str:
    if not code:
        return "---"
    return code if exact else code[:3]


def _gold_sets(events: list[dict[str, Any]]) -> dict[str, set[Item]]:
    cameo = [e for e in events if e.get("cameo")]
    out: dict[str, set[Item]] = {
        "root": {(str(e["cameo"])[:2],) for e in cameo},
        "triple": {
            (_actor(e.get("source"), False), _actor(e.get("target"), False), str(e["cameo"])[:2])
            for e in cameo
        },
        "triple_exact": {
            (_actor(e.get("source"), True), _actor(e.get("target"), True), str(e["cameo"])[:2]) for e in cameo
        },
        "code": {(str(e["cameo"]),) for e in cameo},
    }
    plovers: set[Item] = set()
    for e in events:
        plover = e.get("plover") or (plover_of(str(e["cameo"])) if e.get("cameo") else None)
        if plover:
            plovers.add((str(plover),))
    out["plover"] = plovers
    return out


def _predicted_sets(events: tuple[Event, ...]) -> dict[str, set[Item]]:
    kept = [e for e in events if not e.negated]
    return {
        "root": {(e.cameo[:2],) for e in kept},
        "triple": {
            (
                _actor(e.source.code if e.source else None, False),
                _actor(e.target.code if e.target else None, False),
                e.cameo[:2],
            )
            for e in kept
        },
        "triple_exact": {
            (
                _actor(e.source.code if e.source else None, True),
                _actor(e.target.code if e.target else None, True),
                e.cameo[:2],
            )
            for e in kept
        },
        "code": {(e.cameo,) for e in kept},
        "plover": {(p,) for e in kept for p in [plover_of(e.cameo)] if p},
    }


def score_sentence(tally: Tally, record: dict[str, Any], events: tuple[Event, ...]) -> None:
    gold_events = list(record.get("events") or [])
    gold, pred = _gold_sets(gold_events), _predicted_sets(events)
    tally.n += 1
    has_cameo = any(e.get("cameo") for e in gold_events) or not gold_events
    if has_cameo:
        tally.cameo_sentences += 1
        for name in ("root", "triple", "triple_exact", "code"):
            getattr(tally, name).add(gold[name], pred[name])
        _confuse(tally.confusions, gold["root"], pred["root"])
    tally.plover.add(gold["plover"], pred["plover"])
    _confuse(tally.plover_confusions, gold["plover"], pred["plover"])


def _confuse(counter: Counter[tuple[str, str]], gold: set[Item], pred: set[Item]) -> None:
    """Unmatched gold labels against unmatched predictions of the same sentence (-- = none)."""
    missed = sorted(g for (g,) in gold - pred)
    extra = sorted(p for (p,) in pred - gold)
    for g in missed:
        for p in extra or ["--"]:
            counter[(g, p)] += 1
    if not missed:
        for p in extra:
            counter[("--", p)] += 1


def _records(path: Path, limit: int | None) -> Iterator[dict[str, Any]]:
    if not path.is_file():
        raise InputError(f"{path}: no such gold file")
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


def _day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def code_record(record: dict[str, Any], *, settings: Settings) -> tuple[Event, ...]:
    """Annotate one gold sentence and code its events (the gold date is the publication date)."""
    lang = str(record.get("lang") or "en")
    nlp = get_nlp(lang, models=settings.models)
    doc = nlp(record["text"])
    day = _day(record.get("date"))
    actors = code_actors(doc, at=day)
    return code_events(
        doc,
        actors=actors,
        dates=resolve_dates(doc, reference=day, lang=lang),
        places=locate_places(doc, lang=lang, actors=actors),
        claims=(),
        published=day,
        quotes=extract_quotes(doc, actors=actors),
    )


def score_file(path: Path, *, limit: int | None = None, settings: Settings | None = None) -> Tally:
    settings = settings or Settings()
    tally = Tally()
    for record in _records(path, limit):
        score_sentence(tally, record, code_record(record, settings=settings))
    return tally


def metrics_of(tally: Tally) -> dict[str, Any]:
    def f(score: Score) -> float | None:
        return round(score.f1(), 4) if tally.cameo_sentences else None

    root_p, root_r = tally.root.pr()
    plover_p, plover_r = tally.plover.pr()
    return {
        "task": "events",
        "n": tally.n,
        "root_f1": f(tally.root),
        "root_precision": round(root_p, 4) if tally.cameo_sentences else None,
        "root_recall": round(root_r, 4) if tally.cameo_sentences else None,
        "triple_f1": f(tally.triple),
        "triple_f1_exact": f(tally.triple_exact),
        "code_f1": f(tally.code),
        "plover_f1": round(tally.plover.f1(), 4),
        "plover_precision": round(plover_p, 4),
        "plover_recall": round(plover_r, 4),
        "cameo_sentences": tally.cameo_sentences,
    }


def render(metrics: dict[str, Any], tally: Tally) -> str:
    rows = [
        ("root_f1", "CAMEO root (2 digits), actors ignored"),
        ("root_precision", "  precision"),
        ("root_recall", "  recall"),
        ("triple_f1", "(source, target, root), actors on 3 characters"),
        ("triple_f1_exact", "(source, target, root), exact actor codes"),
        ("code_f1", "full CAMEO code"),
        ("plover_f1", "PLOVER event type"),
        ("plover_precision", "  precision"),
        ("plover_recall", "  recall"),
    ]
    lines = [f"events: {tally.n} sentences ({tally.cameo_sentences} with CAMEO gold)", ""]
    for key, label in rows:
        value = metrics.get(key)
        lines.append(f"  {label:<48} {'-' if value is None else f'{value:.3f}'}")
    for title, counter in (("root", tally.confusions), ("PLOVER", tally.plover_confusions)):
        if counter:
            lines += ["", f"  {title} confusions (gold -> predicted; -- = none), most frequent first:"]
            lines.extend(f"    {gold} -> {pred}: {count}" for (gold, pred), count in counter.most_common(12))
    return "\n".join(lines)


def evaluate(
    gold: Path, *, limit: int | None = None, settings: Settings | None = None
) -> tuple[str, dict[str, Any]]:
    tally = score_file(gold, limit=limit, settings=settings)
    metrics = metrics_of(tally)
    return render(metrics, tally), metrics
