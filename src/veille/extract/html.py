"""HTML pages: main text and title with trafilatura, metadata (see html_meta), what was dropped.

The tree is parsed once with lxml and handed to trafilatura and htmldate as a tree: given a
*string* that starts with "http", htmldate downloads it, which must never happen with page content.

Text shape: trafilatura's blocks (paragraphs, headings, list items, quotes, table rows) joined by
"\\n\\n"; ``<br>`` inside a paragraph stays a single "\\n". The plain-text cleaner then runs on it
(it catches inline "Read more: …" links trafilatura keeps). The headline is kept once at the
start (trafilatura keeps the ``<h1>``; when it does not, the title is prepended).

``removed`` is coarse but honest: every visible line of the page (outside script/style) that does
not survive into the text, with a reason named after the page region that held it (navigation,
footer, comments, aside, share bar, cookie notice; "html-boilerplate" otherwise), capped in
number and length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

import trafilatura
from lxml import etree
from lxml.html import HtmlElement, document_fromstring

from veille.extract.html_meta import PageMeta, page_meta
from veille.extract.rules import BoilerplateRules, load_rules
from veille.extract.text import clean_text, fold
from veille.models import Removed

MAX_HTML_REMOVED = 200
MAX_PIECE_CHARS = 300
_SKIP = frozenset(
    {"head", "script", "style", "noscript", "template", "svg", "math", "iframe", "object", "canvas"}
)
_BLOCK = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "br",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
        "option",
        "button",
        "label",
    }
)
_REGION_TAGS = frozenset({"nav", "footer", "header", "aside", "form"})
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>", re.I)
_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]{0,200}>\s*)?(?:<!--.{0,2000}?-->\s*)*"
    r"<(?:!doctype\s+html|html|head|body|meta|title|link|script|style|div|p|article|section|header|nav|main"
    r"|table|h[1-6])\b",
    re.I | re.S,
)
_TAG = re.compile(
    r"</?(?:p|div|span|a|br|li|ul|ol|h[1-6]|table|tr|td|img|article|section|header|footer|nav|main|strong|em)"
    r"\b[^<>]{0,300}>",
    re.I,
)
_SPACES = re.compile(r"[ \t\n\r\f\v]+")  # not \u00a0: French typography keeps its no-break spaces
_COMPACT = re.compile(r"\s+")
_SHORT_LINE = 40  # characters (without spaces) under which a line must match whole words


@dataclass(frozen=True, kw_only=True)
class HtmlPage:
    text: str
    title: str | None
    removed: tuple[Removed, ...]
    meta: PageMeta


def looks_like_html(text: str, *, content_type: str | None) -> bool:
    """HTML by declared type (when tags are there), by its first tag, or by tag density."""
    head = text[:5000]
    media = (content_type or "").split(";")[0].strip().lower()
    if media in {"text/html", "application/xhtml+xml"} and "<" in head:
        return True
    if _HTML_START.match(head):
        return True
    return media != "text/plain" and len(_TAG.findall(head)) >= 5


def parse_html(text: str) -> HtmlElement | None:
    try:
        return document_fromstring(_XML_DECL.sub("", text, count=1))
    except (etree.ParserError, ValueError):
        return None


def extract_html(text: str, *, url: str | None, title: str | None = None) -> HtmlPage:
    """Clean an HTML page; ``title`` (from container metadata) wins over the page's own."""
    rules = load_rules()
    tree = parse_html(text)
    if tree is None:
        return HtmlPage(text="", title=title, removed=(), meta=PageMeta(url=url))
    meta = page_meta(tree, url=url)
    lines = visible_lines(tree, rules)
    document = _trafilatura(tree, url=meta.url)
    body = _render(document.body) if document is not None and document.body is not None else ""
    if not body.strip():  # trafilatura found no main text (tiny or odd page): every visible line
        body = "\n\n".join(line for line, _ in lines)
    title = title or (document.title if document is not None else None) or None
    if title and fold(title) not in fold(body):
        body = f"{title}\n\n{body}"
    cleaned = clean_text(body, title=title, rules=rules)
    meta = _with_outlet(meta, document)
    dropped = dropped_lines(lines, kept=body)  # what the text cleaner removes it reports itself
    return HtmlPage(text=cleaned.text, title=cleaned.title, removed=dropped + cleaned.removed, meta=meta)


def _with_outlet(meta: PageMeta, document: Any) -> PageMeta:
    """og:site_name first; else the site name trafilatura found elsewhere (JSON-LD publisher…)."""
    if meta.outlet or document is None or not document.sitename:
        return meta
    return replace(meta, outlet=str(document.sitename))


