"""The page's routes in-process: ``/``, its static files, the example and reading an upload."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette

import kla_model as kla
from conftest import EXAMPLE, ROOT
from kla_model.serve.limits import MAX_BYTES
from kla_model.serve.page import STATIC, example_path, submission_data
from profiles import examples
from serve_client import EXAMPLE_JSON, call
from strategies import submission_mappings

#: Every file the page is made of; each must be served (and .ci/run checks each is shipped).
EXAMPLE_ASSIGNMENT = ROOT / "examples" / "kota-tangerang-2025-agencies.yaml"
PAGE_FILES = sorted(path.name for path in STATIC.iterdir())


def test_the_page_is_its_html_its_style_and_its_modules() -> None:
    assert {"index.html", "style.css", "app.js"} <= set(PAGE_FILES)
    assert all(name.endswith((".html", ".css", ".js")) for name in PAGE_FILES)


def test_the_page_is_served_at_the_root_with_a_strict_content_security_policy(
    service: Starlette,
) -> None:
    response = call(service, "GET", "/")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert '<script type="module" src="/static/app.js">' in response.text
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy


@pytest.mark.parametrize("name", PAGE_FILES)
def test_each_static_file_is_served(service: Starlette, name: str) -> None:
    response = call(service, "GET", f"/static/{name}")

    assert response.status_code == 200
    assert response.text == (STATIC / name).read_text("utf-8")


def test_the_modules_load_nothing_from_elsewhere() -> None:
    """Offline in an office with poor internet: no CDN, no font or script from another host."""
    for path in STATIC.iterdir():
        text = path.read_text("utf-8")
        assert "http://" not in text, path.name
        assert "https://" not in text, path.name


class _Markup(HTMLParser):
    """The page's script tags and every attribute that could run or style inline."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.inline: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts.append(dict(attrs))
        for name, value in attrs:
            if name.startswith("on") or name == "style" or "javascript:" in (value or ""):
                self.inline.append(f"<{tag} {name}>")

    def handle_data(self, data: str) -> None:
        if self.lasttag == "script" and data.strip():
            self.inline.append(f"<script> text {data.strip()[:40]!r}")


def test_the_page_has_no_inline_script_no_event_attribute_and_no_inline_style() -> None:
    """So that a Content-Security-Policy of ``script-src 'self'`` (no 'unsafe-inline') runs it."""
    markup = _Markup()
    markup.feed((STATIC / "index.html").read_text("utf-8"))

    assert markup.inline == []
    assert markup.scripts == [{"type": "module", "src": "/static/app.js"}]


#: What would turn a text into markup or code in the browser: the modules use none of it.
UNSAFE_SINKS = (
    "innerHTML",
    "outerHTML",
    "insertAdjacentHTML",
    "document.write",
    "eval(",
    "new Function",
    'setTimeout("',
    ".href =",
    "srcdoc",
)


@pytest.mark.parametrize("name", [name for name in PAGE_FILES if name.endswith(".js")])
def test_no_module_turns_text_into_markup_or_code(name: str) -> None:
    # The code, without its comments (which may name what the code avoids).
    text = re.sub(r"/\*.*?\*/|//[^\n]*", "", (STATIC / name).read_text("utf-8"), flags=re.DOTALL)
    used = [sink for sink in UNSAFE_SINKS if sink in text]
    # The one link the page makes is the download's blob: URL, never a text from a file.
    if name == "draft.js":
        assert text.count(".href =") == 1 and "link.href = url;" in text
        used.remove(".href =")
    assert used == []


def test_a_path_outside_the_static_folder_is_not_served(service: Starlette) -> None:
    response = call(service, "GET", "/static/../page.py")

    assert response.status_code == 404


def test_the_example_is_the_bundled_example_as_kla_reads_it(service: Starlette) -> None:
    response = call(service, "GET", "/page/example")

    assert response.status_code == 200
    assert response.json() == kla.load_submission(EXAMPLE).to_dict()
    assert example_path().read_bytes() == EXAMPLE.read_bytes()


@pytest.mark.parametrize("path", [EXAMPLE, EXAMPLE_JSON])
def test_an_uploaded_yaml_or_json_file_comes_back_as_the_submission(
    service: Starlette, path: Path
) -> None:
    url = f"/page/submission?name={path.name}"
    response = call(service, "POST", url, content=path.read_bytes())

    assert response.status_code == 200
    assert response.json() == kla.load_submission(path).to_dict()


def test_an_upload_with_a_duplicate_key_is_refused_with_its_line(service: Starlette) -> None:
    text = "region: {code: '1', name: A, kind: kota, province: B}\nyear: 2025\nyear: 2024\n"
    response = call(service, "POST", "/page/submission?name=dup.yaml", content=text)

    assert response.status_code == 422
    [problem] = response.json()["problems"]
    assert problem["location"].startswith("file dup.yaml")
    assert "year" in problem["message"]
    assert "duplicate" in problem["message"]


