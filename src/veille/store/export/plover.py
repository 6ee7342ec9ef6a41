"""PLOVER JSON export: one record per linked event, with PLOVER's field names.

Fields follow the PLOVER data format (``id``, ``date``, ``event_type``, ``mode``, ``context``,
``actor``/``recipient`` with their countries, ``location``); veille adds the CAMEO code it coded,
modality, the evidence text and the cross-article counts. CAMEO 01x/02x events have no PLOVER
type (the PLOVER manual drops them) and are left out. The file is one JSON array, written as a
stream.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TextIO

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session, aliased

from veille.store.export.codes import plover_of, split_actor
from veille.store.records import EventRow
from veille.store.schema import ArticleRow, EventCluster


def _party(text: str | None, code: str | None) -> dict[str, Any]:
    return {"name": text, "code": code, "country": split_actor(code).country or None}


def plover_records(conn: Connection) -> Iterator[dict[str, Any]]:
    first = aliased(EventRow)
    query = (
        select(EventCluster, first, ArticleRow)
        .join(first, first.id == EventCluster.first_event_id)
        .join(ArticleRow, ArticleRow.id == first.article_id)
        .order_by(EventCluster.id)
    )
    for cluster, ev, article in Session(bind=conn).execute(query):
        event_type, mode, contexts = plover_of(cluster.event_code)
        event_type = ev.plover or event_type
        if not event_type:
            continue
        actor, recipient = _party(ev.source_text, ev.source_code), _party(ev.target_text, ev.target_code)
        location = None
        if ev.place_name:
            location = {
                "name": ev.place_name,
                "country": ev.place_country,
                "lat": ev.place_lat,
                "lon": ev.place_lon,
                "geonameid": ev.place_geonameid,
            }
        yield {
            "id": str(cluster.id),
            "date": cluster.date.isoformat() if cluster.date else ev.date,
            "event_type": event_type,
            "mode": mode,
            "context": contexts,
            "actor": actor["name"],
            "actor_code": actor["code"],
            "actor_country": actor["country"],
            "recipient": recipient["name"],
            "recipient_code": recipient["code"],
            "recipient_country": recipient["country"],
            "location": location,
            "cameo": cluster.event_code,
            "quad_class": ev.quad_class,
            "goldstein": ev.goldstein,
            "modality": ev.modality,
            "negated": ev.negated,
            "text": ev.evidence_text,
            "source_url": article.url,
            "publisher": article.outlet,
            "first_seen": cluster.first_seen.isoformat(),
            "num_mentions": cluster.num_mentions,
            "num_sources": cluster.num_sources,
            "num_articles": cluster.num_articles,
        }


def write_plover(conn: Connection, out: TextIO) -> int:
    count = 0
    out.write("[")
    for record in plover_records(conn):
        out.write(",\n" if count else "\n")
        out.write(json.dumps(record, ensure_ascii=False))
        count += 1
    out.write("\n]\n")
    return count
