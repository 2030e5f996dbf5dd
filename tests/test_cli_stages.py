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


def test_stages_table(capsys: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")  # the text wraps to the terminal
    code, out, err = _run(capsys, "stages", EXAMPLE)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Kota Tangerang (kota, Banten) · tahun evaluasi 2025"
    assert lines[1].startswith("Aturan: perpres-25-2021 versi 2025.1 (sementara:")
    rows = [
        line for line in lines if line.startswith(("Penilaian", "Verifikasi")) and "→" not in line
    ]
    assert [row.split("  ")[0] for row in rows] == [
        "Penilaian mandiri",
        "Verifikasi administrasi",
        "Verifikasi lapangan",
        "Verifikasi final",
    ]
    assert rows[0].split()[-2:] == ["763,25", "Nindya"]
    assert rows[1].split()[-3:] == ["723,25", "Nindya", "-40,00"]
    assert rows[2].split()[-1] == "+5,00"
    assert rows[3].split()[-1] == "-17,50"
    # one language; the three items of the rejected task-force decree grouped under one cause
    assert "evidence" not in out and "rejected" not in out
    assert "    -15,00  K.2.1 -6,00 · K.2.3 -5,00 · K.2.2 -4,00" in lines
    assert out.count("SK tahun 2019") == 1
    assert max(len(line) for line in lines) <= 100


def test_stages_in_english_name_the_stages(capsys: Any) -> None:
    code, out, _ = _run(capsys, "stages", EXAMPLE, "--lang", "en")
    assert code == 0
    assert "Self-assessment → Administrative verification: -40.00" in out
    assert "rejected at administrative verification: the minutes are not signed" in " ".join(
        line.strip() for line in out.splitlines()
    )
    assert "ditolak" not in out


def test_stages_table_limits_the_causes_shown(capsys: Any) -> None:
    code, out, _ = _run(capsys, "stages", EXAMPLE, "--causes", "1")
    assert code == 0
    assert "    -15,00  K.1.4" in out.splitlines()
    assert "  ... 4 perubahan lain (--causes N)" in out.splitlines()


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
