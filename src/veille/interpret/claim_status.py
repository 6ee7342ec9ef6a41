"""What the article says about a claim: denials, confirmations, doubt and weak support.

Cues come from two places: statements (a speaker calling a report false, « complètement fausses »,
"sont fausses"; a denial verb, "a démenti que …"; a confirmation verb) and the outlet's own
sentences ("Aucun argument convaincant … n'a été présenté", "ce qui confirme indirectement les
informations publiées", "X a démenti ces informations"). Each cue is linked to the claim it is
about: the claim sharing most content words with it, else — when the cue points back ("ces
informations", "à ce sujet") — the claim a neighbouring cue of the same speaker is about, else the
last claim reported before the cue's sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from veille.annotate.attribution import sentences
from veille.annotate.doc_cache import char_span
from veille.annotate.entities import entity_spans
from veille.annotate.quote_lexicon import Lexicon, fold, folded_words
from veille.interpret.claim_statements import Statement, content_lemmas, plain

_ANAPHORIC_DETERMINERS: frozenset[str] = frozenset(
    {"ces", "ce", "cette", "cet", "les", "la", "le", "l'", "these", "this", "those", "the", "such"}
)
_ANAPHORIC_PHRASES: tuple[tuple[str, ...], ...] = (("à", "ce", "sujet"), ("on", "this"), ("about", "it"))
_ENDORSING_LEMMAS: frozenset[str] = frozenset(
    {
        "confirmer",
        "reconnaître",
        "admettre",
        "avouer",
        "confirm",
        "acknowledge",
        "admit",
        "reconfirm",
        "concede",
    }
)


@dataclass(slots=True)
class StatusCue:
    role: str  # denial | confirmation | doubt | support
    start: int
    end: int
    sent_start: int
    by: str | None
    lemmas: frozenset[str]
    anaphoric: bool
    statement: Statement | None = None  # the statement that carries the cue, if any
    target: int | None = None  # index of the claim it is about
    restatement: tuple[int, int] | None = None
    about: str | None = None  # whose report the cue names ("les accusations de l'ONG": ONG)
    relative: bool = False  # "…, ce que le gouvernement dément": about the clause just before


def _anaphoric(span: Span, lex: Lexicon) -> bool:
    words = folded_words(span.doc)[span.start : span.end]
    speech = lex.word_set("speech_nouns")
    for i, word in enumerate(words):
        if word in speech and i > 0 and words[i - 1] in _ANAPHORIC_DETERMINERS:
            return True
        if any(tuple(words[i : i + len(p)]) == p for p in _ANAPHORIC_PHRASES):
            return True
    return False


_NEGATORS: frozenset[str] = frozenset(
    {"ne", "n'", "pas", "jamais", "plus", "guère", "not", "n't", "never", "no", "neither", "nor"}
)
_NEGATIVE_DETERMINERS: frozenset[str] = frozenset(
    {"aucun", "aucune", "nul", "nulle", "no", "none", "neither"}
)


def _negated(verb: Token) -> bool:
    """Negated verb: a negative particle on it or its auxiliary, or a negative subject ("aucune source")."""
    heads = [verb, *(c for c in verb.children if c.dep_.startswith("aux"))]
    for head in heads:
        if any(fold(c.text) in _NEGATORS and c.dep_ in {"advmod", "neg"} for c in head.children):
            return True
    for child in verb.children:
        if child.dep_.startswith("nsubj") and (
            fold(child.text) in {"personne", "rien", "nobody", "none", "nothing"}
            or any(fold(d.text) in _NEGATIVE_DETERMINERS for d in child.children if d.dep_ == "det")
        ):
            return True
    return False


def _name_in(span: Span) -> str:
    """The name a subject phrase gives: its last person, else its last organisation, else its words."""
    ents = [e for e in entity_spans(span.doc) if span.start <= e.start and e.end <= span.end]
    for labels in ({"PER", "PERSON"}, {"ORG", "GPE", "LOC", "MISC", "NORP"}):
        named = [e for e in ents if e.label_ in labels]
        if named:
            return str(named[-1].text)
    words = span.text.split()
    if len(words) > 1 and fold(words[0]) in {"le", "la", "les", "l'", "the"}:
        words = words[1:]
    elif words and fold(words[0][:2]) == "l'" and len(words[0]) > 2:
        words[0] = words[0][2:]  # "L'armée malienne": the elided article is glued to the noun
    return " ".join(words)


def _report_owner(doc: Doc, noun: Token) -> str | None:
    """Whose report a speech noun names: "les accusations de l'ONG" → "ONG" (None without "de X")."""
    k = noun.i + 1
    if k >= len(doc) or fold(doc[k].text) not in {"de", "du", "des", "d'", "of"}:
        return None
    words = []
    for token in doc[k + 1 : k + 6]:
        if token.is_punct or token.pos_ in {"VERB", "AUX", "ADP", "SCONJ", "CCONJ"}:
            break
        if token.pos_ != "DET":
            words.append(token.text.removeprefix("l'").removeprefix("L'"))
    return " ".join(words) or None


def _names_owner(statement: Statement, owner: str) -> bool:
    """The statement's speaker or a link of its chain is ``owner`` (accent- and case-folded words)."""
    wanted = set(fold(owner).split())
    return any(
        wanted <= set(fold(name).replace("'", " ").split())
        for name in (statement.speaker or "", *statement.chain)
    )


