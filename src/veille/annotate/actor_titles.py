"""First pass of the actor annotator: every role word grows into a title phrase and takes its name.

A title without a name either stands alone ("l'armée russe" → RUSMIL, a *role* mention) or waits for
the linking pass (:mod:`veille.annotate.actor_link`) to find whom it refers to ("le 1er diplomate US" →
the US Secretary of State named before; "le ministère" → the ministry named before).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from veille.annotate.actor_compose import (
    NAME_KINDS_ORG,
    Context,
    Title,
    _extend_left,
    _extend_right,
    _skip_determiners,
    find_name,
    mention,
    phrase_text,
    role_entry,
)
from veille.annotate.actor_kb import CodeTable, KbEntity
from veille.annotate.actor_match import Match, fold
from veille.annotate.actor_types import ActorMention, Coding


def compose_kb_codings(
    stated: Coding | None, entity: KbEntity | None, codes: CodeTable
) -> tuple[Coding, ...]:
    """The text's title composed with the knowledge base's dated codings."""
    kb = entity.codings if entity is not None else ()
    if stated is None:
        return kb
    if stated.country is not None or (stated.role is None and stated.code[:3] != "---"):
        return (stated,)
    if not kb:
        return (stated,)
    # Only a role is stated ("le général Soleimani"): keep each KB coding's country and dates.
    role = stated.code[3:]
    out: list[Coding] = []
    for coding in kb:
        if coding.country is None:
            out.append(coding)
        else:
            out.append(
                codes.coding(
                    coding.country + role,
                    start=coding.start,
                    end=coding.end,
                    position=coding.position,
                    label=coding.label,
                    died=coding.died,
                )
            )
    # The title is stated at the article's date: outside the KB's tenures it still holds, with the
    # country of the latest one ("la présidente Salomé Zourabichvili" in 2024, a foreign minister in
    # the KB's 2004-2005), rather than turning into a former official.
    dated = [c for c in out if c.dated and c.country is not None]
    if dated and len(dated) == len(out):
        latest = max(dated, key=lambda c: (c.end or dt.date.max, c.start or dt.date.min))
        assert latest.country is not None
        out.append(codes.coding(latest.country + role, position=stated.position))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Pending:
    """A title with no name of its own, resolved (or dropped) by the linking pass."""

    left: int
    right: int
    title: Title
    stated: Coding | None


def _name_after(ctx: Context, title: Title) -> tuple[int, int, KbEntity | None] | None:
    """(name start word, name end word, KB entity or None) apposed after the title."""
    n = len(ctx.ws)
    q = title.right
    if title.role.head == "org":
        found = find_name(ctx, q, "org")
        return (q, found[0], found[1]) if found else None
    if title.role.head != "person":
        return None
    comma = q < n and ctx.ws[q].raw == ","
    if comma:
        q += 1
    k = _skip_determiners(ctx, q) if comma else q
    rank_match = ctx.match_at.get(k)
    rank = role_entry(rank_match) if rank_match is not None else None
    if rank is not None and rank.head == "rank" and rank_match is not None:
        title.rank = rank
        k = rank_match.end
    found = find_name(ctx, k, "person")
    if found is None:
        title.rank = None
        return None
    return k, found[0], found[1]


def _name_before(ctx: Context, title: Title) -> tuple[int, int, KbEntity | None] | None:
    """A person named just before: "Kazem Jalali, l'ambassadeur iranien" / "Jalali, Iran's envoy"."""
    k = title.left
    while k > 0 and (ctx.ws[k - 1].norm in ctx.grammar.determiners or ctx.ws[k - 1].norm == "'"):
        k -= 1
    if k < 2 or ctx.ws[k - 1].raw != ",":
        return None
    end = k - 1
    match = ctx.match_ending.get(end)
    if match is not None and ctx.free(match.start, match.end):
        for entry in match.of_kind("entity"):
            if entry.entity is not None and entry.entity.kind == "person":
                return match.start, end, entry.entity
    for s, e, label in ctx.ner:
        if label in ("PER", "PERSON") and e == ctx.ws[end - 1].end:
            start = next((i for i in range(end - 1, -1, -1) if ctx.ws[i].start == s), None)
            if start is not None and ctx.free(start, end):
                return start, end, None
    return None


def _starts_person_name(ctx: Context, i: int) -> bool:
    """A capitalised role word that opens an NER person span is a first name ("Marine Le Pen")."""
    word = ctx.ws[i]
    if ctx.all_caps or not word.raw[:1].isupper():
        return False
    return any(s == word.start and e > word.end and label in ("PER", "PERSON") for s, e, label in ctx.ner)


def _named_institution(ctx: Context, match: Match, stated: Coding | None) -> bool:
    """A capitalised role phrase with no country that is also the name of an international body is that
    body ("the Security Council" → the UN's). A national one ("Congress") stays a role of unknown country:
    the phrase is generic, the KB's country only a guess."""
    if stated is not None and stated.country is not None:
        return False
    if ctx.all_caps or not ctx.ws[match.start].raw[:1].isupper():
        return False
    return any(
        e.entity is not None and e.entity.codings and all(c.country is None for c in e.entity.codings)
        for e in match.of_kind("entity")
    )


def compose_titles(ctx: Context) -> tuple[list[ActorMention], list[Pending]]:
    out: list[ActorMention] = []
    pending: list[Pending] = []
    for match in ctx.matches:
        if not ctx.free(match.start, match.end):
            continue
        role = role_entry(match)
        if role is None or role.head == "modifier" or _starts_person_name(ctx, match.start):
            continue
        if role.head == "rank":
            # "le général Dupont" takes any capitalised name; "General Motors" needs a known or NER person.
            loose = not ctx.ws[match.start].raw[:1].isupper() or ctx.ws[match.end - 1].raw == "."
            found = find_name(ctx, match.end, "rank", loose=loose)
            if found is not None:
                out.append(_person(ctx, Title(role, match.start, match.end, rank=role), match.end, *found))
            continue
        title = Title(role, match.start, match.end)
        title.country = match.gap_code
        phrase = ctx.text[ctx.ws[match.start].start : ctx.ws[match.end - 1].end]
        title.generic = fold(phrase.lower()) in ctx.grammar.generic
        _extend_left(ctx, title)
        before = title.left - 1
        while before >= 0 and ctx.ws[before].norm == "'":
            before -= 1
        title.possessive = before >= 0 and ctx.ws[before].norm in ctx.grammar.possessives
        _extend_right(ctx, title)
        after = _name_after(ctx, title)
        if after is not None:
            start, end, entity = after
            if role.head == "org":
                out.append(_organisation(ctx, title, start, end, entity))
            else:
                out.append(_person(ctx, title, start, end, entity))
            continue
        before_name = _name_before(ctx, title)
        if before_name is not None and role.head == "person":
            start, end, entity = before_name
            out.append(_person(ctx, title, start, end, entity, left=start, right=title.right))
            continue
        affiliation = title.affiliation
        if role.head == "org" and affiliation is not None and affiliation.kind in NAME_KINDS_ORG:
            out.append(_organisation(ctx, title, title.right, title.right, affiliation))
            continue
        stated = title.stated(ctx.codes)
        if _named_institution(ctx, match, stated):
            continue  # "the Security Council" alone: the KB's institution (IGOUNO), not a ---GOV council
        pending.append(Pending(title.left, title.right, title, stated))
        ctx.used.update(range(title.left, title.right))
    return out, pending


def _person(
    ctx: Context,
    title: Title,
    start: int,
    end: int,
    entity: KbEntity | None,
    *,
    left: int | None = None,
    right: int | None = None,
) -> ActorMention:
    kb = entity
    stated = title.stated(ctx.codes)
    codings = compose_kb_codings(stated, kb, ctx.codes)
    name = kb.name if kb is not None else phrase_text(ctx, start, end)
    return mention(
        ctx,
        title.left if left is None else left,
        end if right is None else right,
        name=name,
        entity=kb,
        kind="person",
        codings=codings,
        name_span=(start, end),
        stated=stated,
        positions=title.role.positions if title.role.head != "rank" else (),
        former=title.former,
        confidence=1.0 if kb is not None or stated is not None else 0.6,
    )


def _organisation(ctx: Context, title: Title, start: int, end: int, entity: KbEntity | None) -> ActorMention:
    kb = entity
    stated = title.stated(ctx.codes)
    if kb is not None and title.affiliation is kb:
        stated = None  # "le site de la chaîne Euronews": the outlet is the actor, coded as itself
    codings = compose_kb_codings(stated, kb, ctx.codes)
    if kb is None and stated is not None and stated.country is None and stated.code[:3] != "---":
        codings = (stated,)
    name = kb.name if kb is not None else phrase_text(ctx, start, end)
    kind = kb.kind if kb is not None else ("media" if title.role.role and "MED" in title.role.role else "org")
    right = max(end, title.right)
    return mention(
        ctx,
        title.left,
        right,
        name=name,
        entity=kb,
        kind=kind,
        codings=codings,
        name_span=(start, end) if end > start else None,
        stated=stated,
        former=title.former,
        confidence=1.0 if kb is not None else 0.7,
    )
