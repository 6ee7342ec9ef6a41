"""``/api/claims``: claims across articles, with status, chain and provenance graph."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query

from veille.api.context import Context
from veille.api.routers.params import Id, Limit, Offset, Text
from veille.api.schemas.claims import ClaimClusterOut, ClaimDetailOut
from veille.api.schemas.common import Page
from veille.store.read_claims import claim_detail, list_claims

router = APIRouter(prefix="/claims", tags=["claims"])
Status = Literal["reported", "unverified", "denied", "confirmed", "contested"]


@router.get("", response_model=Page[ClaimClusterOut], summary="Claims across articles")
def claims_endpoint(
    ctx: Context,
    q: Text = None,
    status: Annotated[Status | None, Query(description="status across the corpus")] = None,
    contradiction: Annotated[bool | None, Query(description="denied somewhere, asserted elsewhere")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Any:
    """Claim clusters (one claim told by several articles), contradictions first, then the most
    widely reported."""
    with ctx.store.read() as conn:
        return list_claims(conn, status=status, q=q, contradiction=contradiction, limit=limit, offset=offset)


@router.get("/{claim_id}", response_model=ClaimDetailOut, summary="One claim and its provenance")
def claim_endpoint(ctx: Context, claim_id: Id) -> Any:
    """The claim's status across the corpus, each article that carries, denies or confirms it (with
    the evidence spans), and its provenance graph: origin → relays → articles ← deniers/confirmers."""
    with ctx.store.read() as conn:
        found = claim_detail(conn, claim_id)
        if found is None:
            raise HTTPException(404, f"no claim {claim_id}")
        return found
