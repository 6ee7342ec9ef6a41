"""Property tests: whatever a watched server sends, listing it never raises and lists only http(s) links."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from veille.ingest.raw import RawDocument
from veille.ingest.urllist import valid_url
from veille.settings import Settings
from veille.watch.documents import list_document, parse_sitemap

SETTINGS = Settings(max_feed_items=50)
_FRAGMENTS = st.sampled_from(
    [
        "<urlset>",
        "</urlset>",
        "<sitemapindex>",
        "<url>",
        "</url>",
        "<sitemap>",
        "<loc>",
        "</loc>",
        "<lastmod>2025-03-10</lastmod>",
        "https://news.example/a",
        "http://x",
        "javascript:1",
        "&amp;",
        "<!DOCTYPE x [<!ENTITY e 'v'>]>",
        "&e;",
        "<rss><channel><item><link>",
        "</link></item>",
        "</channel></rss>",
        "\x00",
        "é",
        "<![CDATA[",
        "]]>",
        " ",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_FRAGMENTS, max_size=30).map("".join))
def test_sitemap_like_text_never_breaks_the_parser(text: str) -> None:
    pages, children, _skipped = parse_sitemap(text.encode("utf-8"), source="s")
    assert all(valid_url(p.key) and p.fetch == p.key for p in pages)
    assert all(valid_url(c) for c in children)


@example(b"<rss><channel<item<link>>>>aceehiikllmnnnrsst</item</link>")  # feedparser raised KeyError
@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000) | st.lists(_FRAGMENTS, max_size=30).map(lambda f: "".join(f).encode()))
def test_any_document_lists_without_raising(data: bytes) -> None:
    listing = list_document(
        RawDocument(source="u", data=data), key="https://news.example/x", settings=SETTINGS
    )
    for item in listing.items:
        assert item.raw is not None or (item.fetch is not None and valid_url(item.fetch))
