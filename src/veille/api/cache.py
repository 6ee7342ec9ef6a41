"""A small in-process cache of read answers, dropped whenever the store changes.

The store is read-mostly: the same searches and event pages come back again and again, and each
costs SQL, Python objects and JSON. :class:`ResponseCache` keeps the bytes of successful JSON
answers to ``GET`` requests under chosen ``/api`` prefixes, keyed on the path and the sorted query
parameters, and tags each with the store's write generation read *before* the answer was computed;
an entry is served only while the generation is unchanged, so an answer is never older than the
last commit the request could have seen.

:class:`StoreGeneration` on SQLite is ``PRAGMA data_version`` of one dedicated connection: it
changes when any other connection, in this process or another (``veille ingest`` running beside
the server), commits. PostgreSQL has no such counter: there the generation also changes every
``ttl`` seconds, which bounds how stale an answer can be after another process writes. Writes made
through this app (``POST /api/analyze?store=true``) call :meth:`StoreGeneration.bump`.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from veille.store.engine import Engines

Generation = tuple[int, int]


class StoreGeneration:
    """A value that changes whenever the store may have changed."""

    def __init__(self, engines: Engines, *, ttl: float = 2.0, clock: Callable[[], float] = time.monotonic):
        self._bumps = 0
        self._ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._watch: Any = None
        self.enabled = True
        if engines.is_sqlite:
            database = engines.read.url.database
            if not database or database == ":memory:" or "mode=memory" in str(engines.read.url):
                self.enabled = False  # each connection of an in-memory database is its own database
            else:
                # A connection of its own, in autocommit: data_version is per connection.
                self._watch = engines.read.raw_connection()

    def bump(self) -> None:
        with self._lock:
            self._bumps += 1

    def current(self) -> Generation:
        with self._lock:
            if self._watch is not None:
                version = int(self._watch.driver_connection.execute("PRAGMA data_version").fetchone()[0])
            else:
                version = int(self._clock() // self._ttl)
            return self._bumps, version

    def close(self) -> None:
        with self._lock:
            if self._watch is not None:
                self._watch.close()
                self._watch = None
            self.enabled = False


@dataclass(frozen=True)
class _Entry:
    generation: Generation
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


class ResponseCache:
    """ASGI middleware: serve repeated ``GET`` JSON answers under ``prefixes`` from memory.

    Bounded by ``max_entries`` and ``max_bytes`` (least recently used first out); answers larger
    than ``max_entry_bytes``, streamed CSV, errors and any other method pass through uncached.
    Adds ``x-veille-cache: hit`` or ``miss`` to the answers it looks at.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        generation: StoreGeneration,
        prefixes: Sequence[str],
        max_entries: int = 4096,
        max_bytes: int = 64 * 1024 * 1024,
        max_entry_bytes: int = 512 * 1024,
        max_query: int = 2048,
    ) -> None:
        self.app = app
        self.generation = generation
        self.prefixes = tuple(prefixes)
        self.max_entries, self.max_bytes, self.max_entry_bytes = max_entries, max_bytes, max_entry_bytes
        self.max_query = max_query
        self._entries: OrderedDict[tuple[str, str], _Entry] = OrderedDict()
        self._bytes = 0
        self.hits = 0
        self.misses = 0

    def _key(self, scope: Scope) -> tuple[str, str] | None:
        path: str = scope["path"]
        raw: bytes = scope.get("query_string", b"")
        if (
            scope["method"] != "GET"
            or len(raw) > self.max_query
            or not self.generation.enabled
            or not any(path == p or path.startswith(p + "/") for p in self.prefixes)
        ):
            return None
        # The same parameters in another order are the same question.
        query = urlencode(sorted(parse_qsl(raw.decode("latin-1"), keep_blank_values=True)))
        return path, query

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = self._key(scope) if scope["type"] == "http" else None
        if key is None:
            await self.app(scope, receive, send)
            return
        generation = self.generation.current()
        entry = self._entries.get(key)
        if entry is not None and entry.generation == generation:
            self._entries.move_to_end(key)
            self.hits += 1
            headers = [*entry.headers, (b"x-veille-cache", b"hit")]
            await send({"type": "http.response.start", "status": entry.status, "headers": headers})
            await send({"type": "http.response.body", "body": entry.body})
            return
        self.misses += 1
        start: Message = {}
        parts: list[bytes] = []
        size = 0
        keep = True

        async def capture(message: Message) -> None:
            nonlocal start, size, keep
            if message["type"] == "http.response.start":
                start = message
                headers = list(message.get("headers") or [])
                content_type = dict(headers).get(b"content-type", b"")
                keep = message["status"] == 200 and content_type.startswith(b"application/json")
                message = {**message, "headers": [*headers, (b"x-veille-cache", b"miss")]}
            elif message["type"] == "http.response.body" and keep:
                chunk: bytes = message.get("body", b"")
                size += len(chunk)
                keep = size <= self.max_entry_bytes
                parts.append(chunk)
                if keep and not message.get("more_body", False):
                    self._store(
                        key, _Entry(generation, start["status"], list(start["headers"]), b"".join(parts))
                    )
            await send(message)

        await self.app(scope, receive, capture)

    def _store(self, key: tuple[str, str], entry: _Entry) -> None:
        old = self._entries.pop(key, None)
        if old is not None:
            self._bytes -= len(old.body)
        self._entries[key] = entry
        self._bytes += len(entry.body)
        while self._entries and (len(self._entries) > self.max_entries or self._bytes > self.max_bytes):
            _, dropped = self._entries.popitem(last=False)
            self._bytes -= len(dropped.body)

    def clear(self) -> None:
        self._entries.clear()
        self._bytes = 0