def _trafilatura(tree: HtmlElement, *, url: str | None) -> Any:
    try:
        return trafilatura.bare_extraction(
            tree,  # trafilatura works on its own copy
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            deduplicate=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except (ValueError, TypeError, AttributeError, RecursionError, etree.LxmlError):
        return None  # hostile markup: fall back to the visible lines


def _render(body: etree._Element) -> str:
    blocks: list[str] = []
    if body.text and body.text.strip():
        blocks.append(_squeeze(body.text))
    for element in body:
        if element.tag == "list":
            items = (_inline(item) for item in element.iter("item"))
            blocks.append("\n".join(item for item in items if item))
        elif element.tag == "table":
            rows = (
                " | ".join(c for c in (_inline(cell) for cell in row.iter("cell")) if c)
                for row in element.iter("row")
            )
            blocks.append("\n".join(row for row in rows if row))
        else:
            blocks.append(_inline(element))
        if element.tail and element.tail.strip():
            blocks.append(_squeeze(element.tail))
    return "\n\n".join(block for block in blocks if block)


def _inline(element: etree._Element) -> str:
    """An element's text; trafilatura's <lb/> (a <br>) is the only line break kept."""
    segments: list[list[str]] = [[]]
    stack: list[tuple[etree._Element, bool]] = [(element, False)]
    while stack:
        node, is_tail = stack.pop()
        if is_tail:
            if node.tail:
                segments[-1].append(node.tail)
            continue
        if node.tag == "lb":
            segments.append([])
        elif node.text:
            segments[-1].append(node.text)
        for child in reversed(node):
            stack.append((child, True))
            stack.append((child, False))
    lines = (_squeeze("".join(parts)) for parts in segments)
    return "\n".join(line for line in lines if line)


def _squeeze(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _region(element: etree._Element, rules: BoilerplateRules) -> str | None:
    """The boilerplate reason an element's tag, id, class or role suggests."""
    tag = element.tag if isinstance(element.tag, str) else ""
    attrs = " ".join(filter(None, (element.get("id"), element.get("class"), element.get("role"))))
    if not attrs and tag not in _REGION_TAGS:
        return None
    label = f"{tag} {attrs}".lower()
    return next((reason for reason, pattern in rules.html_context if pattern.search(label)), None)


def visible_lines(tree: HtmlElement, rules: BoilerplateRules) -> list[tuple[str, str]]:
    """Every visible line of the page with the region reason it sits in, in document order."""
    lines: list[tuple[str, str]] = []
    buffer: list[str] = []
    # A line takes the reason of the region its first visible word sits in.
    reason_of_buffer: str | None = None

    def flush() -> None:
        nonlocal buffer, reason_of_buffer
        line = _squeeze("".join(buffer))
        if line:
            lines.append((line, reason_of_buffer or "html-boilerplate"))
        buffer, reason_of_buffer = [], None

    def add(text: str | None, reason: str) -> None:
        nonlocal reason_of_buffer
        if text:
            if reason_of_buffer is None and text.strip():
                reason_of_buffer = reason
            buffer.append(text)

    # Iterative walk (no recursion limit on deep markup): (node, phase, reason of the enclosing region).
    stack: list[tuple[etree._Element, str, str]] = [(tree, "open", "html-boilerplate")]
    while stack:
        node, phase, outer = stack.pop()
        tag = node.tag if isinstance(node.tag, str) else None
        if phase == "tail":
            add(node.tail, outer)
            continue
        if phase == "close":
            if tag in _BLOCK:
                flush()
            continue
        if tag is None or tag.lower() in _SKIP:  # comments, processing instructions, scripts
            continue
        reason = _region(node, rules) or outer
        if tag.lower() in _BLOCK:
            flush()
        add(node.text, reason)
        stack.append((node, "close", reason))
        for child in reversed(node):
            stack.append((child, "tail", reason))
            stack.append((child, "open", reason))
    flush()
    return lines


def dropped_lines(lines: list[tuple[str, str]], *, kept: str) -> tuple[Removed, ...]:
    """The visible lines that are not in the kept text (compared without case or spacing)."""
    kept_fold = fold(kept)
    kept_key = _COMPACT.sub("", kept_fold)
    # Most kept lines are whole kept paragraphs: a set lookup spares a search through the text.
    kept_lines = {_COMPACT.sub("", fold(block)) for block in kept.split("\n")}
    seen: set[str] = set()
    removed: list[Removed] = []
    for line, reason in lines:
        folded = fold(line)
        key = _COMPACT.sub("", folded)
        if not key or key in seen or key in kept_lines:
            continue
        if _is_kept(folded, key, kept_fold=kept_fold, kept_key=kept_key):
            continue
        seen.add(key)
        removed.append(Removed(text=_cut(line), reason=reason))
        if len(removed) >= MAX_HTML_REMOVED:
            break
    return tuple(removed)


def _is_kept(line: str, key: str, *, kept_fold: str, kept_key: str) -> bool:
    if key not in kept_key:
        return False
    if len(key) >= _SHORT_LINE:
        return True
    # A short line ("Sports") must match whole words ("transports" does not keep it).
    return re.search(rf"(?<!\w){re.escape(line)}(?!\w)", kept_fold) is not None


def _cut(text: str) -> str:
    if len(text) <= MAX_PIECE_CHARS:
        return text
    cut = text[:MAX_PIECE_CHARS]
    space = cut.rfind(" ")
    return cut[:space] if space > MAX_PIECE_CHARS // 2 else cut
