"""uvicorn's httptools protocol, with the writes of one turn of the event loop sent in one call.

uvicorn writes a response in two calls to its transport: the status line and headers when the app
sends ``http.response.start``, then the body. With uvloop each call is a ``send`` system call at
once, so the answer leaves in two TCP segments and the client is woken twice; on loopback the
kernel also runs the client's side of each segment in the server's system call.
:class:`CoalescingHttpToolsProtocol` hands uvicorn a transport that collects the writes made
during one turn of the loop and passes them on together when that turn ends. An answer sent in
one go (every JSON answer and page here: headers and body in the same task step) leaves as one
write; a streamed body (the events CSV) still leaves chunk by chunk, since the task waits between
chunks. Under ``veille.api.loadcheck`` (50 clients) this took the client's CPU from 0.13-0.15 to
0.08-0.10 ms per request and p95 down in 6 of 7 alternated pairs (see the README).

``veille serve`` names it to uvicorn as the string :data:`PROTOCOL` (uvicorn's ``http`` option
takes ``module:Class``), so that spawned worker processes import it themselves.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

PROTOCOL = f"{__name__}:CoalescingHttpToolsProtocol"


class CoalescingTransport:
    """A stand-in for ``transport`` whose :meth:`write` calls made during one turn of ``loop``
    reach the real transport as one write, once that turn's other callbacks have run.

    Closing sends what is pending first; once the real transport is closing, pending bytes are
    dropped (the peer is gone, as with a plain transport). Anything else is the real transport's.
    """

    __slots__ = ("_loop", "_pending", "_transport")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._pending: list[bytes] = []

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not data:
            return
        if not self._pending:
            self._loop.call_soon(self.flush)
        self._pending.append(bytes(data))  # bytes(b) is b itself: no copy of uvicorn's bytes

    def flush(self) -> None:
        pending = self._pending
        if not pending:
            return
        self._pending = []
        if not self._transport.is_closing():
            self._transport.write(pending[0] if len(pending) == 1 else b"".join(pending))

    def close(self) -> None:
        # uvicorn closes right after the last write of a "Connection: close" answer: send it first.
        self.flush()
        self._transport.close()

    def write_eof(self) -> None:
        self.flush()
        self._transport.write_eof()

    # Called once or more per request by uvicorn: spelled out rather than found by __getattr__.
    def is_closing(self) -> bool:
        return self._transport.is_closing()

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self._transport.get_extra_info(name, default)

    def pause_reading(self) -> None:
        self._transport.pause_reading()

    def resume_reading(self) -> None:
        self._transport.resume_reading()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class CoalescingHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's :class:`HttpToolsProtocol` writing through a :class:`CoalescingTransport`."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        # Duck-typed: uvicorn only calls the transport's methods, which the stand-in has.
        stand_in: Any = CoalescingTransport(transport, self.loop)
        super().connection_made(stand_in)
