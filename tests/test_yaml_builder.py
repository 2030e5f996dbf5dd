"""The strict reader builds documents without PyYAML's generators, and reads exactly as before.

The oracle is the reader as it was: PyYAML's own ``construct_document`` (generators, one
level of the document at a time) with the strict key checks.  On generated documents full of
what YAML treats specially (tags right and wrong, duplicate and complex keys, numbers in every
spelling) both give the same data, of the same types, or the same located problem.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from kla_model._base import strict_yaml
from kla_model.errors import SubmissionError
from kla_model.rules.ruleset import _bundled_dir


class _Oracle(strict_yaml._StrictLoader):
    """The reader before the level-by-level builder: PyYAML's constructor and the old checks."""

    construct_document = yaml.constructor.BaseConstructor.construct_document

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, yaml.MappingNode):  # it crashed here (see the test below)
            raise strict_yaml._wrong_node("mapping", node)
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, (dict, list)):
                raise strict_yaml._RefusedError(
                    key_node.start_mark, "a mapping key must be a plain value"
                )
            if key in seen:
                raise strict_yaml._RefusedError(
                    key_node.start_mark, f"duplicate key {strict_yaml._short(key)}"
                )
            seen.add(key)
        return dict(super(strict_yaml._StrictLoader, self).construct_mapping(node, deep=deep))


def _typed(value: Any) -> Any:
    """The value with every scalar's type beside it (``1``, ``1.0`` and ``True`` differ)."""
    if isinstance(value, dict):
        return ("map", [(_typed(k), _typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("seq", [_typed(v) for v in value])
    return (type(value).__name__, repr(value))


def _read(text: str, loader: type[Any]) -> Any:
    """What parse_yaml gives (the data, typed) or says (the problem), with ``loader``."""
    original = strict_yaml._StrictLoader
    strict_yaml._StrictLoader = loader  # type: ignore[misc]
    try:
        return ("data", _typed(strict_yaml.parse_yaml(text, "t.yaml", SubmissionError)))
    except SubmissionError as error:
        return ("problem", str(error))
    finally:
        strict_yaml._StrictLoader = original  # type: ignore[misc]


_SCALARS = [
    "1", "-7", "0x1F", "0o17", "017", "0b101", "1_000", "1:30", "1.5", "1e3", ".inf", "-.Inf",
    ".nan", "~", "null", "Null", "", "yes", "No", "on", "true", "=", "<<", "2001-12-14",
    "12:30:00", '"quoted"', "'it''s'", "text with spaces", "!!str 5", "!!int 7", "!!int x",
    "!!float 1", "!!bool yes", '!!null ""', "! 5", "!!str", "&anchor 3", "!!binary aGk=",
    "!!python/none", "!custom x", "!!timestamp 2001-12-14", "9" * 330, "-" + "9" * 330,
    "!!map abc", "!!seq abc", "!!map [1]", "!!map [[1, 2]]", "!!seq {a: 1}", "!!str {a: 1}",
    "!!int [1]", "!!set {a}", "!!omap [a: 1]", "[]", "{}", "0b_", "-0x_", "!!bool x",
    "!!float x", "!!float .5", "._",
]  # fmt: skip
_KEYS = ["a", "b", "a", "1", "1.0", "true", "~", "=", "<<", '"a"', "!!str 1", "[x]", "{k: v}"]


def _flow(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    pairs = st.lists(st.tuples(st.sampled_from(_KEYS), children), max_size=4)
    return st.one_of(
        st.lists(children, max_size=4).map(lambda items: "[" + ", ".join(items) + "]"),
        pairs.map(lambda kv: "{" + ", ".join(f"{k}: {v}" for k, v in kv) + "}"),
        pairs.map(lambda kv: "!!map {" + ", ".join(f"{k}: {v}" for k, v in kv) + "}"),
        st.lists(children, max_size=3).map(lambda items: "!!seq [" + ", ".join(items) + "]"),
    )


_documents = st.recursive(st.sampled_from(_SCALARS), _flow, max_leaves=14)


@given(_documents)
def test_a_flow_document_reads_as_it_did(text: str) -> None:
    assert _read(text, strict_yaml._StrictLoader) == _read(text, _Oracle)


@given(st.lists(st.tuples(st.sampled_from(_KEYS[:6]), _documents), min_size=1, max_size=5))
def test_a_block_document_reads_as_it_did(entries: list[tuple[str, str]]) -> None:
    text = "".join(f"{key}: {value}\n" for key, value in entries)
    assert _read(text, strict_yaml._StrictLoader) == _read(text, _Oracle)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "a: !!map [1]\n",
            "line 1, column 4: invalid YAML: expected a mapping node, but found sequence",
        ),
        (
            "a: !!map abc\n",
            "line 1, column 4: invalid YAML: expected a mapping node, but found scalar",
        ),
        (
            "a: [!!map [[1, 2]]]\n",
            "line 1, column 5: invalid YAML: expected a mapping node, but found sequence",
        ),
    ],
)
def test_a_mapping_tag_on_another_node_is_refused_with_its_place(text: str, problem: str) -> None:
    """These crashed the reader before (TypeError, ValueError: a traceback, not a problem)."""
    with pytest.raises(SubmissionError) as raised:
        strict_yaml.parse_yaml(text, "t.yaml", SubmissionError)
    assert [str(p) for p in raised.value.problems] == [f"t.yaml: {problem}"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("a: 0b_\n", "line 1, column 4: expected a whole number; found '0b_'"),
        ("a: [1, -0x_]\n", "line 1, column 8: expected a whole number; found '-0x_'"),
        ("a: !!int x\n", "line 1, column 4: expected a whole number; found 'x'"),
        ("a: !!float x\n", "line 1, column 4: expected a number; found 'x'"),
        ("a: !!bool maybe\n", "line 1, column 4: expected true or false; found 'maybe'"),
    ],
)
def test_a_number_that_cannot_be_read_is_refused_with_its_place(text: str, problem: str) -> None:
    """These crashed the reader before (ValueError, KeyError: a traceback, not a problem)."""
    with pytest.raises(SubmissionError) as raised:
        strict_yaml.parse_yaml(text, "t.yaml", SubmissionError)
    assert [str(p) for p in raised.value.problems] == [f"t.yaml: {problem}"]


def test_the_bundled_files_and_the_examples_read_as_they_did() -> None:
    rules, examples = _bundled_dir(), Path(__file__).resolve().parents[1] / "examples"
    paths = [*rules.glob("*.yaml"), *rules.glob("*/*.yaml"), *examples.glob("*.yaml")]
    assert len(paths) >= 10
    for path in paths:
        text = path.read_text("utf-8")
        assert _read(text, strict_yaml._StrictLoader) == _read(text, _Oracle), path
