"""Untrusted input parsers of the ingest readers never raise, whatever the bytes."""

from __future__ import annotations

import gzip
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from veille.ingest.corpus import parse_record
from veille.ingest.feeds import bound_items, looks_like_feed, read_feed
from veille.ingest.items import Item, Skipped
from veille.ingest.urllist import looks_like_url_list, read_url_list, valid_url
from veille.ingest.warc import read_warc
from veille.settings import Settings

PATH = Path("/tmp/x.jsonl")


@given(st.binary(max_size=400))
def test_corpus_line_parser_total(data: bytes) -> None:
    assert isinstance(parse_record(data, path=PATH, number=1), Item | Skipped)


@given(st.text(max_size=200))
def test_url_checks_total(line: str) -> None:
    valid = valid_url(line)
    assert not valid or line.startswith(("http://", "https://"))
    entries = list(read_url_list(line.encode("utf-8", "surrogatepass"), path=PATH))
    assert entries and all(isinstance(e, Item | Skipped) for e in entries)
    looks_like_url_list(line.encode("utf-8", "surrogatepass"))


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                b"<rss>",
                b"<item>",
                b"</item>",
                b"<entry>",
                b"</entry>",
                b"<title>x",
                b"\x00",
                b"</rss>",
                b"<link>https://a.example/</link>",
                b"<description>t</description>",
            ]
        ),
        max_size=40,
    )
)
def test_feed_reader_total(parts: list[bytes]) -> None:
    data = b"".join(parts)
    looks_like_feed(data)
    cut, rest = bound_items(data, max_items=3)
    assert len(cut) <= len(data) + 20 and rest >= 0
    entries = list(read_feed(data, source="f", settings=Settings(max_feed_items=3)))
    assert entries and all(isinstance(e, Item | Skipped) for e in entries)


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=600), st.booleans())
def test_warc_reader_total(data: bytes, gzipped: bool) -> None:
    payload = gzip.compress(b"WARC/1.0\r\n" + data) if gzipped else b"WARC/1.0\r\n" + data
    with tempfile.NamedTemporaryFile(suffix=".warc") as handle:
        handle.write(payload)
        handle.flush()
        entries = list(read_warc(Path(handle.name), settings=Settings()))
    assert all(isinstance(e, Item | Skipped) for e in entries)
