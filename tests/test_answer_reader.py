"""A submission read with the compiled schema check and its numbers checked as they are read
is what the full validator alone gives (where jsonschema-rs does not install): the same
submission, or the same problems, worded the same."""

from __future__ import annotations

import json
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kla_model as kla
from conftest import ROOT
from kla_model._base import json_schema
from kla_model.errors import SubmissionError
from kla_model.rules.answers import indicator_answer_from_data
from kla_model.submissions.answer_reader import UnusableNumberError, read_answers
from profiles import examples
from schema_strategies import HOSTILE, documents, mutated
from stage_strategies import submissions_with_history
from strategies import submission_mappings

BUNDLED = kla.load_ruleset("perpres-25-2021")
EXAMPLE = json.loads((ROOT / "examples" / "kota-tangerang-2025.json").read_text("utf-8"))


def _read(data: Any) -> tuple[str, Any]:
    try:
        submission = kla.Submission.from_mapping(data, source="s")
    except SubmissionError as error:
        return "refused", [str(problem) for problem in error.problems]
    return "read", (submission, submission.data_years)


def _full_path(data: Any) -> tuple[str, Any]:
    """What ``from_mapping`` says without the compiled check: the full validator alone."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(json_schema, "_surely_valid", lambda *_: False)
        return _read(data)


#: What a measured answer's numbers could be instead: what the reader must refuse or convert.
_ODD_NUMBERS = st.one_of(
    st.sampled_from([float("nan"), float("inf"), -float("inf"), 10**400, True, 2024.0, None]),
    HOSTILE,
)


def _changed(draw: st.DrawFn, answer: Any) -> Any:
    if isinstance(answer, dict) and "value" in answer and draw(st.booleans()):
        return {**answer, draw(st.sampled_from(["value", "data_year"])): draw(_ODD_NUMBERS)}
    return draw(HOSTILE)


@st.composite
def _answer_changed(draw: st.DrawFn, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with one answer (or one item's answer) replaced by a hostile value."""
    answers = dict(data["answers"])
    if not answers:
        return data
    key = draw(st.sampled_from(sorted(answers)))
    answer = answers[key]
    if isinstance(answer, dict) and isinstance(answer.get("items"), dict) and answer["items"]:
        items = dict(answer["items"])
        item = draw(st.sampled_from(sorted(items)))
        items[item] = _changed(draw, items[item])
        answers[key] = {"items": items}
    else:
        answers[key] = _changed(draw, answer)
    return {**data, "answers": answers}


@settings(max_examples=examples(150), suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_compiled_check_and_the_reader_give_what_the_full_validator_gives(
    data: st.DataObject,
) -> None:
    source = data.draw(
        st.one_of(
            st.just(EXAMPLE),
            submission_mappings(BUNDLED),
            documents("submission").filter(lambda d: isinstance(d, dict)),
        )
    )
    document = data.draw(
        st.one_of(st.just(source), _answer_changed(source), mutated(source)), label="document"
    )
    assert _read(document) == _full_path(document)


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("value", float("nan"), "expected a finite number; found nan"),
        ("value", float("inf"), "expected a finite number; found inf"),
        (
            "value",
            10**400,
            "expected a number within the range of a float; found an integer of 401 digits",
        ),
        ("data_year", 10**400, "an integer of 401 digits"),
        ("value", True, "expected a number; found true"),  # a boolean is no number
    ],
)
def test_an_unusable_number_is_refused_naming_it(field: str, value: Any, expected: str) -> None:
    data = {**EXAMPLE, "answers": {"I.1": {"value": 96.8, "data_year": 2024, field: value}}}
    verdict, problems = _read(data)
    assert verdict == "refused"
    assert len(problems) == 1
    assert problems[0].startswith(f's: $.answers["I.1"].{field}: ')
    assert expected in problems[0]
    assert _read(data) == _full_path(data)


