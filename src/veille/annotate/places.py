"""``veille_places``: place names recognised in the text, with their gazetteer candidates.

Writes ``doc._.veille_places`` (a list of :class:`Toponym`, in text order) and
``doc._.veille_place_context`` (ISO2 → count of adjectives/demonyms of that country: "russe",
"American" are not places, but tell which countries the article is about). Resolution (choosing
one candidate) happens in :mod:`veille.interpret.places`, which also knows the actors.

Three sources, merged without overlap:

1. spans the NER labels as locations (``LOC``, ``GPE``), cleaned by ``veille_entities``; a span
   the gazetteer does not know is searched for known names inside ("Paris, Texas"), else kept
   unresolved (a street, a river) unless it is a demonym, a common noun or a person's name;
2. gazetteer names found by scanning capitalised words (countries, big cities, curated regions
   and seas: see ``place_build``), rejected inside person names, after a title ("Mr"), when a word
   is tagged as a verb/adjective ("Reading the…"), or listed in ``not_places``;
3. adjectival place phrases: a place noun with an adjective of country ("le territoire syrien",
   "Syrian territory") is a place, the country; a bare demonym is not.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache

from spacy.language import Language
from spacy.tokens import Doc, Span

from veille.annotate.doc_cache import char_span, doc_text, span_text, token_table
from veille.annotate.gazetteer import Candidate, Gazetteer, get_gazetteer, name_key
from veille.annotate.place_lexicon import PlaceLexicon, lexicon

if not Doc.has_extension("veille_places"):
    Doc.set_extension("veille_places", default=None)
if not Doc.has_extension("veille_place_context"):
    Doc.set_extension("veille_place_context", default=None)

LOCATION_LABELS = frozenset({"LOC", "GPE"})
PERSON_LABELS = frozenset({"PER", "PERSON"})
# Words that cannot be part of a place name found by scanning (they end the n-gram).
_BAD_POS = frozenset({"VERB", "AUX", "PRON", "SCONJ", "CCONJ", "NUM", "SYM", "INTJ"})
_JOINERS = frozenset({"-", "'", "’"})
_SINGLE_BAD_POS = frozenset({"VERB", "AUX", "ADJ", "ADV", "PRON", "DET", "ADP", "NUM", "SCONJ", "CCONJ"})


@lru_cache(maxsize=100_000)
def cached_key(text: str) -> str:
    return name_key(text)


def _ngram_order(ngram: tuple[int, int, str]) -> tuple[int, int]:
    return ngram[0], ngram[0] - ngram[1]


def _ngram_start(ngram: tuple[int, int, str]) -> int:
    return ngram[0]


@dataclass(frozen=True, slots=True)
class Toponym:
    """A place name in the text and the places it may denote."""

    start: int  # character offsets into doc.text
    end: int
    text: str
    token_start: int
    token_end: int
    candidates: tuple[Candidate, ...]
    source: str  # "ner", "gazetteer", "phrase"
    country_hint: str | None = None  # a phrase's country ("territoire syrien" → SY)
    kind_hint: str | None = None  # a phrase's kind ("frontière russe" → border)


class PlaceRecognizer:
    def __init__(
        self, nlp: Language | None, name: str, *, gazetteer_path: str | None = None, lang: str | None = None
    ) -> None:
        self.name = name
        self.lang = lang or (nlp.lang if nlp is not None else None) or "en"
        self.lexicon: PlaceLexicon = lexicon(self.lang)
        # Asked for every token (twice): the same words come back all the time.
        self._demonym = lru_cache(maxsize=1 << 16)(self.lexicon.demonym_country)
        self.gazetteer_path = gazetteer_path
        self._gazetteer: Gazetteer | None = None

    @property
    def gazetteer(self) -> Gazetteer:
        # Opened on first document, not at pipeline build, so that loading a model stays fast.
        if self._gazetteer is None:
            self._gazetteer = get_gazetteer(self.gazetteer_path)
        return self._gazetteer

    def __call__(self, doc: Doc) -> Doc:
        ents: list[Span] = doc._.veille_entities if doc._.veille_entities is not None else list(doc.ents)
        context: Counter[str] = Counter()
        for text in token_table(doc).texts:
            is_demonym, country = self._demonym(text)
            if is_demonym and country:
                context[country] += 1
        toponyms = self.recognize(doc, ents)
        doc._.veille_places = toponyms
        doc._.veille_place_context = dict(context)
        return doc

    # --- recognition ---------------------------------------------------------------------------

    def recognize(self, doc: Doc, ents: list[Span]) -> list[Toponym]:
        gaz = self.gazetteer
        text = doc_text(doc)  # Doc.text is built by joining every token: read it once
        table = token_table(doc)
        # Sorted once (by start, longest first): both the NER pass and the scan read them in this order.
        ngrams = sorted(self._scan_ngrams(doc, gaz, text), key=_ngram_order)
        trimmed = (self._trim(e, text) for e in ents if e.label_ in LOCATION_LABELS)
        location_spans = [s for s in trimmed if s is not None]
        keys = {key for _, _, key in ngrams}
        keys.update(name_key(span_text(s)) for s in location_spans)
        found = gaz.lookup(keys)
        person_words = {
            table.texts[i]
            for e in ents
            if e.label_ in PERSON_LABELS and len(e) > 1
            for i in range(e.start, e.end)
        }
        taken = [False] * len(doc)
        out: list[Toponym] = []

        def take(toponym: Toponym) -> None:
            for i in range(toponym.token_start, toponym.token_end):
                taken[i] = True
            out.append(toponym)

        for span in location_spans:
            for toponym in self._from_ner(span, found, ngrams, person_words):
                if not any(taken[toponym.token_start : toponym.token_end]):
                    take(toponym)
        blocked = self._blocked_tokens(doc, ents)
        # One sense per article: a name the NER took for a place is a place wherever it recurs
        # ("Winona police" after "in Winona"), though too small to be found alone.
        named = {name_key(t.text) for t in out if t.candidates}
        for start, end, key in ngrams:
            known = found.get(key)
            if not known or any(taken[start:end]):
                continue  # most n-grams name nothing: no Span is built for them
            candidates = tuple(c for c in known if c.matchable) or self._qualified(
                start, end, known, ngrams, found, table.texts
            )
            if not candidates and key in named:
                candidates = known
            if not candidates:
                continue
            span = doc[start:end]
            if self._accept_scanned(span, candidates, blocked, person_words):
                take(self._toponym(span, candidates, "gazetteer"))
        for toponym in self._phrases(doc, taken):
            take(toponym)
        out.sort(key=lambda t: t.start)
        return out

    def _trim(self, ent: Span, doc_text: str) -> Span | None:
        text = doc_text[ent.start_char : ent.end_char]
        start = ent.start_char
        for lead in self.lexicon.leading:
            if text.startswith(lead) and len(text) > len(lead):
                start += len(lead)
                break
        end = ent.end_char
        if doc_text[start:end].endswith(("'s", "’s")) and end - start > 3:
            end -= 2  # "Warren County's sheriff": the possessive is not part of the name
        while end > start and doc_text[end - 1] in " ,.;:’'":
            # A final period belongs to an abbreviation ("U.S.", "Ky."), not to the sentence.
            if doc_text[end - 1] == "." and doc_text[start:end].count(".") > 1:
                break
            end -= 1
        return char_span(ent.doc, start, end, label=ent.label_, alignment_mode="contract")

    def _scan_ngrams(self, doc: Doc, gaz: Gazetteer, doc_text: str) -> list[tuple[int, int, str]]:
        """(start, end, key) of every token n-gram that could be a gazetteer name."""
        # Token attributes read once: indexing a Doc builds a Token object each time.
        table = token_table(doc)
        texts, starts, sent_starts = table.texts, table.starts, table.sent_starts
        # A name never crosses a line, a sentence start or punctuation other than - . '
        stops = [
            space or "\n" in text or (punct and text not in _JOINERS and text != ".")
            for text, space, punct in zip(texts, table.is_space, table.is_punct, strict=True)
        ]
        out: list[tuple[int, int, str]] = []
        n = len(texts)
        for i in range(n):
            first = texts[i][:1]
            if stops[i] or not first.isalpha():
                continue
            if first.islower() and texts[i].lower() not in gaz.lower_starts:
                continue
            for j in range(i + 1, min(n, i + gaz.max_words) + 1):
                k = j - 1
                if stops[k] or (k > i and sent_starts[k]):
                    break
                if texts[k] in _JOINERS:  # joins two words, never ends a name
                    continue
                out.append((i, j, cached_key(doc_text[starts[i] : starts[k] + len(texts[k])])))
        return out

    def _from_ner(
        self,
        span: Span,
        found: dict[str, tuple[Candidate, ...]],
        ngrams: list[tuple[int, int, str]],
        person_words: set[str],
    ) -> list[Toponym]:
        text = span_text(span)
        is_demonym, _ = self.lexicon.demonym_country(text)
        # not_places lists names that are seldom places when found by scanning; English GPE, the
        # NER's tag for cities, states and countries, is the context they lack ("in Washington"),
        # unless the article names a person so ("George Washington … Washington said").
        vetoed = text in self.lexicon.not_places and (span.label_ != "GPE" or text in person_words)
        if is_demonym or vetoed:
            return []
        candidates = found.get(name_key(text), ())
        if self._after_person_title(span) and not any(c.kind == "country" for c in candidates):
            # "Mr Houston", "M. Paris": a person named like a town, as for scanned names; a country
            # after a title is its modifier ("le président US Donald Trump").
            return []
        if len(text) <= 4 and not any(c.form == text or c.matchable for c in candidates):
            return []  # "MoD", "BOV": an acronym, not the small town of that name
        if candidates:
            if text in person_words and not any(c.matchable for c in candidates):
                return []  # "Jalali" after "Kazem Jalali": a person the NER also tagged LOC
            return [self._toponym(span, candidates, "ner")]
        # Unknown as a whole: known names inside it ("Paris, Texas", "Defender Europe"), unless the
        # rest is part of the name ("Red River" is no town called Red).
        inner: list[Toponym] = []
        cursor = span.start
        # ``ngrams`` is sorted by start: only those starting inside the span can fit in it.
        first = bisect_left(ngrams, span.start, key=_ngram_start)
        for start, end, key in itertools.islice(ngrams, first, None):
            if start >= span.end:
                break
            if start < cursor or start < span.start or end > span.end or key not in found:
                continue
            inner.append(self._toponym(span.doc[start:end], found[key], "ner"))
            cursor = end
        covered = {i for t in inner for i in range(t.token_start, t.token_end)}
        rest = [span.doc[i] for i in range(span.start, span.end) if i not in covered]
        separated = bool(rest) and all(t.is_punct or t.pos_ in {"CCONJ", "ADP", "DET"} for t in rest)
        if inner and (separated or all(any(c.matchable for c in t.candidates) for t in inner)):
            return inner
        part = self._after_part_words(span, found)
        if part is not None:
            return [part]
        if text in person_words or any(w in person_words for w in text.split()):
            return []
        if len(span) == 1 and span[0].pos_ not in {"PROPN", "X"}:
            return []  # "la Défense" (ministry), a common noun the NER capitalised into a place
        return [self._toponym(span, (), "ner")]

    @staticmethod
    def _qualified(
        start: int,
        end: int,
        known: tuple[Candidate, ...],
        ngrams: list[tuple[int, int, str]],
        found: dict[str, tuple[Candidate, ...]],
        texts: list[str],
    ) -> tuple[Candidate, ...]:
        """A small town followed by its division or country ("COVINGTON, Ky.", "Pewaukee, Wis."):
        its candidates in that division, though the town is too small to be found alone."""
        if end + 1 >= len(texts) or texts[end] != "," or not all(t[:1].isupper() for t in texts[start:end]):
            return ()
        first = bisect_left(ngrams, end + 1, key=_ngram_start)
        for _, _, key in itertools.takewhile(lambda g: g[0] == end + 1, ngrams[first:]):
            for q in found.get(key, ()):
                if q.kind not in {"admin1", "country"} or not q.matchable:
                    continue
                inside = tuple(
                    c
                    for c in known
                    if c.kind == "city"
                    and c.country == q.country
                    and (q.kind == "country" or c.admin1 == q.admin1)
                )
                if inside:
                    return inside
        return ()

    def _after_part_words(self, span: Span, found: dict[str, tuple[Candidate, ...]]) -> Toponym | None:
        """'Northeast Georgia', 'West Wichita' (unknown as a whole): placed at the known name after the
        part words."""
        texts = token_table(span.doc).texts
        i = span.start
        while i < span.end - 1 and texts[i] in self.lexicon.part_words:
            i += 1
        if i == span.start:
            return None
        candidates = found.get(name_key(span_text(span.doc[i : span.end])), ())
        if not any(c.matchable for c in candidates):
            return None  # "West Wing", "Eastern Creek": no place called "Wing" or "Creek" is meant
        # The span stays whole ("South Cotabato" is a name in its own right); it is placed at the
        # place it is a part of, which is far better than no point at all.
        return self._toponym(span, candidates, "ner")

    def _blocked_tokens(self, doc: Doc, ents: list[Span]) -> dict[int, Span]:
        """Token index → the non-location entity covering it."""
        blocked: dict[int, Span] = {}
        for ent in ents:
            if ent.label_ not in LOCATION_LABELS:
                for i in range(ent.start, ent.end):
                    blocked[i] = ent
        return blocked

    def _accept_scanned(
        self,
        span: Span,
        candidates: tuple[Candidate, ...],
        blocked: dict[int, Span],
        person_words: set[str],
    ) -> bool:
        text = span_text(span)
        lex = self.lexicon
        if text in lex.not_places or lex.demonym_country(text)[0]:
            return False
        if len(text) <= 4 and text.isupper() and not any(c.form == text for c in candidates):
            return False  # "US" must be written so; "Us", "us" are pronouns
        table = token_table(span.doc)
        tags = table.pos[span.start : span.end]
        if any(p in _BAD_POS for p in tags) or (len(tags) == 1 and tags[0] in _SINGLE_BAD_POS):
            return False
        if self._after_person_title(span):
            return False
        ents = {blocked[i] for i in range(span.start, span.end) if i in blocked}
        person = next((e for e in ents if e.label_ in PERSON_LABELS), None)
        if person is not None:
            # The NER often takes a town for a person: a lone name that no multi-word person name
            # of the article contains is a place; "Washington" (in not_places) needs "à"/"in".
            alone = person.start == span.start and person.end == span.end and text not in person_words
            return alone or self._locative_before(span)
        # Inside an organisation's name a place is an embedded toponym ("ministère de la Défense
        # de la Biélorussie", "Dublin City Council").
        return True

    def _after_person_title(self, span: Span) -> bool:
        """ "Mr Washington", "général Paris": the word before the name makes it a person's."""
        return span.start > 0 and token_table(span.doc).texts[span.start - 1] in self.lexicon.person_titles

    def _locative_before(self, span: Span) -> bool:
        lowers = token_table(span.doc).lowers
        one = lowers[span.start - 1] if span.start >= 1 else ""
        two = f"{lowers[span.start - 2]} {one}" if span.start >= 2 else ""
        return one in self.lexicon.locative or two in self.lexicon.locative

    def _phrases(self, doc: Doc, taken: list[bool]) -> list[Toponym]:
        """'le territoire syrien', 'Syrian territory': a place noun with an adjective of country."""
        out: list[Toponym] = []
        gaz = self.gazetteer
        table = token_table(doc)
        text = doc_text(doc)
        for i, word in enumerate(table.texts):
            is_demonym, country = self._demonym(word)
            if not is_demonym or country is None or taken[i]:
                continue
            head = table.heads[i]
            kind = self.lexicon.place_nouns.get(table.lowers[head])
            if kind is None or head == i or abs(head - i) > 2 or taken[head]:
                continue
            start, end = min(head, i), max(head, i) + 1
            entry = gaz.entry("country", country)
            candidates = (entry,) if entry is not None else ()
            out.append(
                Toponym(
                    start=table.starts[start],
                    end=table.end(end - 1),
                    text=text[table.starts[start] : table.end(end - 1)],
                    token_start=start,
                    token_end=end,
                    candidates=candidates,
                    source="phrase",
                    country_hint=country,
                    kind_hint=kind,
                )
            )
        return out

    @staticmethod
    def _toponym(span: Span, candidates: tuple[Candidate, ...], source: str) -> Toponym:
        return Toponym(
            start=span.start_char,
            end=span.end_char,
            text=span_text(span),
            token_start=span.start,
            token_end=span.end,
            candidates=candidates,
            source=source,
        )


@Language.factory("veille_places", default_config={"gazetteer_path": None})
def make_place_recognizer(nlp: Language, name: str, gazetteer_path: str | None) -> PlaceRecognizer:
    return PlaceRecognizer(nlp, name, gazetteer_path=gazetteer_path)


@cache
def recognizer(lang: str, gazetteer_path: str | None = None) -> PlaceRecognizer:
    """A recognizer outside a pipeline (for Docs parsed without ``veille_places``)."""
    return PlaceRecognizer(None, "veille_places", gazetteer_path=gazetteer_path, lang=lang)
