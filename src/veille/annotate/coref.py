"""A small rule-based coreference for speakers: who "il", "la source" or "le 1er diplomate US" is.

Discourse entities are built once per article from the named entities (people clustered by
surname, organisations by name) with the titles the text gives them ("le secrétaire général de
l'OTAN, Jens Stoltenberg" → role "secrétaire général de l'otan"), and from the speakers already
attributed. A speaker mention is then resolved, in text order:

* a name → its entity's longest name ("Stoltenberg" → "Jens Stoltenberg");
* a pronoun → the most recent compatible entity (gender, number, person vs organisation), a subject
  or a speaker taking precedence over a name in an object position;
* a definite description → a person whose title names the same office ("son secrétaire général",
  "le 1er diplomate US" ~ "secrétaire d'État américain"), an organisation whose name contains the
  head noun ("le ministère"), or, for "la source" / "le site", the last speaker;
* anything else keeps its own words ("certains médias").

Measured on the French fixtures by speaker accuracy per mention kind (``veille.evaluate.quotes``).
"""

from __future__ import annotations

from spacy.tokens import Token

from veille.annotate.attribution import NP_JOINERS, Attribution, DocView, Mention, text_of
from veille.annotate.attribution_entities import (
    POSSESSIVES,
    DiscourseEntity,
    DiscourseIndex,
    plain,
    strip_determiner,
)
from veille.annotate.doc_cache import char_span
from veille.annotate.quote_lexicon import fold

_WINDOW_CHARS = 3000  # how far back a pronoun or description looks for its antecedent
# Salience bonuses, in characters of recency: a subject, a speaker and a person are preferred over a
# slightly closer mention that is none of these.
_SUBJECT_BONUS = 200
_SPEAKER_BONUS = 150
_PERSON_BONUS = 300
_CENTER_BONUS = 250
_SENTENCE_SUBJECT_BONUS = 500
_PERSON_NER = frozenset({"PERSON", "PER"})  # NER labels of people (English, French)
# NER labels that are no company, even when the tagger is wrong elsewhere (it calls firms GPE).
_NOT_ORG_NER = frozenset({"", "NORP", "PERSON", "PER", "DATE", "TIME", "MONEY", "PERCENT", "CARDINAL"})
_NAMED_BONUS = 150


