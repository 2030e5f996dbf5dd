"""Untrusted text stays text in every output: HTML, plain text, the ``kla`` commands, CSV, JSON.

The corpus (``tests/hostile/output-strings.yaml``) holds script tags, event attributes,
``</script>``, attribute break-outs, ANSI and OSC escapes, C1 controls, bidirectional
overrides, spreadsheet formulas and ``javascript:``/``data:`` links.  Each string becomes the
region's name and province, every evidence title and link, every verifier's name and reason
and every agency's name of the example, built in Python (the file readers may refuse some of
these strings; the outputs must be safe whatever reaches them).  Then:

- HTML (notebook views of every class, the task force's printable pages): no element or
  attribute comes from the text (no ``<script>``, no ``on...`` attribute), every link is
  ``http(s)``, and the text is there, escaped;
- plain text (``str()``, the text views, every ``kla`` command's output and errors): nothing
  a terminal acts on (ESC, C0/C1 controls but line feed and tab, bidi overrides);
- CSV (``kla tasks --format csv``, ``kla batch``): no text cell a spreadsheet runs;
- JSON: the same values, with nothing raw that a terminal acts on.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import kla_model as kla
from kla_model._base.untrusted import (
    FORMULA_STARTS,
    html_text,
    safe_href,
    spreadsheet_safe,
    terminal_safe,
)
from kla_model.cli import main
from kla_model.scoring.stream import totals_function
from kla_model.views.catalogue import catalogue_markdown
from kla_model.views.html import (
    batch_html,
    card_html,
    plan_html,
    stages_html,
    summary_html,
    totals_html,
)
from kla_model.views.report import card_text, evidence_text, stages_text
from kla_model.views.task_force import task_force_csv, task_force_html, task_force_text

ROOT = Path(__file__).parents[1]
CORPUS = yaml.safe_load((ROOT / "tests" / "hostile" / "output-strings.yaml").read_text("utf-8"))
NAMES: dict[str, str] = CORPUS["names"]
LINKS: dict[str, str] = CORPUS["links"]
EXAMPLE = ROOT / "examples" / "kota-tangerang-2025.yaml"
AGENCIES = ROOT / "examples" / "kota-tangerang-2025-agencies.yaml"
RULESET = kla.load_ruleset("perpres-25-2021")
BASE = kla.load_submission(EXAMPLE)
ASSIGNMENT = kla.load_assignment(AGENCIES, RULESET)

#: What a terminal acts on: ESC and the other C0 controls but tab and line feed, DEL, C1
#: controls, and the bidirectional embeddings, overrides, isolates and marks.
TERMINAL_CONTROL = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u061c\u200e\u200f]"
)


def hostile_submission(name: str, link: str = "https://example.org/a.pdf") -> kla.Submission:
    """The example with ``name`` as every name and note, and ``link`` as every evidence link.

    Built past the classes' validators: a reader or a validator may refuse such text, but
    the outputs must be safe whatever reaches them."""
    with attrs.validators.disabled():
        region = attrs.evolve(BASE.region, name=name, province=name)
        evidence = tuple(attrs.evolve(piece, title=name, uri=link) for piece in BASE.evidence)
        records = tuple(attrs.evolve(r, verifier=name, reason=name) for r in BASE.verification)
        return attrs.evolve(BASE, region=region, evidence=evidence, verification=records, note=name)


def hostile_assignment(name: str) -> kla.Assignment:
    with attrs.validators.disabled():
        agencies = tuple(
            attrs.evolve(agency, name=f"{name} {index}", short=f"{name}{index}")
            for index, agency in enumerate(ASSIGNMENT.agencies)
        )
        return attrs.evolve(ASSIGNMENT, agencies=agencies)


class _Elements(HTMLParser):
    """Every start tag with its attributes, as a browser's tokenizer would see them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def elements(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.tags


