"""The code in README.md and docs/*.md runs, so the documentation cannot rot.

A page's fenced blocks opened with a line of exactly ```python run in order, from the
repository root, in one namespace per page (a later block may use what an earlier one made).
A block of ``>>>`` examples is checked as a doctest: its printed output must match.  A block
that must not run (rarely) opens with ```python no-run instead.  YAML blocks must parse.
"""

from __future__ import annotations

import doctest
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from kla_model._base import json_schema

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_FENCE = re.compile(r"^```(?P<info>[^\n`]*)\n(?P<body>.*?)^```\s*$", re.MULTILINE | re.DOTALL)


def _blocks(page: Path, language: str) -> list[tuple[int, str]]:
    text = page.read_text(encoding="utf-8")
    return [
        (text.count("\n", 0, match.start()) + 2, match.group("body"))
        for match in _FENCE.finditer(text)
        if match.group("info").strip() == language
    ]


def _name(page: Path) -> str:
    return str(page.relative_to(ROOT))


PYTHON_PAGES = [page for page in PAGES if _blocks(page, "python")]
YAML = [(f"{_name(page)}:{line}", body) for page in PAGES for line, body in _blocks(page, "yaml")]


def _run(code: str, where: str, line: int, namespace: dict[str, Any]) -> None:
    if code.lstrip().startswith(">>>"):
        test = doctest.DocTestParser().get_doctest(code, namespace, where, where, line)
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
        runner.run(test, clear_globs=False)
        namespace.update(test.globs)  # the test ran on a copy; later blocks see its names
        assert runner.failures == 0, f"{where}:{line}: the examples' output differs (above)"
    else:
        exec(compile(code, f"{where}:{line}", "exec"), namespace)  # our own documentation


def test_the_docs_have_code_to_run() -> None:
    pages = {_name(page) for page in PYTHON_PAGES}
    assert {"docs/index.md", "docs/rule-files.md", "docs/table-format.md", "docs/batch.md"} <= pages


@pytest.mark.parametrize("page", PYTHON_PAGES, ids=_name)
def test_python_blocks_run(page: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    namespace: dict[str, Any] = {"__name__": "__docs__"}
    for line, code in _blocks(page, "python"):
        _run(code, _name(page), line, namespace)


@pytest.mark.parametrize(("where", "text"), YAML, ids=[where for where, _ in YAML])
def test_yaml_blocks_parse(where: str, text: str) -> None:
    assert yaml.safe_load(text), where


def test_the_rule_file_page_names_every_rule_kind_and_field() -> None:
    page = (ROOT / "docs" / "rule-files.md").read_text(encoding="utf-8")
    for kind in ("boolean", "levels", "checklist", "bands", "linear", "reference"):
        assert f"### `{kind}`" in page
    schema = json_schema.schema("ruleset")
    for field in schema["properties"]:
        assert f"`{field}`" in page, field
    for definition in ("group", "indicator", "item", "tier", "reference_series", "condition"):
        for field in schema["$defs"][definition]["properties"]:
            assert f"`{field}`" in page, (definition, field)


_LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


@pytest.mark.parametrize("page", PAGES, ids=_name)
def test_relative_links_work_as_markdown_too(page: Path) -> None:
    """Issue 13: the pages are "readable as Markdown too", so every relative link names a
    file of the repository (the site build turns some into its generated pages)."""
    text = page.read_text(encoding="utf-8")
    targets = [t for t in _LINK.findall(text) if "://" not in t and not t.startswith("mailto:")]
    missing = [t for t in targets if not (page.parent / t).exists()]
    assert missing == []
