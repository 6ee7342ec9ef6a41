"""Pure helpers of the write path: URL canonicalisation, sentence numbers, lead detection, MinHash."""

from __future__ import annotations

from veille.store import dedup
from veille.store.rows import TextIndex, parse_day
from veille.store.write import canonical_url, content_hash, outlet_from_url


def test_canonical_url() -> None:
    assert (
        canonical_url("HTTPS://WWW.News.Example:443/a/b/?utm_source=x&id=3#frag")
        == "https://www.news.example/a/b?id=3"
    )
    assert canonical_url("http://n.example:8080/") == "http://n.example:8080/"
    assert canonical_url(None) is None and canonical_url("file.txt") == "file.txt"
    assert (
        outlet_from_url("https://www.lemonde.example/x") == "lemonde.example" and outlet_from_url("x") is None
    )


def test_text_index_sentences_and_lead() -> None:
    text = "Title\n\nFirst sentence here. " + "Word " * 25 + "end.\n\nSecond paragraph. Another one!"
    index = TextIndex(text)
    assert index.sentence(0) == 1 and index.sentence(text.index("First")) == 2
    assert index.sentence(text.index("Another")) == 5
    assert text.index("First") < index.lead_end < text.index("Second")


def test_parse_day() -> None:
    assert (
        str(parse_day("2020-02-04")) == "2020-02-04"
        and str(parse_day("2020-02-04T10:00:00Z")) == "2020-02-04"
    )
    assert parse_day("2020-02") is None and parse_day("garbage!!!") is None and parse_day(None) is None


def test_minhash_similarity_and_bands() -> None:
    base = " ".join(f"word{i}" for i in range(200))
    near = base.replace("word100 word101", "other thing")
    far = " ".join(f"token{i}" for i in range(200))
    a, b, c = dedup.signature(base), dedup.signature(near), dedup.signature(far)
    assert a is not None and b is not None and c is not None
    assert dedup.similarity(a, b) > 0.8 and dedup.similarity(a, c) < 0.1
    assert set(dedup.band_hashes(a)) & set(dedup.band_hashes(b))
    assert dedup.signature("too short to compare") is None
    assert (dedup.from_bytes(dedup.to_bytes(a)) == a).all()
    assert content_hash("é") == content_hash("é".encode())


def test_components() -> None:
    groups = dedup.components([1, 2, 3, 4, 5], [(1, 2), (2, 3), (4, 9)])
    assert groups == {1: 1, 2: 1, 3: 1, 4: 4, 5: 5}
