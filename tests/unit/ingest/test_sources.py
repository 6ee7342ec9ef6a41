"""read_source: files, stdin, URLs, and the refusals around them."""

from __future__ import annotations

import io
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from loopback_server import PAGE, LoopbackServer

from veille.errors import FetchError, InputError
from veille.ingest import read_source
from veille.settings import Settings


def test_reads_a_file(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_bytes(b"Un article court.")
    raw = read_source(str(page), settings=Settings())
    assert raw.data == b"Un article court."
    assert raw.source == str(page)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_source(str(tmp_path / "absent.html"), settings=Settings())


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory"):
        read_source(str(tmp_path), settings=Settings())


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.html"
    with big.open("wb") as handle:  # sparse: 50 MB announced, nothing written
        handle.truncate(50 * 1024 * 1024)
    with pytest.raises(InputError, match="larger than the 20971520-byte limit"):
        read_source(str(big), settings=Settings())


def test_stdin_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    class FakeStdin:
        buffer = io.BytesIO(b"a" * 101)

    monkeypatch.setattr(sys, "stdin", FakeStdin())
    with pytest.raises(InputError, match="larger than the 100-byte limit"):
        read_source("-", settings=Settings(max_input_bytes=100))


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    class FakeStdin:
        buffer = io.BytesIO("Texte venu de l’entrée standard.".encode())

    monkeypatch.setattr(sys, "stdin", FakeStdin())
    assert read_source("-", settings=Settings()).data == "Texte venu de l’entrée standard.".encode()


@pytest.mark.parametrize(
    "source", ["file:///etc/passwd", "file:/etc/passwd", "ftp://example.org/x", "data:text/html,<p>hi</p>"]
)
def test_non_http_urls_are_refused(source: str) -> None:
    with pytest.raises(FetchError, match="only http and https"):
        read_source(source, settings=Settings())


def test_windows_like_path_is_a_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_source("C:page.html", settings=Settings())


def test_urls_go_through_the_fetcher(server: LoopbackServer) -> None:
    settings = Settings()
    allowed = settings.with_options(fetch=replace(settings.fetch, allow_private_network=True))
    assert read_source(server.url("/page.html"), settings=allowed).data == PAGE
    with pytest.raises(FetchError, match="loopback"):
        read_source(server.url("/page.html"), settings=settings)
