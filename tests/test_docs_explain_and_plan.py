"""The outputs pasted in docs/explain-and-plan.md are what the commands print."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from kla_model.cli import main

ROOT = Path(__file__).resolve().parents[1]
DOC = (ROOT / "docs" / "explain-and-plan.md").read_text("utf-8")
#: Each console block: the command after "$ ", then its output; "..." marks lines left out.
BLOCKS = re.findall(r"```console\n\$ (kla [^\n]*)\n(.*?)```", DOC, re.S)


def test_the_tutorial_has_its_commands() -> None:
    assert len(BLOCKS) == 9


@pytest.mark.parametrize(("command", "shown"), BLOCKS, ids=[command for command, _ in BLOCKS])
def test_pasted_output_is_real(
    command: str, shown: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(shlex.split(command)[1:]) == 0
    printed = capsys.readouterr().out.splitlines()
    kept = [line for line in shown.splitlines() if line != "..."]
    assert [line for line in kept if line not in printed] == []
    if "..." not in shown.splitlines():
        assert printed == kept
