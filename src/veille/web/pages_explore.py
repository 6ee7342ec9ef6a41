"""Web pages for exploring: events (filters, timeline, map), actors (network), claims (provenance), places."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response
from sqlalchemy import Connection

from veille.api.context import Context
from veille.api.routers.params import Country, Id, Offset, Text, event_filter
from veille.store.read_actors import actor_profile, network, top_actors
from veille.store.read_claims import claim_detail, list_claims
from veille.store.read_common import cameo_roots, plover_types
from veille.store.read_event_stats import event_places, timeline
from veille.store.read_events import EventFilter, list_events
from veille.store.read_places import list_places
from veille.web.graphs import layout_network, layout_provenance, layout_timeline
from veille.web.templating import pager, query_string, render
from veille.web.worldmap import map_view

router = APIRouter(include_in_schema=False)
Filter = Annotated[EventFilter, Depends(event_filter)]
_MONTHLY_AFTER_DAYS = 120  # a timeline longer than this is drawn per month


def _filter_params(flt: EventFilter) -> dict[str, Any]:
    return {
        "date_from": flt.date_from.isoformat() if flt.date_from else None,
        "date_to": flt.date_to.isoformat() if flt.date_to else None,
        "actor": flt.actor,
        "country": flt.country,
        "root": flt.root,
        "plover": flt.plover,
    }


def _country_link(params: dict[str, Any], country: str) -> str:
    return f"/events?{query_string({**params, 'country': country})}"


def _timeline(conn: Connection, flt: EventFilter, params: dict[str, Any]) -> Any:
    points = timeline(conn, flt)
    span = (points[-1].day - points[0].day).days if points else 0
    base = query_string({k: v for k, v in params.items() if k not in {"date_from", "date_to"}})
    return layout_timeline(points, monthly=span > _MONTHLY_AFTER_DAYS, query=base)


@router.get("/events")
def events_page(request: Request, ctx: Context, flt: Filter, offset: Offset = 0) -> Response:
    with ctx.store.read() as conn:
        params = _filter_params(flt)
        page = list_events(conn, flt, limit=50, offset=offset)
        places = event_places(conn, flt, limit=300)
        view = map_view(
            [
                (
                    p.lat,
                    p.lon,
                    p.events,
                    p.name,
                    f"/events?{query_string({**params, 'country': p.country})}" if p.country else None,
                )
                for p in places
            ]
        )
        return render(
            request,
            "events.html",
            page=page,
            pager=pager(page, params),
            params=params,
            query=query_string(params),
            timeline=_timeline(conn, flt, params),
            view=view,
            roots=cameo_roots(),
            plovers=plover_types(),
        )


@router.get("/actors")
def actors_page(request: Request, ctx: Context, flt: Filter, q: Text = None, offset: Offset = 0) -> Response:
    with ctx.store.read() as conn:
        params = _filter_params(flt)
        net = network(conn, flt, max_edges=60)
        page = top_actors(conn, q=q or None, limit=40, offset=offset)
        return render(
            request,
            "actors.html",
            figure=layout_network(net),
            page=page,
            pager=pager(page, {**params, "q": q}),
            params=params,
            q=q or "",
            roots=cameo_roots(),
            plovers=plover_types(),
        )


@router.get("/actors/{code}")
def actor_page(request: Request, ctx: Context, code: str, offset: Offset = 0) -> Response:
    with ctx.store.read() as conn:
        code = code.upper()
        if not code.isalnum() or len(code) > 32:
            raise HTTPException(404, "no such actor code")
        profile = actor_profile(conn, code)
        if profile is None:
            raise HTTPException(404, f"no actor with code {code}")
        page = list_events(conn, EventFilter(actor=code, actor_exact=True), limit=50, offset=offset)
        return render(request, "actor.html", profile=profile, page=page, pager=pager(page, {}))


@router.get("/claims")
def claims_page(
    request: Request,
    ctx: Context,
    q: Text = None,
    status: Annotated[
        Literal["", "reported", "unverified", "denied", "confirmed", "contested"], Query()
    ] = "",
    offset: Offset = 0,
) -> Response:
    with ctx.store.read() as conn:
        page = list_claims(conn, status=status or None, q=q or None, limit=30, offset=offset)
        params = {"q": q, "status": status}
        return render(request, "claims.html", page=page, pager=pager(page, params), params=params)


@router.get("/claims/{claim_id}")
def claim_page(request: Request, ctx: Context, claim_id: Id) -> Response:
    with ctx.store.read() as conn:
        detail = claim_detail(conn, claim_id)
        if detail is None:
            raise HTTPException(404, f"no claim {claim_id}")
        return render(request, "claim.html", detail=detail, figure=layout_provenance(detail.graph))


@router.get("/places")
def places_page(
    request: Request, ctx: Context, q: Text = None, country: Country = None, offset: Offset = 0
) -> Response:
    with ctx.store.read() as conn:
        page = list_places(conn, q=q or None, country=country or None, limit=100, offset=offset)
        located = [p for p in page.items if p.lat is not None and p.lon is not None]
        view = map_view(
            [
                (
                    p.lat or 0.0,
                    p.lon or 0.0,
                    p.mentions,
                    p.name,
                    f"/events?{query_string({'country': p.country})}" if p.country else None,
                )
                for p in located
            ]
        )
        params = {"q": q, "country": country}
        return render(request, "places.html", page=page, pager=pager(page, params), params=params, view=view)
