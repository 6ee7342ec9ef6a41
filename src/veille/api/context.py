"""What every request needs: the open store, the access rules, the analysis lock (one per app)."""

from __future__ import annotations

import hmac
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from sqlalchemy import Connection

from veille.api.cache import StoreGeneration
from veille.settings import Settings
from veille.store import Store


@dataclass(kw_only=True)
class ApiContext:
    store: Store
    settings: Settings
    read_only: bool = False
    api_token: str | None = None
    max_body_bytes: int = 2 * 1024 * 1024
    max_csv_rows: int = 100_000
    generation: StoreGeneration | None = None  # bumped by writes made through the app
    # spaCy pipelines are not meant to be shared by threads: one analysis at a time per process.
    analyze_lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def writes_enabled(self) -> bool:
        return not self.read_only and bool(self.api_token)


async def context(request: Request) -> ApiContext:
    # async: a plain def dependency would cost a worker-thread hop per request for an attribute read.
    ctx: ApiContext = request.app.state.veille
    return ctx


Context = Annotated[ApiContext, Depends(context)]


def read_connection(ctx: Context) -> Iterator[Connection]:
    """A read connection for the duration of the request."""
    with ctx.store.read() as conn:
        yield conn


Conn = Annotated[Connection, Depends(read_connection)]


def require_write(request: Request, ctx: Context) -> None:
    """Write endpoints: refused in read-only mode, and only with the API token (never without one)."""
    if ctx.read_only:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "the server is read-only")
    if not ctx.api_token:
        raise HTTPException(
            status.HTTP_403_FORBIDDEN, "writes are disabled: start the server with --api-token-env NAME"
        )
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), ctx.api_token.encode()):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "a valid API token is needed (Authorization: Bearer TOKEN)",
            headers={"WWW-Authenticate": "Bearer"},
        )
