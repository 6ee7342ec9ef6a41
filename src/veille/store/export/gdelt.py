"""GDELT 2.0 exports: Events (61 tab-separated columns, one row per linked event) and Mentions (16).

Column order comes from ``data/store/gdelt2_*_columns.tsv``; the files have no header row, like
GDELT's, so ``pandas.read_csv(path, sep="\\t", header=None, names=columns)`` reads them. Values
follow GDELT's formats: dates YYYYMMDD, DATEADDED YYYYMMDDHHMMSS (UTC), CAMEO codes with their
leading zeros, FIPS country codes in the *Geo_* columns. What veille does not compute (tone,
actor locations, ADM2 codes) is left empty rather than invented.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any, TextIO

from sqlalchemy import Connection, func, inspect, select
from sqlalchemy.orm import Session, aliased

from veille.resources import load_tsv
from veille.store.export.gdelt_rows import event_values, line, mention_values
from veille.store.records import EventRow, PlaceRow
from veille.store.schema import ArticleRow, EventCluster, Mention


@cache
def event_columns() -> tuple[str, ...]:
    return tuple(row["name"] for row in load_tsv("store/gdelt2_events_columns.tsv"))


@cache
def mention_columns() -> tuple[str, ...]:
    return tuple(row["name"] for row in load_tsv("store/gdelt2_mentions_columns.tsv"))


def _values(obj: Any) -> dict[str, Any]:
    """An ORM row as the mapping of column values that the row builders read."""
    return {attr.key: getattr(obj, attr.key) for attr in inspect(obj).mapper.column_attrs}


def _first_places() -> Any:
    """Per article and place name, the (kind, admin1) of its first place record (by position).

    Joined once to the events, rather than one query per event: the Spark job takes the same
    record (``veille.batch.gdelt``), so both exports write the same Geo columns.
    """
    rank = func.row_number().over(
        partition_by=(PlaceRow.article_id, PlaceRow.name), order_by=(PlaceRow.position, PlaceRow.id)
    )
    ranked = select(
        PlaceRow.article_id, PlaceRow.name, PlaceRow.kind, PlaceRow.admin1, rank.label("rank")
    ).subquery()
    return (
        select(ranked.c.article_id, ranked.c.name, ranked.c.kind, ranked.c.admin1)
        .where(ranked.c.rank == 1)
        .subquery()
    )


def event_rows(conn: Connection) -> Iterator[list[Any]]:
    """GDELT Events rows (lists of 61 values), one per event cluster, by GLOBALEVENTID."""
    first = aliased(EventRow)
    place = _first_places()
    query = (
        select(EventCluster, first, ArticleRow.url, ArticleRow.source_key, place.c.kind, place.c.admin1)
        .join(first, first.id == EventCluster.first_event_id)
        .join(ArticleRow, ArticleRow.id == first.article_id)
        .outerjoin(place, (place.c.article_id == first.article_id) & (place.c.name == first.place_name))
        .order_by(EventCluster.id)
    )
    for cluster, ev, url, key, kind, admin1 in Session(bind=conn).execute(query):
        yield event_values(_values(cluster), _values(ev), place=(kind, admin1), link=url or key)


def mention_rows(conn: Connection) -> Iterator[list[Any]]:
    """GDELT Mentions rows (16 values), one per mention of a linked event in an article."""
    query = (
        select(Mention, EventCluster.first_seen, ArticleRow)
        .join(EventCluster, EventCluster.id == Mention.cluster_id)
        .join(ArticleRow, ArticleRow.id == Mention.article_id)
        .where(Mention.kind == "event")
        .order_by(Mention.cluster_id, Mention.id)
    )
    for mention, first_seen, article in Session(bind=conn).execute(query):
        seen = article.published or article.created_at
        yield mention_values(_values(mention), _values(article), first_seen=first_seen, seen=seen)


def write_events(conn: Connection, out: TextIO) -> int:
    count = 0
    width = len(event_columns())
    for row in event_rows(conn):
        assert len(row) == width, f"GDELT events row has {len(row)} columns, not {width}"
        out.write(line(row) + "\n")
        count += 1
    return count


def write_mentions(conn: Connection, out: TextIO) -> int:
    count = 0
    width = len(mention_columns())
    for row in mention_rows(conn):
        assert len(row) == width, f"GDELT mentions row has {len(row)} columns, not {width}"
        out.write(line(row) + "\n")
        count += 1
    return count
