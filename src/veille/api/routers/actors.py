"""``/api/actors``: most mentioned actors, one actor code with its events, the actor network."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from fastapi.responses import Response

from veille.api.answers import JsonShape, read_json
from veille.api.context import Context
from veille.api.routers.params import Limit, Offset, Text, event_filter
from veille.api.schemas.actors import ActorProfileOut, ActorStatOut, NetworkOut
from veille.api.schemas.common import Page
from veille.api.schemas.events import EventOut
from veille.store.read_actors import actor_profile, network, top_actors
from veille.store.read_events import EventFilter, list_events

router = APIRouter(prefix="/actors", tags=["actors"])
Code = Annotated[str, Path(max_length=32, pattern=r"^[A-Za-z0-9]+$")]
_EVENTS = JsonShape(Page[EventOut])


@router.get("", response_model=Page[ActorStatOut], summary="Top actors")
def actors_endpoint(ctx: Context, q: Text = None, limit: Limit = 50, offset: Offset = 0) -> Any:
    """Actors (name and code) by number of mentions, with the events their code takes part in."""
    with ctx.store.read() as conn:
        return top_actors(conn, q=q, limit=limit, offset=offset)


@router.get("/network", response_model=NetworkOut, summary="Who acts on whom")
def network_endpoint(
    ctx: Context,
    flt: Annotated[EventFilter, Depends(event_filter)],
    max_edges: Annotated[int, Query(ge=1, le=500)] = 120,
) -> Any:
    """Directed edges between actor codes, weighted by their number of events (heaviest first)."""
    with ctx.store.read() as conn:
        return network(conn, flt, max_edges=max_edges)


@router.get("/{code}", response_model=ActorProfileOut, summary="One actor code")
def actor_endpoint(ctx: Context, code: Code) -> Any:
    with ctx.store.read() as conn:
        profile = actor_profile(conn, code.upper())
        if profile is None:
            raise HTTPException(404, f"no actor with code {code.upper()}")
        return {
            **profile.__dict__,
            "names": [{"name": n, "mentions": c} for n, c in profile.names],
            "counterparts": profile.counterparts,
        }


@router.get("/{code}/events", response_model=Page[EventOut], summary="Events of one actor code")
async def actor_events_endpoint(ctx: Context, code: Code, limit: Limit = 50, offset: Offset = 0) -> Response:
    """Events where the code (exactly) is source or target, newest first."""
    flt = EventFilter(actor=code.upper(), actor_exact=True)
    return await read_json(ctx, _EVENTS, lambda conn: list_events(conn, flt, limit=limit, offset=offset))
