"""``kla plan``: the cheapest changes to a tier, as text or JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kla_model.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = str(ROOT / "examples" / "kota-tangerang-2025.yaml")


def test_plan_from_the_latest_stage_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", EXAMPLE, "--lang", "en"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        "Ruleset: perpres-25-2021 version 2025.1 "
        "(provisional: reconstructed numbers, not the official ones)."
    )
    assert lines[1] == (
        "From a total of 710.75, tier Nindya (third tier), to Utama (fourth tier), which needs "
        "a total of more than 800: 4 changes at a cost of 4, +98.75 points, giving a total of "
        "809.50, tier Utama (fourth tier)."
    )
    assert lines[2].startswith("At the final verification stage, 3 items count only with")
    assert [line[:8] for line in lines[5:]] == [" 1. II.1", " 2. II.3", " 3. IV.1", " 4. IV.2"]


def test_plan_to_the_next_tier_in_both_languages(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", EXAMPLE, "--stage", "self_assessment"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Aturan: perpres-25-2021 versi 2025.1 (sementara: angka rekonstruksi, bukan angka resmi).",
        "Ruleset: perpres-25-2021 version 2025.1 "
        "(provisional: reconstructed numbers, not the official ones).",
        "Dari total 763,25, peringkat Nindya, menuju Utama yang memerlukan total lebih dari 800: "
        "1 perubahan dengan biaya 1, +52,00 poin, sehingga total menjadi 815,25, peringkat Utama.",
        "From a total of 763.25, tier Nindya (third tier), to Utama (fourth tier), which needs "
        "a total of more than 800: 1 change at a cost of 1, +52.00 points, giving a total of "
        "815.25, tier Utama (fourth tier).",
        " 1. II.1 Persentase perkawinan anak: turunkan dari 7,35% menjadi 6,91% (data 2023), "
        "di bawah angka nasional 6,92% (2023): +52,00 poin (0,00 → 52,00).",
        "    II.1 % child marriage (before 18): lower from 7.35% to 6.91% (2023 data), below "
        "the national 6.92% (2023): +52.00 points (0.00 → 52.00).",
    ]


def test_plan_with_a_cost_file_and_fixed_ids(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    costs = tmp_path / "costs.yaml"
    costs.write_text("indicators: {IV.1: 3}\n")
    stage = ["--stage", "self_assessment"]
    assert (
        main(["plan", EXAMPLE, *stage, "--cost", str(costs), "--fixed", "II.1", "--lang", "en"])
        == 0
    )
    lines = capsys.readouterr().out.splitlines()
    assert lines[2] == "Held fixed, so this plan leaves them unchanged: II.1."
    assert [line.split(":")[0] for line in lines[3:]] == [
        " 1. II.3 % of alternative-care institutions meeting the standard",
        " 2. IV.2 12-year compulsory schooling",
        " 3. V.4 % of disabled, minority and isolated children served",
    ]


def test_plan_json_to_a_target(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--target", "kla", "--fixed", "II.1,IV.1", "--stage", "self_assessment"]
    assert main(["plan", EXAMPLE, *args, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["target"]["id"], data["stage"]) == ("kla", "self_assessment")
    assert data["reachable"] is True
    assert data["new_total"] > 900
    assert {"II.1.1", "IV.1.1"}.isdisjoint(step["item"] for step in data["steps"])
    assert data["fixed"] == ["II.1", "IV.1"]
    assert data["ruleset"]["status"] == "provisional"


def test_plan_out_of_reach_is_not_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", EXAMPLE, "--target", "kla", "--fixed", "II.1,IV.1", "--lang", "en"]) == 0
    assert capsys.readouterr().out.splitlines()[2] == (
        "With every change allowed the total is at most 845.50, 54.50 points below 900."
    )


def test_plan_to_a_tier_that_is_not_above(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", EXAMPLE, "--target", "madya"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert (
        "target: expected a tier above the current one (Nindya (third tier)): utama, kla; "
        "found 'madya'" in captured.err
    )


def test_plan_with_a_bad_cost_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    costs = tmp_path / "costs.json"
    costs.write_text('{"items": {"K.1.9": -1}}')
    assert main(["plan", EXAMPLE, "--cost", str(costs)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"kla: {costs}: 2 problems",
        f'  {costs}: $.items["K.1.9"]: expected a number >= 0; found -1',
        f"  {costs}: $.items[\"K.1.9\"]: unknown item id 'K.1.9' (did you mean 'K.1.4'?)",
    ]
