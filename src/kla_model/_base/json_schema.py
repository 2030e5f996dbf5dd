"""The JSON Schemas shipped with kla_model, and problems reported with JSON paths.

``jsonschema`` checks an instance against a schema and lists every problem with its path.
It is thorough and slow: a submission with its evidence and records takes it some 30 ms, far
more than scoring it.  Where the Rust validator ``jsonschema-rs`` is installed (the ``serve``
extra brings it), it answers first whether an instance is valid at all, in a fraction of a
millisecond; only an instance it does not accept goes through ``jsonschema``, which then
finds and words the problems, or finds none.  So the result is always ``jsonschema``'s
whenever the two could differ in the safe direction, and both implement Draft 2020-12 for
the rest (the tests check that they agree on valid and broken submissions).
"""

from __future__ import annotations

import functools
import itertools
import json
import re
import reprlib
from collections.abc import Iterable, Iterator
from importlib import resources
from typing import Any

import jsonschema

from kla_model.errors import Problem

__all__ = ["MAX_PROBLEMS", "SCHEMA_NAMES", "json_path", "schema", "schema_problems"]

#: How many problems a check looks for: far more than anyone fixes in one go, and a bound on
#: the work of checking a large input that is wrong throughout (each problem costs jsonschema
#: about a millisecond, and a 2 MB submission can hold tens of thousands).
MAX_PROBLEMS = 100

SCHEMA_NAMES = (
    "assignment",
    "batch-line",
    "costs",
    "crosswalk",
    "evidence-report",
    "explanation",
    "health",
    "overlay",
    "plan",
    "problems",
    "result",
    "ruleset",
    "rulesets",
    "stages",
    "submission",
    "validation",
    "version",
)

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: Enough to show what went wrong without echoing a huge value back.
_SHOWN_CHARS = 80


@functools.cache
def schema(name: str) -> dict[str, Any]:
    """The shipped JSON Schema ``name`` (one of :data:`SCHEMA_NAMES`)."""
    text = resources.files("kla_model").joinpath(f"schemas/{name}.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@functools.cache
def _validator(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema(name))


@functools.cache
def _fast_validator(name: str) -> Any | None:
    """The ``jsonschema-rs`` validator of schema ``name``, or ``None`` if it is not installed."""
    try:
        import jsonschema_rs  # noqa: PLC0415 (an optional accelerator)
    except ImportError:
        return None
    return jsonschema_rs.Draft202012Validator(schema(name))


def _surely_valid(name: str, instance: Any) -> bool:
    """True only if the fast validator is installed and accepts ``instance``."""
    fast = _fast_validator(name)
    if fast is None:
        return False
    try:
        return bool(fast.is_valid(instance))
    except (
        Exception
    ):  # a value it cannot convert (a lone surrogate, a Python object): ask jsonschema
        return False


def json_path(parts: Iterable[Any]) -> str:
    """``$.groups[0].indicators[2]["I.1"]``-style path of a location in a document."""
    text = "$"
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif isinstance(part, str) and _IDENTIFIER.match(part):
            text += f".{part}"
        else:
            text += f"[{json.dumps(str(part))}]"
    return text


def shown(value: object) -> str:
    """A short rendering of a value found in the input, for error messages."""
    try:
        text = repr(value) if isinstance(value, str) else json.dumps(value, default=repr)
    except (TypeError, ValueError, RecursionError):
        text = reprlib.repr(value)
    if len(text) > _SHOWN_CHARS:
        text = text[: _SHOWN_CHARS - 3] + "..."
    return text


def _describe(error: jsonschema.ValidationError) -> str:
    rule: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = sorted(rule.get("properties", {}))
        extra = sorted(str(key) for key in error.instance if key not in allowed)
        return f"unknown field(s) {', '.join(map(repr, extra))}; allowed: {', '.join(allowed)}"
    if error.validator == "oneOf" and "description" in rule:
        return f"expected {rule['description']}; found {shown(error.instance)}"
    if error.validator == "minimum" and "minimum" in rule:
        return f"expected a number >= {rule['minimum']:g}; found {shown(error.instance)}"
    if error.validator == "pattern" and "pattern" in rule:
        return f"expected text matching {rule['pattern']}; found {shown(error.instance)}"
    if error.validator in {"type", "enum", "const"}:
        expected = error.message.split(" is not ", 1)[-1]
        return f"expected {expected.removeprefix('of ')}; found {shown(error.instance)}"
    return error.message


def _errors(name: str, instance: Any) -> Iterator[jsonschema.ValidationError]:
    return _validator(name).iter_errors(instance)


def schema_problems(name: str, instance: Any, source: str) -> list[Problem]:
    """Every way ``instance`` breaks schema ``name``, each located as ``source: $.path``
    (the first :data:`MAX_PROBLEMS` found, and a last problem saying there are more)."""
    if _surely_valid(name, instance):
        return []
    first = list(itertools.islice(_errors(name, instance), MAX_PROBLEMS + 1))
    found = sorted(
        first[:MAX_PROBLEMS], key=lambda e: (_document_order(e.absolute_path), e.message)
    )
    problems = [Problem(f"{source}: {json_path(e.absolute_path)}", _describe(e)) for e in found]
    if len(first) > MAX_PROBLEMS:
        message = (
            f"more than {MAX_PROBLEMS} problems: the rest were not looked for; fix these first"
        )
        problems.append(Problem(source, message))
    return problems


def _document_order(path: Iterable[Any]) -> list[tuple[int, int, str]]:
    """Sorts locations as they stand in the document: ``[2]`` before ``[10]``."""
    return [(0, part, "") if isinstance(part, int) else (1, 0, str(part)) for part in path]
