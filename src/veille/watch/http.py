"""One shared, polite HTTP client for watching many sources.

- **SSRF guard on every connection**: the client's connection pool opens TCP connections through
  :class:`GuardedBackend`, which runs issue A's guard (:func:`veille.ingest.guard.check_url`) on the
  host and connects only to an address it checked. Redirects and keep-alive are then safe: a new
  host means a new connection, hence a new check; the pool is keyed by host name, so TLS (SNI and
  certificate) is always for the name asked.
- **Bounded concurrency**: at most ``per_host`` requests to one site and ``concurrency`` overall;
  a site's ``Crawl-delay`` spaces its requests.
- **Conditional GET** (``If-None-Match`` / ``If-Modified-Since``): 304 costs no body.
- **robots.txt** respected (:mod:`veille.watch.robots`) with a clear User-Agent.
- Size cap (after content decoding) and an overall deadline per request.
"""

from __future__ import annotations

import asyncio
import functools
import ssl
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import anyio.to_thread
import httpcore
import httpx

from veille.errors import FetchError
from veille.ingest.guard import Resolver, check_url, parse_ip_literal, system_resolver
from veille.settings import FetchSettings
from veille.watch.robots import ROBOTS_MAX_BYTES, RobotsCache, site_of

_ACCEPT = (
    "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/html;q=0.9,"
    "text/plain;q=0.8,*/*;q=0.5"
)
_MAX_CRAWL_DELAY_S = 30.0


class HTTPStatusError(FetchError):
    """The server answered with an error status; ``retry_after`` (seconds) when it said when to retry."""

    def __init__(self, message: str, *, source: str, status: int, retry_after: float | None) -> None:
        super().__init__(message, source=source)
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True, kw_only=True)
class Fetched:
    url: str  # final URL, after redirects
    status: int  # 200, or 304 when the validators sent still hold
    data: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    content_type: str | None = None
    charset: str | None = None


