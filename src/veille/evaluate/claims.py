"""Score claims (status, source chain) on a gold JSONL file.

Schema, one article per line (veille's French fixtures ``tests/fixtures/quotes_fr/*.jsonl`` follow it)::

    {"id": str, "lang": "fr"|"en", "text": str, "published": "YYYY-MM-DD"|null,
     "claims": [{"anchor": str, "status": "reported"|"unverified"|"denied"|"confirmed",
                 "by": str|null, "chain": [str, …]}]}

``anchor`` is a verbatim piece of the text that states the claim (the reported clause); a gold
claim may give ``text`` instead, a paraphrase matched by word overlap with the predicted claim's text.
A gold claim is **recalled** when a predicted claim has an evidence span of role ``content`` or
``statement`` covering at least half of the anchor (the best-covering claim is taken), or for
``text`` golds when half of its words are in the predicted text. Among recalled claims:
``status_accuracy`` (equal status), ``by_accuracy`` (where gold ``by`` is set: same name, per the
quote scorer's name matching), ``chain_exact`` (where gold ``chain`` is set: same length and each
element the same name, in order; an empty chain means the outlet itself).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from veille.annotate.nlp import get_nlp
from veille.evaluate.quotes import load_cases, parse, plain, same_speaker
from veille.interpret.claims import build_claims
from veille.models import Claim
from veille.settings import Settings

_MATCH_ROLES = frozenset({"content", "statement"})


def _anchor_span(text: str, gold: dict[str, Any]) -> tuple[int, int] | None:
    anchor = gold.get("anchor") or ""
    at = text.find(anchor) if anchor else -1
    return (at, at + len(anchor)) if at >= 0 else None


def _coverage(claim: Claim, span: tuple[int, int]) -> float:
    covered = 0
    start, end = span
    for ev in claim.evidence:
        if ev.role in _MATCH_ROLES:
            covered = max(covered, min(end, ev.end) - max(start, ev.start))
    return covered / max(1, end - start)


def _word_share(gold_text: str, predicted: str) -> float:
    gold_words = set(re.findall(r"\w+", plain(gold_text)))
    pred_words = set(re.findall(r"\w+", plain(predicted)))
    return len(gold_words & pred_words) / max(1, len(gold_words))


def find_claim(text: str, gold: dict[str, Any], claims: Sequence[Claim]) -> Claim | None:
    span = _anchor_span(text, gold)
    scored: list[tuple[float, Claim]] = []
    for claim in claims:
        score = (
            _coverage(claim, span) if span is not None else _word_share(gold.get("text") or "", claim.text)
        )
        scored.append((score, claim))
    best = max(scored, key=lambda item: item[0], default=None)
    return best[1] if best is not None and best[0] >= 0.5 else None


def chain_equal(gold: Sequence[str], predicted: Sequence[str]) -> bool:
    return len(gold) == len(predicted) and all(
        same_speaker(p, g) for g, p in zip(gold, predicted, strict=True)
    )


def predict(cases: Sequence[dict[str, Any]], *, settings: Settings) -> list[tuple[Claim, ...]]:
    out: list[tuple[Claim, ...]] = [() for _ in cases]
    by_lang: dict[str, list[int]] = {}
    for i, case in enumerate(cases):
        by_lang.setdefault(str(case.get("lang") or "en"), []).append(i)
    for lang, indexes in by_lang.items():
        nlp = get_nlp(lang, models=settings.models, max_length=settings.max_text_chars + 1)
        for i, doc in zip(indexes, parse(nlp, [cases[i]["text"] for i in indexes]), strict=True):
            out[i] = build_claims(doc, quotes=(), actors=())
    return out


def score(cases: Sequence[dict[str, Any]], predictions: Sequence[Sequence[Claim]]) -> Counter[str]:
    c: Counter[str] = Counter()
    for case, claims in zip(cases, predictions, strict=True):
        c["predicted"] += len(claims)
        for gold in case.get("claims") or []:
            c["gold"] += 1
            found = find_claim(case["text"], gold, claims)
            if found is None:
                continue
            c["recalled"] += 1
            c[f"status_{gold['status']}_n"] += 1
            ok = found.status == gold["status"]
            c["status_ok"] += ok
            c[f"status_{gold['status']}_ok"] += ok
            if gold.get("by"):
                c["by_n"] += 1
                c["by_ok"] += same_speaker(found.by, gold["by"])
            if "chain" in gold:
                c["chain_n"] += 1
                c["chain_ok"] += chain_equal(gold["chain"], found.chain)
    return c


def _ratio(c: Counter[str], num: str, den: str) -> float:
    return round(c[num] / c[den], 4) if c[den] else 0.0


def evaluate(
    gold: Path, *, limit: int | None = None, settings: Settings | None = None
) -> tuple[str, dict[str, Any]]:
    settings = settings or Settings()
    cases = load_cases(gold, limit)
    counts = score(cases, predict(cases, settings=settings))
    metrics: dict[str, Any] = {
        "task": "claims",
        "n": len(cases),
        "gold_claims": counts["gold"],
        "predicted_claims": counts["predicted"],
        "claim_recall": _ratio(counts, "recalled", "gold"),
        "status_accuracy": _ratio(counts, "status_ok", "recalled"),
        "chain_exact": _ratio(counts, "chain_ok", "chain_n"),
        "by_accuracy": _ratio(counts, "by_ok", "by_n"),
    }
    for status in ("reported", "unverified", "denied", "confirmed"):
        if counts[f"status_{status}_n"]:
            metrics[f"status_accuracy_{status}"] = _ratio(counts, f"status_{status}_ok", f"status_{status}_n")
    rows = [f"{'metric':<28} value", *(f"{k:<28} {v}" for k, v in metrics.items() if k != "task")]
    return "\n".join(rows), metrics
