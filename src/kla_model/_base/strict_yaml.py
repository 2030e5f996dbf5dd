"""Strict, safe reading of YAML and JSON files that may come from anyone.

Rule files and submissions are untrusted data.  YAML is read with libyaml's C parser when
PyYAML has it (``yaml.CSafeLoader``; PyYAML's pure-Python ``SafeLoader`` otherwise), through a
private subclass that builds only plain data: no tags at all (``!!python/...``, ``!!binary``,
``!!set``, ``!include`` are refused), no duplicate keys (a second value would otherwise
silently win), no aliases (the "billion laughs" expansion bomb needs them, and kla_model's
files never do), no merge keys, dates kept as strings (so a date reads the same from YAML
and from JSON).

Work is bounded before anything is built: a file is read only if it is a regular file, and
never more than ``MAX_BYTES`` plus one byte; control characters are refused; a first pass
over the parser's events refuses aliases and tags and counts collections, stopping at
``MAX_NODES`` values in a document or ``MAX_ENTRIES`` entries in one list or mapping, so
that any file under the size limit is parsed or refused in well under a second.
"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import IO, Any

import yaml

from kla_model._base.numbers import MAX_DIGITS, HugeNumber
from kla_model._base.unsafe_text import text_problems
from kla_model.errors import Problem, ProblemsError

__all__ = [
    "MAX_BYTES",
    "MAX_ENTRIES",
    "MAX_NODES",
    "NOT_REGULAR",
    "load_data_file",
    "open_regular",
    "parse_json",
    "parse_yaml",
    "read_limited",
]

#: The largest file kla_model reads: far above any real ruleset or submission.
MAX_BYTES = 2_000_000
#: The most values (scalars, lists, mappings) one YAML document may hold: a bundled
#: ruleset holds about 4,000, a submission with a hundred pieces of evidence and their
#: records about 2,000.  Building YAML data costs Python some microseconds a value, so this
#: is what keeps any accepted file well under a second.
MAX_NODES = 25_000
#: The most entries one list or mapping may hold.
MAX_ENTRIES = 10_000
#: The deepest nesting of lists and mappings: a ruleset nests about eight levels.  Checked
#: here rather than left to libyaml, whose own depth limit differs between its releases.
MAX_NESTING = 100

#: What a document nested deeper than :data:`MAX_NESTING` is told.
TOO_DEEP = "the data is nested too deeply"

#: Why a path that is not a regular file is refused.
NOT_REGULAR = "expected a regular file; found a directory, device, FIFO or socket"

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_MERGE = "tag:yaml.org,2002:merge"
#: Characters YAML does not allow in a file (C0 controls but tab and line ends, DEL, C1
#: controls but NEL, surrogates, U+FFFE/U+FFFF), and the bidi overrides and isolates, which
#: no KLA text needs (see :mod:`.unsafe_text`); refused with their line and column.  Both
#: patterns are left for ``re`` to compile on first use: most files are ASCII without a
#: control character and never need them, and compiling these ranges costs a start-up.
_CONTROL = (
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff\ufffe\uffff]"
)
#: The same for JSON, which has no NEL line break (tab and line ends outside strings are
#: spaces; inside strings the JSON parser refuses every C0 control itself).
_JSON_CONTROL = (
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)
#: The ASCII characters both patterns allow: the printable ones, tab and the line ends.
_ASCII_ALLOWED = bytes(range(0x20, 0x7F)) + b"\t\n\r"
#: libyaml's C parser when present: pure-Python parsing of some 2 MB shapes takes a minute.
_Loader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _RefusedError(Exception):
    """Raised while reading; turned into a located problem by ``parse_yaml``."""

    def __init__(self, mark: Any, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


class _StrictLoader(_Loader):  # type: ignore[misc]
    """The safe loader without duplicate keys, implicit timestamps or merge keys; aliases and
    tags never reach it (:func:`_events_checked` refuses them first).

    It builds a document level by level, in the very order PyYAML's own constructor does (so
    that a document with several problems reports the same first one), but without that
    constructor's generators and per-node bookkeeping, which are there for aliases (refused
    here) and cost ``kla score`` a third of its reading time: a list or mapping is made empty
    when it is met and filled when the level below it is built; plain strings are taken as
    they are, other scalars go through PyYAML's own constructor for their tag.  Anything
    else (a tag on the wrong kind of node, a tag that is refused) takes PyYAML's own path.
    """

    def construct_document(self, node: yaml.Node) -> Any:
        pending: list[tuple[Any, yaml.Node]] = []
        data = self._value(node, pending)
        while pending:
            level, pending = pending, []
            for container, collection in level:
                if isinstance(container, list):
                    self._fill_list(container, collection, pending)
                else:
                    self._fill_mapping(container, collection, pending)
        return data

    def _value(self, node: yaml.Node, pending: list[tuple[Any, yaml.Node]]) -> Any:
        """A scalar's value, or an empty list or mapping queued to be filled."""
        tag = node.tag
        is_scalar = type(node) is yaml.ScalarNode
        if tag == _STR and is_scalar:  # most values: what construct_yaml_str returns
            return node.value
        if tag in _SCALAR_TAGS and is_scalar:
            return self.yaml_constructors[tag](self, node)
        container: list[Any] | dict[Any, Any]
        if tag == _SEQ:
            container = []
        elif tag == _MAP:
            container = {}
        else:
            return self.construct_object(node)
        pending.append((container, node))
        return container

    def _fill_list(
        self, data: list[Any], node: yaml.Node, pending: list[tuple[Any, yaml.Node]]
    ) -> None:
        if not isinstance(node, yaml.SequenceNode):
            raise _wrong_node("sequence", node)
        data.extend([self._value(child, pending) for child in node.value])

    def _fill_mapping(
        self, data: dict[Any, Any], node: yaml.Node, pending: list[tuple[Any, yaml.Node]]
    ) -> None:
        # Every key first, then the values, as PyYAML's constructor (with the checks of
        # construct_mapping below) would.
        keys = self._keys(node)
        for key, (_, value_node) in zip(keys, node.value, strict=True):
            data[key] = self._value(value_node, pending)

    def _keys(self, node: yaml.Node) -> list[Any]:
        """The keys of a mapping node, each plain and said once, or a refusal located at it."""
        if not isinstance(node, yaml.MappingNode):
            raise _wrong_node("mapping", node)
        keys: list[Any] = []
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if type(key_node) is yaml.ScalarNode:
                key = self._value(key_node, [])
            else:
                key = self.construct_object(key_node, deep=True)
            if isinstance(key, (dict, list)):
                raise _RefusedError(key_node.start_mark, "a mapping key must be a plain value")
            if key in seen:
                raise _RefusedError(key_node.start_mark, f"duplicate key {_short(key)}")
            seen.add(key)
            keys.append(key)
        return keys

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[Any, Any]:
        # Reached only on PyYAML's own path (a mapping inside a key, which is then refused).
        self._keys(node)
        return dict(super().construct_mapping(node, deep=deep))

    def construct_undefined(self, node: yaml.Node) -> Any:
        raise _RefusedError(
            node.start_mark,
            f"the tag {_short(node.tag)} is not allowed: kla_model files hold plain data only",
        )

    def construct_yaml_int(self, node: yaml.ScalarNode) -> Any:
        # Python refuses to convert more than 4,300 digits (ValueError); no float holds 320.
        text = str(node.value).replace("_", "")
        if len(text.lstrip("+-")) > MAX_DIGITS and text.lstrip("+-").isdigit():
            return HugeNumber(text)
        try:  # `!!int x`, and `0b_`, which YAML 1.1 spells as an int, are not numbers
            return super().construct_yaml_int(node)
        except ValueError:
            raise _unreadable(node, "a whole number") from None

    def construct_yaml_float(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_float(node)
        except ValueError:  # `!!float x`
            raise _unreadable(node, "a number") from None

    def construct_yaml_bool(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_bool(node)
        except KeyError:  # `!!bool x`
            raise _unreadable(node, "true or false") from None


def _wrong_node(expected: str, node: yaml.Node) -> yaml.constructor.ConstructorError:
    """PyYAML's own words for a collection tag on the wrong kind of node (``!!map [1]``)."""
    found = getattr(node, "id", "node")  # "scalar", "sequence" or "mapping"
    message = f"expected a {expected} node, but found {found}"
    return yaml.constructor.ConstructorError(None, None, message, node.start_mark)


def _unreadable(node: yaml.ScalarNode, expected: str) -> _RefusedError:
    return _RefusedError(node.start_mark, f"expected {expected}; found {_short(node.value)}")


_StrictLoader.add_constructor(None, _StrictLoader.construct_undefined)
_StrictLoader.add_constructor("tag:yaml.org,2002:int", _StrictLoader.construct_yaml_int)
_StrictLoader.add_constructor("tag:yaml.org,2002:float", _StrictLoader.construct_yaml_float)
_StrictLoader.add_constructor("tag:yaml.org,2002:bool", _StrictLoader.construct_yaml_bool)
# Dates stay strings: a date then reads the same from YAML and from JSON.  ``<<`` is a key.
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag not in (_TIMESTAMP, _MERGE)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

#: The only explicit tags allowed: the plain types a file could spell out (``!!str 5``).
_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map")
)
_SCALAR_TAGS = _PLAIN_TAGS - {_SEQ, _MAP}
_ALIAS = yaml.AliasEvent
_MAPPING_START = yaml.MappingStartEvent
_SEQUENCE_START = yaml.SequenceStartEvent
_ENDS = frozenset({yaml.MappingEndEvent, yaml.SequenceEndEvent})
#: The events that are values (an alias is refused before these are counted).
_NODES = frozenset({yaml.ScalarEvent, _MAPPING_START, _SEQUENCE_START})


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _at(source: str, mark: Any) -> str:
    if mark is None:
        return source
    return f"{source}: line {mark.line + 1}, column {mark.column + 1}"


def _control_problem(text: str, source: str, pattern: str = _CONTROL) -> Problem | None:
    if text.isascii() and not text.encode("ascii").translate(None, _ASCII_ALLOWED):
        # Most documents are ASCII with no control in them: deleting every allowed byte in C
        # costs a tenth of searching the text with the pattern, which stays to locate one.
        return None
    found = re.search(pattern, text)
    if found is None:
        return None
    line = text.count("\n", 0, found.start()) + 1
    column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    code = f"U+{ord(found.group()):04X}"
    yaml_refuses = pattern is _CONTROL and not "\u202a" <= found.group() <= "\u2069"
    why = "YAML does not allow" if yaml_refuses else "kla_model files may not hold"
    return Problem(
        f"{source}: line {line}, column {column}",
        f"expected text; found the control character {code}, which {why}",
    )


def _escaped_checked(data: Any, text: str, source: str, error: type[ProblemsError]) -> Any:
    """``data`` parsed from ``text``, refused if an escape in ``text`` spelt out a character
    :mod:`.unsafe_text` refuses (only an escape can: the text itself was checked)."""
    if "\\" in text:
        problems = text_problems(data, source)
        if problems:
            raise error(source, problems)
    return data


def _events_checked(text: str) -> None:
    """Walk the parser's events once, refusing aliases, tags and oversized collections.

    Cheap (no objects are built), and it stops at the first thing refused, so the building
    pass that follows only ever sees a bounded document.  Events are told apart by their
    exact class (the parsers make no subclasses), the cheapest test in this loop over every
    value of the file.
    """
    loader = _Loader(text)
    # [entries so far, the most allowed] per open collection; a mapping counts keys and values
    open_counts: list[list[int]] = []
    nodes = 0
    try:
        for event in iter(loader.get_event, None):
            kind = type(event)
            if kind is _ALIAS:
                raise _RefusedError(
                    event.start_mark,
                    f"an alias ('*{event.anchor}') was found; aliases are not allowed "
                    "in kla_model files: write the value out in full",
                )
            if kind in _ENDS:
                open_counts.pop()
                continue
            if kind not in _NODES:
                continue
            tag = event.tag
            if tag is not None and tag not in _PLAIN_TAGS and tag != "!":
                raise _RefusedError(
                    event.start_mark,
                    f"the tag {_short(tag)} is not allowed: kla_model files hold plain data only",
                )
            nodes += 1
            if nodes > MAX_NODES:
                message = f"expected at most {MAX_NODES:,} values in a file; found more"
                raise _RefusedError(event.start_mark, message)
            if open_counts:
                counts = open_counts[-1]
                counts[0] += 1
                if counts[0] > counts[1]:
                    message = (
                        f"expected at most {MAX_ENTRIES:,} entries in a list or mapping; found more"
                    )
                    raise _RefusedError(event.start_mark, message)
            if kind is _MAPPING_START or kind is _SEQUENCE_START:
                _open(open_counts, event)
    finally:
        loader.dispose()


def _open(open_counts: list[list[int]], event: Any) -> None:
    """Count a list or mapping opened by ``event``, refusing one nested too deeply."""
    most = 2 * MAX_ENTRIES if type(event) is _MAPPING_START else MAX_ENTRIES
    open_counts.append([0, most])
    if len(open_counts) > MAX_NESTING:
        raise _RefusedError(event.start_mark, TOO_DEEP)


def parse_yaml(text: str, source: str, error: type[ProblemsError]) -> Any:
    """Parse one YAML document from ``text``; ``source`` names it in errors."""
    control = _control_problem(text, source)
    if control is not None:
        raise error(source, [control])
    try:
        _events_checked(text)
        loader = _StrictLoader(text)
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
    except _RefusedError as refused:
        raise error(source, [Problem(_at(source, refused.mark), refused.message)]) from None
    except yaml.MarkedYAMLError as bad:
        raise error(source, [Problem(_at(source, bad.problem_mark), _invalid(bad))]) from None
    except yaml.YAMLError as bad:
        raise error(source, [Problem(source, f"invalid YAML: {_capped(str(bad))}")]) from None
    except RecursionError:
        raise error(source, [Problem(source, TOO_DEEP)]) from None
    return _escaped_checked(data, text, source, error)


def _invalid(bad: yaml.MarkedYAMLError) -> str:
    # Some libyaml releases refuse deep flow nesting while scanning ahead of the events,
    # before the event pass has counted MAX_NESTING levels: the same refusal either way.
    if bad.problem and "maximum nesting depth" in bad.problem:
        return TOO_DEEP
    reason = ", ".join(part for part in (bad.context, bad.problem) if part)
    return f"invalid YAML: {_capped(reason)}"


def _capped(text: str) -> str:
    return text if len(text) <= 200 else text[:197] + "..."


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # Called for every object of a JSON document: the dict is made in C, and only a
    # document with a repeated key pays for finding which.
    result = dict(pairs)
    if len(result) == len(pairs):
        return result
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            raise ValueError(f"duplicate key {key!r}")
        seen.add(key)
    raise AssertionError("unreachable: fewer keys than pairs means a key repeats")


def _json_int(text: str) -> int | HugeNumber:
    # Python refuses to convert more than 4,300 digits; kla_model refuses far fewer, located.
    if len(text) <= MAX_DIGITS or len(text.lstrip("-")) <= MAX_DIGITS:
        return int(text)
    return HugeNumber(text)


def parse_json(text: str, source: str, error: type[ProblemsError]) -> Any:
    """Parse JSON text, rejecting duplicate keys and unsafe characters like the YAML reader."""
    control = _control_problem(text, source, _JSON_CONTROL)
    if control is not None:
        raise error(source, [control])
    # As for YAML, a bound on what is built: each list or mapping costs Python some 60 bytes
    # for a few bytes of text.  Brackets inside strings count too: a bound, never too low.
    if text.count("[") + text.count("{") > MAX_NODES:
        message = f"expected at most {MAX_NODES:,} lists and mappings in a document; found more"
        raise error(source, [Problem(source, message)])
    try:
        data = json.loads(text, object_pairs_hook=_unique_keys, parse_int=_json_int)
    except json.JSONDecodeError as bad:
        where = f"{source}: line {bad.lineno}, column {bad.colno}"
        raise error(source, [Problem(where, f"invalid JSON: {bad.msg}")]) from None
    except ValueError as bad:
        raise error(source, [Problem(source, f"invalid JSON: {_capped(str(bad))}")]) from None
    except RecursionError:
        raise error(source, [Problem(source, TOO_DEEP)]) from None
    return _escaped_checked(data, text, source, error)


def open_regular(path: Path) -> IO[bytes]:
    """``path`` opened for reading if it is a regular file; ``ValueError`` if it is not.

    Checked before opening (opening a FIFO would wait for a writer) and again on the open
    file (the name may have been swapped in between).
    """
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise ValueError
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    stream = os.fdopen(descriptor, "rb")
    if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
        stream.close()
        raise ValueError
    return stream


def read_limited(path: str | Path, error: type[ProblemsError], max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of the regular file ``path``, refused if there are more than ``max_bytes``.

    Never reads more than ``max_bytes`` plus one byte, whatever the file system says its size
    is; a device, FIFO, socket or directory is refused without reading from it.
    """
    source = str(path)
    try:
        with open_regular(Path(path)) as stream:
            raw = stream.read(max_bytes + 1)
    except ValueError:
        raise error(source, [Problem(source, NOT_REGULAR)]) from None
    except OSError as failed:
        reason = failed.strerror or str(failed)
        raise error(source, [Problem(source, f"cannot read the file: {reason}")]) from None
    if len(raw) > max_bytes:
        try:
            size = f"{os.stat(path).st_size:,} bytes"
        except OSError:
            size = "larger"
        message = f"the file is {size}; the limit is {max_bytes:,} bytes"
        raise error(source, [Problem(source, message)])
    return raw


def load_data_file(path: str | Path, error: type[ProblemsError], max_bytes: int = MAX_BYTES) -> Any:
    """Read a ``.json`` file as JSON and anything else as YAML, within ``max_bytes``."""
    path = Path(path)
    source = str(path)
    raw = read_limited(path, error, max_bytes)
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
