"""Noun phrases naming speakers: from the parse (:func:`np_tokens`) or by POS around a verb.

Parsers do poorly on inverted clauses ("…, a ajouté le site Avia.pro"), so the surface readers
(:func:`surface_np_after`, :func:`surface_np_before`) walk the tags; both refuse dates ("Friday
morning") and keep a name and its apposition together ("le secrétaire général de l'OTAN, Jens Stoltenberg").
"""

from __future__ import annotations

from spacy.tokens import Token

from veille.annotate.attribution import NP_JOINERS, NP_POS, SENTENCE_END, DocView
from veille.annotate.event_scheme import join_hyphenated
from veille.annotate.quote_lexicon import fold

# Subtree dependents that are not part of a speaker's name ("le ministère cité par …", "qui …").
_NP_CUT: frozenset[str] = frozenset(
    {"acl", "acl:relcl", "relcl", "advcl", "punct", "cc", "parataxis", "ccomp", "xcomp", "obl", "obl:mod"}
)


def np_tokens(token: Token) -> tuple[int, int]:
    """First and last index of the noun phrase headed by ``token`` (relatives and participles cut)."""
    keep = {token.i}
    stack = [token]
    while stack:
        current = stack.pop()
        for child in current.children:
            if child.pos_ in {"VERB", "AUX"} or (child.dep_ in _NP_CUT and child.text != ","):
                continue
            if current == token and child.dep_ == "case" and child.i < token.i:
                continue  # the head's own preposition: "(par) la Commission, qui regrette …"
            if abs(child.i - token.i) > 14:
                continue
            keep.add(child.i)
            stack.append(child)
    first, last = min(keep), max(keep)
    # Keep the phrase contiguous around the head: stop at the first token that is not kept.
    doc = token.doc
    lo = token.i
    while lo - 1 >= first and lo - 1 in keep and "\n" not in doc[lo - 1].text + doc[lo - 1].whitespace_:
        lo -= 1
    hi = token.i
    while hi + 1 <= last and hi + 1 in keep and "\n" not in doc[hi].whitespace_ + doc[hi + 1].text:
        hi += 1
    while hi > lo and (doc[hi].is_punct or fold(doc[hi].text) in NP_JOINERS):
        hi -= 1
    while lo < hi and doc[lo].is_punct:
        lo += 1
    lo, end = join_hyphenated(doc, lo, hi + 1)
    return lo, end - 1


def _time_phrase(view: DocView, first: int, last: int) -> bool:
    """ "Friday morning", "la semaine dernière": a date, never a speaker."""
    times = view.lex.word_set("time_nouns")
    timed = [
        view.doc[k].ent_type_ in {"DATE", "TIME"} or view.words[k] in times for k in range(first, last + 1)
    ]
    # Articles and adjectives alone name no time ("un jeune manifestant" read as DET ADJ ADJ).
    return any(timed) and all(
        t or view.doc[k].pos_ in {"DET", "ADJ"} for k, t in zip(range(first, last + 1), timed, strict=True)
    )


def _adjective_as_noun(view: DocView, first: int, last: int) -> bool:
    """ "un jeune manifestant", "une proche": the tagger reads the noun as an adjective, but the
    article at the start hangs on it, so it heads the phrase as a noun does."""
    head = view.doc[first].head
    return view.doc[first].pos_ == "DET" and first < head.i <= last and head.pos_ == "ADJ"


def _misread_in_np(token: Token) -> bool:
    """A word of a noun phrase that the tagger read as a verb: a participle-like adjective on a noun
    ("la vice-présidente exécutive", tagged VERB amod) or a capitalised word of a named entity
    ("le gouverneur Oleh Synehoubov", "Oleh" tagged VERB)."""
    if token.pos_ != "VERB":
        return False
    return token.dep_ == "amod" or (bool(token.ent_type_) and token.is_title)


