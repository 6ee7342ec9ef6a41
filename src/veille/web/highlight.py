"""An article's text with every fact highlighted, and the fact records the reader opens by clicking.

Facts overlap freely (a date inside a quote inside a claim), so the text is cut at every fact
boundary into segments; each segment carries the classes and references of all the facts covering
it. Every piece of article text goes through :func:`markupsafe.escape`; class names come from fixed
vocabularies, never from the data, so an article cannot inject markup.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

from veille.store.read_articles import ArticleDetail, ClaimItem, QuoteItem, Span
from veille.store.read_events import EventItem

# Claim evidence roles that are highlighted ("statement" spans the whole sentence: listed only).
CLAIM_ROLES = ("content", "origin", "relay", "denial", "confirmation", "doubt", "support")
STATUSES = ("reported", "unverified", "denied", "confirmed", "contested")
SPEAKER_COLOURS = 8
LAYERS = ("event", "quote", "claim", "date", "place", "actor")


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    ref: str
    classes: tuple[str, ...]


@dataclass(frozen=True)
class Fact:
    """One record as the details panel shows it (plain strings: rendered with textContent)."""

    ref: str
    kind: str
    title: str
    fields: list[tuple[str, str]]
    evidence: str
    link: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "title": self.title,
            "fields": [list(f) for f in self.fields],
            "evidence": self.evidence,
            "link": self.link,
        }


def _clip(text: str, start: int | None, end: int | None) -> tuple[int, int] | None:
    if start is None or end is None:
        return None
    start, end = max(0, start), min(len(text), end)
    return (start, end) if start < end else None


def _fields(*pairs: tuple[str, Any]) -> list[tuple[str, str]]:
    return [(label, str(value)) for label, value in pairs if value not in (None, "", [], ())]


def speaker_index(quotes: Iterable[QuoteItem]) -> dict[str, int]:
    """A colour number per speaker, in order of first quote (same speaker, same colour)."""
    index: dict[str, int] = {}
    for q in quotes:
        key = q.speaker_name or q.speaker_mention or "?"
        if key not in index:
            index[key] = len(index) % SPEAKER_COLOURS
    return index


def _event_fact(e: EventItem) -> Fact:
    who = f"{e.source_text or '—'} → {e.target_text or '—'}"
    return Fact(
        f"e{e.id}",
        "Event",
        f"{e.cameo} {who}",
        _fields(
            ("CAMEO", e.cameo),
            ("PLOVER", e.plover),
            ("source", f"{e.source_text} ({e.source_code})" if e.source_text else None),
            ("target", f"{e.target_text} ({e.target_code})" if e.target_text else None),
            ("date", e.date or (e.day.isoformat() if e.day else None)),
            ("place", e.place_name),
            ("modality", e.modality),
            ("negated", "yes" if e.negated else None),
            ("confidence", f"{e.confidence:.2f}"),
        ),
        e.evidence_text,
        f"/events?root={e.root_code}" if e.root_code else None,
    )


def _quote_fact(q: QuoteItem) -> Fact:
    return Fact(
        f"q{q.id}",
        "Quote",
        f"{q.speaker_name or q.speaker_mention or 'unknown speaker'}",
        _fields(
            ("speaker", q.speaker_name),
            ("as written", q.speaker_mention),
            ("code", q.speaker_code),
            ("verb", q.verb),
            ("stance", q.stance),
            ("type", q.type),
            ("via", ", ".join(q.via)),
        ),
        q.quote,
        f"/actors/{q.speaker_code}" if q.speaker_code and q.speaker_code.isalnum() else None,
    )


def _claim_fact(c: ClaimItem) -> Fact:
    evidence = "\n".join(f"[{ev.role}] {ev.text}" for ev in c.evidence)
    return Fact(
        f"c{c.id}",
        "Claim",
        c.text,
        _fields(
            ("status here", c.status),
            ("by", c.by),
            ("origin", c.origin),
            ("chain", " → ".join(c.chain)),
            ("across articles", c.cluster_status),
            ("articles", c.cluster_articles),
        ),
        evidence,
        f"/claims/{c.cluster_id}" if c.cluster_id is not None else None,
    )


def _span_fact(kind: str, ref: str, s: Span) -> Fact:
    d = s.data
    if kind == "Date":
        fields = _fields(
            ("type", d.get("type")),
            ("value", d.get("value")),
            ("from", d.get("range_start")),
            ("to", d.get("range_end")),
        )
        link = None
    elif kind == "Place":
        coords = (
            f"{d['lat']:.2f}, {d['lon']:.2f}"
            if d.get("lat") is not None and d.get("lon") is not None
            else None
        )
        fields = _fields(
            ("name", d.get("name")),
            ("country", d.get("country")),
            ("kind", d.get("kind")),
            ("lat, lon", coords),
        )
        link = f"/places?q={quote(str(d['name']))}" if d.get("name") else None
    else:
        fields = _fields(
            ("name", d.get("name")),
            ("code", d.get("code")),
            ("country", d.get("country")),
            ("role", d.get("role")),
        )
        code = d.get("code")
        link = f"/actors/{code}" if isinstance(code, str) and code.isalnum() else None
    return Fact(ref, kind, str(d.get("name") or s.text), fields, s.text, link)


def article_facts(article: ArticleDetail) -> tuple[list[Mark], dict[str, Fact]]:
    """The highlight marks of an article and its fact records, keyed by reference."""
    text = article.text
    marks: list[Mark] = []
    facts: dict[str, Fact] = {}

    def add(span: tuple[int, int] | None, ref: str, *classes: str) -> None:
        if span is not None:
            marks.append(Mark(span[0], span[1], ref, classes))

    for e in article.events:
        fact = facts[f"e{e.id}"] = _event_fact(e)
        extra = ("neg",) if e.negated else ()
        add(_clip(text, e.evidence_start, e.evidence_end), fact.ref, "hl-event", *extra)
    speakers = speaker_index(article.quotes)
    for q in article.quotes:
        fact = facts[f"q{q.id}"] = _quote_fact(q)
        colour = f"spk-{speakers[q.speaker_name or q.speaker_mention or '?']}"
        add(_clip(text, q.start, q.end), fact.ref, "hl-quote", colour)
        add(_clip(text, q.speaker_start, q.speaker_end), fact.ref, "hl-speaker", colour)
    for c in article.claims:
        fact = facts[f"c{c.id}"] = _claim_fact(c)
        status = c.status if c.status in STATUSES else "reported"
        for ev in c.evidence:
            if ev.role in CLAIM_ROLES:
                add(_clip(text, ev.start, ev.end), fact.ref, "hl-claim", f"role-{ev.role}", f"st-{status}")
    for kind, prefix, layer, spans in (
        ("Date", "d", "hl-date", article.dates),
        ("Place", "p", "hl-place", article.places),
        ("Actor", "a", "hl-actor", article.actors),
    ):
        for s in spans:
            fact = facts[f"{prefix}{s.id}"] = _span_fact(kind, f"{prefix}{s.id}", s)
            add(_clip(text, s.start, s.end), fact.ref, layer)
    return marks, facts


_DECISIVE = frozenset({"role-denial", "role-confirmation"})


def _pointed_at(mark: Mark) -> tuple[int, int]:
    return (0 if _DECISIVE & set(mark.classes) else 1, mark.end - mark.start)


def render(text: str, marks: list[Mark]) -> Markup:
    """``text`` as escaped HTML with a ``<span class="hl …" data-refs="…">`` per covered segment.

    An empty ``<span id="m-<ref>">`` before the first segment of each fact lets lists link to it.
    """
    bounds = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    starts: dict[int, list[Mark]] = {}
    for m in marks:
        starts.setdefault(m.start, []).append(m)
    active: list[Mark] = []
    anchored: set[str] = set()
    out: list[str] = []
    for left, right in pairwise(bounds):
        active = [m for m in active if m.end > left] + starts.get(left, [])
        piece = str(escape(text[left:right]))
        if not active:
            out.append(piece)
            continue
        classes = sorted({c for m in active for c in m.classes})
        # The reader pointed at the most specific fact: denials and confirmations first, then the
        # shortest span (a quote before the long claim it sits in).
        refs = list(dict.fromkeys(m.ref for m in sorted(active, key=_pointed_at)))
        new = [r for r in refs if r not in anchored]
        anchored.update(new)
        out.extend(f'<span class="anchor" id="m-{escape(r)}"></span>' for r in new)
        out.append(
            f'<span class="hl {escape(" ".join(classes))}" data-refs="{escape(" ".join(refs))}"'
            f' tabindex="0">{piece}</span>'
        )
    return Markup("".join(out))
