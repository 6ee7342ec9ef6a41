"""Decoding page bytes: BOM, declared charsets, wrong declarations, binary refusals."""

from __future__ import annotations

import codecs
import gzip

import pytest

from veille.errors import InputError
from veille.extract.decode import codec_for, decode

FRENCH = (
    "Le ministère a qualifié ces informations de « fausses » : l’armée n’a reçu aucun ordre, précise-t-il."
)
ACCENTS = "éèêàçôûœ€’«»"


def html(charset: str, body: str = FRENCH) -> str:
    return f'<html><head><meta charset="{charset}"><title>t</title></head><body><p>{body}</p></body></html>'


def test_utf8_plain() -> None:
    decoded = decode(FRENCH.encode(), source="t")
    assert decoded.text == FRENCH
    assert decoded.encoding == "utf-8"


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
    ],
)
def test_bom_wins(bom: bytes, codec: str) -> None:
    decoded = decode(bom + FRENCH.encode(codec), source="t", http_charset="iso-8859-1")
    assert decoded.text == FRENCH
    assert decoded.how == "bom"


def test_http_charset_is_used() -> None:
    data = FRENCH.encode("cp1252")
    decoded = decode(data, source="t", content_type="text/plain; charset=windows-1252")
    assert decoded.text == FRENCH
    assert decoded.how == "http"


def test_meta_charset_is_used() -> None:
    page = html("windows-1252")
    decoded = decode(page.encode("cp1252"), source="t")
    assert FRENCH in decoded.text
    assert decoded.how == "meta"


def test_http_equiv_charset_is_used() -> None:
    body = "L'œuvre coûte 300 € : très cher, dit-elle."
    page = f'<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-15"><p>{body}</p>'
    decoded = decode(page.encode("iso8859-15"), source="t")
    assert body in decoded.text


def test_cp1252_page_declared_utf8_has_no_mojibake() -> None:
    page = html("utf-8", body=FRENCH + " " + ACCENTS)
    decoded = decode(page.encode("cp1252"), source="t", content_type="text/html; charset=utf-8")
    assert FRENCH in decoded.text
    assert ACCENTS in decoded.text
    assert "\ufffd" not in decoded.text
    assert decoded.how == "detected"


@pytest.mark.parametrize(
    "text",
    [
        "Été très chaud à Paris, où la préfecture a décidé d'interdire les véhicules les plus polluants.",
        "Noël à l'école : les élèves ont préparé des gâteaux et une pièce de théâtre.",
        "Crème brûlée, façade, naïf, où, déjà, très, là-bas.",
    ],
)
def test_short_latin1_text_declared_utf8_prefers_cp1252(text: str) -> None:
    decoded = decode(text.encode("latin-1"), source="t", http_charset="utf-8")
    assert decoded.text == text


def test_cyrillic_page_declared_utf8_is_not_read_as_latin() -> None:
    text = "Министерство обороны заявило, что эта информация не соответствует действительности."
    decoded = decode(text.encode("cp1251"), source="t", http_charset="utf-8")
    assert decoded.text == text


def test_utf8_bytes_declared_latin1_are_utf8() -> None:
    page = html("iso-8859-1")
    decoded = decode(page.encode("utf-8"), source="t")
    assert FRENCH in decoded.text
    assert "Ã" not in decoded.text


def test_unknown_declared_charset_is_ignored() -> None:
    decoded = decode(FRENCH.encode(), source="t", http_charset="klingon-9")
    assert decoded.text == FRENCH


def test_utf16_without_bom() -> None:
    decoded = decode(FRENCH.encode("utf-16-le"), source="t")
    assert decoded.text == FRENCH


def test_labels() -> None:
    assert codec_for("ISO-8859-1") == "cp1252"  # WHATWG: latin-1 labels mean windows-1252
    assert codec_for("UTF8") == "utf-8"
    assert codec_for("windows-1251") == "cp1251"
    assert codec_for("x-user-defined") is None
    assert codec_for(None) is None


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"\xff\xd8\xff\xe0\x00\x10JFIF",
        gzip.compress("Un texte compressé.".encode()),
        b"PK\x03\x04\x14\x00\x06\x00",
        bytes(range(256)) * 8,
        b"\x00\x01\x02\x03" * 500,
    ],
)
def test_binary_is_not_a_page(data: bytes) -> None:
    with pytest.raises(InputError, match="not a text or HTML page"):
        decode(data, source="t")


def test_binary_media_type_is_not_a_page() -> None:
    with pytest.raises(InputError, match=r"not a text or HTML page \(image/jpeg\)"):
        decode(b"GARBAGE" * 10, source="t", content_type="image/jpeg")


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  ", codecs.BOM_UTF8 + b"  \n", codecs.BOM_UTF16_LE])
def test_empty_input(data: bytes) -> None:
    with pytest.raises(InputError, match="empty input"):
        decode(data, source="t")
