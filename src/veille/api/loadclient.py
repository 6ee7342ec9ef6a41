"""A lean HTTP/1.1 keep-alive client for the load check (GET only, loopback only).

The load check runs its clients on the same machine as the server: a client that spends
milliseconds of CPU per request (httpx's pool does, with 50 connections) takes that CPU from the
server being measured, and its own event-loop queueing shows up as latency. One raw asyncio
connection per simulated client costs a few tens of microseconds per request instead.
"""

from __future__ import annotations

import asyncio
import contextlib
from urllib.parse import urlencode

_MAX_HEADER = 64 * 1024


class HttpError(Exception):
    """The connection failed or the answer was not HTTP/1.1 as expected (the client reconnects)."""


class KeepAliveClient:
    """One persistent connection to ``host:port``; :meth:`get` sends a request and reads the answer."""

    def __init__(self, host: str, port: int, *, timeout: float = 60.0) -> None:
        self.host, self.port, self.timeout = host, port, timeout
        self._host_header = f"[{host}]" if ":" in host else host  # an IPv6 literal goes in brackets
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self.last_headers: dict[str, str] = {}  # of the last answer (lower-case names)

    async def close(self) -> None:
        writer, self._reader, self._writer = self._writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    async def get(self, path: str, params: dict[str, object] | None = None) -> tuple[int, bytes]:
        """``(status, body)`` of ``GET path?params``; raises :class:`HttpError` on a broken exchange."""
        target = f"{path}?{urlencode(params)}" if params else path
        try:
            return await asyncio.wait_for(self._exchange(target), self.timeout)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError) as exc:
            await self.close()
            raise HttpError(type(exc).__name__) from exc
        except HttpError:
            await self.close()
            raise

    async def _exchange(self, target: str) -> tuple[int, bytes]:
        if self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(
                self.host, self.port, limit=_MAX_HEADER
            )
        reader, writer = self._reader, self._writer
        assert reader is not None
        writer.write(
            f"GET {target} HTTP/1.1\r\nHost: {self._host_header}\r\nAccept: */*\r\n\r\n".encode("ascii")
        )
        head = await reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        parts = status_line.split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
            raise HttpError(f"bad status line {status_line[:60]!r}")
        headers = {}
        for line in header_lines:
            name, sep, value = line.partition(":")
            if sep:
                headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body = await self._chunked(reader)
        elif "content-length" in headers:
            body = await reader.readexactly(int(headers["content-length"]))
        else:
            body = await reader.read()  # the server closes to end the body
            await self.close()
        self.last_headers = headers
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return int(parts[1]), body

    @staticmethod
    async def _chunked(reader: asyncio.StreamReader) -> bytes:
        body = bytearray()
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0].strip(), 16)
            if size == 0:
                await reader.readuntil(b"\r\n")  # no trailers expected
                return bytes(body)
            body += await reader.readexactly(size)
            await reader.readexactly(2)
