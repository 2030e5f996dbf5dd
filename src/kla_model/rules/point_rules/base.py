"""What every point-rule kind shares: the outcome it gives, the protocol it follows, and
the helpers each kind uses to build read-only outcomes and report inconsistent numbers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, NamedTuple, Protocol, TypeAlias

from kla_model._base.frozen import freeze
from kla_model._base.json_schema import shown
from kla_model.rules.answers import ItemAnswer, Measurement

#: A consistency problem: the path inside the rule, and what is wrong.
Inconsistency: TypeAlias = tuple[list[str | int], str]


#: Checklists with at most this many options have the outcome of every set of ticks made
#: when they are built, and every order of every set of ticks in their table of answers
#: (:meth:`PointRule.answer_table`: 1,957 answers for 6 options).  The one such number: the
#: engine, the totals and the card all read that table.
TABULATED_OPTIONS = 6

#: How an answer of each kind is written, the facts a form or a table reader picks a field
#: by: ``yes_no`` (true or false), ``level`` (one id), ``options`` (a list of ids),
#: ``number`` (a value with its data year).
ANSWER_FORMS = ("yes_no", "level", "options", "number")


def same_points(a: float, b: float) -> bool:
    """Points equal as the decimals they stand for.  Every number is the float nearest its
    decimal, and sums are made exactly (:mod:`kla_model.rules.points`), so ``==`` is exact:
    no tolerance, which would let a strict threshold be met by a hair."""
    return a == b


class Outcome(NamedTuple):
    """What a rule gave for one answer: the points and a JSON-safe record of what matched.

    A named tuple rather than an attrs class: one is made per item scored, on the hot path.
    """

    points: float
    matched: Mapping[str, Any]


class BadCell(NamedTuple):
    """A table cell that could not be read as an answer, and why."""

    message: str


class PointRule(Protocol):
    """The interface every rule kind provides, with the facts of its kind."""

    kind: ClassVar[str]
    #: How its answer is written: one of :data:`ANSWER_FORMS`.
    answer_form: ClassVar[str]
    #: Whether its answer is a measured number with the year its data describes.
    measured: ClassVar[bool]
    #: Whether its points are a proportion worked out from the answer (not one of the
    #: point values written in the rule), so that a ruleset's resolution allows for them.
    proportional: ClassVar[bool]
    #: The fields of its mapping in a rule file, besides ``kind`` (what an overlay may change).
    fields: ClassVar[tuple[str, ...]]
    #: Where its mapping writes point values: key paths, ``*`` for every entry of a list.
    point_paths: ClassVar[tuple[tuple[str, ...], ...]]

    @property
    def max_points(self) -> float:
        """The most points the rule can give."""

    def problem(self, answer: ItemAnswer) -> str | None:
        """What is wrong with ``answer`` for this rule, or ``None`` if it can be scored."""

    def evaluate(self, answer: ItemAnswer) -> Outcome | None:
        """The outcome for ``answer``, or ``None`` if the rule cannot score it (then
        :meth:`problem` says why).  Checking and scoring in one call: the hot path."""

    def apply(self, answer: ItemAnswer) -> Outcome:
        """The outcome for a valid ``answer``; ``ValueError`` with the problem otherwise."""

    def points_for(self, answer: ItemAnswer) -> float | None:
        """The points of ``answer`` without its record (what the totals add), or ``None``
        where :meth:`evaluate` gives ``None``."""

    def inconsistencies(self, item_max: float) -> list[Inconsistency]:
        """Problems with the rule's own numbers, for an item whose maximum is ``item_max``."""

    def to_dict(self) -> dict[str, Any]:
        """The rule as it is written in a rule file."""

    def point_values(self) -> tuple[float, ...]:
        """Every point value the rule writes (a proportional rule: its anchors' points)."""

    def answer_table(self) -> Mapping[Any, Outcome] | None:
        """Where the answers are finite (and few): the outcome of every answer a
        submission may give, keyed as it gives them; ``None`` for a rule that reads a number.

        Made once per rule: the engine, the totals and the card look answers up here.
        """

    def read_cell(self, cell: str) -> Any:
        """A table cell (stripped, not empty) as this kind's answer, or :class:`BadCell`.
        A measured kind gives the value; its data year is in a column of its own."""

    def year_problem(self, data_year: int | None) -> str | None:
        """For a measured kind, what is wrong with a data year for this rule, if anything."""


def reachable(targets: tuple[int | None, int | None]) -> set[int | None]:
    """The nearest better bands a value in a band can be told of: below, above, or none."""
    found: set[int | None] = {target for target in targets if target is not None}
    return found or {None}


class Applies:
    """``apply`` for every rule kind, from its ``evaluate`` and ``problem``, and the
    defaults of a kind that reads no number."""

    measured: ClassVar[bool] = False
    proportional: ClassVar[bool] = False

    def apply(self: PointRule, answer: ItemAnswer) -> Outcome:
        outcome = self.evaluate(answer)
        if outcome is None:
            raise ValueError(self.problem(answer))
        return outcome

    def points_for(self: PointRule, answer: ItemAnswer) -> float | None:
        outcome = self.evaluate(answer)
        return None if outcome is None else outcome.points

    def year_problem(self, data_year: int | None) -> str | None:
        return None


def outcome(points: float, matched: Mapping[str, Any]) -> Outcome:
    """An outcome whose record is read-only, so that it can be shared."""
    return Outcome(points, freeze(matched))


def max_mismatch(achievable: float, item_max: float, path: list[str | int]) -> list[Inconsistency]:
    if same_points(achievable, item_max):
        return []
    return [
        (path, f"the rule can give at most {achievable:g} points; the item max is {item_max:g}")
    ]


def shown_answer(value: object) -> str:
    """An answer as an error message shows it: a measurement as its mapping."""
    return shown(value if not isinstance(value, Measurement) else value.to_dict())
