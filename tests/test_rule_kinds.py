"""Every rule kind is stated once, in ``rules/point_rules``: each per-kind table of the layers
above covers every kind in ``RULE_KINDS``, each kind's facts agree with what its rules do,
and no module outside ``rules/point_rules`` asks which kind a rule is."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kla_model as kla
import strategies
from kla_model._base.package_data import PACKAGE_DIR
from kla_model.analysis import explain_templates, item_facts, moves, steps
from kla_model.rules.point_rules import (
    ANSWER_FORMS,
    RULE_CLASSES,
    RULE_KINDS,
    TABULATED_OPTIONS,
    BadCell,
    ChecklistRule,
    LevelsRule,
    Option,
    PointRule,
    kind_facts,
)
from kla_model.rules.point_rules.parse import rule_from_mapping
from kla_model.views import catalogue
from profiles import examples

SRC = Path(kla.__file__).resolve().parent


def _schema_kinds() -> list[str]:
    schema = json.loads(PACKAGE_DIR.joinpath("schemas", "ruleset.schema.json").read_text())
    return list(schema["$defs"]["rule"]["properties"]["kind"]["enum"])


def _rule_kinds_schema() -> dict[str, Any]:
    document = json.loads(PACKAGE_DIR.joinpath("schemas", "rule-kinds.schema.json").read_text())
    kinds: dict[str, Any] = document["properties"]["kinds"]
    return kinds


#: Every table keyed by rule kind, by where it lives.
PER_KIND_TABLES: dict[str, Iterable[str]] = {
    "rules.point_rules.kinds.RULE_CLASSES": RULE_CLASSES,
    "schemas/ruleset.schema.json kind enum": _schema_kinds(),
    "schemas/rule-kinds.schema.json kinds": _rule_kinds_schema()["propertyNames"]["enum"],
    "schemas/rule-kinds.schema.json required kinds": _rule_kinds_schema()["required"],
    "GET /rule-kinds (kind_facts)": kind_facts()["kinds"],
    "analysis.explain_templates.READINGS": explain_templates.READINGS,
    "analysis.explain_templates.SHORTS": explain_templates.SHORTS,
    "analysis.explain_templates.MISSING": explain_templates.MISSING,
    "analysis.moves.MOVE_KINDS": moves.MOVE_KINDS,
    "analysis.steps.STEP_TEMPLATES": steps.STEP_TEMPLATES,
    "analysis.steps._FACTS": steps._FACTS,
    "analysis.item_facts._FACTS": item_facts._FACTS,
    "analysis.item_facts._WOULD": item_facts._WOULD,
    "views.catalogue._SUMMARIES": [rule.kind for rule in catalogue._SUMMARIES],
}


@pytest.mark.parametrize("name", sorted(PER_KIND_TABLES))
def test_every_per_kind_table_covers_every_kind(name: str) -> None:
    """A new kind added to ``RULE_CLASSES`` fails here until every table has it."""
    keys = list(PER_KIND_TABLES[name])
    assert sorted(keys) == sorted(RULE_KINDS), name
    assert len(keys) == len(set(keys)), name


def test_the_kinds_are_named_by_their_classes_in_the_schemas_order() -> None:
    assert list(RULE_KINDS) == _schema_kinds()
    assert all(rule.kind == kind for kind, rule in RULE_CLASSES.items())


@pytest.mark.parametrize("kind", RULE_KINDS)
def test_each_kinds_facts_are_consistent(kind: str) -> None:
    """A measured kind is written as a number (with its data year), and only a measured
    kind's points can be a proportion."""
    rule = RULE_CLASSES[kind]
    assert rule.answer_form in ANSWER_FORMS
    assert rule.measured == (rule.answer_form == "number")
    assert not rule.proportional or rule.measured
    assert kind_facts()["kinds"][kind] == {
        "answer": rule.answer_form,
        "measured": rule.measured,
        "proportional": rule.proportional,
    }


def _bundled_items() -> list[kla.Item]:
    return [
        item for name in kla.bundled_rulesets() for item in kla.load_ruleset(name).items.values()
    ]


def test_a_rules_table_of_answers_gives_what_the_rule_gives() -> None:
    """Where the answers are finite, the table holds every answer with the rule's outcome;
    a measured rule has no table."""
    for item in _bundled_items():
        rule = item.rule
        table = rule.answer_table()
        if rule.measured:
            assert table is None, item.id
            continue
        assert table is not None, item.id
        for answer, outcome in table.items():
            assert rule.evaluate(answer) == outcome, (item.id, answer)


def test_a_checklist_tabulates_every_order_up_to_the_one_limit() -> None:
    options = tuple(Option(str(n), kla.Label("o", "o"), 1.0) for n in range(TABULATED_OPTIONS))
    short = ChecklistRule(options).answer_table()
    assert short is not None
    # every order of every set of ticks: sum over k of n!/(n-k)!
    assert len(short) == sum(_falling(TABULATED_OPTIONS, k) for k in range(TABULATED_OPTIONS + 1))
    assert short[("1", "0")].points == 2.0
    longer = (*options, Option("x", kla.Label("x", "x"), 1.0))
    assert ChecklistRule(longer).answer_table() is None
    assert ChecklistRule(longer).evaluate(("x", "0")) is not None


def _falling(n: int, k: int) -> int:
    result = 1
    for factor in range(n - k + 1, n + 1):
        result *= factor
    return result


