"""Text from people ``kla_model`` does not know, made safe for where it is written.

Region and agency names, evidence titles and links, notes and verifiers' reasons come from
submissions, assignment files and tables that anyone can write.  Each kind of output has one
function here, and every writer of that kind calls it, so a fix reaches them all:

- a terminal (:func:`terminal_safe`): escape sequences (ANSI CSI and OSC), the other C0
  and C1 control characters, and the bidirectional overrides that make a line read
  differently from what it holds are removed; line breaks and tabs stay;
- a spreadsheet (:func:`spreadsheet_safe`): a cell that a spreadsheet would run as a
  formula is written with a leading apostrophe (OWASP, "CSV Injection");
- HTML (:func:`html_text`, :func:`safe_href`): text is escaped, quotes included, so that it
  is safe in an element and in an attribute; a link is kept only if it is ``http`` or
  ``https``, never ``javascript:`` or ``data:``.
"""

from __future__ import annotations

import re

__all__ = ["FORMULA_STARTS", "html_text", "safe_href", "spreadsheet_safe", "terminal_safe"]

#: What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection"): a cell from
#: the input that begins with one of these is written with a leading apostrophe, so that
#: ``=HYPERLINK(...)`` in a district's name is shown as text, never run.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# An escape sequence, whole: CSI (ESC [ ... final byte), OSC (ESC ] ... BEL or ESC \), the
# other ESC-introduced strings (DCS, SOS, PM, APC up to ST) and two-byte escapes; their C1
# forms (0x9b CSI, 0x9d OSC, ...) too.  Removing the whole sequence, not only its ESC, keeps
# ``]8;;http://evil`` and colour codes from being left behind as litter.  An unterminated
# string ends at the line's end, so a name cannot swallow the lines printed after it.
_SEQUENCE = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?            # CSI: parameters, intermediates, final
    | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])     # OSC, DCS, SOS, PM, APC ...
      [^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?    # ... up to BEL or ST, or the line's end
    | \x1b[ -/]*[0-~]?                            # any other escape
    """,
    re.VERBOSE,
)
# What is left to remove one character at a time: C0 controls but tab and line feed, DEL,
# C1 controls, and the bidirectional embeddings, overrides and isolates (Trojan Source).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u061c\u200e\u200f]")

#: The link schemes an HTML output keeps.
SAFE_SCHEMES = ("http", "https")


def terminal_safe(text: str) -> str:
    """``text`` with nothing a terminal would act on: no escape sequences, no control
    characters but line feed and tab, no bidirectional overrides."""
    if text.isprintable():  # the common case: nothing to remove
        return text
    return _CONTROL.sub("", _SEQUENCE.sub("", text))


def spreadsheet_safe(text: str) -> str:
    """``text`` as a CSV cell a spreadsheet shows as text (OWASP's CSV-injection advice)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def html_text(text: str) -> str:
    """``text`` escaped for HTML, in an element or a quoted attribute."""
    from html import escape  # noqa: PLC0415 (HTML views only: `kla score` starts without it)

    return escape(text, quote=True)


def safe_href(url: str) -> str | None:
    """``url`` escaped for an ``href`` if it is an absolute ``http(s)`` link; else ``None``
    (``javascript:``, ``data:``, relative and malformed links are never made links)."""
    cleaned = url.strip()
    if _CONTROL.search(cleaned) or any(char.isspace() for char in cleaned):
        return None  # browsers drop tabs and line breaks inside a scheme: "java\tscript:"
    from urllib.parse import urlsplit  # noqa: PLC0415 (HTML views only)

    try:
        parts = urlsplit(cleaned)
    except ValueError:
        return None
    if parts.scheme.lower() not in SAFE_SCHEMES or not parts.netloc:
        return None
    return html_text(cleaned)
