"""Load check: latency of article and event queries under concurrent clients, on loopback only.

    python -m veille.api.loadcheck --db sqlite:///big.sqlite --clients 50 --seconds 20
    python -m veille.api.loadcheck --db sqlite:///big.sqlite --generate-from sqlite:///demo.sqlite

It starts ``veille serve --read-only`` on 127.0.0.1 (a free port) unless ``--url`` names a server
already running on loopback, then runs ``--clients`` concurrent clients for ``--seconds``: each sends
a random query of the mix (search, filtered lists, details), waits for the answer, optionally
pauses ``--think-ms``, and sends the next. Prints latency percentiles per kind of query, then as the
last line a JSON object of the figures. Bounded by time; never leaves the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import random
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

from veille.api.loadclient import HttpError, KeepAliveClient
from veille.api.loadgen import generate
from veille.api.loadmix import MIX, Vocabulary, make_request, vocabulary
from veille.api.loadprobe import TreeProbe

_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


@dataclass
class _Tally:
    """What the clients record, only for requests sent inside ``[measure_from, stop_at)``."""

    measure_from: float
    stop_at: float
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    hits: dict[str, int] = field(default_factory=lambda: defaultdict(int))


async def _client(
    http: KeepAliveClient, rng: random.Random, v: Vocabulary, think: float, tally: _Tally
) -> None:
    kinds, weights = list(MIX), list(MIX.values())
    try:
        if think:  # readers arrive spread over one pause, not all in the same millisecond
            await asyncio.sleep(rng.uniform(0, think))
        while time.monotonic() < tally.stop_at:
            kind = rng.choices(kinds, weights)[0]
            path, params = make_request(kind, rng, v)
            measured = time.monotonic() >= tally.measure_from
            started = time.perf_counter()
            hit = False
            try:
                status, _body = await http.get(path, params)
                outcome = str(status)
                hit = http.last_headers.get("x-veille-cache") == "hit"
            except HttpError as exc:
                outcome = str(exc)
            elapsed_ms = (time.perf_counter() - started) * 1000
            if measured:
                tally.latencies[kind].append(elapsed_ms)
                tally.hits[kind] += hit
                if outcome not in ("200", "404"):  # a random id may fall in a gap: 404 is an answer
                    tally.errors[kind] += 1
                    tally.errors[outcome] += 1
            if think:
                await asyncio.sleep(rng.uniform(0.5, 1.5) * think)
    finally:
        await http.close()


async def run_clients(
    base_url: str,
    v: Vocabulary,
    *,
    clients: int,
    seconds: float,
    think_ms: float,
    warmup: float = 0.0,
    seed: int = 1,
    cpu_probes: dict[str, Callable[[], float | None]] | None = None,
    cpu_used: dict[str, float] | None = None,
) -> tuple[dict[str, list[float]], dict[str, int], dict[str, int], float]:
    """Latencies and errors per kind of query, answers served from the server's cache, seconds
    measured; the first ``warmup`` seconds run the same way but are not recorded.

    ``cpu_probes``: name -> CPU seconds used so far (of the server, of this client); each is read
    when the measured window opens and when it closes, and ``cpu_used[name]`` gets the difference.
    """
    parts = urlsplit(base_url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    # One keep-alive connection per client, each opened (and checked) before the clock starts.
    connections = [KeepAliveClient(host, port) for _ in range(clients)]
    for http in connections:
        status, _ = await http.get("/api/health")
        if status != 200:
            raise SystemExit(f"loadcheck: {base_url}/api/health answered {status}")
    measure_from = time.monotonic() + warmup
    tally = _Tally(measure_from, measure_from + seconds)
    probes = cpu_probes or {}
    used = {} if cpu_used is None else cpu_used

    async def read_cpu() -> None:
        # Read at the window's edges only (a few ms of /proc reading), never during it.
        await asyncio.sleep(max(0.0, measure_from - time.monotonic()))
        start = {name: probe() for name, probe in probes.items()}
        await asyncio.sleep(max(0.0, tally.stop_at - time.monotonic()))
        for name, probe in probes.items():
            end, begin = probe(), start[name]
            if end is not None and begin is not None:
                used[name] = end - begin

    await asyncio.gather(
        read_cpu(),
        *(
            _client(http, random.Random(seed * 1000 + i), v, think_ms / 1000, tally)
            for i, http in enumerate(connections)
        ),
    )
    return tally.latencies, tally.errors, tally.hits, time.monotonic() - measure_from


def _on(flag: bool) -> str:
    return "on" if flag else "off"


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%" if whole else "-"


def report(
    latencies: dict[str, list[float]],
    errors: dict[str, int],
    elapsed: float,
    *,
    clients: int,
    hits: dict[str, int] | None = None,
) -> tuple[str, dict[str, Any]]:
    hits = hits or {}
    lines = [
        f"{'query':<18}{'n':>8}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'max ms':>10}{'errors':>8}"
        f"{'cached':>8}"
    ]
    everything: list[float] = []
    figures: dict[str, Any] = {"clients": clients, "seconds": round(elapsed, 1), "kinds": {}}
    for kind in MIX:
        values = latencies.get(kind, [])
        everything += values
        row: dict[str, Any] = {
            "n": len(values),
            "p50_ms": round(percentile(values, 0.5), 1),
            "p95_ms": round(percentile(values, 0.95), 1),
            "p99_ms": round(percentile(values, 0.99), 1),
            "max_ms": round(max(values), 1) if values else None,
            "errors": errors.get(kind, 0),
            "cache_hits": hits.get(kind, 0),
        }
        figures["kinds"][kind] = row
        lines.append(
            f"{kind:<18}{row['n']:>8}{row['p50_ms']:>10}{row['p95_ms']:>10}{row['p99_ms']:>10}"
            f"{row['max_ms'] or 0:>10}{row['errors']:>8}{_share(row['cache_hits'], len(values)):>8}"
        )
    figures.update(
        requests=len(everything),
        rps=round(len(everything) / elapsed, 1) if elapsed else 0.0,
        p50_ms=round(percentile(everything, 0.5), 1),
        p95_ms=round(percentile(everything, 0.95), 1),
        p99_ms=round(percentile(everything, 0.99), 1),
        mean_ms=round(statistics.fmean(everything), 1) if everything else None,
        errors=sum(errors.get(kind, 0) for kind in MIX),
        error_kinds={k: n for k, n in errors.items() if k not in MIX},
        cache_hits=sum(hits.values()),
    )
    lines.append(
        f"{'all':<18}{figures['requests']:>8}{figures['p50_ms']:>10}{figures['p95_ms']:>10}{figures['p99_ms']:>10}"
        f"{'':>10}{figures['errors']:>8}{_share(figures['cache_hits'], len(everything)):>8}"
        f"   {figures['rps']} req/s"
    )
    return "\n".join(lines), figures


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(
    db_url: str, *, port: int, workers: int = 1, cache: bool = True, timeout: float = 90.0
) -> subprocess.Popen[bytes]:
    """``veille serve --read-only`` on 127.0.0.1:``port``; returns once it answers."""
    command = [sys.executable, "-m", "veille", "serve", "--db", db_url, "--port", str(port), "--read-only"]
    command += ["--workers", str(workers), "--cache" if cache else "--no-cache"]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            message = (server.stderr.read() if server.stderr else b"").decode(errors="replace").strip()
            raise SystemExit(f"loadcheck: the server stopped: {message.splitlines()[-1] if message else '?'}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    server.terminate()
    raise SystemExit("loadcheck: the server did not start in time")


def main(argv: list[str] | None = None, *, echo: Callable[[str], None] = print) -> dict[str, Any]:
    parser = argparse.ArgumentParser(
        prog="python -m veille.api.loadcheck", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--db", required=True, help="store to query (sqlite:///PATH or postgresql://…)")
    parser.add_argument("--generate-from", help="first fill the (empty) --db with copies of this store")
    parser.add_argument("--events", type=int, default=100_000, help="events to generate (default 100000)")
    parser.add_argument("--articles", type=int, default=15_000, help="articles to generate (default 15000)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--think-ms", type=float, default=0.0, help="mean pause between a client's requests")
    parser.add_argument(
        "--warmup", type=float, default=3.0, help="seconds of the same load run first, not measured"
    )
    parser.add_argument("--url", help="query this running server (loopback only) instead of starting one")
    parser.add_argument("--workers", type=int, default=2, help="server processes (default 2: one per core)")
    parser.add_argument("--no-cache", action="store_true", help="start the server without its answer cache")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= 500 or not 0 < args.seconds <= 600 or not 1 <= args.workers <= 32:
        parser.error("--clients must be 1..500, --seconds 0..600 and --workers 1..32")
    if not 0 <= args.warmup <= 60:
        parser.error("--warmup must be 0..60 seconds")
    if args.url and urlsplit(args.url).hostname not in _LOOPBACK:
        parser.error("--url must be a loopback address (127.0.0.1, localhost, ::1)")
    if args.generate_from:
        started = time.monotonic()
        made = generate(args.generate_from, args.db, events=args.events, articles=args.articles)
        echo(
            f"generated {made.articles} articles and {made.events} events "
            f"({made.copies} copies × {made.event_factor}) in {time.monotonic() - started:.0f} s"
        )
    v = vocabulary(args.db)
    server = None
    base = args.url
    if base is None:
        port = _free_port()
        server = start_server(args.db, port=port, workers=args.workers, cache=not args.no_cache)
        base = f"http://127.0.0.1:{port}"
    echo(
        f"{v.events} events and {v.articles} articles in the store; {args.clients} clients for "
        f"{args.seconds:g} s after {args.warmup:g} s of warm-up, think {args.think_ms:g} ms; "
        + (
            f"server at {base}"
            if args.url
            else f"{args.workers} workers, cache {'off' if args.no_cache else 'on'}"
        )
    )
    probes: dict[str, Callable[[], float | None]] = {"client": time.process_time}
    tree = TreeProbe(server.pid) if server is not None else None
    if tree is not None:
        probes["server"] = tree
    cpu_used: dict[str, float] = {}
    try:
        latencies, errors, hits, elapsed = asyncio.run(
            run_clients(
                base,
                v,
                clients=args.clients,
                seconds=args.seconds,
                think_ms=args.think_ms,
                warmup=args.warmup,
                cpu_probes=probes,
                cpu_used=cpu_used,
            )
        )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=15)
    table, figures = report(latencies, errors, elapsed, clients=args.clients, hits=hits)
    requests = figures["requests"]
    for name, seconds in cpu_used.items():
        # CPU per answer: what each request costs, whatever else shares the cores meanwhile.
        figures[f"{name}_cpu_ms_per_request"] = round(1000 * seconds / requests, 2) if requests else None
        table += f"\n{name} CPU: {seconds:.1f} s in the window"
        table += f", {1000 * seconds / requests:.2f} ms per request" if requests else ""
    if tree is not None:
        split = [round(s, 1) for s in tree.split() if s >= 0.05 * sum(tree.split())]
        figures["server_cpu_by_process_s"] = split
        table += "\nserver CPU by process: " + " + ".join(f"{s:.1f} s" for s in split)
    figures.update(
        think_ms=args.think_ms,
        warmup_s=args.warmup,
        events_in_store=v.events,
        articles_in_store=v.articles,
        workers=None if args.url else args.workers,
        cache=None if args.url else not args.no_cache,
    )
    echo(table)
    echo(json.dumps(figures))
    return figures


if __name__ == "__main__":
    main()
