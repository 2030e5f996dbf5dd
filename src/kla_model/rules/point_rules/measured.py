"""What the kinds that read a measured number (bands, linear, reference) share."""

from __future__ import annotations

import math
import sys
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


#: The numbers a unit allows, as (lowest, highest): a percentage from 0 to 100; in any other
#: unit any finite number.  A comparison with them refuses NaN and the infinities too.
_UNIT_BOUNDS = {"percent": (0.0, 100.0)}
_FINITE = (-sys.float_info.max, sys.float_info.max)


def unit_bounds(unit: str) -> tuple[float, float]:
    """The lowest and highest number ``unit`` allows: a number is in the unit exactly when
    ``low <= number <= high``."""
    return _UNIT_BOUNDS.get(unit, _FINITE)


def in_unit(answer: ItemAnswer, unit: str) -> bool:
    """Whether ``answer`` is a finite number that ``unit`` allows (a percentage is 0-100)."""
    return measurement_problem(answer, unit) is None


def measurement_problem(answer: ItemAnswer, unit: str) -> str | None:
    if not isinstance(answer, Measurement):
        return f"expected a number as {{value, data_year}}; found {shown_answer(answer)}"
    low, high = unit_bounds(unit)
    if low <= answer.value <= high:
        return None
    if not math.isfinite(answer.value):
        # The readers refuse these; a Measurement made in code can still carry one.
        return f"expected a finite number; found {answer.value}"
    return f"expected a percentage from 0 to 100; found {answer.value:g}"


def measured_value(answer: ItemAnswer) -> float:
    assert isinstance(answer, Measurement)  # guaranteed by problem(); narrows the type
    return answer.value
