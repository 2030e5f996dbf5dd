"""The package's shared ``__repr__`` writes what attrs' own would write, class by class.

Every attrs class of the package that sets ``__repr__ = attrs_repr`` is checked against a
twin class that attrs makes with its own ``__repr__`` (the same name, fields and values):
on made-up values, and on what a loaded ruleset, a submission with evidence and records,
and its score card hold.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from typing import Any, cast

import attrs
import pytest

import kla_model
from conftest import EXAMPLE
from kla_model._base.attrs_repr import attrs_repr
from kla_model.rules.ruleset import load_ruleset
from kla_model.scoring.engine import score
from kla_model.submissions.submission import load_submission


def _classes_with_the_shared_repr() -> list[type]:
    found = []
    for module in pkgutil.walk_packages(kla_model.__path__, "kla_model."):
        if module.name.startswith(("kla_model.serve", "kla_model.workspace")):
            continue  # the optional extras' layers (and none of their classes uses it)
        if module.name == "kla_model.__main__":
            continue  # importing it runs the command
        for value in vars(importlib.import_module(module.name)).values():
            if isinstance(value, type) and vars(value).get("__repr__") is attrs_repr:
                found.append(value)
    return sorted(set(found), key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def _attrs_objects(root: object, seen: set[int] | None = None) -> Iterator[Any]:
    """Every attrs object reachable from ``root`` through fields, tuples, lists and dicts."""
    seen = set() if seen is None else seen
    if id(root) in seen:
        return
    seen.add(id(root))
    if attrs.has(type(root)):
        yield root
        fields = attrs.fields(cast(Any, type(root)))
        children: Any = [getattr(root, a.name, None) for a in fields]
    elif isinstance(root, tuple | list):
        children = root
    elif isinstance(root, dict) or hasattr(root, "items"):
        children = list(root.values()) if hasattr(root, "values") else []
    else:
        return
    for child in children:
        yield from _attrs_objects(child, seen)


def _twin_repr(obj: Any) -> str:
    """``obj``'s repr as attrs writes it: a class attrs makes, with its own ``__repr__``."""
    cls = type(obj)
    fields = attrs.fields(cls)
    twin = attrs.make_class(
        cls.__name__, {a.name: attrs.field(repr=a.repr) for a in fields}, slots=True
    )
    twin.__qualname__ = cls.__qualname__
    return repr(_made(twin, {a.name: getattr(obj, a.name) for a in fields}))


def _made(cls: type, values: dict[str, Any]) -> Any:
    """An instance of ``cls`` holding ``values``, made without its ``__init__`` (a repr
    depends on the fields' names and values only, not on what the validators accept)."""
    made: Any = object.__new__(cls)
    for name, value in values.items():
        object.__setattr__(made, name, value)
    return made


@pytest.mark.parametrize("cls", _classes_with_the_shared_repr(), ids=lambda cls: cls.__name__)
def test_each_class_is_written_as_attrs_writes_it(cls: type) -> None:
    fields = attrs.fields(cls)
    assert fields  # the class is an attrs class
    values = [f"<{a.name}>" if n % 2 else (n, None, {"k": 1.5}) for n, a in enumerate(fields)]
    obj = _made(cls, {a.name: value for a, value in zip(fields, values, strict=True)})
    assert repr(obj) == _twin_repr(obj)


def test_what_a_ruleset_a_submission_and_its_card_hold_is_written_as_attrs_writes_it() -> None:
    ruleset = load_ruleset("perpres-25-2021")
    submission = load_submission(EXAMPLE)
    checked = 0
    for obj in _attrs_objects((ruleset, submission, score(ruleset, submission))):
        if vars(type(obj)).get("__repr__") is attrs_repr:
            assert repr(obj) == _twin_repr(obj)
            checked += 1
    assert checked > 100


def test_an_object_met_inside_its_own_repr_is_written_as_dots() -> None:
    @attrs.define
    class Node:
        __repr__ = attrs_repr

        name: str
        next: Any = None

    node = Node("a")
    node.next = node
    assert repr(node) == "Node(name='a', next=...)"
    assert repr(Node("b", Node("c"))) == "Node(name='b', next=Node(name='c', next=None))"
