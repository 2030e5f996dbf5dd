"""``kla stages`` and ``kla score --stage``: tables and JSON validated by the shipped schemas."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kla_model import STAGES
from kla_model._base.json_schema import schema_problems
from kla_model.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = str(ROOT / "examples" / "kota-tangerang-2025.yaml")


def _run(capsys: Any, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_stages_table(capsys: Any) -> None:
    code, out, err = _run(capsys, "stages", EXAMPLE)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Kota Tangerang (kota, Banten) · tahun evaluasi / round 2025"
    rows = [line for line in lines if line.startswith(("Evaluasi", "Verifikasi"))]
    assert [row.split("  ")[0] for row in rows[:4]] == [
        "Evaluasi mandiri / Self-assessment",
        "Verifikasi administrasi / Administrative verification",
        "Verifikasi lapangan / Field verification",
        "Verifikasi final / Final verification",
    ]
    assert "763.25" in rows[0]
    assert "723.25" in rows[1]
    assert "-40.00" in rows[1]
    assert "K.1.4 -15.00, III.6.2 -10.00, K.2.1 -6.00, K.2.3 -5.00, K.2.2 -4.00" in rows[1]
    assert "+5.00" in rows[2]
    assert rows[3].split()[-3:] == ["-17.50", "V.4.1", "-17.50"]
    assert "  V.4.1   -17.50  data dukung 'Data Anak Penyandang Disabilitas" in out
    assert (
        "evidence 'Data Anak Penyandang Disabilitas yang Terlayani Tahun 2023' rejected at " in out
    )


def test_stages_table_limits_the_causes_shown(capsys: Any) -> None:
    code, out, _ = _run(capsys, "stages", EXAMPLE, "--causes", "1")
    assert code == 0
    assert "K.1.4 -15.00 (+4 lagi / more)" in out
    assert "... 4 perubahan lain / more changes (--causes N)" in out


def test_stages_json_validates(capsys: Any) -> None:
    code, out, _ = _run(capsys, "stages", EXAMPLE, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert schema_problems("stages", data, "stdout") == []
    assert [(s["stage"], s["total"], s["tier"]) for s in data["stages"]] == [
        ("self_assessment", 763.25, "nindya"),
        ("administrative", 723.25, "nindya"),
        ("field", 728.25, "nindya"),
        ("final", 710.75, "nindya"),
    ]


@pytest.mark.parametrize(
    ("stage", "total"),
    [("self_assessment", 763.25), ("administrative", 723.25), ("field", 728.25), ("final", 710.75)],
)
def test_score_at_a_stage(capsys: Any, stage: str, total: float) -> None:
    code, out, _ = _run(capsys, "score", EXAMPLE, "--stage", stage, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert schema_problems("result", data, "stdout") == []
    assert (data["stage"], data["total"]) == (stage, total)


def test_score_text_names_the_stage_and_the_unverified_items(capsys: Any) -> None:
    code, out, _ = _run(capsys, "score", EXAMPLE, "--stage", "field")
    assert code == 0
    assert "tahap / stage: Verifikasi lapangan / Field verification" in out
    assert "Items without accepted evidence: K.1.4, III.6.2" in out
    assert "Nilai dikoreksi / Corrected values: I.1.1" in out


def test_score_stage_choices_follow_the_stages(capsys: Any) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["score", EXAMPLE, "--stage", "lapangan"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'lapangan'" in err
    for stage in STAGES:
        assert stage in err


def test_stages_of_a_bad_file_is_an_error_not_a_traceback(capsys: Any, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    text = Path(EXAMPLE).read_text("utf-8").replace("kind: minutes", "kind: dataset", 1)
    path.write_text(text, "utf-8")
    code, out, err = _run(capsys, "stages", str(path))
    assert (code, out) == (1, "")
    assert (
        f"{path}: $.evidence[2].kind: evidence 'ev-k1-ba-konsultasi': expected a kind item "
        "K.1.4 accepts (minutes, report, photo); found 'dataset'"
    ) in err
    assert "Traceback" not in err
