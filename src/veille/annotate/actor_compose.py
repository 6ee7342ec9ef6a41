"""Compose title phrases: role word + demonym/affiliation + apposed name -> one coded actor mention.

"le secrétaire d'État américain Mike Pompeo", "l'ambassadeur iranien à Moscou, Kazem Jalali",
"Le vice-ministre russe de la Défense, le général Alexandre Fomin", "the Iranian ambassador",
"NATO Secretary General Jens Stoltenberg", "les forces américaines", "l'agence de presse russe Sputnik".
The role word gives the CAMEO role (GOV, MIL, MED ...), a demonym or a "de"/"of" complement the country
or organisation, and the name (knowledge-base person, NER person, or a capitalised run) the person.
The words of the text win over the knowledge base: a stated title is the mention's coding.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from veille.annotate.actor_kb import ActorKB, CodeTable, Entry, KbEntity, RoleInfo
from veille.annotate.actor_match import Match, Word
from veille.annotate.actor_types import ActorMention, Coding
from veille.resources import load_yaml

AFFILIATION_KINDS = frozenset(
    {"country", "region", "capital", "igo", "ngo", "org", "media", "social", "group"}
)
NAME_KINDS_ORG = frozenset({"igo", "ngo", "org", "media", "social", "group"})
MAX_RIGHT_STEPS = 8
MAX_NAME_WORDS = 4
MAX_PORTFOLIO_WORDS = 6  # "de l'Économie et des Finances"


@dataclass(frozen=True, slots=True)
class Grammar:
    determiners: frozenset[str]
    possessives: frozenset[str]
    of: frozenset[str]
    posting: frozenset[str]
    genitive: frozenset[str]
    particles: frozenset[str]
    generic: frozenset[str]


@cache
def grammar(lang: str) -> Grammar:
    table = load_yaml("actors/grammar.yaml")
    rules = table.get(lang) or table["en"]
    return Grammar(**{key: frozenset(rules[key]) for key in Grammar.__dataclass_fields__})


@dataclass(slots=True)
class Context:
    """Everything the composition rules read about one document."""

    text: str
    ws: list[Word]
    matches: list[Match]
    kb: ActorKB
    codes: CodeTable
    grammar: Grammar
    all_caps: bool
    ner: list[tuple[int, int, str]]  # (start char, end char, label)
    match_at: dict[int, Match] = field(default_factory=dict)
    match_ending: dict[int, Match] = field(default_factory=dict)
    used: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.match_at = {m.start: m for m in self.matches}
        self.match_ending = {m.end: m for m in self.matches}

    def free(self, start: int, end: int) -> bool:
        return not any(i in self.used for i in range(start, end))


@dataclass(slots=True)
class Title:
    """What a title phrase states, gathered word by word."""

    role: RoleInfo
    left: int
    right: int
    country: str | None = None
    affiliation: KbEntity | None = None
    former: bool = False
    possessive: bool = False
    rank: RoleInfo | None = None
    institution: str | None = (
        None  # role of the institution the title belongs to ("du ministère de la Défense")
    )
    generic: bool = False  # a title that is governmental only when a state's (grammar.yaml)
    unknown_owner: bool = False  # "de/of" + an owner that is neither a state nor a known entity

    def stated(self, codes: CodeTable) -> Coding | None:
        role = self.role.role or (self.rank.role if self.rank else None)
        if self.institution and (role is None or role == "GOV"):
            role = self.institution
        positions = self.role.positions
        country = self.country
        if self.affiliation is not None and self.affiliation.codings:
            base = self.affiliation.codings[0]
            if base.country is None:  # an IGO/NGO: its officials carry its code (Phoenix convention)
                return codes.coding(base.code, position=positions[0] if positions else None)
            country = country or base.country
            affil_roles = base.code[3:]
            if affil_roles and (role is None or role == "GOV" or affil_roles.startswith(role)):
                role = affil_roles
        if self.former:
            role = "ELI"
        if country is None and role is None:
            return None
        if self.generic and self.unknown_owner and country is None and self.affiliation is None:
            return None  # "président de la fédération de judo": not a ---GOV
        code = (country or "---") + (role or "")
        return codes.coding(code, position=positions[0] if positions else None)


def _entity(match: Match | None, kinds: frozenset[str]) -> KbEntity | None:
    if match is None:
        return None
    for entry in match.of_kind("entity"):
        if entry.entity is not None and entry.entity.kind in kinds:
            return entry.entity
    return None


def _demonym(match: Match | None) -> str | None:
    if match is None:
        return None
    found = match.of_kind("demonym")
    return found[0].code if found else None


def _skip_determiners(ctx: Context, i: int) -> int:
    while i < len(ctx.ws) and (ctx.ws[i].norm in ctx.grammar.determiners or ctx.ws[i].norm == "'"):
        if i in ctx.match_at and ctx.ws[i].norm not in ("l", "d", "'", "le", "la", "les", "the", "a"):
            break
        i += 1
    return i


def role_entry(match: Match) -> RoleInfo | None:
    roles = [e.role for e in match.of_kind("role") if e.role is not None]
    return roles[0] if roles else None


def _extend_left(ctx: Context, title: Title) -> None:
    i = title.left
    for _ in range(4):
        j = i
        if j > 0 and ctx.ws[j - 1].norm in ctx.grammar.genitive | {"s"} and j - 2 >= 0:
            # "Russia's": words "russia", "'", "s"
            j = j - 2 if ctx.ws[j - 1].norm == "s" and ctx.ws[j - 2].norm == "'" else j - 1
        prev = ctx.match_ending.get(j)
        if prev is None or not ctx.free(prev.start, prev.end):
            break
        role = role_entry(prev)
        if role is not None and role.head == "modifier":
            title.former = True
        elif (code := _demonym(prev)) is not None and title.country is None:
            title.country = code
        elif (entity := _entity(prev, AFFILIATION_KINDS)) is not None and title.affiliation is None:
            title.affiliation = entity
        else:
            break
        i = prev.start
    # French "l'ex-président": the modifier is written with a hyphen.
    if i >= 2 and ctx.ws[i - 1].norm == "-" and ctx.ws[i - 2].norm == "ex":
        title.former, i = True, i - 2
    title.left = i


def _complement(ctx: Context, i: int, depth: int = 0) -> tuple[int, KbEntity | None, str | None, str | None]:
    """After "de"/"of": (end word, affiliation entity, country, role of an institution noun).

    "de l'OTAN" (an entity), "de la chaîne Euronews" (an outlet noun, then the outlet), "du gouvernement
    malien" (an institution noun and a demonym), "du ministère de la Défense de la Biélorussie" (nested).
    """
    j = _skip_determiners(ctx, i)
    match = ctx.match_at.get(j)
    if match is None:
        return i, None, None, None
    entity = _entity(match, AFFILIATION_KINDS)
    if entity is not None:
        return match.end, entity, None, None
    role = role_entry(match)
    if role is None or role.head not in ("org", "group"):
        return i, None, None, None
    k, country = match.end, match.gap_code
    if (dem := ctx.match_at.get(k)) is not None and (code := _demonym(dem)) is not None:
        country, k = code, dem.end
    inner = ctx.match_at.get(k)
    outlet = _entity(inner, NAME_KINDS_ORG)
    if outlet is not None and inner is not None:
        return inner.end, outlet, None, None
    if country is None and depth < 2 and k < len(ctx.ws) and ctx.ws[k].norm in ctx.grammar.of:
        end, owner, owner_country, _ = _complement(ctx, k + 1, depth + 1)
        if owner is not None or owner_country is not None:
            return end, owner, owner_country, role.role
    if country is not None:
        return k, None, country, role.role
    return i, None, None, None


def _extend_right(ctx: Context, title: Title) -> None:
    p = title.right
    n = len(ctx.ws)
    for _ in range(MAX_RIGHT_STEPS):
        if p >= n:
            break
        word = ctx.ws[p]
        match = ctx.match_at.get(p)
        if match is not None and (code := _demonym(match)) is not None and title.country is None:
            title.country, p = code, match.end
        elif word.norm in ctx.grammar.of:
            end, entity, country, institution = _complement(ctx, p + 1)
            if entity is None and country is None:
                # An owner that is not an institution noun either ("du gouvernement", "de l'armée"):
                # a club, a company, a community the annotator cannot code.
                owner = _skip_determiners(ctx, p + 1)
                known = (m := ctx.match_at.get(owner)) is not None and role_entry(m) is not None
                title.unknown_owner = owner < n and ctx.ws[owner].raw[:1].isalpha() and not known
                if title.unknown_owner and not title.generic:
                    p = _portfolio_end(ctx, owner, p)
                break
            # A second owner refines nothing: "commandant de la Force Qods du Corps des gardiens ...".
            if title.affiliation is None and title.country is None:
                title.affiliation, title.country = entity, country
                title.institution = institution
            p = end
        elif word.norm in ctx.grammar.posting and title.role.head == "person":
            j = p + 1
            if word.norm == "aupres" and j < n and ctx.ws[j].norm in ctx.grammar.of:
                j += 1
            target = ctx.match_at.get(_skip_determiners(ctx, j))
            if _entity(target, AFFILIATION_KINDS) is None or target is None:
                break
            p = target.end
        elif word.raw == "(":
            close = next((k for k in range(p + 1, min(p + 9, n)) if ctx.ws[k].raw == ")"), None)
            if close is None:
                break
            p = close + 1
        else:
            break
    title.right = p


def _portfolio_end(ctx: Context, first: int, stop: int) -> int:
    """Past a governmental title's portfolio the lexicon does not know, when a name is apposed after
    it ("le ministre du budget, Jérôme Cahuzac", "ministre de la transition écologique, X"): the
    comma before the name; else ``stop`` (the title ends before "de")."""
    n = len(ctx.ws)
    for k in range(first, min(first + MAX_PORTFOLIO_WORDS + 1, n)):
        word = ctx.ws[k]
        if word.raw == ",":
            after = k + 1
            return (
                k if after < n and ctx.ws[after].raw[:1].isupper() and not ctx.ws[after].sent_start else stop
            )
        if not word.raw[:1].isalpha() and word.raw != "'":
            return stop
    return stop


def _ner_end(ctx: Context, i: int, labels: frozenset[str]) -> int | None:
    """End word of an NER span of ``labels`` covering the start of word ``i``."""
    start = ctx.ws[i].start
    for s, e, label in ctx.ner:
        if label in labels and s <= start < e:
            k = i
            while k < len(ctx.ws) and ctx.ws[k].end <= e:
                k += 1
            return k if k > i else None
    return None


def _joins_name(ctx: Context, k: int) -> bool:
    """A hyphen inside a name ("Jean-Luc"), or the full stop of an initial ("George W. Bush"); a
    full stop after a whole word ends the sentence ("… Irakli Kobakhidze. La police …")."""
    word = ctx.ws[k]
    if k + 1 >= len(ctx.ws) or not ctx.ws[k + 1].raw[:1].isalpha():
        return False
    if word.raw == "-":
        return True
    return word.raw == "." and len(ctx.ws[k - 1].raw) == 1


def _capitalised_run(ctx: Context, i: int) -> int | None:
    if ctx.all_caps:
        return None
    k, caps = i, 0
    while k < len(ctx.ws) and caps < MAX_NAME_WORDS:
        word = ctx.ws[k]
        if k > i and "\n" in ctx.text[ctx.ws[k - 1].end : word.start]:
            break  # a name does not run on into the next line or paragraph
        if word.raw[:1].isupper() and word.raw.isalpha() and not (k in ctx.match_at and k > i):
            caps, k = caps + 1, k + 1
        elif (
            caps
            and word.norm in ctx.grammar.particles
            and k + 1 < len(ctx.ws)
            and ctx.ws[k + 1].raw[:1].isupper()
        ) or (caps and _joins_name(ctx, k)):
            k += 1
        else:
            break
    while k > i and not ctx.ws[k - 1].raw.isalpha():
        k -= 1
    return k if caps else None


def find_name(ctx: Context, i: int, head: str, *, loose: bool = True) -> tuple[int, KbEntity | None] | None:
    """The name written at word ``i`` for a title of head type ``head``: (end word, KB entity or None)."""
    if i >= len(ctx.ws) or not ctx.free(i, i + 1):
        return None
    if i > 0 and "\n" in ctx.text[ctx.ws[i - 1].end : ctx.ws[i].start]:
        return None  # "—Sonia Dridi, journaliste\n\nLes journalistes …": a new line names no one here
    match = ctx.match_at.get(i)
    person_head = head in ("person", "rank")
    kinds = frozenset({"person"}) if person_head else NAME_KINDS_ORG
    entity = _entity(match, kinds)
    if entity is not None and match is not None:
        return match.end, entity
    if match is not None and (
        match.of_kind("role") or match.of_kind("demonym") or _entity(match, AFFILIATION_KINDS)
    ):
        return None
    labels = frozenset({"PER", "PERSON"}) if person_head else frozenset({"ORG", "MISC", "PER", "PERSON"})
    end = _ner_end(ctx, i, labels)
    if end is None and loose and ctx.ws[i].raw[:1].isupper():
        end = _capitalised_run(ctx, i)
    if end is None:
        return None
    return end, None


def mention(
    ctx: Context,
    left: int,
    right: int,
    *,
    name: str,
    entity: KbEntity | None,
    kind: str,
    codings: tuple[Coding, ...],
    name_span: tuple[int, int] | None = None,
    stated: Coding | None = None,
    positions: tuple[str, ...] = (),
    former: bool = False,
    confidence: float = 1.0,
) -> ActorMention:
    start, end = ctx.ws[left].start, ctx.ws[right - 1].end
    ctx.used.update(range(left, right))
    return ActorMention(
        start=start,
        end=end,
        text=ctx.text[start:end],
        name=name,
        kb_id=entity.id if entity is not None else None,
        kind=kind,
        codings=codings,
        name_start=ctx.ws[name_span[0]].start if name_span else None,
        name_end=ctx.ws[name_span[1] - 1].end if name_span else None,
        stated=stated,
        positions=positions,
        former=former,
        confidence=confidence,
    )


def phrase_text(ctx: Context, left: int, right: int) -> str:
    return ctx.text[ctx.ws[left].start : ctx.ws[right - 1].end]


def first_entry(match: Match, kind: str) -> Entry | None:
    found = match.of_kind(kind)
    return found[0] if found else None
