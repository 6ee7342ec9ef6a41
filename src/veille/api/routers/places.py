"""``/api/places``: places mentioned by articles, most mentioned first."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from veille.api.context import Context
from veille.api.routers.params import MAX_ID, Country, Limit, Offset, Text
from veille.api.schemas.common import Page
from veille.api.schemas.places import PlaceOut
from veille.store.read_places import list_places

router = APIRouter(prefix="/places", tags=["places"])


@router.get("", response_model=Page[PlaceOut], summary="Places mentioned")
def places_endpoint(
    ctx: Context,
    q: Text = None,
    country: Country = None,
    article_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Any:
    with ctx.store.read() as conn:
        return list_places(conn, country=country, q=q, article_id=article_id, limit=limit, offset=offset)