def assert_html_keeps_text(html: str, name: str) -> None:
    """No element or attribute came from ``name``; links are http(s); the text is there."""
    tags = elements(html)
    assert {tag for tag, _ in tags} <= {
        "div", "span", "strong", "table", "thead", "tbody", "tr", "th", "td", "details",
        "summary", "br", "html", "head", "meta", "title", "style", "body", "section", "h1",
        "h2", "p", "ol", "li", "a",
    }  # fmt: skip
    for tag, attributes in tags:
        names = [key for key, _ in attributes]
        assert not [key for key in names if key.startswith("on")], (tag, attributes)
        for key, value in attributes:
            if key == "href":
                assert value is not None and value.startswith(("http://", "https://")), value
    assert html_text(name) in html or html_text(terminal_safe(name)) in html


def assert_terminal_safe(text: str) -> None:
    assert not TERMINAL_CONTROL.search(text), repr(TERMINAL_CONTROL.search(text))


@pytest.fixture(scope="module", params=sorted(NAMES), ids=sorted(NAMES))
def name(request: pytest.FixtureRequest) -> str:
    return NAMES[request.param]


@pytest.fixture(scope="module")
def scored(name: str) -> dict[str, Any]:
    submission = hostile_submission(name, LINKS["javascript"])
    card = kla.score(RULESET, submission)
    return {
        "submission": submission,
        "card": card,
        "totals": totals_function(RULESET, None)(submission),
        "history": kla.score_stages(RULESET, submission),
        "plan": kla.plan(RULESET, submission),
        "summary": kla.summarise(RULESET, [card]),
        "force": kla.task_force(RULESET, submission, hostile_assignment(name)),
        "report": kla.evidence_report(RULESET, submission),
    }


# --- HTML -----------------------------------------------------------------------------------


def test_every_notebook_view_keeps_the_text_as_text(scored: dict[str, Any], name: str) -> None:
    for key in ("card", "totals", "history", "plan", "summary", "force"):
        assert_html_keeps_text(scored[key]._repr_html_(), name)
    views = [
        card_html(scored["card"]),
        totals_html(scored["totals"]),
        stages_html(scored["history"]),
        plan_html(scored["plan"]),
        summary_html(scored["summary"]),
    ]
    for html in views:
        assert_html_keeps_text(html, name)


HTML_NAMES = sorted(key for key in NAMES if "<" in NAMES[key])


@pytest.mark.parametrize("key", HTML_NAMES, ids=HTML_NAMES)
def test_a_scored_table_keeps_names_and_bad_cells_as_text(key: str, tmp_path: Path) -> None:
    """A table's names and the bad cells its errors quote (a batch's notebook view)."""
    name = NAMES[key]
    rows = (ROOT / "examples" / "districts-2025.csv").read_text("utf-8").splitlines()
    cells = next(csv.reader([rows[1]]))
    header = next(csv.reader([rows[0]]))
    cells[header.index("region_name")] = name
    bad = list(cells)
    bad[header.index("region_code")] = "36.99"
    bad[header.index("I.1")] = name  # a number column: the row's error quotes the cell
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([header, cells, bad])
    path = tmp_path / "hostile.csv"
    path.write_text(buffer.getvalue(), "utf-8")
    batch = kla.score_table(RULESET, kla.load_table(path))
    assert len(batch.results) == 1 and len(batch.errors) == 1
    assert_html_keeps_text(batch._repr_html_(), name)
    assert html_text(name)[:20] in batch_html(batch.summary(), batch.errors).split("Kesalahan")[1]


@pytest.mark.parametrize("lang", [None, "id", "en"])
def test_the_task_force_pages_keep_the_text_as_text(
    scored: dict[str, Any], name: str, lang: str | None
) -> None:
    force = scored["force"]
    assert_html_keeps_text(task_force_html(force, lang), name)
    agency = force.agencies[0].id
    assert agency is not None
    assert_html_keeps_text(task_force_html(force, lang, agency=agency), name)


