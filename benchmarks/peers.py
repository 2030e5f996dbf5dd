"""Two peers scoring the same submissions, for the benchmark: generated from the ruleset.

* ``rule-engine`` (``pip install rule-engine``): one rule per item, an expression of the
  item's answer ``x`` that gives its points; Python adds them and classifies the total.
* GoRules ZEN (``pip install zen-engine``): one decision graph for the whole ruleset, an
  expression node giving every item's points, a second one adding them into groups, the
  total and the tier.

Both are installed by the ``bench`` extra (``pip install 'kla_model[bench]'``); the benchmark
checks each against ``score()`` before timing it.  Only the rule kinds of the bundled ruleset
are translated (yes/no, levels, checklists, bands, reference series).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import kla_model as kla
from kla_model.rules.point_rules import (
    BandsRule,
    BooleanRule,
    ChecklistRule,
    LevelsRule,
    ReferenceRule,
)
from kla_model.submissions.submission import ItemAnswers, Measurement

Scorer = Callable[[kla.Submission], tuple[float, str | None]]


def _literal(value: Any) -> str:
    return json.dumps(value)


def _name(item_id: str) -> str:
    return "i_" + item_id.replace(".", "_")


def _value(answer: Any) -> Any:
    """An answer as the peers read it: numbers as the decimals written."""
    if isinstance(answer, Measurement):
        return {"value": Decimal(repr(answer.value)), "data_year": answer.data_year}
    if isinstance(answer, tuple):
        return list(answer)
    return answer


def _zen_value(answer: Any) -> Any:
    if isinstance(answer, Measurement):
        return {"value": answer.value, "data_year": answer.data_year}
    return list(answer) if isinstance(answer, tuple) else answer


def _item_answers(ruleset: kla.RuleSet, submission: kla.Submission) -> dict[str, Any]:
    """Every item's answer by item id (unanswered: ``None``)."""
    found: dict[str, Any] = dict.fromkeys(ruleset.items)
    for indicator_id, answer in submission.answers.items():
        indicator = ruleset.indicators[indicator_id]
        if isinstance(answer, ItemAnswers):
            found.update(answer.items)
        else:
            found[indicator.items[0].id] = answer
    return found


def _nested(cases: list[tuple[str, str]], otherwise: str) -> str:
    """``c1 ? v1 : (c2 ? v2 : ... otherwise)``."""
    expression = otherwise
    for condition, value in reversed(cases):
        expression = f"({condition} ? {value} : {expression})"
    return expression


def _bands(rule: BandsRule, x: str) -> str:
    cases = [
        (f"{x}.value {'>=' if band.min_inclusive else '>'} {band.min!r}", repr(band.points))
        for band in reversed(rule.bands)
    ]
    return _nested(cases, "0.0")


def _years(rule: ReferenceRule) -> dict[int, float]:
    series = rule.series
    return {y: series.point_for(y).value for y in range(series.first_year, series.last_year + 1)}


# --- rule-engine ------------------------------------------------------------------------------


def _rule_engine_expression(rule: Any) -> str:
    if isinstance(rule, BooleanRule):
        return f"x == true ? {rule.points!r} : 0.0"
    if isinstance(rule, LevelsRule):
        levels = {level.id: level.points for level in rule.levels}
        return f"{_literal(levels)}&[x] ?? 0.0"
    if isinstance(rule, ChecklistRule):
        options = {option.id: option.points for option in rule.options}
        return f"x == null ? [] : [{_literal(options)}[t] for t in x.to_set]"
    if isinstance(rule, BandsRule):
        return f"x == null ? 0.0 : {_bands(rule, 'x')}"
    if isinstance(rule, ReferenceRule):
        years = "{" + ", ".join(f"{y}: {v!r}" for y, v in _years(rule).items()) + "}"
        better = "<" if rule.direction == "lower_is_better" else ">"
        compare = _nested(
            [
                (f"x.value {better} {years}[x.data_year]", repr(rule.better)),
                (f"x.value == {years}[x.data_year]", repr(rule.equal)),
            ],
            repr(rule.worse),
        )
        return f"x == null ? 0.0 : {compare}"
    raise ValueError(f"no rule-engine translation for {rule.kind!r}")


