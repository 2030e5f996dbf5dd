"""Point rules: how an item's answer becomes points.

Each kind is named by an explicit ``kind:`` in the rule file, never guessed from which keys
are present.  A rule can say what is wrong with an answer (:meth:`problem`), turn a valid
answer into an :class:`Outcome` (:meth:`apply`), and report whether its own numbers are
consistent (:meth:`inconsistencies`), which the ruleset builder collects.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Mapping, Set
from typing import Any, ClassVar, NamedTuple, Protocol, TypeAlias

import attrs

from kla_model._frozen import FrozenDict, freeze
from kla_model._schema import shown
from kla_model._suggest import did_you_mean
from kla_model.model import Label
from kla_model.references import ReferencePoint, ReferenceSeries
from kla_model.submission import ItemAnswer, Measurement

__all__ = [
    "RULE_KINDS",
    "Anchor",
    "Band",
    "BandsRule",
    "BooleanRule",
    "ChecklistRule",
    "LevelsRule",
    "LinearRule",
    "Option",
    "Outcome",
    "PointRule",
    "ReferenceRule",
    "rule_from_mapping",
]

#: A consistency problem: the path inside the rule, and what is wrong.
Inconsistency: TypeAlias = tuple[list[str | int], str]

_TOLERANCE = 1e-9
#: Checklists with at most this many options have every outcome made when they are built.
_TABULATED_OPTIONS = 8


def same_points(a: float, b: float) -> bool:
    """Points equal up to float rounding (maxima are summed from fractional parts)."""
    return math.isclose(a, b, rel_tol=_TOLERANCE, abs_tol=_TOLERANCE)


class Outcome(NamedTuple):
    """What a rule gave for one answer: the points and a JSON-safe record of what matched.

    A named tuple rather than an attrs class: one is made per item scored, on the hot path.
    """

    points: float
    matched: Mapping[str, Any]


class PointRule(Protocol):
    """The interface every rule kind provides."""

    kind: ClassVar[str]

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

    def inconsistencies(self, item_max: float) -> list[Inconsistency]:
        """Problems with the rule's own numbers, for an item whose maximum is ``item_max``."""

    def to_dict(self) -> dict[str, Any]:
        """The rule as it is written in a rule file."""


def _reachable(targets: tuple[int | None, int | None]) -> set[int | None]:
    """The nearest better bands a value in a band can be told of: below, above, or none."""
    found: set[int | None] = {target for target in targets if target is not None}
    return found or {None}


class _Applies:
    """``apply`` for every rule kind, from its ``evaluate`` and ``problem``."""

    def apply(self: PointRule, answer: ItemAnswer) -> Outcome:
        outcome = self.evaluate(answer)
        if outcome is None:
            raise ValueError(self.problem(answer))
        return outcome


def _outcome(points: float, matched: Mapping[str, Any]) -> Outcome:
    """An outcome whose record is read-only, so that it can be shared."""
    return Outcome(points, freeze(matched))


def _max_mismatch(achievable: float, item_max: float, path: list[str | int]) -> list[Inconsistency]:
    if same_points(achievable, item_max):
        return []
    return [
        (path, f"the rule can give at most {achievable:g} points; the item max is {item_max:g}")
    ]


@attrs.frozen
class BooleanRule(_Applies):
    """``true`` gives ``points`` (the item maximum), ``false`` gives nothing."""

    kind: ClassVar[str] = "boolean"
    points: float
    _outcomes: Mapping[bool, Outcome] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        outcomes = {
            True: _outcome(self.points, {"value": True}),
            False: _outcome(0.0, {"value": False}),
        }
        object.__setattr__(self, "_outcomes", outcomes)

    @property
    def max_points(self) -> float:
        return self.points

    def problem(self, answer: ItemAnswer) -> str | None:
        return (
            None if isinstance(answer, bool) else f"expected true or false; found {_shown(answer)}"
        )

    def evaluate(self, answer: ItemAnswer) -> Outcome | None:
        return self._outcomes[answer] if answer is True or answer is False else None

    def inconsistencies(self, item_max: float) -> list[Inconsistency]:
        return _max_mismatch(self.points, item_max, [])

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind}


