"""The honest limit: a flat, straight-line total function generated from a ruleset file.

``flat_functions(ruleset)`` writes Python source with one statement per item of the ruleset
(a dictionary lookup for a level, a table of every order of every set of ticks for a
checklist, comparisons for bands and reference rules), adds the items straight into their
group, and classifies the total by the tier thresholds: no loop over the ruleset, no trace,
no checks, no objects.  It is what a programmer would write by hand for one ruleset, but
generated, so it cannot drift from the rule file.  Two functions come out of one template:

* ``on_submission(submission) -> (group points, total, tier id)`` reads a ``Submission``;
* ``on_dict(data) -> (group points, total, tier id)`` reads the plain mapping of a submission
  as JSON or YAML gives it (``{"answers": {...}}``).

Both accept every answer form the submission schema allows: a one-item indicator answered
directly or as ``{items: ...}``, items left out, checklist ticks in any order and repeated.
They assume the submission is valid (the service validates before scoring).  A property test
(``tests/test_flat_baseline.py``) holds them equal to ``score()``.  Sums are exact as the
library's are: for rulesets whose points are multiples of 2**-16 (the bundled ones) float
addition is exact; otherwise every group sum and the total are rounded to the ruleset's
resolution, as ``Resolution.snap`` does.

This lives in ``benchmarks/``, not in the library: it is the yardstick, and it runs generated
source (``exec``), which the library never does.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from typing import Any

import kla_model as kla
from kla_model.rules.point_rules import (
    BandsRule,
    BooleanRule,
    ChecklistRule,
    LevelsRule,
    LinearRule,
    ReferenceRule,
)
from kla_model.submissions.submission import ItemAnswers

__all__ = ["Flat", "flat_functions", "flat_source"]

Flat = Callable[[Any], tuple[tuple[float, ...], float, str | None]]


class _Writer:
    """Source lines and the constants they refer to."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.constants: dict[str, Any] = {}

    def constant(self, value: Any) -> str:
        name = f"C{len(self.constants)}"
        self.constants[name] = value
        return name

    def add(self, indent: int, line: str) -> None:
        self.lines.append("    " * indent + line)


def _checklist_table(rule: ChecklistRule) -> dict[tuple[str, ...], float]:
    points = {option.id: option.points for option in rule.options}
    table = {}
    for count in range(len(points) + 1):
        for ticks in itertools.permutations(points, count):
            table[ticks] = rule.apply(ticks).points
    return table


def _item(  # noqa: PLR0917 (the generator's state, passed down)
    w: _Writer, item: kla.Item, value: str, group: str, on_dict: bool, indent: int
) -> None:
    """Statements adding the points of ``item``'s answer (the expression ``value``)."""
    rule = item.rule
    if isinstance(rule, BooleanRule):
        w.add(indent, f"if {value} is True: {group} += {rule.points!r}")
        return
    if isinstance(rule, LevelsRule):
        levels = w.constant({level.id: level.points for level in rule.levels})
        w.add(indent, f"{group} += {levels}.get({value}, 0.0)")
        return
    w.add(indent, f"x = {value}")
    w.add(indent, "if x is not None:")
    body = indent + 1
    if isinstance(rule, ChecklistRule):
        # Every order of every set of ticks looked up; a tick repeated counts once (a set).
        options = w.constant({option.id: option.points for option in rule.options})
        summed = f"sum([{options}[t] for t in set(x)])"
        computed = summed if rule.cap is None else f"min({summed}, {rule.cap!r})"
        if len(rule.options) <= 6:
            table = w.constant(_checklist_table(rule))
            key = "tuple(x)" if on_dict else "x"
            w.add(body, f"p = {table}.get({key})")
            w.add(body, f"{group} += {computed} if p is None else p")
        else:
            w.add(body, f"{group} += {computed}")
        return
    number = 'x["value"]' if on_dict else "x.value"
    year = 'x.get("data_year")' if on_dict else "x.data_year"
    if isinstance(rule, BandsRule):
        w.add(body, f"v = {number}")
        keyword = "if"
        for band in reversed(rule.bands):
            operator = ">=" if band.min_inclusive else ">"
            w.add(body, f"{keyword} v {operator} {band.min!r}: {group} += {band.points!r}")
            keyword = "elif"
        return
    if isinstance(rule, ReferenceRule):
        series = rule.series
        years = w.constant(
            {y: series.point_for(y).value for y in range(series.first_year, series.last_year + 1)}
        )
        better = "<" if rule.direction == "lower_is_better" else ">"
        w.add(body, f"v = {number}; r = {years}[{year}]")
        w.add(body, f"if v {better} r: {group} += {rule.better!r}")
        w.add(body, f"elif v == r: {group} += {rule.equal!r}")
        w.add(body, f"else: {group} += {rule.worse!r}")
        return
    assert isinstance(rule, LinearRule), rule
    measure = (
        (lambda d, r=rule: r.apply(kla.Measurement(float(d["value"]), d.get("data_year"))).points)
        if on_dict
        else (lambda m, r=rule: r.apply(m).points)
    )
    w.add(body, f"{group} += {w.constant(measure)}(x)")


