"""A submission written as one row of the wide table: the inverse of reading a row.

Analysts keep many districts in one spreadsheet (see :mod:`kla_model.tables.table` for the
format); :func:`submission_row` turns a submission's declared answers into that row, so a
set of submission files can become a table, and a table can be made from generated
submissions to test or benchmark the readers.  Reading the row back gives the same answers
(a property test holds this).
"""

from __future__ import annotations

from collections.abc import Mapping

from kla_model._base.json_schema import json_path
from kla_model.errors import Problem, TableError
from kla_model.rules.answers import ItemAnswer, ItemAnswers, Measurement
from kla_model.rules.ruleset import RuleSet
from kla_model.submissions.submission import Submission
from kla_model.tables.table import (
    DATA_YEAR,
    FIXED_COLUMNS,
    NONE_TICKED,
    answer_columns,
)

__all__ = ["answer_cell", "submission_row"]


def answer_cell(answer: ItemAnswer) -> str:
    """An item's answer as the table writes it: ``true``/``false``, a level id, ticks
    joined by ``;`` (``-`` for none), or a number spelt so that it reads back exactly."""
    if isinstance(answer, bool):
        return "true" if answer else "false"
    if isinstance(answer, tuple):
        return ";".join(answer) if answer else NONE_TICKED
    if isinstance(answer, Measurement):
        return _number_cell(answer.value)
    return str(answer)


def _number_cell(value: float) -> str:
    """``80`` for 80.0, as a person writes it; otherwise the shortest text that reads back as
    the same float (``repr``)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return repr(value)


def submission_row(ruleset: RuleSet, submission: Submission) -> dict[str, str]:
    """``submission``'s region, round and declared answers as a row of the wide table for
    ``ruleset``: every column, in the table's order, blank where nothing is answered.

    Raises :class:`~kla_model.TableError` naming an answer the table has no column for (an
    indicator or item ``ruleset`` does not have).
    """
    region = submission.region
    fixed = [region.code, region.name, region.kind, region.province, str(submission.year)]
    row = dict(zip(FIXED_COLUMNS, fixed, strict=True)) | dict.fromkeys(answer_columns(ruleset), "")
    for indicator_id, answer in submission.answers.items():
        indicator = ruleset.indicators.get(indicator_id)
        if indicator is None:
            raise _no_column(submission, ["answers", indicator_id], ruleset)
        # A one-item indicator may be answered directly, without ``{items: ...}``.
        items: Mapping[str, ItemAnswer] = (
            answer.items if isinstance(answer, ItemAnswers) else {indicator.items[0].id: answer}
        )
        for item_id, value in items.items():
            column = indicator_id if len(indicator.items) == 1 else item_id
            if column not in row:
                where = ["answers", indicator_id, "items", item_id]
                raise _no_column(submission, where, ruleset)
            row[column] = answer_cell(value)
            if isinstance(value, Measurement) and value.data_year is not None:
                row[column + DATA_YEAR] = str(value.data_year)
    return row


def _no_column(submission: Submission, where: list[str], ruleset: RuleSet) -> TableError:
    """An answer to an indicator or item ``ruleset`` does not have: no column can hold it."""
    message = f"expected an indicator or item of {ruleset.id}; found {where[-1]!r}, which has none"
    location = f"{submission.origin}: {json_path(where)}"
    return TableError(submission.origin, [Problem(location, message)])
