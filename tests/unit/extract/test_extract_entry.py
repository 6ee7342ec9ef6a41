"""extract(): routing, container metadata, limits."""

from __future__ import annotations

from pathlib import Path

import pytest

from veille.errors import InputError
from veille.extract import extract
from veille.extract.cleaner import container_published
from veille.ingest.raw import RawDocument

PAGES = Path(__file__).resolve().parents[2] / "fixtures" / "pages"
BODY = (
    "Le tribunal administratif a suspendu mercredi l'arrêté municipal interdisant la baignade, "
    "jugeant la mesure disproportionnée au regard des analyses de l'eau."
)


def test_html_bytes_are_routed_to_trafilatura() -> None:
    data = (PAGES / "fr_greve_aerienne.html").read_bytes()
    extracted = extract(RawDocument(source="p.html", data=data), max_chars=1_000_000)
    assert extracted.is_html
    assert extracted.published == "2023-03-14"
    assert extracted.outlet == "Le Courrier du Rhône"
    assert extracted.language_hint == "fr"


def test_cp1252_html_declared_utf8_end_to_end() -> None:
    html = (PAGES / "fr_greve_aerienne.html").read_text(encoding="utf-8")
    data = html.replace("’", "'").encode("cp1252")  # still says <meta charset="utf-8">
    extracted = extract(
        RawDocument(source="u", data=data, content_type="text/html; charset=utf-8", charset="utf-8"),
        max_chars=1_000_000,
    )
    assert extracted.title == "Grève des contrôleurs aériens : des centaines de vols annulés à Lyon"
    assert "Ã" not in extracted.text and "\ufffd" not in extracted.text


def test_container_metadata_flows_in() -> None:
    raw = RawDocument(
        source="corpus.jsonl#42",
        text=f"Baignade : le tribunal suspend l'arrêté\n\n{BODY}",
        meta={
            "title": "Baignade : le tribunal suspend l'arrêté",
            "published": "2019-07-18T09:30:00+02:00",
            "lang": "fr-FR",
            "url": "https://presse.example/baignade",
            "source": "La Gazette du Littoral",
        },
    )
    extracted = extract(raw, max_chars=100_000)
    assert extracted.title == "Baignade : le tribunal suspend l'arrêté"
    assert extracted.text.count(extracted.title) == 1
    assert extracted.published == "2019-07-18"
    assert [e.why for e in extracted.published_evidence] == ["container metadata"]
    assert extracted.language_hint == "fr"
    assert extracted.url == "https://presse.example/baignade"
    assert extracted.outlet == "La Gazette du Littoral"


def test_container_metadata_wins_over_page_markup() -> None:
    data = (PAGES / "en_tram_line.html").read_bytes()
    raw = RawDocument(
        source="w.warc#1", data=data, meta={"published": "2022-09-09", "title": "Tram line approved"}
    )
    extracted = extract(raw, max_chars=1_000_000)
    assert extracted.published == "2022-09-09"
    assert extracted.title == "Tram line approved"
    assert extracted.text.startswith("Tram line approved\n\n")


def test_plain_text_has_no_metadata_date() -> None:
    extracted = extract(
        RawDocument(source="t", data=f"Publié le 4 février 2020\n\n{BODY}".encode()), max_chars=10_000
    )
    assert extracted.published is None
    assert not extracted.is_html


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2020-02-04", "2020-02-04"),
        ("2020-02-04T23:10:00Z", "2020-02-04"),
        ("Tue, 04 Feb 2020 10:00:00 +0000", "2020-02-04"),
        ("2020-02-30", None),
        ("hier", None),
        ("", None),
    ],
)
def test_container_dates(value: str, expected: str | None) -> None:
    assert container_published(value)[0] == expected


def test_text_longer_than_the_limit() -> None:
    with pytest.raises(InputError, match="longer than 50 characters"):
        extract(RawDocument(source="t", text=BODY), max_chars=50)


@pytest.mark.parametrize(
    "raw", [RawDocument(source="t", text="  \n "), RawDocument(source="t", data=b"\n\n")]
)
def test_empty(raw: RawDocument) -> None:
    with pytest.raises(InputError, match="empty input"):
        extract(raw, max_chars=100)
