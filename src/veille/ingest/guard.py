"""The SSRF guard: which URLs veille may fetch, and which IP address to connect to.

A URL is fetched only when its scheme is http or https and *every* address its host resolves to
is a public unicast address. Refused: loopback, private (RFC 1918, ULA), link-local (including
the 169.254.169.254 cloud metadata service), multicast, reserved, unspecified and other
non-global ranges (CGNAT 100.64/10, documentation, benchmarking), for IPv4 and IPv6, including
IPv4 addresses embedded in IPv6 (``::ffff:127.0.0.1``, 6to4, NAT64) and the numeric spellings
the C resolver accepts (``2130706433``, ``0x7f.1``, ``0177.0.0.1``, ``127.1``).

DNS rebinding: the guard resolves the host once, checks every address, and the fetcher then
connects to one of those checked addresses (the host name is kept for the Host header and TLS
SNI/certificate check), so a second DNS answer cannot swap in a private address between check and
connect. The host is read with httpx's own URL parser, the one the client uses, so
``http://evil.example@127.0.0.1/`` is judged by the host httpx would contact.
Residual risks (documented, not solved here): a public host may itself proxy requests inward; a
redirect is re-checked hop by hop, but a public server that fetches on our behalf is outside our
reach; environment proxies are ignored (``trust_env=False``) because the guard cannot see past them.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import httpx

from veille.errors import FetchError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
# (host, port) -> addresses; injectable so that tests never need DNS.
Resolver = Callable[[str, int], Sequence[str]]

ALLOWED_SCHEMES = frozenset({"http", "https"})
_DEFAULT_PORTS = {"http": 80, "https": 443}
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_HOST = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,251}[A-Za-z0-9_.])?$")  # ASCII (IDNA) DNS name


@dataclass(frozen=True, kw_only=True)
class Target:
    """A URL that passed the guard, with the checked addresses to connect to."""

    url: httpx.URL
    host: str  # ASCII (IDNA) host name or IP literal, as the client would use it
    port: int
    addresses: tuple[IPAddress, ...]


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    return [str(info[4][0]) for info in infos]


def parse_url(url: str) -> httpx.URL:
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        raise FetchError(f"not a valid URL ({exc})", source=url) from None
    scheme = parsed.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        shown = f"{scheme}:" if scheme else "a URL without a scheme"
        raise FetchError(f"refused {shown} URL (only http and https are fetched)", source=url)
    if not parsed.raw_host:
        raise FetchError("URL has no host", source=url)
    host = parsed.raw_host.decode("ascii", errors="replace")
    if not _HOST.match(host) and parse_ip_literal(host) is None:
        raise FetchError(f"not a valid host name {host!r}", source=url)
    if parsed.port is not None and not 0 < parsed.port < 65536:
        raise FetchError(f"not a valid port {parsed.port}", source=url)
    return parsed


def parse_ip_literal(host: str) -> IPAddress | None:
    """The address a numeric host denotes, with the C resolver's lenient IPv4 forms.

    ``inet_aton`` accepts 1 to 4 dot-separated parts in decimal, octal (leading 0) or hex (0x),
    the last part filling the remaining bytes: ``2130706433``, ``0x7f.1`` and ``127.1`` all mean
    127.0.0.1. Parsing them here makes refusals independent of the platform's resolver.
    """
    text = host.strip("[]")
    try:
        return ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        pass
    parts = text.split(".")
    if not 1 <= len(parts) <= 4:
        return None
    values: list[int] = []
    for part in parts:
        value = _parse_c_number(part)
        if value is None:
            return None
        values.append(value)
    *head, last = values
    if any(v > 255 for v in head) or last >= 256 ** (4 - len(head)):
        return None
    number = 0
    for v in head:
        number = number * 256 + v
    number = number * 256 ** (4 - len(head)) + last
    return ipaddress.IPv4Address(number)


def _parse_c_number(part: str) -> int | None:
    lowered = part.lower()
    try:
        if lowered.startswith("0x"):
            return int(lowered[2:] or "0", 16)
        if len(lowered) > 1 and lowered.startswith("0"):
            return int(lowered[1:], 8)
        return int(lowered, 10) if lowered.isdigit() else None
    except ValueError:
        return None


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def non_public_reason(ip: IPAddress) -> str | None:
    """Why an address must not be contacted (``None`` for a public unicast address)."""
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            inner = non_public_reason(embedded)
            if inner is not None:
                return f"{inner} (embedded IPv4)"
    checks = (
        (ip.is_unspecified, "unspecified"),
        (ip.is_loopback, "loopback"),
        (ip.is_link_local, "link-local"),
        (ip.is_multicast, "multicast"),
        (ip.is_reserved, "reserved"),
        (ip.is_private, "private"),
        (not ip.is_global, "non-public"),
    )
    return next((reason for flagged, reason in checks if flagged), None)


def _is_localhost_name(host: str) -> bool:
    name = host.rstrip(".").lower()
    return name == "localhost" or name.endswith(".localhost")  # RFC 6761: always loopback


def check_url(
    url: str,
    *,
    allow_private_network: bool,
    resolver: Resolver = system_resolver,
) -> Target:
    """Parse, resolve and check a URL; raise :class:`FetchError` when it must not be fetched."""
    parsed = parse_url(url)
    host = parsed.raw_host.decode("ascii")
    port = parsed.port or _DEFAULT_PORTS[parsed.scheme.lower()]
    if not allow_private_network and _is_localhost_name(host):
        raise FetchError(f"refused: {host} is a loopback host name (private network not allowed)", source=url)
    literal = parse_ip_literal(host)
    if literal is not None:
        addresses: tuple[IPAddress, ...] = (literal,)
    else:
        addresses = _resolve(host, port, resolver=resolver, source=url)
    if not allow_private_network:
        for address in addresses:
            reason = non_public_reason(address)
            if reason is not None:
                raise FetchError(
                    f"refused: {host} resolves to a {reason} address ({address}); "
                    "private network not allowed",
                    source=url,
                )
    return Target(url=parsed, host=host, port=port, addresses=addresses)


def _resolve(host: str, port: int, *, resolver: Resolver, source: str) -> tuple[IPAddress, ...]:
    try:
        answers = resolver(host, port)
    except (OSError, UnicodeError) as exc:
        raise FetchError(f"cannot resolve host {host} ({exc})", source=source) from None
    addresses: list[IPAddress] = []
    for answer in answers:
        try:
            address = ipaddress.ip_address(answer.split("%", 1)[0])
        except ValueError:
            continue
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise FetchError(f"cannot resolve host {host}", source=source)
    return tuple(addresses)
