"""Every measured answer's data year is checked against the round (issue 10): never after
the round, whatever the ruleset, and not older than the ruleset's ``max_data_age`` (7 years
in the bundled perpres-25-2021), by every command and every scoring path."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import kla_model as kla
from kla_model.cli import main
from kla_model.rules.point_rules import BandsRule, LinearRule, ReferenceRule
from profiles import examples
from ruleset_answers import submission
from strategies import data_years, item_answers

RULESET = kla.load_ruleset("perpres-25-2021")
EXAMPLE = Path("examples/kota-tangerang-2025.yaml")
TABLE = Path("examples/districts-2025.csv")
WHERE = '$.answers["I.1"].data_year'
#: The issue's example: a percentage in the 2025 round with data from 1990 and from 2200.
CASES = (
    (
        1990,
        "I.1.1: expected a data year from 2018 to 2025 (the ruleset accepts data at most 7 "
        "years older than the round); found 1990",
    ),
    (2200, "I.1.1: expected a data year no later than the round 2025; found 2200"),
)


def _example(year: int) -> dict[str, Any]:
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["answers"]["I.1"] = {"value": 96.8, "data_year": year}
    return dict(data)


def _file(tmp_path: Path, year: int) -> Path:
    path = tmp_path / f"data-year-{year}.json"
    path.write_text(json.dumps(_example(year)), encoding="utf-8")
    return path


def test_the_bundled_rulesets_declare_an_age_limit() -> None:
    assert RULESET.max_data_age == 7
    assert kla.load_ruleset("desa-kelurahan").max_data_age == 7
    assert kla.load_ruleset("permen-pppa-12-2011").max_data_age is None


@pytest.mark.parametrize(("year", "message"), CASES)
def test_score_and_check_refuse_the_data_year(year: int, message: str) -> None:
    refused = kla.Submission.from_mapping(_example(year), "s.yaml")
    assert [str(p) for p in kla.check(RULESET, refused)] == [f"s.yaml: {WHERE}: {message}"]
    with pytest.raises(kla.SubmissionError) as raised:
        kla.score(RULESET, refused)
    assert f"s.yaml: {WHERE}: {message}" in str(raised.value)
    with pytest.raises(kla.SubmissionError, match=r"I\.1\.1: expected a data year"):
        list(kla.score_many(RULESET, [refused], trace=False))


@pytest.mark.parametrize("command", ["validate", "score"])
@pytest.mark.parametrize(("year", "message"), CASES)
def test_the_commands_refuse_the_data_year(
    command: str, year: int, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _file(tmp_path, year)
    assert main([command, str(path)]) == 1
    captured = capsys.readouterr()
    assert f"{path}: {WHERE}: {message}" in captured.err
    assert "Traceback" not in captured.err


@pytest.mark.parametrize(("year", "message"), CASES)
def test_batch_refuses_the_row(
    year: int, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = TABLE.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("I.1.data_year")] = str(year)
    lines[1] = ",".join(cells)
    table = tmp_path / "table.csv"
    table.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "results.csv"
    assert main(["batch", str(table), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert f"{table}: row 2, I.1.data_year: {message.removeprefix('I.1.1: ')}" in err
    assert "36.71" not in out.read_text(encoding="utf-8")


def test_the_round_itself_and_the_oldest_year_allowed_are_accepted() -> None:
    as_shipped = kla.score(RULESET, kla.load_submission(EXAMPLE)).total
    for year in (2018, 2025):
        accepted = kla.Submission.from_mapping(_example(year), "s.yaml")
        assert kla.check(RULESET, accepted) == ()
        assert kla.score(RULESET, accepted).total == as_shipped


def test_a_ruleset_without_a_limit_still_refuses_data_after_the_round() -> None:
    legacy = kla.load_ruleset("permen-pppa-12-2011")
    item = next(i for i in legacy.items.values() if isinstance(i.rule, BandsRule))
    answers = {item.id: kla.Measurement(80.0, 2017)}
    region = kla.Region("33.74", "Kota Semarang", "kota", "Jawa Tengah")
    for year, accepted in ((2017, True), (2016, False)):
        found = kla.check(legacy, submission(legacy, answers, region, year))
        assert (found == ()) is accepted
        if not accepted:
            assert f"expected a data year no later than the round {year}; found 2017" in str(
                found[0]
            )


MEASURED = [
    item
    for item in RULESET.items.values()
    if isinstance(item.rule, (BandsRule, LinearRule, ReferenceRule))
]


@settings(max_examples=examples(100), deadline=None)
@given(st.data())
def test_a_measured_answer_from_after_the_round_is_always_refused(data: st.DataObject) -> None:
    item = data.draw(st.sampled_from(MEASURED))
    round_ = data.draw(st.integers(2018, 2026))
    answer = data.draw(item_answers(item, data_years(RULESET, round_)))
    late = data.draw(st.integers(round_ + 1, round_ + 200))
    region = kla.Region("36.71", "Kota Tangerang", "kota", "Banten")
    valid = submission(RULESET, {item.id: answer}, region, round_)
    if answer.data_year is not None:
        assert kla.check(RULESET, valid) == ()
    late_answer = kla.Measurement(answer.value, late)
    refused = submission(RULESET, {item.id: late_answer}, region, round_)
    problems = [str(problem) for problem in kla.check(RULESET, refused)]
    assert problems, late_answer
    if item.rule.problem(late_answer) is None:  # else the rule's own problem names the year
        assert problems == [
            f"submission: {_path(item)}: {item.id}: expected a data year no later than the "
            f"round {round_}; found {late}"
        ]
    with pytest.raises(kla.SubmissionError):
        kla.score(RULESET, refused)
    with pytest.raises(kla.SubmissionError):
        list(kla.score_many(RULESET, [refused], trace=False))


def _path(item: kla.Item) -> str:
    indicator = next(i for i in RULESET.indicators.values() if item in i.items)
    if len(indicator.items) == 1:
        return f'$.answers["{indicator.id}"].data_year'
    return f'$.answers["{indicator.id}"].items["{item.id}"].data_year'


@pytest.mark.parametrize(("year", "message"), CASES)
def test_score_frame_refuses_the_row_and_scores_the_others(year: int, message: str) -> None:
    frame = pd.read_csv(TABLE, dtype=str, keep_default_na=False)
    expected = kla.score_frame(RULESET, frame)
    frame.loc[0, "I.1.data_year"] = str(year)
    found = kla.score_frame(RULESET, frame)
    assert found.loc[0, "errors"] == f"row 2, I.1.data_year: {message.removeprefix('I.1.1: ')}"
    assert found.loc[1:, "total"].tolist() == expected.loc[1:, "total"].tolist()
    assert (found.loc[1:, "errors"] == "").all()
