"""Finding the cue of a quotation: the reporting verb or "selon" and the words naming the speaker.

Used on both sides of a quote (« … », a-t-il dit / Il a dit : « … ») and at the end of a sentence
for indirect speech (…, ajoute le site Avia.pro). Surface patterns come first because parsers do
poorly on inverted clauses; the dependency parse is used for subjects of ordinary clauses.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from veille.annotate.attribution import NP_POS, OPEN_MARKS, DocView
from veille.annotate.attribution_np import np_tokens, surface_np_after, surface_np_before
from veille.annotate.quote_lexicon import ReportingVerb, VerbHit, fold

# Words that may sit between a quote and its verb or inside the verb group ("a-t-il aussi prétendu").
_GLUE_POS: frozenset[str] = frozenset({"AUX", "ADV", "PART"})
_CLITIC_SKIP: frozenset[str] = frozenset(
    {"-t", "ne", "n'", "pas", "lui", "leur", "l'", "se", "s'", "y", "en", "me", "m'", "nous", "vous", "not"}
)
# Object pronouns right before a verb group ("Sultan Al Jaber les a qualifiées"): never determiners there.
_OBJECT_CLITICS: frozenset[str] = frozenset({"le", "la", "les"})
# Before a participle: its own clitics ("les qualifiant", "ne l'ayant"), not the "en" of a gérondif.
_ADJUNCT_CLITICS: frozenset[str] = (_OBJECT_CLITICS | _CLITIC_SKIP) - {"en"}
_TIME_WORDS: frozenset[str] = frozenset(
    {
        "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "hier", "aujourd'hui",
        "soir", "matin", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "yesterday", "today", "earlier", "later", "recently", "récemment", "encore", "aussi", "également",
        "ensuite", "enfin", "alors", "then", "also", "again", "further",
    }
)  # fmt: skip
_SUBJECT_DEPS: frozenset[str] = frozenset({"nsubj", "nsubj:pass", "expl:subj"})
_RELATIVE: frozenset[str] = frozenset(
    {"qui", "who", "that", "which", "lequel", "laquelle", "lesquels", "lesquelles"}
)


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


def subject_of(view: DocView, verb: int, *, depth: int = 0) -> tuple[int, int] | None:
    """The subject noun phrase of a verb: from the parse, else the words right before it."""
    doc = view.doc
    token = doc[verb]
    governor = _participle_governor(view, verb) if depth < 2 else None
    if governor is not None:
        # "X a démenti, qualifiant …", "Y criticized the plan, saying …": the participle's subject is
        # the clause's, never the object right before the comma.
        found = subject_of(view, governor, depth=depth + 1)
        if found is not None:
            return found
    chain = [token]
    if (
        token.dep_ in {"conj", "xcomp"}
        and token.head.i != token.i
        and view.sent_start[token.head.i] == view.sent_start[verb]
    ):
        chain.append(token.head)
    for head in chain:
        for child in head.children:
            if child.dep_ in _SUBJECT_DEPS and view.in_quote[child.i] < 0:
                if view.words[child.i] in _RELATIVE and head.dep_ in {"acl:relcl", "relcl"}:
                    antecedent = head.head
                    if antecedent.pos_ == "PRON" and view.words[antecedent.i] not in view.lex.pronouns:
                        return None  # "…, ce qui prouve que …": the writer's inference, no speaker
                    return np_tokens(antecedent)
                if view.words[child.i] in _RELATIVE:
                    return None
                word = view.words[child.i]
                if (
                    child.pos_ == "PRON"
                    and word not in view.lex.pronouns
                    and word not in view.lex.word_set("first_person")
                ):
                    return None  # "ce", "cela", "on": no speaker
                return np_tokens(child) if child.pos_ != "PRON" else (child.i, child.i)
    # Surface: skip the verb group leftwards ("n'a pas", "a aussi") and take the phrase before it.
    j = verb - 1
    parentheticals = view.lex.phrase("parentheticals")
    while j >= view.sent_start[verb]:
        if doc[j].pos_ in _GLUE_POS or view.words[j] in _CLITIC_SKIP or view.words[j] in _TIME_WORDS:
            j -= 1
            continue
        if view.words[j] in _OBJECT_CLITICS and doc[j + 1].pos_ in {"AUX", "VERB"}:
            j -= 1
            continue
        # "Le président, X, a quant à lui rappelé": skip the parenthetical back to the subject.
        start = next(
            (k for k in range(j, max(j - 4, -1), -1) if parentheticals.match(view.words, k) >= j - k + 1),
            None,
        )
        if start is None:
            break
        j = start - 1
    found = surface_np_before(view, j) if j >= view.sent_start[verb] else None
    if found is not None:
        return found
    if j >= view.sent_start[verb] and doc[j].pos_ == "CCONJ" and depth < 2:
        # "… les a qualifiées de « fausses » et a assuré …": the verb before the conjunction has the subject.
        previous = next(
            (
                k
                for k in range(j - 1, view.sent_start[verb] - 1, -1)
                if finite_like(view, k) and view.in_quote[k] < 0
            ),
            None,
        )
        if previous is not None:
            return subject_of(view, previous, depth=depth + 1)
    # A subject the parser attached elsewhere ("Le président, X, a quant à lui rappelé que …"):
    # the nearest subject before the verb in its sentence.
    for k in range(verb - 1, view.sent_start[verb] - 1, -1):
        candidate = doc[k]
        if (
            candidate.dep_ in _SUBJECT_DEPS
            and view.in_quote[k] < 0
            and candidate.pos_ in {"NOUN", "PROPN"}
            and candidate.head.i in {verb, token.head.i}
        ):
            return np_tokens(candidate)
    # "X les a qualifiées de « fausses » et a assuré …": a coordinated verb shares the subject.
    if (
        token.dep_ == "conj"
        and token.head.i < verb
        and view.sent_start[token.head.i] == view.sent_start[verb]
    ):
        return subject_of(view, token.head.i)
    return None


def finite_like(view: DocView, k: int) -> bool:
    """A verb heading a clause with its own subject: finite, or a past participle after an auxiliary
    ("a démenti", "has said"); never an infinitive or a present participle ("to steal", "saying")."""
    token = view.doc[k]
    if token.pos_ != "VERB" or _present_participle(view, k):
        return False
    forms = token.morph.get("VerbForm", [])
    if "Inf" in forms or token.tag_ in {"VB", "TO"}:
        return False
    if "Part" in forms or token.tag_ == "VBN":
        return any(c.pos_ == "AUX" for c in token.children) or (k > 0 and view.doc[k - 1].pos_ == "AUX")
    return True


def _present_participle(view: DocView, k: int) -> bool:
    token = view.doc[k]
    if token.tag_ == "VBG" or "Ger" in token.morph.get("VerbForm", []):
        return True
    forms, tense = token.morph.get("VerbForm", []), token.morph.get("Tense", [])
    # French taggers read some "-ant" forms as finite ("les qualifiant" → future): the form tells.
    return view.lex.lang == "fr" and (("Part" in forms and "Pres" in tense) or view.words[k].endswith("ant"))


def _participle_governor(view: DocView, verb: int) -> int | None:
    """The verb a participial adjunct hangs on ("…, saying", "…, les qualifiant"), or None."""
    doc = view.doc
    token = doc[verb]
    if token.pos_ not in {"VERB", "AUX"} or not _present_participle(view, verb):
        return None
    if any(c.dep_ in _SUBJECT_DEPS or c.dep_.startswith("aux") for c in token.children):
        return None  # "he is saying", an absolute clause with its own subject
    j = verb - 1
    while j >= 0 and (view.words[j] in _ADJUNCT_CLITICS or doc[j].is_space):
        j -= 1
    if j < 0 or view.in_quote[j] >= 0:
        return None
    if view.lex.lang == "fr" and view.words[j] == "en":
        # The gérondif, "… a revu ses prévisions en affirmant que …", "tout en précisant": an
        # adjunct of the clause before it, with or without a comma.
        before = j - 2 if j > 0 and view.words[j - 1] == "tout" else j - 1
    elif view.words[j] == ",":
        before = j - 1
    elif token.head.i < verb and fold(token.head.lemma_) in view.lex.word_set("quoted_verbs"):
        return int(token.head.i)  # "X was quoted in the Herald saying": X speaks, not the Herald
    else:
        return None
    start = view.sent_start[verb]
    finite = [k for k in range(before, start - 1, -1) if view.in_quote[k] < 0 and finite_like(view, k)]
    for k in finite:
        if view.lex.verb_at(doc, k, strict=False) is not None:
            return k  # the nearest reporting (or denying) verb: "ce que Gazprom a démenti, qualifiant"
    head = token.head
    while head.i != head.head.i and head.i >= start and not finite_like(view, head.i):
        head = head.head
    if start <= head.i < verb and finite_like(view, head.i) and view.in_quote[head.i] < 0:
        return int(head.i)
    return finite[0] if finite else None


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
            or word in _TIME_WORDS
            or word in _CLITIC_SKIP
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
    for k in range(j, limit):
        if view.is_final(k) or view.in_quote[k] >= 0 or view.mark_of[k] >= 0:
            break
        hit = view.lex.verb_at(doc, k, strict=False)
        if hit is None:
            token = doc[k]
            if token.pos_ in {"VERB"} and view.words[k] not in _TIME_WORDS:
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
        before = [k for k in range(clause_start, hit.first) if doc[k].pos_ not in _GLUE_POS]
        before = [k for k in before if view.words[k] not in _CLITIC_SKIP and view.words[k] not in _TIME_WORDS]
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
            if child.dep_ in _SUBJECT_DEPS and child.i >= after and view.in_quote[child.i] < 0:
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
        if doc[k].pos_ == "VERB" and view.words[k] not in _TIME_WORDS:
            return None
        k -= 1
    return None


def is_np_token(view: DocView, i: int) -> bool:
    return view.doc[i].pos_ in NP_POS