@attrs.frozen
class Option:
    """A level of a ``levels`` rule or an option of a ``checklist`` rule."""

    id: str
    label: Label
    points: float

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label.to_dict(), "points": self.points}


def _duplicate_ids(options: tuple[Option, ...], field: str) -> list[Inconsistency]:
    seen: set[str] = set()
    found: list[Inconsistency] = []
    for index, option in enumerate(options):
        if option.id in seen:
            found.append(([field, index, "id"], f"duplicate id {option.id!r}"))
        seen.add(option.id)
    return found


@attrs.frozen
class LevelsRule(_Applies):
    """A categorical answer: the chosen level's points."""

    kind: ClassVar[str] = "levels"
    levels: tuple[Option, ...]
    #: Each level's outcome, made once: evaluate() is on the hot path.
    _by_id: Mapping[str, Outcome] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        outcomes = {level.id: self._level_outcome(i, level) for i, level in enumerate(self.levels)}
        object.__setattr__(self, "_by_id", outcomes)

    def _level_outcome(self, index: int, level: Option) -> Outcome:
        upgrade = self.next_level(level.points)
        matched = {
            "level": level.id,
            "index": index,
            "points": level.points,
            # The chosen level's label and the next better level let a trace be explained
            # without the ruleset at hand.
            "label": level.label.to_dict(),
            "next": None if upgrade is None else upgrade.to_dict(),
        }
        return _outcome(level.points, matched)

    @property
    def max_points(self) -> float:
        return max(level.points for level in self.levels)

    def problem(self, answer: ItemAnswer) -> str | None:
        ids = [level.id for level in self.levels]
        if not isinstance(answer, str):
            return f"expected one of the levels {', '.join(ids)}; found {_shown(answer)}"
        if answer not in self._by_id:
            hint = did_you_mean(answer, ids)
            return f"expected one of the levels {', '.join(ids)}; found {answer!r}{hint}"
        return None

    def next_level(self, points: float) -> Option | None:
        """The level giving the fewest points above ``points`` (the first of equals), if any."""
        better = [level for level in self.levels if level.points > points]
        return min(better, key=lambda level: level.points) if better else None

    def evaluate(self, answer: ItemAnswer) -> Outcome | None:
        return self._by_id.get(answer) if isinstance(answer, str) else None

    def inconsistencies(self, item_max: float) -> list[Inconsistency]:
        return _duplicate_ids(self.levels, "levels") + _max_mismatch(
            self.max_points, item_max, ["levels"]
        )

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "levels": [level.to_dict() for level in self.levels]}


