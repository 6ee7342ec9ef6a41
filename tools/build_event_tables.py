#!/usr/bin/env python3
"""Regenerate the CAMEO / PLOVER / Goldstein tables under ``src/veille/data/events/``.

The package must never read ``../shared`` at run time, so the reference tables are converted once
into versioned files shipped with veille. Run from the repository root::

    python tools/build_event_tables.py [--reference ../shared/reference]

Inputs (see ``../shared/reference/README.md`` for their upstream sources and licences):

* ``cameo_eventcodes.tsv`` — CAMEO labels, Goldstein scores and quad classes (GDELT lookups);
* ``cameo_to_plover.tsv`` — CAMEO → PLOVER 2021 mapping (openeventdata/PLOVER, CC BY-SA 4.0);
* ``cameo_countries.tsv`` — the CAMEO country codes (openeventdata/petrarch2, MIT).

Outputs:

* ``cameo_codes.tsv`` — one row per CAMEO code: label, Goldstein, quad class, PLOVER type/mode/context;
* ``iso2_cameo.tsv`` — ISO 3166-1 alpha-2 → CAMEO country code (needs ``pycountry`` at build time only),
  used to turn a geocoded place (``Place.country`` is ISO2) into the country code of a visit target.

Known upstream defects are repaired here (and listed in the file header): the GDELT label file merges
``1056`` and ``106`` on one line, and ``044`` carries mis-decoded quotes.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "veille" / "data" / "events"

# ISO codes whose CAMEO country code is not the ISO alpha-3 code.
ISO2_EXCEPTIONS = {"XK": "KSV", "TL": "TMP"}

_MERGED = re.compile(r"^(?P<label>.*?)(?P<code>\d{3,4}):\[(?P<gold>-?\d+(?:\.\d+)?)\]\s*(?P<label2>.+)$")


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def quad_class(code: str) -> int:
    root = int(code[:2])
    return 1 if root <= 5 else 2 if root <= 9 else 3 if root <= 14 else 4


def cameo_rows(reference: Path) -> tuple[list[list[str]], list[str]]:
    labels = read_tsv(reference / "cameo_eventcodes.tsv")
    plover = {row["cameo_code"]: row for row in read_tsv(reference / "cameo_to_plover.tsv")}
    fixes: list[str] = []
    table: dict[str, dict[str, str]] = {}
    for row in labels:
        code, label = row["cameo_code"], row["label"]
        merged = _MERGED.match(label)
        if merged:
            # "Demand de-escalation of military engagement106:[-5.0] Demand withdrawal": two rows in one.
            table[code] = {"label": merged["label"].strip(), "goldstein": row["goldstein"]}
            table[merged["code"]] = {"label": merged["label2"].strip(), "goldstein": merged["gold"]}
            fixes.append(f"{code}/{merged['code']}: split a merged GDELT label line")
            continue
        if "\u00d2" in label or "\u00d3" in label:
            label = label.replace("\u00d2", "t").replace("\u00d3", " ").replace("  ", " ")
            fixes.append(f"{code}: repaired mis-decoded quotes in the label")
        table[code] = {"label": label.strip(), "goldstein": row["goldstein"]}
    for code, row in plover.items():
        if code not in table:
            # PLOVER lists a few codes GDELT's label file lacks (1213, 1214): label from PLOVER, no Goldstein.
            table[code] = {"label": row["cameo_label"], "goldstein": ""}
            fixes.append(f"{code}: label from the PLOVER table (absent from GDELT's list, no Goldstein)")
    out: list[list[str]] = []
    for code in sorted(table, key=lambda c: (c[:2], c)):
        entry = table[code]
        mapping = plover.get(code, {})
        out.append(
            [
                code,
                entry["label"],
                entry["goldstein"],
                str(quad_class(code)),
                mapping.get("plover_event_type", ""),
                mapping.get("plover_mode", ""),
                mapping.get("plover_context", ""),
            ]
        )
    return out, fixes


def iso2_rows(reference: Path) -> list[list[str]]:
    import pycountry  # build-time only

    cameo = {row["code"] for row in read_tsv(reference / "cameo_countries.tsv")}
    rows: list[list[str]] = []
    for country in pycountry.countries:
        code = ISO2_EXCEPTIONS.get(country.alpha_2, country.alpha_3)
        if code in cameo:
            rows.append([country.alpha_2, code])
    for iso2, code in ISO2_EXCEPTIONS.items():
        if code in cameo and [iso2, code] not in rows:
            rows.append([iso2, code])
    return sorted(rows)


def write(path: Path, header: list[str], columns: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        for line in header:
            handle.write(f"# {line}\n" if line else "#\n")
        handle.write("\t".join(columns) + "\n")
        for row in rows:
            if any("\t" in cell or "\n" in cell for cell in row):
                raise ValueError(f"tab or newline in a cell: {row!r}")
            handle.write("\t".join(row) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=ROOT.parent / "shared" / "reference")
    args = parser.parse_args(argv)
    reference: Path = args.reference
    if not (reference / "cameo_eventcodes.tsv").exists():
        print(f"reference tables not found under {reference}", file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    rows, fixes = cameo_rows(reference)
    write(
        OUT / "cameo_codes.tsv",
        [
            "CAMEO event codes: label, Goldstein score, quad class and PLOVER 2021 mapping.",
            "Sources: GDELT lookups CAMEO.eventcodes.txt and CAMEO.goldsteinscale.txt (GDELT Project,",
            "https://www.gdeltproject.org/data/lookups/, citation requested; CAMEO codebook by",
            "Schrodt et al.);",
            "PLOVER mapping CAMEO2PLOVER-2021.txt from openeventdata/PLOVER @ 5e0c24fb, licence CC BY-SA 4.0",
            "(Open Event Data Alliance): the plover_* columns of this file stay CC BY-SA 4.0.",
            "quad_class: 1 verbal cooperation (01-05), 2 material cooperation (06-09), 3 verbal conflict",
            "(10-14), 4 material conflict (15-20). Empty plover_type: CAMEO 01x/02x, dropped by PLOVER.",
            "Repairs: " + ("; ".join(fixes) if fixes else "none"),
            "Regenerate: python tools/build_event_tables.py (reads ../shared/reference/).",
            "",
        ],
        ["code", "label", "goldstein", "quad_class", "plover", "plover_mode", "plover_context"],
        rows,
    )
    write(
        OUT / "iso2_cameo.tsv",
        [
            "ISO 3166-1 alpha-2 -> CAMEO country code, for countries that have a CAMEO code.",
            "Sources: pycountry (ISO 3166, LGPL-2.1, used at build time only) and the CAMEO country list",
            "derived from openeventdata/petrarch2 Phoenix.Countries.actors.txt (MIT).",
            "Regenerate: python tools/build_event_tables.py (reads ../shared/reference/).",
            "",
        ],
        ["iso2", "cameo"],
        iso2_rows(reference),
    )
    print(f"wrote {len(rows)} CAMEO codes and the ISO2 table to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
