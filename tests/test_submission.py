"""Submissions: building from mappings and files, errors that name the field, lossless data."""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kla_model as kla
from kla_model import Measurement, Submission, SubmissionError
from kla_model.submissions.submission import ItemAnswers
from profiles import examples
from strategies import REGION, ruleset_and_submission

Mapping = dict[str, Any]


def _problems(data: Any) -> list[str]:
    with pytest.raises(SubmissionError) as raised:
        Submission.from_mapping(data, source="s.yaml")
    return [str(problem) for problem in raised.value.problems]


def _valid(**answers: Any) -> Mapping:
    return {"region": dict(REGION), "year": 2025, "answers": answers}


def test_answers_take_every_documented_form() -> None:
    sub = Submission.from_mapping(
        _valid(
            **{
                "I.1": {"value": 86.4, "data_year": 2024},
                "K.1": {"items": {"K.1.1": True, "K.1.2": "perda", "K.1.4": ["forum-anak"]}},
                "III.6": "perda",
            }
        )
    )
    assert sub.answers["I.1"] == Measurement(86.4, 2024)
    assert sub.answers["K.1"] == ItemAnswers(
        {"K.1.1": True, "K.1.2": "perda", "K.1.4": ("forum-anak",)}
    )
    assert sub.answers["III.6"] == "perda"
    assert sub.region == kla.Region("99.01", "Kota Contoh", "kota", "Provinsi Contoh")


def test_missing_and_misspelt_fields_are_named() -> None:
    data = {"region": {"code": "1", "name": "X", "kind": "kota"}, "yaer": 2025, "answers": {}}
    assert _problems(data) == [
        "s.yaml: $: 'year' is a required property",
        "s.yaml: $: unknown field(s) 'yaer'; allowed: answers, evidence, note, region, verification, year",
        "s.yaml: $.region: 'province' is a required property",
    ]


def test_wrong_types_say_what_was_expected_and_found() -> None:
    data = _valid(**{"I.1": {"value": "86"}, "K.1": {"items": {"K.1.1": 3}}})
    data["year"] = "2025"
    data["region"]["kind"] = "kecamatan"
    problems = _problems(data)
    # a mapping with a value is a measurement: the problem names the field, not the forms
    assert problems[0] == "s.yaml: $.answers[\"I.1\"].value: expected a number; found '86'"
    assert problems[1].startswith(
        's.yaml: $.answers["K.1"].items["K.1.1"]: expected an item answer'
    )
    assert problems[1].endswith("found 3")
    assert (
        "s.yaml: $.region.kind: expected one of ['kabupaten', 'kota', 'desa', 'kelurahan']; found 'kecamatan'"
        in problems
    )
    assert "s.yaml: $.year: expected a whole number; found '2025'" in problems


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_numbers_are_refused(bad: float) -> None:
    assert _problems(_valid(**{"I.1": {"value": bad, "data_year": 2024}})) == [
        f's.yaml: $.answers["I.1"].value: expected a finite number; found {bad}'
    ]
    nested = _valid(**{"K.9": {"items": {"K.9.1": {"value": bad}}}})
    assert _problems(nested) == [
        f's.yaml: $.answers["K.9"].items["K.9.1"].value: expected a finite number; found {bad}'
    ]


def test_a_non_mapping_is_refused() -> None:
    assert _problems([1, 2]) == ["s.yaml: expected a mapping; found list"]


def test_example_file_loads_and_round_trips(example: Submission) -> None:
    assert example.region.name == "Kota Tangerang"
    assert example.year == 2025
    assert "illustrative" in (example.note or "").lower()
    assert Submission.from_mapping(example.to_dict()) == example


def test_json_files_load_like_yaml(tmp_path: Path, example: Submission) -> None:
    path = tmp_path / "sub.json"
    path.write_text(json.dumps(example.to_dict()))
    assert kla.load_submission(path) == example


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=20,
)
odd_values = (
    json_values
    | st.tuples(st.integers())
    | st.sets(st.integers(), max_size=3)
    | st.binary(max_size=4)
)
near_valid = st.fixed_dictionaries(
    {
        "region": st.one_of(st.just(dict(REGION)), odd_values),
        "year": st.one_of(st.integers(1800, 2300), odd_values),
        "answers": st.dictionaries(
            st.sampled_from(["I.1", "K.1", "x y", ""]) | st.text(max_size=5), odd_values, max_size=4
        ),
    },
    optional={"note": odd_values, "extra": odd_values},
)


@settings(max_examples=examples(400))
@given(
    st.one_of(
        near_valid, st.dictionaries(st.text(max_size=8) | st.integers(), odd_values, max_size=5)
    )
)
def test_any_mapping_builds_or_raises_a_kla_error(data: Mapping) -> None:
    before = copy.deepcopy(data)
    try:
        sub = Submission.from_mapping(data)
    except kla.KlaError as error:
        message = str(error)  # a message, never an empty error
        assert message.startswith("submission: ")
    else:
        assert Submission.from_mapping(sub.to_dict()) == sub
    assert data == before  # the input was not changed


@settings(max_examples=examples(150))
@given(ruleset_and_submission())
def test_round_trip_is_lossless(case: tuple[kla.RuleSet, Mapping, Mapping]) -> None:
    _, _, data = case
    sub = Submission.from_mapping(data)
    assert Submission.from_mapping(sub.to_dict()) == sub
    assert sub.to_dict()["answers"].keys() == data["answers"].keys()
