"""Fetching through a loopback server: redirects re-checked, caps, errors, headers kept."""

from __future__ import annotations

import ipaddress
import ssl
from dataclasses import replace
from pathlib import Path

import pytest
from loopback_server import PAGE, LoopbackServer

from veille.errors import FetchError
from veille.ingest import guard
from veille.ingest.fetch import fetch_url
from veille.settings import FetchSettings

ALLOW = FetchSettings(allow_private_network=True, timeout_s=5.0, total_timeout_s=10.0)


def test_fetch_keeps_bytes_content_type_and_charset(server: LoopbackServer) -> None:
    raw = fetch_url(server.url("/page.html"), settings=ALLOW)
    assert raw.data == PAGE
    assert raw.content_type == "text/html; charset=windows-1252"
    assert raw.charset == "windows-1252"
    assert raw.url == server.url("/page.html")
    assert raw.source == server.url("/page.html")


def test_redirects_are_followed_hop_by_hop(server: LoopbackServer) -> None:
    raw = fetch_url(server.url("/redirect-absolute"), settings=ALLOW)
    assert raw.data == PAGE
    assert raw.url == server.url("/page.html")  # the final URL, for canonical/id purposes


def test_the_connection_names_the_host_not_the_pinned_address(server: LoopbackServer) -> None:
    resolver = lambda host, port: ["127.0.0.1"]  # noqa: E731
    fetch_url(f"http://news.localtest:{server.port}/page.html", settings=ALLOW, resolver=resolver)
    assert server.host_headers[-1] == f"news.localtest:{server.port}"


def test_too_many_redirects(server: LoopbackServer) -> None:
    with pytest.raises(FetchError, match="more than 2 redirects"):
        fetch_url(server.url("/loop"), settings=replace(ALLOW, max_redirects=2))


def test_each_redirect_target_goes_through_the_guard(
    server: LoopbackServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Treat the test server's loopback address as public so that the first hop is allowed and
    # only the redirect target (the cloud metadata address) meets the guard.
    real = guard.non_public_reason
    loopback = ipaddress.ip_address("127.0.0.1")
    monkeypatch.setattr(guard, "non_public_reason", lambda ip: None if ip == loopback else real(ip))
    strict = replace(ALLOW, allow_private_network=False)
    before = len(server.requests)
    with pytest.raises(FetchError, match=r"link-local address \(169\.254\.169\.254\)"):
        fetch_url(server.url("/to-metadata"), settings=strict)
    assert server.requests[before:] == ["/to-metadata"]  # nothing was sent to the second hop


def test_redirect_to_a_file_url_is_refused(server: LoopbackServer) -> None:
    with pytest.raises(FetchError, match="refused file: URL"):
        fetch_url(server.url("/to-file"), settings=ALLOW)


def test_announced_size_over_the_cap_is_refused(server: LoopbackServer) -> None:
    with pytest.raises(FetchError, match="larger than the 1000-byte limit"):
        fetch_url(server.url("/announced-big"), settings=ALLOW, max_bytes=1000)


def test_streamed_body_is_cut_at_the_cap(server: LoopbackServer) -> None:
    with pytest.raises(FetchError, match="larger than the 50000-byte limit"):
        fetch_url(server.url("/endless"), settings=replace(ALLOW, max_bytes=50_000))


def test_http_error_status(server: LoopbackServer) -> None:
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch_url(server.url("/missing"), settings=ALLOW)


def test_nothing_listening(free_port: int) -> None:
    with pytest.raises(FetchError, match=f"cannot connect to 127.0.0.1:{free_port}"):
        fetch_url(f"http://127.0.0.1:{free_port}/", settings=ALLOW)


def test_private_target_refused_without_the_allowance(server: LoopbackServer) -> None:
    before = len(server.requests)
    with pytest.raises(FetchError, match="loopback"):
        fetch_url(server.url("/page.html"), settings=FetchSettings())
    assert len(server.requests) == before


def test_tls_is_checked_against_the_url_name_while_connecting_to_the_pinned_address(
    tls_server: LoopbackServer, certificate: tuple[Path, Path]
) -> None:
    trust = ssl.create_default_context(cafile=str(certificate[0]))
    pinned = lambda host, port: ["127.0.0.1"]  # noqa: E731
    raw = fetch_url(
        f"https://news.localtest:{tls_server.port}/page.html", settings=ALLOW, resolver=pinned, verify=trust
    )
    assert raw.data == PAGE
    assert tls_server.host_headers[-1] == f"news.localtest:{tls_server.port}"
    # Same address, another name: the certificate does not match it, so the fetch fails.
    with pytest.raises(FetchError, match=r"other\.localtest:\d+ \(\[SSL: CERTIFICATE_VERIFY_FAILED\]"):
        fetch_url(
            f"https://other.localtest:{tls_server.port}/page.html",
            settings=ALLOW,
            resolver=pinned,
            verify=trust,
        )
