"""Layouts of the SVG figures: provenance columns, network inside the canvas, timeline bars, map view."""

from __future__ import annotations

import datetime as dt

from veille.store.read_actors import Network, NetworkEdge, NetworkNode
from veille.store.read_claims import ClaimMention, provenance_graph
from veille.store.read_event_stats import TimelinePoint
from veille.web.graphs import NODE_W, layout_network, layout_provenance, layout_timeline
from veille.web.worldmap import land_cells, map_view, project


def _mention(article: int, outlet: str, chain: list[str], status: str, by: str | None = None) -> ClaimMention:
    return ClaimMention(
        claim_id=article * 10,
        article_id=article,
        article_title=None,
        outlet=outlet,
        published=dt.date(2020, 2, article),
        text="claim",
        status=status,
        origin=chain[0] if chain else None,
        chain=chain,
        by=by,
    )


def test_provenance_graph_and_columns() -> None:
    graph = provenance_graph(
        [
            _mention(1, "Site A", ["Telegram", "certains médias", "Avia.pro"], "denied", by="Ministère"),
            _mention(2, "Site B", ["Telegram"], "reported"),
            _mention(3, "Avia.pro", ["Telegram", "Avia.pro"], "reported"),  # the outlet ends its own chain
        ],
        asserted_by=["Site C"],
    )
    nodes = {n.id: n for n in graph.nodes}
    assert nodes["s:telegram"].layer == 0 and nodes["s:avia.pro"].layer == 2
    assert nodes["a:1"].layer == nodes["a:2"].layer == 3
    assert nodes["s:ministere"].kind == "denier" and nodes["s:ministere"].layer == 4
    assert nodes["o:site c"].kind == "asserter"
    edges = {(e.source, e.target, e.kind) for e in graph.edges}
    assert ("s:telegram", "s:certains medias", "relays") in edges
    assert ("s:telegram", "a:3", "publishes") in edges
    assert ("s:ministere", "a:1", "denies") in edges
    figure = layout_provenance(graph)
    xs = {n.id: n.x for n in figure.nodes}
    assert xs["s:telegram"] < xs["s:certains medias"] < xs["s:avia.pro"] < xs["a:1"] < xs["s:ministere"]
    assert all(n.x >= 0 and n.x + NODE_W <= figure.width and 0 <= n.y < figure.height for n in figure.nodes)
    long_edge = next(p for p in figure.edges if p.title.startswith("Telegram publishes Site B"))
    assert " L" in long_edge.d  # routed in a lane above the skipped columns


def test_network_fits_the_canvas_and_is_deterministic() -> None:
    codes = ["USA", "RUS", "BLR", "FRA", "DEU"]
    net = Network(
        [NetworkNode(c, c, 3) for c in codes],
        [NetworkEdge("USA", "RUS", 3, 3), NetworkEdge("RUS", "BLR", 1, 0), NetworkEdge("FRA", "DEU", 2, 0)],
    )
    first, again = layout_network(net), layout_network(net)
    assert first == again
    for dot in first.dots:
        assert dot.r <= dot.x <= first.width - dot.r and dot.r <= dot.y <= first.height - dot.r
    assert {e.kind for e in first.edges} == {"conflict", "cooperation"}
    assert layout_network(Network([], [])).dots == []


def test_timeline_bars_stack_and_link() -> None:
    points = [
        TimelinePoint(dt.date(2020, 2, 1), 1, 2),
        TimelinePoint(dt.date(2020, 2, 1), 4, 1),
        TimelinePoint(dt.date(2020, 2, 3), 3, 3),
    ]
    tl = layout_timeline(points, monthly=False, query="root=04")
    assert tl.peak == 3 and len(tl.bars) == 3
    first_day = [b for b in tl.bars if "2020-02-01" in b.title]
    assert abs(sum(b.h for b in first_day) - tl.bars[-1].h) < 1e-6  # 3 events each day: same height
    assert tl.bars[0].href == "/events?root=04&date_from=2020-02-01&date_to=2020-02-01"
    month = layout_timeline(points, monthly=True, query="")
    assert month.bars[0].href == "/events?date_from=2020-02-01&date_to=2020-02-29"
    # Days are summed into their month: one bar per quad class, the month's total as the peak.
    bars = [(b.quad, b.title.split(":")[0]) for b in month.bars]
    assert bars == [(1, "2020-02"), (3, "2020-02"), (4, "2020-02")]
    assert month.peak == 6 and abs(sum(b.h for b in month.bars) - (month.height - 34)) < 1e-6


def test_map_view_frames_the_points() -> None:
    view = map_view([(53.9, 27.57, 5, "Minsk", None), (55.75, 37.62, 1, "Moscou", "/events?country=RU")])
    for pin in view.pins:
        assert view.x <= pin.x <= view.x + view.w and view.y <= pin.y <= view.y + view.h
    assert abs(view.w / view.h - 2) < 1e-9
    assert map_view([]).w == 360
    assert project(0, 0) == (180, 90)
    # Inhabited land around Paris and none in the middle of the Pacific.
    assert (int(2.35 + 180), int(90 - 48.85)) in land_cells()
    assert ((-150 + 180), (90 - 0)) not in land_cells()