NOT_HTTP = sorted(key for key in LINKS if not LINKS[key].startswith("https://"))


@pytest.mark.parametrize("link", NOT_HTTP, ids=NOT_HTTP)
def test_only_http_links_become_links(link: str) -> None:
    name = NAMES["script"]
    force = kla.task_force(RULESET, hostile_submission(name, LINKS[link]), ASSIGNMENT)
    html = task_force_html(force)
    assert not [attributes for tag, attributes in elements(html) if tag == "a"]
    assert html_text(LINKS[link]) in html  # shown as text, beside the evidence's title


def test_a_link_cannot_break_out_of_its_attribute() -> None:
    link = LINKS["quote-breakout"]
    force = kla.task_force(RULESET, hostile_submission(NAMES["script"], link), ASSIGNMENT)
    anchors = [attrs for tag, attrs in elements(task_force_html(force)) if tag == "a"]
    assert anchors
    assert all(anchor == [("href", link), ("rel", "noopener noreferrer")] for anchor in anchors)


def test_an_http_link_is_a_link_with_its_title_escaped() -> None:
    link = "https://example.org/kla/bukti.pdf?a=1&b=2"
    force = kla.task_force(RULESET, hostile_submission(NAMES["event"], link), ASSIGNMENT)
    html = task_force_html(force)
    anchors = [dict(attributes) for tag, attributes in elements(html) if tag == "a"]
    assert anchors and all(anchor["href"] == link for anchor in anchors)
    assert all(anchor["rel"] == "noopener noreferrer" for anchor in anchors)
    assert html_text(NAMES["event"]) in html


def test_the_catalogue_writes_no_html_from_a_ruleset(tmp_path: Path) -> None:
    source = (ROOT / "tests" / "cases" / "explain-plan" / "all-kinds.yaml").read_text("utf-8")
    label = NAMES["end-script"]
    hostile = source.replace("Kelembagaan", label.replace('"', "'"))
    assert hostile != source
    path = tmp_path / "hostile-rules.yaml"
    path.write_text(hostile, "utf-8")
    markdown = catalogue_markdown(kla.load_ruleset(path))
    assert "<script" not in markdown and "</script" not in markdown
    assert "&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in markdown


# --- plain text -----------------------------------------------------------------------------


def test_every_text_view_strips_what_a_terminal_acts_on(scored: dict[str, Any]) -> None:
    force, plan = scored["force"], scored["plan"]
    texts = [
        str(scored["card"]),
        card_text(scored["card"]),
        evidence_text(scored["report"]),
        stages_text(scored["history"], lang="id"),
        stages_text(scored["history"], lang="en"),
        scored["summary"].text(),
        str(kla.explain(scored["card"], "id")),
        *(task_force_text(force, lang) for lang in (None, "id", "en")),
        *("\n".join(plan.lines(lang)) for lang in (None, "id", "en")),
    ]
    for text in texts:
        assert_terminal_safe(text)
    assert all(terminal_safe(scored["card"].region.name) in text for text in texts[:7])


def _patched(monkeypatch: pytest.MonkeyPatch, submission: kla.Submission, name: str) -> None:
    """Every command reads the hostile objects instead of the files it is given."""
    import kla_model.cli.evidence  # noqa: PLC0415
    import kla_model.cli.explain  # noqa: PLC0415
    import kla_model.cli.plan  # noqa: PLC0415
    import kla_model.cli.score  # noqa: PLC0415
    import kla_model.cli.stages  # noqa: PLC0415
    import kla_model.cli.tasks  # noqa: PLC0415

    def load_inputs(args: Any) -> tuple[kla.RuleSet, kla.Submission]:
        return RULESET, submission

    modules = [
        kla_model.cli.evidence,
        kla_model.cli.explain,
        kla_model.cli.plan,
        kla_model.cli.score,
        kla_model.cli.stages,
        kla_model.cli.tasks,
    ]
    for module in modules:
        monkeypatch.setattr(module, "load_inputs", load_inputs)
    monkeypatch.setattr(
        kla_model.cli.tasks, "load_assignment", lambda *args: hostile_assignment(name)
    )


