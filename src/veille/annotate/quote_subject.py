"""The speaker of a reporting verb: the subject of its clause, read from the parse or the surface.

"X a démenti, qualifiant …" and "en affirmant" take the subject of the clause they hang on; a
relative "qui" takes its antecedent; "ce", "cela", "on" name no speaker. Also which verbs head a
clause of their own (:func:`finite_like`), which the quote finders use to bound clauses.
"""

from __future__ import annotations

from spacy.tokens import Token

from veille.annotate.attribution import DocView
from veille.annotate.attribution_np import np_tokens, surface_np_before
from veille.annotate.quote_lexicon import fold

# Words that may sit between a quote and its verb or inside the verb group ("a-t-il aussi prétendu").
GLUE_POS: frozenset[str] = frozenset({"AUX", "ADV", "PART"})
CLITIC_SKIP: frozenset[str] = frozenset(
    {"-t", "ne", "n'", "pas", "lui", "leur", "l'", "se", "s'", "y", "en", "me", "m'", "nous", "vous", "not"}
)
# Object pronouns right before a verb group ("Sultan Al Jaber les a qualifiées"): never determiners there.
_OBJECT_CLITICS: frozenset[str] = frozenset({"le", "la", "les"})
# Before a participle: its own clitics ("les qualifiant", "ne l'ayant"), not the "en" of a gérondif.
_ADJUNCT_CLITICS: frozenset[str] = (_OBJECT_CLITICS | CLITIC_SKIP) - {"en"}
TIME_WORDS: frozenset[str] = frozenset(
    {
        "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "hier", "aujourd'hui",
        "soir", "matin", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "yesterday", "today", "earlier", "later", "recently", "récemment", "encore", "aussi", "également",
        "ensuite", "enfin", "alors", "then", "also", "again", "further",
    }
)  # fmt: skip
SUBJECT_DEPS: frozenset[str] = frozenset({"nsubj", "nsubj:pass", "expl:subj"})
_RELATIVE: frozenset[str] = frozenset(
    {"qui", "who", "that", "which", "lequel", "laquelle", "lesquels", "lesquelles"}
)


def has_subject(token: Token) -> bool:
    """Whether the parse gives ``token`` a subject of its own (UD and English labels)."""
    return any(c.dep_ in SUBJECT_DEPS or c.dep_ == "nsubjpass" for c in token.children)


_AUX_DEPS = frozenset({"aux", "aux:tense", "aux:pass", "auxpass"})


def same_verb_form(first: Token, second: Token) -> bool:
    """Whether ``second`` can share ``first``'s subject as its coordinated verb: none of its own
    auxiliaries is missing from ``first`` ("denied … and said", "a démenti … et a affirmé", "a démenti
    … et affirmé"), so "said … and are asked to work" is the reported clause's own verb."""
    own = {c.lemma_.lower() for c in first.children if c.dep_ in _AUX_DEPS}
    return all(c.lemma_.lower() in own for c in second.children if c.dep_ in _AUX_DEPS)


