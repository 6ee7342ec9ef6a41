"""Counts over the events of a filter: per day and quad class (the timeline), per month, per place."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from veille.store.read_events import EventFilter, conditions
from veille.store.records import EventRow


@dataclass(frozen=True)
class TimelinePoint:
    day: dt.date
    quad_class: int | None
    count: int


@dataclass(frozen=True)
class EventPlace:
    name: str
    country: str | None
    lat: float
    lon: float
    events: int


def timeline(conn: Connection, flt: EventFilter) -> list[TimelinePoint]:
    """Events per day and quad class (days without a date are left out)."""
    rows = conn.execute(
        select(EventRow.day, EventRow.quad_class, func.count())
        .where(EventRow.day.is_not(None), *conditions(flt))
        .group_by(EventRow.day, EventRow.quad_class)
        .order_by(EventRow.day)
    )
    return [TimelinePoint(day, quad, int(n)) for day, quad, n in rows if day is not None]


def by_month(points: list[TimelinePoint]) -> list[TimelinePoint]:
    """The same counts summed per month (dated the first of the month)."""
    sums: dict[tuple[dt.date, int | None], int] = defaultdict(int)
    for p in points:
        sums[(p.day.replace(day=1), p.quad_class)] += p.count
    return [TimelinePoint(day, quad, n) for (day, quad), n in sorted(sums.items(), key=lambda kv: kv[0][0])]


def event_places(conn: Connection, flt: EventFilter, *, limit: int = 500) -> list[EventPlace]:
    """Geocoded places of the matching events with their event counts, most events first."""
    count = func.count().label("n")
    rows = conn.execute(
        select(EventRow.place_name, EventRow.place_country, EventRow.place_lat, EventRow.place_lon, count)
        .where(EventRow.place_lat.is_not(None), EventRow.place_lon.is_not(None), *conditions(flt))
        .group_by(EventRow.place_name, EventRow.place_country, EventRow.place_lat, EventRow.place_lon)
        .order_by(count.desc(), EventRow.place_name)
        .limit(limit)
    )
    return [
        EventPlace(str(name or "?"), country, float(lat), float(lon), int(n))
        for name, country, lat, lon, n in rows
        if lat is not None and lon is not None
    ]
