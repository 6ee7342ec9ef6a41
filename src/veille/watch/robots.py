"""robots.txt rules per site, read once and kept for a day (RFC 9309).

A 2xx answer is parsed (``urllib.robotparser``; the User-Agent's product token, ``veille``, selects
the group); a 4xx answer (no robots.txt) allows everything; a 5xx answer or a network failure means
"complete disallow" for a short while (RFC 9309 §2.3.1.4), so the site's sources back off and are
tried again later rather than read against the site's wishes.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.robotparser import RobotFileParser

import httpx

ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309 asks crawlers to read at least 500 KiB
_UNREACHABLE_TTL_S = 60.0

# (url) -> (HTTP status, body), with status 599 when the site could not be reached.
RobotsFetcher = Callable[[str], Awaitable[tuple[int, bytes]]]


@dataclass(frozen=True)
class RobotsRules:
    parser: RobotFileParser | None  # None: no rules (everything allowed) or everything disallowed
    disallow_all: bool
    expires: float  # time.monotonic() after which the file is read again

    def allows(self, agent: str, url: str) -> bool:
        if self.disallow_all:
            return False
        return self.parser is None or self.parser.can_fetch(agent, url)

    def crawl_delay(self, agent: str) -> float | None:
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(agent)
        return float(delay) if delay is not None else None


def parse_robots(status: int, body: bytes, *, ttl_s: float, now: float) -> RobotsRules:
    if 200 <= status < 300:
        parser = RobotFileParser()
        parser.parse(body[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace").splitlines())
        return RobotsRules(parser, disallow_all=False, expires=now + ttl_s)
    if 400 <= status < 500:
        return RobotsRules(None, disallow_all=False, expires=now + ttl_s)
    return RobotsRules(None, disallow_all=True, expires=now + _UNREACHABLE_TTL_S)


def site_of(url: str) -> str:
    parsed = httpx.URL(url)
    port = f":{parsed.port}" if parsed.port else ""
    return f"{parsed.scheme}://{parsed.host}{port}"


class RobotsCache:
    """robots.txt rules per site (scheme, host, port); one read in flight per site."""

    def __init__(self, *, agent: str, fetcher: RobotsFetcher, ttl_s: float = 86_400.0) -> None:
        self.agent = agent
        self._fetcher = fetcher
        self._ttl_s = ttl_s
        self._rules: dict[str, RobotsRules] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def rules(self, url: str) -> RobotsRules:
        site = site_of(url)
        cached = self._rules.get(site)
        if cached is not None and cached.expires > time.monotonic():
            return cached
        lock = self._locks.setdefault(site, asyncio.Lock())
        async with lock:
            cached = self._rules.get(site)
            if cached is not None and cached.expires > time.monotonic():
                return cached
            status, body = await self._fetcher(f"{site}/robots.txt")
            rules = parse_robots(status, body, ttl_s=self._ttl_s, now=time.monotonic())
            self._rules[site] = rules
            return rules
