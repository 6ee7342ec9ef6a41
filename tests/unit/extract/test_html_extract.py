"""HTML pages: trafilatura text, metadata date with its origin, hints, and what was dropped."""

from __future__ import annotations

from pathlib import Path

import htmldate.utils
import pytest

from veille.extract.html import extract_html, looks_like_html

PAGES = Path(__file__).resolve().parents[2] / "fixtures" / "pages"


@pytest.fixture(scope="module")
def french() -> str:
    return (PAGES / "fr_greve_aerienne.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def english() -> str:
    return (PAGES / "en_tram_line.html").read_text(encoding="utf-8")


def test_french_page_text_and_metadata(french: str) -> None:
    page = extract_html(french, url=None)
    title = "Grève des contrôleurs aériens : des centaines de vols annulés à Lyon"
    assert page.title == title
    assert page.text.startswith(title + "\n\nLes passagers de l'aéroport")
    assert page.text.count(title) == 1
    assert "\n\nDes files d'attente jusque sur le parvis\n\n" in page.text  # a heading is its own paragraph
    assert page.text.endswith("selon une source proche du dossier.")
    assert page.meta.language_hint == "fr"
    assert page.meta.outlet == "Le Courrier du Rhône"
    assert (
        page.meta.url
        == "https://www.courrier-rhone.example/economie/2023/03/14/greve-controleurs-aeriens-lyon"
    )
    # The first publication, not the update of 15 March, and where the markup says it.
    assert page.meta.published == "2023-03-14"
    (evidence,) = page.meta.published_evidence
    assert evidence.why.startswith('metadata: <meta property="article:published_time"')


def test_french_page_reports_what_was_dropped(french: str) -> None:
    page = extract_html(french, url=None)
    by_reason: dict[str, list[str]] = {}
    for piece in page.removed:
        by_reason.setdefault(piece.reason, []).append(piece.text)
    assert "Sports" in by_reason["html-navigation"]
    assert "Accueil › Économie › Transports" in by_reason["html-navigation"]
    assert "Laisser un commentaire" in by_reason["html-comments"]
    assert any("Quelle honte" in t for t in by_reason["html-comments"])
    assert any("Tous droits réservés" in t for t in by_reason["html-footer"])
    assert any(t.startswith("Lire aussi") for t in by_reason["html-aside"])
    for piece in page.removed:
        assert piece.text not in page.text
        assert len(piece.text) <= 300
    for gone in ("Quelle honte", "Lire aussi", "Mots-clés", "Les plus lus", "Politique"):
        assert gone not in page.text


def test_english_page(english: str) -> None:
    page = extract_html(english, url="https://news.northbridge.example/some/tracking?utm=1")
    assert page.title == "Council approves new tram line after three-year debate"
    assert page.meta.published == "2022-09-08"  # datePublished, not dateModified
    assert page.meta.published_evidence[0].why == 'metadata: JSON-LD datePublished "2022-09-08T16:20:00Z"'
    assert page.meta.url == "https://news.northbridge.example/local/council-approves-tram-line"
    assert page.meta.language_hint == "en"
    pairs = [(r.reason, r.text) for r in page.removed]
    assert ("teaser-link", "Read more: Bus fares frozen for another year") in pairs  # kept by trafilatura
    assert "Read more" not in page.text
    assert any(reason == "html-cookie-notice" for reason, _ in pairs)
    assert "Construction is due to begin next spring" in page.text


def test_truncated_html_still_gives_text(french: str) -> None:
    cut = french[: french.index("Julien, qui devait") + 30]  # ends inside a paragraph, tags left open
    page = extract_html(cut, url=None)
    assert page.title == "Grève des contrôleurs aériens : des centaines de vols annulés à Lyon"
    assert "Les passagers de l'aéroport" in page.text
    assert page.meta.published == "2023-03-14"


def test_date_in_running_text_only_is_not_metadata() -> None:
    html = (
        "<html><body><article><h1>Inondations dans le Gard</h1>"
        "<p>Publié le 3 octobre 2024. Les pluies torrentielles ont provoqué la crue de plusieurs rivières "
        "et des centaines d'habitants ont été évacués dans la nuit de mardi à mercredi.</p>"
        "</article></body></html>"
    )
    page = extract_html(html, url=None)
    assert page.meta.published is None
    assert page.meta.published_evidence == ()


def test_date_from_the_url_path() -> None:
    html = (
        "<html><body><article><h1>Marché de Noël</h1><p>Le marché de Noël ouvre ses portes "
        "avec quatre-vingts chalets et une patinoire installée sur la place centrale de la ville.</p>"
        "</article></body></html>"
    )
    page = extract_html(html, url="https://journal.example/2021/12/06/marche-de-noel")
    assert page.meta.published == "2021-12-06"
    assert page.meta.published_evidence[0].why == "metadata: URL path 2021/12/06"


def test_line_breaks_and_tiny_pages() -> None:
    page = extract_html("<p>Première ligne du poème<br>seconde ligne du poème</p>", url=None)
    assert page.text == "Première ligne du poème\nseconde ligne du poème"


def test_xml_declaration_is_accepted() -> None:
    page = extract_html(
        '<?xml version="1.0" encoding="utf-8"?><html><body><p>Un texte.</p></body></html>', url=None
    )
    assert page.text == "Un texte."


def test_page_content_is_never_downloaded(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("page content must never be fetched as a URL")

    monkeypatch.setattr(htmldate.utils, "fetch_url", refuse)
    page = extract_html("http://169.254.169.254/<p>Un texte qui commence par une adresse.</p>", url=None)
    assert "Un texte qui commence" in page.text


@pytest.mark.parametrize(
    ("text", "content_type", "expected"),
    [
        ("<!DOCTYPE html><html><p>x</p></html>", None, True),
        ("<!-- saved page --><html><body>x</body></html>", None, True),
        ("Un texte avec <b>un</b> mot en gras.", None, False),
        ("Une comparaison : a < b et c > d.", "text/html", True),
        ("<div>un</div><p>deux</p><p>trois</p><span>quatre</span><br>", None, True),
        ("<html><p>x</p></html>", "text/plain", True),
        ("Texte brut sans balise.", "text/html", False),
    ],
)
def test_html_detection(text: str, content_type: str | None, expected: bool) -> None:
    assert looks_like_html(text, content_type=content_type) is expected