def rule_engine_scorer(ruleset: kla.RuleSet) -> Scorer:
    import rule_engine  # noqa: PLC0415 (the bench extra)

    context = rule_engine.Context(default_value=None)
    rules = {
        item_id: (rule_engine.Rule(_rule_engine_expression(item.rule), context=context), item)
        for item_id, item in ruleset.items.items()
    }
    tiers = ruleset.tiers

    def score(submission: kla.Submission) -> tuple[float, str | None]:
        total = Decimal(0)
        for item_id, answer in _item_answers(ruleset, submission).items():
            rule, item = rules[item_id]
            points = rule.evaluate({"x": _value(answer)})
            if isinstance(points, tuple):  # a checklist: the ticked options' points
                points = sum(points, Decimal(0))
                cap = item.rule.cap  # type: ignore[attr-defined]
                points = points if cap is None else min(points, Decimal(repr(cap)))
            total += points
        tier = tiers.by_total(float(total))
        return float(total), None if tier is None else tier.id

    return score


# --- GoRules ZEN ------------------------------------------------------------------------------


def _zen_expression(rule: Any, x: str) -> str:
    if isinstance(rule, BooleanRule):
        return f"{x} == true ? {rule.points!r} : 0"
    if isinstance(rule, LevelsRule):
        cases = [(f"{x} == {_literal(level.id)}", repr(level.points)) for level in rule.levels]
        return _nested(cases, "0")
    if isinstance(rule, ChecklistRule):
        parts = [
            f"(contains({x}, {_literal(option.id)}) ? {option.points!r} : 0)"
            for option in rule.options
        ]
        summed = " + ".join(parts)
        capped = summed if rule.cap is None else f"min([{summed}, {rule.cap!r}])"
        return f"{x} == null ? 0 : {capped}"
    if isinstance(rule, BandsRule):
        return f"{x} == null ? 0 : {_bands(rule, x)}"
    if isinstance(rule, ReferenceRule):
        cases = []
        better = "<" if rule.direction == "lower_is_better" else ">"
        for year, value in _years(rule).items():
            verdict = _nested(
                [
                    (f"{x}.value {better} {value!r}", repr(rule.better)),
                    (f"{x}.value == {value!r}", repr(rule.equal)),
                ],
                repr(rule.worse),
            )
            cases.append((f"{x}.data_year == {year}", verdict))
        return f"{x} == null ? 0 : {_nested(cases, '0')}"
    raise ValueError(f"no ZEN translation for {rule.kind!r}")


def _node(
    node_id: str, kind: str, expressions: list[tuple[str, str]] | None = None
) -> dict[str, Any]:
    node: dict[str, Any] = {"id": node_id, "type": kind, "name": node_id}
    node["position"] = {"x": 0, "y": 0}
    if expressions is not None:
        node["content"] = {
            "expressions": [
                {"id": f"{node_id}{n}", "key": key, "value": value}
                for n, (key, value) in enumerate(expressions)
            ]
        }
    return node


def zen_graph(ruleset: kla.RuleSet) -> dict[str, Any]:
    """The ZEN decision graph (JSON Decision Model) of ``ruleset``'s totals and tiers."""
    points = [
        (f"p_{_name(item.id)}", _zen_expression(item.rule, _name(item.id)))
        for item in ruleset.items.values()
    ]
    groups = [
        (
            f"g_{group.id}",
            " + ".join(
                f"p_{_name(item.id)}" for indicator in group.indicators for item in indicator.items
            ),
        )
        for group in ruleset.groups
    ]
    total = ("total", " + ".join(f"$.g_{group.id}" for group in ruleset.groups))
    tier = (
        "tier",
        _nested(
            [
                (f"$.total {'>=' if t.min_inclusive else '>'} {t.min!r}", _literal(t.id))
                for t in reversed(ruleset.tiers.tiers)
            ],
            '"none"',
        ),
    )
    nodes = [
        _node("input", "inputNode"),
        _node("items", "expressionNode", points),
        _node("totals", "expressionNode", [*groups, total, tier]),
        _node("output", "outputNode"),
    ]
    path = ["input", "items", "totals", "output"]
    edges = [
        {"id": f"e{n}", "sourceId": a, "targetId": b, "type": "edge"}
        for n, (a, b) in enumerate(itertools.pairwise(path))
    ]
    return {"nodes": nodes, "edges": edges}


def zen_scorer(ruleset: kla.RuleSet) -> Scorer:
    import zen  # noqa: PLC0415 (the bench extra)

    decision = zen.ZenEngine().create_decision(json.dumps(zen_graph(ruleset)))

    def score(submission: kla.Submission) -> tuple[float, str | None]:
        answers = _item_answers(ruleset, submission)
        context = {_name(item_id): _zen_value(a) for item_id, a in answers.items()}
        result = decision.evaluate(context)["result"]
        tier = result["tier"]
        return float(result["total"]), None if tier == "none" else tier

    return score