class Coreference(DiscourseIndex):
    """Resolves speaker mentions against the article's discourse entities."""

    # -- resolving --------------------------------------------------------------------------------
    def resolve(self, mention: Mention, *, content: tuple[int, int] = (0, 0)) -> None:
        """``content``: the characters the mention's words report, where its referent is not."""
        if mention.kind == "name":
            self._resolve_name(mention)
        elif mention.kind == "pronoun":
            self._resolve_pronoun(mention, content)
        elif mention.kind == "description":
            self._resolve_description(mention)
        if mention.name is None:
            mention.name = strip_determiner(mention.text, self.view)
            mention.name_start, mention.name_end = mention.start, mention.end

    def _possessor(self, char: int) -> bool:
        """Whether the name starting at ``char`` is a possessor ("Campbell's partner")."""
        view = self.view
        token = view.token_at(char)
        if token is None:
            return False
        k = token
        while k + 1 < len(view.doc) and view.doc[k + 1].pos_ == "PROPN":
            k += 1
        return k + 1 < len(view.doc) and view.words[k + 1] in {"'s", "'"}

    def _set(self, mention: Mention, entity: DiscourseEntity) -> None:
        mention.name, mention.name_start, mention.name_end = entity.name, entity.start, entity.end
        # A title's article is part of it: "Les Échos", "Le Monde" (the NER often leaves it out).
        doc = self.view.doc
        span = char_span(doc, entity.start, entity.end, alignment_mode="expand")
        if span is not None and span.start > 0 and mention.start <= doc[span.start - 1].idx < mention.end:
            article = doc[span.start - 1]
            if article.text in {"Le", "La", "Les", "L'", "L’"} and not article.is_sent_start:
                mention.name = text_of(doc)[article.idx : entity.end]
                mention.name_start = article.idx

    def _resolve_name(self, mention: Mention) -> None:
        best: DiscourseEntity | None = None
        rank: tuple[int, int, int, int] = (-1, -1, -1, -1)
        span = char_span(self.view.doc, mention.start, mention.end, alignment_mode="expand")
        root = span.root if span is not None else None
        for entity in self.entities:
            # A person's name wins over an organisation, both over a role; then the name the phrase is
            # built on ("Robert Roe, a lawyer with Doe LLP"), then a name outside a complement ("le
            # secrétaire général de l'OTAN, Jens Stoltenberg"); among equals the last one heads the
            # phrase ("Surrey mayoral candidate Doug McCallum").
            entity_rank = (2 if entity.person else 1) if entity.named else 0
            for pos, _ in entity.positions:
                if not mention.start <= pos < mention.end or self._possessor(pos):
                    continue
                heads = (
                    entity.named
                    and root is not None
                    and (entity.start <= root.idx < entity.end or root.idx == pos)
                )
                if not heads and self._modifier(root, pos):
                    continue  # "Kenyan officials", "the Clark County team": not the speaker's name
                candidate = (entity_rank, int(heads), int(not self._in_complement(pos)), pos)
                if candidate > rank:
                    best, rank = entity, candidate
        if best is None:
            tail = _leading_name(self.view, mention) or _trailing_name(self.view, mention)
            if tail is not None:
                mention.name, mention.name_start, mention.name_end = tail
                key = "per:" + plain(tail[0].split()[-1])
                if key in self._by_key:
                    self._set(mention, self._by_key[key])
            return
        self._set(mention, best)

    def _modifier(self, root: Token | None, pos: int) -> bool:
        """A nationality or place modifying a common noun that heads the phrase."""
        if root is None or root.pos_ != "NOUN":
            return False
        token = self.view.token_at(pos)
        if token is None:
            return False
        label = self.view.doc[token].ent_type_
        return label in {"NORP", "GPE", "LOC"} and token < root.i

    def _in_complement(self, pos: int) -> bool:
        """Whether the name at ``pos`` sits after a preposition ("a lawyer with Doe LLP")."""
        view = self.view
        token = view.token_at(pos)
        k = token - 1 if token is not None else -1
        while k >= 0 and view.doc[k].pos_ == "DET":
            k -= 1
        return k >= 0 and (view.doc[k].pos_ == "ADP" or view.words[k] in NP_JOINERS - {"-", "&"})

    def _candidates(
        self, at: int, *, subject: bool, speaker: bool = False
    ) -> list[tuple[int, DiscourseEntity]]:
        out = []
        for entity in self.entities:
            pos = entity.last_before(at, subject=subject, speaker=speaker)
            if pos >= 0 and at - pos <= _WINDOW_CHARS:
                out.append((pos, entity))
        return sorted(out, key=lambda item: -item[0])

    def _previous_sentence(self, at: int) -> tuple[int, int] | None:
        """Character range of the sentence before the one containing ``at``, or None."""
        view = self.view
        token = view.token_at(at)
        if token is None:
            return None
        start = view.sent_start[token]
        # Start from the sentence where the quote around the mention began.
        while start > 0 and view.in_quote[start] >= 0:
            start = view.sent_start[start - 1]
        if start == 0:
            return None
        prev = view.sent_start[start - 1]
        while prev > 0 and all(
            t.is_space or t.is_punct or view.in_quote[t.i] >= 0 for t in view.doc[prev:start]
        ):
            prev = view.sent_start[prev - 1]
        return view.doc[prev].idx, view.doc[start].idx

    def _sentence_start(self, at: int) -> int:
        """Character offset where the sentence containing ``at`` starts (``at`` itself if unknown)."""
        token = self.view.token_at(at)
        return at if token is None else int(self.view.doc[self.view.sent_start[token]].idx)

    def _compatible(self, mention: Mention, entity: DiscourseEntity) -> bool:
        if mention.plural != entity.plural and not (mention.plural and not entity.person):
            return False
        if {mention.gender, entity.gender} == {"m", "f"}:
            return False
        if mention.head in {"he", "she", "him", "her"} and not entity.person:
            return False
        return not (mention.head == "it" and entity.person)

    def _resolve_pronoun(self, mention: Mention, content: tuple[int, int]) -> None:
        """Salience: recency, plus a bonus for subjects, speakers and (speech being human) persons."""
        if fold(mention.text) in self.view.lex.word_set("impersonal_pronouns"):
            return  # "qui, dit-on, s'étaient rendus": hearsay, nobody in particular
        at = mention.start
        best: DiscourseEntity | None = None
        best_score = float("-inf")
        center = self._previous_sentence(at)
        own = self._sentence_start(at)
        for entity in self.entities:
            last = entity.last_before(at, subject=False)
            if last < 0 or at - last > _WINDOW_CHARS or not self._compatible(mention, entity):
                continue
            score = float(last)
            subject = entity.last_before(at, subject=True)
            if subject >= 0:
                score = max(score, subject + _SUBJECT_BONUS)
            spoke = entity.last_before(at, subject=False, speaker=True)
            if spoke >= 0:
                score = max(score, spoke + _SUBJECT_BONUS + _SPEAKER_BONUS)
            if entity.person and mention.head != "it":
                score += _PERSON_BONUS
            if entity.named:
                score += _NAMED_BONUS
            if center is not None and any(center[0] <= p < center[1] and s for p, s in entity.positions):
                score += _CENTER_BONUS  # the subject of the sentence before is the likeliest referent
            if any(own <= p < at and s and not content[0] <= p < content[1] for p, s in entity.positions):
                # "X a rejeté ces exigences, qu'il a qualifiées de …": the subject of the same sentence
                # wins over a speaker of the paragraph before; not one of the reported words ("The EU
                # was imposing new rules, it noted": "it" is who spoke before).
                score += _SENTENCE_SUBJECT_BONUS
            if score > best_score:
                best, best_score = entity, score
        if best is not None:
            self._set(mention, best)

    def _resolve_description(self, mention: Mention) -> None:
        view = self.view
        core = strip_determiner(mention.text, view)
        folded = fold(core)
        words = set(folded.replace("'", "' ").split())
        if mention.head in view.lex.word_set("anaphoric_sources") and len(words) <= 3:
            for _, entity in self._candidates(mention.start, subject=True, speaker=True):
                self._set(mention, entity)
                return
        roles = view.lex.word_set("roles")
        if _role_heads(folded, roles):
            for _, entity in self._candidates(mention.start, subject=False):
                if entity.person and any(self._role_match(folded, title) for title in entity.titles):
                    self._set(mention, entity)
                    return
        # "le ministère" is the ministry named before; "le ministère roumain des Affaires étrangères"
        # is not "le ministère russe de la Défense": its own words must be in that name too.
        function_words = view.lex.word_set("definite_determiners") | NP_JOINERS
        own = _plain_words(core) - {plain(mention.head or "")} - function_words
        for _, entity in self._candidates(mention.start, subject=False):
            if entity.person or not mention.head:
                continue
            named = _plain_words(entity.name)
            if plain(mention.head) in named and own <= named:
                self._set(mention, entity)
                return
        first_word = fold(mention.text.split()[0]) if mention.text.split() else ""
        possessive = first_word in POSSESSIVES
        if not words & roles and not possessive and mention.head in view.lex.word_set("generic_org_nouns"):
            # "l'entreprise", "le groupe": the organisation the text is about right now.
            center = self._center_entity(mention)
            if (
                center is None or center.person or not self._organisation_name(center)
            ) and not mention.plural:
                center = self._main_organisation(mention) or center
            # "l'organisation islamiste" is not the Commission talked about: a description with words
            # of its own names that organisation only when its name has them too.
            extra = words - {mention.head} - set(view.lex.word_set("definite_determiners"))
            if center is not None and not center.person and extra <= set(fold(center.name).split()):
                self._set(mention, center)
                return
        # A role no title matches stays as written ("le procureur" is often a first mention), even
        # when it is an elegant variation ("Bourigeaud … a reconnu le milieu de terrain").
        if possessive and words & roles:
            # "son porte-parole": a role of someone else; name it after its holder.
            holder = self._center_entity(mention)
            if holder is not None:
                mention.name = f"{strip_determiner(mention.text, view)} ({holder.name})"
                mention.name_start, mention.name_end = mention.start, mention.end
                return
        if possessive and not words & roles:
            # "selon ses chiffres", "dans son communiqué": the possessor speaks.
            center = self._center_entity(mention)
            if center is not None:
                self._set(mention, center)

    def _center_entity(self, mention: Mention, *, person: bool = False) -> DiscourseEntity | None:
        """The entity the sentence around the mention, or the one before, has as subject."""
        current = self._previous_sentence(mention.start)
        token = self.view.token_at(mention.start)
        if token is None:
            return None
        here = (self.view.doc[self.view.sent_start[token]].idx, mention.start)
        for start, end in (here, current) if current is not None else (here,):
            best = None
            for entity in self.entities:
                if person and not entity.person:
                    continue
                for pos, subject in entity.positions:
                    if subject and start <= pos < end and (best is None or pos > best[0]):
                        best = (pos, entity)
            if best is not None:
                return best[1]
        return None

    def _main_organisation(self, mention: Mention) -> DiscourseEntity | None:
        """The organisation named most often before the mention (ties: the latest), when named at
        least twice and once as a subject: business news says "the company said" sentences after the
        last "Unilever said".
        None when this sentence or the one before has a proper-noun subject outside its name that
        the NER does not call a person (another organisation, perhaps one the NER missed:
        "Facebook said …. The company noted …")."""
        at = mention.start
        best: tuple[int, int, DiscourseEntity] | None = None
        for entity in self.entities:
            if entity.person or not entity.named or not self._organisation_name(entity):
                continue
            before = [pos for pos, _ in entity.positions if pos < at]
            acted = any(subject for pos, subject in entity.positions if pos < at)
            if len(before) >= 2 and acted and (best is None or (len(before), max(before)) > best[:2]):
                best = (len(before), max(before), entity)
        if best is None:
            return None
        view, name = self.view, set(best[2].name.split())
        previous = self._previous_sentence(at)
        first, last = view.token_at(previous[0] if previous is not None else at), view.token_at(at)
        if first is None or last is None:
            return None
        for t in view.doc[view.sent_start[first] : last]:
            rival = t.pos_ == "PROPN" and t.dep_ in {"nsubj", "nsubjpass"} and t.ent_type_ not in _PERSON_NER
            if rival and view.in_quote[t.i] < 0 and t.text not in name:
                return None
        return best[2]

    def _organisation_name(self, entity: DiscourseEntity) -> bool:
        """The NER took the entity's first word for an organisation's: not a country or a people
        ("European sales"), nor a speaker phrase made from a quote ("its slimming products")."""
        token = self.view.token_at(entity.start)
        return token is not None and self.view.doc[token].ent_type_ not in _NOT_ORG_NER

    def _role_match(self, description: str, title: str) -> bool:
        lex = self.view.lex
        if not lex.roles_equivalent(description, title):
            return False
        nat_d = [w for w in description.split() if any(w in g for g in lex.nationality_groups)]
        nat_t = [w for w in title.split() if any(w in g for g in lex.nationality_groups)]
        return all(lex.nationality_compatible(a, b) for a in nat_d for b in nat_t)


