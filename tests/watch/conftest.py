"""Fixtures for the watcher's tests: a loopback HTTP server whose pages change between cycles."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from veille.store.engine import normalize_url

sys.path.insert(0, str(Path(__file__).resolve().parent))  # watch_fakes, for subprocesses too


@dataclass
class Page:
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    delay: float = 0.0  # seconds before answering (a slow or hanging server)
    validators: bool = True  # send ETag and honour If-None-Match
    headers: dict[str, str] = field(default_factory=dict)


class LoopbackServer:
    """``server.pages[path] = Page(...)``; counts requests per path; answers 304 when it can."""

    def __init__(self) -> None:
        self.pages: dict[str, Page] = {}
        self.hits: Counter[str] = Counter()
        self.conditional: Counter[str] = Counter()  # requests that carried a validator
        self.active: Counter[str] = Counter()
        self.max_active = 0
        self.posts: list[bytes] = []
        self._lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *_args: object) -> None:
                pass

            def do_GET(self) -> None:
                owner._get(self)

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                owner.posts.append(self.rfile.read(length))
                page = owner.pages.get(self.path, Page(status=200))
                self.send_response(page.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.handle_error = lambda *_args: None  # type: ignore[method-assign]  # clients hang up
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def set(self, path: str, body: str | bytes, **kw: object) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.pages[path] = Page(data, **kw)  # type: ignore[arg-type]

    def _get(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path
        with self._lock:
            self.hits[path] += 1
            self.active[path] += 1
            self.max_active = max(self.max_active, sum(self.active.values()))
        try:
            page = self.pages.get(path)
            if page is None:
                page = Page(b"not found", "text/plain", status=404)
            if page.delay:
                time.sleep(page.delay)
            etag = '"' + hashlib.sha1(page.body).hexdigest()[:16] + '"'
            if handler.headers.get("If-None-Match") or handler.headers.get("If-Modified-Since"):
                self.conditional[path] += 1
            if page.validators and page.status == 200 and handler.headers.get("If-None-Match") == etag:
                handler.send_response(304)
                handler.send_header("ETag", etag)
                handler.send_header("Content-Length", "0")
                handler.end_headers()
                return
            handler.send_response(page.status)
            handler.send_header("Content-Type", page.content_type)
            handler.send_header("Content-Length", str(len(page.body)))
            for name, value in page.headers.items():
                handler.send_header(name, value)
            if page.validators:
                handler.send_header("ETag", etag)
            handler.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                handler.wfile.write(page.body)
        finally:
            with self._lock:
                self.active[path] -= 1

    def __enter__(self) -> LoopbackServer:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


POSTGRES_ENV = "VEILLE_TEST_POSTGRES_URL"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """SQLite always; PostgreSQL too when VEILLE_TEST_POSTGRES_URL names a database to wipe."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'watch.sqlite'}"
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f'PostgreSQL tests need {POSTGRES_ENV} (run: eval "$(bash .ci/postgres.sh)")')
    engine = create_engine(normalize_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer() as running:
        yield running
