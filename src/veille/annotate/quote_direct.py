"""Direct and mixed quotations: each quote-mark span with the cue that introduces it.

Order of the rules, most reliable first: a cue right after the closing mark (« … », a-t-il dit;
"…," said the minister), a cue right before the opening mark (Il a déclaré : « … »; a prétendu que
« … »; qualifiées de « … »; selon X, « … »), an incise inside the marks (« X, a-t-il dit, Y »), a
reporting verb whose complement holds the quote (a écrit que Trump va envoyer « … »). Quotes with
no cue are kept only when they read as speech on their own; ``quotes`` gives them a speaker from
their neighbours.
"""

from __future__ import annotations

from veille.annotate.attribution import Attribution, DocView
from veille.annotate.attribution_np import surface_np_before
from veille.annotate.quote_cues import (
    Cue,
    cue_after,
    is_source_phrase,
    relay_after,
    sentence_follows,
    verb_before,
)
from veille.annotate.quote_lexicon import VerbHit
from veille.annotate.quote_marks import QuoteSpan
from veille.annotate.quote_subject import finite_like, subject_of

_COMPLEMENTIZERS: frozenset[str] = frozenset({"que", "qu'", "that"})
_LABEL_VERBS: frozenset[str] = frozenset({"qualifier", "traiter", "accuser", "call", "describe", "dismiss"})
_LABEL_PREPS: frozenset[str] = frozenset({"de", "d'", "as", "comme", "à", "to"})
_OBJECT_GLUE: frozenset[str] = frozenset({"DET", "ADV", "ADP", "SPACE"})


def _cue_tokens(view: DocView, q: QuoteSpan) -> tuple[int | None, int | None, int | None, int | None]:
    """Tokens of the opening mark, first and last quoted word, and closing mark."""
    first = view.token_at(q.start)
    last = view.token_before(q.end)
    open_tok = view.token_at(q.open)
    close_tok = view.token_at(q.close) if q.close >= 0 else None
    return open_tok, first, last, close_tok


def _speaker_cue(view: DocView, hit: VerbHit, *, anchor: int) -> Cue | None:
    speaker = subject_of(view, hit.first)
    if speaker is None:
        return None
    via, end = relay_after(view, max(anchor, hit.last))
    if speaker[1] < hit.first:  # "Un responsable, interrogé par l'agence Reuters, a qualifié …"
        via = relay_after(view, speaker[1])[0] + via
    return Cue(hit.verb, hit.verb.lemma, hit.first, hit.last, speaker, via, end)


def _accepted_in_report(view: DocView, hit: VerbHit) -> bool:
    """ "The minister told parliament that New Delhi would not accept "nuclear blackmail"": an
    endorsing verb (accept, admit, acknowledge) whose object is the quoted phrase says nothing of
    who said those words when it stands in another reporting verb's clause; that verb's speaker
    quotes them (the clause is then a mixed quotation)."""
    if hit.verb.cls != "endorsing":
        return False
    token = view.doc[hit.first]
    while token.head.i != token.i:
        if (
            token.dep_ == "ccomp"
            and token.head.i < hit.first
            and view.lex.verb_at(view.doc, token.head.i, strict=True) is not None
        ):
            return True
        token = token.head
    return False


