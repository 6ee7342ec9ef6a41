"""Read-side queries on places: the places articles mention, with how often and in how many articles.

Places are grouped by name, country and coordinates (one geocoded place, however it was written);
ungeocoded mentions are kept with null coordinates so that a reader still sees them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, func, or_, select

from veille.store.read_common import Page, capped_count, country_codes, like_escape
from veille.store.records import PlaceRow


@dataclass(frozen=True, kw_only=True)
class PlaceStat:
    name: str
    country: str | None
    lat: float | None
    lon: float | None
    kind: str | None
    geonameid: int | None
    mentions: int
    articles: int


def list_places(
    conn: Connection,
    *,
    country: str | None = None,
    q: str | None = None,
    article_id: int | None = None,
    limit: int = 100,
    offset: int = 0,
) -> Page[PlaceStat]:
    """Places by number of mentions (most first)."""
    mentions = func.count().label("mentions")
    articles = func.count(func.distinct(PlaceRow.article_id)).label("articles")
    kind = func.max(PlaceRow.kind).label("kind")
    geonameid = func.max(PlaceRow.geonameid).label("geonameid")
    query = select(
        PlaceRow.name, PlaceRow.country, PlaceRow.lat, PlaceRow.lon, kind, geonameid, mentions, articles
    )
    if country:
        alpha2, _ = country_codes(country)
        query = query.where(PlaceRow.country == (alpha2 or country.strip().upper()))
    if q and q.strip():
        pattern = f"%{like_escape(q.strip().lower())}%"
        query = query.where(
            or_(
                func.lower(PlaceRow.name).like(pattern, escape="\\"),
                func.lower(PlaceRow.text).like(pattern, escape="\\"),
            )
        )
    if article_id is not None:
        query = query.where(PlaceRow.article_id == article_id)
    query = query.group_by(PlaceRow.name, PlaceRow.country, PlaceRow.lat, PlaceRow.lon)
    total, exact = capped_count(conn, query)
    rows = conn.execute(query.order_by(mentions.desc(), PlaceRow.name).limit(limit).offset(offset))
    items = [
        PlaceStat(
            name=r.name,
            country=r.country,
            lat=r.lat,
            lon=r.lon,
            kind=r.kind,
            geonameid=r.geonameid,
            mentions=int(r.mentions),
            articles=int(r.articles),
        )
        for r in rows
    ]
    return Page(items, total, exact, limit, offset)
