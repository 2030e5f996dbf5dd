"""task_force(): a district's score, evidence and plan split among its agencies (OPD)."""

from __future__ import annotations

import json
import math
from collections import Counter
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kla_model as kla
from kla_model.views.task_force import task_force_html, task_force_text
from plan_strategies import cost_data, ruleset_data, submission_data
from profiles import examples
from ruleset_answers import best, pack
from stage_strategies import submissions_with_history

ROOT = Path(__file__).resolve().parents[1]
CASE = ROOT / "tests" / "cases" / "task-force" / "contoh.yaml"
AGENCIES = ROOT / "examples" / "kota-tangerang-2025-agencies.yaml"
COSTS = ROOT / "examples" / "kota-tangerang-2025-costs.yaml"


# --- the golden case -------------------------------------------------------------------------


def _inputs() -> tuple[kla.RuleSet, kla.Submission, kla.Assignment]:
    case = yaml.safe_load(CASE.read_text("utf-8"))
    ruleset = kla.load_ruleset(CASE.parent / case["ruleset"])
    submission = kla.Submission.from_mapping(case["submission"])
    return ruleset, submission, kla.Assignment.from_mapping(case["assignment"], "case", ruleset)


def _golden() -> tuple[dict[str, Any], kla.TaskForce]:
    expect = yaml.safe_load(CASE.read_text("utf-8"))["expect"]
    return expect, kla.task_force(*_inputs())


def test_golden_case_district() -> None:
    expect, force = _golden()
    assert force.stage == expect["stage"]
    assert force.total == expect["total"]
    assert force.declared_total == expect["declared_total"]
    assert [item.item for item in force.unassigned.items] == expect["unassigned"]
    assert force.plan is not None
    assert force.plan.target.id == expect["plan"]["target"]
    assert force.plan.reachable is expect["plan"]["reachable"]
    assert force.plan.new_total == expect["plan"]["new_total"]
    assert force.status == "illustrative"
    assert force.coordinator == kla.Agency("pokja", "Sekretariat Gugus Tugas", "Pokja")


@pytest.mark.parametrize("agency", ["pokja", "hukum", "sosial", None])
def test_golden_case_per_agency(agency: str | None) -> None:
    expect, force = _golden()
    want = expect["agencies"][agency]
    tasks = force.unassigned if agency is None else force.agency(agency)
    assert [item.item for item in tasks.items] == want["items"]
    for field in ("points", "max", "declared", "lost", "at_risk", "gain", "points_after"):
        assert getattr(tasks, field) == want[field], field
    assert [gap.item for gap in tasks.gaps] == want["gaps"]
    assert list(tasks.supports) == want["supports"]
    assert [correction.item for correction in tasks.corrections] == want["corrections"]
    assert [step.item for step in tasks.steps] == want["steps"]


def test_golden_case_out_of_reach() -> None:
    """Utama (≥ 90) needs A.1 at 28, but A.1's evidence was rejected: no step can raise it."""
    far = kla.task_force(*_inputs(), target="utama")
    assert far.plan is not None and not far.plan.reachable
    assert all(not tasks.steps for tasks in far.buckets)
    assert task_force_text(far, "en").splitlines()[4] == (
        "Plan: Top (≥ 90) cannot be reached (short by 50.00)"
    )


def test_golden_case_correction_and_shares() -> None:
    _, force = _golden()
    (correction,) = force.agency("sosial").corrections
    assert correction.to_dict() == {
        "indicator": "A.2",
        "item": "A.2.1",
        "declared": {"value": 85, "data_year": 2023},
        "corrected": {"value": 70, "data_year": 2023},
        "stage": "field",
        "verifier": "Tim Lapangan",
        "reason": "hitung ulang",
    }
    shares = force.agency("pokja").indicators
    assert [(s.id, s.points, s.max, s.items, s.whole) for s in shares] == [
        ("A.1", 0.0, 18.0, ("A.1.2", "A.1.3"), False),
        ("B.3", 0.0, 10.0, ("B.3.1",), True),
    ]


