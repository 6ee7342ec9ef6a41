"""Benchmark of ``veille watch`` on loopback: cycle time and CPU when nothing changed, and when a
share of the items is new.

    python -m veille.watch.bench --feeds 200 --items 20 --new 0.1
    python -m veille.watch.bench --db sqlite:///bench.sqlite --port 18555   # keep the primed store

A child process serves ``--feeds`` RSS feeds of ``--items`` linked French pages each, spread over
``--hosts`` loopback addresses (127.0.0.1, 127.0.0.2, …: one site each, so the per-site limit
applies as on the web). The store is first filled without NLP (titles and paragraphs only: the
priming is not measured), then these cycles are timed in this process (CPU = this process only):

1. nothing changed, the server honours ETags (conditional GET → 304);
2. nothing changed, no validators (every feed downloaded, hashed, found equal to its cursor);
3. ``--new`` of each feed's items replaced by new ones, analysed by the real pipeline (spaCy model
   loaded beforehand: a long-running watcher loads it once).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import hashlib
import html
import json
import multiprocessing
import re
import sys
import tempfile
import time
import zlib
from collections.abc import Iterable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread
from typing import Any
from urllib.parse import parse_qs, urlsplit

from veille.ingest.raw import RawDocument
from veille.models import Analysis, Article, Failure
from veille.settings import FetchSettings, Settings
from veille.store import Store
from veille.watch.cycle import Watcher
from veille.watch.http import PoliteClient
from veille.watch.options import CycleReport, WatchOptions

_TOWNS = ["Rennes", "Brest", "Nantes", "Lorient", "Vannes", "Quimper", "Angers", "Laval", "Caen", "Tours"]
_PARA = re.compile(r"<p>(.*?)</p>", re.S)


def _page(feed: int, name: str) -> bytes:
    item = zlib.crc32(name.encode()) % 1000
    town = _TOWNS[(feed + item) % len(_TOWNS)]
    paragraphs = [
        f"Le conseil municipal de {town} a voté lundi un budget de {item + 3} millions d'euros pour "
        f"rénover les écoles du quartier {feed}.",
        f"Selon le maire, les travaux commenceront en septembre et dureront {item % 5 + 2} ans.",
        f"L'opposition a critiqué ce projet, qu'elle juge trop coûteux pour les habitants de {town}.",
    ]
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    title = f"{town} : budget pour les écoles ({feed}-{name})"
    return (
        f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{title}</title></head>'
        f"<body><article><h1>{title}</h1>{body}</article></body></html>"
    ).encode()


def _feed(base: str, feed: int, count: int, *, new: int, version: int) -> bytes:
    """Version 0: items 0..count-1; version v: the ``new`` oldest dropped, ``new`` items of run v added."""
    paths = [f"a{j}" for j in range(count)]
    if version:
        paths = paths[new:] + [f"a{version}x{k}" for k in range(new)]
    items = "".join(
        f"<item><title>Article {feed}-{p}</title><link>{base}/f{feed}/{p}.html</link>"
        f"<guid>{base}/f{feed}/{p}.html</guid><description>Lire la suite.</description></item>"
        for p in paths
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Flux {feed}</title>'
        f"<link>{base}/</link><description>bench</description>{items}</channel></rss>"
    ).encode()


def _serve(port_box: Any, port: int, hosts: int, feeds: int, items: int, new_per_feed: int) -> None:
    """The child process: one threaded HTTP server per loopback address, all on one port."""
    state = {"version": 0, "validators": 1}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_args: object) -> None:
            pass

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            if url.path == "/__set":
                for key, values in parse_qs(url.query).items():
                    state[key] = int(values[0])
                return self._send(200, b"ok", "text/plain")
            if match := re.fullmatch(r"/feed(\d+)\.xml", url.path):
                feed = int(match.group(1))
                base = f"http://{self.headers['Host']}"
                data = _feed(base, feed, items, new=new_per_feed, version=state["version"])
                return self._send(200, data, "application/rss+xml")
            if match := re.fullmatch(r"/f(\d+)/(a\d+(?:x\d+)?)\.html", url.path):
                page = _page(int(match.group(1)), match.group(2))
                return self._send(200, page, "text/html; charset=utf-8")
            return self._send(404, b"not found", "text/plain")

        def _send(self, status: int, data: bytes, content_type: str) -> None:
            etag = '"' + hashlib.sha1(data).hexdigest()[:16] + '"'
            if status == 200 and state["validators"] and self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            if state["validators"]:
                self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(data)

    first = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    port = first.server_address[1]
    servers = [first] + [ThreadingHTTPServer((f"127.0.0.{h + 1}", port), Handler) for h in range(1, hosts)]
    for server in servers:
        server.daemon_threads = True
        Thread(target=server.serve_forever, daemon=True).start()
    port_box.put(port)
    while True:
        time.sleep(3600)


def _plain_analysis(raw: RawDocument) -> Analysis:
    """Priming only: the page's paragraphs as an article, no NLP (the store must hold the corpus)."""
    data = (raw.data or b"").decode("utf-8", errors="replace")
    text = "\n".join(html.unescape(p) for p in _PARA.findall(data)) or data
    article = Article(
        id=hashlib.sha256(text.encode()).hexdigest()[:16], url=raw.url, language="fr", text=text
    )
    return Analysis(veille_version="bench", article=article)


