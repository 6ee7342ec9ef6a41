"""The plain-text boilerplate cleaner on the seed page and on scrapes written for these tests."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from veille.extract.text import clean_text

PAGES = Path(__file__).resolve().parents[2] / "fixtures" / "pages"
PROSE_BEFORE = (
    "Le conseil régional a adopté jeudi un plan de soutien aux petites lignes ferroviaires du territoire."
)
PROSE_AFTER = (
    "Les travaux doivent commencer au printemps prochain et durer environ deux ans, selon la région."
)


def removed_pairs(text: str) -> list[tuple[str, str]]:
    return [(r.reason, r.text) for r in clean_text(text).removed]


def test_seed_page(shared_dir: Path) -> None:
    raw = (shared_dir / "seed" / "000_d4915bc04119538f.txt").read_text(encoding="utf-8")
    cleaned = clean_text(raw)
    title = "Defender Europe : L’armée US aux portes de la Russie"
    assert cleaned.title == title
    assert cleaned.text.count(title) == 1
    assert cleaned.text.startswith(title + "\n\n")
    assert [(r.reason, r.text) for r in cleaned.removed] == [
        ("breadcrumb", f"Accueil » Actualité » {title}"),
        ("comment-prompt", "Laisser un commentaire"),
        ("stray-character", "x"),
        ("teaser-block", "Check Also"),
        (
            "teaser-block",
            "Avec la moitié de la Chine à l’arrêt, les ventes de véhicules s’effondrent de -92%",
        ),
        ("teaser-block", "Les ventes de voitures en ..."),
        ("language-menu", "ArabicDutchEnglishFrenchGermanRussian"),
    ]
    # Nothing of the article is lost: every other line is in the text, word for word.
    removed = {r.text for r in cleaned.removed}
    for line in raw.splitlines():
        if line.strip() and line.strip() not in removed:
            assert line.strip() in cleaned.text
    assert cleaned.text.endswith(
        "les États-Unis se livrent de plus en plus à des actes de provocation contre la Russie."
    )
    assert "\n\n\n" not in cleaned.text


def test_french_scrape_with_inline_teaser_and_footer() -> None:
    cleaned = clean_text((PAGES / "fr_scrape_budget.txt").read_text(encoding="utf-8"))
    assert cleaned.title == "Rennes : le budget participatif bat des records"
    assert [(r.reason, r.text[:30]) for r in cleaned.removed] == [
        ("breadcrumb", "Accueil > Régions > Bretagne >"),
        ("share", "Partager"),
        ("teaser-link", "Lire aussi : Rennes veut plant"),
        ("tags", "Tags : budget participatif, Re"),
        ("comment-prompt", "12 commentaires"),
        ("teaser-block", "Voir aussi"),
        ("teaser-block", "Brest : la piscine municipale "),
        ("teaser-block", "Quimper accueille un nouveau f"),
        ("teaser-block", "Les commerçants du centre-vill"),
        ("copyright", "© 2021 Le Quotidien de l’Ouest"),
        ("language-menu", "Français | English | Español"),
    ]
    # Lines that only look like boilerplate stay: "»" closing a quote, ">" in a figure, "Lire …" prose.
    assert "« C’est la preuve que les Rennais" in cleaned.text
    assert "La part des projets > 50 000 euros a doublé" in cleaned.text
    assert cleaned.text.count("Lire un livre par semaine") == 1
    assert cleaned.text.count(cleaned.title) == 1


def test_english_scrape_mid_article_teaser_takes_one_headline() -> None:
    cleaned = clean_text((PAGES / "en_scrape_storm.txt").read_text(encoding="utf-8"))
    pairs = [(r.reason, r.text) for r in cleaned.removed]
    assert ("teaser-block", "Related") in pairs
    assert ("teaser-block", "Coastal railway closed after landslide near Dawlish") in pairs
    assert "Read the full list of affected areas" in cleaned.text  # prose after the teaser stays
    assert "The Met Office had issued an amber warning" in cleaned.text
    assert {reason for reason, _ in pairs} >= {
        "breadcrumb",
        "share",
        "comment-prompt",
        "newsletter",
        "cookie-notice",
        "tags",
        "language-menu",
        "copyright",
    }
    assert cleaned.text.startswith("Storm Helena knocks out power to 40,000 homes\n\nTens of thousands")


def test_title_printed_twice() -> None:
    cleaned = clean_text((PAGES / "fr_scrape_titre_double.txt").read_text(encoding="utf-8"))
    title = "Sécheresse : les agriculteurs de la Drôme autorisés à puiser dans les retenues collinaires"
    assert cleaned.title == title
    assert cleaned.text.count(title) == 1
    assert ("duplicate-title", title) in [(r.reason, r.text) for r in cleaned.removed]
    assert cleaned.text.endswith("devant le tribunal administratif de Grenoble.")


def test_metadata_title_dedupes_its_copies() -> None:
    text = "Un titre venu du conteneur\n\nUn titre venu du conteneur\n\n" + PROSE_BEFORE
    cleaned = clean_text(text, title="Un titre  venu du conteneur")
    assert cleaned.title == "Un titre venu du conteneur"
    assert cleaned.text == "Un titre venu du conteneur\n\n" + PROSE_BEFORE


@pytest.mark.parametrize(
    "line",
    [
        "« Nous ne céderons pas », a répété le maire devant les habitants réunis » hier soir.",
        "Lire la suite du rapport prendra du temps, reconnaît la commission d’enquête.",
        "Lire aussi les conclusions du rapport, ajoute-t-il, serait une bonne idée pour tous.",
        "Les ventes > 5 % du chiffre d’affaires devront être déclarées, précise le décret.",
        "Home prices rose again in March, according to the latest official figures.",
        "Related to the inquiry, two senior officials resigned on Friday evening.",
        "Share prices fell sharply on Tuesday after the announcement of the merger.",
        "Commentaires et critiques ont afflué après la diffusion du reportage mardi.",
        "Read more than 200 pages of evidence before deciding, the judge told the jury.",
        "Accueil chaleureux pour le président à Lyon » a titré le journal local.",
        "Il a cité Victor Hugo / Les Misérables / et Balzac dans son discours.",
        "English and French are the two official languages of the organisation.",
        "Copyright law reform was debated in parliament on Wednesday, officials said.",
    ],
)
def test_article_lines_that_look_like_boilerplate_are_kept(line: str) -> None:
    text = f"{PROSE_BEFORE}\n\n{line}\n\n{PROSE_AFTER}"
    cleaned = clean_text(text)
    assert line in cleaned.text, cleaned.removed
    assert cleaned.removed == ()


@pytest.mark.parametrize(
    "crumb",
    [
        "Home / World / Europe / Floods force thousands from their homes",
        "Accueil › Sport › Football",
        "News | Politics | Elections",
        "Vous êtes ici : Accueil > Culture > Cinéma",
        "Accueil»International»Afrique",
        "Home > Business",
    ],
)
def test_breadcrumb_variants(crumb: str) -> None:
    assert removed_pairs(f"{crumb}\n\n{PROSE_BEFORE}") == [("breadcrumb", crumb)]


@pytest.mark.parametrize(
    "menu",
    [
        "ArabicDutchEnglishFrenchGermanRussian",
        "English | Français | Español | Deutsch",
        "Arabic Dutch English French",
        "FR | EN | DE",
        "Français / English / العربية",
    ],
)
def test_language_menus(menu: str) -> None:
    assert removed_pairs(f"{PROSE_BEFORE}\n\n{menu}") == [("language-menu", menu)]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Leave a comment", "comment-prompt"),
        ("3 Comments", "comment-prompt"),
        ("Laissez un commentaire", "comment-prompt"),
        ("Partager sur Facebook", "share"),
        ("Facebook Twitter LinkedIn WhatsApp", "share"),
        ("Share this article: Facebook Twitter Email", "share"),
        ("Imprimer", "print"),
        ("Print this article", "print"),
        ("Nous utilisons des cookies pour améliorer votre expérience de navigation.", "cookie-notice"),
        ("Inscrivez-vous à notre newsletter", "newsletter"),
        ("Abonnez-vous", "subscribe"),
        ("Mots-clés : climat, énergie", "tags"),
        ("© 2024 Les Échos du Sud. Tous droits réservés.", "copyright"),
        ("All rights reserved", "copyright"),
        ("•", "stray-character"),
        ("|", "stray-character"),
    ],
)
def test_line_rules(line: str, reason: str) -> None:
    assert removed_pairs(f"{PROSE_BEFORE}\n\n{line}\n\n{PROSE_AFTER}") == [(reason, line)]


def test_mid_article_teaser_header_followed_by_prose_takes_nothing_else() -> None:
    text = f"{PROSE_BEFORE}\n\nÀ lire aussi\n\n{PROSE_AFTER}"
    assert removed_pairs(text) == [("teaser-block", "À lire aussi")]


def test_teaser_in_the_tail_takes_everything_after_it() -> None:
    text = f"{PROSE_BEFORE}\n\nRead more\n\nFirst headline\n\nSecond headline about something.\n\nThird one"
    assert removed_pairs(text) == [
        ("teaser-block", "Read more"),
        ("teaser-block", "First headline"),
        ("teaser-block", "Second headline about something."),
        ("teaser-block", "Third one"),
    ]


def test_whitespace_is_normalised_conservatively() -> None:
    text = (
        "Titre du jour  \r\n\r\n\r\n\r\nPremier paragraphe.   \r\nsuite du paragraphe."
        "\n\n\n\nDernier\u00a0paragraphe.\n"
    )
    cleaned = clean_text(text)
    assert (
        cleaned.text
        == "Titre du jour\n\nPremier paragraphe.\nsuite du paragraphe.\n\nDernier\u00a0paragraphe."
    )


def test_removed_pieces_come_from_the_input() -> None:
    raw = (PAGES / "en_scrape_storm.txt").read_text(encoding="utf-8")
    for piece in clean_text(raw).removed:
        assert piece.text in raw


def test_ten_kilobytes_take_a_few_milliseconds() -> None:
    raw = (PAGES / "fr_scrape_budget.txt").read_text(encoding="utf-8")
    page = (raw + "\n\n") * (10_000 // len(raw) + 1)
    clean_text(page)  # rules compiled once per process
    started = time.perf_counter()
    for _ in range(5):
        clean_text(page)
    per_page = (time.perf_counter() - started) / 5
    assert per_page < 0.05, f"{per_page * 1000:.1f} ms per 10 kB page"
