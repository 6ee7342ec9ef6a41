"""Indirect speech and source attributions: "X a affirmé que …", "selon X, …", "…, ajoute X".

Each rule yields an :class:`Attribution` of type ``indirect`` whose quote is the reported clause.
Clauses that already hold a direct quote are left to ``quote_direct``. The press conditional and
hedges inside the clause mark it ``conditional`` (reported as unverified by the claim rules).
"""

from __future__ import annotations

from veille.annotate.attribution import OPEN_MARKS, SENTENCE_END, Attribution, DocView
from veille.annotate.attribution_np import surface_np_after
from veille.annotate.quote_cues import (
    Cue,
    _skip_adjuncts,
    cue_after,
    is_source_phrase,
    relay_after,
    verb_before,
)
from veille.annotate.quote_subject import (
    has_subject,
    outer_reporting_conjunct,
    same_verb_form,
    subject_of,
)

_COMPLEMENTIZERS: frozenset[str] = frozenset({"que", "qu'", "that"})
# A reported clause longer than this (in tokens) is cut: real ones are far shorter, and the bound keeps
# text without sentence punctuation linear.
_MAX_CLAUSE = 150
# Tokens after the source's noun phrase in which "Selon X …," may still reach its comma: a participle,
# a place or a second source ("et un responsable d'une association joint par téléphone").
_SOURCE_TAIL = 16
_NEGATIONS: frozenset[str] = frozenset({"pas", "not", "n't", "never", "jamais", "guère", "plus"})
_RELATIVE_AFTER_MARKER: frozenset[str] = frozenset(
    {"lequel", "laquelle", "lesquels", "lesquelles", "which", "whom"}
)
_LEADING_GLUE: frozenset[str] = frozenset(
    {
        "toujours",
        "encore",
        "mais",
        "et",
        "or",
        "donc",
        "ainsi",
        "but",
        "and",
        "also",
        "still",
        "enfin",
        "pourtant",
    }
)


def _sentence_last(view: DocView, i: int) -> int:
    """Last token of the sentence of ``i`` that is not final punctuation or space."""
    last = view.sent_end[i] - 1
    while last > i and (view.words[last] in SENTENCE_END or view.doc[last].is_space):
        last -= 1
    return last


def _complement_end(view: DocView, first: int) -> int:
    """Where a reported clause ends: the sentence end, a clause break or a quote mark opening elsewhere."""
    last = min(_sentence_last(view, first), first + _MAX_CLAUSE)
    breaks = view.lex.phrase("complement_breaks")
    for k in range(first + 1, last + 1):
        if view.words[k] == ";":
            return k - 1
        if view.words[k - 1] == "," and breaks.match(view.words, k):
            return k - 2
    return last


def _reporting_conjunct_end(view: DocView, verb: int, first: int, last: int) -> int:
    """The reported clause of ``verb`` ends before a second reporting verb of the same subject ("a
    démenti que X et a affirmé que Y"), also when the parser hung it inside the clause ("denied that
    X and said Y", see :func:`outer_reporting_conjunct`)."""
    doc = view.doc
    for k in range(first + 1, last + 1):
        token = doc[k]
        if token.dep_ != "conj":
            continue
        # A reporting verb of the same subject only. Parsers also hang on the reporting verb the
        # second verb of a reported clause ("said the union plans to meet … and will then meet …"),
        # and "que l'abdication est inévitable et la République proclamée" has two subjects.
        own = (
            token.head.i == verb
            and not has_subject(token)
            and same_verb_form(doc[verb], token)
            and view.lex.verb_at(doc, k, strict=True) is not None
        )
        if own or outer_reporting_conjunct(view, k) == verb:
            end = k - 1
            while end > first and (doc[end].pos_ in {"CCONJ", "AUX"} or doc[end].is_punct):
                end -= 1
            return end
    return last


def _negated(view: DocView, verb: int) -> bool:
    doc = view.doc
    token = doc[verb]
    if any(c.dep_ in {"neg", "advmod"} and view.words[c.i] in _NEGATIONS for c in token.children):
        return True
    return any(view.words[k] in {"n'", "ne", "not", "n't", "never"} for k in range(max(0, verb - 3), verb))


def _covered(view: DocView, first: int, last: int, taken: list[tuple[int, int]]) -> bool:
    start = view.doc[first].idx
    end = view.doc[last].idx + len(view.doc[last].text)
    return any(s < end and start < e for s, e in taken)


