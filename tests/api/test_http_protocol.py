"""The served HTTP protocol sends each answer in one write (veille.api.http_protocol)."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from veille.api.http_protocol import CoalescingHttpToolsProtocol, CoalescingTransport


class _Recorder:
    """A transport that records the calls it gets (the real one's place in the unit tests)."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closing = False
        self.calls: list[str] = []

    def write(self, data: bytes) -> None:
        self.writes.append(data)

    def is_closing(self) -> bool:
        return self.closing

    def close(self) -> None:
        self.calls.append("close")
        self.closing = True

    def get_write_buffer_size(self) -> int:
        return 7


def _run(body: Any) -> _Recorder:
    recorder = _Recorder()

    async def main() -> None:
        await body(CoalescingTransport(recorder, asyncio.get_running_loop()))  # type: ignore[arg-type]
        await asyncio.sleep(0)  # the turn in which the last writes are passed on

    asyncio.run(main())
    return recorder


def test_writes_of_one_turn_leave_together_and_later_turns_apart() -> None:
    async def body(transport: CoalescingTransport) -> None:
        transport.write(b"HTTP/1.1 200 OK\r\n\r\n")
        transport.write(b"")
        transport.write(memoryview(b"first"))
        await asyncio.sleep(0)
        transport.write(b"second")

    assert _run(body).writes == [b"HTTP/1.1 200 OK\r\n\r\nfirst", b"second"]


def test_close_sends_what_is_pending_first_and_a_closed_peer_gets_nothing_more() -> None:
    async def body(transport: CoalescingTransport) -> None:
        transport.write(b"last answer")
        transport.close()
        transport.write(b"after close")

    recorder = _run(body)
    assert recorder.writes == [b"last answer"]
    assert recorder.calls == ["close"]


def test_everything_else_is_the_real_transports() -> None:
    transport = CoalescingTransport(_Recorder(), asyncio.new_event_loop())  # type: ignore[arg-type]
    assert transport.get_write_buffer_size() == 7
    assert transport.is_closing() is False
    with pytest.raises(AttributeError):
        transport.no_such_method  # noqa: B018


async def _answer(scope: Any, receive: Any, send: Any) -> None:
    """A small ASGI app: ``/stream`` answers in three chunks, anything else in one body."""
    if scope["type"] != "http":
        return
    if scope["path"] == "/stream":
        csv = [(b"content-type", b"text/csv")]
        await send({"type": "http.response.start", "status": 200, "headers": csv})
        for chunk in (b"a,b\n", b"1,2\n"):
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await asyncio.sleep(0.01)
        await send({"type": "http.response.body", "body": b""})
        return
    body = b'{"ok": true}'
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})


_WRITES: list[bytes] = []


class _Recording:
    """Forwards to the real transport and notes each write that reaches it."""

    def __init__(self, transport: asyncio.Transport) -> None:
        self._transport = transport

    def write(self, data: bytes) -> None:
        _WRITES.append(data)
        self._transport.write(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class _PlainSeen(HttpToolsProtocol):
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(_Recording(transport))  # type: ignore[arg-type]


class _CoalescingSeen(CoalescingHttpToolsProtocol):
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(_Recording(transport))  # type: ignore[arg-type]


@pytest.fixture
def serve() -> Iterator[Any]:
    servers: list[tuple[uvicorn.Server, threading.Thread]] = []

    def start(protocol: type[asyncio.Protocol]) -> int:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = int(probe.getsockname()[1])
        config = uvicorn.Config(_answer, host="127.0.0.1", port=port, http=protocol, log_level="warning")
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while not server.started:
            assert time.monotonic() < deadline and thread.is_alive(), "the test server did not start"
            time.sleep(0.02)
        servers.append((server, thread))
        return port

    _WRITES.clear()
    yield start
    for server, thread in servers:
        server.should_exit = True
        thread.join(timeout=10)


def _exchange(port: int, requests: list[bytes]) -> bytes:
    """What the server sent until it closed the connection (the last request asks it to)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        for request in requests:
            conn.sendall(request)
            time.sleep(0.1)  # one answer at a time: no two requests in one read
        received = b""
        while chunk := conn.recv(65536):
            received += chunk
        return received


def _get(path: str, *, close: bool = False) -> bytes:
    connection = b"close" if close else b"keep-alive"
    head = b"GET " + path.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    return head + b"Connection: " + connection + b"\r\n\r\n"


@pytest.mark.parametrize(("protocol", "writes_per_answer"), [(_PlainSeen, 2), (_CoalescingSeen, 1)])
def test_each_answer_is_one_write_on_a_real_server(
    serve: Any, protocol: type[asyncio.Protocol], writes_per_answer: int
) -> None:
    port = serve(protocol)
    received = _exchange(port, [_get("/a"), _get("/b", close=True)])
    assert received.count(b"HTTP/1.1 200 OK") == 2
    assert len(_WRITES) == 2 * writes_per_answer
    if writes_per_answer == 1:
        assert all(w.startswith(b"HTTP/1.1 200") and w.endswith(b'{"ok": true}') for w in _WRITES)


def test_a_streamed_answer_still_leaves_chunk_by_chunk(serve: Any) -> None:
    port = serve(_CoalescingSeen)
    received = _exchange(port, [_get("/stream", close=True)])
    assert b"a,b\n" in received and b"1,2\n" in received and received.endswith(b"0\r\n\r\n")
    # Headers with the first chunk, the second chunk, then the end of the chunked body.
    assert len(_WRITES) == 3
