"""Finding the cue of a quotation: the reporting verb or "selon" and the words naming the speaker.

Used on both sides of a quote (« … », a-t-il dit / Il a dit : « … ») and at the end of a sentence
for indirect speech (…, ajoute le site Avia.pro). Surface patterns come first because parsers do
poorly on inverted clauses; the subjects of ordinary clauses come from :mod:`.quote_subject`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from veille.annotate.attribution import NP_POS, OPEN_MARKS, DocView
from veille.annotate.attribution_np import np_tokens, surface_np_after, surface_np_before
from veille.annotate.quote_lexicon import ReportingVerb, VerbHit
from veille.annotate.quote_subject import CLITIC_SKIP, GLUE_POS, SUBJECT_DEPS, TIME_WORDS


@dataclass(slots=True)
class Cue:
    """A reporting cue found next to a quote or a clause."""

    verb: ReportingVerb | None
    lemma: str  # verb lemma, or the marker ("selon", "according to")
    first: int  # token range of the cue words
    last: int
    speaker: tuple[int, int] | None
    via: list[tuple[int, int]] = field(default_factory=list)
    end: int = -1  # last token of the attribution clause


def relay_after(view: DocView, i: int) -> tuple[list[tuple[int, int]], int]:
    """Relays named after token ``i`` ("…, cité par l'agence de presse russe Sputnik") and the last token."""
    via: list[tuple[int, int]] = []
    n = len(view.doc)
    last = i
    j = i + 1
    for _ in range(3):
        if j < n and view.words[j] == ",":
            j += 1
        if j >= n or view.is_final(j):
            break
        length = view.lex.phrase("relay_markers").match(view.words, j) or view.lex.phrase(
            "source_markers"
        ).match(view.words, j)
        outlet = view.lex.phrase("outlet_markers").match(view.words, j)
        if outlet:
            # "a déclaré à la télévision publique RTS": a relay only when the outlet is named.
            np = surface_np_after(view, j + outlet)
            if np is not None and any(
                view.doc[k].pos_ == "PROPN" or view.doc[k].ent_type_ for k in range(np[0], np[1] + 1)
            ):
                via.append(np)
                last = np[1]
                j = np[1] + 1
                continue
            break
        if not length and view.doc[j].pos_ == "ADP" and not via:
            # "dans un communiqué repris par l'agence TASS": skip the channel, keep its relay.
            pp = surface_np_after(view, j + 1)
            if pp is not None and pp[1] + 1 < n:
                k = pp[1] + 1
                length = view.lex.phrase("relay_markers").match(view.words, k)
                j = k if length else j
        if not length:
            break
        np = surface_np_after(view, j + length)
        if np is None:
            break
        via.append(np)
        last = np[1]
        j = np[1] + 1
    return via, last


def _clitic_subject(view: DocView, first: int, last: int) -> int | None:
    for k in range(first, min(last + 2, len(view.doc))):
        word = view.words[k]
        if word.startswith("-") and word in view.lex.pronouns:
            return k
    return None


def _skip_adjuncts(view: DocView, j: int, limit: int) -> int:
    """Skip adverbs, dates and one prepositional phrase after a verb ("a déclaré lundi à l'AFP le …")."""
    doc = view.doc
    n = len(doc)
    start = j
    pp_done = False
    while j < n and j - start < limit and view.in_quote[j] < 0:
        word = view.words[j]
        token = doc[j]
        if word in {"que", "qu'", "that"}:
            return j  # the taggers sometimes read "que" as an adverb
        if token.pos_ == "DET":
            pass  # "a expliqué l'élue": the article starts the subject, it is no clitic
        elif (
            token.pos_ in {"ADV", "PART"}
            or word in TIME_WORDS
            or word in CLITIC_SKIP
            or token.ent_type_
            in {
                "DATE",
                "TIME",
            }
        ):
            j += 1
            continue
        if token.pos_ == "DET" and j + 1 < n and view.words[j + 1] in view.lex.word_set("time_nouns"):
            j += 2  # "affirmait la semaine dernière que …"
            while j < n and view.words[j] in view.lex.word_set("time_nouns"):
                j += 1
            continue
        if token.pos_ == "ADP" and not pp_done and not view.lex.phrase("relay_markers").match(view.words, j):
            pp = surface_np_after(view, j + 1, allow_time=True)
            if pp is None:
                return j
            j = pp[1] + 1
            pp_done = True
            continue
        break
    return j


_ATTRIBUTION_SENTENCE = 8  # tokens of a sentence that only says who spoke ("Jane Doe, the mayor, said.")


def sentence_follows(view: DocView, close: int) -> bool:
    """Whether the quotation closed at ``close`` ended its sentence ('… "rewarded a dictator."') and a
    sentence of its own follows, longer than an attribution alone ('"Are there prizes?" Lincicome
    asked.'): a reporting verb there may be another speaker's."""
    j = close + 1
    if close < 1 or j >= len(view.doc) or not view.is_final(close - 1) or not view.doc[j].is_sent_start:
        return False
    return view.sent_end[j] - j > _ATTRIBUTION_SENTENCE


def cue_after(view: DocView, close: int, *, window: int = 8) -> Cue | None:
    """The attribution clause right after a closing quote mark ("», a annoncé le ministère")."""
    doc = view.doc
    n = len(doc)
    j = close + 1
    while j < n and (view.words[j] in {",", "—", "–", "-"} or (doc[j].is_space and "\n" not in doc[j].text)):
        j += 1
    if j >= n or view.is_final(j) or view.words[j] in OPEN_MARKS or view.mark_of[j] >= 0:
        return None
    # "« … », selon son secrétaire général."
    marker = view.lex.phrase("source_markers").match(view.words, j)
    if marker:
        np = surface_np_after(view, j + marker)
        if np is not None and is_source_phrase(view, np):
            via, end = relay_after(view, np[1])
            return Cue(None, view.cue_text(j, j + marker), j, j + marker - 1, np, via, end)
        return None
    limit = min(n, j + window)
    relatives = view.lex.word_set("relative_pronouns")
    for k in range(j, limit):
        if view.is_final(k) or view.in_quote[k] >= 0 or view.mark_of[k] >= 0:
            break
        if view.words[k] in relatives and any(doc[m].pos_ in {"NOUN", "PROPN"} for m in range(j, k)):
            # "a « rejeté » ces accusations, qu'il juge …": the verb is in a clause on the noun.
            break
        hit = view.lex.verb_at(doc, k, strict=False)
        if hit is None:
            token = doc[k]
            if token.pos_ in {"VERB"} and view.words[k] not in TIME_WORDS:
                break  # another predicate comes first: not an attribution clause
            continue
        return _cue_from_hit(view, hit, j)
    return None


def _cue_from_hit(view: DocView, hit: VerbHit, clause_start: int) -> Cue | None:
    doc = view.doc
    clitic = _clitic_subject(view, clause_start, hit.last + 1)
    speaker: tuple[int, int] | None
    if clitic is not None:
        speaker = (clitic, clitic)
    else:
        before = [k for k in range(clause_start, hit.first) if doc[k].pos_ not in GLUE_POS]
        before = [k for k in before if view.words[k] not in CLITIC_SKIP and view.words[k] not in TIME_WORDS]
        if before:
            speaker = surface_np_before(view, before[-1])
        else:
            after = _skip_adjuncts(view, hit.last + 1, 8)
            speaker = surface_np_after(view, after) if after < len(doc) else None
            parsed = _inverted_subject(view, hit, after)
            if parsed is not None and (speaker is None or parsed[1] >= speaker[1]):
                speaker = parsed  # "said oil and gas worker Mike Wipf": the parse sees past "and"
    if speaker is None:
        return None
    via, end = relay_after(view, max(speaker[1], hit.last))
    return Cue(hit.verb, hit.verb.lemma, hit.first, hit.last, speaker, via, end)


def _inverted_subject(view: DocView, hit: VerbHit, after: int) -> tuple[int, int] | None:
    """The subject the parse gives a verb when it follows it ("…, said the union's leader")."""
    doc = view.doc
    for k in range(hit.first, hit.last + 1):
        for child in doc[k].children:
            if child.dep_ in SUBJECT_DEPS and child.i >= after and view.in_quote[child.i] < 0:
                if child.pos_ not in {"NOUN", "PROPN"}:
                    return None
                first, last = np_tokens(child)
                if first < after or view.sent_start[first] != view.sent_start[hit.first]:
                    return None
                relays = view.lex.phrase("relay_markers")
                cut = next((k for k in range(first + 1, last + 1) if relays.match(view.words, k)), None)
                if cut is not None:  # "…, le colonel X, cité par l'agence": the relay is no part of the name
                    last = cut - 1
                    while last > first and view.doc[last].is_punct:
                        last -= 1
                return first, last
    return None


def is_source_phrase(view: DocView, np: tuple[int, int], *, strict: bool = False) -> bool:
    """Whether "selon X" names a source (a name, a pronoun, a role) rather than a criterion.

    ``strict`` asks for a person or an organisation: a name, a pronoun or a role or source noun.
    """
    doc = view.doc
    words = view.words[np[0] : np[1] + 1]
    if any(w in view.lex.word_set("first_person") for w in words):
        return False
    if any(doc[k].pos_ == "PROPN" or doc[k].ent_type_ in {"PER", "PERSON", "ORG", "NORP", "MISC", "GPE"}
           for k in range(np[0], np[1] + 1)):  # fmt: skip
        return True
    if np[0] == np[1] and words[0] in view.lex.pronouns:
        return True
    nouns = [k for k in range(np[0], np[1] + 1) if doc[k].pos_ in {"NOUN", "X"}]
    if not nouns:
        return False
    if strict:
        head = {view.words[nouns[0]], doc[nouns[0]].lemma_.lower()}
        return bool(head & (view.lex.word_set("roles") | view.lex.word_set("source_nouns")))
    # A noun phrase is a source unless its head names a criterion ("selon les cas", "selon la météo").
    return view.words[nouns[0]] not in view.lex.word_set("not_sources")


def verb_before(view: DocView, i: int, *, window: int = 10, indirect: bool = False) -> VerbHit | None:
    """The nearest reporting verb before token ``i`` in its sentence, with only adjuncts in between."""
    doc = view.doc
    stop = max(view.sent_start[i], i - window)
    k = i - 1
    while k >= stop:
        if view.in_quote[k] >= 0 or view.mark_of[k] >= 0:
            return None
        hit = view.lex.verb_at(doc, k, strict=True) or view.lex.verb_at(doc, k, strict=False)
        if hit is not None and hit.last < i and (not indirect or hit.verb.indirect):
            return hit
        if doc[k].pos_ == "VERB" and view.words[k] not in TIME_WORDS:
            return None
        k -= 1
    return None


def is_np_token(view: DocView, i: int) -> bool:
    return view.doc[i].pos_ in NP_POS
