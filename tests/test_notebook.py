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


def test_the_tutorial_runs_and_shows_what_it_says(monkeypatch: pytest.MonkeyPatch) -> None:
    # The kernel imports this checkout's kla_model, not another installed copy.
    paths = [str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(paths))
    notebook = nbformat.read(NOTEBOOK, as_version=4)  # type: ignore[no-untyped-call]
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")
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
    assert "(763.25, 'nindya')" in shown[2]
    assert "Total 763.25 / 1000" in shown[3]  # the card's HTML view
    assert "Peringkat / Tier: Nindya / Nindya (third tier)" in shown[4]
    assert "II.1.1   reference     0 / 52" in shown[5]
    assert "('utama', 36.75)" in shown[6]
    pictures = [
        cell for cell in code if any("image/png" in o.get("data", {}) for o in cell.outputs)
    ]
    assert len(pictures) == 2
    assert "(8, 0)" in shown[8]
    assert "Ringkasan / Summary" in shown[9]
    assert "Kota Semarang" in shown[11]
