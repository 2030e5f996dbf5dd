"""The ``kla`` command: output, exit codes, and errors on stderr without tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from conftest import EXAMPLE, TEST_RULESETS
from kla_model._base.json_schema import schema
from kla_model.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_score_text_shows_groups_total_tier_and_next(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "score", str(EXAMPLE), "--stage", "self_assessment")
    assert (code, err) == (0, "")
    assert "Kota Tangerang (kota, Banten)" in out
    assert "perpres-25-2021 2025.1 (provisional)" in out
    assert "Penguatan Kelembagaan" in out and "Institutional strengthening" in out
    lines = out.splitlines()
    assert any(line.split()[-2:] == ["146,75", "164"] for line in lines)
    assert any(line.split() == ["Total", "763,25", "1000"] for line in lines)
    assert "Peringkat / Tier: Nindya" in out
    assert (
        "Menuju Utama (total > 800): lebih dari 36,75 poin lagi / more than 36.75 more points"
        in lines
    )


def test_score_json_validates_against_the_result_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "score", str(EXAMPLE), "--format", "json")
    data = json.loads(out)
    jsonschema.Draft202012Validator(schema("result")).validate(data)
    # without --stage: the latest stage the submission reached, here the final verification
    assert (code, data["stage"], data["total"], data["tier"]["id"]) == (
        0,
        "final",
        710.75,
        "nindya",
    )


def test_score_with_a_ruleset_path(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    sub = tmp_path / "s.yaml"
    sub.write_text(
        "region: {code: '1', name: Kota Uji, kind: kota, province: P}\nyear: 2025\n"
        "answers: {A.1: p500, B.1: p100_01}\n"
    )
    code, out, _ = run(
        capsys, "score", str(sub), "--ruleset", str(TEST_RULESETS / "boundaries.yaml")
    )
    assert code == 0
    assert "Peringkat / Tier: Madya" in out


def test_invalid_input_exits_1_with_every_problem(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "region: {code: '1', name: X, kind: kota, province: P}\nyear: 2025\n"
        "answers: {I.1: {value: 101, data_year: 2024}, Z.9: true}\n"
    )
    code, out, err = run(capsys, "score", str(bad))
    assert (code, out) == (1, "")
    assert f"kla: {bad} (against ruleset perpres-25-2021): 2 problems" in err
    assert "I.1.1: expected a percentage from 0 to 100; found 101" in err
    assert "found unknown id 'Z.9'" in err
    assert "Traceback" not in err


def test_validate(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "validate", str(EXAMPLE))
    assert code == 0
    assert out.strip().endswith("valid / sah (24 of 24 indicators answered)")
    code, _, err = run(capsys, "validate", str(tmp_path / "none.yaml"))
    assert code == 1
    assert "none.yaml: cannot read the file: No such file or directory" in err


def test_rules_lists_the_bundled_rulesets(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules")
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("perpres-25-2021"))
    assert row.split()[:5] == ["perpres-25-2021", "2025.1", "provisional", "2018-", "1000"]
    code, out, _ = run(capsys, "rules", "--format", "json")
    listed = {entry["id"]: entry for entry in json.loads(out)}
    assert listed["perpres-25-2021"]["rounds"] == {"from": 2018}


def test_unknown_ruleset_name(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "score", str(EXAMPLE), "--ruleset", "perpres")
    assert code == 1
    assert "ruleset 'perpres': expected a bundled ruleset name" in err


def test_the_module_runs_as_a_command_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("region: [\n")
    done = subprocess.run(
        [sys.executable, "-m", "kla_model", "score", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.startswith(f"kla: {bad}: 1 problem")
    assert "Traceback" not in done.stderr


def test_the_default_ruleset_is_the_one_in_force_for_the_round(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    old = tmp_path / "old.yaml"
    old.write_text(
        "region: {code: '1', name: Kota Uji, kind: kota, province: P}\nyear: 2016\nanswers: {}\n"
    )
    code, out, _ = run(capsys, "score", str(old))
    assert code == 0
    assert "permen-pppa-12-2011" in out
    ancient = tmp_path / "ancient.yaml"
    ancient.write_text(
        "region: {code: '1', name: Kota Uji, kind: kota, province: P}\nyear: 2005\nanswers: {}\n"
    )
    code, _, err = run(capsys, "score", str(ancient))
    assert code == 1
    assert "round 2005: expected a round that a ruleset applies to; none does" in err