def _plain_words(text: str) -> set[str]:
    """Accent-free lower-case words, elisions apart ("l'Intérieur" → "l'", "interieur")."""
    return set(plain(text).replace("'", "' ").split())


def _trailing_name(view: DocView, mention: Mention) -> tuple[str, int, int] | None:
    """ "le site d'information Avia.pro" → "Avia.pro": capitalised words closing the phrase."""
    span = char_span(view.doc, mention.start, mention.end, alignment_mode="expand")
    if span is None:
        return None
    run = []
    for token in reversed(span):
        # A lower-case word tagged PROPN is mostly a nationality adjective ("la présidence kényane");
        # names written in lower case carry a capital or a dot somewhere ("eBay", "avia.pro").
        if token.text[:1].isupper() or (token.pos_ == "PROPN" and not (token.is_alpha and token.is_lower)):
            run.append(token)
        else:
            break
    if not run or (run[-1].i == span.start and len(span) > 1 and span[0].pos_ == "DET"):
        return None
    run.reverse()
    if run[0].i > span.start and fold(view.doc[run[0].i - 1].text) in NP_JOINERS:
        return None
    return view.doc[run[0].i : run[-1].i + 1].text, run[0].idx, run[-1].idx + len(run[-1].text)


def _leading_name(view: DocView, mention: Mention) -> tuple[str, int, int] | None:
    """ "Young, a locomotive mechanic" → "Young": the proper name an apposition describes."""
    span = char_span(view.doc, mention.start, mention.end, alignment_mode="expand")
    if span is None or span[0].pos_ != "PROPN":
        return None
    k = span.start
    while k < span.end and view.doc[k].pos_ == "PROPN":
        k += 1
    if k >= span.end or view.words[k] != ",":
        return None
    return view.doc[span.start : k].text, span[0].idx, view.doc[k - 1].idx + len(view.doc[k - 1].text)


def resolve_speakers(view: DocView, records: list[Attribution]) -> Coreference:
    """Resolve every speaker and relay mention in text order (earlier speakers help later ones)."""
    coref = Coreference(view)
    for record in sorted(records, key=lambda r: r.evidence_start):
        if record.speaker is not None and record.speaker.kind != "inherited":
            coref.resolve(record.speaker, content=(record.content_start, record.content_end))
            coref.add_speaker(record.speaker, record.speaker.start)
        for mention in (*record.via, *record.origins):
            coref.resolve(mention)
    return coref


def _role_heads(folded: str, roles: frozenset[str]) -> bool:
    """Whether a role word heads the description, before any complement: "le Premier ministre",
    "le secrétaire d'État" do; "le cabinet de la ministre" does not (it is the cabinet that speaks)."""
    for word in folded.replace("'", "' ").split():
        if word in roles:
            return True
        if word in NP_JOINERS:
            return False
    return False
