"""URL lists: one URL per line; comments and blank lines ignored; garbage lines skipped."""

from __future__ import annotations

from pathlib import Path

from veille.ingest.discover import discover, estimate_total
from veille.ingest.items import Item, Skipped
from veille.ingest.urllist import looks_like_url_list, read_url_list, valid_url
from veille.settings import Settings


def test_valid_urls() -> None:
    assert valid_url("https://news.example/a?b=1")
    for bad in (
        "ftp://x.example/",
        "https://",
        "http://exa mple.com",
        "news.example/a",
        "https://x.example:99999/",
        "javascript:alert(1)",
        "https://x.example/\x00",
    ):
        assert not valid_url(bad), bad


def test_garbage_lines_are_skipped_with_their_number(tmp_path: Path) -> None:
    data = b"# my list\n\nhttps://a.example/1\n\xff\xfe garbage\nhttps://b.example/2  \nnot-a-url\n"
    entries = list(read_url_list(data, path=tmp_path / "l.txt"))
    assert [e.key for e in entries if isinstance(e, Item)] == ["https://a.example/1", "https://b.example/2"]
    assert [e.source.rsplit("/", 1)[-1] for e in entries if isinstance(e, Skipped)] == ["l.txt:4", "l.txt:6"]
    assert all(e.fetch == e.key for e in entries if isinstance(e, Item))


def test_text_articles_are_not_url_lists() -> None:
    assert looks_like_url_list(b"https://a.example/1\nhttps://a.example/2\noops\n")
    assert not looks_like_url_list(b"Le ministre a dit.\nVoir https://a.example/1 pour plus.\nFin.\n")


def test_discover_dispatches_by_kind(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "page.html").write_text("<p>Bonjour</p>")
    (tmp_path / "urls.txt").write_text("https://a.example/1\n")
    (tmp_path / "note.txt").write_text("Un article en texte brut, avec des phrases.\n")
    (tmp_path / ".hidden").write_text("https://secret.example/\n")
    (tmp_path / "zero.html").write_bytes(b"")
    (tmp_path / "x.tar.gz").write_bytes(b"\x1f\x8b")
    entries = list(discover([str(tmp_path), str(tmp_path / "nope")], settings=Settings()))
    items = [e.key for e in entries if isinstance(e, Item)]
    skipped = {e.source.rsplit("/", 1)[-1]: e.reason for e in entries if isinstance(e, Skipped)}
    # A folder's own files first (sorted), then its subfolders.
    assert items == [
        f"file://{tmp_path / 'note.txt'}",
        "https://a.example/1",
        f"file://{tmp_path / 'sub' / 'page.html'}",
    ]
    assert skipped == {
        "x.tar.gz": skipped["x.tar.gz"],
        "zero.html": "empty file (0 bytes)",
        "nope": "no such file or folder",
    }
    assert "unsupported" in skipped["x.tar.gz"]
    assert estimate_total([str(tmp_path / "sub"), str(tmp_path / "note.txt")], settings=Settings()) == 2
