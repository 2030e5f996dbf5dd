"""Helpers for the kinds that read a measured number (bands, linear, reference)."""

from __future__ import annotations

from kla_model.rules.answers import ItemAnswer, Measurement
from kla_model.rules.point_rules.base import shown_answer


def in_unit(answer: ItemAnswer, unit: str) -> bool:
    """Whether ``answer`` is a number that ``unit`` allows (a percentage is 0-100)."""
    return isinstance(answer, Measurement) and (unit != "percent" or 0 <= answer.value <= 100)


def measurement_problem(answer: ItemAnswer, unit: str) -> str | None:
    if not isinstance(answer, Measurement):
        return f"expected a number as {{value, data_year}}; found {shown_answer(answer)}"
    if unit == "percent" and not 0 <= answer.value <= 100:
        return f"expected a percentage from 0 to 100; found {answer.value:g}"
    return None


def measured_value(answer: ItemAnswer) -> float:
    assert isinstance(answer, Measurement)  # guaranteed by problem(); narrows the type
    return answer.value
