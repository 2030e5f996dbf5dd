"""The layout's promises: no import cycle between modules, and the layers of ``.importlinter``.

``lint-imports`` (run by ``.ci/run``) checks that no subpackage imports a higher layer; these
tests check what it does not: that no two modules import each other, even within one
subpackage, and that every subpackage says in its docstring what it may import.
"""

from __future__ import annotations

import configparser
import importlib
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    # The package itself re-exports everything: importing it is not a dependency cycle.
    for module in sorted(graph.modules - {"kla_model"}):
        if module not in index:
            visit(module)
    return found


def test_no_module_takes_part_in_an_import_cycle() -> None:
    graph = grimp.build_graph("kla_model")  # module-level and function-level imports alike
    graph.remove_module("kla_model")
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = grimp.ImportGraph()
    for module in ("a", "a.x", "a.y", "a.z"):
        graph.add_module(module)
    graph.add_import(importer="a.x", imported="a.y")
    graph.add_import(importer="a.y", imported="a.z")
    graph.add_import(importer="a.z", imported="a.x")
    assert _cycles(graph) == [["a.x", "a.y", "a.z"]]


def _layers() -> list[str]:
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    lines = config["importlinter:contract:layers"]["layers"].split()
    return [name for name in lines if name != "|"]


@pytest.mark.parametrize("name", _layers())
def test_every_layer_says_what_it_holds_and_may_import(name: str) -> None:
    module = importlib.import_module(f"kla_model.{name}")
    doc = module.__doc__ or ""
    assert "Layer " in doc or name == "errors", name
    if name not in ("errors", "_base"):
        assert "import" in doc, name


def test_the_data_classes_show_in_notebooks_through_the_registry(
    example_card: object,
) -> None:
    html = example_card._repr_html_()  # type: ignore[attr-defined]
    assert html.startswith("<div") and "Nindya" in html
    imported = grimp.build_graph("kla_model").find_modules_directly_imported_by(
        "kla_model.scoring.results"
    )
    assert not any(module.startswith("kla_model.views") for module in imported)
