"""Nothing reachable from a RuleSet, a Submission or a ScoreCard can be changed.

Bundled rulesets are cached for the whole process, and score cards share the records their
ruleset made once; a dict or list anywhere inside them would let one caller change every
later score.  The test walks every object reachable from them (attrs fields, tuples,
read-only mappings, slots) and fails on any mutable container or unfrozen object.
"""

from __future__ import annotations

import datetime
import enum
import re
import types
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs
import pytest

import kla_model as kla
from kla_model._base.frozen import FrozenDict

ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "examples" / "kota-tangerang-2025.yaml"
OVERLAY = ROOT / "examples" / "own-instrument-overlay.yaml"

_LEAVES = (
    str,
    int,
    float,
    bool,
    type(None),
    bytes,
    datetime.date,
    enum.Enum,
    re.Pattern,
    type,
    types.FunctionType,
    types.BuiltinFunctionType,
    types.MethodType,
)
_READ_ONLY_MAPPINGS = (FrozenDict, types.MappingProxyType)


def _children(obj: Any, path: str) -> Iterator[tuple[Any, str]] | str:
    """What ``obj`` holds, or why it is mutable."""
    if isinstance(obj, _READ_ONLY_MAPPINGS):
        return ((value, f"{path}[{key!r}]") for key, value in obj.items())
    if isinstance(obj, dict | list | set | bytearray) or (
        isinstance(obj, Mapping) and not isinstance(obj, _READ_ONLY_MAPPINGS)
    ):
        return f"a {type(obj).__name__}"
    if isinstance(obj, tuple | frozenset):
        return ((value, f"{path}[{index}]") for index, value in enumerate(obj))
    if attrs.has(type(obj)):
        if getattr(type(obj), "__setattr__", None) is getattr(object, "__setattr__", None):
            return f"an unfrozen {type(obj).__name__}"
        # A field marked as a cache (``RuleSet._derived``) holds what is derived from the
        # value, not the value: it fills as the ruleset is used.
        fields = [f for f in attrs.fields(type(obj)) if not f.metadata.get("cache")]
        return ((getattr(obj, f.name), f"{path}.{f.name}") for f in fields)
    if hasattr(obj, "__dict__"):
        return f"a {type(obj).__name__} with a writable __dict__"
    slots = [name for cls in type(obj).__mro__ for name in getattr(cls, "__slots__", ())]
    if not slots:
        return f"an object of unknown kind {type(obj).__name__}"
    return ((getattr(obj, name), f"{path}.{name}") for name in slots if hasattr(obj, name))


def mutable_parts(root: object, name: str) -> list[str]:
    """Every path from ``root`` to something that can be changed in place."""
    seen: set[int] = set()
    found: list[str] = []
    stack: list[tuple[Any, str]] = [(root, name)]
    while stack:
        obj, path = stack.pop()
        if id(obj) in seen or isinstance(obj, _LEAVES):
            continue
        seen.add(id(obj))
        children = _children(obj, path)
        if isinstance(children, str):
            found.append(f"{path}: {children}")
        else:
            stack.extend(children)
    return found


def test_the_walker_finds_what_is_mutable() -> None:
    """A check that cannot fail proves nothing: a dict deep inside is found."""
    record = FrozenDict(a=(1, FrozenDict(b=[2])))
    assert mutable_parts(record, "r") == ["r['a'][1]['b']: a list"]
    assert mutable_parts((types.MappingProxyType({"x": {}}),), "t") == ["t[0]['x']: a dict"]


@pytest.mark.parametrize("name", kla.bundled_rulesets())
def test_nothing_in_a_bundled_ruleset_can_change(name: str) -> None:
    assert mutable_parts(kla.load_ruleset(name), name) == []


def test_nothing_in_an_overlay_ruleset_can_change() -> None:
    assert mutable_parts(kla.load_ruleset(OVERLAY), "overlay") == []


def test_nothing_in_a_submission_can_change() -> None:
    assert mutable_parts(kla.load_submission(EXAMPLE), "submission") == []


@pytest.mark.parametrize("stage", kla.STAGES)
def test_nothing_in_a_score_card_can_change(stage: str) -> None:
    ruleset = kla.load_ruleset("perpres-25-2021")
    card = kla.score(ruleset, kla.load_submission(EXAMPLE), stage=stage)
    assert mutable_parts(card, f"card at {stage}") == []


def test_nothing_in_totals_can_change() -> None:
    ruleset = kla.load_ruleset("perpres-25-2021")
    totals = next(iter(kla.score_many(ruleset, [kla.load_submission(EXAMPLE)], trace=False)))
    assert mutable_parts(totals, "totals") == []


def test_only_the_derived_cache_is_left_out_and_it_is_not_the_value() -> None:
    """The walker skips one field of a ruleset, and that field changes nothing it compares."""
    cached = [f.name for f in attrs.fields(kla.RuleSet) if f.metadata.get("cache")]
    assert cached == ["_derived"]
    fresh = kla.load_ruleset(OVERLAY)
    used = kla.load_ruleset(OVERLAY)
    assert used.derived("a test's", lambda ruleset: [ruleset.id]) == [fresh.id]
    assert used.derived("a test's", lambda ruleset: ["made twice"]) == [fresh.id]  # kept
    assert used._derived and not fresh._derived
    assert used == fresh and hash(used) == hash(fresh) and repr(used) == repr(fresh)
    assert used.sha256 == fresh.sha256
