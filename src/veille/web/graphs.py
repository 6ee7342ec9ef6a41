"""Layouts for the server-drawn SVG figures: provenance graph, actor network, event timeline.

Positions are computed here and drawn by the templates, so the figures need no script, print
well, and are the same for every reader. Coordinates are in the SVG's own units (``viewBox``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import quote

import numpy as np

from veille.store.read_actors import Network
from veille.store.read_claims import ProvenanceGraph
from veille.store.read_event_stats import TimelinePoint, by_month

NODE_W, NODE_H, COL_GAP, ROW_GAP, MARGIN = 200, 44, 70, 18, 16
QUADS = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}


def shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class BoxNode:
    id: str
    label: str
    full: str
    kind: str
    status: str | None
    x: float
    y: float
    href: str | None
    sub: str = ""


@dataclass(frozen=True)
class Path:
    d: str
    kind: str
    title: str
    width: float = 1.5
    ends: str = ""  # "SOURCE TARGET" codes, for highlighting a node's edges


@dataclass(frozen=True)
class Figure:
    width: float
    height: float
    nodes: list[BoxNode]
    edges: list[Path]


def layout_provenance(graph: ProvenanceGraph) -> Figure:
    """Columns by layer (origin left, articles, then deniers/confirmers right), rows ordered by the
    mean row of each node's predecessors to keep edges from crossing."""
    columns: dict[int, list[str]] = defaultdict(list)
    by_id = {n.id: n for n in graph.nodes}
    for node in graph.nodes:
        columns[node.layer].append(node.id)
    preds: dict[str, list[str]] = defaultdict(list)
    for e in graph.edges:
        preds[e.target].append(e.source)
    row: dict[str, float] = {}
    for layer in sorted(columns):
        ids = columns[layer]
        ids.sort(key=lambda i: sum(row.get(p, 0) for p in preds[i]) / max(1, len(preds[i])))
        for r, node_id in enumerate(ids):
            row[node_id] = r
    tallest = max((len(ids) for ids in columns.values()), default=1)
    height = MARGIN * 2 + tallest * NODE_H + (tallest - 1) * ROW_GAP + ROW_GAP  # + a lane on top
    pos: dict[str, tuple[float, float]] = {}
    for col, layer in enumerate(sorted(columns)):
        ids = columns[layer]
        top = ROW_GAP + (height - ROW_GAP - (len(ids) * NODE_H + (len(ids) - 1) * ROW_GAP)) / 2
        for r, node_id in enumerate(ids):
            pos[node_id] = (MARGIN + col * (NODE_W + COL_GAP), top + r * (NODE_H + ROW_GAP))
    width = MARGIN * 2 + len(columns) * NODE_W + max(0, len(columns) - 1) * COL_GAP
    nodes = []
    for n in graph.nodes:
        sub = " · ".join(x for x in (n.kind, n.status, n.published.isoformat() if n.published else None) if x)
        href = f"/articles/{n.article_id}" if n.article_id is not None else None
        nodes.append(BoxNode(n.id, shorten(n.label, 28), n.label, n.kind, n.status, *pos[n.id], href, sub))
    col_of = {node_id: col for col, layer in enumerate(sorted(columns)) for node_id in columns[layer]}
    tops = [min(pos[i][1] for i in columns[layer]) for layer in sorted(columns)]
    edges = []
    for e in graph.edges:
        (sx, sy), (tx, ty) = pos[e.source], pos[e.target]
        y1, y2 = sy + NODE_H / 2, ty + NODE_H / 2
        first, last = col_of[e.source], col_of[e.target]
        if last - first > 1:
            # A long edge would run behind the boxes of the columns it skips: route it in a lane
            # above them, entering and leaving through the gaps between columns.
            lane = min(tops[first + 1 : last]) - ROW_GAP / 2 - 2
            x1, x2, g = sx + NODE_W, tx, COL_GAP
            a, b = x1 + g / 2, x2 - g / 2
            d = (
                f"M{x1:.1f},{y1:.1f} C{a:.1f},{y1:.1f} {a:.1f},{lane:.1f} {x1 + g:.1f},{lane:.1f}"
                f" L{x2 - g:.1f},{lane:.1f} C{b:.1f},{lane:.1f} {b:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"
            )
        else:
            if tx > sx:
                x1, x2 = sx + NODE_W, tx
            else:  # same column or pointing back: leave from the left side
                x1, x2 = sx, tx + NODE_W
            bend = max(30.0, abs(x2 - x1) / 2)
            sign = 1 if x2 >= x1 else -1
            c1, c2 = x1 + sign * bend, x2 - sign * bend
            d = f"M{x1:.1f},{y1:.1f} C{c1:.1f},{y1:.1f} {c2:.1f},{y2:.1f} {x2:.1f},{y2:.1f}"
        edges.append(Path(d, e.kind, f"{by_id[e.source].label} {e.kind} {by_id[e.target].label}", 2.0))
    return Figure(width, height, nodes, edges)