@attrs.frozen
class ChecklistRule(_Applies):
    """Ticked options add their points, up to an optional ``cap``."""

    kind: ClassVar[str] = "checklist"
    options: tuple[Option, ...]
    cap: float | None = None
    _by_id: Mapping[str, Option] = attrs.field(init=False, eq=False, repr=False)
    #: Each option's read-only trace record, made once: evaluate() is on the hot path.
    _records: tuple[Mapping[str, Any], ...] = attrs.field(init=False, eq=False, repr=False)

    #: With few options, the outcome of every set of ticks, made once (2**n of them).
    _by_ticks: Mapping[frozenset[str], Outcome] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {option.id: option for option in self.options})
        object.__setattr__(self, "_records", tuple(freeze(o.to_dict()) for o in self.options))
        ids = [option.id for option in self.options]
        subsets = (
            itertools.chain.from_iterable(
                itertools.combinations(ids, n) for n in range(len(ids) + 1)
            )
            if len(ids) <= _TABULATED_OPTIONS
            else ()
        )
        object.__setattr__(self, "_by_ticks", {frozenset(s): self._ticked(set(s)) for s in subsets})

    @property
    def max_points(self) -> float:
        total = math.fsum(option.points for option in self.options)
        return total if self.cap is None else min(total, self.cap)

    def problem(self, answer: ItemAnswer) -> str | None:
        ids = [option.id for option in self.options]
        if not isinstance(answer, tuple):
            return f"expected a list of option ids from {', '.join(ids)}; found {_shown(answer)}"
        unknown = [tick for tick in answer if tick not in self._by_id]
        if unknown:
            hint = did_you_mean(unknown[0], ids)
            return f"expected option ids from {', '.join(ids)}; found {unknown[0]!r}{hint}"
        return None

    def evaluate(self, answer: ItemAnswer) -> Outcome | None:
        if not isinstance(answer, tuple):
            return None
        ticked = frozenset(answer)
        tabulated = self._by_ticks.get(ticked)
        if tabulated is not None:
            return tabulated
        return self._ticked(ticked) if self._by_id.keys() >= ticked else None

    def _ticked(self, ticked: Set[str]) -> Outcome:
        uncapped = math.fsum(self._by_id[tick].points for tick in ticked)
        points = uncapped if self.cap is None else min(uncapped, self.cap)
        open_options = [i for i, option in enumerate(self.options) if option.id not in ticked]
        # Built read-only in place (tuples, a mapping proxy) rather than frozen afterwards.
        matched = {
            "ticked": tuple(option.id for option in self.options if option.id in ticked),
            "unticked": tuple(self.options[i].id for i in open_options),
            "uncapped": uncapped,
            "cap": self.cap,
            "unticked_options": tuple(self._records[i] for i in open_options),
        }
        return Outcome(points, FrozenDict(matched))

    def inconsistencies(self, item_max: float) -> list[Inconsistency]:
        found = _duplicate_ids(self.options, "options")
        total = math.fsum(option.points for option in self.options)
        if self.cap is not None and self.cap > total and not same_points(self.cap, total):
            found.append((["cap"], f"the cap {self.cap:g} is above the options' sum {total:g}"))
        return found + _max_mismatch(self.max_points, item_max, ["options"])

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": self.kind,
            "options": [option.to_dict() for option in self.options],
        }
        if self.cap is not None:
            data["cap"] = self.cap
        return data


def _in_unit(answer: ItemAnswer, unit: str) -> bool:
    """Whether ``answer`` is a number that ``unit`` allows (a percentage is 0-100)."""
    return isinstance(answer, Measurement) and (unit != "percent" or 0 <= answer.value <= 100)


def _measurement_problem(answer: ItemAnswer, unit: str) -> str | None:
    if not isinstance(answer, Measurement):
        return f"expected a number as {{value, data_year}}; found {_shown(answer)}"
    if unit == "percent" and not 0 <= answer.value <= 100:
        return f"expected a percentage from 0 to 100; found {answer.value:g}"
    return None


def _value(answer: ItemAnswer) -> float:
    assert isinstance(answer, Measurement)  # guaranteed by problem(); narrows the type
    return answer.value


@attrs.frozen
class Band:
    """An interval of values and the points a value inside it earns."""

    min: float
    min_inclusive: bool
    max: float
    max_inclusive: bool
    points: float
    #: The band in interval notation, e.g. ``[75, 90)``; made once, shown in every trace.
    interval: str = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        opening = "[" if self.min_inclusive else "("
        closing = "]" if self.max_inclusive else ")"
        object.__setattr__(self, "interval", f"{opening}{self.min:g}, {self.max:g}{closing}")

    def contains(self, value: float) -> bool:
        above = value > self.min or (self.min_inclusive and value == self.min)
        return above and (value < self.max or (self.max_inclusive and value == self.max))

    def distance(self, value: float) -> float:
        """How far ``value`` is from this band (0 inside it)."""
        if self.contains(value):
            return 0.0
        return self.min - value if value <= self.min else value - self.max

    def bounds(self) -> dict[str, Any]:
        """The band's ends without its points."""
        return {
            "min": self.min,
            "min_inclusive": self.min_inclusive,
            "max": self.max,
            "max_inclusive": self.max_inclusive,
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "min": self.min,
            "min_inclusive": self.min_inclusive,
            "max": self.max,
            "max_inclusive": self.max_inclusive,
            "points": self.points,
        }


