"""Every check stops after its cap of problems, every echo of the input is cut, hints are
looked for only among few candidates, and costs cannot overflow (issue 23, points 1, 2, 4).

Each test builds the input that was found to blow up (a problem per unknown supporter, each
listing every agency; a fuzzy search per record over every evidence id) and checks the
library, the command line and the service (in-process) all answer with a bounded list of
short problems, quickly.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import kla_model as kla
from kla_model._base.capped import MAX_PROBLEMS, SHOWN_CHARS, first_problems, listed, shown
from kla_model._base.suggest import (
    MAX_CANDIDATES,
    did_you_mean,
    hints_limited,
    new_budget,
)
from kla_model.cli import main
from kla_model.errors import Problem
from kla_model.serve import create_app
from serve_client import call
from serve_client import problems as plain_problems

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import attack_bodies

#: The longest message a problem may have: its own words and a few capped echoes.
LONGEST_MESSAGE = 400
#: The most bytes an answer of 101 short problems may take: each problem is said three times
#: (``message``, ``message_id``, ``message_en``), about 900 bytes a problem at most.
_BOUNDED_ANSWER = 101 * 900


@pytest.fixture(scope="module")
def service() -> Any:
    return create_app(["perpres-25-2021"])


def _bounded(problems: list[dict[str, str]] | list[Problem]) -> None:
    assert len(problems) <= MAX_PROBLEMS + 1
    for problem in problems:
        location, message = (
            (problem.location, problem.message)
            if isinstance(problem, Problem)
            else (problem["location"], problem["message"])
        )
        assert len(message) <= LONGEST_MESSAGE, message
        assert len(location) <= 250, location


# -- the building blocks -------------------------------------------------------------------------


@given(st.integers(min_value=0, max_value=300))
def test_first_problems_stops_after_the_cap_and_says_so(count: int) -> None:
    pulled = []

    def problems() -> Any:
        for index in range(count):
            pulled.append(index)
            yield Problem(f"f: $[{index}]", "bad")

    found = first_problems(problems(), "f")
    assert len(pulled) == min(count, MAX_PROBLEMS + 1)  # never looks further
    assert found[: min(count, MAX_PROBLEMS)] == [
        Problem(f"f: $[{index}]", "bad") for index in range(min(count, MAX_PROBLEMS))
    ]
    if count > MAX_PROBLEMS:
        assert found[-1] == Problem(
            "f", "more than 100 problems: the rest were not looked for; fix these first"
        )
    else:
        assert len(found) == count


@given(st.lists(st.text(max_size=200), max_size=50), st.text(max_size=500))
def test_every_echo_is_cut_at_80_characters(names: list[str], value: str) -> None:
    assert len(listed(names)) <= SHOWN_CHARS
    assert len(shown(value)) <= SHOWN_CHARS
    joined = ", ".join(names)
    if len(joined) <= SHOWN_CHARS:
        assert listed(names) == joined


def test_listed_reads_only_what_it_shows() -> None:
    def endless() -> Any:
        number = 0
        while True:
            number += 1
            yield f"agency-{number}"

    assert listed(endless()).endswith("...")


def test_a_hint_is_looked_for_only_among_few_candidates() -> None:
    few = [f"ev-{i}" for i in range(MAX_CANDIDATES)]
    assert did_you_mean("ev-7x", few) == " (did you mean 'ev-7'?)"
    assert did_you_mean("ev-7x", [*few, "ev-extra"]) == ""
    assert did_you_mean("e" * 81, ["e" * 81]) == ""


def test_a_request_looks_for_at_most_its_budget_of_hints() -> None:
    budget = new_budget(2)
    with hints_limited(budget):
        hints = [did_you_mean("perdaa", ["perda"]) for _ in range(4)]
    assert hints == [" (did you mean 'perda'?)"] * 2 + [""] * 2
    assert budget == [0]
    assert did_you_mean("perdaa", ["perda"]) == " (did you mean 'perda'?)"  # outside: all


# -- assignments: a problem per undefined supporter (point 1) ------------------------------------


def _many_supporters() -> dict[str, Any]:
    agencies = [{"id": f"a{i:03d}", "name": f"Agency {i}", "short": f"A{i}"} for i in range(200)]
    owners = [
        {"id": "K.1", "lead": "a000", "support": [f"x{o}-{s}" for s in range(50)]}
        for o in range(2000)
    ]
    return {"status": "adopted", "agencies": agencies, "owners": owners}


def test_an_assignment_with_thousands_of_unknown_supporters_is_checked_boundedly(
    bundled: kla.RuleSet,
) -> None:
    start = time.process_time()
    with pytest.raises(kla.AssignmentError) as refused:
        kla.Assignment.from_mapping(_many_supporters(), "a.yaml", bundled)
    assert time.process_time() - start < 2
    problems = list(refused.value.problems)
    _bounded(problems)
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[0] == Problem(
        "a.yaml: $.owners[0].support[0]",
        "unknown agency 'x0-0'; the file's agencies are "
        "a000, a001, a002, a003, a004, a005, a006, a007, a008, a009, a010, a011, a012,...",
    )
    assert problems[-1].message.startswith("more than 100 problems: the rest were not looked for")


def test_kla_tasks_lists_50_of_them_and_stops(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assignment = tmp_path / "agencies.json"
    assignment.write_text(json.dumps(_many_supporters()))
    example = str(attack_bodies.ROOT / "examples" / "kota-tangerang-2025.yaml")
    assert main(["tasks", example, "--assign", str(assignment)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert lines[0].endswith("agencies.json: 101 problems")
    assert lines[-1] == "  ... and 51 more"
    assert len(lines) == 52
    assert max(map(len, lines)) < 500


def test_post_tasks_answers_at_most_100_short_problems(service: Any) -> None:
    path, kind, body = attack_bodies.supporters(380_000)
    response = call(service, "POST", path, content=body, headers={"Content-Type": kind})
    assert response.status_code == 422
    problems = plain_problems(response)
    _bounded(problems)
    # each problem in three texts (message, message_id, message_en); was 426 MB
    assert len(response.content) < _BOUNDED_ANSWER


def test_post_page_assignment_is_bounded_too(service: Any) -> None:
    body = json.dumps(_many_supporters()).encode()
    response = call(
        service,
        "POST",
        "/page/assignment?name=a.json",
        content=body,
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    _bounded(plain_problems(response))


# -- costs: a problem per unknown id; no overflow (points 1 and 4) -------------------------------


def test_costs_for_thousands_of_unknown_ids_are_checked_boundedly(bundled: kla.RuleSet) -> None:
    items = {f"Z.{i}.{i}": 1 for i in range(20_000)}
    start = time.process_time()
    with pytest.raises(kla.PlanError) as refused:
        kla.Costs.from_mapping({"items": items}, "costs.yaml", bundled)
    assert time.process_time() - start < 2
    problems = list(refused.value.problems)
    _bounded(problems)
    assert problems[0] == Problem('costs.yaml: $.items["Z.0.0"]', "unknown item id 'Z.0.0'")
    assert len(problems) == MAX_PROBLEMS + 1


def test_post_plan_with_unknown_cost_ids_is_bounded(service: Any) -> None:
    path, kind, body = attack_bodies.cost_ids(1_000_000)
    start = time.process_time()
    response = call(service, "POST", path, content=body, headers={"Content-Type": kind})
    assert time.process_time() - start < 3
    assert response.status_code == 422
    _bounded(plain_problems(response))


@pytest.mark.parametrize(
    ("cost", "found"),
    [(1.0e308, "1e+308"), (1.0e13, "10000000000000.0"), (1_000_000_000_001, "1000000000001")],
)
def test_a_cost_above_a_trillion_is_refused_where_it_is(
    service: Any, bundled: kla.RuleSet, cost: float, found: str
) -> None:
    expected = f"expected a number <= 1e+12; found {found}"
    with pytest.raises(kla.PlanError) as refused:
        kla.Costs.from_mapping({"default": cost, "items": {"K.1.1": 2}}, "c.yaml", bundled)
    assert refused.value.problems == (Problem("c.yaml: $.default", expected),)
    body = {"submission": attack_bodies.example(), "costs": {"default": cost}}
    for path in ("/plan", "/tasks"):
        if path == "/tasks":
            agencies = attack_bodies.ROOT / "examples" / "kota-tangerang-2025-agencies.yaml"
            body["assignment"] = kla.load_assignment(agencies).to_dict()
        response = call(service, "POST", path, json=body)
        assert response.status_code == 422
        assert plain_problems(response) == [
            {"location": "body.costs: $.default", "message": expected}
        ]


def test_costs_in_python_above_a_trillion_are_a_plan_problem(
    bundled: kla.RuleSet, example: kla.Submission
) -> None:
    with pytest.raises(kla.PlanError, match=r"expected a number <= 1e\+12; found 1e\+308"):
        kla.plan(bundled, example, cost=kla.Costs(default=1.0e308))
    with pytest.raises(kla.PlanError, match=r"cost: \$\[\"K.1.1\"\]: expected a number <= 1e"):
        kla.plan(bundled, example, cost={"K.1.1": 1.0e300})


def test_kla_plan_and_tasks_refuse_a_huge_cost_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    costs = tmp_path / "costs.yaml"
    costs.write_text("default: 1.0e+308\n")
    example = str(attack_bodies.ROOT / "examples" / "kota-tangerang-2025.yaml")
    agencies = str(attack_bodies.ROOT / "examples" / "kota-tangerang-2025-agencies.yaml")
    for argv in (
        ["plan", example, "--cost", str(costs), "--format", "json"],
        ["tasks", example, "--assign", agencies, "--cost", str(costs)],
    ):
        assert main(argv) == 1
        captured = capsys.readouterr()
        assert "inf" not in captured.out
        assert f"{costs}: $.default: expected a number <= 1e+12; found 1e+308" in captured.err


# -- evidence records: a fuzzy search per record (points 1 and 2) --------------------------------


def test_records_naming_unknown_evidence_are_checked_boundedly() -> None:
    _, _, body = attack_bodies.records(2_000_000)
    data = json.loads(body)
    count = len(data["evidence"])
    assert count > 4000
    start = time.process_time()
    with pytest.raises(kla.SubmissionError) as refused:
        kla.Submission.from_mapping(data, "big.json")
    assert time.process_time() - start < 3  # was 130 to 210 s
    problems = list(refused.value.problems)
    _bounded(problems)
    assert problems[0].message == (
        "accept of evidence 'ev-00000x' at administrative: unknown evidence id 'ev-00000x'; "
        f"the file has {count} evidence ids"
    )


def test_post_score_with_many_bad_records_is_bounded(service: Any) -> None:
    path, kind, body = attack_bodies.records(2_000_000)
    start = time.process_time()
    response = call(service, "POST", path, content=body, headers={"Content-Type": kind})
    assert time.process_time() - start < 3
    assert response.status_code == 422
    _bounded(plain_problems(response))


@pytest.mark.parametrize("kind", ["jsonl-records", "jsonl-unknown-ids"])
def test_a_json_lines_batch_of_bad_submissions_costs_a_bounded_time_per_byte(
    service: Any, kind: str
) -> None:
    path, media, body = attack_bodies.KINDS[kind](2_000_000)
    start = time.process_time()
    response = call(service, "POST", path, content=body, headers={"Content-Type": media})
    seconds = time.process_time() - start
    assert response.status_code == 200
    assert seconds < 2 * len(body) / 1_000_000 + 1  # well under 2 s a megabyte
    lines = response.text.splitlines()
    assert len(lines) == body.count(b"\n") + 1  # every line answered: the stream is whole
    assert len(response.content) < 2 * len(body)


# -- ?name= echoed in every location (point 1) ---------------------------------------------------


def test_a_long_file_name_is_cut_in_every_location(service: Any) -> None:
    path, kind, body = attack_bodies.file_name(100_000)
    response = call(service, "POST", path, content=body, headers={"Content-Type": kind})
    assert response.status_code == 422
    problems = plain_problems(response)
    assert len(problems) > 10
    for problem in problems:
        assert problem["location"].startswith("file " + "n" * 80 + ": ")
    assert len(response.content) < 20_000  # was 6 MB for a 64 KB name


def test_control_characters_in_a_file_name_are_not_echoed(service: Any) -> None:
    response = call(
        service,
        "POST",
        "/page/submission?name=%1b%5b2Jx.yaml",
        content=b"year: [",
        headers={"Content-Type": "application/yaml"},
    )
    assert response.status_code == 422
    assert plain_problems(response)[0]["location"].startswith("file ?[2Jx.yaml: line ")


def test_a_table_header_of_thousands_of_unknown_columns_is_checked_boundedly(
    tmp_path: Path, bundled: kla.RuleSet
) -> None:
    header = "region_code,region_name,region_kind,province,year," + ",".join(
        f"X.{i}" for i in range(20_000)
    )
    table = tmp_path / "wide.csv"
    table.write_text(header + "\n")
    start = time.process_time()
    with pytest.raises(kla.TableError) as refused:
        list(kla.load_table(table).rows(bundled))
    assert time.process_time() - start < 3
    problems = list(refused.value.problems)
    _bounded(problems)
    assert len(problems) == MAX_PROBLEMS + 1


def test_thousands_of_bad_dates_are_checked_boundedly() -> None:
    data = attack_bodies.example()
    piece = data["evidence"][0]
    data["evidence"] = [{**piece, "id": f"e{i}", "issued": "2024-02-30"} for i in range(3000)]
    with pytest.raises(kla.SubmissionError) as refused:
        kla.Submission.from_mapping(data, "dates.json")
    problems = list(refused.value.problems)
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[0].location == "dates.json: $.evidence[0].issued"


def test_a_request_gets_at_most_20_hints_however_many_lines_it_holds(service: Any) -> None:
    _, kind, body = attack_bodies.jsonl_unknown_ids(200_000)
    lines = body.count(b"\n") + 1
    response = call(service, "POST", "/batch", content=body, headers={"Content-Type": kind})
    assert response.status_code == 200
    assert lines * 12 > 20  # twelve unknown ids a line: far more than the budget
    assert _hints(response.text) == 20
    again = call(service, "POST", "/batch", content=body, headers={"Content-Type": kind})
    assert _hints(again.text) == 20  # each request has its own budget


def _hints(stream: str) -> int:
    """The did-you-mean hints of a batch's answer, each counted once (a problem carries its
    English message twice, as ``message`` and ``message_en``, and an Indonesian one)."""
    found = [json.loads(line) for line in stream.splitlines() if line]
    messages = [p["message"] for line in found for p in line.get("problems", ())]
    return sum(message.count("(did you mean") for message in messages)


@pytest.mark.parametrize("path", ["/plan", "/tasks"])
def test_a_body_of_many_unknown_fields_gets_a_bounded_answer(service: Any, path: str) -> None:
    body = {f"{'k' * 90}{i}": 0 for i in range(15_000)}
    response = call(service, "POST", path, json=body)
    assert response.status_code == 422
    problems = plain_problems(response)
    _bounded(problems)
    assert problems[0]["location"] == 'body: $["' + "k" * 77 + '..."]'
    assert len(response.content) < _BOUNDED_ANSWER


@pytest.mark.parametrize(
    ("query", "location"),
    [("stage", "query.stage"), ("ruleset", "query.ruleset"), ("target", "target")],
)
def test_a_long_query_value_is_cut_where_it_is_echoed(
    service: Any, query: str, location: str
) -> None:
    body = {"submission": attack_bodies.example()}
    response = call(service, "POST", f"/plan?{query}={'q' * 50_000}", json=body)
    assert response.status_code in (404, 422)
    [problem] = plain_problems(response)
    assert problem["location"] == location
    assert len(problem["message"]) < 300
    assert "'" + "q" * 76 + "..." in problem["message"]  # 80 characters with the quote


def test_thousands_of_unknown_fixed_ids_stop_at_100(service: Any) -> None:
    body = {"submission": attack_bodies.example(), "fixed": [f"Z.{i}" for i in range(50_000)]}
    response = call(service, "POST", "/plan", json=body)
    assert response.status_code == 422
    problems = plain_problems(response)
    _bounded(problems)
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[0] == {
        "location": "fixed: $[0]",
        "message": "unknown indicator or item id 'Z.0'",
    }
