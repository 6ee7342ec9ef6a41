"""Later passes of the actor annotator: bare names, nationality nouns, and links within the article.

* a knowledge-base name not taken by a title is a mention coded by the knowledge base ("l'OTAN",
  "Sputnik", "la Russie", "Moscou" standing for its government);
* a capitalised demonym used as a noun is its country's people ("les Européens" → EUR);
* a title without a name refers to the last actor of the article that fits it: by office ("le 1er
  diplomate US" → the US Secretary of State named before, "son secrétaire général" → the secretary
  general named before) or by head noun ("le ministère" → "le ministère de la Défense de la Biélorussie");
* a surname repeats the person named in full before ("Stoltenberg" → "Jens Stoltenberg"), when no other
  person of the article shares it.
"""

from __future__ import annotations

from dataclasses import replace

from veille.annotate.actor_compose import Context, mention, phrase_text
from veille.annotate.actor_match import fold
from veille.annotate.actor_match import words as words_of
from veille.annotate.actor_titles import Pending
from veille.annotate.actor_types import ActorMention

KIND_CONFIDENCE = {"capital": 0.6, "person": 0.9}
PLACE_KINDS = frozenset({"country", "region", "capital"})


def _inside_longer_name(ctx: Context, start: int, end: int) -> bool:
    """ "Defender Europe", "Paris Saint-Germain": a place name that is only part of a longer name."""
    s_char, e_char = ctx.ws[start].start, ctx.ws[end - 1].end
    for s, e, _ in ctx.ner:
        if s <= s_char and e_char <= e and (s, e) != (s_char, e_char):
            outside = ctx.text[s:s_char] + " " + ctx.text[e_char:e]
            if any(w[:1].isupper() for w in outside.split()):
                return True
    return False


def bare_mentions(ctx: Context) -> list[ActorMention]:
    out: list[ActorMention] = []
    for match in ctx.matches:
        if not ctx.free(match.start, match.end):
            continue
        entities = [e.entity for e in match.of_kind("entity") if e.entity is not None]
        if entities:
            entity = entities[0]
            if entity.kind in PLACE_KINDS and _inside_longer_name(ctx, match.start, match.end):
                continue
            out.append(
                mention(
                    ctx,
                    match.start,
                    match.end,
                    name=entity.name,
                    entity=entity,
                    kind=entity.kind,
                    codings=entity.codings,
                    name_span=(match.start, match.end),
                    confidence=KIND_CONFIDENCE.get(entity.kind, 1.0),
                )
            )
            continue
        demonyms = match.of_kind("demonym")
        if demonyms and _is_nationality_noun(ctx, match.start, match.end):
            code = demonyms[0].code or ""
            out.append(
                mention(
                    ctx,
                    match.start,
                    match.end,
                    name=phrase_text(ctx, match.start, match.end),
                    entity=None,
                    kind="group",
                    codings=(ctx.codes.coding(code),),
                    confidence=0.8,
                )
            )
    return out


def _is_nationality_noun(ctx: Context, start: int, end: int) -> bool:
    """ "les Européens", "the Russians": a capitalised demonym that is a noun, not an adjective."""
    word = ctx.ws[start]
    if ctx.all_caps or not word.raw[:1].isupper() or word.raw.isupper():
        return False
    if ctx.grammar.genitive:  # English capitalises adjectives too: only plurals are nouns
        return ctx.ws[end - 1].norm.endswith("s")
    return not word.sent_start or (start > 0 and ctx.ws[start - 1].norm in ctx.grammar.determiners)


def _offices(m: ActorMention, ctx: Context) -> frozenset[str]:
    if m.positions:
        return frozenset(m.positions)
    entity = ctx.kb.entities.get(m.kb_id or "")
    return frozenset(c.position for c in entity.offices if c.position) if entity is not None else frozenset()


def _countries(m: ActorMention) -> frozenset[str]:
    return frozenset((c.country or c.code) for c in m.codings)