def _band_gaps(bands: tuple[Band, ...], unit: str) -> list[Inconsistency]:
    found: list[Inconsistency] = []
    for index, band in enumerate(bands):
        if band.min > band.max or (
            band.min == band.max and not (band.min_inclusive and band.max_inclusive)
        ):
            found.append((["bands", index], f"the band {band.interval} is empty"))
    for index, (lower, upper) in enumerate(itertools.pairwise(bands), start=1):
        if upper.min != lower.max:
            found.append(
                (
                    ["bands", index, "min"],
                    f"expected {lower.max:g} (where band {index - 1} ends); found {upper.min:g}",
                )
            )
        elif lower.max_inclusive == upper.min_inclusive:
            state = "both include" if lower.max_inclusive else "neither includes"
            found.append(
                (
                    ["bands", index, "min_inclusive"],
                    f"bands {index - 1} and {index} {state} {upper.min:g}: "
                    "exactly one must, so that every value falls in one band",
                )
            )
    if unit == "percent":
        first, last = bands[0], bands[-1]
        if (first.min, first.min_inclusive) != (0, True):
            found.append((["bands", 0], "percentage bands must start at 0, inclusive"))
        if (last.max, last.max_inclusive) != (100, True):
            found.append((["bands", len(bands) - 1], "percentage bands must end at 100, inclusive"))
    return found


@attrs.frozen
class BandsRule(_Applies):
    """A number earns the points of the one band it falls in."""

    kind: ClassVar[str] = "bands"
    unit: str
    bands: tuple[Band, ...]
    #: Per band, the nearest band below and above it that gives more points (if any).
    _better: tuple[tuple[int | None, int | None], ...] = attrs.field(
        init=False, eq=False, repr=False
    )
    _outcomes: Mapping[tuple[int, int | None], Outcome] = attrs.field(
        init=False, eq=False, repr=False
    )
    _mins: tuple[float, ...] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        better = []
        for index, band in enumerate(self.bands):
            below = [i for i in range(index) if self.bands[i].points > band.points]
            above = [
                i for i in range(index + 1, len(self.bands)) if self.bands[i].points > band.points
            ]
            better.append((below[-1] if below else None, above[0] if above else None))
        object.__setattr__(self, "_better", tuple(better))
        object.__setattr__(self, "_mins", tuple(band.min for band in self.bands))
        # Every (band, nearest better band) a value can meet, made once: evaluate() is hot.
        outcomes = {
            (index, target): self._band_outcome(index, target)
            for index, targets in enumerate(better)
            for target in _reachable(targets)
        }
        object.__setattr__(self, "_outcomes", outcomes)

    @property
    def max_points(self) -> float:
        return max(band.points for band in self.bands)

    def band_index(self, value: float) -> int | None:
        """The index of the band ``value`` falls in, or ``None`` outside every band.

        A ruleset's bands are contiguous and ascending (checked when it is built), so the
        band is found by bisection on their lower bounds.
        """
        index = bisect.bisect_right(self._mins, value) - 1
        if index >= 0 and value == self._mins[index] and not self.bands[index].min_inclusive:
            index -= 1
        if index < 0 or not self.bands[index].contains(value):
            return None
        return index

    def problem(self, answer: ItemAnswer) -> str | None:
        problem = _measurement_problem(answer, self.unit)
        if problem is None and self.band_index(_value(answer)) is None:
            covered = f"{self.bands[0].interval} to {self.bands[-1].interval}"
            return f"expected a value within the bands {covered}; found {_value(answer):g}"
        return problem

    def nearest_better(self, value: float, index: int) -> int | None:
        """The band nearest ``value`` (in band ``index``) that gives more points, if any.

        Bands are ordered, so it is the nearest better one below or above; of two as near,
        the one below.
        """
        below, above = self._better[index]
        if below is None or above is None:
            return above if below is None else below
        nearer_above = self.bands[above].distance(value) < self.bands[below].distance(value)
        return above if nearer_above else below

    def _next(self, index: int, target: int | None) -> dict[str, Any] | None:
        if target is None:
            return None
        above = target > index
        return {
            **self.bands[target].to_dict(),
            "above": above,
            # The last band in its direction: "90% or more" describes it exactly.
            "onward": target == (len(self.bands) - 1 if above else 0),
        }

    def _band_outcome(self, index: int, target: int | None) -> Outcome:
        band = self.bands[index]
        matched = {
            "band": index,
            "interval": band.interval,
            "points": band.points,
            "unit": self.unit,
            "bounds": band.bounds(),
            "next": self._next(index, target),
        }
        return _outcome(band.points, matched)

    def evaluate(self, answer: ItemAnswer) -> Outcome | None:
        if not _in_unit(answer, self.unit):
            return None
        value = _value(answer)
        index = self.band_index(value)
        if index is None:
            return None
        return self._outcomes[(index, self.nearest_better(value, index))]

    def inconsistencies(self, item_max: float) -> list[Inconsistency]:
        return _band_gaps(self.bands, self.unit) + _max_mismatch(
            self.max_points, item_max, ["bands"]
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "unit": self.unit,
            "bands": [band.to_dict() for band in self.bands],
        }


