"""Strict, safe reading of YAML and JSON files that may come from anyone.

Rule files and submissions are untrusted data.  They are read with a private ``SafeLoader``
subclass that builds only plain data (no Python tags), rejects duplicate keys (a second
value would otherwise silently win), refuses aliases (the "billion laughs" expansion bomb
needs them, and kla_model's files never do), keeps dates as strings (so a date reads the
same from YAML and from JSON), and is given at most ``MAX_BYTES`` bytes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from kla_model.errors import Problem, ProblemsError

__all__ = ["MAX_BYTES", "load_data_file", "parse_json", "parse_yaml"]

#: The largest file kla_model reads: far above any real ruleset or submission.
MAX_BYTES = 2_000_000

_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _RefusedError(Exception):
    """Raised inside the loader; turned into a located problem by ``parse_yaml``."""

    def __init__(self, mark: yaml.Mark | None, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader without aliases, duplicate keys or implicit timestamps."""

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise _RefusedError(
                event.start_mark,
                f"an alias ('*{event.anchor}') was found; aliases are not allowed "
                "in kla_model files: write the value out in full",
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, (dict, list)):
                raise _RefusedError(key_node.start_mark, "a mapping key must be a plain value")
            if key in seen:
                raise _RefusedError(key_node.start_mark, f"duplicate key {key!r}")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def construct_undefined(self, node: yaml.Node) -> Any:
        raise _RefusedError(
            node.start_mark,
            f"the tag {node.tag!r} is not allowed: kla_model files hold plain data only",
        )


_StrictLoader.add_constructor(None, _StrictLoader.construct_undefined)
# Dates stay strings: a date then reads the same from YAML and from JSON.
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != _TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _at(source: str, mark: yaml.Mark | None) -> str:
    if mark is None:
        return source
    return f"{source}: line {mark.line + 1}, column {mark.column + 1}"


def parse_yaml(text: str, source: str, error: type[ProblemsError]) -> Any:
    """Parse one YAML document from ``text``; ``source`` names it in errors."""
    loader = _StrictLoader(text)
    try:
        return loader.get_single_data()
    except _RefusedError as refused:
        raise error(source, [Problem(_at(source, refused.mark), refused.message)]) from None
    except yaml.MarkedYAMLError as bad:
        reason = ", ".join(part for part in (bad.context, bad.problem) if part)
        message = f"invalid YAML: {reason}"
        raise error(source, [Problem(_at(source, bad.problem_mark), message)]) from None
    except yaml.YAMLError as bad:
        raise error(source, [Problem(source, f"invalid YAML: {bad}")]) from None
    except RecursionError:
        raise error(source, [Problem(source, "the data is nested too deeply")]) from None
    finally:
        loader.dispose()


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def parse_json(text: str, source: str, error: type[ProblemsError]) -> Any:
    """Parse JSON text, rejecting duplicate keys like the YAML reader does."""
    try:
        return json.loads(text, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as bad:
        where = f"{source}: line {bad.lineno}, column {bad.colno}"
        raise error(source, [Problem(where, f"invalid JSON: {bad.msg}")]) from None
    except ValueError as bad:
        raise error(source, [Problem(source, f"invalid JSON: {bad}")]) from None
    except RecursionError:
        raise error(source, [Problem(source, "the data is nested too deeply")]) from None


def load_data_file(path: str | Path, error: type[ProblemsError], max_bytes: int = MAX_BYTES) -> Any:
    """Read a ``.json`` file as JSON and anything else as YAML, within ``max_bytes``."""
    path = Path(path)
    source = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            message = f"the file is {size:,} bytes; the limit is {max_bytes:,} bytes"
            raise error(source, [Problem(source, message)])
        raw = path.read_bytes()[: max_bytes + 1]
    except OSError as failed:
        reason = failed.strerror or str(failed)
        raise error(source, [Problem(source, f"cannot read the file: {reason}")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as bad:
        message = f"the file is not UTF-8 text (byte {bad.start}: {bad.reason})"
        raise error(source, [Problem(source, message)]) from None
    if not text.strip():
        raise error(source, [Problem(source, "the file is empty")])
    if path.suffix.lower() == ".json":
        return parse_json(text, source, error)
    return parse_yaml(text, source, error)
