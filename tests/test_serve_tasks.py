"""``POST /tasks`` in-process: the task force's view, agency by agency, as ``kla tasks`` gives it."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.applications import Starlette

import kla_model as kla
from conftest import ROOT
from kla_model.rules.points import decimal_sum
from serve_client import call, conforms, example_data, problems

ASSIGNMENT = ROOT / "examples" / "kota-tangerang-2025-agencies.yaml"
COSTS = ROOT / "examples" / "kota-tangerang-2025-costs.yaml"


@pytest.fixture(scope="module")
def assignment(bundled: kla.RuleSet) -> kla.Assignment:
    return kla.load_assignment(ASSIGNMENT, bundled)


def _tasks(service: Starlette, url: str, body: Any) -> Any:
    response = call(service, "POST", url, json=body)
    assert response.status_code == 200, response.text
    answer = response.json()
    conforms("task-force", answer)
    return answer


def test_tasks_answers_the_task_force_of_the_library(
    service: Starlette,
    bundled: kla.RuleSet,
    example: kla.Submission,
    assignment: kla.Assignment,
) -> None:
    body = {"submission": example_data(), "assignment": assignment.to_dict()}
    answer = _tasks(service, "/tasks?target=utama", body)
    expected = kla.task_force(bundled, example, assignment, target="utama")
    assert answer == expected.to_dict()
    shares = [tasks["points"] for tasks in [*answer["agencies"], answer["unassigned"]]]
    assert float(decimal_sum(shares)) == answer["total"]
    [lead] = [a for a in answer["agencies"] if a["agency"]["id"] == "disdukcapil"]
    assert [c["item"] for c in lead["corrections"]] == ["I.1.1"]


def test_tasks_reads_costs_and_the_stage(
    service: Starlette,
    bundled: kla.RuleSet,
    example: kla.Submission,
    assignment: kla.Assignment,
) -> None:
    costs_data = kla.load_costs(COSTS, bundled).to_dict()
    body = {"submission": example_data(), "assignment": assignment.to_dict(), "costs": costs_data}
    answer = _tasks(service, "/tasks?stage=self_assessment", body)
    costs = kla.load_costs(COSTS, bundled)
    expected = kla.task_force(bundled, example, assignment, cost=costs, stage="self_assessment")
    assert answer == expected.to_dict()
    assert answer["stage"] == "self_assessment"


def test_an_unknown_agency_in_the_assignment_is_a_422_at_its_field(
    service: Starlette, assignment: kla.Assignment
) -> None:
    data = assignment.to_dict()
    data["owners"][0]["lead"] = "dinkess"
    body = {"submission": example_data(), "assignment": data}
    response = call(service, "POST", "/tasks", json=body)
    assert response.status_code == 422
    [problem] = problems(response)
    assert problem["location"] == "body.assignment: $.owners[0].lead"
    assert problem["message"].startswith("unknown agency 'dinkess' (did you mean 'dinkes'?)")


def test_a_body_without_an_assignment_is_refused_naming_it(service: Starlette) -> None:
    response = call(service, "POST", "/tasks", json={"submission": example_data(), "x": 1})
    assert response.status_code == 422
    assert problems(response) == [
        {
            "location": "body: $.x",
            "message": "unknown field; allowed: submission, assignment, costs",
        },
        {"location": "body: $", "message": "expected a field 'assignment'; found none"},
    ]
