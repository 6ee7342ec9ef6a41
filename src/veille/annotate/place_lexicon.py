"""Place-recognition lexicons of one language: demonyms, place nouns, locative words, stop lists.

Loaded once per language from ``data/geo/rules.yaml``, ``data/geo/demonyms.tsv`` and the English
demonyms of ``data/geo/countries.tsv``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from veille.resources import load_tsv, load_yaml


def french_inflections(form: str) -> tuple[str, ...]:
    """Masculine singular French adjective of country → its four forms (russe → russe, russes)."""
    if form.endswith("ien"):
        return (form, form + "s", form + "ne", form + "nes")
    if form.endswith(("ais", "ois")):
        return (form, form + "e", form + "es")
    if form.endswith("e"):
        return (form, form + "s")
    if form.endswith("c"):  # grec → grecque, turc → turque
        stem = form[:-1] + ("cqu" if form.endswith("ec") else "qu")
        return (form, form + "s", stem + "e", stem + "es")
    if form.endswith("on"):  # letton → lettonne
        return (form, form + "s", form + "ne", form + "nes")
    return (form, form + "s", form + "e", form + "es")


@dataclass(frozen=True)
class PlaceLexicon:
    lang: str
    leading: tuple[str, ...]
    place_nouns: dict[str, str]  # lower-case noun → kind
    locative: frozenset[str]  # lower case, one or two words
    not_places: frozenset[str]
    person_titles: frozenset[str]
    part_words: frozenset[str]  # "North" in "North Georgia": a part of the place named after it
    division_words: frozenset[str]  # lower case: "state" in "Washington state", "État de Washington"
    demonyms: dict[str, str | None]  # case-folded form → ISO2 country (None: a region's people)

    def demonym_country(self, text: str) -> tuple[bool, str | None]:
        """Whether ``text`` is an adjective/demonym of place, and the country it implies."""
        key = text.casefold().replace("’", "'")
        if key in self.demonyms:
            return True, self.demonyms[key]
        # Compounds: "russo-iraniennes", "sud-coréen" (kept whole above when listed).
        if "-" in key:
            parts = key.split("-")
            last = parts[-1]
            if last in self.demonyms and all(p.endswith("o") or p in self.demonyms for p in parts[:-1]):
                return True, None
        return False, None


@cache
def lexicon(lang: str) -> PlaceLexicon:
    rules_all = load_yaml("geo/rules.yaml")
    rules = rules_all.get(lang) or rules_all["en"]
    demonyms: dict[str, str | None] = {}
    for row in load_tsv("geo/demonyms.tsv"):
        if row["lang"] != lang:
            continue
        forms = french_inflections(row["form"]) if lang == "fr" else (row["form"], row["form"] + "s")
        for form in forms:
            demonyms.setdefault(form.casefold(), row["country"] or None)
    if lang == "en":
        for row in load_tsv("geo/countries.tsv"):
            demonym = row["demonym_en"]
            if demonym:
                demonyms.setdefault(demonym.casefold(), row["iso2"])
                demonyms.setdefault(demonym.casefold() + "s", row["iso2"])
    return PlaceLexicon(
        lang=lang,
        leading=tuple(sorted(rules["leading"], key=len, reverse=True)),
        place_nouns={str(k).casefold(): str(v) for k, v in rules["place_nouns"].items()},
        locative=frozenset(w.casefold() for w in rules["locative"]),
        not_places=frozenset(rules["not_places"]),
        person_titles=frozenset(rules["person_titles"]),
        part_words=frozenset(rules.get("part_words", ())),
        division_words=frozenset(w.casefold() for w in rules.get("division_words", ())),
        demonyms=demonyms,
    )
