"""What the kinds that read a measured number (bands, linear, reference) share."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, ClassVar

from kla_model.rules.answers import ItemAnswer, Measurement
from kla_model.rules.point_rules.base import Applies, Outcome, shown_answer
from kla_model.rules.point_rules.cells import number_cell


class Measured(Applies):
    """The facts of a kind whose answer is a number with the year its data describes."""

    answer_form: ClassVar[str] = "number"
    measured: ClassVar[bool] = True

    def answer_table(self) -> Mapping[Any, Outcome] | None:
        return None  # numbers are not finite

    def read_cell(self, cell: str) -> Any:
        return number_cell(cell)


def in_unit(answer: ItemAnswer, unit: str) -> bool:
    """Whether ``answer`` is a finite number that ``unit`` allows (a percentage is 0-100)."""
    if not isinstance(answer, Measurement) or not math.isfinite(answer.value):
        return False
    return unit != "percent" or 0 <= answer.value <= 100


def measurement_problem(answer: ItemAnswer, unit: str) -> str | None:
    if not isinstance(answer, Measurement):
        return f"expected a number as {{value, data_year}}; found {shown_answer(answer)}"
    if not math.isfinite(answer.value):
        # The readers refuse these; a Measurement made in code can still carry one.
        return f"expected a finite number; found {answer.value}"
    if unit == "percent" and not 0 <= answer.value <= 100:
        return f"expected a percentage from 0 to 100; found {answer.value:g}"
    return None


def measured_value(answer: ItemAnswer) -> float:
    assert isinstance(answer, Measurement)  # guaranteed by problem(); narrows the type
    return answer.value
