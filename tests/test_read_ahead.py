"""The bundled rule files read ahead as JSON are their YAML files' data, made from today's
text, and a bundled file changed since its JSON was made is refused, never read stale."""

from __future__ import annotations

import functools
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

import kla_model as kla
from kla_model._base.strict_yaml import parse_yaml
from kla_model.errors import RuleSetError
from kla_model.rules import ruleset as ruleset_module
from kla_model.rules.read_ahead import FOLDER, read_ahead, read_ahead_text, write_all
from kla_model.rules.ruleset import RuleSet, _bundled_dir

NAMES = kla.bundled_rulesets()


def _same(a: Any, b: Any) -> bool:
    """Equal value for value and type for type (``1`` is not ``1.0``, a key stays a key)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[key], b[key]) for key in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def test_the_sameness_check_tells_types_and_keys_apart() -> None:
    assert _same({"a": [1, 2.5, "x", None, True]}, {"a": [1, 2.5, "x", None, True]})
    assert not _same({"a": 1}, {"a": 1.0})
    assert not _same({1: "x"}, {"1": "x"})
    assert not _same({"a": 1, "b": 2}, {"b": 2, "a": 1})
    assert not _same([True], [1])


def test_there_is_a_file_read_ahead_for_every_bundled_rule_file_and_no_other() -> None:
    folder = _bundled_dir() / FOLDER
    assert sorted(path.stem for path in folder.glob("*.json")) == sorted(NAMES)
    assert [path.name for path in folder.iterdir() if path.suffix != ".json"] == []


@pytest.mark.parametrize("name", NAMES)
def test_each_file_read_ahead_is_what_its_yaml_file_makes_today(name: str) -> None:
    """Byte for byte what ``python -m kla_model.rules.read_ahead`` writes from the YAML."""
    folder = _bundled_dir()
    made = read_ahead_text(folder.joinpath(f"{name}.yaml").read_bytes(), f"rules/{name}.yaml")
    assert folder.joinpath(FOLDER, f"{name}.json").read_text("utf-8") == made


@pytest.mark.parametrize("name", NAMES)
def test_each_file_read_ahead_holds_its_yaml_files_data(name: str) -> None:
    folder = _bundled_dir()
    text = folder.joinpath(f"{name}.yaml").read_text("utf-8")
    data, _ = read_ahead(folder, name)
    assert _same(data, parse_yaml(text, name, RuleSetError))


@pytest.mark.parametrize("name", NAMES)
def test_a_bundled_ruleset_is_the_one_its_yaml_file_builds(name: str) -> None:
    source = f"rules/{name}.yaml"
    from_yaml = RuleSet.from_yaml(_bundled_dir().joinpath(f"{name}.yaml").read_text(), source)
    bundled = kla.load_ruleset(name)
    assert bundled == from_yaml
    assert bundled.ref == from_yaml.ref
    assert bundled.to_dict() == from_yaml.to_dict()


def test_no_file_is_read_ahead_for_a_yaml_file_that_is_no_valid_rule_file() -> None:
    """The loader skips the schema pass for a file read ahead: the command makes none for a
    file that would fail it (or the build)."""
    text = _bundled_dir().joinpath("perpres-25-2021.yaml").read_bytes()
    for broken in (text.replace(b"max_score: 1000", b"max_score: many"), b"id: x\n"):
        with pytest.raises(RuleSetError):
            read_ahead_text(broken, "rules/broken.yaml")


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled folder, which the loader reads instead."""
    copy = tmp_path / "rules"
    shutil.copytree(_bundled_dir(), copy)
    monkeypatch.setattr(ruleset_module, "_bundled_dir", lambda: copy)
    # A loader with a cache of its own: the rulesets loaded so far stay the ones loaded.
    fresh = functools.cache(ruleset_module._load_bundled.__wrapped__)
    monkeypatch.setattr(ruleset_module, "_load_bundled", fresh)
    return copy


def test_a_yaml_file_changed_since_it_was_read_ahead_is_refused_naming_the_command(
    folder: Path,
) -> None:
    path = folder / "perpres-25-2021.yaml"
    made_from = json.loads((folder / FOLDER / "perpres-25-2021.json").read_text())["yaml_crc32"]
    path.write_text(
        path.read_text("utf-8").replace('version: "2025.1"', "version: 2025.1-changed"), "utf-8"
    )
    with pytest.raises(kla.RuleSetError) as raised:
        kla.load_ruleset("perpres-25-2021")
    (problem,) = raised.value.problems
    assert problem.location == "rules/perpres-25-2021.yaml"
    assert problem.message.startswith(
        "expected rules/read-ahead/perpres-25-2021.json, the file read ahead, made from this "
        "text (CRC-32 "
    )
    assert f"; found one made from other text (CRC-32 {made_from})" in problem.message
    assert problem.message.endswith(": run `python -m kla_model.rules.read_ahead`")
    write_all(folder)  # made again, it is read
    assert kla.load_ruleset("perpres-25-2021").version == "2025.1-changed"


def test_a_bundled_file_never_read_ahead_is_refused(folder: Path) -> None:
    (folder / FOLDER / "permen-pppa-12-2011.json").unlink()
    with pytest.raises(kla.RuleSetError, match=r"; found none: run `python -m kla_model"):
        kla.load_ruleset("permen-pppa-12-2011")


def test_line_ends_written_as_crlf_read_the_same(folder: Path) -> None:
    """A checkout that writes CRLF line ends has the same data, so its JSON still holds."""
    path = folder / "perpres-25-2021.yaml"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert kla.load_ruleset("perpres-25-2021").max_score == 1000
