"""Answer values, shared by a submission's answers and verifiers' corrections."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kla_model.rules.answers import (
    ItemAnswers,
    Measurement,
    answer_to_data,
    indicator_answer_from_data,
    item_answer_from_data,
    non_finite_problem,
)
from kla_model.submissions import submission


def test_answers_read_and_write_as_in_a_submission_file() -> None:
    assert item_answer_from_data(True) is True
    assert item_answer_from_data("perda") == "perda"
    assert item_answer_from_data(["a", "b"]) == ("a", "b")
    assert item_answer_from_data({"value": 97, "data_year": 2024}) == Measurement(97.0, 2024)
    nested = indicator_answer_from_data({"items": {"K.1.1": True, "K.1.4": ["forum-anak"]}})
    assert nested == ItemAnswers({"K.1.1": True, "K.1.4": ("forum-anak",)})
    assert answer_to_data(nested) == {"items": {"K.1.1": True, "K.1.4": ["forum-anak"]}}


def test_the_submission_module_still_offers_the_answer_types() -> None:
    assert submission.Measurement is Measurement
    assert submission.ItemAnswers is ItemAnswers
    assert submission.answer_to_data is answer_to_data


def test_non_finite_numbers_are_located() -> None:
    problem = non_finite_problem({"value": float("inf")}, ["answers", "I.1"], "sub.yaml")
    assert problem is not None
    assert str(problem) == 'sub.yaml: $.answers["I.1"].value: expected a finite number; found inf'
    assert non_finite_problem({"value": 1.0}, ["answers", "I.1"], "sub.yaml") is None
    assert non_finite_problem(True, ["answers", "I.1"], "sub.yaml") is None


@given(
    st.one_of(
        st.booleans(),
        st.text(min_size=1, max_size=10),
        st.lists(st.text(min_size=1, max_size=5), unique=True).map(tuple),
        st.builds(
            Measurement,
            st.floats(allow_nan=False, allow_infinity=False),
            st.none() | st.integers(1900, 2200),
        ),
    )
)
def test_item_answers_round_trip(answer: bool | str | tuple[str, ...] | Measurement) -> None:
    """Every item answer reads back as itself from the data it writes."""
    assert item_answer_from_data(answer_to_data(answer)) == answer
