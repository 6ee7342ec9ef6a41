"""Bytes → text: refuse binary files, then BOM, declared charsets, UTF-8 validity, detection.

The order follows browsers (BOM > HTTP header > ``<meta>``), with two corrections for the pages
news sites really serve:

* a declared charset is trusted only if the bytes decode under it without error; a page declared
  UTF-8 that is really cp1252 fails strict UTF-8 decoding and goes to detection instead of being
  decoded with replacement characters;
* bytes that are valid UTF-8 and contain non-ASCII characters are UTF-8 whatever a legacy
  declaration says: random cp1252 text is almost never valid UTF-8, so this is the safest signal.

Detection uses charset-normalizer, except that when it names any Latin-script single-byte code
page the page is read as cp1252 (the WHATWG default for Western locales): on news-sized French
text it often prefers cp1250 ("ministčre"). veille targets French and English, so a Polish cp1250
page without a declaration is the accepted casualty. UTF-16/32 are not guessed without a BOM or
NUL bytes.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

from veille.errors import InputError

NOT_TEXT = "not a text or HTML page"

# File signatures of formats that are never a page (checked on the first bytes).
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"PK\x03\x04", "zip archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"BZh91AY&SY", "bzip2 archive"),
    (b"\x7fELF", "executable"),
    (b"\xca\xfe\xba\xbe", "executable"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"OggS", "audio"),
    (b"ID3\x03", "audio"),
    (b"ID3\x04", "audio"),
    (b"\x1a\x45\xdf\xa3", "video"),
    (b"wOFF", "font"),
    (b"wOF2", "font"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Office document"),
)
# Declared media types that are never a page (application/octet-stream is not one of them: servers
# send it for mislabelled text files, which the signature and control-character checks judge).
_BINARY_MEDIA = re.compile(r"^\s*(image|audio|video|font)/|^\s*application/(pdf|zip|gzip|x-gzip)\b")
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]{1,40})""", re.I)
_CHARSET_PARAM = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_:.+-]{1,40})""", re.I)
# Labels the WHATWG encoding standard maps to windows-1252 (a superset that also decodes 0x80-0x9F).
_AS_CP1252 = frozenset({"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii", "cp819"})
_UTF8_LABELS = frozenset({"utf-8", "utf8", "unicode-1-1-utf-8", "utf8mb4", "utf-8mb4"})
# Latin-script single-byte code pages charset-normalizer confuses with one another (see _detect).
_LATIN = frozenset(
    {
        "cp1252",
        "cp1250",
        "cp1254",
        "cp1257",
        "latin_1",
        "mac_roman",
        "mac_latin2",
        "mac_iceland",
        "mac_turkish",
    }
    | {"cp437", "cp775", "cp850", "cp852", "cp858", "cp860", "cp861", "cp863", "cp865"}
    | {f"iso8859_{n}" for n in (2, 3, 4, 9, 10, 13, 14, 15, 16)}
)
_NO_GUESS = ["utf_16", "utf_16_be", "utf_16_le", "utf_32", "utf_32_be", "utf_32_le"]
# C0 controls other than tab/newlines/form feed, DEL and C1 controls mark binary data.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]")
_DROPPED_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


@dataclass(frozen=True, kw_only=True)
class Decoded:
    text: str
    encoding: str
    how: str  # "bom", "http", "meta", "utf-8", "detected", "fallback", "text"


def charset_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = _CHARSET_PARAM.search(content_type)
    return match.group(1) if match else None


def is_binary_media_type(content_type: str | None) -> bool:
    return bool(content_type and _BINARY_MEDIA.match(content_type.lower()))


def codec_for(label: str | None) -> str | None:
    """A Python codec name for a charset label, or None when the label is unknown."""
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    if name in _UTF8_LABELS:
        return "utf-8"
    if name in _AS_CP1252:
        return "cp1252"
    if name in {"x-user-defined", "replacement"}:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def check_not_binary(data: bytes, *, source: str, content_type: str | None = None) -> None:
    """Raise InputError for media types and file signatures that are never a page."""
    if is_binary_media_type(content_type) and data.lstrip()[:1] != b"<":
        raise InputError(f"{NOT_TEXT} ({content_type})", source=source)
    head = data[:16]
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise InputError(f"{NOT_TEXT} (looks like a {what})", source=source)


def decode(
    data: bytes,
    *,
    source: str,
    http_charset: str | None = None,
    content_type: str | None = None,
) -> Decoded:
    """Decode page bytes; raise InputError for empty or binary input."""
    if not data.strip():
        raise InputError("empty input", source=source)
    check_not_binary(data, source=source, content_type=content_type)
    decoded = _decode(data, http_charset=http_charset or charset_from_content_type(content_type))
    check_text(decoded.text, source=source)
    return decoded


def check_text(text: str, *, source: str) -> None:
    """Refuse text that is empty or mostly control characters (binary data decoded by force)."""
    if not text.strip():
        raise InputError("empty input", source=source)
    sample = text[:65536]
    if len(_CONTROL.findall(sample)) > max(8, len(sample) // 100):
        raise InputError(NOT_TEXT, source=source)


def drop_controls(text: str) -> str:
    """Remove C0 control characters (and DEL) that no page means, keeping tab and line breaks;
    lxml cannot hold them and they would reach the clean text otherwise."""
    return _DROPPED_CONTROLS.sub("", text.replace("\x0b", "\n").replace("\x0c", "\n"))


def _decode(data: bytes, *, http_charset: str | None) -> Decoded:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return Decoded(
                text=data[len(bom) :].decode(encoding, errors="replace"), encoding=encoding, how="bom"
            )
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is not None:
            return utf16
        # NUL bytes in an 8-bit page: binary data (check_text refuses it when they abound).
    declared: list[tuple[str, str]] = []
    http_codec = codec_for(http_charset)
    if http_codec:
        declared.append((http_codec, "http"))
    meta = _META_CHARSET.search(data[:4096])
    meta_codec = codec_for(meta.group(1).decode("ascii")) if meta else None
    # A <meta> cannot declare UTF-16: the bytes it was read from are ASCII-compatible (WHATWG).
    if meta_codec and meta_codec.startswith("utf-16"):
        meta_codec = "utf-8"
    if meta_codec:
        declared.append((meta_codec, "meta"))
    utf8 = _strict(data, "utf-8")
    if utf8 is not None:  # ASCII reads the same in every declared ASCII-compatible charset
        how = next((how for codec, how in declared if codec == "utf-8"), "utf-8")
        return Decoded(text=utf8, encoding="utf-8", how=how)
    for codec, how in declared:
        if codec == "utf-8":
            continue  # the strict UTF-8 attempt above already failed: the declaration is wrong
        text = _strict(data, codec)
        if text is not None:
            return Decoded(text=text, encoding=codec, how=how)
    return _detect(data)


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _utf16_without_bom(data: bytes) -> Decoded | None:
    sample = data[:4096]
    even, odd = sample[0::2], sample[1::2]
    if not even or not odd:
        return None
    # Latin text in UTF-16 has a NUL in (nearly) every other byte.
    for nuls, codec in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if nuls.count(0) >= 0.9 * len(nuls):
            text = _strict(data[: len(data) - len(data) % 2], codec)
            if text is not None:
                return Decoded(text=text, encoding=codec, how="detected")
    return None


def _detect(data: bytes) -> Decoded:
    best = from_bytes(data, cp_exclusion=_NO_GUESS).best()
    if best is None or best.encoding in _LATIN:
        # Byte statistics cannot tell Latin code pages apart on news-sized text (cp1250 "ministčre"
        # often beats cp1252 "ministère"): when detection says "some Latin code page", take the one
        # Western pages use.
        text = _strict(data, "cp1252")
        if text is not None:
            return Decoded(text=text, encoding="cp1252", how="detected")
    if best is not None:
        text = _strict(data, best.encoding)
        if text is not None:
            return Decoded(text=text, encoding=best.encoding, how="detected")
    # Nothing plausible: the web's Western default, every undecodable byte visible as U+FFFD.
    return Decoded(text=data.decode("cp1252", errors="replace"), encoding="cp1252", how="fallback")