def _subject_name(verb: Token) -> str | None:
    """The name the subject of ``verb`` gives (who denies, confirms or labels), if it has one."""
    subject = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubj:pass"}), None)
    if subject is None:
        return None
    return _name_in(verb.doc[subject.left_edge.i : subject.right_edge.i + 1])


def cues_from_statements(doc: Doc, statements: Sequence[Statement], lex: Lexicon) -> list[StatusCue]:
    out: list[StatusCue] = []
    for st in statements:
        record = st.record
        if record is None:
            continue
        sentence = char_span(doc, st.sent_start, st.sent_end, alignment_mode="expand")
        if sentence is None:
            continue
        quote = char_span(doc, record.start, record.end, alignment_mode="expand")
        lemmas = content_lemmas(quote, lex) if quote is not None else st.lemmas
        if st.falsity:
            out.append(
                StatusCue(
                    "denial",
                    record.start,
                    record.end,
                    st.sent_start,
                    st.speaker,
                    lemmas,
                    _anaphoric(sentence, lex),
                    st,
                    restatement=st.restatement,
                )
            )
        elif record.verb is not None and record.verb.lemma in _ENDORSING_LEMMAS:
            out.append(
                StatusCue(
                    # "n'a pas confirmé que …" leaves the claim unconfirmed: doubt, not confirmation
                    "doubt" if record.negated else "confirmation",
                    record.start,
                    record.end,
                    st.sent_start,
                    st.speaker,
                    lemmas,
                    _anaphoric(sentence, lex),
                    st,
                )
            )
    return out


def _names_reported(verb: Token, sent: Span, statements: Sequence[Statement]) -> bool:
    """The verb's object names what an earlier statement reported: "L'armée a démenti toute attaque"
    after "des sources ont fait état d'une attaque …" (the object's head among its nouns).

    Only an act that took place: not an infinitive ("pourront contester l'apposition"), and the head
    itself, not any noun under it ("a réfuté l'idée d'un prêt par l'État" is about an idea)."""
    if "Inf" in verb.morph.get("VerbForm", []):
        return False
    heads = {plain(c.lemma_) for c in verb.children if c.dep_ in {"obj", "dobj"} and c.pos_ == "NOUN"}
    return bool(heads) and any(heads & st.nouns for st in statements if st.sent_end <= sent.start_char)


