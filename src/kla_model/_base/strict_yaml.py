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

#: Why a path that is not a regular file is refused.
NOT_REGULAR = "expected a regular file; found a directory, device, FIFO or socket"

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"
#: Characters YAML does not allow in a file (C0 controls but tab and line ends, DEL, C1
#: controls but NEL, surrogates, U+FFFE/U+FFFF); refused with their line and column.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
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
    tags never reach it (:func:`_events_checked` refuses them first)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, (dict, list)):
                raise _RefusedError(key_node.start_mark, "a mapping key must be a plain value")
            if key in seen:
                raise _RefusedError(key_node.start_mark, f"duplicate key {_short(key)}")
            seen.add(key)
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
        return super().construct_yaml_int(node)


_StrictLoader.add_constructor(None, _StrictLoader.construct_undefined)
_StrictLoader.add_constructor("tag:yaml.org,2002:int", _StrictLoader.construct_yaml_int)
# Dates stay strings: a date then reads the same from YAML and from JSON.  ``<<`` is a key.
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag not in (_TIMESTAMP, _MERGE)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

#: The only explicit tags allowed: the plain types a file could spell out (``!!str 5``).
_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map")
)


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _at(source: str, mark: Any) -> str:
    if mark is None:
        return source
    return f"{source}: line {mark.line + 1}, column {mark.column + 1}"


def _control_problem(text: str, source: str) -> Problem | None:
    found = _CONTROL.search(text)
    if found is None:
        return None
    line = text.count("\n", 0, found.start()) + 1
    column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    code = f"U+{ord(found.group()):04X}"
    return Problem(
        f"{source}: line {line}, column {column}",
        f"expected text; found the control character {code}, which YAML does not allow",
    )


def _events_checked(text: str) -> None:
    """Walk the parser's events once, refusing aliases, tags and oversized collections.

    Cheap (no objects are built), and it stops at the first thing refused, so the building
    pass that follows only ever sees a bounded document.
    """
    loader = _Loader(text)
    # [entries so far, the most allowed] per open collection; a mapping counts keys and values
    open_counts: list[list[int]] = []
    nodes = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.AliasEvent):
                raise _RefusedError(
                    event.start_mark,
                    f"an alias ('*{event.anchor}') was found; aliases are not allowed "
                    "in kla_model files: write the value out in full",
                )
            if isinstance(event, yaml.CollectionEndEvent):
                open_counts.pop()
            if not isinstance(event, yaml.NodeEvent):
                continue
            tag = getattr(event, "tag", None)  # scalars and collections carry one
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
            if isinstance(event, yaml.MappingStartEvent):
                open_counts.append([0, 2 * MAX_ENTRIES])
            elif isinstance(event, yaml.SequenceStartEvent):
                open_counts.append([0, MAX_ENTRIES])
    finally:
        loader.dispose()


def parse_yaml(text: str, source: str, error: type[ProblemsError]) -> Any:
    """Parse one YAML document from ``text``; ``source`` names it in errors."""
    control = _control_problem(text, source)
    if control is not None:
        raise error(source, [control])
    try:
        _events_checked(text)
        loader = _StrictLoader(text)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except _RefusedError as refused:
        raise error(source, [Problem(_at(source, refused.mark), refused.message)]) from None
    except yaml.MarkedYAMLError as bad:
        raise error(source, [Problem(_at(source, bad.problem_mark), _invalid(bad))]) from None
    except yaml.YAMLError as bad:
        raise error(source, [Problem(source, f"invalid YAML: {_capped(str(bad))}")]) from None
    except RecursionError:
        raise error(source, [Problem(source, "the data is nested too deeply")]) from None


def _invalid(bad: yaml.MarkedYAMLError) -> str:
    if bad.problem and "maximum nesting depth" in bad.problem:
        return "the data is nested too deeply"
    reason = ", ".join(part for part in (bad.context, bad.problem) if part)
    return f"invalid YAML: {_capped(reason)}"


def _capped(text: str) -> str:
    return text if len(text) <= 200 else text[:197] + "..."


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _json_int(text: str) -> int | HugeNumber:
    # Python refuses to convert more than 4,300 digits; kla_model refuses far fewer, located.
    return HugeNumber(text) if len(text.lstrip("-")) > MAX_DIGITS else int(text)


def parse_json(text: str, source: str, error: type[ProblemsError]) -> Any:
    """Parse JSON text, rejecting duplicate keys like the YAML reader does."""
    try:
        return json.loads(text, object_pairs_hook=_unique_keys, parse_int=_json_int)
    except json.JSONDecodeError as bad:
        where = f"{source}: line {bad.lineno}, column {bad.colno}"
        raise error(source, [Problem(where, f"invalid JSON: {bad.msg}")]) from None
    except ValueError as bad:
        raise error(source, [Problem(source, f"invalid JSON: {_capped(str(bad))}")]) from None
    except RecursionError:
        raise error(source, [Problem(source, "the data is nested too deeply")]) from None


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
