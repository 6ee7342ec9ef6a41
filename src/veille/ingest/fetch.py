"""Fetch one http(s) URL safely: SSRF guard on every hop, pinned addresses, size and time caps.

Redirects are followed by hand (at most ``max_redirects``) so that each target goes through the
guard again; the connection goes to an address the guard checked (see :mod:`veille.ingest.guard`).
The body is streamed and abandoned as soon as it passes the byte cap (after content decoding, so a
compressed bomb is cut too) or the whole exchange passes the overall deadline.
"""

from __future__ import annotations

import ssl
import time
from urllib.parse import urljoin

import httpx

from veille.errors import FetchError
from veille.ingest.guard import Resolver, Target, check_url, system_resolver
from veille.ingest.raw import RawDocument
from veille.settings import FetchSettings

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_ACCEPT = "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5"


def fetch_url(
    url: str,
    *,
    settings: FetchSettings,
    max_bytes: int | None = None,
    resolver: Resolver = system_resolver,
    verify: ssl.SSLContext | bool = True,
) -> RawDocument:
    """Read ``url`` into a :class:`RawDocument`; raise :class:`FetchError` on any refusal or failure.

    ``verify`` is httpx's TLS verification (a context trusting a private CA, for instance).
    """
    cap = settings.max_bytes if max_bytes is None else min(max_bytes, settings.max_bytes)
    deadline = time.monotonic() + settings.total_timeout_s
    current = url
    for _hop in range(settings.max_redirects + 1):
        if time.monotonic() > deadline:
            raise FetchError("redirects took longer than the overall time limit", source=url)
        target = check_url(current, allow_private_network=settings.allow_private_network, resolver=resolver)
        # One client per hop: its connection pool is keyed by the pinned address, and a pooled
        # TLS connection opened for another host name on the same address must not be reused.
        with _client(settings, verify=verify) as client:
            response = _connect(client, target, source=url)
            try:
                location = response.headers.get("location")
                if response.status_code in _REDIRECTS and location:
                    current = urljoin(str(target.url), location)
                    continue
                if response.status_code >= 400:
                    phrase = response.reason_phrase or "error"
                    raise FetchError(f"HTTP {response.status_code} {phrase} from {target.host}", source=url)
                data = _read_capped(response, cap=cap, deadline=deadline, source=url)
                return RawDocument(
                    source=url,
                    data=data,
                    url=str(target.url),
                    content_type=response.headers.get("content-type"),
                    charset=response.charset_encoding,
                )
            finally:
                response.close()
    raise FetchError(f"more than {settings.max_redirects} redirects", source=url)


def _client(settings: FetchSettings, *, verify: ssl.SSLContext | bool) -> httpx.Client:
    return httpx.Client(
        timeout=httpx.Timeout(settings.timeout_s),
        follow_redirects=False,
        trust_env=False,  # proxies from the environment would connect where the guard cannot see
        verify=verify,
        headers={"User-Agent": settings.user_agent, "Accept": _ACCEPT},
    )


def _pinned_request(client: httpx.Client, target: Target, address: str) -> httpx.Request:
    """A GET to ``address`` that still names ``target.host`` (Host header, TLS SNI and cert check)."""
    if address == target.host.strip("[]"):
        return client.build_request("GET", target.url)
    netloc = target.url.netloc.decode("ascii").rsplit("@", 1)[-1]
    pinned = target.url.copy_with(host=address)
    extensions = {"sni_hostname": target.host} if target.url.scheme == "https" else {}
    return client.build_request("GET", pinned, headers={"Host": netloc}, extensions=extensions)


def _connect(client: httpx.Client, target: Target, *, source: str) -> httpx.Response:
    """Send the request to the first checked address that accepts a connection."""
    last: Exception | None = None
    for address in target.addresses:
        request = _pinned_request(client, target, str(address))
        try:
            return client.send(request, stream=True)
        except httpx.ConnectError as exc:  # try the next checked address
            last = exc
        except httpx.TimeoutException:
            raise FetchError(f"timed out talking to {target.host}", source=source) from None
        except httpx.HTTPError as exc:
            raise FetchError(f"cannot fetch from {target.host} ({_why(exc)})", source=source) from None
    raise FetchError(f"cannot connect to {target.host}:{target.port} ({_why(last)})", source=source)


def _read_capped(response: httpx.Response, *, cap: int, deadline: float, source: str) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise FetchError(
            f"response larger than the {cap}-byte limit ({declared} bytes announced)", source=source
        )
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > cap:
                raise FetchError(f"response larger than the {cap}-byte limit", source=source)
            if time.monotonic() > deadline:
                raise FetchError("download took longer than the overall time limit", source=source)
            chunks.append(chunk)
    except httpx.TimeoutException:
        raise FetchError("timed out while reading the response", source=source) from None
    except httpx.HTTPError as exc:
        raise FetchError(f"broken response ({_why(exc)})", source=source) from None
    return b"".join(chunks)


def _why(exc: Exception | None) -> str:
    if exc is None:
        return "no address"
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]