def cues_from_sentences(doc: Doc, lex: Lexicon, statements: Sequence[Statement]) -> list[StatusCue]:
    """Doubt and support in the outlet's words; denials and confirmations of "ces informations"."""
    words = folded_words(doc)
    listed = lex.verb_candidates(doc)
    out: list[StatusCue] = []
    for sent in sentences(doc):
        in_phrase: set[int] = set()
        for role, phrase_set in (("doubt", "doubt"), ("support", "support")):
            phrases = lex.phrase(phrase_set)
            hit = phrases.find(words, sent.start, sent.end)
            if hit is None:
                continue
            in_phrase.update(range(hit, hit + phrases.match(words, hit)))
            out.append(
                StatusCue(
                    role,
                    sent.start_char,
                    sent.end_char,
                    sent.start_char,
                    None,
                    content_lemmas(sent, lex),
                    True,
                    restatement=None,
                )
            )
        for i in range(sent.start, sent.end):
            if i in in_phrase:
                continue  # "confirme indirectement" is weak support, not a confirmation
            if not listed[i]:
                continue  # no reporting verb here whatever its tag (no Token built for it)
            token = doc[i]
            if token.pos_ not in {"VERB", "AUX"} and "Part" not in token.morph.get("VerbForm", []):
                continue
            hit_verb = lex.verb_at(doc, token.i, strict=False)
            if hit_verb is None or (
                hit_verb.verb.cls != "denial" and hit_verb.verb.lemma not in _ENDORSING_LEMMAS
            ):
                continue
            if hit_verb.verb.cls == "denial" and _after_ce_que(words, token.i, sent.start):
                # "L'opposition affirme que …, ce que le gouvernement dément": the clause before.
                by = _subject_name(token) or _name_after(token)
                out.append(
                    StatusCue(
                        "support" if _negated(token) else "denial",
                        token.idx,
                        sent.end_char,
                        sent.start_char,
                        by,
                        frozenset(),
                        False,
                        relative=True,
                    )
                )
                break
            if any(st.record is not None and st.sent_start <= token.idx < st.sent_end for st in statements):
                continue  # carried by a statement: seen in cues_from_statements
            window = sent.doc[token.i + 1 : min(sent.end, token.i + 12)]
            obj = [t for t in window if fold(t.text) in lex.word_set("speech_nouns")]
            if not obj and not _names_reported(token, sent, statements):
                continue
            by = _subject_name(token)
            about = _report_owner(doc, obj[0]) if obj else None
            role = "denial" if hit_verb.verb.cls == "denial" else "confirmation"
            if _negated(token):
                # "Aucune source n'a confirmé ces informations" is doubt; "n'a pas démenti" weak support.
                role = "support" if role == "denial" else "doubt"
            out.append(
                StatusCue(
                    role,
                    sent.start_char,
                    sent.end_char,
                    sent.start_char,
                    by,
                    content_lemmas(sent, lex),
                    # An object naming what was reported points back like "ces informations".
                    _anaphoric(sent, lex) or not obj,
                    about=about,
                )
            )
            break
        label = _label_dismissal(doc, sent, lex, statements)
        if label is not None:
            out.append(label)
    return out


def _after_ce_que(words: list[str], verb: int, first: int) -> bool:
    """Whether the verb at ``verb`` follows ", ce que" / ", ce qu'" within a short subject."""
    for k in range(verb - 1, max(first + 1, verb - _RELATIVE_SUBJECT), -1):
        if words[k] in {"que", "qu'"} and words[k - 1] == "ce":
            return k - 2 >= first and words[k - 2] == ","
        if words[k] in {";", ".", ":", "que", "qu'"}:
            return False  # (commas may set off an apposition: "ce que le parti, le Rêve géorgien, réfute")
    return False


def _name_after(verb: Token) -> str | None:
    """ "ce que dément le ministère": the subject after the verb."""
    subject = next((c for c in verb.children if c.i > verb.i and c.dep_ in {"nsubj", "obj"}), None)
    if subject is None:
        return None
    return _name_in(verb.doc[subject.left_edge.i : subject.right_edge.i + 1])


