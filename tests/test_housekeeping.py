"""What a contributor expects to find: CONTRIBUTING.md with commands that exist, pre-commit
hooks that check what CI checks, the suite's time in the README, and no placeholder left in a
page of the site."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CONTRIBUTING = (ROOT / "CONTRIBUTING.md").read_text("utf-8")
#: The pages the documentation site is built from (the changelog is one of its pages).
SITE_PAGES = [ROOT / "README.md", ROOT / "CHANGELOG.md", *sorted((ROOT / "docs").glob("*.md"))]
#: A line that is only a marker meant to be replaced: ``LOAD-TEST-FIGURES``, ``TODO``.
MARKER = re.compile(r"^(?:[A-Z][A-Z0-9]*(?:[-_][A-Z0-9]+)+|TODO|FIXME|TBD|XXX)\b.*$")


def _prose_lines(page: Path) -> list[tuple[int, str]]:
    """The page's lines outside fenced code blocks, numbered from 1."""
    lines, fenced = [], False
    for number, line in enumerate(page.read_text("utf-8").splitlines(), start=1):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced:
            lines.append((number, line))
    return lines


def test_no_placeholder_marker_reaches_the_site() -> None:
    """docs/service.md once shipped ``LOAD-TEST-FIGURES``: a placeholder that a later change
    re-added after the load-test figures had replaced it.  No page may hold such a line."""
    found = [
        f"{page.relative_to(ROOT)}:{number}: {line}"
        for page in SITE_PAGES
        for number, line in _prose_lines(page)
        if MARKER.match(line.strip())
    ]
    assert found == []


def test_the_marker_check_finds_a_marker(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("Figures:\n\nLOAD-TEST-FIGURES\n\n```text\nNOT-A-MARKER\n```\n", "utf-8")
    assert [line for _, line in _prose_lines(page) if MARKER.match(line)] == ["LOAD-TEST-FIGURES"]


def _ci_commands(tool: str) -> list[str]:
    lines = (ROOT / ".ci" / "run").read_text("utf-8").splitlines()
    return [line.split("#")[0].strip() for line in lines if line.startswith(f"{tool} ")]


def test_pre_commit_runs_the_ruff_checks_ci_runs() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text("utf-8"))
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    entries = sorted(hook["entry"] for hook in hooks)
    assert entries == sorted(_ci_commands("ruff"))
    assert any("format --check" in entry for entry in entries)
    assert all(hook["language"] == "system" for hook in hooks)  # the installed ruff
    assert all(hook["pass_filenames"] is False for hook in hooks)  # the paths CI checks


def test_contributing_names_commands_that_exist() -> None:
    for needed in (
        "KLA_HYPOTHESIS=quick python -m pytest",
        "python benchmarks/bench.py --quick",
        "python benchmarks/serve_load.py",
        "python -m pytest -q tests/test_page_browser.py",
        "pre-commit install",
        "bash .ci/run",
    ):
        assert needed in CONTRIBUTING, needed
    for path in re.findall(r"(?:benchmarks|tests|docs)/[\w/.-]+\.(?:py|md)", CONTRIBUTING):
        assert (ROOT / path).exists(), path
    assert '"--quick"' in (ROOT / "benchmarks" / "bench.py").read_text("utf-8")
    # The checks it lists before a commit are those CI runs.
    for command in _ci_commands("ruff"):
        assert command in CONTRIBUTING, command
    assert "pre-commit" in (ROOT / "pyproject.toml").read_text("utf-8")  # in [dev]


def test_the_readme_gives_the_suite_time_and_points_to_contributing() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert re.search(r"about \d+ s for [\d,]+ tests on \d cores", readme)
    assert "[CONTRIBUTING.md](CONTRIBUTING.md)" in readme
    assert "python -m pytest -n auto" in readme  # the command the time is for