def resolve_pending(ctx: Context, pending: list[Pending], found: list[ActorMention]) -> list[ActorMention]:
    out: list[ActorMention] = []
    for item in sorted(pending, key=lambda p: p.left):
        start_char = ctx.ws[item.left].start
        earlier = sorted((m for m in found + out if m.end <= start_char), key=lambda m: m.start, reverse=True)
        title, stated = item.title, item.stated
        antecedent = None
        if title.role.head == "person" and title.role.positions and not title.former:
            wanted = ctx.kb.expand_positions(title.role.positions)
            for m in earlier:
                if m.kind != "person" or not (_offices(m, ctx) & wanted):
                    continue
                if stated is not None and stated.country and stated.country not in _countries(m):
                    continue
                antecedent = m
                break
        definite = item.left > 0 and ctx.ws[item.left - 1].norm in ctx.grammar.determiners | {"'"}
        if (
            antecedent is None
            and title.role.head == "org"
            and definite
            and (stated is None or stated.country is None)
        ):
            head = fold(title.role.phrase.split()[0])
            antecedent = next(
                (m for m in earlier if m.kind == "role" and m.stated is not None and _head_word(m) == head),
                None,
            )
        if antecedent is not None:
            out.append(
                replace(
                    mention(
                        ctx,
                        item.left,
                        item.right,
                        name=antecedent.name,
                        entity=ctx.kb.entities.get(antecedent.kb_id or ""),
                        kind=antecedent.kind,
                        codings=antecedent.codings,
                        stated=stated if stated is not None and stated.country else None,
                        positions=title.role.positions,
                        confidence=0.7,
                    ),
                    kb_id=antecedent.kb_id,
                )
            )
        elif stated is not None and stated.country is not None:
            out.append(
                mention(
                    ctx,
                    item.left,
                    item.right,
                    name=_role_name(ctx, item),
                    entity=None,
                    kind="role",
                    codings=(stated,),
                    stated=stated,
                    positions=title.role.positions,
                    former=title.former,
                    confidence=0.9,
                )
            )
        elif stated is not None and stated.code[:3] != "---" and stated.country is None:
            out.append(  # an IGO official without a name: "le secrétaire général de l'OTAN"
                mention(
                    ctx,
                    item.left,
                    item.right,
                    name=_role_name(ctx, item),
                    entity=None,
                    kind="role",
                    codings=(stated,),
                    stated=stated,
                    positions=title.role.positions,
                    confidence=0.9,
                )
            )
    return out


def _head_word(m: ActorMention) -> str:
    words = [w.norm for w in words_of(m.name)]
    return words[0] if words else ""


def _role_name(ctx: Context, item: Pending) -> str:
    left = item.left
    while left < item.right - 1 and (
        ctx.ws[left].norm in ctx.grammar.determiners or ctx.ws[left].norm == "'"
    ):
        left += 1
    return phrase_text(ctx, left, item.right)


def link_surnames(ctx: Context, found: list[ActorMention]) -> list[ActorMention]:
    """Repeat a person named in full when a later word is their surname (and no one else's)."""
    by_surname: dict[str, list[ActorMention]] = {}
    for m in found:
        if m.kind == "person" and m.name_start is not None and m.name_end is not None:
            name_words = [
                w for w in ctx.ws if m.name_start <= w.start and w.end <= m.name_end and w.raw.isalpha()
            ]
            if len(name_words) >= 2:
                by_surname.setdefault(name_words[-1].norm, []).append(m)
    out: list[ActorMention] = []
    for i, word in enumerate(ctx.ws):
        candidates = by_surname.get(word.norm)
        if not candidates or not word.raw[:1].isupper() or not ctx.free(i, i + 1):
            continue
        people = {m.kb_id or m.name for m in candidates}
        first = min(candidates, key=lambda m: m.start)
        if len(people) != 1 or first.start >= word.start:
            continue
        out.append(
            mention(
                ctx,
                i,
                i + 1,
                name=first.name,
                entity=ctx.kb.entities.get(first.kb_id or ""),
                kind="person",
                codings=first.codings,
                name_span=(i, i + 1),
                confidence=0.9,
            )
        )
    return out


def relink_bare_surnames(ctx: Context, found: list[ActorMention]) -> list[ActorMention]:
    """A one-word KB name ("Fomin") that is the surname of the article's titled person means that person."""
    titled = [m for m in found if m.kind == "person" and m.stated is not None and m.name_start is not None]
    out: list[ActorMention] = []
    for m in found:
        if m.kind == "person" and m.stated is None and " " not in m.text.strip():
            owner = [t for t in titled if t.start < m.start and t.name.split()[-1].lower() == m.text.lower()]
            if owner and all(o.name == owner[0].name for o in owner) and owner[0].kb_id != m.kb_id:
                m = replace(m, name=owner[0].name, kb_id=owner[0].kb_id, codings=owner[0].codings)
        out.append(m)
    return out