COMMANDS = [
    ["score", "x.yaml"],
    ["stages", "x.yaml"],
    ["stages", "x.yaml", "--lang", "en"],
    ["evidence", "x.yaml"],
    ["explain", "x.yaml"],
    ["explain", "x.yaml", "--lang", "en", "--sensitivity"],
    ["plan", "x.yaml"],
    ["tasks", "x.yaml", "--assign", "a.yaml"],
    ["tasks", "x.yaml", "--assign", "a.yaml", "--lang", "en"],
    ["tasks", "x.yaml", "--assign", "a.yaml", "--format", "html"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_every_command_prints_no_terminal_control(
    command: list[str],
    name: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _patched(monkeypatch, hostile_submission(name, LINKS["data"]), name)
    assert main(command) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert_terminal_safe(out)
    if command[0] != "plan":  # a plan's text names no district
        assert terminal_safe(name).split()[0] in unescape(out)  # echoed, made safe


@pytest.mark.parametrize("command", ["score", "stages", "plan", "explain", "evidence"])
def test_json_keeps_every_value_and_nothing_raw(
    command: str, name: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _patched(monkeypatch, hostile_submission(name), name)
    assert main([command, "x.yaml", "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert_terminal_safe(out)
    assert any(name in text for text in _strings(json.loads(out)))  # the value, unchanged


def _strings(data: Any) -> Iterator[str]:
    """Every string in JSON-like ``data``."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)


def test_an_error_echoing_a_name_prints_no_terminal_control(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / f"bad{NAMES['ansi']}\u202e.yaml"
    assert main(["score", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("kla: ") and "badKota Merah Contoh" in err  # without its sequences
    assert_terminal_safe(err)


# --- CSV ------------------------------------------------------------------------------------

_TEXT_COLUMNS = (
    "agency_short",
    "label_id",
    "label_en",
    "plan_step_id",
    "plan_step_en",
    "correction",
    "support",
)


def test_the_task_csv_neutralises_formulas_as_kla_batch_does(scored: dict[str, Any]) -> None:
    rows = list(csv.DictReader(io.StringIO(task_force_csv(scored["force"]))))
    assert rows
    for row in rows:
        for column in _TEXT_COLUMNS:
            assert not row[column].startswith(FORMULA_STARTS), (column, row[column])
    shorts = {row["agency_short"] for row in rows if row["agency_short"]}
    expected = {spreadsheet_safe(a.agency.short) for a in scored["force"].agencies if a.agency}
    assert shorts <= expected and shorts


def test_the_task_csv_and_kla_batch_use_one_function() -> None:
    import kla_model.tables.output  # noqa: PLC0415

    assert task_force_csv.__globals__["spreadsheet_safe"] is spreadsheet_safe
    assert kla_model.tables.output.spreadsheet_safe is spreadsheet_safe


def test_batch_csv_neutralises_every_formula_of_the_corpus() -> None:
    submissions = [hostile_submission(NAMES[key]) for key in sorted(NAMES) if "formula" in key]
    buffer = io.StringIO()
    kla.write_results(kla.score_many(RULESET, submissions, trace=False), buffer, RULESET)
    rows = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    assert len(rows) == len(submissions)
    for row in rows:
        assert row["region_name"].startswith("'") and row["province"].startswith("'")


# --- the functions themselves ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kota \x1b[31mMerah\x1b[0m", "Kota Merah"),
        ("a\x1b]8;;http://evil.example/\x1b\\Klik\x1b]8;;\x1b\\b", "aKlikb"),
        ("a\x1b]0;title\x07b", "ab"),
        ("a\x9b31mb\x9dx\x9cc", "abc"),
        ("Kota \u202eakeb\u202c", "Kota akeb"),
        ("baris\nkedua\tkolom", "baris\nkedua\tkolom"),
        ("carriage\rreturn\x00nul\x7fdel", "carriagereturnnuldel"),
        ("Kota Tangerang", "Kota Tangerang"),
        ("a\x1b]0;never ended\nnext line", "a\nnext line"),  # swallows no further line
        ("a\x1b[31", "a"),
        ("trailing \x1b", "trailing "),
    ],
)
def test_terminal_safe_removes_whole_sequences(text: str, expected: str) -> None:
    assert terminal_safe(text) == expected


#: Text rich in the pieces of escape sequences, so that the property meets many of them.
ESCAPE_PIECES = st.text(
    st.one_of(
        st.sampled_from(["\x1b", "[", "]", "\x07", "\\", "\x9b", "\x9d", "\x9c", "\x90"]),
        st.sampled_from(["\n", "\t", "\r", ";", "0", "8", "m", "P", "\u202e", "\u2066"]),
        st.characters(),
    )
)


@given(ESCAPE_PIECES)
def test_terminal_safe_leaves_nothing_a_terminal_acts_on(text: str) -> None:
    """Whatever the input, the output holds no control but line feed and tab, no bidi
    control; doing it twice changes nothing; every line stays; and printable text is left
    as it is."""
    safe = terminal_safe(text)
    assert_terminal_safe(safe)
    assert terminal_safe(safe) == safe
    assert safe.count("\n") == text.count("\n")  # no line is swallowed
    if text.isprintable() and not TERMINAL_CONTROL.search(text):
        assert safe == text


@given(st.text())
def test_html_text_never_leaves_markup(text: str) -> None:
    escaped = html_text(text)
    assert not set("<>\"'") & set(escaped)
    assert not elements(f"<p>{escaped}</p><a title='{escaped}'>x</a>")[2:]


@pytest.mark.parametrize("link", sorted(LINKS), ids=sorted(LINKS))
def test_safe_href_refuses_every_hostile_link(link: str) -> None:
    assert safe_href(LINKS[link]) is None or LINKS[link].startswith("https://example.org/")


def test_safe_href_escapes_what_it_keeps() -> None:
    assert safe_href("https://example.org/a?b=1&c=2") == "https://example.org/a?b=1&amp;c=2"
    assert safe_href(LINKS["quote-breakout"]) == (
        "https://example.org/&quot;onmouseover=&quot;alert(1)"
    )
    assert safe_href("HTTP://EXAMPLE.ORG/") == "HTTP://EXAMPLE.ORG/"
    assert safe_href("ftp://example.org/") is None
    assert safe_href("https:///no-host") is None


@given(st.text())
def test_safe_href_keeps_only_absolute_http_links(url: str) -> None:
    href = safe_href(url)
    if href is not None:
        assert re.match(r"(?i)https?://[^/]", url.strip())
        assert not set("<>\"'") & set(href)


@given(st.text())
def test_spreadsheet_safe_never_starts_a_formula(text: str) -> None:
    safe = spreadsheet_safe(text)
    assert not safe.startswith(FORMULA_STARTS)
    assert safe in (text, "'" + text)


def _all_strings() -> Iterator[str]:
    yield from NAMES.values()
    yield from LINKS.values()


def test_the_corpus_is_hostile() -> None:
    """Each string does what it claims unless escaped: a guard against a corpus gone soft."""
    strings = list(_all_strings())
    assert any("<script>" in s for s in strings) and any("</script>" in s for s in strings)
    assert any("onerror=" in s for s in strings) and any("\x1b]" in s for s in strings)
    assert any("\x9b" in s for s in strings) and any("\u202e" in s for s in strings)
    assert any(s.startswith(FORMULA_STARTS) for s in strings)
    assert any(s.lower().startswith("javascript:") for s in strings)
