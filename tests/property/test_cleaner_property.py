"""Random bytes, text and HTML-ish strings through decode + extract: InputError or a result, never a
crash, in bounded time; every removed piece comes from the input; kept lines are input lines."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from veille.errors import InputError
from veille.extract import extract
from veille.extract.decode import decode
from veille.extract.text import clean_text
from veille.ingest.raw import RawDocument

BOILERPLATE = [
    "Accueil » Actualité » Un titre",
    "Home > News > World",
    "Laisser un commentaire",
    "12 commentaires",
    "x",
    "Check Also",
    "Lire aussi : un autre article",
    "À lire aussi",
    "Related",
    "Les ventes de voitures en ...",
    "ArabicDutchEnglishFrenchGermanRussian",
    "FR | EN | DE",
    "Partager sur Facebook",
    "Facebook Twitter Email",
    "Tags: a, b",
    "© 2020 Journal",
    "Nous utilisons des cookies.",
    "« Une citation », a-t-il dit.",
    "Le prix a augmenté > 5 % selon l’Insee, a précisé le ministre jeudi soir.",
    "",
    "   ",
]
WORDS = st.sampled_from(
    [
        "le",
        "ministre",
        "a",
        "dit",
        "Paris",
        "»",
        ">",
        "«",
        "…",
        "...",
        "Lire",
        "Home",
        "&amp;",
        "&eacute;",
        "é",
        "\u00a0",
    ]
)
TAGS = st.sampled_from(
    [
        "p",
        "div",
        "span",
        "a",
        "nav",
        "footer",
        "header",
        "aside",
        "article",
        "h1",
        "h2",
        "li",
        "ul",
        "br",
        "script",
        "style",
        "table",
        "td",
        "tr",
        "title",
        "head",
        "body",
        "html",
        "section",
        "main",
        "time",
        "meta",
        "!--",
    ]
)
ATTRS = st.sampled_from(
    [
        "",
        ' class="menu"',
        ' id="comments"',
        ' class="footer share"',
        ' role="navigation"',
        ' lang="fr-FR"',
        ' property="og:site_name" content="Site"',
        ' datetime="2020-02-04"',
        ' class="cookie-banner"',
    ]
)
TEXT_SETTINGS = settings(
    max_examples=200, deadline=timedelta(seconds=2), suppress_health_check=[HealthCheck.too_slow]
)
HTML_SETTINGS = settings(
    max_examples=80, deadline=timedelta(seconds=3), suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def scrapes(draw: st.DrawFn) -> str:
    lines = draw(st.lists(st.one_of(st.sampled_from(BOILERPLATE), st.text(max_size=80)), max_size=30))
    breaks = draw(
        st.lists(
            st.sampled_from(["\n", "\n\n", "\r\n", "\n\n\n\n", "\r"]),
            min_size=len(lines),
            max_size=len(lines),
        )
    )
    return "".join(line + sep for line, sep in zip(lines, breaks, strict=True))


@st.composite
def htmlish(draw: st.DrawFn) -> str:
    parts: list[str] = []
    for _ in range(draw(st.integers(0, 40))):
        kind = draw(st.integers(0, 4))
        tag = draw(TAGS)
        if kind == 0:
            parts.append(f"<{tag}{draw(ATTRS)}>")
        elif kind == 1:
            parts.append(f"</{tag}>")
        elif kind == 2:
            parts.append(" ".join(draw(st.lists(WORDS, max_size=12))))
        elif kind == 3:
            parts.append(draw(st.sampled_from(BOILERPLATE)))
        else:
            parts.append(draw(st.text(max_size=20)))
    prefix = draw(
        st.sampled_from(["", "<!DOCTYPE html>", "<html>", "http://127.0.0.1/", "<?xml version='1.0'?>"])
    )
    return prefix + "".join(parts)


def words(text: str) -> set[str]:
    return {w.casefold() for w in re.findall(r"\w+", text)}


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


def came_from(piece: str, page: str) -> bool:
    """The piece is in the page, or all its words are, or (text nodes glued by the HTML parser
    across a stray tag, "<p>" read as text inside <title>, characters libxml2 drops) the piece
    without spaces is a subsequence of the unescaped page: nothing invented, nothing reordered."""
    if piece in page or words(piece) <= words(page) | words(html.unescape(page)):
        return True
    return any(is_subsequence(compact(piece), compact(form)) for form in (page, html.unescape(page)))


def is_subsequence(short: str, long: str) -> bool:
    chars = iter(long)
    return all(char in chars for char in short)


@TEXT_SETTINGS
@given(st.binary(max_size=3000))
def test_random_bytes_decode_or_input_error(data: bytes) -> None:
    try:
        decoded = decode(data, source="fuzz")
    except InputError:
        return
    assert decoded.text.strip()


@TEXT_SETTINGS
@given(scrapes())
def test_text_cleaner_only_removes_input_lines(text: str) -> None:
    cleaned = clean_text(text)
    normalised = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    input_lines = {line.rstrip() for line in normalised.split("\n")}
    for piece in cleaned.removed:
        assert piece.text and piece.text in normalised
    for line in cleaned.text.split("\n"):
        # Lines are kept whole or dropped whole (the first may lose its leading spaces).
        assert line == "" or line in input_lines or any(x.endswith(line) for x in input_lines)
    assert "\n\n\n" not in cleaned.text
    if cleaned.title:
        assert sum(line.strip() == cleaned.title for line in cleaned.text.split("\n")) <= 1


@HTML_SETTINGS
@given(htmlish())
def test_random_html_extracts_or_input_error(page: str) -> None:
    try:
        extracted = extract(RawDocument(source="fuzz.html", data=page.encode("utf-8")), max_chars=1_000_000)
    except InputError:
        return
    for piece in extracted.removed:
        assert came_from(piece.text, page), piece


@TEXT_SETTINGS
@given(st.text(max_size=2000))
def test_random_text_extracts_or_input_error(text: str) -> None:
    try:
        extracted = extract(RawDocument(source="fuzz", text=text), max_chars=1_000_000)
    except InputError:
        return
    for piece in extracted.removed:
        assert came_from(piece.text, text), piece
