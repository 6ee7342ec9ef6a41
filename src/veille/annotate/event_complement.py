"""The second pass of event matching: one frame per token, and governors of a complement.

A governor ("menacer de frapper", "ont accepté de déployer", "exige la libération") absorbs its
complement's event, hands its modality and subject over to it, or takes a code from it, as the
data says (``complement``, ``keep_complement``, ``complement_nouns`` in the pattern files).
"""

from __future__ import annotations

from spacy.tokens import Token

from veille.annotate.event_lexicon import Frame
from veille.annotate.event_match import Candidate
from veille.annotate.event_syntax import Syntax

_DEMAND = "10"  # CAMEO's demand family


def _complement_code(frame: Frame, code: str) -> str | None:
    for prefix, mapped in frame.complement:
        if code.startswith(prefix):
            return mapped
    return None


def second_pass(found: dict[int, list[Candidate]], syntax: Syntax) -> list[Candidate]:
    """Choose one frame per token, letting governors absorb or hand over their complement's event."""
    chosen: dict[int, Candidate] = {}
    for i, cands in found.items():
        for cand in cands:
            if not cand.frame.governs_complement and "complement" not in cand.frame.when.requires_any:
                chosen[i] = cand
                break
            comp = _resolve_complement(cand, found, syntax)
            if comp or "complement" not in cand.frame.when.requires_any:
                chosen[i] = cand
                break
    for cand in list(chosen.values()):
        if cand.frame.governs_complement:
            _apply_complement(cand, chosen, syntax)
    return [c for c in chosen.values() if not c.dropped]


def _complement_tokens(cand: Candidate, syntax: Syntax) -> list[Token]:
    heads = syntax.complement_heads(cand.token)
    nominal = syntax.nominal_dependents(cand.token)
    # "a promis de poursuivre l'aide", "promised to continue aid": the content noun of a bare complement.
    for head in heads[:3]:
        nominal += syntax.objects(head)
    return heads + nominal


def _resolve_complement(cand: Candidate, found: dict[int, list[Candidate]], syntax: Syntax) -> bool:
    tokens = _complement_tokens(cand, syntax)
    if any(t.i in found for t in tokens):
        return True
    return any(words.contains(t) for t in tokens for words, _ in cand.frame.complement_nouns)


def _apply_complement(gov: Candidate, chosen: dict[int, Candidate], syntax: Syntax) -> None:
    frame = gov.frame
    for token in _complement_tokens(gov, syntax):
        comp = chosen.get(token.i)
        if comp is None or comp is gov or comp.dropped:
            continue
        if frame.absorbs_complement:
            comp.dropped = True
            return
        if any(comp.code.startswith(p) for p in frame.keep_complement):
            # "ont accepté de déployer": the deployment is the event; the acceptance only frames it.
            gov.dropped = True
            comp.modality = frame.complement_modality or comp.modality
            if not comp.roles.find("subj"):
                comp.inherited_source = gov.roles.find("subj")
            return
        mapped = _complement_code(frame, comp.code)
        gov.code = mapped or frame.code
        comp.dropped = True
        if not any(gov.roles.find(r) for r in frame.target):
            # "wants to help Canada": the absorbed act's target is the intent's target.
            gov.inherited_target = next(
                ((r, heads) for r in comp.frame.target if (heads := comp.roles.find(r))), None
            )
            if gov.code.startswith(_DEMAND) and (subject := comp.roles.find("subj")):
                # "demanded that Argentina release the prisoners": whoever is to act is the one asked.
                gov.inherited_target = ("subj", subject)
        return
    for token in _complement_tokens(gov, syntax):
        for words, code in frame.complement_nouns:
            if words.contains(token):
                gov.code = code
                return
