"""The knowledge files read the same whichever YAML parser reads them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from veille.resources import YAML_LOADER, data_path, load_yaml

_DATA = data_path("README.md").parent
_FILES = sorted(str(p.relative_to(_DATA)) for p in _DATA.rglob("*.yaml"))


def test_there_are_knowledge_files() -> None:
    assert len(_FILES) >= 10


@pytest.mark.parametrize("relative", _FILES)
def test_the_fast_parser_gives_the_pure_python_values(relative: str) -> None:
    text = Path(_DATA / relative).read_text(encoding="utf-8")
    assert load_yaml(relative) == yaml.load(text, Loader=yaml.SafeLoader)


def test_the_loader_is_a_safe_one() -> None:
    # A tag that builds an arbitrary Python object must be refused, with either parser.
    with pytest.raises(yaml.constructor.ConstructorError):
        yaml.load("!!python/object/apply:os.system ['true']", Loader=YAML_LOADER)