_APPOSITION_MAX = 15  # tokens of a description of the source ("économiste à l'université de Nantes")
_RELATIVE_PRONOUNS = frozenset({"qui", "lequel", "laquelle", "lesquels", "lesquelles", "who", "which"})


def _after_source_apposition(view: DocView, first: int, last: int) -> int:
    """Where the statement starts once a description of the source is set aside.

    "Pour Jean Martin, économiste à l'université de Nantes, « la hausse va se poursuivre »": a
    verbless phrase between two commas, followed at once by a quotation, describes the source; the
    statement is the quotation. Without the quotation right after, the phrase may be the
    statement's own subject ("Selon X, la hausse, déjà forte, va durer"), so it stays.
    """
    doc = view.doc
    # "Selon Le Monde, qui cite des sources diplomatiques, …": what the source relied on is no
    # part of the statement either (its origin is read from the evidence, see quotes._find_origins).
    stop = min(first + _APPOSITION_MAX, last - 1)
    markers = view.lex.phrase("origin_markers")
    if view.words[first] in _RELATIVE_PRONOUNS or markers.match(view.words, first):
        return next((comma + 1 for comma in range(first, stop) if view.words[comma] == ","), first)
    for comma in range(first, stop):
        if doc[comma].pos_ in {"VERB", "AUX"}:
            return first
        if view.words[comma] != ",":
            continue
        mark = view.mark_of[comma + 1]
        opens = mark >= 0 and view.in_quote[comma + 2] == mark
        return comma + 1 if opens and comma > first else first
    return first


def _make(
    view: DocView,
    first: int,
    last: int,
    cue: Cue,
    rule: str,
    ev_first: int,
    ev_last: int,
    *,
    kind: str | None = None,
) -> Attribution:
    doc = view.doc
    start, end = doc[first].idx, doc[last].idx + len(doc[last].text)
    record = Attribution(
        start=start,
        end=end,
        type=kind or ("mixed" if _has_quote(view, first, last) else "indirect"),
        content_start=start,
        content_end=end,
        evidence_start=doc[ev_first].idx,
        evidence_end=doc[ev_last].idx + len(doc[ev_last].text),
        rule=rule,
        verb=cue.verb,
        cue=cue.lemma,
        cue_start=doc[cue.first].idx,
        cue_end=doc[cue.last].idx + len(doc[cue.last].text),
    )
    if cue.speaker is not None:
        record.speaker = view.mention(*cue.speaker)
    record.via = [view.mention(a, b) for a, b in cue.via]
    return record


def _infinitive_at(view: DocView, k: int) -> bool:
    """An infinitive clause starts at ``k`` (a negation "n'" / "ne" may come first)."""
    doc = view.doc
    if view.words[k] in {"n'", "ne", "ne pas"} and k + 1 < len(doc):
        k += 1
    return "Inf" in doc[k].morph.get("VerbForm", []) and view.lex.lang == "fr"


def _has_quote(view: DocView, first: int, last: int) -> bool:
    return any(view.in_quote[k] >= 0 or view.mark_of[k] >= 0 for k in range(first, last + 1))


def find_reported_clauses(view: DocView, taken: list[tuple[int, int]]) -> list[Attribution]:
    """ "X a affirmé que …", "X said (that) …": a reporting verb with a clausal complement."""
    doc = view.doc
    out: list[Attribution] = []
    listed = view.lex.verb_candidates(doc)  # verb_at finds nothing where this is False
    for i in range(len(doc)):
        if view.in_quote[i] >= 0 or not listed[i]:
            continue
        hit = view.lex.verb_at(doc, i, strict=True)
        if hit is None or not hit.verb.indirect:
            continue
        k = _skip_adjuncts(view, hit.last + 1, 10)
        first: int | None = None
        if k < len(doc) and view.words[k] in _COMPLEMENTIZERS:
            first = k + 1
        elif k < len(doc) and _infinitive_at(view, k):
            first = k  # "affirme avoir obtenu des documents", "a assuré n'avoir « jamais » utilisé …"
        elif view.lex.lang == "en":
            ccomp = [c for c in doc[i].children if c.dep_ == "ccomp" and c.i > i]
            if ccomp and ccomp[0].left_edge.i <= k + 1:
                first = max(ccomp[0].left_edge.i, hit.last + 1)
                if view.words[first] in _COMPLEMENTIZERS:
                    first += 1
        if first is None or first >= len(doc) or view.mark_of[first] >= 0 or view.words[first] in OPEN_MARKS:
            continue
        last = _reporting_conjunct_end(view, i, first, _complement_end(view, first))
        if last - first < 2 or _covered(view, first, last, taken):
            continue
        if _negated(view, i) or any(c.dep_ in {"aux:pass", "auxpass"} for c in doc[i].children):
            continue
        speaker = subject_of(view, i)
        if speaker is None or (
            speaker[0] == speaker[1] and view.words[speaker[0]] in view.lex.word_set("first_person")
        ):
            continue
        via, _ = relay_after(view, last)
        if speaker[1] < hit.first:
            # "L'agence Tass, citée par Reuters, rapporte que …": a relay set off after the subject.
            via = relay_after(view, speaker[1])[0] + via
        cue = Cue(hit.verb, hit.verb.lemma, hit.first, hit.last, speaker, via, last)
        ev_first = min(view.sent_start[i], speaker[0])
        out.append(_make(view, first, last, cue, "que", ev_first, _sentence_last(view, i)))
    return out