def outer_reporting_conjunct(view: DocView, verb: int) -> int | None:
    """ "India's ministry denied that its posts had been destroyed and said …": parsers hang the second
    reporting verb, which has no subject of its own, on the verb of the first one's reported clause.
    It is the first reporting verb's conjunct and shares its subject: that verb's index, else None."""
    doc = view.doc
    token = doc[verb]
    head = token.head
    if token.dep_ != "conj" or head.dep_ != "ccomp" or head.head.i >= head.i:
        return None
    if has_subject(token):
        return None
    outer = head.head.i
    if not same_verb_form(doc[outer], token):
        return None
    if view.lex.verb_at(doc, verb, strict=True) is None or view.lex.verb_at(doc, outer, strict=True) is None:
        return None
    return outer


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
    outer = outer_reporting_conjunct(view, verb)
    if outer is not None:
        chain.append(doc[outer])
    elif (
        token.dep_ in {"conj", "xcomp"}
        and token.head.i != token.i
        and view.sent_start[token.head.i] == view.sent_start[verb]
    ):
        chain.append(token.head)
    for head in chain:
        # A noun subject before the verb comes before a pronoun one: "L'un des responsables, Marc
        # Lefort, a annoncé" is parsed with two subjects, "un" and "Marc". (A noun after the verb
        # is no such subject: "que l'on croit être les auteurs" hangs "auteurs" there too.)
        subjects = sorted(
            (c for c in head.children if c.dep_ in SUBJECT_DEPS and view.in_quote[c.i] < 0),
            key=lambda c: not (c.pos_ != "PRON" and c.i < head.i),
        )
        for child in subjects:
            if view.words[child.i] in _RELATIVE and head.dep_ in {"acl:relcl", "relcl"}:
                antecedent = head.head
                if antecedent.pos_ in {"VERB", "AUX"}:
                    # The parser hung the relative on the main verb ("… aux propos du ministre X,
                    # qui avait qualifié …"): the antecedent is the noun right before "qui".
                    antecedent = _noun_before(view, child.i) or antecedent
                if antecedent.pos_ == "PRON" and view.words[antecedent.i] not in view.lex.pronouns:
                    return None  # "…, ce qui prouve que …": the writer's inference, no speaker
                return np_tokens(antecedent)
            if view.words[child.i] in _RELATIVE:
                return None
            word = view.words[child.i]
            named = _misread_name(view, child)
            if named is not None:
                return named
            if (
                child.pos_ == "PRON"
                and word not in view.lex.pronouns
                and word not in view.lex.word_set("first_person")
            ):
                # An active subject only: the subject of a passive ("sont appelés aux urnes", "a été
                # pointé à 3 minutes") is no speaker.
                passive = child.dep_ != "nsubj" or any(c.dep_ == "aux:pass" for c in head.children)
                if not passive and any(
                    c.dep_ == "nmod" and c.pos_ in {"NOUN", "PROPN", "PRON"} for c in child.children
                ):
                    return _with_apposed_name(view, np_tokens(child), verb)  # "L'un des porte-parole …"
                return None  # "ce", "cela", "on": no speaker
            return np_tokens(child) if child.pos_ != "PRON" else (child.i, child.i)
    # Surface: skip the verb group leftwards ("n'a pas", "a aussi") and take the phrase before it.
    j = verb - 1
    parentheticals = view.lex.phrase("parentheticals")
    while j >= view.sent_start[verb]:
        if doc[j].pos_ in GLUE_POS or view.words[j] in CLITIC_SKIP or view.words[j] in TIME_WORDS:
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
            candidate.dep_ in SUBJECT_DEPS
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


def _noun_before(view: DocView, i: int) -> Token | None:
    """The head of the noun or name ending right before token ``i`` (a comma between allowed)."""
    doc = view.doc
    k = i - 1
    if k >= 0 and view.words[k] == ",":
        k -= 1
    if k < 0 or doc[k].pos_ not in {"NOUN", "PROPN"}:
        return None
    token = doc[k]
    while token.dep_ in {"flat:name", "flat", "compound"} and token.head.i < token.i:
        token = token.head
    return token


def _with_apposed_name(view: DocView, np: tuple[int, int], verb: int) -> tuple[int, int]:
    """The phrase up to the name set between commas right before the verb ("L'un des porte-parole
    des équipes ayant participé à la recherche, Joe Incandela, a annoncé"), whatever the parser
    attached the name to."""
    doc = view.doc
    k = verb - 1
    while k > np[1] and doc[k].pos_ in {"AUX", "ADV", "PART"}:
        k -= 1
    if k <= np[1] or view.words[k] != ",":
        return np
    last = k - 1
    first = last
    while first - 1 > np[1] and doc[first - 1].pos_ == "PROPN":
        first -= 1
    if doc[last].pos_ != "PROPN" or first - 1 <= np[1] or view.words[first - 1] != ",":
        return np
    return np[0], last


def _misread_name(view: DocView, token: Token) -> tuple[int, int] | None:
    """A name the tagger read as a pronoun ("Downing Street" with "Downing" as PRON): capitalised,
    not a pronoun of the lexicon, inside a named entity. The entity's tokens, else None."""
    if token.pos_ != "PRON" or not token.ent_type_ or not token.text[:1].isupper():
        return None
    if view.words[token.i] in view.lex.pronouns:
        return None
    entity = next((e for e in view.doc.ents if e.start <= token.i < e.end), None)
    return (entity.start, entity.end - 1) if entity is not None else None


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
    if any(c.dep_ in SUBJECT_DEPS or c.dep_.startswith("aux") for c in token.children):
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
