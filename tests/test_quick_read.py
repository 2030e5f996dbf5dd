"""The quick reader of submissions (the compiled check's word, numbers checked as they are
read) gives exactly what the full path gives: the same submission, or the same problems."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kla_model as kla
from conftest import ROOT
from kla_model._base import json_schema
from kla_model.errors import SubmissionError
from kla_model.submissions.quick_read import quick_answers
from profiles import examples
from schema_strategies import HOSTILE, documents, mutated
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
    """What ``from_mapping`` says without the compiled check: the full path alone."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(json_schema, "_surely_valid", lambda *_: False)
        return _read(data)


#: What a measured answer's numbers could be instead: what the quick reader must leave alone.
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
def test_the_quick_reader_never_changes_what_from_mapping_gives(data: st.DataObject) -> None:
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
    ("field", "value"),
    [
        ("value", float("nan")),
        ("value", float("inf")),
        ("value", 10**400),
        ("value", True),  # a boolean is no number
        ("data_year", 2024.0),  # a whole float: the full path reads it as 2024
        ("data_year", 10**400),
    ],
)
def test_what_the_quick_reader_leaves_to_the_full_path(field: str, value: Any) -> None:
    data = {**EXAMPLE, "answers": {"I.1": {"value": 96.8, "data_year": 2024, field: value}}}
    assert quick_answers(data) is None
    assert _read(data) == _full_path(data)


def test_a_non_finite_value_is_refused_naming_it_on_either_path() -> None:
    data = {**EXAMPLE, "answers": {"I.1": {"value": float("nan"), "data_year": 2024}}}
    assert _read(data) == (
        "refused",
        ['s: $.answers["I.1"].value: expected a finite number; found nan'],
    )


def test_the_quick_reader_reads_what_the_compiled_check_accepts() -> None:
    answers = quick_answers(dict(EXAMPLE))
    assert answers is not None
    assert answers == dict(kla.Submission.from_mapping(EXAMPLE).answers)
