"""The JSON Schemas shipped with kla_model, and problems reported with JSON paths.

Numbers are checked first, for every schema at once (:mod:`kla_model._base.numbers`: NaN,
infinity, integers beyond a float).  ``jsonschema`` then checks an instance against a schema
and lists every problem with its path; it is thorough and slow (a submission with its
evidence and records takes it some 30 ms).  Where the Rust validator ``jsonschema-rs`` is
installed (the ``fast`` and ``serve`` extras bring it), it is compiled once per schema and
answers first whether an instance is valid at all, in a fraction of a millisecond; only an
instance it does not accept goes through ``jsonschema``, which then finds and words the
problems (the tests check that the two agree on generated valid and invalid documents).
"""

from __future__ import annotations

import functools
import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jsonschema

from kla_model._base.capped import MAX_PROBLEMS, SHOWN_CHARS, shown
from kla_model._base.numbers import number_problems
from kla_model._base.package_data import PACKAGE_DIR
from kla_model._base.paths import json_path
from kla_model.errors import Problem

__all__ = [
    "MAX_PROBLEMS",
    "SCHEMA_NAMES",
    "json_path",
    "schema",
    "schema_problems",
    "shape_problems",
    "shown",
]

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
    "rule-kinds",
    "ruleset",
    "rulesets",
    "stages",
    "submission",
    "task-force",
    "validation",
    "version",
)