def _prime(sources: Iterable[RawDocument], **_kw: object) -> Iterator[Analysis | Failure]:
    for raw in sources:
        yield _plain_analysis(raw)


def _set(port: int, **values: int) -> None:
    import httpx

    httpx.get(f"http://127.0.0.1:{port}/__set", params=values, timeout=10).raise_for_status()


def _row(name: str, report: CycleReport, requests: int) -> dict[str, Any]:
    return {
        "cycle": name,
        "seconds": round(report.seconds, 2),
        "cpu_seconds": round(report.cpu_seconds, 2),
        "requests": requests,
        "sources_unchanged": report.unchanged_sources,
        "pages": report.pages,
        "new": report.counts["new"],
        "analysed": report.analysed,
    }


async def _run(args: argparse.Namespace, port: int, db: str) -> list[dict[str, Any]]:
    settings = Settings(fetch=FetchSettings(allow_private_network=True), batch_size=32)
    urls = [f"http://127.0.0.{i % args.hosts + 1}:{port}/feed{i}.xml" for i in range(args.feeds)]
    rows = []
    with Store.open(db) as store:
        watcher = Watcher(
            store, urls, settings=settings, options=WatchOptions(every=dt.timedelta(0)), analyzer=_prime
        )
        watcher.start()
        async with PoliteClient(fetch=settings.fetch, max_bytes=settings.max_input_bytes) as client:

            async def timed(name: str) -> None:
                before = client.requests
                report = await watcher.cycle(client)
                rows.append(_row(name, report, client.requests - before))
                print(f"{name}: {report.summary_line()}", file=sys.stderr)

            await timed("prime (no NLP, not a figure; a no-op on a kept --db)")
            await timed("unchanged, ETag (304)")
            _set(port, validators=0)
            await timed("unchanged, no validators")
            _set(port, validators=1)
            await timed("unchanged, validators back")
            if args.analysis == "real":
                from veille.annotate.nlp import get_nlp
                from veille.pipeline import analyze_many

                get_nlp("fr", models=settings.models)  # loaded once by a long-running watcher
                watcher.analyzer = analyze_many
            _set(port, version=int(time.time()) % 1_000_000 or 1)  # items no earlier run has seen
            await timed(f"{args.new:.0%} new ({args.analysis} analysis)")
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m veille.watch.bench", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--hosts", type=int, default=20, help="loopback sites the feeds are spread over")
    parser.add_argument("--new", type=float, default=0.1, help="share of each feed's items that is new")
    parser.add_argument("--analysis", choices=["real", "none"], default="real")
    parser.add_argument(
        "--db", help="store to keep: a second run with the same --port skips the priming (default: temporary)"
    )
    parser.add_argument("--port", type=int, default=0, help="server port (default: any free one)")
    args = parser.parse_args(argv)
    new_per_feed = max(1, round(args.items * args.new))
    port_box: Any = multiprocessing.get_context("spawn").Queue()
    serve_args = (port_box, args.port, args.hosts, args.feeds, args.items, new_per_feed)
    server = multiprocessing.get_context("spawn").Process(target=_serve, args=serve_args, daemon=True)
    server.start()
    try:
        port = port_box.get(timeout=60)
        with tempfile.TemporaryDirectory() as folder:
            rows = asyncio.run(_run(args, port, args.db or f"sqlite:///{Path(folder) / 'bench.sqlite'}"))
    finally:
        server.terminate()
        with contextlib.suppress(Exception):
            server.join(5)
    width = max(len(r["cycle"]) for r in rows)
    print(f"{'cycle':<{width}}  seconds  cpu_s  requests  pages  new  analysed")
    for r in rows:
        print(
            f"{r['cycle']:<{width}}  {r['seconds']:>7}  {r['cpu_seconds']:>5}  {r['requests']:>8}  "
            f"{r['pages']:>5}  {r['new']:>3}  {r['analysed']:>8}"
        )
    print(json.dumps({"feeds": args.feeds, "items": args.items, "hosts": args.hosts, "cycles": rows}))


if __name__ == "__main__":
    main()