@dataclass(frozen=True)
class Dot:
    id: str
    label: str
    full: str
    x: float
    y: float
    r: float
    events: int
    href: str


def _force_layout(n: int, links: list[tuple[int, int, float]], *, seed: int, steps: int = 200) -> np.ndarray:
    """Fruchterman–Reingold with a pull to the centre, scaled to the unit square (deterministic)."""
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2))
    if n == 1:
        return np.array([[0.5, 0.5]])
    k = math.sqrt(1.0 / n)
    temperature = 0.1
    for _ in range(steps):
        delta = pos[:, None, :] - pos[None, :, :]
        dist = np.maximum(np.linalg.norm(delta, axis=2), 1e-3)
        disp = ((k * k / dist**2)[:, :, None] * delta).sum(axis=1)
        for a, b, w in links:
            d = pos[a] - pos[b]
            length = max(float(np.linalg.norm(d)), 1e-3)
            pull = d * length / k * w
            disp[a] -= pull
            disp[b] += pull
        # Gravity balances the repulsion (about 1/d in all) near d ≈ 0.35: loose components stay close.
        disp += (0.5 - pos) * 8.0
        length = np.maximum(np.linalg.norm(disp, axis=1), 1e-6)
        pos += disp / length[:, None] * np.minimum(length, temperature)[:, None]
        temperature = max(0.005, temperature * 0.97)
    low, high = pos.min(axis=0), pos.max(axis=0)
    scaled: np.ndarray = (pos - low) / np.maximum(high - low, 1e-6)
    return scaled


@dataclass(frozen=True)
class NetworkFigure:
    width: float
    height: float
    dots: list[Dot]
    edges: list[Path]