# --- the example district ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def example_force(bundled: kla.RuleSet, example: kla.Submission) -> kla.TaskForce:
    return kla.task_force(bundled, example, kla.load_assignment(AGENCIES, bundled))


def _row(tasks: kla.AgencyTasks) -> tuple[Any, ...]:
    steps = tuple(step.item for step in tasks.steps)
    return (tasks.points, tasks.max, tasks.lost, tasks.at_risk, tasks.gain, steps)


def test_example_per_agency_at_the_final_stage(example_force: kla.TaskForce) -> None:
    """Kota Tangerang at the final verification (710.75, Nindya), planned to Utama."""
    force = example_force
    assert (force.stage, force.total, force.declared_total) == ("final", 710.75, 763.25)
    rows = {tasks.id: _row(tasks) for tasks in force.buckets}
    assert rows == {
        "dp3ap2kb": (147.75, 251.0, 15.0, 15.0, 52.0, ("II.1.1",)),
        "bappeda": (13.0, 16.0, 0.0, 0.0, 0.0, ()),
        "hukum": (71.0, 71.0, 0.0, 0.0, 0.0, ()),
        "bpkad": (20.0, 20.0, 0.0, 0.0, 0.0, ()),
        "disdukcapil": (30.0, 40.0, 10.0, 0.0, 0.0, ()),
        "diskominfo": (25.0, 35.0, 0.0, 0.0, 0.0, ()),
        "dinsos": (39.0, 87.0, 17.5, 17.5, 13.0, ("II.3.1",)),
        "dinkes": (127.5, 145.0, 0.0, 0.0, 0.0, ()),
        "disperkimtan": (35.0, 35.0, 0.0, 0.0, 0.0, ()),
        "satpolpp": (0.0, 15.0, 10.0, 10.0, 0.0, ()),
        "dindik": (90.0, 145.0, 0.0, 0.0, 33.75, ("IV.1.1", "IV.2.1")),
        "disbudpar": (35.0, 45.0, 0.0, 0.0, 0.0, ()),
        "disnaker": (26.25, 35.0, 0.0, 0.0, 0.0, ()),
        "bpbd": (25.0, 25.0, 0.0, 0.0, 0.0, ()),
        None: (26.25, 35.0, 0.0, 0.0, 0.0, ()),
    }
    assert [gap.item for gap in force.agency("dinsos").gaps] == ["V.4.1"]
    assert [c.item for c in force.agency("disdukcapil").corrections] == ["I.1.1"]
    assert force.agency("dinkes").supports == ("II.1.1", "III.5.1", "III.6.1", "III.6.2")


def test_example_with_costs_and_at_the_self_assessment(
    bundled: kla.RuleSet, example: kla.Submission
) -> None:
    assignment = kla.load_assignment(AGENCIES, bundled)
    costs = kla.load_costs(COSTS, bundled)
    force = kla.task_force(bundled, example, assignment, cost=costs)
    steps = {t.id: [s.item for s in t.steps] for t in force.buckets if t.steps}
    assert steps == {
        "dp3ap2kb": ["II.2.2", "II.2.3"],
        "diskominfo": ["I.2.1"],
        "dinsos": ["II.3.1"],
        "dindik": ["IV.1.1", "IV.2.1", "V.5.3"],
        "disbudpar": ["IV.4.1"],
    }
    assert force.plan is not None and force.plan.cost == 15.0
    declared = kla.task_force(bundled, example, assignment, stage="self_assessment")
    assert declared.total == declared.declared_total == 763.25
    assert {t.id: t.lost for t in declared.buckets} == dict.fromkeys(
        [t.id for t in declared.buckets], 0.0
    )
    assert [s.item for s in declared.agency("dp3ap2kb").steps] == ["II.1.1"]


