"""The bundled rule files read ahead: each one's data as JSON, made from its YAML text.

Reading a bundled ruleset's YAML (some 50 kB: libyaml's parse, the strict reader's pass over
its events, its values built in Python) is most of what ``kla score`` spends on the ruleset
when it starts, 15 to 30 ms; the same data as JSON is read in C in about a millisecond.  So
each bundled ``rules/NAME.yaml`` has ``rules/read-ahead/NAME.json``: the data the strict YAML
reader gives for that file, the CRC-32 of the text it was made from, and the hash of the
ruleset it builds.  The YAML file stays the one that is written and read by people; the
JSON is made from it by::

    python -m kla_model.rules.read_ahead

which checks each file as a rule file of one's own is checked (schema, build, cross-checks)
and writes none for a file that fails.  A bundled ruleset is read from its JSON only while
the checksum matches its YAML file; one changed since is refused, naming that command (never
read some other way: one path).  Its data is then built as a YAML file's, with the cross-
checks of the build, but without the schema pass and the hashing, both done when the JSON
was made (together some 3 % of ``kla score``).  ``tests/test_read_ahead.py`` holds every JSON
file to what this module makes from its YAML file today, value for value and type for type,
and each bundled ruleset to the one its YAML file builds, hash included.
"""

from __future__ import annotations

import binascii
import json
import sys
from pathlib import Path
from typing import Any

from kla_model._base.strict_yaml import parse_yaml
from kla_model.errors import Problem, RuleSetError

__all__ = ["FOLDER", "bundled_folder", "read_ahead", "read_ahead_text", "write_all"]

#: Where a bundled folder keeps the files read ahead.
FOLDER = "read-ahead"
#: What makes them again.
COMMAND = "python -m kla_model.rules.read_ahead"


def bundled_folder() -> Path:
    """The bundled rule files: inside the installed package, or ``rules/`` in a checkout."""
    packaged = Path(__file__).resolve().parent / "bundled"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "rules"


def _checksum(yaml_text: bytes) -> str:
    """What tells a YAML text changed since its JSON was made: a CRC-32, which an edit
    leaves the same once in four billion times (and CI's byte-for-byte test catches that
    one).  A staleness check, not a seal: whoever can change the YAML file can change the
    JSON beside it; a SHA-256 would load OpenSSL's library, a fiftieth of ``kla score``."""
    # Line ends as written in the repository: a checkout that writes CRLF reads the same data.
    return format(binascii.crc32(yaml_text.replace(b"\r\n", b"\n")), "08x")


def read_ahead_text(yaml_text: bytes, source: str) -> str:
    """The JSON file read ahead for a bundled file whose text is ``yaml_text``; a
    :class:`RuleSetError` for a file that is not a valid rule file."""
    # Imported here: the ruleset module reads bundled files through this one.
    from kla_model.rules.ruleset import RuleSet  # noqa: PLC0415

    data = parse_yaml(yaml_text.decode("utf-8"), source, RuleSetError)
    sha256 = RuleSet.from_mapping(data, source).sha256
    document = {"yaml_crc32": _checksum(yaml_text), "sha256": sha256, "data": data}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def read_ahead(folder: Path, name: str) -> tuple[Any, str]:
    """The data of bundled rule file ``name`` in ``folder``, read from its JSON, and the
    hash of the ruleset it builds; refused, naming the command that makes it, when the JSON
    is missing or made from other text."""
    source = f"rules/{name}.yaml"
    made = f"rules/{FOLDER}/{name}.json"
    expected = _checksum(folder.joinpath(f"{name}.yaml").read_bytes())
    try:
        document = json.loads(folder.joinpath(FOLDER, f"{name}.json").read_text("utf-8"))
    except FileNotFoundError:
        found = "none"
    else:
        made_from = document.get("yaml_crc32")  # none in a file of an older layout
        if made_from == expected:
            return document["data"], document["sha256"]
        found = f"one made from other text (CRC-32 {made_from or 'not recorded'})"
    message = (
        f"expected {made}, the file read ahead, made from this text (CRC-32 {expected}); "
        f"found {found}: run `{COMMAND}`"
    )
    raise RuleSetError(source, [Problem(source, message)])


def write_all(folder: Path) -> list[Path]:
    """Make the JSON read ahead for every bundled rule file in ``folder``; the paths written."""
    written = []
    target = folder / FOLDER
    target.mkdir(exist_ok=True)
    for path in sorted(folder.glob("*.yaml")):
        out = target / f"{path.stem}.json"
        out.write_text(read_ahead_text(path.read_bytes(), f"rules/{path.name}"), "utf-8")
        written.append(out)
    return written


if __name__ == "__main__":
    for path in write_all(bundled_folder()):
        sys.stdout.write(f"{path}\n")
