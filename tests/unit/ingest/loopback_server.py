"""A loopback HTTP(S) server for the fetch tests (no network: 127.0.0.1 only, in a thread).

Imported by name from this folder (pytest puts it on sys.path): no package, no relative import.
"""

from __future__ import annotations

import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = (
    "<html><head><title>Essai</title></head><body><p>Le conseil municipal a voté le budget.</p></body></html>"
).encode("cp1252")

Route = Callable[[BaseHTTPRequestHandler], None]


def send(handler: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict[str, str]) -> None:
    handler.send_response(status)
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def big_chunked(handler: BaseHTTPRequestHandler) -> None:
    """A body without Content-Length that never ends on its own: the cap must cut it."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/plain")
    handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()
    chunk = b"x" * 4096
    try:
        for _ in range(2000):
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        handler.wfile.write(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
        pass  # the client hung up at its cap: what the test wants


@dataclass
class LoopbackServer:
    port: int
    scheme: str = "http"
    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    host_headers: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}{path}"


@contextmanager
def serve(routes: dict[str, Route], *, tls: ssl.SSLContext | None = None) -> Iterator[LoopbackServer]:
    """Serve ``routes`` (path → handler) on 127.0.0.1; 404 for anything else."""
    state = LoopbackServer(port=0, scheme="https" if tls else "http", routes=routes)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            state.requests.append(self.path)
            state.host_headers.append(self.headers.get("Host", ""))
            route = state.routes.get(self.path)
            if route is None:
                send(self, 404, b"not here", {"Content-Type": "text/plain"})
            else:
                route(self)

        def log_message(self, format: str, *args: object) -> None:  # keep test output clean
            return

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    if tls is not None:
        httpd.socket = tls.wrap_socket(httpd.socket, server_side=True)
    state.port = int(httpd.server_address[1])
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