def test_a_target_further_up_and_the_top_tier(
    bundled: kla.RuleSet, example: kla.Submission
) -> None:
    assignment = kla.load_assignment(AGENCIES, bundled)
    force = kla.task_force(bundled, example, assignment, target="kla")
    assert force.plan is not None and force.plan.target.id == "kla"
    assert force.plan.reachable
    assert sum(len(tasks.steps) for tasks in force.buckets) == len(force.plan.steps)
    with pytest.raises(kla.PlanError, match="expected one of the tiers"):
        kla.task_force(bundled, example, assignment, target="utamaa")
    best = kla.Submission.from_mapping(
        {**example.to_dict(), "answers": _full_marks(bundled), "evidence": [], "verification": []}
    )
    top = kla.task_force(bundled, best, assignment)
    assert top.tier is not None and top.tier.id == "kla"
    assert top.plan is None
    assert all(not tasks.steps for tasks in top.buckets)


def _full_marks(ruleset: kla.RuleSet) -> dict[str, Any]:
    """Every item at its best answer, in submission format."""
    answers = pack(ruleset, {item_id: best(item) for item_id, item in ruleset.items.items()})
    region = kla.Region(code="36.71", name="Kota Tangerang", kind="kota", province="Banten")
    full: dict[str, Any] = kla.Submission(region, 2025, answers).to_dict()["answers"]
    return full


def test_an_assignment_that_does_not_fit_the_ruleset_is_refused(
    bundled: kla.RuleSet, example: kla.Submission
) -> None:
    assignment = kla.Assignment.from_mapping(
        {
            "status": "adopted",
            "agencies": [{"id": "a", "name": "A", "short": "A"}],
            "owners": [{"id": "K.9", "lead": "a"}],
        },
        "tim.yaml",
    )
    with pytest.raises(kla.AssignmentError) as caught:
        kla.task_force(bundled, example, assignment)
    assert str(caught.value).splitlines() == [
        "tim.yaml: 1 problem",
        "  tim.yaml: $.owners[0].id: unknown indicator or item id 'K.9' (did you mean 'K.3'?) "
        "in ruleset perpres-25-2021",
    ]


def test_to_dict_is_json_safe_and_adds_up(example_force: kla.TaskForce) -> None:
    data = json.loads(json.dumps(example_force.to_dict()))
    buckets = [*data["agencies"], data["unassigned"]]
    assert math.fsum(bucket["points"] for bucket in buckets) == data["total"] == 710.75
    assert data["unassigned"]["agency"] is None
    assert [item["item"] for item in data["unassigned"]["items"]] == ["V.3.1"]


def test_notebook_view_and_plot(example_force: kla.TaskForce) -> None:
    html = example_force._repr_html_()
    assert html == task_force_html(example_force, pages=False)
    assert html.startswith("<div><h1>Gugus Tugas KLA · Kota Tangerang · 2025</h1>")
    assert "<!DOCTYPE" not in html and 'class="page"' not in html
    for tasks in example_force.agencies:
        assert tasks.agency is not None and f">{tasks.agency.short}<" in html
    figure = kla.plot_task_force(example_force)
    axes = figure.axes[0]
    labels = [label.get_text() for label in axes.get_yticklabels()]
    assert labels[0] == "DP3AP2KB" and labels[-1] == "Belum ditugaskan" and len(labels) == 15
    widths = [bar.get_width() for bar in axes.patches]
    assert widths[:15] == [t.max for t in example_force.buckets]  # maxima
    assert widths[15:30] == [t.points_after for t in example_force.buckets]  # after the plan
    assert widths[30:] == [t.points for t in example_force.buckets]  # now
    assert figure._repr_png_()[:8] == b"\x89PNG\r\n\x1a\n"


# --- properties ------------------------------------------------------------------------------


@st.composite
def assignment_for(draw: st.DrawFn, ruleset: kla.RuleSet) -> kla.Assignment:
    """Any valid assignment: some indicators and items listed, others left unassigned."""
    agencies = draw(st.lists(st.sampled_from("abcde"), min_size=1, max_size=4, unique=True))
    ids = draw(st.lists(st.sampled_from([*ruleset.indicators, *ruleset.items]), unique=True))
    owners = []
    for owner_id in ids:
        lead = draw(st.sampled_from(agencies))
        support = [s for s in draw(st.lists(st.sampled_from(agencies), unique=True)) if s != lead]
        owners.append({"id": owner_id, "lead": lead, "support": support})
    data = {
        "status": "adopted",
        "agencies": [{"id": a, "name": a, "short": a} for a in agencies],
        "owners": owners,
    }
    return kla.Assignment.from_mapping(data, "generated", ruleset)


