"""WARC reader: HTML responses become documents; damaged records are skipped, the rest is kept."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from veille.ingest.items import Item, Skipped
from veille.ingest.warc import read_warc
from veille.settings import Settings


def _write(path: Path, *, gzip: bool, pages: int = 3, big: int | None = None) -> Path:
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=gzip)
        for i in range(pages):
            body = (
                f"<html><title>Page {i}</title><p>Story number {i} ".encode() + b"text " * 60 + b"</p></html>"
            )
            if big is not None and i == big:
                body = b"<html>" + b"x" * 50_000 + b"</html>"
            http = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            writer.write_record(
                writer.create_warc_record(
                    f"https://site.example/{i}", "response", payload=BytesIO(body), http_headers=http
                )
            )
        image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                "https://site.example/logo.png", "response", payload=BytesIO(b"\x89PNG"), http_headers=image
            )
        )
        moved = StatusAndHeaders(
            "301 Moved", [("Content-Type", "text/html"), ("Location", "/0")], protocol="HTTP/1.1"
        )
        writer.write_record(
            writer.create_warc_record(
                "https://site.example/old", "response", payload=BytesIO(b"<p>moved</p>"), http_headers=moved
            )
        )
    return path


def _keys(entries: list[Item | Skipped]) -> list[str]:
    return [e.key if isinstance(e, Item) else "SKIPPED" for e in entries]


@pytest.mark.parametrize("gzip", [True, False])
def test_html_responses_only(tmp_path: Path, gzip: bool) -> None:
    path = _write(tmp_path / ("a.warc.gz" if gzip else "a.warc"), gzip=gzip)
    entries = list(read_warc(path, settings=Settings()))
    assert _keys(entries) == [f"https://site.example/{i}" for i in range(3)]
    first = entries[0]
    assert isinstance(first, Item) and first.raw is not None and first.raw.data is not None
    assert first.raw.data.startswith(b"<html><title>Page 0") and first.raw.url == "https://site.example/0"
    assert first.raw.content_type == "text/html; charset=utf-8" and "warc_date" in first.raw.meta


def test_corrupt_gzip_record_is_skipped_and_reading_resumes(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.warc.gz", gzip=True)
    data = bytearray(path.read_bytes())
    second = data.index(b"\x1f\x8b\x08", 10)  # start of the second record's gzip member
    data[second + 20 : second + 60] = b"\x00" * 40
    path.write_bytes(bytes(data))
    entries = list(read_warc(path, settings=Settings()))
    assert _keys(entries) == ["https://site.example/0", "SKIPPED", "https://site.example/2"]
    skipped = entries[1]
    assert isinstance(skipped, Skipped) and "damaged WARC record" in skipped.reason and "@" in skipped.source


def test_corrupt_plain_record_header_is_skipped(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.warc", gzip=False)
    data = path.read_bytes()
    second = data.index(b"WARC/1", 10)
    path.write_bytes(data[:second] + b"GARBAGE!" + data[second + 8 :])
    entries = list(read_warc(path, settings=Settings()))
    assert _keys(entries) == ["https://site.example/0", "SKIPPED", "https://site.example/2"]


def test_oversized_record_is_skipped(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.warc.gz", gzip=True, big=1)
    entries = list(read_warc(path, settings=Settings(max_input_bytes=10_000)))
    assert _keys(entries) == ["https://site.example/0", "SKIPPED", "https://site.example/2"]
    assert "larger than 10000 bytes" in entries[1].reason  # type: ignore[union-attr]


def test_not_a_warc(tmp_path: Path) -> None:
    path = tmp_path / "x.warc"
    path.write_bytes(b"hello, this is not an archive\n")
    entries = list(read_warc(path, settings=Settings()))
    assert all(isinstance(e, Skipped) for e in entries) and entries
