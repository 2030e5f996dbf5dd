"""A problem's message in Indonesian, beside the library's English one.

The library words every problem in English (``expected a percentage from 0 to 100; found
150``), and callers have long read ``message``.  The service answers each problem in both
languages (``message_id``, ``message_en``) so that the page can show one language at a time.
The Indonesian text is made here, from the English one, by a catalogue of the shapes the
library's messages take: ``expected WHAT; found WHAT``, with the WHATs a submission, an
assignment or a request can produce.  Values quoted from the input (``'perdaa'``, ``150``)
are kept as they are, except that a plain decimal number is written with the comma.

A message the catalogue does not know keeps its English words, with a note in Indonesian that
no translation exists yet: nothing is ever invented, and the test of this module lists the
messages a form field can produce so that a changed English wording is caught.  The choice is
recorded in ``docs/decisions.md``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["UNTRANSLATED", "indonesian"]

#: Said after a message the catalogue does not know (which stays in English).
UNTRANSLATED = " (rincian ini hanya tersedia dalam bahasa Inggris)"

#: A number as the library writes it: 150, -5, 96.8.
_NUMBER = r"-?\d+(?:\.\d+)?"

_Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]


def _rule(pattern: str, template: str) -> _Rule:
    """A whole-text pattern and its Indonesian ``template`` (``{name}`` for each group; a
    group named ``n…`` is a number, written with the comma)."""
    compiled = re.compile(pattern, re.DOTALL)

    def words(match: re.Match[str]) -> str:
        groups = {
            name: _decimal(value) if name.startswith("n") else value
            for name, value in match.groupdict().items()
        }
        return template.format(**groups)

    return compiled, words


def _decimal(text: str) -> str:
    """``96.8`` as Indonesian writes it, ``96,8``; any other text as it is."""
    return text.replace(".", ",") if re.fullmatch(_NUMBER, text) else text


#: What a message said was expected, in Indonesian.
_EXPECTED: tuple[_Rule, ...] = (
    _rule(rf"a percentage from (?P<na>{_NUMBER}) to (?P<nb>{_NUMBER})", "persentase {na}–{nb}"),
    _rule(
        r"a data year from (?P<na>\d+) to (?P<nb>\d+) \(the ruleset accepts data at most "
        r"(?P<nc>\d+) years older than the round\)",
        "tahun data {na}–{nb} (aturan ini menerima data paling lama {nc} tahun sebelum tahun "
        "evaluasi)",
    ),
    _rule(r"a data year no later than the round (?P<na>\d+)", "tahun data paling lambat {na}"),
    _rule(
        r"a data_year to compare with reference series (?P<s>'[^']*')",
        "tahun data (data_year) untuk dibandingkan dengan deret acuan {s}",
    ),
    _rule(r"a number as \{value, data_year\}", "angka berbentuk {{value, data_year}}"),
    _rule(r"a value within the bands (?P<b>.+)", "nilai di dalam rentang {b}"),
    _rule(r"one of the levels (?P<l>.+)", "salah satu tingkat: {l}"),
    _rule(r"a list of option ids from (?P<o>.+)", "daftar id pilihan dari {o}"),
    _rule(r"option ids from (?P<o>.+)", "id pilihan dari {o}"),
    _rule(r"an indicator id of the ruleset", "id indikator yang ada dalam aturan ini"),
    _rule(r"an item id of (?P<i>\S+)", "id butir dari {i}"),
    _rule(
        r"\{items: \{\.\.\.\}\} with answers for the items (?P<i>.+)",
        "{{items: {{...}}}} berisi jawaban untuk butir {i}",
    ),
    _rule(r"a kind item (?P<i>\S+) accepts \((?P<k>.*)\)", "jenis yang diterima butir {i} ({k})"),
    _rule(
        r"a kind some item of (?P<i>\S+) accepts \((?P<k>.*)\)",
        "jenis yang diterima salah satu butir {i} ({k})",
    ),
    _rule(
        r"the id of the item corrected, one of (?P<i>.+)",
        "id butir yang dikoreksi, salah satu dari {i}",
    ),
    _rule(r"a calendar date YYYY-MM-DD", "tanggal YYYY-MM-DD"),
    _rule(r"one of (?P<o>.+)", "salah satu dari {o}"),
    _rule(r"at least (?P<n>\d+) characters", "paling sedikit {n} karakter"),
    _rule(r"at most (?P<n>\d+) characters", "paling banyak {n} karakter"),
    _rule(r"at least (?P<n>\d+) entries", "paling sedikit {n} entri"),
    _rule(r"at most (?P<n>\d+) entries", "paling banyak {n} entri"),
    _rule(rf"a number (?P<op>>=|<=|>|<) (?P<n>{_NUMBER}(?:e[+-]?\d+)?)", "angka {op} {n}"),
    _rule(r"text matching (?P<p>.+)", "teks yang cocok dengan pola {p}"),
    _rule(r"a number within the range of a float", "angka dalam jangkauan bilangan float"),
    _rule(r"at most (?P<n>\d+) levels of nesting", "paling banyak {n} tingkat bersarang"),
    _rule(r"an object with a submission", "objek berisi submission"),
    _rule(r"a field (?P<f>'[^']*')", "kolom {f}"),
    _rule(r"a JSON document", "dokumen JSON"),
    _rule(r"UTF-8 text", "teks UTF-8"),
    _rule(r"a submission file", "berkas submission"),
    _rule(r"an assignment file", "berkas penugasan"),
    _rule(r"a list of indicator or item ids", "daftar id indikator atau butir"),
    _rule(r"(?P<n>\d+) cells like the header", "{n} sel seperti baris judul"),
    _rule(r"at most (?P<n>[\d,]+) values in a file", "paling banyak {n} nilai dalam satu berkas"),
    _rule(r"a (?P<k>scalar|sequence|mapping) node", "simpul {k}"),
    _rule(
        r"text without control or bidi-override characters",
        "teks tanpa karakter kendali atau pembalik arah (bidi)",
    ),
    _rule(
        r"a Host this service answers \((?P<h>.*)\: see --allowed-host\)",
        "Host yang dilayani layanan ini ({h}: lihat --allowed-host)",
    ),
    _rule(r"a request from this service's own page", "permintaan dari halaman layanan ini sendiri"),
    _rule(r"a line of at most (?P<n>[\d,]+) characters", "baris paling panjang {n} karakter"),
    _rule(r"at most (?P<n>[\d,]+) cells in a row", "paling banyak {n} sel dalam satu baris"),
    _rule(
        r"at most (?P<n>[\d,]+) lists and mappings in a document",
        "paling banyak {n} daftar dan pemetaan dalam satu dokumen",
    ),
    _rule(r"seconds from 0 to 3600", "detik dari 0 sampai 3600"),
    _rule(r"one of the tiers (?P<t>.+)", "salah satu peringkat: {t}"),
    _rule(
        r"at most (?P<n>[\d,]+) entries in a list or mapping",
        "paling banyak {n} entri dalam satu daftar atau pemetaan",
    ),
)

#: The JSON types a schema names (``_TYPE_WORDS`` in the schema module), joined by "or".
_TYPES = {
    "a number": "angka",
    "a whole number": "bilangan bulat",
    "a finite number": "bilangan terhingga",
    "text": "teks",
    "true or false": "true atau false (ya atau tidak)",
    "a mapping": "pemetaan (mapping)",
    "a list": "daftar",
    "null": "null",
}

#: What a message said was found instead, in Indonesian (any other text is a value quoted
#: from the input, kept as it is).
_FOUND: tuple[_Rule, ...] = (
    _rule(r"more", "lebih banyak"),
    _rule(r"a single answer", "satu jawaban saja"),
    _rule(r"unknown id (?P<i>'[^']*')", "id tak dikenal {i}"),
    _rule(r"(?P<n>\d+) characters", "{n} karakter"),
    _rule(r"(?P<n>\d+) entries", "{n} entri"),
    _rule(r"an integer of (?P<n>\d+) digits", "bilangan bulat {n} digit"),
    _rule(
        r"the control character (?P<c>U\+[0-9A-F]+), which YAML does not allow",
        "karakter kendali {c}, yang tidak diizinkan YAML",
    ),
    _rule(
        r"the control character (?P<c>U\+[0-9A-F]+), which kla_model files may not hold",
        "karakter kendali {c}, yang tidak boleh ada dalam berkas kla_model",
    ),
    _rule(
        r"(?P<c>U\+[0-9A-F]+) \((?P<name>[^)]*)\) at character (?P<n>\d+)",
        "{c} ({name}) pada karakter ke-{n}",
    ),
    _rule(
        r"one from a (?P<s>'[^']*') page \(Sec-Fetch-Site\); a portal elsewhere needs "
        r"--allowed-origin",
        "permintaan dari halaman {s} (Sec-Fetch-Site); portal lain memerlukan --allowed-origin",
    ),
    _rule(
        r"Origin (?P<o>'[^']*') \(a portal elsewhere needs --allowed-origin\)",
        "Origin {o} (portal lain memerlukan --allowed-origin)",
    ),
    _rule(r"no Content-Type", "tanpa Content-Type"),
)

#: Whole messages that are not ``expected …; found …``.
_WHOLE: tuple[_Rule, ...] = (
    _rule(r"(?P<f>'[^']*') is a required property", "kolom {f} wajib ada"),
    _rule(
        r"unknown field\(s\) (?P<f>.+?) and (?P<n>\d+) more; allowed: (?P<a>.+)",
        "kolom tak dikenal {f} dan {n} lainnya; yang boleh: {a}",
    ),
    _rule(
        r"unknown field\(s\) (?P<f>.+?); allowed: (?P<a>.+)",
        "kolom tak dikenal {f}; yang boleh: {a}",
    ),
    _rule(r"unknown field; allowed: (?P<a>.+)", "kolom tak dikenal; yang boleh: {a}"),
    _rule(
        r"more than (?P<n>\d+) problems: the rest were not looked for; fix these first",
        "lebih dari {n} masalah: sisanya tidak dicari; perbaiki yang ini dulu",
    ),
    _rule(
        r"an internal error occurred; it was logged as (?P<i>\w+)",
        "terjadi kesalahan di layanan; tercatat dengan nomor {i}",
    ),
    _rule(
        r"the body is larger than the limit of (?P<n>[\d,]+) bytes",
        "isi permintaan melebihi batas {n} byte",
    ),
    # The parser's own reason is quoted as it is, like a value from the input.
    _rule(r"invalid (?P<f>JSON|YAML): (?P<r>.+)", "{f} tidak sah (menurut pembaca {f}: {r})"),
    _rule(r"unreadable CSV: (?P<r>.+)", "CSV tidak terbaca (menurut pembaca CSV: {r})"),
    _rule(
        r"expected UTF-8 text; byte (?P<n>\d+) is not \((?P<r>.+)\)",
        "diharapkan teks UTF-8; bita ke-{n} bukan teks UTF-8 (menurut pembaca: {r})",
    ),
    # What the strict reader of an uploaded file refuses.
    _rule(r"duplicate key (?P<k>.+)", "kunci ganda {k}"),
    _rule(r"a mapping key must be a plain value", "kunci pemetaan harus berupa nilai biasa"),
    _rule(
        r"the tag (?P<t>.+) is not allowed: kla_model files hold plain data only",
        "tag {t} tidak diizinkan: berkas kla_model hanya memuat data biasa",
    ),
    _rule(
        r"an alias \('\*(?P<a>[^']*)'\) was found; aliases are not allowed in kla_model "
        r"files: write the value out in full",
        "ditemukan alias ('*{a}'); alias tidak diizinkan dalam berkas kla_model: tulis nilainya "
        "secara lengkap",
    ),
    _rule(r"the data is nested too deeply", "data bersarang terlalu dalam"),
    _rule(
        r"busy: expected a free place within (?P<n>[\d.]+) s",
        "sibuk: diharapkan tempat kosong dalam {n} detik",
    ),
    _rule(
        r"the body did not arrive within (?P<n>[\d.]+) seconds",
        "isi permintaan tidak tiba dalam {n} detik",
    ),
)

_MEDIA_TYPE = re.compile(r"[a-z]+/[a-z0-9.+-]+")
_HINT = re.compile(r"(?P<found>.*) \(did you mean (?P<close>'[^']*')\?\)", re.DOTALL)
_ITEM = re.compile(r"(?P<item>[A-Za-z0-9][A-Za-z0-9._-]*): (?P<rest>.*)", re.DOTALL)
_EXPECTED_FOUND = re.compile(r"expected (?P<what>.+?); found (?P<found>.*)", re.DOTALL)
_EMPTY = re.compile(r"expected (?P<what>.+?); the (?:file|body) is empty", re.DOTALL)


def _first(rules: tuple[_Rule, ...], text: str) -> str | None:
    for pattern, words in rules:
        match = pattern.fullmatch(text)
        if match is not None:
            return words(match)
    return None


def _what(text: str) -> str | None:
    """What was expected: a phrase of the catalogue, or JSON types joined by "or"."""
    said = _first(_EXPECTED, text)
    if said is not None:
        return said
    if text in _TYPES:
        return _TYPES[text]
    types = text.split(" or ")
    if all(kind in _TYPES for kind in types):
        return " atau ".join(_TYPES[kind] for kind in types)
    if all(_MEDIA_TYPE.fullmatch(kind) for kind in types):  # a body's Content-Type
        return " atau ".join(types)
    return None


def _found(text: str) -> str:
    hint = _HINT.fullmatch(text)
    if hint is not None:
        return f"{_found(hint['found'])} (maksudnya {hint['close']}?)"
    return _first(_FOUND, text) or _decimal(text)


def _body(message: str) -> str | None:
    """The message in Indonesian, or None if the catalogue does not know its shape."""
    whole = _first(_WHOLE, message)
    if whole is not None:
        return whole
    empty = _EMPTY.fullmatch(message)
    if empty is not None:
        what = _what(empty["what"])
        return None if what is None else f"diharapkan {what}; isinya kosong"
    shape = _EXPECTED_FOUND.fullmatch(message)
    if shape is None:
        return None
    what = _what(shape["what"])
    if what is None:
        return None
    if shape["found"] == "none":
        return f"diharapkan {what}; tidak ditemukan"
    return f"diharapkan {what}; ditemukan {_found(shape['found'])}"


def indonesian(message: str) -> str:
    """``message`` (the library's English) in Indonesian; an item id before it
    (``I.1.1: …``) is kept.  A message the catalogue does not know stays in English, marked
    :data:`UNTRANSLATED`."""
    said = _body(message)
    if said is None:
        item = _ITEM.fullmatch(message)
        rest = None if item is None else _body(item["rest"])
        if item is not None and rest is not None:
            said = f"{item['item']}: {rest}"
    return message + UNTRANSLATED if said is None else said
