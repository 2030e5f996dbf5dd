"""``kla evidence``: the completeness report as a table and as schema-valid JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kla_model._base.json_schema import schema_problems
from kla_model.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = str(ROOT / "examples" / "kota-tangerang-2025.yaml")


def _run(capsys: Any, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_evidence_table(capsys: Any) -> None:
    code, out, err = _run(capsys, "evidence", EXAMPLE)
    assert (code, err) == (0, "")
    rows = [line.split() for line in out.splitlines() if line.startswith(("V.", "K.", "III."))]
    assert [row[:2] for row in rows] == [
        ["V.4.1", "17,50"],
        ["K.1.4", "15,00"],
        ["III.6.2", "10,00"],
    ]
    assert out.rstrip().endswith(
        "3 dari 49 butir kurang data dukung; 42,50 poin berisiko / "
        "3 of 49 items lack evidence; 42.50 points at risk"
    )


def test_evidence_complete_at_the_self_assessment(capsys: Any) -> None:
    code, out, _ = _run(capsys, "evidence", EXAMPLE, "--stage", "self_assessment")
    assert code == 0
    assert "Evidence complete: all 49 items that need it have it" in out


def test_evidence_json_validates(capsys: Any) -> None:
    code, out, _ = _run(capsys, "evidence", EXAMPLE, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert schema_problems("evidence-report", data, "stdout") == []
    assert [gap["item"] for gap in data["gaps"]] == ["V.4.1", "K.1.4", "III.6.2"]
    assert (data["stage"], data["complete"], data["points_at_risk"]) == ("final", False, 42.5)
