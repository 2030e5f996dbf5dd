"""docs/tutorial.ipynb runs from top to bottom, so it cannot rot."""

from __future__ import annotations

import os
from pathlib import Path

import nbclient
import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "docs" / "tutorial.ipynb"


def _outputs(cell: nbformat.NotebookNode) -> str:
    texts = []
    for output in cell.get("outputs", []):
        texts.append(output.get("text", ""))
        texts.extend(str(value) for value in output.get("data", {}).values())
    return "\n".join(texts)


def _texts(cell: nbformat.NotebookNode) -> list[str]:
    """A cell's text outputs (pictures aside: their bytes may differ between machines)."""
    found = []
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        found += [output.get("text", ""), data.get("text/plain", ""), data.get("text/html", "")]
    return [text for text in found if text]


def test_the_tutorial_runs_and_shows_what_it_says(monkeypatch: pytest.MonkeyPatch) -> None:
    # The kernel imports this checkout's kla_model, not another installed copy.
    paths = [str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(paths))
    notebook = nbformat.read(NOTEBOOK, as_version=4)  # type: ignore[no-untyped-call]
    # Stored with its outputs, so that GitHub shows them; they must be today's outputs.
    stored = [_texts(cell) for cell in notebook.cells if cell.cell_type == "code"]
    assert all(stored), "store the outputs: python docs/hooks/generated_pages.py"
    client = nbclient.NotebookClient(
        notebook,
        timeout=120,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    errors = [o for cell in code for o in cell.outputs if o.output_type == "error"]
    assert errors == []
    shown = [_outputs(cell) for cell in code]
    fresh = [_texts(cell) for cell in code]
    assert fresh == stored, "the stored outputs are stale: python docs/hooks/generated_pages.py"
    assert "(763.25, 'nindya')" in shown[2]
    assert "Total 763,25 / 1000" in shown[3]  # the card's HTML view
    assert "Peringkat / Tier: Nindya / Nindya (third tier)" in shown[4]
    assert "Aturan / Ruleset: perpres-25-2021 2025.1 (provisional)" in shown[4]  # print(card)
    # kla.explain, in English: the card's summary, then Cluster II and its indicators.
    assert "self-assessment: 763.25 of 1000 points, tier Nindya (third tier)" in shown[5]
    assert "Family environment and alternative care: 75.00 of 156 points" in shown[5]
    assert (
        "  II.1 % child marriage (before 18): 7.35% (2023 data) is above the national 6.92% "
        "(2023; lower is better), 0.00 of 52 points" in shown[5]
    )
    assert "II.1.1   reference     0 / 52" in shown[6]
    assert "('utama', 36.75)" in shown[7]
    # The stage history's HTML view: every stage's total.
    assert "Verifikasi administrasi" in shown[9]
    assert "Verifikasi final" in shown[9]
    assert "710,75" in shown[9]
    # The plan's HTML view: from the final verification to Utama, step by step.
    assert "Rencana / Plan: Kota Tangerang · 2025" in shown[10]
    assert "Dapat dicapai / Reachable" in shown[10]
    assert "710,75 → 809,50 (+98,75)" in shown[10]
    for item in ("II.1.1", "II.3.1", "IV.1.1", "IV.2.1"):
        assert f">{item}<" in shown[10]  # a step's item id, in its own cell
    assert "II.1 % child marriage (before 18): lower from 7.35% to 6.91%" in shown[10]
    pictures = [
        index
        for index, cell in enumerate(code)
        if any("image/png" in o.get("data", {}) for o in cell.outputs)
    ]
    # The task force's overview: every agency, the unassigned item, the total.
    assert "Gugus Tugas KLA · Kota Tangerang · 2025" in shown[12]
    assert ">Dinkes<" in shown[12] and "V.3.1" in shown[12]
    assert pictures == [8, 11, 13, 16]  # plot_card, plot_plan, plot_task_force, plot_batch
    assert "(8, 0)" in shown[14]
    assert "Ringkasan / Summary" in shown[15]
    assert "Kota Semarang" in shown[17]
