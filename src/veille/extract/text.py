"""Plain-text boilerplate removal: line rules from ``data/boilerplate``, teaser blocks, the title.

The cleaner works line by line and never edits inside a line: a line is kept as it is (trailing
spaces stripped) or removed whole and reported in ``removed`` with the rule's reason, so every
removed piece is a substring of the input and the paragraph structure ("\\n\\n") survives.

Title policy: the title is kept **once**, where it stands at the start of the text (it is the
headline: its names and dates are worth analysing), and ``CleanText.title`` holds it too. Its
repetitions are removed: the breadcrumb that ends with it goes as ``breadcrumb``, a second copy
of the headline line anywhere as ``duplicate-title``. The title is, in order: the one given
(container or HTML metadata), the headline a breadcrumb announces, a short line printed twice
among the first lines, or the first line when it reads as a headline (short, no final stop).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice

from veille.extract.rules import BoilerplateRules, load_rules
from veille.models import Removed

MAX_REMOVED = 2000  # pieces reported per page (a page of 10 000 menu lines stays a bounded JSON)
_TITLE_MAX_WORDS = 30
_RULE_LINE_CHARS = 1500  # no line rule targets longer lines (cookie notices are the longest)
_CRUMB_LINE_WORDS = 60  # a trail of short crumbs ending with a headline is never longer
_HEAD_LINES = 8  # the title and its repetitions sit in the first lines
_TRUNCATED = ("…", "...", "[…]", "[...]")  # endings of an excerpt cut short
_BLANK_RUN = re.compile(r"\n{3,}")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "\u00a0": " ", "\u202f": " "})


@dataclass(frozen=True, kw_only=True)
class CleanText:
    text: str
    title: str | None
    removed: tuple[Removed, ...]


@dataclass
class _Line:
    text: str  # the line without trailing whitespace
    key: str  # stripped on both sides: what rules look at and what `removed` reports
    reason: str | None = None
    teaser: str | None = None  # "header" or "link" when the line opens a teaser

    @property
    def kept(self) -> bool:
        return bool(self.key) and self.reason is None


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def fold(text: str) -> str:
    """Comparison key: case, apostrophes, non-breaking spaces and spacing do not matter."""
    return " ".join(text.translate(_APOSTROPHES).casefold().split())


def clean_text(text: str, *, title: str | None = None, rules: BoilerplateRules | None = None) -> CleanText:
    """Remove boilerplate lines; ``title`` (from metadata) is used instead of guessing one."""
    rules = rules or load_rules()
    lines = [
        _Line(raw.rstrip(), raw.strip()) for raw in normalize_newlines(text).lstrip("\ufeff").split("\n")
    ]
    for line in lines:
        if line.key:
            _classify(line, rules)
    crumb_title = _breadcrumb_title(lines, rules)
    _extend_teasers(lines, rules)
    title = _clean_title(title) or crumb_title or _repeated_head_line(lines) or _first_line_title(lines)
    if title:
        _drop_title_repeats(lines, title)
    gone = [line for line in lines if line.reason][:MAX_REMOVED]
    removed = tuple(Removed(text=line.key, reason=line.reason) for line in gone if line.reason)
    kept = "\n".join(line.text if line.reason is None else "" for line in lines)
    return CleanText(text=_BLANK_RUN.sub("\n\n", kept).strip(), title=title, removed=removed)


def _clean_title(title: str | None) -> str | None:
    if title is None:
        return None
    return " ".join(title.split()) or None


def _classify(line: _Line, rules: BoilerplateRules) -> None:
    key = line.key
    if len(key) <= rules.stray_max_chars or (
        len(key) <= rules.stray_symbols_max_chars and not any(c.isalnum() for c in key)
    ):
        line.reason = "stray-character"
        return
    if len(key) <= 400 and (rules.language_menu.match(key) or rules.language_codes.match(key)):
        line.reason = "language-menu"
        return
    words = len(key.split())
    if words <= _CRUMB_LINE_WORDS and _is_breadcrumb(key, rules):
        line.reason = "breadcrumb"
        return
    if len(key) <= 300 and rules.share_bar.match(key):
        line.reason = "share"
        return
    if words < len(rules.line_rule_index) and len(key) <= _RULE_LINE_CHARS:
        anchored, floating = rules.line_rule_index[words]
        match = anchored.match(key)
        triggers = rules.floating_triggers
        if match is None and (triggers is None or _has_any(key.casefold(), triggers)):
            match = floating.search(key)
        if match is not None and match.lastgroup is not None:
            line.reason = rules.line_rules[int(match.lastgroup[1:])].reason
            return
    if words <= rules.teaser_max_item_words + 4:
        if rules.teaser_header.match(key):
            line.reason, line.teaser = "teaser-block", "header"
        elif rules.teaser_link.match(key):
            line.reason, line.teaser = "teaser-link", "link"


def _has_any(text: str, words: tuple[str, ...]) -> bool:
    return any(word in text for word in words)


def _crumbs(key: str, rules: BoilerplateRules) -> list[str] | None:
    """The crumbs of a breadcrumb line ("Home > News > Title"), or None for any other line."""
    if "«" in key and "»" in key:  # French quotation marks, not a trail
        key = key.replace("«", " ").replace("»", " ")
    separators = {m.group().strip() for m in rules.breadcrumb_separator.finditer(key)}
    if len(separators) != 1:  # no separator, or a mix: prose, not a trail
        return None
    parts = [p.strip() for p in rules.breadcrumb_separator.split(key)]
    if len(parts) < 2 or not all(parts):
        return None
    for crumb in parts[:-1]:
        if len(crumb.split()) > rules.max_crumb_words or crumb[-1] in ".!?;,":
            return None
    if parts[0].casefold() in rules.breadcrumb_home:
        return parts
    # Without a home word, a trail is names: every crumb capitalised, no sentence end.
    if (
        len(parts) - 1 >= rules.min_crumb_separators
        and parts[-1][-1] not in ".,;:"
        and all(p[0].isupper() or p[0].isdigit() for p in parts)
    ):
        return parts
    return None


def _is_breadcrumb(key: str, rules: BoilerplateRules) -> bool:
    return (
        len(key) <= 500 and rules.breadcrumb_hint.search(key) is not None and _crumbs(key, rules) is not None
    )


def _next_kept(lines: list[_Line], start: int) -> int | None:
    return next((j for j in range(start, len(lines)) if lines[j].kept), None)


def _breadcrumb_title(lines: list[_Line], rules: BoilerplateRules) -> str | None:
    """The headline that follows a breadcrumb ending with it (possibly cut short: "Title…")."""
    for i, line in enumerate(lines[: _HEAD_LINES * 3]):
        if line.reason != "breadcrumb":
            continue
        crumbs = _crumbs(line.key, rules)
        j = _next_kept(lines, i + 1)
        if not crumbs or j is None:
            continue
        last, candidate = fold(crumbs[-1]), fold(lines[j].key)
        stem = last.removesuffix("...").removesuffix("…").rstrip()
        if last == candidate or (stem != last and len(stem) >= 10 and candidate.startswith(stem)):
            return lines[j].key
    return None


def _repeated_head_line(lines: list[_Line]) -> str | None:
    """A short line printed twice among the first lines: the headline and its copy."""
    seen: set[str] = set()
    for line in islice((line for line in lines if line.kept), _HEAD_LINES):
        key = fold(line.key)
        if key in seen and _headline_like(line.key):
            return line.key
        seen.add(key)
    return None


def _first_line_title(lines: list[_Line]) -> str | None:
    """The first line when it reads as a headline (short, no final full stop) and text follows."""
    first = _next_kept(lines, 0)
    if first is None or _next_kept(lines, first + 1) is None:
        return None
    key = lines[first].key
    return key if _headline_like(key) else None


def _headline_like(key: str) -> bool:
    """Short, and not ending like a sentence, a list lead-in or a cut excerpt."""
    return len(key.split()) <= _TITLE_MAX_WORDS and key[-1] not in ".:;,…" and not key.endswith(_TRUNCATED)


def _drop_title_repeats(lines: list[_Line], title: str) -> None:
    target = fold(title)
    longest = 2 * len(target) + 10  # folding only squeezes spaces: a much longer line cannot match
    seen = False
    for line in lines:
        if not line.kept or len(line.key) > longest or fold(line.key) != target:
            continue
        if seen:
            line.reason = "duplicate-title"
        seen = True


def _is_prose(key: str, rules: BoilerplateRules) -> bool:
    return (
        len(key.split()) >= rules.prose_min_words
        and key[-1] in rules.prose_end_chars
        and not key.endswith(_TRUNCATED)
    )


def _extend_teasers(lines: list[_Line], rules: BoilerplateRules) -> None:
    """Remove the headlines and excerpts that follow a teaser header or link.

    After a header with no running text anywhere below it (the page's tail), everything left is
    teaser matter. Mid-article, only excerpts cut short ("…") and at most ``teaser_mid_article_items``
    headlines go, and the first line of prose ends the block.
    """
    prose_after = [False] * (len(lines) + 1)
    for i in range(len(lines) - 1, -1, -1):
        prose_after[i] = prose_after[i + 1] or (lines[i].kept and _is_prose(lines[i].key, rules))
    for i, opener in enumerate(lines):
        if opener.teaser is None:
            continue
        tail = opener.teaser == "header" and not prose_after[i + 1]
        budget = rules.teaser_mid_article_items if opener.teaser == "header" else 0
        for j in range(i + 1, len(lines)):
            line = lines[j]
            if not line.kept:
                if line.teaser is not None:
                    break  # another teaser opens: it extends itself
                continue
            key = line.key
            words = len(key.split())
            truncated = key.endswith(_TRUNCATED) and words <= rules.teaser_max_truncated_words
            if tail or truncated:
                line.reason = "teaser-block"
            elif budget > 0 and not _is_prose(key, rules) and words <= rules.teaser_max_item_words:
                line.reason = "teaser-block"
                budget -= 1
            else:
                break