def find_source_markers(view: DocView, taken: list[tuple[int, int]]) -> list[Attribution]:
    """ "Selon X, …", "…, d'après X", "according to X, …" and "… selon lesquelles …"."""
    doc = view.doc
    out: list[Attribution] = []
    markers = view.lex.phrase("source_markers")
    opinions = view.lex.phrase("opinion_markers")
    for k in range(len(doc)):
        if view.in_quote[k] >= 0:
            continue
        length = markers.match(view.words, k)
        opinion = False
        if not length and k == view.sent_start[k] and opinions.match(view.words, k):
            # "Pour le procureur, les faits sont établis": only opening a sentence, only with a person.
            length, opinion = opinions.match(view.words, k), True
        if not length:
            continue
        after = k + length
        if after >= len(doc) or view.words[after] in _COMPLEMENTIZERS:
            continue  # "selon que …" is a conjunction
        if view.words[after] in _RELATIVE_AFTER_MARKER:
            record = _relative_source(view, k, after, taken)
            if record is not None:
                out.append(record)
            continue
        np = surface_np_after(view, after)
        if np is None or not is_source_phrase(view, np):
            continue
        if opinion and not is_source_phrase(view, np, strict=True):
            continue
        s_first = view.sent_start[k]
        s_last = _sentence_last(view, k)
        cue = Cue(None, view.cue_text(k, after), k, after - 1, np, [], np[1])
        lead = all(view.words[t] in _LEADING_GLUE or doc[t].is_punct for t in range(s_first, k))
        # "Selon un sondage Ifop publié dimanche, …", "selon des sources locales et un responsable
        # joint par téléphone, …": the comma may follow a participial phrase or a second source.
        comma = next(
            (t for t in range(np[1] + 1, min(np[1] + _SOURCE_TAIL, s_last)) if view.words[t] == ","),
            None,
        )
        if comma is not None and any(
            doc[t].pos_ in {"VERB", "AUX"} and "Fin" in doc[t].morph.get("VerbForm", [])
            for t in range(np[1] + 1, comma)
        ):
            comma = None
        if lead and comma is not None:
            first, last = comma + 1, s_last
        elif k > s_first and view.words[k - 1] == ",":
            first, last = s_first, k - 2
            if np[1] < s_last and s_last - np[1] > k - s_first:
                first, last = np[1] + 2, s_last  # ", selon X, …": the longer side is the statement
        else:
            continue
        first = _after_source_apposition(view, first, last)
        while first <= last and (view.words[first] in _LEADING_GLUE or doc[first].is_punct):
            first += 1
        # "…, au contraire, les faits sont établis": a short adverbial before the statement is the outlet's.
        comma2 = next((t for t in range(first, min(first + 4, last)) if view.words[t] == ","), None)
        if (
            comma2 is not None
            # An adverbial opens with a preposition or an adverb; "la hausse, déjà forte, va durer"
            # opens with the statement's own subject.
            and doc[first].pos_ in {"ADP", "ADV", "CCONJ", "SCONJ"}
            and not any(doc[t].pos_ in {"VERB", "AUX"} for t in range(first, comma2))
        ):
            first = comma2 + 1
        if last - first < 2 or _covered(view, first, last, taken):
            continue
        # "Selon X, « … »": a statement that is one whole quotation is X's own words.
        mark = view.mark_of[last]
        whole = mark >= 0 and first > 0 and view.mark_of[first - 1] == mark
        if whole and all(view.in_quote[t] == mark for t in range(first, last)):
            out.append(_make(view, first, last - 1, cue, "selon", s_first, s_last, kind="direct"))
            continue
        out.append(_make(view, first, last, cue, "selon", s_first, s_last))
    return out