def test_a_whole_float_year_is_read_as_the_year_it_writes() -> None:
    data = {**EXAMPLE, "answers": {"I.1": {"value": 96.8, "data_year": 2024.0}}}
    answer = kla.Submission.from_mapping(data).answers["I.1"]
    assert answer == kla.Measurement(96.8, 2024)
    assert type(answer.data_year) is int
    assert _read(data) == _full_path(data)


def test_every_unusable_number_is_listed_in_document_order() -> None:
    data = {
        **EXAMPLE,
        "answers": {"I.1": {"value": float("nan")}, "I.2": {"value": -float("inf")}},
    }
    assert _read(data) == (
        "refused",
        [
            's: $.answers["I.1"].value: expected a finite number; found nan',
            's: $.answers["I.2"].value: expected a finite number; found -inf',
        ],
    )


@pytest.mark.parametrize("value", [float("nan"), float("inf"), 10**400])
def test_the_reader_raises_at_an_unusable_number(value: Any) -> None:
    with pytest.raises(UnusableNumberError):
        read_answers({"I.1": {"items": {"I.1.1": {"value": value}}}})


def test_the_reader_reads_every_kind_of_answer() -> None:
    answers = read_answers(
        {
            "A": True,
            "B": "ada",
            "C": ["a", "b"],
            "D": {"value": 3, "data_year": 2024},
            "E": {"items": {"x": False, "y": ["t"], "z": {"value": 1.5}}},
        }
    )
    assert answers == {
        "A": True,
        "B": "ada",
        "C": ("a", "b"),
        "D": kla.Measurement(3.0, 2024),
        "E": kla.ItemAnswers({"x": False, "y": ("t",), "z": kla.Measurement(1.5)}),
    }
    assert type(answers["D"].value) is float  # type: ignore[union-attr]


def test_the_reader_reads_what_the_example_holds() -> None:
    answers = read_answers(EXAMPLE["answers"])
    assert answers == dict(kla.Submission.from_mapping(EXAMPLE).answers)
    assert len(answers) == len(EXAMPLE["answers"])


def test_the_reader_makes_what_the_constructors_make() -> None:
    """The reader makes measurements and item answers field by field (the classes check
    nothing it has not); they equal, and print as, what the constructors make."""
    answers = read_answers(EXAMPLE["answers"])
    for key, entry in EXAMPLE["answers"].items():
        made = indicator_answer_from_data(entry)
        assert answers[key] == made
        assert repr(answers[key]) == repr(made)
    fields = attrs.fields(kla.Measurement)
    assert all(field.validator is None and field.converter is None for field in fields)


def test_an_unusable_number_in_a_corrected_value_is_refused_naming_it() -> None:
    data = json.loads(json.dumps(EXAMPLE))
    corrections = [record for record in data["verification"] if record["action"] == "correct"]
    corrections[0]["value"] = {"value": float("inf")}
    index = data["verification"].index(corrections[0])
    assert _read(data) == (
        "refused",
        [f"s: $.verification[{index}].value.value: expected a finite number; found inf"],
    )
    assert _read(data) == _full_path(data)


def test_the_schema_allows_numbers_only_where_the_reader_checks_them() -> None:
    """A measurement's value and a year (the submission's, a data year): the reader checks
    the answers' and the corrected values' numbers, and nothing else of a record holds one."""
    found = []

    def walk(node: Any, path: str) -> None:
        if isinstance(node, dict):
            kinds = node.get("type")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if {"number", "integer"} & set(kinds):
                found.append(path)
            for key, value in node.items():
                walk(value, f"{path}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{path}/{index}")

    walk(json_schema.schema("submission"), "")
    assert found == ["/$defs/year", "/$defs/measurement/properties/value"]


class _Level(str):
    """A level id of a ``str`` subclass, as a Python caller may pass one."""


