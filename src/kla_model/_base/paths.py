"""JSON paths (``$.groups[0].indicators[2]["I.1"]``): where in a document a problem is."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

__all__ = ["MAX_KEY_CHARS", "json_path"]

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: A key from the input is shown at most this long in a location (a 1 MB key stays short).
MAX_KEY_CHARS = 80


def _key(part: Any) -> str:
    text = str(part)
    if len(text) > MAX_KEY_CHARS:
        text = text[: MAX_KEY_CHARS - 3] + "..."
    return text


def json_path(parts: Iterable[Any]) -> str:
    """``$.groups[0].indicators[2]["I.1"]``-style path of a location in a document."""
    text = "$"
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif isinstance(part, str) and _IDENTIFIER.match(part) and len(part) <= MAX_KEY_CHARS:
            text += f".{part}"
        else:
            text += f"[{json.dumps(_key(part))}]"
    return text
