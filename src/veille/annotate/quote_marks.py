"""Find the quotation-mark spans of a text: « … », “ … ”, „ … “, " … ", ‹ … ›, ‘ … ’.

One linear pass over the mark characters with a bounded stack: nested quotes are kept inside their
outer quote (only outer spans are returned), marks that never close are ignored, and a quote left
open at the end of a paragraph continues when the next paragraph opens with the same mark (the
press convention for quotes running over several paragraphs); otherwise it is dropped. Input is
untrusted page text: no backtracking, depth capped, time linear in the text length.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CLOSERS: dict[str, str] = {"«": "»", "“": "”", "„": "“”", "‹": "›", "‘": "’", '"': '"'}
_MARKS = re.compile(r'[«»“”„‹›‘’"]|\n[ \t\r\f\v\u00a0]*\n')
_OPEN_BEFORE = frozenset(" \t\n\r\u00a0\u202f([{—–-/:;«“„‹‘'\"")


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """An outer quotation: marks at ``open``/``close`` (``close`` is -1 when a paragraph ended it)."""

    open: int
    close: int
    start: int  # first character of the quoted words (marks and spaces trimmed)
    end: int  # end of the quoted words (a trailing comma inside the marks trimmed)
    mark: str
    group: int  # quotes running over several paragraphs share a group
    part: int  # position inside the group


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


def find_quote_spans(text: str, *, max_depth: int = 8) -> list[QuoteSpan]:
    """Outer quotation spans of ``text`` in order, each with at least one word inside."""
    spans: list[QuoteSpan] = []
    stack: list[tuple[str, int]] = []  # (opening mark, its offset)
    next_group = 0
    group = part = 0
    continuing = False  # the outer quote of the previous paragraph goes on in this one

    def emit(open_at: int, close_at: int, end_at: int, mark: str) -> None:
        start, end = _trim(text, open_at + 1, end_at)
        if any(c.isalnum() for c in text[start:end]):
            spans.append(QuoteSpan(open_at, close_at, start, end, mark, group, part))

    for match in _MARKS.finditer(text):
        char = match.group()
        at = match.start()
        if char[0] == "\n":
            continuing = False
            if stack:
                mark, open_at = stack[0]
                nxt = match.end()
                while nxt < len(text) and text[nxt] in " \t\u00a0":
                    nxt += 1
                if nxt < len(text) and text[nxt] == mark:
                    emit(open_at, -1, at, mark)
                    continuing = True
                stack.clear()
            continue
        top = stack[-1][0] if stack else None
        before = text[at - 1] if at > 0 else " "
        after = text[at + 1] if at + 1 < len(text) else " "
        if top is not None and char in _CLOSERS[top]:
            if top == "‘" and after.isalpha():
                continue  # an apostrophe inside a nested quote: "‘we don’t’"
            mark, open_at = stack.pop()
            if not stack:
                emit(open_at, at, at, mark)
            continue
        if char in _CLOSERS and len(stack) < max_depth:
            if char in '‘"' and (before not in _OPEN_BEFORE or after.isspace()):
                continue  # an apostrophe, or a straight mark that cannot open here
            if not stack:
                if continuing:
                    part += 1
                else:
                    group, part = next_group, 0
                    next_group += 1
                continuing = False
            stack.append((char, at))
    return spans
