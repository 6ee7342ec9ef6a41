"""Fixtures of the ingest tests: loopback HTTP and HTTPS servers, a port with nothing listening."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from loopback_server import PAGE, LoopbackServer, big_chunked, send, serve

TLS_NAME = "news.localtest"


@pytest.fixture(scope="module")
def server() -> Iterator[LoopbackServer]:
    html = {"Content-Type": "text/html; charset=windows-1252"}
    with serve({}) as state:
        base = state.url("")
        state.routes.update(
            {
                "/page.html": lambda h: send(h, 200, PAGE, html),
                "/redirect": lambda h: send(h, 302, b"", {"Location": "/page.html"}),
                "/redirect-absolute": lambda h: send(h, 301, b"", {"Location": f"{base}/redirect"}),
                "/loop": lambda h: send(h, 302, b"", {"Location": "/loop"}),
                "/to-metadata": lambda h: send(
                    h, 302, b"", {"Location": "http://169.254.169.254/latest/meta-data/"}
                ),
                "/to-file": lambda h: send(h, 302, b"", {"Location": "file:///etc/passwd"}),
                "/announced-big": lambda h: send(h, 200, b"y" * 5000, {"Content-Type": "text/plain"}),
                "/endless": big_chunked,
            }
        )
        yield state


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A throw-away self-signed certificate for TLS_NAME (made with the openssl command)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", f"/CN={TLS_NAME}",
         "-addext", f"subjectAltName=DNS:{TLS_NAME}"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture(scope="module")
def tls_server(certificate: tuple[Path, Path]) -> Iterator[LoopbackServer]:
    cert, key = certificate
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    with serve(
        {"/page.html": lambda h: send(h, 200, PAGE, {"Content-Type": "text/html"})}, tls=context
    ) as state:
        yield state


@pytest.fixture
def free_port() -> int:
    """A loopback port with nothing listening (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
