"""Property: whatever the text and spans, the highlighted HTML shows exactly the text, escaped."""

from __future__ import annotations

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from veille.web.highlight import Mark, render


@st.composite
def text_and_marks(draw: st.DrawFn) -> tuple[str, list[Mark]]:
    text = draw(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80))
    n = len(text)
    marks = []
    for i in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, n))
        end = draw(st.integers(start, n))
        if start < end:
            marks.append(Mark(start, end, f"e{i}", ("hl-event",)))
    return text, marks


@given(text_and_marks())
@settings(max_examples=300, deadline=None)
def test_rendered_text_is_the_text(case: tuple[str, list[Mark]]) -> None:
    text, marks = case
    out = str(render(text, marks))
    tags = re.findall(r"<[^>]*>", out)
    assert all(t.startswith(('<span class="', "</span>")) for t in tags)
    assert html.unescape(re.sub(r"<[^>]*>", "", out)) == text
    for m in marks:
        assert f'id="m-{m.ref}"' in out
