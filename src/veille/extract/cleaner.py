"""Entry of the extract stage: decode, route HTML or plain text, merge the container's metadata.

Precedence of metadata: the container's (corpus JSONL, RSS item: curated by whoever built it) over
the page's own markup, over what the cleaner infers (a plain-text scrape's headline line). The
publication date comes from metadata only here; dates written in the text are the date stage's.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re

from veille.errors import InputError
from veille.extract.decode import check_not_binary, check_text, decode, drop_controls
from veille.extract.html import extract_html, looks_like_html
from veille.extract.result import Extracted
from veille.extract.text import clean_text
from veille.ingest.raw import RawDocument
from veille.models import PublishedEvidence

_ISO_DAY = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:$|[T\s])")
_LANG = re.compile(r"^\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*$")


def extract(raw: RawDocument, *, max_chars: int) -> Extracted:
    """Clean one raw page; raise InputError for empty, binary or oversized input."""
    if raw.text is not None:
        text = raw.text.lstrip("\ufeff")
        check_text(text, source=raw.source)
    else:
        data = raw.data or b""
        check_not_binary(data, source=raw.source, content_type=raw.content_type)
        text = decode(data, source=raw.source, http_charset=raw.charset, content_type=raw.content_type).text
    text = drop_controls(text)
    meta = raw.meta
    meta_title = _clean(meta.get("title"))
    meta_url = _clean(meta.get("url"))
    published, evidence = container_published(meta.get("published"))
    if looks_like_html(text, content_type=raw.content_type):
        page = extract_html(text, url=meta_url or raw.url, title=meta_title)
        extracted = Extracted(
            text=page.text,
            title=page.title,
            url=meta_url or page.meta.url or raw.url,
            outlet=_clean(meta.get("source")) or page.meta.outlet,
            language_hint=container_language(meta.get("lang")) or page.meta.language_hint,
            published=published or page.meta.published,
            published_evidence=evidence if published else page.meta.published_evidence,
            removed=page.removed,
            is_html=True,
        )
    else:
        cleaned = clean_text(text, title=meta_title)
        extracted = Extracted(
            text=cleaned.text,
            title=cleaned.title,
            url=meta_url or raw.url,
            outlet=_clean(meta.get("source")),
            language_hint=container_language(meta.get("lang")),
            published=published,
            published_evidence=evidence,
            removed=cleaned.removed,
        )
    if len(extracted.text) > max_chars:
        raise InputError(f"text longer than {max_chars} characters after cleaning", source=raw.source)
    return extracted


def _clean(value: str | None) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def container_language(value: str | None) -> str | None:
    match = _LANG.match(value or "") if isinstance(value, str) else None
    return match.group(1).lower() if match else None


def container_published(value: str | None) -> tuple[str | None, tuple[PublishedEvidence, ...]]:
    """A container's date (ISO day or datetime, or an RSS RFC 2822 date) as YYYY-MM-DD."""
    day = parse_day(value) if isinstance(value, str) else None
    if day is None:
        return None, ()
    return day.isoformat(), (PublishedEvidence(start=0, end=0, text="", why="container metadata"),)


def parse_day(value: str) -> dt.date | None:
    match = _ISO_DAY.match(value)
    try:
        if match:
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        return email.utils.parsedate_to_datetime(value.strip()).date()
    except (ValueError, TypeError, IndexError, OverflowError):
        return None