def layout_network(net: Network, *, width: int = 760, height: int = 520, seed: int = 11) -> NetworkFigure:
    """Actor codes as circles sized by events; directed edges as arcs, wider for more events."""
    index = {node.code: i for i, node in enumerate(net.nodes)}
    top = max((e.weight for e in net.edges), default=1)
    links = [(index[e.source], index[e.target], 0.3 + 0.7 * e.weight / top) for e in net.edges]
    pos = _force_layout(len(net.nodes), links, seed=seed) if net.nodes else np.zeros((0, 2))
    pad = 60
    most = max((node.events for node in net.nodes), default=1)
    dots = []
    for i, node in enumerate(net.nodes):
        x = pad + float(pos[i, 0]) * (width - 2 * pad)
        y = pad + float(pos[i, 1]) * (height - 2 * pad)
        r = 6 + 16 * math.sqrt(node.events / most)
        dots.append(
            Dot(
                node.code,
                shorten(node.label, 22),
                node.label,
                x,
                y,
                r,
                node.events,
                f"/actors/{quote(node.code)}",
            )
        )
    by_code = {d.id: d for d in dots}
    edges = []
    for e in net.edges:
        a, b = by_code[e.source], by_code[e.target]
        dx, dy = b.x - a.x, b.y - a.y
        length = max(math.hypot(dx, dy), 1e-6)
        ux, uy = dx / length, dy / length
        # Start and end on the circles' rims; bend to the right so A→B and B→A do not overlap.
        x1, y1 = a.x + ux * a.r, a.y + uy * a.r
        x2, y2 = b.x - ux * (b.r + 4), b.y - uy * (b.r + 4)
        cx, cy = (x1 + x2) / 2 - uy * length * 0.12, (y1 + y2) / 2 + ux * length * 0.12
        kind = "conflict" if e.conflict * 2 > e.weight else "cooperation"
        title = f"{a.full} → {b.full}: {e.weight} event{'s' if e.weight > 1 else ''}"
        edges.append(
            Path(
                f"M{x1:.1f},{y1:.1f} Q{cx:.1f},{cy:.1f} {x2:.1f},{y2:.1f}",
                kind,
                title,
                1 + 5 * e.weight / top,
                f"{e.source} {e.target}",
            )
        )
    return NetworkFigure(width, height if dots else 0, dots, edges)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    w: float
    h: float
    quad: int
    title: str
    href: str


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Timeline:
    width: float
    height: float
    bars: list[Bar]
    ticks: list[Tick]
    peak: int
    unit: str


def _month_end(day: dt.date) -> dt.date:
    nxt = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def layout_timeline(
    points: list[TimelinePoint], *, monthly: bool, query: str, width: int = 760, height: int = 170
) -> Timeline:
    """Stacked bars per day (or month) coloured by quad class; each bar links to its events.

    ``points`` may be per day in either case: per month, they are summed first (one bar per month
    and quad class, not one per day stacked in the month's slot).
    """
    if not points:
        return Timeline(width, height, [], [], 0, "month" if monthly else "day")
    if monthly:
        points = by_month(points)
    periods = sorted({p.day for p in points})
    first, last = periods[0], periods[-1]
    if monthly:
        slots = (last.year - first.year) * 12 + last.month - first.month + 1

        def slot(day: dt.date) -> int:
            return (day.year - first.year) * 12 + day.month - first.month
    else:
        slots = (last - first).days + 1

        def slot(day: dt.date) -> int:
            return (day - first).days

    totals: dict[dt.date, int] = defaultdict(int)
    for p in points:
        totals[p.day] += p.count
    peak = max(totals.values())
    top, bottom = 10, 24
    plot_h = height - top - bottom
    step = (width - 20) / max(slots, 1)
    bar_w = max(1.0, step * 0.8)
    bars: list[Bar] = []
    stacked: dict[dt.date, float] = defaultdict(float)
    for p in sorted(points, key=lambda p: (p.day, p.quad_class or 0)):
        h = plot_h * p.count / peak
        stacked[p.day] += h
        x = 10 + slot(p.day) * step + (step - bar_w) / 2
        y = top + plot_h - stacked[p.day]
        end = _month_end(p.day) if monthly else p.day
        label = p.day.strftime("%Y-%m") if monthly else p.day.isoformat()
        quad = p.quad_class or 0
        plural = "s" if p.count > 1 else ""
        title = f"{label}: {p.count} {QUADS.get(quad, 'uncoded')} event{plural} ({totals[p.day]} in all)"
        href = f"/events?{query}&date_from={p.day.isoformat()}&date_to={end.isoformat()}".replace("?&", "?")
        bars.append(Bar(x, y, bar_w, h, quad, title, href))
    ticks = []
    every = max(1, slots // 6)
    for s in range(0, slots, every):
        if monthly:
            year, month = divmod(first.month - 1 + s, 12)
            label = dt.date(first.year + year, month + 1, 1).strftime("%Y-%m")
        else:
            label = (first + dt.timedelta(days=s)).isoformat()
        ticks.append(Tick(10 + s * step + step / 2, label))
    return Timeline(width, height, bars, ticks, peak, "month" if monthly else "day")
