"""The strict reader: hostile files are refused with a located, worded problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from kla_model import RuleSetError, SubmissionError, load_ruleset, load_submission
from kla_model._base.strict_yaml import load_data_file, parse_json, parse_yaml


def _problem(error: pytest.ExceptionInfo[RuleSetError]) -> str:
    assert len(error.value.problems) == 1
    return str(error.value.problems[0])


def test_python_tags_are_refused_and_nothing_runs(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    path = tmp_path / "evil.yaml"
    path.write_text(f"id: !!python/object/apply:os.system ['touch {marker}']\n")
    with pytest.raises(RuleSetError) as raised:
        load_ruleset(path)
    assert _problem(raised) == (
        f"{path}: line 1, column 5: the tag 'tag:yaml.org,2002:python/object/apply:os.system' "
        "is not allowed: kla_model files hold plain data only"
    )
    assert not marker.exists()


def test_custom_tags_are_refused() -> None:
    with pytest.raises(
        SubmissionError, match=r"line 2, column 4: the tag '!include' is not allowed"
    ):
        parse_yaml(
            "a: 1\nb: c\nd: 2\n".replace("b: c", "b: !include other.yaml"),
            "s.yaml",
            SubmissionError,
        )


def test_duplicate_keys_are_refused_with_their_line() -> None:
    text = "region: {}\nyear: 2025\nyear: 2026\n"
    with pytest.raises(SubmissionError) as raised:
        parse_yaml(text, "dup.yaml", SubmissionError)
    assert str(raised.value.problems[0]) == "dup.yaml: line 3, column 1: duplicate key 'year'"


def test_duplicate_keys_in_json_are_refused() -> None:
    with pytest.raises(SubmissionError, match=r"dup.json: invalid JSON: duplicate key 'year'"):
        parse_json('{"year": 2025, "year": 2026}', "dup.json", SubmissionError)


def test_an_alias_bomb_is_refused_before_expansion() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8)
    )
    with pytest.raises(RuleSetError) as raised:
        parse_yaml(bomb, "bomb.yaml", RuleSetError)
    assert _problem(raised) == (
        "bomb.yaml: line 2, column 8: an alias ('*a') was found; aliases are not allowed in "
        "kla_model files: write the value out in full"
    )


def test_an_oversized_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text("x: " + "y" * 5000)
    with pytest.raises(RuleSetError) as raised:
        load_data_file(path, RuleSetError, max_bytes=1000)
    assert _problem(raised) == f"{path}: the file is 5,003 bytes; the limit is 1,000 bytes"


def test_deep_nesting_is_refused() -> None:
    with pytest.raises(SubmissionError, match="nested too deeply"):
        parse_yaml("[" * 100_000, "deep.yaml", SubmissionError)


def test_dates_stay_strings_and_yaml_booleans_are_booleans() -> None:
    assert parse_yaml("d: 2024-05-01\nb: true", "x", RuleSetError) == {"d": "2024-05-01", "b": True}


def test_empty_missing_and_binary_files_are_named(tmp_path: Path) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_text("  \n")
    with pytest.raises(SubmissionError, match=r"empty.yaml: the file is empty"):
        load_submission(empty)
    with pytest.raises(SubmissionError, match=r"nope.yaml: cannot read the file: No such file"):
        load_submission(tmp_path / "nope.yaml")
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"\xff\xfe\x00x")
    with pytest.raises(SubmissionError, match=r"bin.yaml: the file is not UTF-8 text"):
        load_submission(binary)


def test_syntax_errors_carry_the_position() -> None:
    with pytest.raises(
        RuleSetError,
        match=r"bad.yaml: line 2, column 2: invalid YAML: while parsing a flow sequence",
    ):
        parse_yaml("a: [1, 2\nb: 3\n", "bad.yaml", RuleSetError)
    with pytest.raises(
        RuleSetError, match=r"bad.json: line 1, column 9: invalid JSON: Expecting property name"
    ):
        parse_json('{"a": 1,,}', "bad.json", RuleSetError)


def test_several_documents_are_refused() -> None:
    with pytest.raises(RuleSetError, match="expected a single document"):
        parse_yaml("a: 1\n---\nb: 2\n", "two.yaml", RuleSetError)