def surface_np_after(
    view: DocView, i: int, *, limit: int = 10, allow_time: bool = False
) -> tuple[int, int] | None:
    """The noun phrase starting at token ``i`` by POS alone (parses of inverted clauses are poor)."""
    doc = view.doc
    n = len(doc)
    if i >= n or view.in_quote[i] >= 0:
        return None
    if view.words[i] in view.lex.pronouns:
        return i, i
    if doc[i].pos_ not in NP_POS:
        return None
    last = i
    j = i
    relays = view.lex.phrase("relay_markers")
    while j < n and j - i < limit and view.in_quote[j] < 0:
        token = doc[j]
        word = view.words[j]
        if j > i and relays.match(view.words, j):
            break  # "un enseignant de Créteil au micro de France Info"
        in_np = token.pos_ in NP_POS or _misread_in_np(token)
        if in_np and word not in SENTENCE_END and not token.is_punct:
            last = j
        elif word in NP_JOINERS and j + 1 < n and doc[j + 1].pos_ in NP_POS | {"ADP"}:
            pass
        elif word == "en" and j + 1 < n and doc[j + 1].pos_ == "NOUN" and j > i:
            pass  # "son rédacteur en chef", "l'opposante en exil"
        elif token.pos_ == "ADP" and word in NP_JOINERS:
            pass
        else:
            break
        j += 1
    if not any(doc[k].pos_ in {"NOUN", "PROPN", "X"} for k in range(i, last + 1)) and not _adjective_as_noun(
        view, i, last
    ):
        return None
    if not allow_time and _time_phrase(view, i, last):
        return None
    # A role and its complement before the name: "l'opposante en exil Svetlana Tsikhanovskaïa".
    if (
        last + 3 < n
        and doc[last + 1].pos_ == "ADP"
        and doc[last + 2].pos_ == "NOUN"
        and doc[last + 3].pos_ == "PROPN"
        and view.words[last] in view.lex.word_set("roles") | {fold(doc[last].lemma_)}
        and fold(doc[last].lemma_) in view.lex.word_set("roles") | view.lex.word_set("source_nouns")
    ):
        last += 3
        while last + 1 < n and doc[last + 1].pos_ == "PROPN" and last - i < limit + 4:
            last += 1
    # An apposition naming the person: "le gouverneur régional, Viatcheslav Ivanov, …".
    if (
        last + 2 < n
        and view.words[last + 1] == ","
        and doc[last + 2].pos_ == "PROPN"
        and doc[i].pos_ != "PROPN"
    ):
        k = last + 2
        while k + 1 < n and doc[k + 1].pos_ == "PROPN" and k - last < 6:
            k += 1
        if k + 1 >= n or view.words[k + 1] in {",", ".", ";"} or view.is_final(k + 1):
            last = k
    return i, last


def surface_np_before(view: DocView, i: int, *, limit: int = 12) -> tuple[int, int] | None:
    """The noun phrase ending at token ``i``, with an apposition ("le secrétaire …, Jens Stoltenberg")."""
    doc = view.doc
    if i < 0 or view.in_quote[i] >= 0:
        return None
    if view.words[i] in view.lex.pronouns:
        return i, i
    j = i
    if view.words[j] == "," and j > 0:
        j -= 1  # "…, Jens Stoltenberg, a prétendu"
        # A parenthetical between subject and verb: "Des responsables, sous couvert d'anonymat, soutiennent".
        floor = max(-1, j - 25, view.sent_start[i] - 1)
        opening = next((k for k in range(j, floor, -1) if view.words[k] == ","), None)
        if opening is not None and opening > 0:
            inner = doc[opening + 1]
            relative = inner.pos_ == "PRON" and inner.head.dep_ in {"acl:relcl", "relcl"}
            if relative and inner.head.head.i < opening:
                # "Un diplomate européen, qui a requis l'anonymat, juge …": the relative's antecedent.
                return np_tokens(inner.head.head)
            if inner.pos_ in {"ADP", "ADV", "VERB", "SCONJ"} and opening >= j - 10:
                j = opening - 1
    end = j
    first = None
    while j >= 0 and end - j < limit and view.in_quote[j] < 0:
        token = doc[j]
        word = view.words[j]
        if (token.pos_ in NP_POS or _misread_in_np(token)) and not token.is_punct:
            first = j
        elif word in NP_JOINERS and first is not None:
            pass
        else:
            break
        j -= 1
    if first is None or not any(doc[k].pos_ in {"NOUN", "PROPN", "X"} for k in range(first, end + 1)):
        return None
    if _time_phrase(view, first, end):
        return None
    # Two noun phrases side by side are no speaker: "a figure the union (disputed)" → "the union".
    for k in range(end, first, -1):
        if (
            doc[k].pos_ == "DET"
            and doc[k - 1].pos_ in {"NOUN", "PROPN"}
            and view.words[k - 1] not in NP_JOINERS
        ):
            first = k
            break
    # A description in apposition to a name: "Sen. Jane Roe, D-Mich., a member of the committee".
    root = doc[end]
    while root.head.i != root.i and first <= root.head.i <= end:
        root = root.head
    if (
        root.dep_ == "appos"
        and root.head.pos_ == "PROPN"
        and root.head.i < first
        and view.sent_start[root.head.i] == view.sent_start[first]
        and all(view.in_quote[k] < 0 for k in range(root.head.i, first))
    ):
        name_first, _ = np_tokens(root.head)
        if first - name_first <= 12:
            first = name_first
    # An apposition before a name: "le secrétaire général de l'OTAN, Jens Stoltenberg".
    if (
        first >= 2
        and view.words[first - 1] == ","
        and all(doc[k].pos_ == "PROPN" for k in range(first, end + 1))
    ):
        before = surface_np_before(view, first - 2, limit=limit)
        roles = view.lex.word_set("roles") | view.lex.word_set("source_nouns")
        if (
            before is not None
            and doc[before[0]].pos_ == "DET"
            and any(view.words[k] in roles for k in range(before[0], before[1] + 1))
        ):
            first = before[0]
    return first, end
