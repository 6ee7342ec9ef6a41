"""Failing sources back off exponentially and never hold up the others; the client stays polite."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select
from watch_fakes import CountingAnalyzer, page, rss
from watch_helpers import LOOPBACK, loopback_settings, options, run_cycle

from veille.errors import FetchError
from veille.store import Store
from veille.store.watch_tables import WatchSource
from veille.watch import ClientLimits, PoliteClient, Watcher

T0 = dt.datetime(2025, 3, 10, 8, 0, 0)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        return self.now

    def at(self, **delta: float) -> None:
        self.now = T0 + dt.timedelta(**delta)


def _state(store: Store, url: str) -> WatchSource:
    with store.read() as conn:
        return conn.execute(select(WatchSource).where(WatchSource.url == url)).one()  # type: ignore[return-value]


def _good_feed(server, name: str) -> None:
    server.set(f"/{name}.html", page(name, "Le Courrier", f"Article {name}."))
    items = [(name, server.url(f"/{name}.html"), "court")]
    server.set(f"/{name}.xml", rss("Le Courrier", items), content_type="application/rss+xml")


def test_failing_sources_back_off_and_never_block_the_others(server, db_url: str, tmp_path: Path) -> None:
    _good_feed(server, "good")
    server.set("/bad.xml", "boom", status=500)
    server.set("/slow.xml", rss("Lent", []), delay=2.5, content_type="application/rss+xml")
    clock = Clock()
    urls = [server.url(p) for p in ("/bad.xml", "/slow.xml", "/good.xml")]
    opts = options(every=dt.timedelta(minutes=15), backoff_base=dt.timedelta(minutes=1))
    with Store.open(db_url) as store:
        watcher = Watcher(
            store, urls, settings=loopback_settings(), options=opts, analyzer=CountingAnalyzer(), clock=clock
        )
        watcher.start()
        started = time.monotonic()
        first = run_cycle(watcher)
        assert time.monotonic() - started < 2.4  # the hanging server was given up at the timeout
        assert first.counts["new"] == 1 and first.failed_sources == 2
        bad, slow = _state(store, urls[0]), _state(store, urls[1])
        assert bad.error_count == 1 and "HTTP 500" in (bad.last_error or "")
        assert slow.error_count == 1 and "timed out" in (slow.last_error or "")
        assert bad.next_due == T0 + dt.timedelta(minutes=1)
        assert _state(store, urls[2]).next_due == T0 + dt.timedelta(minutes=15)

        clock.at(seconds=30)  # nothing is due yet
        assert run_cycle(watcher).sources == 0
        assert server.hits["/bad.xml"] == 1

        server.pages["/slow.xml"].delay = 0  # the slow one recovers
        clock.at(minutes=1)
        second = run_cycle(watcher)
        assert second.sources == 2 and second.failed_sources == 1
        assert _state(store, urls[1]).error_count == 0
        bad = _state(store, urls[0])
        assert bad.error_count == 2 and bad.next_due == clock.now + dt.timedelta(minutes=2)

        clock.at(minutes=3)
        run_cycle(watcher)
        bad = _state(store, urls[0])
        assert bad.error_count == 3 and bad.next_due == clock.now + dt.timedelta(minutes=4)
        assert server.hits["/bad.xml"] == 3

        _good_feed(server, "bad")  # fixed: its items come in at the next try
        clock.at(minutes=7)
        fixed = run_cycle(watcher)
        assert fixed.counts["new"] == 1 and _state(store, urls[0]).error_count == 0


def test_retry_after_is_honoured(server, db_url: str, tmp_path: Path) -> None:
    server.set("/busy.xml", "busy", status=503, headers={"Retry-After": "3600"})
    clock = Clock()
    with Store.open(db_url) as store:
        watcher = Watcher(
            store, [server.url("/busy.xml")], settings=loopback_settings(), options=options(), clock=clock
        )
        watcher.start()
        run_cycle(watcher)
        assert _state(store, server.url("/busy.xml")).next_due == T0 + dt.timedelta(hours=1)


def _get(url: str, *, limits: ClientLimits | None = None, private: bool = True) -> bytes:
    async def main() -> bytes:
        fetch = replace(LOOPBACK, allow_private_network=private)
        async with PoliteClient(fetch=fetch, max_bytes=1 << 20, limits=limits) as client:
            return (await client.get(url)).data

    return asyncio.run(main())


def test_the_ssrf_guard_applies_to_every_connection(server) -> None:
    server.set("/page.html", "hello")
    assert _get(server.url("/page.html")) == b"hello"
    with pytest.raises(FetchError, match="loopback"):
        _get(server.url("/page.html"), private=False)
    with pytest.raises(FetchError, match="loopback"):
        _get(f"http://localhost:{server.httpd.server_address[1]}/page.html", private=False)
    # Redirects are followed by the same client: each new host is a new connection, checked again.
    server.set("/hop", "", status=302, headers={"Location": server.url("/page.html")})
    assert _get(server.url("/hop")) == b"hello"
    with pytest.raises(FetchError, match="loopback"):
        _get(server.url("/hop"), private=False)


def test_robots_txt_is_respected(server) -> None:
    server.set("/robots.txt", "User-agent: veille\nDisallow: /private/\n", content_type="text/plain")
    server.set("/private/page.html", "secret")
    server.set("/public.html", "open")
    assert _get(server.url("/public.html")) == b"open"
    with pytest.raises(FetchError, match=r"robots\.txt"):
        _get(server.url("/private/page.html"))
    assert server.hits["/private/page.html"] == 0


def test_concurrency_is_bounded_per_host(server) -> None:
    for i in range(6):
        server.set(f"/p{i}.html", f"page {i}", delay=0.2)

    async def main() -> None:
        limits = ClientLimits(concurrency=8, per_host=2)
        async with PoliteClient(fetch=LOOPBACK, max_bytes=1 << 20, limits=limits) as client:
            await asyncio.gather(*(client.get(server.url(f"/p{i}.html")) for i in range(6)))

    asyncio.run(main())
    assert server.max_active == 2


def test_a_response_over_the_size_cap_is_refused(server) -> None:
    server.set("/big.html", "x" * 5000)

    async def main() -> None:
        async with PoliteClient(fetch=LOOPBACK, max_bytes=1000) as client:
            await client.get(server.url("/big.html"))

    with pytest.raises(FetchError, match="1000-byte limit"):
        asyncio.run(main())