def cue_before(view: DocView, open_tok: int) -> tuple[Cue | None, int | None]:
    """The cue before an opening mark, and where the reported content starts (for mixed quotes)."""
    doc = view.doc
    p = open_tok - 1
    while p >= 0 and doc[p].is_space and "\n" not in doc[p].text:
        p -= 1
    if p < 0 or view.is_final(p) or view.paragraph[p] != view.paragraph[open_tok]:
        return None, None
    word = view.words[p]
    if word == ":" or word == ",":
        hit = verb_before(view, p, window=12 if word == ":" else 4)
        if hit is not None:
            cue = _speaker_cue(view, hit, anchor=hit.last)
            # After a colon, a verb with no speaker ("le boson va permettre … :") leaves the colon's
            # own rules to try; after a comma it is the answer.
            if cue is not None or word == ",":
                return cue, None
        if word == ":" and p > 0:
            # "Le ministre : « … »" — a name or role right before the colon.
            np_cue = _colon_speaker(view, p) or _selon_before_colon(view, p)
            if np_cue is not None:
                return np_cue, None
        if word == ",":
            return _selon_before(view, p), None
        return None, None
    if word in _COMPLEMENTIZERS:
        hit = verb_before(view, p, window=10, indirect=True)
        if hit is not None:
            return _speaker_cue(view, hit, anchor=hit.last), open_tok
        return None, None
    if word in _LABEL_PREPS:
        hit = verb_before(view, p, window=5)
        if hit is not None and (
            hit.verb.lemma in _LABEL_VERBS or hit.verb.cls == "denial" or word in {"à", "to"}
        ):
            return _speaker_cue(view, hit, anchor=hit.last), None
        return None, None
    # Inside an infinitive complement: "a assuré n'avoir « jamais » utilisé sa fonction".
    if "Inf" in view.doc[p].morph.get("VerbForm", []) and p > 0:
        start = p - 1 if view.words[p - 1] in {"n'", "ne"} else p
        hit = verb_before(view, start, window=3, indirect=True)
        if hit is not None:
            return _speaker_cue(view, hit, anchor=hit.last), start
    # The quote is the verb's object: "a condamné « avec la plus grande fermeté »", "a dénoncé une « … »".
    k = p
    while k > view.sent_start[p] and p - k < 3 and view.doc[k].pos_ in _OBJECT_GLUE:
        k -= 1
    hit = view.lex.verb_at(view.doc, k, strict=False)
    if hit is not None and hit.last <= p and not _accepted_in_report(view, hit):
        return _speaker_cue(view, hit, anchor=hit.last), None
    # "juge la situation « extrêmement fragile »", "a promis des négociations « ambitieuses »".
    for k in range(p - 1, max(view.sent_start[p], p - 6) - 1, -1):
        token = view.doc[k]
        hit = view.lex.verb_at(view.doc, k, strict=False) if k == 0 or view.doc[k - 1].pos_ != "DET" else None
        if (
            hit is not None
            and hit.last < p
            and any(view.doc[m].pos_ == "NOUN" for m in range(hit.last + 1, p + 1))
            and not _accepted_in_report(view, hit)
        ):
            return _speaker_cue(view, hit, anchor=hit.last), None
        if token.pos_ not in _OBJECT_GLUE | {"NOUN", "ADJ"}:
            break
    # Embedded in a clause: the complement of a reporting verb earlier in the sentence.
    k = p
    while k >= view.sent_start[p] and p - k < 30:
        if view.in_quote[k] >= 0 or view.mark_of[k] >= 0:
            break
        if view.words[k] in _COMPLEMENTIZERS:
            hit = verb_before(view, k, window=10, indirect=True)
            if hit is not None:
                return _speaker_cue(view, hit, anchor=hit.last), k + 1
            break
        if view.words[k] in {"de", "d'"} and "Inf" in view.doc[k + 1].morph.get("VerbForm", []):
            # "a accusé Pristina d'avoir « provoqué » les violences"
            hit = verb_before(view, k, window=6)
            if hit is not None:
                return _speaker_cue(view, hit, anchor=hit.last), k + 1
        k -= 1
    return None, None


def _colon_speaker(view: DocView, colon: int) -> Cue | None:
    """ "Le ministre : « … »", and with a marker opening the sentence: "Selon la ministre : « … »",
    "Pour Michel Durand, son secrétaire général : « … »" (an opinion marker wants a person)."""
    np = surface_np_before(view, colon - 1)
    start = view.sent_start[colon]
    source = view.lex.phrase("source_markers").match(view.words, start)
    opinion = 0 if source else view.lex.phrase("opinion_markers").match(view.words, start)
    marker = source or opinion
    if np is None or not (np[0] == start or (marker and np[0] == start + marker)):
        return None
    if marker:
        np = (start + marker, np[1])
        if np[0] > np[1] or not is_source_phrase(view, np, strict=bool(opinion)):
            return None
        return Cue(None, view.cue_text(start, start + marker), start, start + marker - 1, np, [], colon)
    if not is_source_phrase(view, np):
        return None
    return Cue(None, ":", colon, colon, np, [], colon)


def _selon_before(view: DocView, comma: int) -> Cue | None:
    """ "Selon X, « … »": the marker opens the sentence part before the comma."""
    start = view.sent_start[comma]
    for k in range(start, comma):
        length = view.lex.phrase("source_markers").match(view.words, k)
        if length:
            np = (k + length, comma - 1)
            if np[0] <= np[1] and is_source_phrase(view, np):
                return Cue(None, view.cue_text(k, k + length), k, k + length - 1, np, [], comma)
            return None
    return None