def test_an_upload_that_is_not_a_submission_lists_every_problem(service: Starlette) -> None:
    response = call(service, "POST", "/page/submission?name=a.json", content='{"year": 1}')

    assert response.status_code == 422
    messages = " ".join(p["message"] for p in response.json()["problems"])
    assert "region" in messages
    assert "answers" in messages


def test_an_empty_upload_is_refused(service: Starlette) -> None:
    response = call(service, "POST", "/page/submission", content=" \n")

    assert response.status_code == 422
    assert response.json() == {
        "problems": [
            {
                "location": "file upload",
                "message": "expected a submission file; the file is empty",
                "message_id": "diharapkan berkas submission; isinya kosong",
                "message_en": "expected a submission file; the file is empty",
            }
        ]
    }


def test_an_upload_above_the_body_limit_is_refused(service: Starlette) -> None:
    response = call(service, "POST", "/page/submission", content=b"#" * (MAX_BYTES + 1))

    assert response.status_code == 413


def test_a_json_upload_is_read_as_json_like_kla_score_reads_a_json_file(
    service: Starlette,
) -> None:
    """``9.68e1`` is a number in JSON but text in YAML 1.1: read by its name, it passes.

    (A tab before a value, the first example of such a file, is refused only by PyYAML's
    pure-Python parser; libyaml, which the strict reader now uses, accepts it in flow style.)
    """
    text = EXAMPLE_JSON.read_text("utf-8").replace('"value": 96.8,', '"value": 9.68e1,', 1)

    as_json = call(service, "POST", "/page/submission?name=a.json", content=text)
    as_yaml = call(service, "POST", "/page/submission?name=a.yaml", content=text)

    assert as_json.status_code == 200
    assert as_json.json() == kla.load_submission(EXAMPLE_JSON).to_dict()
    assert as_yaml.status_code == 422


BUNDLED = kla.load_ruleset("perpres-25-2021")


@settings(max_examples=examples(40), deadline=None)
@given(data=submission_mappings(BUNDLED), as_json=st.booleans())
def test_an_uploaded_file_reads_as_the_submission_it_holds(
    data: Mapping[str, Any], as_json: bool
) -> None:
    """Any valid submission, written as JSON or YAML, comes back as the same submission: the
    page edits exactly what ``kla score`` would read from the file."""
    text = json.dumps(data) if as_json else yaml.safe_dump(dict(data), allow_unicode=True)
    name = "upload.json" if as_json else "upload.yaml"

    read = submission_data(text.encode("utf-8"), name)

    expected = kla.Submission.from_mapping(data)
    assert read == expected.to_dict()
    assert kla.Submission.from_mapping(read) == expected


def test_the_example_assignment_is_the_bundled_one_as_kla_tasks_reads_it(
    service: Starlette,
) -> None:
    response = call(service, "GET", "/page/example-assignment")

    assert response.status_code == 200
    assert response.json() == kla.load_assignment(EXAMPLE_ASSIGNMENT).to_dict()
    assert example_path(EXAMPLE_ASSIGNMENT.name).read_bytes() == EXAMPLE_ASSIGNMENT.read_bytes()


def test_an_uploaded_assignment_comes_back_as_the_assignment(service: Starlette) -> None:
    url = f"/page/assignment?name={EXAMPLE_ASSIGNMENT.name}"
    response = call(service, "POST", url, content=EXAMPLE_ASSIGNMENT.read_bytes())

    assert response.status_code == 200
    assert response.json() == kla.load_assignment(EXAMPLE_ASSIGNMENT).to_dict()


def test_an_upload_that_is_not_an_assignment_is_refused_at_its_field(service: Starlette) -> None:
    text = '{"status": "adopted", "agencies": [], "owners": [], "lead": "x"}'
    response = call(service, "POST", "/page/assignment?name=a.json", content=text)

    assert response.status_code == 422
    found = response.json()["problems"]
    assert all(problem["location"].startswith("file a.json") for problem in found)
    assert any("'lead'" in problem["message"] for problem in found)


def test_an_empty_assignment_upload_is_refused(service: Starlette) -> None:
    response = call(service, "POST", "/page/assignment", content="\n")

    assert response.status_code == 422
    [problem] = response.json()["problems"]
    assert problem == {
        "location": "file upload",
        "message": "expected an assignment file; the file is empty",
        "message_id": "diharapkan berkas penugasan; isinya kosong",
        "message_en": "expected an assignment file; the file is empty",
    }
