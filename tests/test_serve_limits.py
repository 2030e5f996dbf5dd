"""The depth bound of a body, read a level at a time, is the nesting depth of the data."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kla_model.serve.limits import check_depth
from profiles import examples

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=3),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=2), inner, max_size=3)
    ),
    max_leaves=40,
)


def _depth(data: Any) -> int:
    """The nesting of arrays and objects, written the obvious way: a scalar is 0 deep."""
    if isinstance(data, dict):
        return 1 + max((_depth(value) for value in data.values()), default=0)
    if isinstance(data, list):
        return 1 + max((_depth(value) for value in data), default=0)
    return 0


@settings(max_examples=examples(300))
@given(JSON, st.integers(0, 8))
def test_a_body_is_refused_exactly_when_it_nests_deeper_than_the_bound(
    data: Any, limit: int
) -> None:
    problem = check_depth(data, "body", limit)
    assert (problem is None) == (_depth(data) <= limit)
    if problem is not None:
        assert str(problem) == f"body: expected at most {limit} levels of nesting; found more"


@pytest.mark.parametrize("depth", [31, 32, 33])
def test_the_bound_of_32_levels(depth: int) -> None:
    data: Any = 0
    for level in range(depth):
        data = [data] if level % 2 else {"k": data}
    assert (check_depth(data, "body") is None) == (depth <= 32)
