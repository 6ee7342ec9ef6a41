"""The FastAPI application: the API under ``/api`` (OpenAPI at ``/openapi.json``) and the web UI at ``/``.

>>> app = create_app(db_url="sqlite:///veille.sqlite", read_only=True)

The store is opened (and migrated) when the app is created, so a bad database URL fails at start
with one line rather than on the first request.
"""

from __future__ import annotations

import gc
import json
import os
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import FastAPI
from starlette.middleware.trustedhost import TrustedHostMiddleware

from veille import __version__
from veille.api.cache import ResponseCache, StoreGeneration
from veille.api.context import ApiContext
from veille.api.errors import install_error_handlers
from veille.api.limits import BodySizeLimit, SecurityHeaders
from veille.api.routers import actors, analyze, articles, claims, events, places, stats
from veille.settings import Settings
from veille.store import Store

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
DEFAULT_MAX_BODY = 2 * 1024 * 1024
# Read endpoints whose answers depend on the path, the query and the store only.
SERVE_ENV = "VEILLE_SERVE_CONFIG"  # create_app's options for worker processes, as JSON
CACHED_PREFIXES = ("/api/articles", "/api/events", "/api/actors", "/api/places", "/api/stats")


def create_app(
    *,
    db_url: str,
    read_only: bool = False,
    api_token: str | None = None,
    settings: Settings | None = None,
    max_body_bytes: int = DEFAULT_MAX_BODY,
    allowed_hosts: Sequence[str] | None = None,
    web: bool = True,
    db_threads: int = 8,
    response_cache: bool = True,
) -> FastAPI:
    """Build the app over the store at ``db_url``.

    ``api_token``: writes need ``Authorization: Bearer <token>``; without a token they are off.
    ``allowed_hosts``: accepted ``Host`` headers (a server on loopback should accept only loopback
    names, which stops DNS-rebinding pages from reading it); None accepts any.
    ``response_cache``: keep repeated read answers in memory until the store changes (:mod:`.cache`).
    """
    settings = settings or Settings()
    store = Store.open(db_url, dedup_threshold=settings.dedup_threshold)
    generation = StoreGeneration(store.engines)
    ctx = ApiContext(
        store=store,
        settings=settings,
        read_only=read_only,
        api_token=api_token or None,
        max_body_bytes=max_body_bytes,
        generation=generation,
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Fewer worker threads than pooled connections (SQLAlchemy's default 5 + 10 overflow): a
        # request never waits for a connection, and fewer threads fight less for the GIL.
        anyio.to_thread.current_default_thread_limiter().total_tokens = db_threads
        yield
        generation.close()
        store.close()

    app = FastAPI(
        title="veille",
        version=__version__,
        description="News articles, events, actors, quotes and claims with their evidence.",
        openapi_url="/openapi.json",
        docs_url=None,  # Swagger UI loads its assets from a CDN: not on an offline machine
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.veille = ctx
    # Each resource router straight under the app: FastAPI matches an included router level by
    # level, and one "/api" router around them cost 40-60 µs per request (a third of an event's).
    for module in (articles, events, actors, claims, places, stats, analyze):
        app.include_router(module.router, prefix="/api")
    if web:
        from veille.web import mount_web

        mount_web(app)
    install_error_handlers(app)
    # The last added runs first. A cached answer is served right after the Host check (a page on
    # another site reached by DNS rebinding must not read it either) and inside SecurityHeaders
    # (hits carry the same headers); the body cap is skipped by hits, which never read a body.
    app.add_middleware(BodySizeLimit, max_bytes=max_body_bytes)
    if response_cache:
        app.add_middleware(ResponseCache, generation=generation, prefixes=CACHED_PREFIXES)
    if allowed_hosts is not None:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    app.add_middleware(SecurityHeaders)
    return app


def settle_heap() -> None:
    """Hide what the serving process has built so far (modules, schemas, the store's metadata:
    about 200,000 objects) from Python's cyclic garbage collector.

    Called once, after the app is built, by the processes of ``veille serve``. Those objects live
    as long as the process, yet every full collection walked them all: 120-170 ms with the event
    loop stopped, about once per 10,000 requests under load, which every request in flight then
    waited for (the load check's p99). Frozen objects are still freed by reference counting; only
    cycles among them would stay, and these live until exit anyway. Not done by :func:`create_app`
    itself: a test suite that builds many apps would keep each one's cycles forever.
    """
    gc.collect()
    gc.freeze()


def app_from_env() -> FastAPI:
    """The app of one worker process of ``veille serve --workers N`` (a ``uvicorn --factory``).

    The options come as JSON in ``VEILLE_SERVE_CONFIG``; the API token is never in it, only the
    name of the environment variable holding it (``api_token_env``), read here like the parent did.
    """
    options = json.loads(os.environ[SERVE_ENV])
    token_env = options.pop("api_token_env", None)
    token = os.environ.get(token_env, "").strip() if token_env else None
    app = create_app(**options, api_token=token or None, settings=Settings.from_env())
    settle_heap()
    return app