@attrs.frozen
class Anchor:
    """A value and the points it earns, one end of a ``linear`` rule."""

    value: float
    points: float

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "points": self.points}


@attrs.frozen
class LinearRule(_Applies):
    """Points in proportion between two anchors, clamped to the anchors' points outside them."""

    kind: ClassVar[str] = "linear"
    unit: str
    start: Anchor
    end: Anchor

    @property
    def max_points(self) -> float:
        return max(self.start.points, self.end.points)

    def problem(self, answer: ItemAnswer) -> str | None:
        return _measurement_problem(answer, self.unit)

    def evaluate(self, answer: ItemAnswer) -> Outcome | None:
        if not _in_unit(answer, self.unit):
            return None
        value = _value(answer)
        low, high = sorted((self.start.value, self.end.value))
        clamped = min(max(value, low), high)
        share = (clamped - self.start.value) / (self.end.value - self.start.value)
        points = self.start.points + share * (self.end.points - self.start.points)
        points = min(max(points, min(self.start.points, self.end.points)), self.max_points)
        matched = {
            "clamped": clamped != value,
            "share": share,
            "unit": self.unit,
            "from": self.start.to_dict(),
            "to": self.end.to_dict(),
        }
        return _outcome(points, matched)

    def inconsistencies(self, item_max: float) -> list[Inconsistency]:
        found: list[Inconsistency] = []
        if self.start.value == self.end.value:
            found.append(
                (["to", "value"], f"expected a value other than from's {self.start.value:g}")
            )
        return found + _max_mismatch(self.max_points, item_max, [])

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "unit": self.unit,
            "from": self.start.to_dict(),
            "to": self.end.to_dict(),
        }