def _relative_source(
    view: DocView, marker: int, rel: int, taken: list[tuple[int, int]]
) -> Attribution | None:
    """ "les déclarations faites par X selon lesquelles Y": X said Y; the reporter of the noun relays it."""
    doc = view.doc
    speech = view.lex.word_set("speech_nouns")
    noun = next(
        (
            j
            for j in range(marker - 1, max(view.sent_start[marker], marker - 12) - 1, -1)
            if view.words[j] in speech
        ),
        None,
    )
    if noun is None:
        return None
    speaker: tuple[int, int] | None = None
    for j in range(noun + 1, marker):
        if view.words[j] in {"par", "by"}:
            speaker = surface_np_after(view, j + 1)
            break
    if speaker is None:
        start = noun
        while start > view.sent_start[noun] and doc[start - 1].pos_ in {"DET", "ADJ"}:
            start -= 1
        speaker = (start, noun)
    first, last = rel + 1, _complement_end(view, rel + 1)
    if last - first < 2 or _covered(view, first, last, taken):
        return None
    via: list[tuple[int, int]] = []
    hit = verb_before(view, noun, window=6)
    if hit is not None:
        reporter = subject_of(view, hit.first)
        if reporter is not None:
            via.append(reporter)
    cue = Cue(None, view.cue_text(marker, rel + 1), marker, rel, speaker, via, last)
    return _make(
        view, first, last, cue, "selon-relative", view.sent_start[marker], _sentence_last(view, marker)
    )


def find_inverted_tails(view: DocView, taken: list[tuple[int, int]]) -> list[Attribution]:
    """ "…, ajoute le site d'information Avia.pro." / "…, he said.": the cue closes the sentence."""
    doc = view.doc
    out: list[Attribution] = []
    seen: set[int] = set()
    for i in range(len(doc)):
        s_first = view.sent_start[i]
        if s_first in seen:
            continue
        seen.add(s_first)
        s_last = _sentence_last(view, i)
        commas = [k for k in range(s_first + 3, s_last) if view.words[k] == "," and view.in_quote[k] < 0]
        for comma in reversed(commas[-2:]):
            cue = cue_after(view, comma - 1)
            if cue is None or cue.speaker is None or cue.verb is None:
                continue
            if view.lex.phrase("relay_markers").match(view.words, cue.first):
                continue  # "…, citée par Le Monde": a relay, not a reporting clause
            if view.words[comma + 1] in view.lex.word_set("relative_pronouns"):
                continue  # "…, qu'elles jugent trop vague": a relative clause about the last noun
            if (
                view.lex.lang == "fr"
                and cue.speaker[0] < cue.first
                and view.words[cue.speaker[0]] not in view.lex.pronouns
            ):
                continue  # French puts the subject after the verb here: "…, ajoute le site"
            if not any(
                doc[t].pos_ in {"VERB", "AUX"} and "Fin" in doc[t].morph.get("VerbForm", [])
                for t in range(s_first, comma)
            ):
                continue  # "Le préfet, Jean-Marc Roussel, a appelé …": the part before is no clause
            end = max(cue.end, cue.speaker[1], cue.last)
            tail = [t for t in range(end + 1, s_last + 1) if not doc[t].is_punct]
            finite = [
                t for t in tail if doc[t].pos_ == "VERB" and "Part" not in doc[t].morph.get("VerbForm", [])
            ]
            if len(tail) > 5 or finite or any(view.mark_of[t] >= 0 for t in tail):
                continue
            if cue.speaker[0] > cue.last and not is_source_phrase(view, cue.speaker, strict=True):
                continue  # "…, juge la situation": the noun after the verb is its object, not a speaker
            first, last = s_first, comma - 1
            while first <= last and (view.words[first] in _LEADING_GLUE or doc[first].is_punct):
                first += 1
            if last - first < 3 or _covered(view, first, last, taken):
                break
            out.append(_make(view, first, last, cue, "tail", s_first, s_last))
            break
    return out