def _exact(values: list[float]) -> Fraction:
    return sum((Fraction(value) for value in values), Fraction(0))


def _check_partition(ruleset: kla.RuleSet, submission: kla.Submission, force: Any) -> None:
    """The invariants the task force promises, whatever the ruleset, submission and owners."""
    card = kla.score(ruleset, submission, stage=force.stage)
    buckets = force.buckets
    # Every item in exactly one bucket, so the agencies' points add up to the district's.
    items = [item.item for tasks in buckets for item in tasks.items]
    assert Counter(items) == Counter(list(ruleset.items))
    points = [item.points for _, _, item in card.trace()]
    assert _exact([item.points for t in buckets for item in t.items]) == _exact(points)
    assert math.isclose(math.fsum(t.points for t in buckets), card.total, abs_tol=1e-9)
    assert math.isclose(math.fsum(t.max for t in buckets), ruleset.max_score, abs_tol=1e-9)
    lost = math.fsum(t.lost for t in buckets)
    assert math.isclose(lost, force.declared_total - force.total, abs_tol=1e-9)
    report = kla.evidence_report(ruleset, submission, stage=force.stage)
    assert math.isclose(math.fsum(t.at_risk for t in buckets), report.points_at_risk)
    # Every plan step belongs to exactly one agency: the lead of its item.
    owners = force_owners(force)
    steps = [(tasks.id, step) for tasks in buckets for step in tasks.steps]
    plan_steps = () if force.plan is None else force.plan.steps
    assert Counter(step for _, step in steps) == Counter(plan_steps)
    assert all(owners[step.item] == agency for agency, step in steps)
    # An unassigned item is always reported.
    unassigned = {item for item, agency in owners.items() if agency is None}
    assert {item.item for item in force.unassigned.items} == unassigned
    assert (force.unassigned in buckets) == bool(unassigned)


def force_owners(force: kla.TaskForce) -> dict[str, str | None]:
    return {item.item: tasks.id for tasks in force.buckets for item in tasks.items}


@settings(max_examples=examples(40), suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_buckets_partition_the_bundled_ruleset_at_every_stage(data: st.DataObject) -> None:
    """Agencies' points add up to the district's; each step has one owner; nothing is lost."""
    ruleset = kla.load_ruleset("perpres-25-2021")
    submission = data.draw(submissions_with_history())
    assignment = data.draw(assignment_for(ruleset))
    stage = data.draw(st.sampled_from(kla.STAGES))
    force = kla.task_force(ruleset, submission, assignment, stage=stage)
    _check_partition(ruleset, submission, force)
    # The unassigned items are exactly those no entry reaches.
    assert tuple(i.item for i in force.unassigned.items) == assignment.unassigned(ruleset)


@settings(max_examples=examples(80), suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_buckets_partition_generated_rulesets_and_plans(data: st.DataObject) -> None:
    mapping = data.draw(ruleset_data(max_items=6, conditions=True, min_items=2))
    ruleset = kla.RuleSet.from_mapping(mapping)
    submission = kla.Submission.from_mapping(data.draw(submission_data(mapping)))
    assignment = data.draw(assignment_for(ruleset))
    costs = kla.Costs.from_mapping(data.draw(cost_data(ruleset)))
    card = kla.score(ruleset, submission)
    tiers = [t.id for t in ruleset.tiers.tiers]
    above = tiers[(-1 if card.tier is None else tiers.index(card.tier.id)) + 1 :]
    target = data.draw(st.none() | st.sampled_from(above)) if above else None
    force = kla.task_force(ruleset, submission, assignment, target=target, cost=costs)
    _check_partition(ruleset, submission, force)
    if force.plan is not None:
        gain = math.fsum(t.gain for t in force.buckets)
        assert math.isclose(gain, force.plan.gain, abs_tol=1e-9)
        assert math.isclose(math.fsum(t.cost for t in force.buckets), force.plan.cost)
