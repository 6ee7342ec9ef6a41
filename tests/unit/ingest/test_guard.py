"""The SSRF guard refuses private targets without sending any traffic."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

import pytest

from veille.errors import FetchError
from veille.ingest.guard import check_url, non_public_reason, parse_ip_literal


def no_dns(host: str, port: int) -> Sequence[str]:
    raise AssertionError(f"the guard must not resolve {host}: it is refused or literal")


def fake_dns(answers: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    def resolve(host: str, port: int) -> Sequence[str]:
        if host not in answers:
            raise OSError("Name or service not known")
        return answers[host]

    return resolve


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1/", "loopback"),
        ("http://127.0.0.1:8080/admin", "loopback"),
        ("http://10.1.2.3/", "private"),
        ("http://192.168.0.10/", "private"),
        ("http://172.16.5.4/", "private"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://[::1]/", "loopback"),
        ("http://[fe80::1]/", "link-local"),
        ("http://[fd00::5]/", "private"),
        ("http://[::ffff:127.0.0.1]/", "loopback"),
        ("http://[::ffff:10.0.0.1]/", "private"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://[::]/", "unspecified"),
        ("http://224.0.0.1/", "multicast"),
        ("http://240.0.0.1/", "reserved"),
        ("http://100.64.0.1/", "non-public"),
        ("http://2130706433/", "loopback"),  # decimal 127.0.0.1
        ("http://0x7f.1/", "loopback"),  # hex + short form
        ("http://127.1/", "loopback"),
        ("http://0x7f000001/", "loopback"),
        ("http://017700000001/", "loopback"),  # octal
        ("http://evil.example@127.0.0.1/", "loopback"),  # userinfo does not hide the host
    ],
)
def test_private_literals_are_refused_without_traffic(url: str, reason: str) -> None:
    with pytest.raises(FetchError) as info:
        check_url(url, allow_private_network=False, resolver=no_dns)
    assert reason in info.value.message
    assert "refused" in info.value.message
    assert info.value.source == url


@pytest.mark.parametrize("url", ["http://localhost/", "http://LOCALHOST./x", "http://api.localhost:9000/"])
def test_localhost_names_are_refused_before_resolution(url: str) -> None:
    with pytest.raises(FetchError, match="loopback host name"):
        check_url(url, allow_private_network=False, resolver=no_dns)


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/a.txt", "data:text/html,<p>x</p>", "gopher://x/"]
)
def test_other_schemes_are_refused(url: str) -> None:
    with pytest.raises(FetchError, match="only http and https"):
        check_url(url, allow_private_network=True, resolver=no_dns)


def test_a_name_is_refused_when_any_answer_is_private() -> None:
    # A rebinding-style answer mixing a public and a private address is refused as a whole.
    resolver = fake_dns({"news.example": ["93.184.216.34", "10.0.0.7"]})
    with pytest.raises(FetchError, match=r"news\.example resolves to a private address \(10\.0\.0\.7\)"):
        check_url("https://news.example/a", allow_private_network=False, resolver=resolver)


def test_a_public_name_passes_with_its_checked_addresses() -> None:
    resolver = fake_dns({"news.example": ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"]})
    target = check_url("https://news.example/a?b=1", allow_private_network=False, resolver=resolver)
    assert target.host == "news.example"
    assert target.port == 443
    assert [str(a) for a in target.addresses] == ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"]


def test_unresolvable_host_is_a_fetch_error() -> None:
    with pytest.raises(FetchError, match=r"cannot resolve host nowhere\.example"):
        check_url("http://nowhere.example/", allow_private_network=False, resolver=fake_dns({}))


def test_allowance_lets_loopback_through() -> None:
    target = check_url("http://127.0.0.1:8000/x", allow_private_network=True, resolver=no_dns)
    assert target.addresses == (ipaddress.ip_address("127.0.0.1"),)


@pytest.mark.parametrize("url", ["http://", "http://exa mple.org:99999/", "https://[::1/"])
def test_malformed_urls_are_fetch_errors(url: str) -> None:
    with pytest.raises(FetchError):
        check_url(url, allow_private_network=False, resolver=no_dns)


def test_numeric_forms_follow_inet_aton() -> None:
    assert str(parse_ip_literal("2130706433")) == "127.0.0.1"
    assert str(parse_ip_literal("0x7f.0.0.1")) == "127.0.0.1"
    assert str(parse_ip_literal("10.1")) == "10.0.0.1"
    assert str(parse_ip_literal("192.168.257")) == "192.168.1.1"
    assert parse_ip_literal("news.example") is None
    assert parse_ip_literal("1.2.3.4.5") is None
    assert parse_ip_literal("256.1.1.1") is None
    assert parse_ip_literal("08.1.1.1") is None  # not valid octal


def test_embedded_ipv4_in_6to4_and_nat64() -> None:
    assert non_public_reason(ipaddress.ip_address("2002:7f00:1::")) is not None  # 6to4 of 127.0.0.1
    assert non_public_reason(ipaddress.ip_address("64:ff9b::a9fe:a9fe")) is not None  # NAT64 169.254.169.254
    assert non_public_reason(ipaddress.ip_address("8.8.8.8")) is None
