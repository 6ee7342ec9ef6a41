"""RSS/Atom feeds: full-text items from the feed, teasers from their link, bounded item count."""

from __future__ import annotations

from veille.ingest.feeds import bound_items, looks_like_feed, read_feed
from veille.ingest.items import Item, Skipped
from veille.settings import Settings

LONG = " ".join(["word"] * 120)


def _rss(items: str) -> bytes:
    head = '<?xml version="1.0"?><rss version="2.0"><channel><title>Gazette</title>'
    return f"{head}{items}</channel></rss>".encode()


def test_rss_items_with_text_and_teasers() -> None:
    feed = _rss(
        f"<item><title>Full</title><link>https://g.example/1</link><description>{LONG}</description>"
        "<pubDate>Tue, 04 Feb 2020 10:00:00 GMT</pubDate></item>"
        "<item><title>Teaser</title><link>https://g.example/2</link>"
        "<description>Read more</description></item>"
        "<item><title>Nothing</title></item>"
    )
    entries = list(read_feed(feed, source="f.rss", settings=Settings()))
    full, teaser, nothing = entries
    assert isinstance(full, Item) and full.raw is not None and full.key == "https://g.example/1"
    assert full.meta == {
        "title": "Full",
        "published": "2020-02-04",
        "source": "Gazette",
        "url": "https://g.example/1",
    }
    assert isinstance(teaser, Item) and teaser.raw is None and teaser.fetch == "https://g.example/2"
    assert isinstance(nothing, Skipped) and "neither text nor link" in nothing.reason


def test_teasers_kept_inline_when_links_are_not_fetched() -> None:
    feed = _rss(
        "<item><title>T</title><link>https://g.example/2</link><description>Short text</description></item>"
    )
    (item,) = read_feed(feed, source="f.rss", settings=Settings(), fetch_links=False)
    assert isinstance(item, Item) and item.raw is not None and item.raw.data == b"Short text"


def test_atom_entries() -> None:
    atom = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atomic</title>'
        f'<entry><title>E</title><link href="https://a.example/e"/><id>tag:a,1</id>'
        f'<updated>2021-03-01T08:00:00Z</updated><content type="html">{LONG}</content></entry></feed>'
    ).encode()
    assert looks_like_feed(atom)
    (item,) = read_feed(atom, source="a.xml", settings=Settings())
    assert (
        isinstance(item, Item)
        and item.key == "https://a.example/e"
        and item.meta["published"] == "2021-03-01"
    )


def test_bounded_items() -> None:
    feed = _rss(
        "".join(f"<item><title>{i}</title><description>{LONG}</description></item>" for i in range(30))
    )
    cut, rest = bound_items(feed, max_items=10)
    assert rest == 20 and cut.endswith(b"</item></channel></rss>")
    entries = list(read_feed(feed, source="f.rss", settings=Settings(max_feed_items=10)))
    assert sum(isinstance(e, Item) for e in entries) == 10
    assert isinstance(entries[-1], Skipped) and "20 more items" in entries[-1].reason


def test_truncated_feed_keeps_complete_items() -> None:
    feed = _rss(
        "".join(f"<item><title>{i}</title><description>{LONG}</description></item>" for i in range(5))
    )
    head = feed[: feed.index(b"<item><title>3")] + b"<item><title>3</ti"
    entries = list(read_feed(head, source="f.rss", settings=Settings(), truncated=True))
    assert sum(isinstance(e, Item) for e in entries) == 3 and "larger than" in entries[-1].reason  # type: ignore[union-attr]


def test_not_a_feed() -> None:
    assert not looks_like_feed(b"<html><body>rss feed</body></html>")
    (entry,) = read_feed(b"<html><body>hello</body></html>", source="x", settings=Settings())
    assert isinstance(entry, Skipped) and "no feed items" in entry.reason


def test_malformed_markup_that_breaks_feedparser_is_skipped_with_a_reason() -> None:
    data = "<rss><channel<item<link>>>>…</item</link>".encode()
    entries = list(read_feed(data, source="broken.xml", settings=Settings()))
    assert [type(e).__name__ for e in entries] == ["Skipped"]
    assert "unreadable feed" in entries[0].reason