def _selon_before_colon(view: DocView, colon: int) -> Cue | None:
    """ "Selon X, Y, le boson va … : « … »": a sentence opened by a source marker, whose quote comes
    after a colon, quotes the marker's source (with its apposition), not the last speaker."""
    start = view.sent_start[colon]
    length = view.lex.phrase("source_markers").match(view.words, start)
    if not length or any(view.in_quote[k] >= 0 for k in range(start, colon)):
        return None
    verb = next(
        (
            k
            for k in range(start + length, colon)
            if finite_like(view, k)
            or (view.doc[k].pos_ == "AUX" and "Fin" in view.doc[k].morph.get("VerbForm", []))
        ),
        None,
    )
    if verb is None:
        return None
    comma = next((k for k in range(verb - 1, start + length, -1) if view.words[k] == ","), None)
    if comma is None:
        return None
    np = (start + length, comma - 1)
    if np[0] > np[1] or not is_source_phrase(view, np):
        return None
    return Cue(None, view.cue_text(start, start + length), start, start + length - 1, np, [], colon)


def _incise(view: DocView, first: int, last: int) -> tuple[int, int, Cue] | None:
    """« X, a-t-il dit, Y »: the commas (or a period) around an inverted reporting clause inside the marks.

    The incise may name a relay: « X, explique-t-il dans un entretien au Figaro. Y ».
    """
    words = view.words
    doc = view.doc
    relays = view.lex.phrase("relay_markers")
    outlets = view.lex.phrase("outlet_markers")
    # One word may open the quote before the incise: « Moi, dit-il, je … », « Non, a-t-elle dit, … ».
    for c1 in range(first + 1, last - 2):
        if words[c1] not in {",", "—", "–"}:
            continue
        for k in range(c1 + 1, min(c1 + 6, last)):
            if words[k] in {",", "."}:
                break
            hit = view.lex.verb_at(doc, k, strict=False)
            if hit is None:
                continue
            c2 = next(
                (
                    m
                    for m in range(hit.last + 1, min(hit.last + 14, last + 1))
                    if words[m] in {",", ".", "—", "–"}
                ),
                None,
            )
            if c2 is None or (c2 >= last - 1 and words[last] != "."):
                break  # « X, raconte Y. » may end a quoted part; otherwise words must follow the incise
            clitic = next(
                (m for m in range(c1 + 1, c2) if words[m].startswith("-") and words[m] in view.lex.pronouns),
                None,
            )
            after = hit.last + 1
            while after < c2 and (words[after] == "-t" or after == clitic):
                after += 1
            marker = next(
                (t for t in range(after, c2) if relays.match(words, t) or outlets.match(words, t)), None
            )
            via: list[tuple[int, int]] = []
            if marker is not None:
                length = relays.match(words, marker) or outlets.match(words, marker)
                if marker + length <= c2 - 1:
                    via.append((marker + length, c2 - 1))
            if clitic is not None:
                speaker = (clitic, clitic)
            else:
                stop = marker if marker is not None else c2
                if after >= stop or doc[after].pos_ not in {"DET", "PROPN"}:
                    break
                speaker = (after, stop - 1)
            return c1, c2, Cue(hit.verb, hit.verb.lemma, hit.first, hit.last, speaker, via, c2)
    return None


def _speech_like(view: DocView, first: int, last: int, open_tok: int | None, close_tok: int | None) -> bool:
    """A quote with no cue is speech when it is a sentence of its own, not a title or scare quote."""
    doc = view.doc
    words = last - first + 1
    if words < 4 or not any(doc[k].pos_ in {"VERB", "AUX"} for k in range(first, last + 1)):
        return False
    before = open_tok - 1 if open_tok is not None else first - 1
    while before >= 0 and doc[before].is_space:
        before -= 1
    starts_sentence = (
        before < 0
        or view.is_final(before)
        or view.words[before] in {":", "—", "–"}
        or (before >= 0 and view.paragraph[before] != view.paragraph[first])
    )
    return starts_sentence