def _label_dismissal(doc: Doc, sent: Span, lex: Lexicon, statements: Sequence[Statement]) -> StatusCue | None:
    """A report named and given a dismissive label in the outlet's words: "Her office called the
    reports "a hoax"", "le ministère a qualifié ces informations de rumeurs". The label is at most four
    words after the noun naming the report; a sentence that is a statement already (the label quoted
    after a reporting verb) is read in :func:`cues_from_statements`."""
    if any(
        st.record is not None and st.sent_start < sent.end_char and sent.start_char < st.sent_end
        for st in statements
    ):
        return None
    verbs = lex.word_set("label_verbs")
    speech = lex.word_set("speech_nouns")
    labels = lex.phrase("dismissive_labels")
    words = folded_words(doc)
    for token in sent:
        if token.pos_ != "VERB" or fold(token.lemma_) not in verbs or _negated(token):
            continue
        named = next(
            (
                t
                for t in token.children
                if t.dep_ in {"obj", "dobj"} and (fold(t.lemma_) in speech or fold(t.text) in speech)
            ),
            None,
        )
        if named is None:
            continue
        after = [t.i for t in sent if t.i > named.i and not t.is_punct][:4]
        if not after or labels.find(words, after[0], after[-1] + 1) is None:
            continue
        by = _subject_name(token)
        return StatusCue(
            "denial", sent.start_char, sent.end_char, sent.start_char, by, content_lemmas(sent, lex), True
        )
    return None


_RELATIVE_SUBJECT = 12  # words between "ce que" and its verb ("ce que le parti au pouvoir réfute")
_OWN_CONTENT = 3  # content lemmas that make a denial self-contained
_ADJACENT = 3  # characters between two sentences that follow each other (a space, a line break)


def link_cues(cues: list[StatusCue], claims: Sequence[list[Statement]]) -> None:
    """Set ``cue.target`` to the index of the claim each cue is about (None when unclear)."""
    for cue in cues:
        if cue.relative:
            # The claim stated in the same sentence, before the "ce que".
            cue.target = next(
                (i for i, members in enumerate(claims) for m in members
                 if m.sent_start == cue.sent_start and m.record is not None and m.record.end <= cue.start),
                None,
            )  # fmt: skip
            continue
        best, best_score = None, 0
        for index, members in enumerate(claims):
            if cue.statement is not None and cue.statement in members:
                continue
            if any(cue.start <= m.sent_start < cue.end for m in members):
                continue  # reported in the cue's own sentence: the cue is about something else
            lemmas = frozenset().union(*(m.lemmas for m in members))
            score = len(cue.lemmas & lemmas)
            if score >= 3 and score > best_score:
                best, best_score = index, score
        cue.target = best
    for cue in cues:
        denial_verb = cue.statement is not None and cue.statement.verb_class == "denial"
        if cue.target is not None or not (cue.anaphoric or denial_verb):
            continue
        same = [
            c for c in cues if c is not cue and c.target is not None and c.by == cue.by and c.by is not None
        ]
        near = [c for c in same if abs(c.sent_start - cue.sent_start) < 800]
        if near:
            cue.target = near[0].target
            continue
        previous = [
            i
            for i, members in enumerate(claims)
            if members[0].sent_end <= cue.sent_start
            and all(m.speaker != cue.by or cue.by is None for m in members)
            and (cue.about is None or any(_names_owner(m, cue.about) for m in members))
        ]
        adjacent = [i for i in previous if cue.sent_start - max(m.sent_end for m in claims[i]) <= _ADJACENT]
        if cue.anaphoric and adjacent:
            # "Selon une source, … . Le mouvement n'a pas confirmé cette information.": a
            # demonstrative is about the claim of the sentence right before it.
            cue.target = max(adjacent, key=lambda i: claims[i][0].sent_start)
            continue
        # A shared noun ("navire") points to an older claim; a shared verb is too weak a link.
        sharing = [i for i in previous if any(cue.lemmas & m.lemmas & m.nouns for m in claims[i])]
        if not sharing and not cue.anaphoric and len(cue.lemmas) >= _OWN_CONTENT:
            # A denial that says what it denies in words no earlier claim uses answers the claim of
            # the sentence right before it ("Un chercheur affirme que … Pixo dément : « … »"), or a
            # statement the article did not report as a claim ("Erdogan had demanded … Sweden
            # denied that it was a safe haven for terrorists"). Denying *that* something is so,
            # in reported speech, states its own proposition: no claim of the article is its object.
            record = cue.statement.record if cue.statement is not None else None
            if record is not None and record.type == "indirect":
                continue
            previous = adjacent
        if sharing or previous:
            cue.target = max(sharing or previous, key=lambda i: claims[i][0].sent_start)
