"""Hypothesis strategies that generate documents from the shipped JSON Schemas.

``hypothesis-jsonschema`` is not among the test dependencies (it lags behind Hypothesis),
so this is a small generator for the keywords kla_model's schemas use: ``$ref`` to
``$defs``, ``type``, ``enum``, ``const``, ``oneOf``, ``allOf``, ``if``/``then``/``else``,
``properties``/``required``/``additionalProperties``, ``propertyNames``, ``pattern``, sizes
and bounds.  It aims near validity, not at it: ``allOf`` and ``if`` are approximated, so
some documents are invalid, which the properties that use it want as well.  Every
collection is kept small, so a document is generated in milliseconds.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from kla_model._base.json_schema import schema

#: Values no schema asks for: what a hostile or careless client sends instead.
HOSTILE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.just(10**400),
    st.just(-(10**330)),
    st.sampled_from([float("nan"), float("inf"), -float("inf"), 1e308, -0.0]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.just("x" * 5000),
    st.just('=HYPERLINK("http://x")'),
    st.just("\x00\x07"),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)


def _resolve(root: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        name = node["$ref"].removeprefix("#/$defs/")
        node = {**root["$defs"][name], **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _string(node: dict[str, Any]) -> st.SearchStrategy[str]:
    if "pattern" in node:
        text = st.from_regex(node["pattern"], fullmatch=True)
        return (
            text.filter(lambda s: len(s) <= node.get("maxLength", 64))
            if "maxLength" in node
            else text
        )
    return st.text(min_size=node.get("minLength", 0), max_size=min(node.get("maxLength", 12), 12))


def _number(node: dict[str, Any], integer: bool) -> st.SearchStrategy[Any]:
    low = node.get("minimum", node.get("exclusiveMinimum"))
    high = node.get("maximum", node.get("exclusiveMaximum"))
    low = -1000 if low is None else low
    high = low + 1000 if high is None else high
    if integer:
        return st.integers(int(low) + ("exclusiveMinimum" in node), int(high))
    return st.floats(
        low, high, exclude_min="exclusiveMinimum" in node, allow_nan=False
    ) | st.integers(int(low) + 1, int(high))


def _object(root: dict[str, Any], node: dict[str, Any], depth: int) -> st.SearchStrategy[Any]:
    properties: dict[str, Any] = node.get("properties", {})
    required = [key for key in node.get("required", []) if key in properties]
    optional = [key for key in properties if key not in required]

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        chosen = required + [key for key in optional if draw(st.booleans())]
        data = {key: draw(documents_for(root, properties[key], depth + 1)) for key in chosen}
        extra = node.get("additionalProperties")
        if isinstance(extra, dict) and not properties:
            names = _string(_resolve(root, node.get("propertyNames", {"type": "string"})))
            count = draw(
                st.integers(node.get("minProperties", 0), max(node.get("minProperties", 0), 3))
            )
            for _ in range(count):
                data[draw(names)] = draw(documents_for(root, extra, depth + 1))
        return data

    return build()


def documents_for(  # noqa: PLR0912  (one branch per keyword reads best)
    root: dict[str, Any], node: Any, depth: int = 0
) -> st.SearchStrategy[Any]:
    """Documents shaped by the schema ``node`` (inside ``root``)."""
    if not isinstance(node, dict) or depth > 12:
        return HOSTILE
    node = _resolve(root, node)
    if "const" in node:
        return st.just(node["const"])
    if "enum" in node:
        return st.sampled_from(node["enum"])
    if "oneOf" in node:
        return st.one_of([documents_for(root, branch, depth + 1) for branch in node["oneOf"]])
    if "allOf" in node:
        return documents_for(root, node["allOf"][0], depth + 1)
    if "if" in node:
        branches = [node[key] for key in ("then", "else") if key in node]
        return st.one_of([documents_for(root, branch, depth + 1) for branch in branches])
    kind = node.get("type", "object" if "properties" in node else None)
    if isinstance(kind, list):
        return st.one_of([documents_for(root, {**node, "type": k}, depth) for k in kind])
    if kind == "object":
        return _object(root, node, depth)
    if kind == "array":
        low = node.get("minItems", 0)
        items = documents_for(root, node.get("items", {}), depth + 1)
        return st.lists(items, min_size=low, max_size=max(low, min(node.get("maxItems", 3), 3)))
    if kind == "string":
        return _string(node)
    if kind in ("number", "integer"):
        return _number(node, kind == "integer")
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    return HOSTILE


def documents(name: str) -> st.SearchStrategy[Any]:
    """Documents generated from the shipped schema ``name``."""
    root = schema(name)
    return documents_for(root, root)


@st.composite
def mutated(draw: st.DrawFn, document: Any) -> Any:
    """``document`` with one value somewhere inside replaced, dropped or added to."""
    import copy  # noqa: PLC0415

    data = copy.deepcopy(document)
    places: list[tuple[Any, Any]] = []
    stack = [data]
    while stack:
        node = stack.pop()
        keys = (
            list(node)
            if isinstance(node, dict)
            else range(len(node))
            if isinstance(node, list)
            else []
        )
        for key in keys:
            places.append((node, key))
            stack.append(node[key])
    if not places:
        return draw(HOSTILE)
    container, key = draw(st.sampled_from(places))
    action = draw(st.sampled_from(["replace", "drop", "add"]))
    if action == "drop" and isinstance(container, dict):
        del container[key]
    elif action == "add" and isinstance(container, dict):
        container[draw(st.text(max_size=8))] = draw(HOSTILE)
    else:
        container[key] = draw(HOSTILE)
    return data