@attrs.frozen
class ReferenceRule(_Applies):
    """Compare a value with a dated reference series: better, equal or worse."""

    kind: ClassVar[str] = "reference"
    unit: str
    series: ReferenceSeries
    direction: str
    better: float
    equal: float
    worse: float
    #: The outcome for each reference point and verdict, made once: evaluate() is hot.
    _outcomes: Mapping[tuple[int, str], Outcome] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        outcomes = {
            (point.year, verdict): self._verdict_outcome(point, verdict)
            for point in self.series.points
            for verdict in ("better", "equal", "worse")
        }
        object.__setattr__(self, "_outcomes", outcomes)

    @property
    def max_points(self) -> float:
        return max(self.better, self.equal, self.worse)

    def problem(self, answer: ItemAnswer) -> str | None:
        problem = _measurement_problem(answer, self.unit)
        if problem is not None or not isinstance(answer, Measurement):
            return problem
        series = self.series
        if answer.data_year is None:
            return (
                f"expected a data_year to compare with reference series {series.id!r}; found none"
            )
        if not series.covers(answer.data_year):
            return (
                f"expected a data year from {series.first_year} to {series.last_year} "
                f"(reference series {series.id!r}); found {answer.data_year}"
            )
        return None

    def comparison(self, value: float, reference: float) -> str:
        """``better``, ``equal`` or ``worse`` than the reference, in this rule's direction."""
        if value == reference:
            return "equal"
        lower = value < reference
        return "better" if lower == (self.direction == "lower_is_better") else "worse"

    def evaluate(self, answer: ItemAnswer) -> Outcome | None:
        if not _in_unit(answer, self.unit):
            return None
        assert isinstance(answer, Measurement)  # narrowed by _in_unit
        year = answer.data_year
        if year is None or not self.series.covers(year):
            return None
        point = self.series.point_for(year)
        return self._outcomes[(point.year, self.comparison(answer.value, point.value))]

    def _verdict_outcome(self, point: ReferencePoint, verdict: str) -> Outcome:
        matched = {
            "series": self.series.id,
            "reference_year": point.year,
            "reference_value": point.value,
            "direction": self.direction,
            "comparison": verdict,
            "unit": self.unit,
            "series_label": self.series.label.to_dict(),
            "points": {"better": self.better, "equal": self.equal, "worse": self.worse},
        }
        return _outcome(getattr(self, verdict), matched)

    def inconsistencies(self, item_max: float) -> list[Inconsistency]:
        found: list[Inconsistency] = []
        if self.series.unit != self.unit:
            found.append(
                (
                    ["unit"],
                    f"expected {self.series.unit!r} like series {self.series.id!r}; "
                    f"found {self.unit!r}",
                )
            )
        ordered = (self.better, self.equal, self.worse)
        if sorted(ordered, reverse=True) != list(ordered):
            found.append((["points"], "expected better >= equal >= worse"))
        return found + _max_mismatch(self.max_points, item_max, ["points"])

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "unit": self.unit,
            "series": self.series.id,
            "direction": self.direction,
            "points": {"better": self.better, "equal": self.equal, "worse": self.worse},
        }


RULE_KINDS = ("boolean", "levels", "checklist", "bands", "linear", "reference")


def _options(data: list[dict[str, Any]]) -> tuple[Option, ...]:
    return tuple(Option(o["id"], Label.from_dict(o["label"]), float(o["points"])) for o in data)


def rule_from_mapping(
    data: dict[str, Any], item_max: float, series: Mapping[str, ReferenceSeries]
) -> PointRule:
    """Build a rule from its schema-valid mapping; ``KeyError`` names an unknown series."""
    kind = data["kind"]
    if kind == "boolean":
        return BooleanRule(points=item_max)
    if kind == "levels":
        return LevelsRule(_options(data["levels"]))
    if kind == "checklist":
        cap = data.get("cap")
        return ChecklistRule(_options(data["options"]), None if cap is None else float(cap))
    if kind == "bands":
        bands = tuple(
            Band(
                **{
                    **band,
                    "min": float(band["min"]),
                    "max": float(band["max"]),
                    "points": float(band["points"]),
                }
            )
            for band in data["bands"]
        )
        return BandsRule(data["unit"], bands)
    if kind == "linear":
        start, end = (
            Anchor(float(data[e]["value"]), float(data[e]["points"])) for e in ("from", "to")
        )
        return LinearRule(data["unit"], start, end)
    points = data["points"]
    return ReferenceRule(
        unit=data["unit"],
        series=series[data["series"]],
        direction=data["direction"],
        better=float(points["better"]),
        equal=float(points["equal"]),
        worse=float(points["worse"]),
    )


def _shown(value: object) -> str:
    return shown(value if not isinstance(value, Measurement) else value.to_dict())
