"""Burst alerts: many events of a watched CAMEO root / PLOVER type in one country, in a short time.

For each ``burst`` rule, the events first seen within the last ``burst_hours`` (articles stored in
that time, about days within it) that match one of the rule's types are grouped by country (the
event's place, else its source or target actor's country code) and counted as distinct events
(the linker's event clusters, so ten articles on one bombing are one event). A group reaching
``burst_events`` events from at least ``burst_sources`` outlets, with at least one event from the
detection window, raises one alert; the same rule and country stay quiet for ``burst_hours`` after.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from functools import cache
from typing import Any

import pycountry
from sqlalchemy import Connection, select

from veille.store.records import EventRow
from veille.store.schema import ArticleRow
from veille.store.watch_tables import Alert
from veille.watch.claim_alerts import NewAlert
from veille.watch.watchlist import Rule, Watchlist

_MAX_EVIDENCE = 5


@cache
def _alpha2(code: str) -> str | None:
    if len(code) == 2:
        return code.upper()
    country = pycountry.countries.get(alpha_3=code.upper()) if len(code) == 3 else None
    return country.alpha_2 if country is not None else None


def event_country(row: Any) -> str | None:
    """ISO 3166 alpha-2 of where the event happened, else of its source or target actor."""
    if row.place_country:
        return _alpha2(str(row.place_country))
    for code in (row.source_code, row.target_code):
        if code and len(code) >= 3:
            country = _alpha2(code[:3])
            if country is not None:
                return country
    return None


def event_type(rule: Rule, row: Any) -> str | None:
    """The rule's type the event falls under (a CAMEO prefix, or a PLOVER type), if any."""
    for prefix in rule.cameo:
        if row.cameo and row.cameo.startswith(prefix):
            return prefix
    if row.plover and row.plover.upper() in rule.plover:
        return str(row.plover).upper()
    return None


def _recent(conn: Connection, since: dt.datetime) -> list[Any]:
    query = (
        select(
            EventRow.id,
            EventRow.article_id,
            EventRow.cameo,
            EventRow.plover,
            EventRow.place_country,
            EventRow.source_code,
            EventRow.target_code,
            EventRow.cluster_id,
            EventRow.day,
            EventRow.evidence_start,
            EventRow.evidence_end,
            EventRow.evidence_text,
            ArticleRow.outlet,
        )
        .join(ArticleRow, ArticleRow.id == EventRow.article_id)
        .where(
            ArticleRow.created_at >= since,
            EventRow.negated.is_(False),
            EventRow.modality.in_(("asserted", "reported")),
        )
        .order_by(EventRow.id)
    )
    return list(conn.execute(query))


def _quiet(conn: Connection, rule: Rule, since: dt.datetime) -> set[str]:
    """Countries this rule already raised a burst for within its window."""
    rows = conn.execute(
        select(Alert.details).where(Alert.kind == "burst", Alert.rule == rule.name, Alert.at >= since)
    )
    return {str(d.get("country")) for (d,) in rows if isinstance(d, dict)}


def burst_alerts(
    conn: Connection, watchlist: Watchlist, window: Collection[int], *, now: dt.datetime
) -> list[NewAlert]:
    rules = watchlist.for_kind("burst")
    if not rules or not window:
        return []
    longest = max(r.burst_hours for r in rules)
    events = _recent(conn, now - dt.timedelta(hours=longest))
    alerts: list[NewAlert] = []
    for rule in rules:
        since = now - dt.timedelta(hours=rule.burst_hours)
        earliest_day = since.date() - dt.timedelta(days=1)  # dates are days: be lenient by one
        groups: dict[tuple[str, str], list[Any]] = defaultdict(list)
        for row in events:
            if row.day is not None and row.day < earliest_day:
                continue  # an old event reported now is not part of a burst
            kind = event_type(rule, row)
            country = event_country(row)
            if kind is None or country is None or (rule.countries and country not in rule.countries):
                continue
            groups[(kind, country)].append(row)
        quiet = _quiet(conn, rule, since)
        for (kind, country), rows in sorted(groups.items()):
            distinct = {r.cluster_id or -r.id for r in rows}
            outlets = {r.outlet or f"article:{r.article_id}" for r in rows}
            if len(distinct) < rule.burst_events or len(outlets) < rule.burst_sources:
                continue
            if country in quiet or not any(r.article_id in window for r in rows):
                continue
            quiet.add(country)
            latest = rows[-1]
            alerts.append(
                NewAlert(
                    kind="burst",
                    rule=rule.name,
                    anchor=f"{kind}|{country}|{rows[0].id}",
                    claim_id=None,
                    article_id=latest.article_id,
                    summary=(
                        f"{len(distinct)} events of type {kind} in {country} within {rule.burst_hours} h "
                        f"({len(outlets)} outlets)"
                    ),
                    evidence=[
                        {
                            "article_id": r.article_id,
                            "start": r.evidence_start,
                            "end": r.evidence_end,
                            "text": r.evidence_text,
                            "role": "event",
                        }
                        for r in rows[-_MAX_EVIDENCE:]
                    ],
                    details={
                        "type": kind,
                        "country": country,
                        "events": len(distinct),
                        "outlets": sorted(outlets),
                        "hours": rule.burst_hours,
                    },
                )
            )
    return alerts
