"""The code in README.md and docs/*.md runs, so the documentation cannot rot.

Every fenced block opened with a line of exactly ```python is executed, from the
repository root, in a fresh namespace; a block that must not run (rarely) opens with
```python no-run instead.  YAML blocks must at least parse.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

import kla_model as kla

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_FENCE = re.compile(r"^```(?P<info>[^\n`]*)\n(?P<body>.*?)^```\s*$", re.MULTILINE | re.DOTALL)


def _blocks(language: str) -> list[tuple[str, str]]:
    found = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for match in _FENCE.finditer(text):
            if match.group("info").strip() == language:
                line = text.count("\n", 0, match.start()) + 2
                found.append((f"{page.relative_to(ROOT)}:{line}", match.group("body")))
    return found


PYTHON = _blocks("python")
YAML = _blocks("yaml")


def test_the_docs_have_code_to_run() -> None:
    pages = {where.split(":")[0] for where, _ in PYTHON}
    assert {"docs/index.md", "docs/rule-files.md", "docs/table-format.md", "docs/batch.md"} <= pages


@pytest.mark.parametrize(("where", "code"), PYTHON, ids=[where for where, _ in PYTHON])
def test_python_blocks_run(where: str, code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    exec(compile(code, where, "exec"), {"__name__": "__docs__"})  # our own documentation


@pytest.mark.parametrize(("where", "text"), YAML, ids=[where for where, _ in YAML])
def test_yaml_blocks_parse(where: str, text: str) -> None:
    assert yaml.safe_load(text), where


def test_the_rule_file_page_names_every_rule_kind_and_field() -> None:
    page = (ROOT / "docs" / "rule-files.md").read_text(encoding="utf-8")
    for kind in ("boolean", "levels", "checklist", "bands", "linear", "reference"):
        assert f"### `{kind}`" in page
    schema = kla._schema.schema("ruleset")
    for field in schema["properties"]:
        assert f"`{field}`" in page, field
    for definition in ("group", "indicator", "item", "tier", "reference_series", "condition"):
        for field in schema["$defs"][definition]["properties"]:
            assert f"`{field}`" in page, (definition, field)