@dataclass(frozen=True, kw_only=True)
class ClientLimits:
    concurrency: int = 16
    per_host: int = 2
    robots: bool = True
    robots_ttl_s: float = 86_400.0


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Opens TCP connections only to addresses the SSRF guard checked for the requested host."""

    def __init__(self, *, allow_private_network: bool, resolver: Resolver = system_resolver) -> None:
        self._inner = httpcore.AnyIOBackend()
        self._allow_private = allow_private_network
        self._resolver = resolver

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        url = f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"
        check = functools.partial(
            check_url, url, allow_private_network=self._allow_private, resolver=self._resolver
        )
        # A name needs DNS (blocking): resolve in a worker thread; an address literal is checked inline.
        target = check() if parse_ip_literal(host) is not None else await anyio.to_thread.run_sync(check)
        last: Exception | None = None
        for address in target.addresses:
            try:
                return await self._inner.connect_tcp(
                    str(address),
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:  # try the next checked address
                last = exc
        raise last or httpcore.ConnectError(f"no address for {host}")

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not fetched")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def guarded_transport(
    *,
    allow_private_network: bool,
    resolver: Resolver = system_resolver,
    verify: ssl.SSLContext | bool = True,
    limits: httpx.Limits,
) -> httpx.AsyncHTTPTransport:
    """httpx's transport with its connection pool rebuilt on :class:`GuardedBackend`.

    httpx does not take a network backend as an option; its transport delegates every request to
    ``_pool``, which we replace by an identical pool that connects through the guard (a test checks
    that loopback is refused through it, so an httpx change cannot silently drop the guard).
    """
    transport = httpx.AsyncHTTPTransport(verify=verify, trust_env=False, limits=limits)
    if not hasattr(transport, "_pool"):
        raise RuntimeError("unsupported httpx version: cannot install the SSRF guard")
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=httpx.create_ssl_context(verify=verify, trust_env=False),
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=GuardedBackend(allow_private_network=allow_private_network, resolver=resolver),
    )
    return transport


class _Site:
    def __init__(self, per_host: int) -> None:
        self.slots = asyncio.Semaphore(per_host)
        self.next_at = 0.0


def _retry_after(value: str | None) -> float | None:
    if value and value.strip().isdigit():
        return float(value.strip())
    return None


class PoliteClient:
    """Use as ``async with PoliteClient(...) as client: await client.get(url, etag=...)``."""

    def __init__(
        self,
        *,
        fetch: FetchSettings,
        max_bytes: int,
        limits: ClientLimits | None = None,
        resolver: Resolver = system_resolver,
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        self.settings = fetch
        self.limits = limits or ClientLimits()
        self.max_bytes = min(max_bytes, fetch.max_bytes)
        pool = httpx.Limits(
            max_connections=self.limits.concurrency, max_keepalive_connections=self.limits.concurrency
        )
        self._client = httpx.AsyncClient(
            transport=guarded_transport(
                allow_private_network=fetch.allow_private_network,
                resolver=resolver,
                verify=verify,
                limits=pool,
            ),
            timeout=httpx.Timeout(fetch.timeout_s),
            follow_redirects=True,
            max_redirects=fetch.max_redirects,
            trust_env=False,
            headers={"User-Agent": fetch.user_agent, "Accept": _ACCEPT},
        )
        self._overall = asyncio.Semaphore(self.limits.concurrency)
        self._sites: dict[str, _Site] = {}
        self.robots = RobotsCache(
            agent=fetch.user_agent, fetcher=self._robots_txt, ttl_s=self.limits.robots_ttl_s
        )
        self.requests = 0  # HTTP requests sent (robots.txt included): for reports and benchmarks

    async def __aenter__(self) -> PoliteClient:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    async def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """GET ``url`` politely; raise :class:`FetchError` (or :class:`HTTPStatusError`) on failure."""
        if not url.lower().startswith(("http://", "https://")):
            raise FetchError("only http and https URLs are watched", source=url)
        try:
            site = site_of(url)
        except (httpx.InvalidURL, ValueError) as exc:
            raise FetchError(f"not a valid URL ({exc})", source=url) from None
        if self.limits.robots:
            rules = await self.robots.rules(url)
            if not rules.allows(self.settings.user_agent, url):
                raise FetchError("disallowed by robots.txt", source=url)
            delay = min(rules.crawl_delay(self.settings.user_agent) or 0.0, _MAX_CRAWL_DELAY_S)
        else:
            delay = 0.0
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        gate = self._sites.setdefault(site, _Site(self.limits.per_host))
        # The site's slot first, then an overall one: waiting for a busy site holds no overall slot.
        async with gate.slots:
            wait = gate.next_at - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            gate.next_at = time.monotonic() + delay
            async with self._overall:
                return await self._get(url, headers, cap=self.max_bytes)

    async def _robots_txt(self, url: str) -> tuple[int, bytes]:
        """robots.txt's status and body; 599 when the site cannot be reached (the guard's refusals raise)."""
        self.requests += 1
        try:
            async with self._overall, asyncio.timeout(self.settings.total_timeout_s):
                fetched = await self._exchange(url, {}, cap=ROBOTS_MAX_BYTES, truncate=True)
        except HTTPStatusError as exc:
            return exc.status, b""
        except (httpx.HTTPError, TimeoutError):
            return 599, b""
        return fetched.status, fetched.data

    async def _get(self, url: str, headers: dict[str, str], *, cap: int, truncate: bool = False) -> Fetched:
        self.requests += 1
        try:
            async with asyncio.timeout(self.settings.total_timeout_s):
                return await self._exchange(url, headers, cap=cap, truncate=truncate)
        except TimeoutError:
            raise FetchError("took longer than the overall time limit", source=url) from None
        except httpx.TimeoutException:
            raise FetchError(f"timed out talking to {httpx.URL(url).host}", source=url) from None
        except httpx.TooManyRedirects:
            raise FetchError(f"more than {self.settings.max_redirects} redirects", source=url) from None
        except httpx.HTTPError as exc:
            reason = (str(exc).strip() or type(exc).__name__).splitlines()[0][:200]
            raise FetchError(f"cannot fetch ({reason})", source=url) from None

    async def _exchange(self, url: str, headers: dict[str, str], *, cap: int, truncate: bool) -> Fetched:
        async with self._client.stream("GET", url, headers=headers) as response:
            final = str(response.url)
            if response.status_code == 304:
                return Fetched(url=final, status=304)
            if response.status_code >= 400:
                phrase = response.reason_phrase or "error"
                raise HTTPStatusError(
                    f"HTTP {response.status_code} {phrase} from {response.url.host}",
                    source=url,
                    status=response.status_code,
                    retry_after=_retry_after(response.headers.get("retry-after")),
                )
            declared = response.headers.get("content-length", "")
            if not truncate and declared.isdigit() and int(declared) > cap:
                raise FetchError(
                    f"response larger than the {cap}-byte limit ({declared} bytes announced)", source=url
                )
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > cap:
                    if truncate:
                        chunks.append(chunk[: cap - (size - len(chunk))])
                        break
                    raise FetchError(f"response larger than the {cap}-byte limit", source=url)
                chunks.append(chunk)
            return Fetched(
                url=final,
                status=response.status_code,
                data=b"".join(chunks),
                etag=response.headers.get("etag"),
                last_modified=response.headers.get("last-modified"),
                content_type=response.headers.get("content-type"),
                charset=response.charset_encoding,
            )
