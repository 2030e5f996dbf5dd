"""Characters that take over a terminal or turn text around are refused when reading, after
unescaping, with their place: in JSON and YAML submissions, assignments, costs and tables,
through the library, the command line and the service (issue 23, points 3 and 9).

A lone surrogate (``"\\ud800"`` in JSON) once passed reading and then crashed every output
with a 500 or a traceback; an escape sequence (``"\\e]0;x\\a"``) passed and reached the
terminal.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import kla_model as kla
from kla_model._base import strict_yaml
from kla_model._base.strict_yaml import parse_json, parse_yaml
from kla_model._base.unsafe_text import UNSAFE, text_problem
from kla_model.errors import Problem, SubmissionError
from kla_model.serve import create_app
from serve_client import EXAMPLE_CSV, EXAMPLE_JSON, call, example_data
from serve_client import problems as plain_problems

ROOT = Path(__file__).resolve().parents[1]
AGENCIES = ROOT / "examples" / "kota-tangerang-2025-agencies.yaml"

#: One of each kind refused, as the character and as a JSON and a YAML escape spell it.
UNSAFE_CHARACTERS = [
    ("\x1b", "\\u001b", "\\e", "U+001B (escape)"),
    ("\x07", "\\u0007", "\\a", "U+0007 (bell)"),
    ("\x00", "\\u0000", "\\0", "U+0000 (nul)"),
    ("\r", "\\r", "\\r", "U+000D (carriage return)"),
    ("\x9b", "\\u009b", "\\x9b", "U+009B (csi)"),
    ("\x85", "\\u0085", "\\N", "U+0085 (control character)"),
    ("\u202e", "\\u202e", "\\u202e", "U+202E (right-to-left override)"),
    ("\u2066", "\\u2066", "\\u2066", "U+2066 (left-to-right isolate)"),
    ("\ud800", "\\ud800", None, "U+D800 (surrogate)"),
]


def _expected(name: str, at: int) -> str:
    return (
        f"expected text without control or bidi-override characters; found {name} at character {at}"
    )


@pytest.mark.parametrize(("char", "json_escape", "yaml_escape", "name"), UNSAFE_CHARACTERS)
def test_an_escaped_unsafe_character_is_refused_with_its_place(
    char: str, json_escape: str, yaml_escape: str | None, name: str
) -> None:
    expected = (SubmissionError, [Problem("f: $.region.name", _expected(name, 6))])
    text = '{"region": {"name": "Kota ' + json_escape + '"}}'
    with pytest.raises(SubmissionError) as refused:
        parse_json(text, "f", SubmissionError)
    assert (type(refused.value), list(refused.value.problems)) == expected
    if yaml_escape is not None:
        with pytest.raises(SubmissionError) as refused:
            parse_yaml('region: {name: "Kota ' + yaml_escape + '"}', "f", SubmissionError)
        assert (type(refused.value), list(refused.value.problems)) == expected


def test_tab_and_line_feed_stay_allowed_where_text_allows_them() -> None:
    assert parse_json('{"note": "a\\tb\\nc\\r\\nd"}', "f", SubmissionError) == {
        "note": "a\tb\nc\r\nd"
    }
    assert parse_yaml('note: "a\\tb\\nc"', "f", SubmissionError) == {"note": "a\tb\nc"}


def test_an_unsafe_key_is_refused_too() -> None:
    with pytest.raises(SubmissionError) as refused:
        parse_json('{"answers": {"K.1\\u001b": 1}}', "f", SubmissionError)
    assert refused.value.problems == (
        Problem('f: $.answers["K.1\\u001b"]', "a key: " + _expected("U+001B (escape)", 4)),
    )


def test_raw_bidi_overrides_and_c1_controls_are_refused_in_json_as_in_yaml() -> None:
    for text in ('{"a": "x\u202ey"}', '{"a": "x\x9by"}'):
        with pytest.raises(SubmissionError, match=r"f: line 1, column 9: expected text; found"):
            parse_json(text, "f", SubmissionError)
    with pytest.raises(SubmissionError, match=r"line 1, column 5: .* U\+202E, which kla_model"):
        parse_yaml("a: x\u202ey", "f", SubmissionError)


@given(st.text(max_size=40))
def test_text_round_trips_through_json_exactly_when_it_is_safe(text: str) -> None:
    encoded = json.dumps({"note": text})  # every unsafe character as a \\u escape
    if UNSAFE.search(text):
        with pytest.raises(SubmissionError) as refused:
            parse_json(encoded, "f", SubmissionError)
        [problem] = refused.value.problems
        assert problem.location == "f: $.note"
        assert problem.message == text_problem(text)
    else:
        assert parse_json(encoded, "f", SubmissionError) == {"note": text}


# -- every reader, command and endpoint ----------------------------------------------------------


def _hostile_submission(escape: str = "\\ud800") -> str:
    text = EXAMPLE_JSON.read_text("utf-8")
    return text.replace('"name": "Kota Tangerang"', f'"name": "Kota {escape}"', 1)


@pytest.mark.parametrize("escape", ["\\ud800", "\\u001b]0;x\\u0007\\u001b[2J"])
def test_commands_refuse_it_without_a_traceback(tmp_path: Path, escape: str) -> None:
    path = tmp_path / "hostile.json"
    path.write_text(_hostile_submission(escape), "utf-8")
    for command in (
        ["score"],
        ["validate"],
        ["explain"],
        ["stages"],
        ["evidence"],
        ["tasks", "--assign", str(AGENCIES)],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "kla_model", command[0], str(path), *command[1:]],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 1, command
        assert "Traceback" not in done.stderr
        assert f"{path}: $.region.name: expected text without control" in done.stderr
        assert "\x1b" not in done.stdout + done.stderr


@pytest.fixture(scope="module")
def service() -> Any:
    return create_app(["perpres-25-2021"])


@pytest.mark.parametrize("path", ["/score", "/validate", "/explain", "/stages", "/evidence"])
def test_every_endpoint_refuses_it_with_422(service: Any, path: str) -> None:
    response = call(service, "POST", path, content=_hostile_submission().encode())
    assert response.status_code == 422  # JSON it is, but the text is invalid
    assert plain_problems(response) == [
        {"location": "body: $.region.name", "message": _expected("U+D800 (surrogate)", 6)}
    ]


def test_the_page_refuses_it_in_an_uploaded_file(service: Any) -> None:
    for name, kind, location in (
        ("s.json", "application/json", "file s.json: $.region.name"),
        ("s.yaml", "application/yaml", "file s.yaml: line 4, column 21"),  # YAML refuses it
    ):
        response = call(
            service,
            "POST",
            f"/page/submission?name={name}",
            content=_hostile_submission().encode(),
            headers={"Content-Type": kind},
        )
        assert response.status_code == 422
        assert plain_problems(response)[0]["location"] == location


def test_plan_and_tasks_refuse_it_in_the_submission(service: Any) -> None:
    assignment = kla.load_assignment(AGENCIES).to_dict()
    submission_text = _hostile_submission()
    for path, extra in (("/plan", ""), ("/tasks", f', "assignment": {json.dumps(assignment)}')):
        body = ('{"submission": ' + submission_text + extra + "}").encode()
        response = call(service, "POST", path, content=body)
        assert response.status_code == 422
        assert plain_problems(response)[0]["location"] == "body: $.submission.region.name"


def test_a_json_lines_batch_reports_the_line_and_scores_the_rest(service: Any) -> None:
    good = json.dumps(example_data())
    lines = [good] * 200
    lines[100] = _hostile_submission().replace("\n", " ")
    response = call(
        service,
        "POST",
        "/batch",
        content="\n".join(lines).encode(),
        headers={"Content-Type": "application/x-ndjson"},
    )
    assert response.status_code == 200
    answered = [json.loads(line) for line in response.text.splitlines()]
    assert len(answered) == 200  # the stream is whole
    assert [line["row"] for line in answered if "problems" in line] == [101]
    assert answered[100]["problems"][0]["location"] == "body: line 101: $.region.name"


def test_an_assignment_and_costs_refuse_it(tmp_path: Path, bundled: kla.RuleSet) -> None:
    assignment = tmp_path / "agencies.yaml"
    text = AGENCIES.read_text("utf-8").replace("name: Dinas Sosial", 'name: "Dinas \\e[2J"')
    assignment.write_text(text, "utf-8")
    with pytest.raises(kla.AssignmentError) as refused:
        kla.load_assignment(assignment, bundled)
    assert refused.value.problems[0].location == f"{assignment}: $.agencies[6].name"
    costs = tmp_path / "costs.json"
    costs.write_text('{"fixed": ["K.1\\u202e"]}', "utf-8")
    with pytest.raises(kla.PlanError) as refused_costs:
        kla.load_costs(costs, bundled)
    assert refused_costs.value.problems[0].location == f"{costs}: $.fixed[0]"


def test_a_table_refuses_it_in_a_region_cell(tmp_path: Path, bundled: kla.RuleSet) -> None:
    lines = EXAMPLE_CSV.read_text("utf-8").splitlines()
    cells = lines[1].split(",")
    cells[1] = "Kota \x1b]0;x\x07"
    table = tmp_path / "t.csv"
    table.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n", "utf-8")
    rows = list(kla.score_rows(bundled, kla.load_table(table)))
    assert rows[0].totals is None
    assert [error.problem("t").message for error in rows[0].errors] == [
        _expected("U+001B (escape)", 6)
    ]
    assert all(row.totals is not None for row in rows[1:])


def test_a_body_full_of_unsafe_text_gets_the_first_hundred_with_422(service: Any) -> None:
    data = example_data()
    data["note"] = "ok"
    data["region"]["name"] = "Kota"
    data["evidence"] = [
        {**data["evidence"][0], "id": f"ev-{i}", "title": f"\x9b{i}"} for i in range(300)
    ]
    response = call(service, "POST", "/score", content=json.dumps(data).encode())
    assert response.status_code == 422
    problems = plain_problems(response)
    assert len(problems) == 101
    assert problems[0]["location"] == "body: $.evidence[0].title"
    assert problems[-1] == {
        "location": "body",
        "message": "more than 100 problems: the rest were not looked for; fix these first",
    }


@given(
    st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=40),
    st.text(max_size=3),
    st.sampled_from(["yaml", "json"]),
)
def test_the_quick_scan_of_ascii_text_refuses_what_the_pattern_refuses(
    text: str, tail: str, kind: str
) -> None:
    # An ASCII text is first scanned by deleting the allowed bytes; any other text is
    # searched by the pattern alone.  Both must refuse exactly the same characters.
    pattern = strict_yaml._CONTROL if kind == "yaml" else strict_yaml._JSON_CONTROL
    for sample in (text, text + tail):
        problem = strict_yaml._control_problem(sample, "doc", pattern)
        assert (problem is None) == (re.search(pattern, sample) is None), repr(sample)


#: The pattern as first written, an alternation: the one-class pattern must match the same.
_ALTERNATION = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
    "|\r(?!\n)"
)


@given(st.text(alphabet=st.sampled_from("a \t\n\r\x00\x1f\x7f\x9f\xa0\u202a\u2069\ud800\uffff")))
def test_the_pattern_finds_what_the_alternation_finds(text: str) -> None:
    # A carriage return before a line feed is allowed: the class takes it, the look-behind
    # gives it back.  Every match, in place and text, as the alternation's.
    found = [(match.start(), match[0]) for match in UNSAFE.finditer(text)]
    assert found == [(match.start(), match[0]) for match in _ALTERNATION.finditer(text)]
