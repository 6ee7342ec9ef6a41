"""``/api/stats`` and ``/api/health``: the store overview and whether the service is up."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from veille import __version__
from veille.api.context import Context
from veille.api.schemas.stats import HealthOut, StatsOut
from veille.store.read_stats import stats

router = APIRouter(tags=["stats"])


@router.get("/stats", response_model=StatsOut, summary="Store overview")
def stats_endpoint(ctx: Context) -> Any:
    with ctx.store.read() as conn:
        return stats(conn)


@router.get("/health", response_model=HealthOut, summary="Service health")
def health_endpoint(ctx: Context) -> Any:
    return HealthOut(
        status="ok", version=__version__, read_only=ctx.read_only, writes_enabled=ctx.writes_enabled
    )
