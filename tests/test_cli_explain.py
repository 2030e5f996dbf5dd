"""``kla explain``: sentences for a submission's score, as text or JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kla_model.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = str(ROOT / "examples" / "kota-tangerang-2025.yaml")


def test_explain_in_indonesian_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", EXAMPLE]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        "Aturan: perpres-25-2021 versi 2025.1 (sementara: angka rekonstruksi, bukan angka resmi)."
    )
    assert lines[1].startswith(
        "Kota Tangerang, tahun evaluasi 2025, verifikasi final: 710,75 dari 1000 poin"
    )
    assert (
        "  I.3 Terlembaganya partisipasi anak (Forum Anak): 34,00 dari 40 poin (4 butir); "
        "6,00 poin belum diperoleh, pada I.3.3 dan I.3.4."
    ) in lines
    # the example's reasons are written in both languages: --lang id shows only Indonesian
    assert not any("(matching against SIAK" in line for line in lines)


def test_explain_a_stage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", EXAMPLE, "--stage", "self_assessment", "--lang", "en"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].startswith(
        "Kota Tangerang, evaluation round 2025, self-assessment: 763.25 of 1000 points"
    )
    assert (
        "  I.1 % of children with a birth certificate: 96.8% is in the band 90–100%, 40.00 of 40 "
        "points, the maximum."
    ) in lines


def test_explain_in_english_with_sensitivity(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", EXAMPLE, "--lang", "en", "--sensitivity"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-2:] == [
        "The total 710.75 is 10.75 above the threshold of Nindya (third tier), total > 700, "
        "and 89.25 below that of Utama (fourth tier), total > 800.",
        "No single weight changed by ±10% changes the tier.",
    ]


def test_explain_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", EXAMPLE, "--format", "json", "--lang", "en", "--sensitivity"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["lang"] == "en"
    assert [g["id"] for g in data["groups"]] == [
        "kelembagaan",
        "klaster_1",
        "klaster_2",
        "klaster_3",
        "klaster_4",
        "klaster_5",
    ]
    assert data["sensitivity"]["margin_below"] == 89.25


def test_explain_a_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "region: {code: '1', name: X, kind: kota, province: Y}\nyear: 2025\nanswers: {Z.1: true}\n"
    )
    assert main(["explain", str(bad)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "found unknown id 'Z.1'" in captured.err
    assert "Traceback" not in captured.err


def test_explain_an_unknown_language(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["explain", EXAMPLE, "--lang", "fr"])
    assert exited.value.code == 2
    assert "invalid choice: 'fr'" in capsys.readouterr().err