@functools.cache
def schema(name: str) -> dict[str, Any]:
    """The shipped JSON Schema ``name`` (one of :data:`SCHEMA_NAMES`)."""
    text = PACKAGE_DIR.joinpath("schemas", f"{name}.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@functools.cache
def _validator(name: str) -> jsonschema.Draft202012Validator:
    # Imported here: with jsonschema-rs, only an input it refuses needs jsonschema (and its
    # tenth of a second of imports) to word the problems.
    import jsonschema  # noqa: PLC0415

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
    except Exception:  # a value it cannot convert (a lone surrogate, an int key): ask jsonschema
        return False


def shape_problems(name: str, instance: Any, source: str) -> list[Problem]:
    """:func:`schema_problems` for a caller that checks the numbers it reads itself: the
    compiled check alone for an instance it accepts (it does not look for NaN, infinity or
    integers beyond a float); an instance it refuses is worded as :func:`schema_problems`
    words it, numbers first."""
    if _surely_valid(name, instance):
        return []
    unusable = number_problems(instance, source)
    return unusable[:MAX_PROBLEMS] if unusable else _worded(name, instance, source)


_TYPE_WORDS = {
    "number": "a number",
    "integer": "a whole number",
    "string": "text",
    "boolean": "true or false",
    "object": "a mapping",
    "array": "a list",
    "null": "null",
}
_SIZES = {
    "maxLength": "at most {} characters",
    "minLength": "at least {} characters",
    "maxItems": "at most {} entries",
    "minItems": "at least {} entries",
    "maxProperties": "at most {} entries",
    "minProperties": "at least {} entries",
}
_BOUNDS = {
    "minimum": ">=",
    "maximum": "<=",
    "exclusiveMinimum": ">",
    "exclusiveMaximum": "<",
}
#: How many unknown field names one problem lists.
_SHOWN_FIELDS = 5


def _size(value: Any) -> str:
    if isinstance(value, str):
        return f"{len(value)} characters"
    return f"{len(value)} entries" if isinstance(value, list | dict) else shown(value)


def _type_words(expected: Any) -> str:
    names = expected if isinstance(expected, list) else [expected]
    return " or ".join(_TYPE_WORDS.get(str(name), str(name)) for name in names)


#: For each validator whose own message echoes the whole input: what it expected, in words.
_EXPECTED: dict[str, Callable[[Any], str]] = {
    "type": _type_words,
    **{name: words.format for name, words in _SIZES.items()},
    **{name: f"a number {sign} {{:g}}".format for name, sign in _BOUNDS.items()},
    "enum": lambda allowed: f"one of {allowed!r}",
    "const": repr,
    "pattern": lambda pattern: f"text matching {pattern}",
}


def _unknown_fields(error: jsonschema.ValidationError, rule: dict[str, Any]) -> str:
    allowed = sorted(rule.get("properties", {}))
    instance: Any = error.instance
    extra = sorted(shown(str(key)) for key in instance if key not in allowed)
    more = len(extra) - _SHOWN_FIELDS
    listed = ", ".join(extra[:_SHOWN_FIELDS]) + (f" and {more} more" if more > 0 else "")
    return f"unknown field(s) {listed}; allowed: {', '.join(allowed)}"


def _describe(error: jsonschema.ValidationError) -> str:
    """The error in words; every value from the input is shown capped (:func:`shown`)."""
    rule: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    validator = str(error.validator)
    if validator == "additionalProperties" and isinstance(error.instance, dict):
        return _unknown_fields(error, rule)
    if validator in _CHOICES and "description" in rule:
        return f"expected {rule['description']}; found {shown(error.instance)}"
    if validator in _EXPECTED:
        found = _size(error.instance) if validator in _SIZES else shown(error.instance)
        try:
            return f"expected {_EXPECTED[validator](error.validator_value)}; found {found}"
        except (TypeError, ValueError):  # an odd bound in a schema: fall through to the generic
            pass
    if validator == "required" and len(error.message) <= 2 * SHOWN_CHARS:
        return error.message
    # Any other validator's own message echoes the input: name the rule instead.
    return f"expected what the schema's {validator!r} rule allows; found {shown(error.instance)}"


#: The validators that offer branches (the input meant one of them: see :func:`_branch`).
_CHOICES = frozenset({"oneOf", "anyOf"})


def _branch(error: jsonschema.ValidationError) -> list[jsonschema.ValidationError] | None:
    """Of a failed ``oneOf`` or ``anyOf``, the errors of the one branch the input evidently
    meant, if there is one.  Of the branches of the input's type and tag (:func:`_tagged`):
    the only one, else the only one whose required fields it has, else the one it misses by
    the fewest errors.  Where every branch wants the same other type, that type's error."""
    by_branch: dict[Any, list[jsonschema.ValidationError]] = {}
    for sub in error.context or ():
        by_branch.setdefault(sub.relative_schema_path[0], []).append(sub)
    branches = list(by_branch.values())
    of_its_type = [errors for errors in branches if not _at_root(errors, "type")]
    if not of_its_type:
        return _one_type_wanted(branches)
    tagged = _tagged(of_its_type)
    complete = [errors for errors in tagged if not _at_root(errors, "required")]
    for meant in (tagged, complete, _closest(tagged)):
        if len(meant) == 1:
            return meant[0]
    return None


def _at_root(errors: list[jsonschema.ValidationError], validator: str) -> bool:
    return any(_root_error(e, validator) for e in errors)


def _root_error(error: jsonschema.ValidationError, validator: str) -> bool:
    """Whether ``error`` is ``validator``'s, about the branch's input itself."""
    return error.validator == validator and not error.relative_path


def _one_type_wanted(
    branches: list[list[jsonschema.ValidationError]],
) -> list[jsonschema.ValidationError] | None:
    wrong_type = [e for errors in branches for e in errors if _root_error(e, "type")]
    wanted = {json.dumps(e.validator_value, sort_keys=True) for e in wrong_type}
    return wrong_type[:1] if len(wanted) == 1 else None


#: The validators that fix a tag field's value (see :func:`_tagged`).
_TAGS = frozenset({"const", "enum"})


def _tagged(
    branches: list[list[jsonschema.ValidationError]],
) -> list[list[jsonschema.ValidationError]]:
    """The branches whose tag the input carries.  A tag is a field a branch fixes with a
    ``const`` or ``enum`` (a record's ``action``, say): a branch that refuses the input's value
    there, where another branch takes it, is not the one the input meant."""
    refused = [
        {e.relative_path[0] for e in errors if e.validator in _TAGS and len(e.relative_path) == 1}
        for errors in branches
    ]
    everywhere = set.intersection(*refused)
    return [
        errors for errors, fields in zip(branches, refused, strict=True) if fields <= everywhere
    ]


def _closest(
    branches: list[list[jsonschema.ValidationError]],
) -> list[list[jsonschema.ValidationError]]:
    fewest = min(len(errors) for errors in branches)
    return [errors for errors in branches if len(errors) == fewest]


def _precise(errors: Iterable[jsonschema.ValidationError]) -> Iterator[jsonschema.ValidationError]:
    for error in errors:
        branch = _branch(error) if error.validator in _CHOICES else None
        if branch is None:
            yield error
        else:
            yield from _precise(branch)


def _errors(name: str, instance: Any) -> Iterator[jsonschema.ValidationError]:
    return _precise(_validator(name).iter_errors(instance))


def schema_problems(name: str, instance: Any, source: str) -> list[Problem]:
    """Every way ``instance`` breaks schema ``name``, each located as ``source: $.path``
    (the first :data:`MAX_PROBLEMS` found, and a last problem saying there are more).

    Numbers are checked first (:mod:`kla_model._base.numbers`: NaN, infinity, integers
    beyond a float), for every loader at once.  The compiled check then says whether the
    input is valid; only an input it refuses pays for the full validator, which words it.
    """
    unusable = number_problems(instance, source)
    if unusable:
        return unusable[:MAX_PROBLEMS]
    if _surely_valid(name, instance):
        return []
    return _worded(name, instance, source)


def _worded(name: str, instance: Any, source: str) -> list[Problem]:
    """The problems of an instance the compiled check refused (or could not check), in words."""
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
