"""The actor knowledge base under data/actors/: contents, consistency, and that it rebuilds identically."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from collections import Counter
from pathlib import Path

import pytest

from veille.annotate.actor_kb import code_table, load_kb
from veille.resources import data_path

REPO = Path(__file__).resolve().parents[3]
BUILT = ("countries.tsv", "entities.jsonl", "demonyms.tsv", "roles.tsv", "positions.tsv", "codes.tsv")


def test_sizes() -> None:
    kb = load_kb()
    kinds = Counter(e.kind for e in kb.entities.values())
    assert kinds["person"] > 10_000 and kinds["country"] > 200 and kinds["igo"] > 100 and kinds["media"] > 50
    assert len({code for _, _, code in kb.demonyms}) > 190
    assert sum(lang == "fr" for lang, _ in kb.roles) > 150


@pytest.mark.parametrize(
    ("kb_id", "code", "start", "end"),
    [
        ("per:mike_pompeo", "USAGOV", "2018-04-26", "2021-01-20"),
        ("per:donald_trump", "USAGOV", "2017-01-20", "2021-01-20"),
        ("per:jens_stoltenberg", "IGOWSTNAT", "2014-10-01", "2024-10-01"),
        ("per:mark_rutte", "IGOWSTNAT", "2024-10-01", None),
        ("per:qassem_soleimani", "IRNMIL", "1998-01-01", "2020-01-03"),
    ],
)
def test_curated_tenures(kb_id: str, code: str, start: str, end: str | None) -> None:
    entity = load_kb().entities[kb_id]
    wanted = (code, dt.date.fromisoformat(start), dt.date.fromisoformat(end) if end else None)
    assert wanted in {(c.code, c.start, c.end) for c in entity.codings}


def test_codings_are_well_formed() -> None:
    kb = load_kb()
    table = code_table()
    offices = set(kb.position_includes) | {p for _, role in kb.roles for p in role.positions}
    for entity in kb.entities.values():
        for coding in entity.codings:
            assert coding.start is None or coding.end is None or coding.start <= coding.end, entity.id
            if entity.id.startswith("per:"):
                assert coding.position, entity.id
                assert table.split(coding.code) == (coding.country, coding.role)
    used = {c.position for e in kb.entities.values() for c in e.codings if c.position}
    # Every office of a curated person can be named by some title (else no text could date it).
    assert used - offices <= {"cia_director", "security_council_secretary", "pope", "speaker"}


def test_code_table_splits_cameo_codes() -> None:
    table = code_table()
    assert table.split("BLRGOVMIL") == ("BLR", "GOV")
    assert table.split("EURMED") == ("EUR", "MED")
    assert table.split("---MED") == (None, "MED")
    assert table.split("IGOWSTNAT") == (None, None)


def test_demonyms_are_inflected() -> None:
    forms = {(form, code) for form, lang, code in load_kb().demonyms if lang == "fr"}
    for form in (
        "américain",
        "américaine",
        "américains",
        "américaines",
        "iranienne",
        "biélorusses",
        "grecque",
    ):
        assert any(f == form for f, _ in forms), form


@pytest.mark.slow
def test_build_script_reproduces_the_committed_files(tmp_path: Path, shared_dir: Path) -> None:
    spec = importlib.util.spec_from_file_location("build_actor_kb", REPO / "tools" / "build_actor_kb.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_actor_kb"] = module
    spec.loader.exec_module(module)
    out = tmp_path / "actors"
    (out / "curated").mkdir(parents=True)
    for path in data_path("actors/curated").iterdir():
        (out / "curated" / path.name).write_bytes(path.read_bytes())
    assert module.main(["--reference", str(shared_dir / "reference"), "--out", str(out)]) == 0
    for name in BUILT:
        assert (out / name).read_text(encoding="utf-8") == data_path(f"actors/{name}").read_text(
            encoding="utf-8"
        ), name