def _items_of(w: _Writer, on_dict: bool, indent: int) -> None:
    """``its``: a several-item indicator's answers by item id, from its answer ``a``."""
    w.add(indent, 'its = a["items"]' if on_dict else "its = a.items")


def _one_item_direct(w: _Writer, indicator: kla.Indicator, group: str, on_dict: bool) -> None:
    """A one-item indicator: the answer itself, unless it is the ``{items: ...}`` form."""
    item = indicator.items[0]
    if on_dict:
        test = 'type(a) is dict and "items" in a'
        w.add(2, f'if {test}: a = a["items"].get({item.id!r})')
    else:
        w.add(2, f"if type(a) is ItemAnswers: a = a.items.get({item.id!r})")
    _item(w, item, "a", group, on_dict, 2)


def flat_source(ruleset: kla.RuleSet, on_dict: bool) -> tuple[str, dict[str, Any]]:
    """The source of the flat function for ``ruleset``, and the constants it reads."""
    w = _Writer()
    name = "on_dict" if on_dict else "on_submission"
    w.add(0, f"def {name}(s):")
    w.add(1, 'A = s["answers"]' if on_dict else "A = s.answers")
    groups = [f"g{index}" for index, _ in enumerate(ruleset.groups)]
    for group, spec in zip(groups, ruleset.groups, strict=True):
        w.add(1, f"{group} = 0.0")
        for indicator in spec.indicators:
            w.add(1, f"a = A.get({indicator.id!r})")
            w.add(1, "if a is not None:")
            if len(indicator.items) == 1:
                _one_item_direct(w, indicator, group, on_dict)
                continue
            _items_of(w, on_dict, 2)
            for item in indicator.items:
                _item(w, item, f"its.get({item.id!r})", group, on_dict, 2)
    resolution = ruleset.resolution
    if not resolution.dyadic:  # the ruleset's exact sums (rules/points.py)
        scale = resolution.scale
        for group in groups:
            w.add(1, f"{group} = round({group} * {scale}) / {scale}")
    total = " + ".join(groups)
    w.add(1, f"t = {total}" if resolution.dyadic else f"t = round(({total}) * {scale}) / {scale}")
    keyword = "if"
    for tier in reversed(ruleset.tiers.tiers):
        operator = ">=" if tier.min_inclusive else ">"
        w.add(1, f"{keyword} t {operator} {tier.min!r}: tier = {tier.id!r}")
        keyword = "elif"
    w.add(1, "else: tier = None")
    w.add(1, f"return ({', '.join(groups)},), t, tier")
    return "\n".join(w.lines) + "\n", w.constants


def flat_module(ruleset: kla.RuleSet) -> str:
    """A self-contained module with ``on_dict`` for ``ruleset``: what a script would import
    to score a submission read with libyaml, with nothing of kla_model loaded."""
    source, constants = flat_source(ruleset, on_dict=True)
    if any(callable(value) for value in constants.values()):
        raise ValueError("a linear rule needs kla_model; the module form has none")
    lines = [f"{name} = {value!r}" for name, value in constants.items()]
    return "\n".join(lines) + "\n\n" + source


def flat_functions(ruleset: kla.RuleSet) -> tuple[Flat, Flat]:
    """``(on_submission, on_dict)`` generated for ``ruleset`` (no must-pass conditions)."""
    if ruleset.tiers.has_conditions:
        raise ValueError("the flat baseline classifies tiers by thresholds only")
    made = []
    for on_dict in (False, True):
        source, constants = flat_source(ruleset, on_dict)
        namespace: dict[str, Any] = {"ItemAnswers": ItemAnswers, **constants}
        exec(compile(source, f"<flat {ruleset.id}>", "exec"), namespace)
        made.append(namespace["on_dict" if on_dict else "on_submission"])
    return made[0], made[1]


def tiers_of(ruleset: kla.RuleSet) -> Mapping[str, kla.Tier]:
    return {tier.id: tier for tier in ruleset.tiers.tiers}
