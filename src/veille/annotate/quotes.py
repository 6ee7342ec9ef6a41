"""``veille_quotes``: quotations, reported speech and their sources, as a spaCy component.

Writes ``doc._.veille_quotes``: a list of :class:`~veille.annotate.attribution.Attribution` in text
order, each with character offsets for the quote, the reported content, the cue, the speaker
mention (resolved to a name by ``coref``) and its source chain (origins → speaker → relays).

The steps: direct and mixed quotes (``quote_direct``), then indirect speech in the clauses left
(``quote_indirect``), then origins ("se référant à des publications sur Telegram"), the press
conditional, speakers for quotes without a cue of their own (continuations of the same speaker),
relays implied by "ajoute X" after a reported statement, and finally coreference.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from veille.annotate.attribution import Attribution, DocView, Mention
from veille.annotate.attribution_np import surface_np_after
from veille.annotate.coref import resolve_speakers
from veille.annotate.doc_cache import char_span, token_table
from veille.annotate.quote_cues import is_source_phrase
from veille.annotate.quote_direct import find_direct
from veille.annotate.quote_indirect import find_inverted_tails, find_reported_clauses, find_source_markers
from veille.annotate.quote_lexicon import fold, load_lexicon

if not Doc.has_extension("veille_quotes"):
    Doc.set_extension("veille_quotes", default=None)

# Verbs saying the speaker goes on: the speaker also passed on what precedes in the paragraph.
_CONTINUATION_VERBS: frozenset[str] = frozenset({"ajouter", "préciser", "poursuivre", "add", "continue"})
# How far back (in paragraphs) a quote without a cue looks for the speaker it continues: news stories
# let a speaker's quotes run over a few paragraphs after one attribution.
_INHERIT_PARAGRAPHS = 2


class QuoteAnnotator:
    def __init__(self, nlp: Language, name: str, *, max_quote_depth: int = 8) -> None:
        self.name = name
        self.lexicon = load_lexicon(nlp.lang or "en")
        self.max_quote_depth = max_quote_depth

    def __call__(self, doc: Doc) -> Doc:
        doc._.veille_quotes = annotate_quotes(doc, self.lexicon.lang, max_quote_depth=self.max_quote_depth)
        return doc


def annotate_quotes(doc: Doc, lang: str, *, max_quote_depth: int = 8) -> list[Attribution]:
    view = DocView(doc, load_lexicon(lang), max_quote_depth=max_quote_depth)
    records = find_direct(view)
    taken = [(r.content_start, r.content_end) for r in records]
    for rule in (find_reported_clauses, find_source_markers, find_inverted_tails):
        found = rule(view, taken)
        records.extend(found)
        taken.extend((r.content_start, r.content_end) for r in found)
    records.sort(key=lambda r: (r.start, r.end))
    for record in records:
        _find_origins(view, record)
        record.conditional = _conditional(view, record) or _hearsay(view, record)
    _inherit_speakers(view, records)
    if records:  # nothing to resolve otherwise: skip building the article's discourse entities
        resolve_speakers(view, records)
    _copy_inherited(records)
    _propagate_relays(view, records)
    return records


def _find_origins(view: DocView, record: Attribution) -> None:
    """ "Se référant à des publications sur Telegram, certains médias ont rapporté …": the origin."""
    doc = view.doc
    span = char_span(doc, record.evidence_start, record.evidence_end, alignment_mode="expand")
    if span is None:
        return
    markers = view.lex.phrase("origin_markers")
    channels = view.lex.word_set("channel_prepositions")
    starts = token_table(doc).starts
    for k in range(span.start, span.end):
        if view.in_quote[k] >= 0 or record.start <= starts[k] < record.end:
            continue
        length = markers.match(view.words, k)
        if not length:
            continue
        np = surface_np_after(view, k + length)
        if np is None:
            continue
        first, last = np
        named = is_source_phrase(view, np, strict=True)
        # "des publications sur Telegram": the channel named after "sur" is the origin.
        m = last + 1
        if m < len(doc) and view.words[m] in channels:
            channel = surface_np_after(view, m + 1)
            if channel is not None:
                first, last = channel
        if not named and not is_source_phrase(view, (first, last), strict=True):
            continue  # "citing weaker exports": a reason, not a source
        record.origins.append(view.mention(first, last))
        return


def _conditional(view: DocView, record: Attribution) -> bool:
    """Press conditional ("aurait abusé") or a hedge ("présumé", "reportedly") in the content."""
    doc = view.doc
    span = char_span(doc, record.content_start, record.content_end, alignment_mode="expand")
    if span is None:
        return False
    hedges = view.lex.phrase("hedges")
    table = token_table(doc)  # read on the token arrays: a Token is built only to check a mood
    for i in range(span.start, span.end):
        if (
            view.lex.lang == "fr"
            and table.pos[i] in {"AUX", "VERB"}
            and (
                ("Cnd" in table.morphs[i] and "Cnd" in doc[i].morph.get("Mood", []))
                or view.words[i].endswith(("rait", "raient"))
            )
        ):
            return True  # taggers miss some conditionals ("envisagerait" read as imperfect)
        if hedges.match(view.words, i):
            return True
    return False


def _hearsay(view: DocView, record: Attribution) -> bool:
    """ "qui, dit-on, s'étaient rendus": what people in general say is not established."""
    speaker = record.speaker
    return speaker is not None and fold(speaker.text) in view.lex.word_set("impersonal_pronouns")


def _inherit_speakers(view: DocView, records: list[Attribution]) -> None:
    """Quotes without a cue take the speaker of the quote next to them: same group first, then the
    previous quote of the paragraph (or of the previous paragraph), then the next one."""
    by_group: dict[int, Attribution] = {}
    for record in records:
        if record.speaker is not None and record.group >= 0:
            by_group.setdefault(record.group, record)
    for index, record in enumerate(records):
        if record.speaker is not None:
            continue
        source = by_group.get(record.group) if record.group >= 0 else None
        if source is None:
            source = _neighbour(view, records, index)
        if source is None or source.speaker is None:
            continue
        record.speaker = Mention(
            source.speaker.start,
            source.speaker.end,
            source.speaker.text,
            "inherited",
            head=source.speaker.head,
        )
        record.via = list(source.via)
        record.rule += "+inherit"
        record.inherit_from = source


def _paragraph_of(view: DocView, char: int) -> int:
    token = view.token_at(char)
    return view.paragraph[token] if token is not None else -1


def _neighbour(view: DocView, records: list[Attribution], index: int) -> Attribution | None:
    para = _paragraph_of(view, records[index].start)
    for j in range(index - 1, -1, -1):
        prev = records[j]
        if prev.speaker is None:
            continue
        if para - _paragraph_of(view, prev.start) <= _INHERIT_PARAGRAPHS:
            return prev
        break
    for j in range(index + 1, len(records)):
        nxt = records[j]
        if _paragraph_of(view, nxt.start) != para:
            break
        if nxt.speaker is not None and nxt.type == "direct":
            return nxt
    return None


def _copy_inherited(records: list[Attribution]) -> None:
    for record in records:
        source = record.inherit_from
        if source is None or record.speaker is None or source.speaker is None:
            continue
        record.speaker.name = source.speaker.name
        record.speaker.name_start = source.speaker.name_start
        record.speaker.name_end = source.speaker.name_end


def _propagate_relays(view: DocView, records: list[Attribution]) -> None:
    """ "certains médias ont rapporté que P. Q, ajoute le site Avia.pro": Avia.pro relays P too."""
    for index, record in enumerate(records):
        if record.cue not in _CONTINUATION_VERBS or record.speaker is None or index == 0:
            continue
        prev = records[index - 1]
        if prev.speaker is None or prev.speaker.name == record.speaker.name:
            continue
        if _paragraph_of(view, prev.start) != _paragraph_of(view, record.start):
            continue
        if prev.speaker.kind not in {"indefinite", "description"}:
            continue  # a named speaker's words are not the outlet's: "X a dit …; Y ajoute …"
        if all(v.name != record.speaker.name for v in prev.via):
            prev.via.append(record.speaker)


@Language.factory("veille_quotes", default_config={"max_quote_depth": 8})
def make_quote_annotator(nlp: Language, name: str, max_quote_depth: int) -> QuoteAnnotator:
    return QuoteAnnotator(nlp, name, max_quote_depth=max_quote_depth)
