"""The readable report of one analysis (``--format text`` and ``veille demo``)."""

from __future__ import annotations

import textwrap

from veille.models import Analysis

WIDTH = 100


def _clip(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _section(title: str, rows: list[str]) -> list[str]:
    lines = ["", f"── {title} ({len(rows)})"]
    lines.extend(f"  {row}" for row in rows) if rows else lines.append("  —")
    return lines


def render_text(analysis: Analysis) -> str:
    art = analysis.article
    pub = art.published
    out: list[str] = [
        "═" * WIDTH,
        art.title or "(no title)",
        f"id {art.id} · language {art.language} · {len(art.text)} characters"
        + (f" · {art.url}" if art.url else ""),
    ]
    if pub.date:
        out.append(f"published {pub.date} (from {pub.source})")
    elif pub.candidates:
        out.append(f"published: undecided between {', '.join(pub.candidates)}")
    else:
        out.append("published: unknown")
    out.extend(f"    · {_clip(e.text, 40)!r}: {e.why}" for e in pub.evidence)

    out += _section("removed boilerplate", [f"[{r.reason}] {_clip(r.text)}" for r in art.removed])
    out += _section(
        "dates",
        [
            f"{_clip(d.text, 40)!r:44} {d.type:9} {d.value or ''}"
            + (f" [{d.range[0]} → {d.range[1]}]" if d.range else "")
            for d in analysis.dates
        ],
    )
    out += _section("entities", [f"{e.label:5} {e.text}" for e in analysis.entities])
    out += _section(
        "actors", [f"{a.code or '?':12} {a.name} ({_clip(a.text, 40)!r})" for a in analysis.actors]
    )
    out += _section(
        "places",
        [
            f"{p.name} [{p.country or '?'}] {p.kind or ''}"
            + (f" {p.lat:.2f},{p.lon:.2f}" if p.lat is not None and p.lon is not None else "")
            for p in analysis.places
        ],
    )
    out += _section(
        "events",
        [
            f"{e.cameo:5} {e.plover or '-':10} {(e.source.code or e.source.text) if e.source else '?'}"
            f" → {(e.target.code or e.target.text) if e.target else '?'}"
            f" · {e.date or 'undated'}"
            + (f" · {e.place.name}" if e.place else "")
            + (" · NEGATED" if e.negated else "")
            + (f" · {e.modality}" if e.modality != "asserted" else "")
            + f"\n      {_clip(e.evidence.text, 90)!r}"
            for e in analysis.events
        ],
    )
    out += _section(
        "quotes",
        [
            f"[{q.type}] {q.speaker.name or '?'} — {q.verb or '-'} ({q.stance})"
            + (f" via {', '.join(q.via)}" if q.via else "")
            + f"\n      « {_clip(q.quote, 88)} »"
            for q in analysis.quotes
        ],
    )
    out += _section(
        "claims",
        [
            f"{c.status.upper()}"
            + (f" by {c.by}" if c.by else "")
            + f": {_clip(c.text, 80)}"
            + (f"\n      chain: {' → '.join(c.chain)}" if c.chain else "")
            + "".join(f"\n      {ev.role}: {_clip(ev.text, 80)!r}" for ev in c.evidence)
            for c in analysis.claims
        ],
    )
    out.append("")
    out.append("── text")
    for paragraph in art.text.split("\n\n")[:3]:
        out.extend(textwrap.wrap(paragraph, WIDTH - 2, initial_indent="  ", subsequent_indent="  "))
    if art.text.count("\n\n") >= 3:
        out.append("  […]")
    return "\n".join(out)