def _deep_types(answers: Any) -> list[tuple[str, type]]:
    """The type of every answer and item answer, by where it is."""
    found = []
    for key, answer in answers.items():
        found.append((key, type(answer)))
        if isinstance(answer, kla.ItemAnswers):
            found += [(f"{key}/{item}", type(a)) for item, a in answer.items.items()]
    return found


def _data_with_odd_answers(draw: st.DataObject, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with its level answers perhaps given as a ``str`` subclass."""
    if not draw.draw(st.booleans(), label="a str subclass for levels"):
        return data

    def odd(value: Any) -> Any:
        return _Level(value) if type(value) is str else value

    answers = {
        key: {"items": {k: odd(v) for k, v in value["items"].items()}}
        if isinstance(value, dict) and "items" in value
        else odd(value)
        for key, value in data["answers"].items()
    }
    return {**data, "answers": answers}


@settings(max_examples=examples(100), suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_read_submission_is_what_the_public_constructor_makes_of_its_answers(
    data: st.DataObject,
) -> None:
    """``from_mapping`` sets the fields the reader found (data years, well-typedness) in
    one pass; the constructor, given the same answers, finds every field the same."""
    document = data.draw(
        st.one_of(
            st.just(EXAMPLE),
            submission_mappings(BUNDLED),
            submissions_with_history().map(lambda s: s.to_dict()),
        ),
        label="document",
    )
    document = _data_with_odd_answers(data, document)
    read = kla.Submission.from_mapping(document, source="s")
    made = kla.Submission(
        kla.Region.from_dict(document["region"]),
        document["year"],
        {key: indicator_answer_from_data(value) for key, value in document["answers"].items()},
        note=document.get("note"),
        origin="s",
        evidence=read.evidence,
        verification=read.verification,
    )
    for field in attrs.fields(kla.Submission):
        assert getattr(read, field.name) == getattr(made, field.name), field.name
    assert _deep_types(read.answers) == _deep_types(made.answers)
    assert type(read.answers) is type(made.answers)
    assert read == made
    assert repr(read) == repr(made)


def test_a_str_subclass_answer_is_read_as_given_and_not_well_typed() -> None:
    document = {**EXAMPLE, "answers": {"I.1": {"items": {"I.1.1": _Level("ada")}}}}
    read = kla.Submission.from_mapping(document)
    item = read.answers["I.1"].items["I.1.1"]  # type: ignore[union-attr]
    assert type(item) is _Level
    assert not read.well_typed
    assert kla.Submission.from_mapping(EXAMPLE).well_typed


def test_a_subclass_reads_through_its_own_constructor() -> None:
    @attrs.frozen
    class Marked(kla.Submission):
        def __attrs_post_init__(self) -> None:
            super().__attrs_post_init__()
            object.__setattr__(self, "note", "marked")

    read = Marked.from_mapping(EXAMPLE)
    plain = kla.Submission.from_mapping(EXAMPLE)
    assert type(read) is Marked
    assert read.note == "marked"
    assert (read.answers, read.data_years, read.well_typed) == (
        plain.answers,
        plain.data_years,
        plain.well_typed,
    )


def test_the_schema_checks_all_that_a_region_checks() -> None:
    """``from_mapping`` sets a region's fields as the schema check accepted them: the schema
    must refuse whatever :class:`Region` refuses (an empty text, an unknown kind)."""
    from kla_model._base.json_schema import schema  # noqa: PLC0415
    from kla_model.rules.model import REGION_KINDS  # noqa: PLC0415

    region = schema("submission")["$defs"]["region"]
    assert tuple(region["properties"]["kind"]["enum"]) == REGION_KINDS
    assert set(region["required"]) == {field.name for field in attrs.fields(kla.Region)}
    for name in ("code", "name", "province"):
        assert region["properties"][name]["minLength"] == 1
    document = {**EXAMPLE, "region": {**EXAMPLE["region"], "kind": "negara"}}
    with pytest.raises(kla.SubmissionError, match=r"region\.kind: expected one of"):
        kla.Submission.from_mapping(document)
