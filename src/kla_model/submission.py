"""A district's submission: who it is, which round, and its answers per indicator.

A submission is checked here on its own (shape, types, finite numbers); whether its answers
fit a particular ruleset (known ids, allowed levels, percentages within 0-100) is checked
by :func:`kla_model.check` when it is scored.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeAlias

import attrs

from kla_model._schema import json_path, schema_problems
from kla_model._yaml import load_data_file
from kla_model.errors import Problem, SubmissionError
from kla_model.model import Region

__all__ = [
    "IndicatorAnswer",
    "ItemAnswer",
    "ItemAnswers",
    "Measurement",
    "Submission",
    "answer_to_data",
    "load_submission",
]


@attrs.frozen
class Measurement:
    """A number a district reports, with the year its data describes."""

    value: float
    data_year: int | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"value": self.value}
        if self.data_year is not None:
            data["data_year"] = self.data_year
        return data


#: ``True``/``False`` for a boolean item, a level id, the ticked option ids of a
#: checklist, or a :class:`Measurement` for a number.
ItemAnswer: TypeAlias = bool | str | tuple[str, ...] | Measurement


def _frozen_mapping(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(value))


@attrs.frozen
class ItemAnswers:
    """The answers of an indicator with several items, keyed by item id."""

    items: Mapping[str, ItemAnswer] = attrs.field(converter=_frozen_mapping, hash=False)

    def to_dict(self) -> dict[str, Any]:
        return {"items": {item_id: answer_to_data(a) for item_id, a in self.items.items()}}


#: An indicator with one item may be answered with that item's answer directly.
IndicatorAnswer: TypeAlias = ItemAnswer | ItemAnswers


def answer_to_data(answer: IndicatorAnswer) -> Any:
    """An answer as plain JSON-safe data, as it is written in a submission file."""
    if isinstance(answer, (Measurement, ItemAnswers)):
        return answer.to_dict()
    if isinstance(answer, tuple):
        return list(answer)
    return answer


def _item_answer(data: Any) -> ItemAnswer:
    if isinstance(data, (bool, str)):
        return data
    if isinstance(data, list):
        return tuple(data)
    year = data.get("data_year")
    return Measurement(value=float(data["value"]), data_year=None if year is None else int(year))


def _indicator_answer(data: Any) -> IndicatorAnswer:
    if isinstance(data, dict) and "items" in data:
        return ItemAnswers({key: _item_answer(value) for key, value in data["items"].items()})
    return _item_answer(data)


def _non_finite(answers: Mapping[str, Any], source: str) -> list[Problem]:
    """JSON Schema accepts NaN and infinity as numbers; kla_model does not."""
    found = []
    for indicator_id, answer in answers.items():
        places = [([indicator_id], answer)]
        if isinstance(answer, dict) and isinstance(answer.get("items"), dict):
            places = [([indicator_id, "items", key], a) for key, a in answer["items"].items()]
        for path, value in places:
            number = value.get("value") if isinstance(value, dict) else None
            if isinstance(number, float) and not math.isfinite(number):
                where = json_path(["answers", *path, "value"])
                found.append(
                    Problem(f"{source}: {where}", f"expected a finite number; found {number}")
                )
    return found


@attrs.frozen
class Submission:
    """One district's answers for one evaluation round (``year``)."""

    region: Region
    year: int
    answers: Mapping[str, IndicatorAnswer] = attrs.field(converter=_frozen_mapping, hash=False)
    note: str | None = None
    #: Where the submission was read from, for error messages; not part of its value.
    origin: str = attrs.field(default="submission", eq=False)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], source: str = "submission") -> Submission:
        """Build a submission from parsed YAML/JSON, or raise :class:`SubmissionError`."""
        if not isinstance(data, Mapping):
            found = type(data).__name__
            raise SubmissionError(source, [Problem(source, f"expected a mapping; found {found}")])
        data = dict(data)
        problems = schema_problems("submission", data, source)
        if not problems:
            problems = _non_finite(data["answers"], source)
        if problems:
            raise SubmissionError(source, problems)
        return cls(
            region=Region.from_dict(data["region"]),
            year=int(data["year"]),
            answers={key: _indicator_answer(value) for key, value in data["answers"].items()},
            note=data.get("note"),
            origin=source,
        )

    def to_dict(self) -> dict[str, Any]:
        """The submission as plain data; ``from_mapping(sub.to_dict()) == sub``."""
        data: dict[str, Any] = {"region": self.region.to_dict(), "year": self.year}
        if self.note is not None:
            data["note"] = self.note
        data["answers"] = {key: answer_to_data(value) for key, value in self.answers.items()}
        return data


def load_submission(path: str | Path) -> Submission:
    """Read a submission from a YAML or JSON file (``.json`` is read as JSON)."""
    data = load_data_file(path, SubmissionError)
    return Submission.from_mapping(data, source=str(path))
