"""``kla validate-rules FILE`` and the rounds shown by ``kla rules``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import kla_model as kla
from kla_model.cli import main

ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "examples" / "own-instrument-overlay.yaml"
BUNDLED = ROOT / "rules" / "permen-pppa-12-2011.yaml"


def test_an_overlay_is_summarised(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate-rules", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    parent = kla.load_ruleset("perpres-25-2021")
    assert f"{EXAMPLE}: sah / valid" in out
    assert "id:                      perpres-25-2021-contoh" in out
    assert "status:                  illustrative" in out
    chain = f"perpres-25-2021 2025.1 (provisional, sha256 {parent.sha256[:12]})"
    assert f"memperluas / extends:    {chain}" in out
    assert "skor maks / max score:   1000" in out
    assert f"sha256:                  {kla.load_ruleset(EXAMPLE).sha256}" in out


def test_a_full_ruleset_is_summarised_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate-rules", str(BUNDLED), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["valid"] is True
    assert data["id"] == "permen-pppa-12-2011"
    assert data["extends"] is None
    assert data["rounds"] == {"from": 2011, "to": 2017}
    assert (data["groups"], data["indicators"], data["items"]) == (6, 31, 45)
    assert data["max_score"] == 1000


def test_every_problem_goes_to_stderr_with_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "extends: perpres-25-2021\nid: x\nversion: '1'\nstatus: official\nsource: s\n"
        "indicators: {K.9: {max: 1}}\nitems: {K.1.1: {max: 30}}\n",
        "utf-8",
    )
    assert main(["validate-rules", str(bad)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"kla: {bad} (extending perpres-25-2021 2025.1): 1 problem" in captured.err
    assert f'{bad}: $.indicators["K.9"]: expected the id of an existing indicator' in captured.err
    bad.write_text(
        "extends: perpres-25-2021\nid: x\nversion: '1'\nstatus: official\nsource: s\n"
        "items: {K.1.1: {max: 30}}\n",
        "utf-8",
    )
    assert main(["validate-rules", str(bad)]) == 1
    err = capsys.readouterr().err
    assert f'{bad}: $.indicators["K.1"].max: expected the item maxima to add up to 96' in err


def test_a_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate-rules", str(tmp_path / "none.yaml")]) == 1
    assert "cannot read the file" in capsys.readouterr().err


def test_rules_shows_the_windows(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    assert "permen-pppa-12-2011  2011.1   provisional   2011-2017" in out
    assert "perpres-25-2021      2025.1   provisional   2018-" in out
    assert "desa-kelurahan       0.1      illustrative  -" in out


def test_rules_for_a_round(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "--round", "2016", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [entry["id"] for entry in data] == ["permen-pppa-12-2011"]
    assert data[0]["rounds"] == {"from": 2011, "to": 2017}
    assert main(["rules", "--round", "2009"]) == 1
    assert "kla: round 2009: expected a round that a ruleset applies to" in capsys.readouterr().err
