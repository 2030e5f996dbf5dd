"""The facade states each public name once, and that one statement is complete.

``kla_model._public``'s parts each hold nothing but ``from module import name as name``; the
package shows type checkers every part and derives ``__all__``, ``dir()`` and its lazy
``__getattr__`` from them. These tests hold the statement to the names the package serves,
the types mypy sees and the API reference.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path
from types import ModuleType
from typing import assert_type

import pytest

import kla_model as kla

ROOT = Path(__file__).parents[1]
#: The package as a plain module: type checkers see neither its ``__all__`` nor ``_PARTS``.
PACKAGE: ModuleType = kla


def _statement(path: Path) -> list[ast.stmt]:
    """A module's statements after its docstring."""
    body = ast.parse(path.read_text("utf-8")).body
    assert isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
    return body[1:]


def _stated() -> dict[str, tuple[str, str]]:
    """Each public name, by the part that states it, with the module it is imported from."""
    stated: dict[str, tuple[str, str]] = {}
    for part in PACKAGE._PARTS:
        for node in _statement(ROOT / "src" / (part.replace(".", "/") + ".py")):
            # Nothing but ``from module import name as name``: what type checkers take for an
            # explicit re-export, and all the part's public names at run time.
            assert isinstance(node, ast.ImportFrom) and node.module, ast.unparse(node)
            for alias in node.names:
                assert alias.asname == alias.name, ast.unparse(node)
                assert alias.name not in stated, f"{alias.name} stated twice"
                stated[alias.name] = (part, node.module)
    return stated


def test_the_facade_states_each_public_name_once() -> None:
    """The parts state every public name; ``__all__`` and ``dir()`` follow from them."""
    stated = _stated()
    assert sorted(stated) == PACKAGE.__all__
    for name, (_, module) in stated.items():
        assert getattr(kla, name) is getattr(importlib.import_module(module), name), name


def test_type_checkers_see_every_part() -> None:
    """What mypy reads: ``import *`` of each part, whose names are explicit re-exports (checked
    above), and no ``__getattr__``."""
    (block,) = [
        node
        for node in _statement(Path(kla.__file__))
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    ]
    assert [ast.unparse(node) for node in block.body] == [
        f"from {part} import *" for part in PACKAGE._PARTS
    ]
    assert "__getattr__" not in ast.unparse(block)


def test_a_public_name_has_its_type_for_mypy() -> None:
    """``mypy`` checks this file: ``assert_type`` refuses a name typed ``Any``."""
    ruleset = kla.load_ruleset("perpres-25-2021")
    card = kla.score(ruleset, kla.load_submission(ROOT / "examples" / "kota-tangerang-2025.yaml"))
    assert_type(ruleset, kla.RuleSet)
    assert_type(card, kla.ScoreCard)
    assert_type(kla.explain(card, "en"), kla.Explanation)
    assert card.total > 0


def test_the_core_part_holds_only_what_scoring_needs() -> None:
    """The first part holds the layers a score needs, the second the layers built on it."""
    for name, (part, module) in _stated().items():
        layer = module.split(".")[1]
        core = layer in ("errors", "rules", "submissions", "scoring")
        assert part == PACKAGE._PARTS[0 if core else 1], name


def test_every_public_name_is_in_the_api_reference() -> None:
    """docs/api.md renders (mkdocstrings) each module a public name is imported from."""
    rendered = set(re.findall(r"^::: (\S+)$", (ROOT / "docs" / "api.md").read_text("utf-8"), re.M))
    missing = {name: module for name, (_, module) in _stated().items() if module not in rendered}
    assert missing == {}


def test_a_misspelt_name_is_an_error_for_mypy_too() -> None:
    """Were the package's ``__getattr__`` in view, mypy would take ``kla.scroe`` for ``Any``
    and call this ignore unused (``--strict`` warns of unused ignores)."""
    with pytest.raises(AttributeError):
        kla.scroe  # type: ignore[attr-defined]  # noqa: B018
