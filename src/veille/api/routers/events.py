"""``/api/events``: filtered, paged events as JSON or CSV; timeline counts; event places."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response, StreamingResponse

from veille.api.answers import JsonShape, read_json
from veille.api.context import Context
from veille.api.routers.params import Id, Limit, Offset, event_filter
from veille.api.schemas.common import Page
from veille.api.schemas.events import EventOut, EventPlaceOut, TimelinePointOut
from veille.store.read_event_stats import by_month, event_places, timeline
from veille.store.read_events import CSV_COLUMNS, EventFilter, get_event, iter_csv_rows, list_events

router = APIRouter(prefix="/events", tags=["events"])
Filter = Annotated[EventFilter, Depends(event_filter)]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PAGE = JsonShape(Page[EventOut])
_EVENT = JsonShape(EventOut)


def _cell(value: Any) -> Any:
    # A cell starting like a formula would run in a spreadsheet (CSV injection): quote it as text.
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _csv_stream(ctx: Context, flt: EventFilter, max_rows: int) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    with ctx.store.read() as conn:
        for n, row in enumerate(iter_csv_rows(conn, flt, max_rows=max_rows), start=1):
            writer.writerow({k: _cell(v) for k, v in row.items()})
            if n % 500 == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
    yield buffer.getvalue()


@router.get(
    "",
    response_model=Page[EventOut],
    summary="Filter events",
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}},
)
async def list_events_endpoint(
    ctx: Context,
    flt: Filter,
    limit: Limit = 50,
    offset: Offset = 0,
    format: Annotated[
        Literal["json", "csv"], Query(description="json (paged) or csv (every match, up to the cap)")
    ] = "json",
) -> Any:
    """Events newest first, filtered by day range, actor code, country, CAMEO root and PLOVER type.
    ``format=csv`` streams every matching event (up to 100,000) instead of one page."""
    if format == "csv":  # streamed with its own connection, held while the body is sent
        return StreamingResponse(
            _csv_stream(ctx, flt, ctx.max_csv_rows),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="events.csv"'},
        )
    return await read_json(ctx, _PAGE, lambda conn: list_events(conn, flt, limit=limit, offset=offset))


@router.get("/timeline", response_model=list[TimelinePointOut], summary="Events per day or month")
def timeline_endpoint(
    ctx: Context, flt: Filter, bucket: Annotated[Literal["day", "month"], Query()] = "day"
) -> Any:
    """Counts of matching events per day (or month) and quad class (1 verbal cooperation … 4
    material conflict); events without a day are left out."""
    with ctx.store.read() as conn:
        points = timeline(conn, flt)
        return by_month(points) if bucket == "month" else points


@router.get("/places", response_model=list[EventPlaceOut], summary="Where events happen")
def places_endpoint(ctx: Context, flt: Filter, limit: Annotated[int, Query(ge=1, le=2000)] = 500) -> Any:
    """Geocoded places of the matching events with their event counts."""
    with ctx.store.read() as conn:
        return event_places(conn, flt, limit=limit)


@router.get("/{event_id}", response_model=EventOut, summary="One event")
async def event_endpoint(ctx: Context, event_id: Id) -> Response:
    return await read_json(
        ctx, _EVENT, lambda conn: get_event(conn, event_id), missing=f"no event {event_id}"
    )
