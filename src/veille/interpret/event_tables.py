"""CAMEO reference tables shipped with veille: labels, Goldstein scores, quad classes, PLOVER types.

Read from ``data/events/cameo_codes.tsv`` and ``data/events/iso2_cameo.tsv`` (converted from the shared
reference by ``tools/build_event_tables.py``; see ``data/events/README.md`` for sources and licences).
A code missing from the table (a coder may produce a 4-digit leaf GDELT lacks) falls back to its
3- then 2-digit parent, the way CAMEO codes nest.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from veille.resources import load_tsv


@dataclass(frozen=True, slots=True)
class CameoInfo:
    code: str
    label: str
    goldstein: float | None
    quad_class: int
    plover: str | None
    plover_mode: str | None
    plover_context: str | None


@cache
def cameo_table() -> Mapping[str, CameoInfo]:
    table: dict[str, CameoInfo] = {}
    for row in load_tsv("events/cameo_codes.tsv"):
        code = row["code"]
        table[code] = CameoInfo(
            code=code,
            label=row["label"],
            goldstein=float(row["goldstein"]) if row["goldstein"] else None,
            quad_class=int(row["quad_class"]),
            plover=row["plover"] or None,
            plover_mode=row["plover_mode"] or None,
            plover_context=row["plover_context"] or None,
        )
    return table


def _lineage(code: str) -> list[str]:
    """``"1831"`` → ``["1831", "183", "18"]``: the code and its parents, most specific first."""
    return [code[:n] for n in range(len(code), 1, -1) if n in (2, 3, 4)]


def cameo_info(code: str) -> CameoInfo | None:
    table = cameo_table()
    for candidate in _lineage(code):
        if candidate in table:
            return table[candidate]
    return None


def is_known(code: str) -> bool:
    return code in cameo_table()


def plover_of(code: str) -> str | None:
    """PLOVER event type of a CAMEO code (None for 01x/02x statements, which PLOVER dropped)."""
    table = cameo_table()
    for candidate in _lineage(code):
        info = table.get(candidate)
        if info is not None:
            return info.plover
    return None


def goldstein_of(code: str) -> float | None:
    table = cameo_table()
    for candidate in _lineage(code):
        info = table.get(candidate)
        if info is not None and info.goldstein is not None:
            return info.goldstein
    return None


def quad_class_of(code: str) -> int | None:
    info = cameo_info(code)
    return info.quad_class if info is not None else None


@cache
def iso2_to_cameo() -> Mapping[str, str]:
    """ISO 3166-1 alpha-2 (``Place.country``) → CAMEO country code."""
    return {row["iso2"]: row["cameo"] for row in load_tsv("events/iso2_cameo.tsv")}


def country_code(iso2: str | None) -> str | None:
    if not iso2:
        return None
    return iso2_to_cameo().get(iso2.upper())