def find_direct(view: DocView) -> list[Attribution]:
    out: list[Attribution] = []
    for q in view.quotes:
        open_tok, first, last, close_tok = _cue_tokens(view, q)
        if first is None or last is None or first > last:
            continue
        if open_tok is not None and _nickname(view, open_tok, first, last):
            continue
        sent_first = view.sent_start[open_tok if open_tok is not None else first]
        cue = cue_after(view, close_tok) if close_tok is not None else None
        content_first: int | None = None
        rule = "after"
        followed = close_tok is not None and sentence_follows(view, close_tok)
        if open_tok is not None and (cue is None or followed):
            # 'Rubio said Biden had "rewarded a dictator." The State Department denied that …':
            # the cue before the quotation wins over one in the next sentence.
            before, before_first = cue_before(view, open_tok)
            if before is not None or cue is None:
                cue, content_first, rule = before, before_first, "before"
        if cue is None:
            incise = _incise(view, first, last)
            if incise is not None:
                c1, c2, icue = incise
                for a, b in ((first, c1 - 1), (c2 + 1, last)):
                    # A part of one word ("Moi", "Non") is no quote of its own; the other part is.
                    if sum(view.doc[t].is_alpha for t in range(a, b + 1)) >= 2:
                        out.append(_record(view, a, b, None, icue, q, "incise", sent_first))
                continue
        if cue is None:
            if not _speech_like(view, first, last, open_tok, close_tok):
                continue
            rule = "floating"
        out.append(_record(view, first, last, content_first, cue, q, rule, sent_first))
    return out


_NICKNAME_WORDS = 4


def _nickname(view: DocView, open_tok: int, first: int, last: int) -> bool:
    """A short capitalised name in quotation marks after "dit", "surnommé", "dubbed": a nickname or a
    label ("Jimmy Chérizier, dit « Barbecue »"), nobody's words."""
    p = open_tok - 1
    while p >= 0 and view.doc[p].is_space:
        p -= 1
    if p < 1 or view.words[p] not in view.lex.word_set("nickname_cues"):
        return False
    before = view.doc[p - 1]
    if before.text != "," and before.pos_ not in {"PROPN", "NOUN"}:
        return False  # "a dit « Non »": a verb of saying
    words = [t for t in view.doc[first : last + 1] if not t.is_punct]
    return 0 < len(words) <= _NICKNAME_WORDS and words[0].text[:1].isupper()


def _clause_last(view: DocView, last: int) -> int:
    """Last token of the clause a quoted fragment ends: up to the sentence end or a clause break."""
    end = min(view.sent_end[last] - 1, last + 150)
    breaks = view.lex.phrase("complement_breaks")
    k = last + 1
    while k <= end and (view.mark_of[k] >= 0 or view.doc[k].is_space):
        k += 1  # the closing mark of the fragment itself
    while k <= end:
        word = view.words[k]
        if word in {";", ".", "!", "?"} or view.mark_of[k] >= 0 or view.doc[k].is_space:
            break
        if word == "," and (
            k + 1 > end or breaks.match(view.words, k + 1) or view.lex.verb_at(view.doc, k + 1, strict=False)
        ):
            break
        k += 1
    return max(last, k - 1)


def _record(
    view: DocView,
    first: int,
    last: int,
    content_first: int | None,
    cue: Cue | None,
    q: QuoteSpan,
    rule: str,
    sent_first: int,
) -> Attribution:
    doc = view.doc
    start, end = doc[first].idx, doc[last].idx + len(doc[last].text)
    if first == view.token_at(q.start) and last == view.token_before(q.end):
        start, end = q.start, q.end
    quote_type = "mixed" if content_first is not None else "direct"
    content_start, content_end = start, end
    if content_first is not None and content_first < first - 1:
        # A quoted fragment inside a reported clause ("a écrit que Trump va envoyer « 20 000 soldats … »"):
        # the content is the clause; the quote stays the fragment when it is most of the clause.
        content_start = doc[content_first].idx
        clause_last = _clause_last(view, last)
        content_end = max(end, doc[clause_last].idx + len(doc[clause_last].text))
        if (last - first + 1) < (first - content_first):
            start, end = content_start, content_end
    ev_first = min(
        [sent_first, *([cue.first] if cue else []), *([cue.speaker[0]] if cue and cue.speaker else [])]
    )
    ev_last = max([last + (1 if q.close >= 0 else 0), *([cue.end, cue.last] if cue else [])])
    ev_last = min(ev_last, len(doc) - 1)
    ev_end = doc[ev_last].idx + len(doc[ev_last].text)
    record = Attribution(
        start=start,
        end=end,
        type=quote_type,
        content_start=min(content_start, start),
        content_end=content_end,
        evidence_start=min(doc[ev_first].idx, start),
        evidence_end=max(ev_end, end),
        rule=rule,
        group=q.group,
    )
    if cue is not None:
        record.verb = cue.verb
        record.cue = cue.lemma
        record.cue_start = doc[cue.first].idx
        record.cue_end = doc[cue.last].idx + len(doc[cue.last].text)
        if cue.speaker is not None:
            record.speaker = view.mention(*cue.speaker)
        record.via = [view.mention(a, b) for a, b in cue.via]
    return record