def test_a_cell_is_read_as_its_kinds_answer() -> None:
    levels = LevelsRule((Option("a", kla.Label("a", "a"), 1.0),))
    assert levels.read_cell("a") == "a"
    checklist = ChecklistRule((Option("a", kla.Label("a", "a"), 1.0),))
    assert checklist.read_cell("a; b") == ("a", "b")
    assert checklist.read_cell("-") == ()
    assert checklist.read_cell("a;a") == BadCell("option 'a' is listed twice")
    for item in _bundled_items():
        rule = item.rule
        if rule.answer_form == "yes_no":
            assert (rule.read_cell("Ya"), rule.read_cell("no")) == (True, False)
            bad = rule.read_cell("maybe")
            assert isinstance(bad, BadCell) and "expected yes or no" in bad.message
        if rule.measured:
            assert rule.read_cell("75.5") == 75.5
            bad = rule.read_cell("75,5")
            assert isinstance(bad, BadCell)
            assert (
                bad.message
                == "expected a number; found '75,5' (write the decimal point as '.': 75.5)"
            )


_NAMES = "|".join(RULE_KINDS)
#: What a switch on a rule's kind looks like in the source.
_SWITCHES = re.compile(
    r"(rule|item)\w*\.kind\s*(==|!=|\bin\b|\bnot in\b)"  # rule.kind == ..., item.kind in ...
    rf"|(==|!=)\s*[\"'](?:{_NAMES})[\"']"  # kind == "levels"
    r"|isinstance\([^)]*rule[^)]*,\s*\(?\s*\w*Rule\b"  # isinstance(item.rule, LevelsRule)
    r"|type\([^)]*rule\) is"  # type(rule) is BandsRule
    r"|\[\s*\"kind\"\s*\]\s*(==|!=|\bin\b)"  # rule["kind"] == "reference"
)


def _switches(path: Path, root: Path = SRC) -> list[str]:
    found = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        code = line.strip()
        if code.startswith(("#", "assert ")):  # an assert only narrows a type for mypy
            continue
        if _SWITCHES.search(code):
            found.append(f"{path.relative_to(root)}:{number}: {code}")
    return found


def test_no_module_outside_the_point_rules_switches_on_a_rules_kind() -> None:
    found = [
        switch
        for path in sorted(SRC.rglob("*.py"))
        if "point_rules" not in path.parts
        for switch in _switches(path)
    ]
    assert found == []


def test_the_switch_finder_finds_switches(tmp_path: Path) -> None:
    """The scan above is not vacuous: each form of switch is found, and a comparison of
    another kind of thing (a cause's, a region's) is not taken for one."""
    module = tmp_path / "probe.py"
    switches = [
        'if item.rule.kind == "levels": pass',
        "if isinstance(item.rule, LevelsRule): pass",
        "if type(item.rule) is BandsRule: pass",
        'if rule["kind"] == "reference": pass',
        'x = rule.kind in ("bands", "linear")',
        'if kind != "linear": pass',
    ]
    others = ['key = cause.kind != "rejected"', "if region.kind not in DISTRICT_KINDS: pass"]
    module.write_text("\n".join([*switches, *others]))
    assert len(_switches(module, tmp_path)) == len(switches)


@st.composite
def _rule_and_answer(draw: st.DrawFn) -> tuple[PointRule, Any]:
    """A rule of a generated ruleset (every kind), and an answer it may or may not score."""
    ruleset = draw(strategies.rulesets)
    item = draw(st.sampled_from(list(ruleset.items.values())))
    anything = st.one_of(
        strategies.item_answers(item),
        st.booleans(),
        st.text(max_size=3),
        st.tuples(st.text(max_size=2)),
        st.floats(allow_nan=True).map(lambda value: kla.Measurement(value, 2020)),
    )
    return item.rule, draw(anything)


@settings(max_examples=examples(300))
@given(_rule_and_answer())
def test_a_rules_points_alone_are_its_outcomes_points(case: tuple[PointRule, Any]) -> None:
    """``points_for`` (what the totals add) is ``evaluate``'s points, or ``None`` with it."""
    rule, answer = case
    outcome = rule.evaluate(answer)
    assert rule.points_for(answer) == (None if outcome is None else outcome.points)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
@pytest.mark.parametrize(
    "data",
    [
        {
            "kind": "bands",
            "unit": "count",
            "bands": [
                {"min": 0, "min_inclusive": True, "max": 5, "max_inclusive": False, "points": 0},
                {"min": 5, "min_inclusive": True, "max": 10, "max_inclusive": True, "points": 4},
            ],
        },
        {
            "kind": "linear",
            "unit": "count",
            "from": {"value": 0, "points": 0},
            "to": {"value": 10, "points": 4},
        },
    ],
    ids=["bands", "linear"],
)
def test_a_measurement_that_is_no_finite_number_scores_nothing(
    data: dict[str, Any], value: float
) -> None:
    # The readers refuse NaN and infinities; a Measurement made in code can carry one, and a
    # count's rule must not file it in its top band (bisection) nor fail on it (fractions).
    rule = rule_from_mapping(data, 4.0, {})
    answer = kla.Measurement(value, 2020)
    assert rule.evaluate(answer) is None
    assert rule.points_for(answer) is None
    assert rule.problem(answer) == f"expected a finite number; found {value}"
