"""Read answers made in one worker-thread hop: store query, validation and JSON bytes together.

FastAPI runs a plain ``def`` endpoint in a worker thread, each plain ``def`` dependency in another
hop, then validates the returned value in one more hop before serialising it; under load those
hand-offs between the event loop and the threads (each a wake-up and a fight for the GIL) cost
about as much as a cheap query. An ``async def`` endpoint that calls :func:`read_json` makes one
hop instead, in which the query runs and its value is validated against the same schema FastAPI
would use (``TypeAdapter(model).validate_python(value, from_attributes=True)``) and dumped to
JSON by pydantic's core (``dump_json``): the bytes are exactly those of FastAPI's own path for a
``response_model`` (tests/api/test_answers.py checks it). The endpoint keeps ``response_model`` so
that the OpenAPI schema does not change.

On SQLite even that one hop is skipped: the work runs on the event loop. SQLite runs inside this
process, so the work is CPU whichever thread does it; a thread adds the hand-off and the GIL
contention with the loop and the other threads, which measured 0.5 ms of CPU per request (2.4 ms
against 1.85 ms all-in under ``veille.api.loadcheck``, 50 clients) and raised p95 from about 95 to
160 ms. The price is that a slow read holds this worker's other requests while it runs; reads here
are bounded (page ≤ 200 rows, offset ≤ 100,000), and the costliest found on a 112,800-event store,
a deep page of a broad OR filter, took 90 ms. PostgreSQL work waits on another process, so there
the thread stays: the loop serves other requests while the query runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio.to_thread
from fastapi import HTTPException
from fastapi.responses import Response
from pydantic import TypeAdapter
from sqlalchemy import Connection

from veille.api.context import ApiContext
from veille.store.read_common import Page


class JsonShape:
    """The schema of one kind of answer, compiled once per process (a TypeAdapter is costly to build)."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self._adapter: TypeAdapter[Any] = TypeAdapter(model)

    def dump(self, value: Any) -> bytes:
        """``value`` (store dataclasses, dicts or models) checked against the schema, as JSON bytes."""
        adapter = self._adapter
        if isinstance(value, Page):
            value = _page_fields(value)
        # by_alias as FastAPI does (no schema here has aliases, but the bytes must stay the same).
        return adapter.dump_json(adapter.validate_python(value, from_attributes=True), by_alias=True)


def _page_fields(page: Page[Any]) -> dict[str, Any]:
    """A store page as the dicts pydantic reads fastest: each item's own ``__dict__`` (its fields;
    fields the schema lacks are ignored). Reading 50 events by attribute took 170 µs, 136 µs this way."""
    items = [getattr(item, "__dict__", item) for item in page.items]
    counts = {"total": page.total, "exact": page.exact, "limit": page.limit, "offset": page.offset}
    return {"items": items, **counts}


def json_response(body: bytes) -> Response:
    return Response(content=body, media_type="application/json")


async def read_json(
    ctx: ApiContext,
    shape: JsonShape,
    read: Callable[[Connection], Any],
    *,
    missing: str | None = None,
) -> Response:
    """The JSON answer of ``read`` over a read connection, shaped by ``shape``.

    ``missing``: when ``read`` gives None, a 404 with this message (else None is a valid answer).
    """

    def work() -> bytes:
        with ctx.store.read() as conn:
            value = read(conn)
        if value is None and missing is not None:
            raise HTTPException(404, missing)
        return shape.dump(value)

    if ctx.store.engines.is_sqlite:
        return json_response(work())
    return json_response(await anyio.to_thread.run_sync(work))
