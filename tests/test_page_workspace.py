"""The page on a shared workspace, in a real browser, against a real ``kla serve --store``.

Each agency opens its own link in its own browser context (its own storage), as two offices
would on two computers.  What a page shows is checked against the store's own answer
(``GET /workspaces/{id}``) and the library (``kla.score``), never against numbers written here.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import pytest

import kla_model as kla
from page_browser import chromium
from workspace_page import Workspace, example_assignment, example_submission, store_server

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

#: The page asks for others' changes every 5 s: a change shows within two rounds of that.
SEEN_WITHIN_S = 15
#: Where the solo page keeps its own draft: a workspace must never write there.
DRAFT_KEY = "kla_model.page.draft"
#: The items of two agencies of the example's assignment, and one kind of field each.
#: The example answers III.6.3 yes and V.5.3 no: the tests change both.
DINKES_CHOICE, DINKES_NUMBER, DINKES_OTHER_NUMBER = "III.6.3", "III.1.1", "III.3.1"
DINDIK_CHOICE = "V.5.3"


def field_id(item: str) -> str:
    return "#f-" + item.replace(".", "_")


def state_id(item: str) -> str:
    return "#ws-" + item.replace(".", "_")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with store_server(tmp_path_factory.mktemp("store")) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


#: An agency's short name with markup in it: the page must show it as text.
MARKUP_NAME = "Dinkes <b>Kota</b>"


@pytest.fixture
def workspace(server: str) -> Workspace:
    """A fresh workspace of the example (its answers, no verification) and its assignment."""
    assignment = example_assignment()
    for agency in assignment["agencies"]:
        if agency["id"] == "dinkes":
            agency["short"] = MARKUP_NAME
    return Workspace(server, example_submission(), assignment)


@contextmanager
def opened(browser: Browser, base: str, path: str) -> Iterator[tuple[Page, BrowserContext]]:
    """A page in a context of its own at ``path``, ready; fails on any script error."""
    context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path)
    page.wait_for_selector("body[data-ready]")
    page.wait_for_selector("#ws-whose")
    yield page, context
    context.close()
    assert errors == [], f"script errors on the page: {errors}"


def until(what: str, check: Callable[[], bool], seconds: float = SEEN_WITHIN_S) -> None:
    """Wait until ``check()`` holds (polled from here: the page's CSP refuses eval)."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"not true within {seconds} s: {what}")
        time.sleep(0.1)


def item_state(page: Page, item: str) -> str:
    return page.get_attribute(state_id(item), "data-state") or ""


def server_answer(workspace: Workspace, indicator: str, item: str) -> Any:
    answer = workspace.read()["submission"]["answers"].get(indicator)
    if isinstance(answer, dict) and "items" in answer:
        return answer["items"].get(item)
    return answer


def test_two_agencies_edit_their_own_items_at_once_and_see_each_others(
    browser: Browser, workspace: Workspace, bundled: kla.RuleSet
) -> None:
    dinkes, dindik = workspace.issue("dinkes"), workspace.issue("dindik")
    with (
        opened(browser, workspace.base, workspace.page(dinkes)) as (health, _),
        opened(browser, workspace.base, workspace.page(dindik)) as (school, _),
    ):
        # Whose link it is, as text even where the name holds markup.
        assert health.text_content("#ws-whose") == f"Dinas Kesehatan ({MARKUP_NAME})"
        assert health.locator("#ws-banner b").count() == 0
        assert school.text_content("#ws-whose") == "Dinas Pendidikan (Dindik)"

        health.select_option(field_id(DINKES_CHOICE), "false")
        school.select_option(field_id(DINDIK_CHOICE), "true")
        health.fill(field_id(DINKES_NUMBER) + "-value", "71,5")
        until(
            "both saved",
            lambda: (
                item_state(health, DINKES_NUMBER) == item_state(school, DINDIK_CHOICE) == "saved"
            ),
        )
        until("dinkes' choice saved", lambda: item_state(health, DINKES_CHOICE) == "saved")
        assert health.get_attribute("#ws-sync", "data-state") == "saved"

        # Both landed; neither overwrote the other.
        assert server_answer(workspace, "III.6", DINKES_CHOICE) is False
        assert server_answer(workspace, "V.5", DINDIK_CHOICE) is True
        assert server_answer(workspace, "III.1", DINKES_NUMBER)["value"] == 71.5

        # Each page shows the other's change once it has asked for it, read only.
        until(
            "dinkes sees dindik's change",
            lambda: health.input_value(field_id(DINDIK_CHOICE)) == "true",
        )
        until(
            "dindik sees dinkes' value",
            lambda: school.input_value(field_id(DINKES_NUMBER) + "-value") == "71.5",
        )
        assert "Dindik" in (health.text_content(state_id(DINDIK_CHOICE)) or "")

        # The live total is the library's score of the saved submission, at the stage a
        # workspace prepares (the example has a piece handed in at a later stage).
        saved = kla.Submission.from_mapping(workspace.read()["submission"])
        expected = kla.score(bundled, saved, stage="self_assessment").total
        assert expected != kla.score(bundled, saved).total
        assert health.input_value("#stage-select") == "self_assessment"
        for page in (health, school):
            until(f"the total follows ({expected})", shows_total(page, expected))

        # The progress table counts each agency's answered items from the saved submission.
        row = school.locator('#ws-progress tbody tr[data-agency="dinkes"]')
        until(
            "progress refreshed",
            lambda: row.get_attribute("data-answered") == str(dinkes_answered(workspace)),
        )
        assert school.locator("#ws-progress tr.ws-you").get_attribute("data-agency") == "dindik"
        shown_total = school.get_attribute("#ws-progress-total", "data-total")
        assert shown_total == f"{expected:g}"


def shows_total(page: Page, total: float) -> Callable[[], bool]:
    return lambda: page.get_attribute("#total", "data-total") == f"{total:g}"


def dinkes_answered(workspace: Workspace) -> int:
    """How many of dinkes' items the saved submission answers, read from the store itself."""
    data = workspace.read()
    answers = data["submission"]["answers"]
    count = 0
    for item in ("III.1.1", "III.2.1", "III.3.1", "III.4.1", "III.6.3"):
        indicator = item.rsplit(".", 1)[0]
        answer = answers.get(indicator)
        if isinstance(answer, dict) and "items" in answer:
            answer = answer["items"].get(item)
        count += answer is not None
    return count


def enabled_items(page: Page) -> set[str]:
    found: list[str] = page.eval_on_selector_all(
        "#form [data-item]", "nodes => nodes.filter(n => !n.disabled).map(n => n.dataset.item)"
    )
    return set(found)


def test_only_the_links_own_items_can_be_edited(
    browser: Browser, workspace: Workspace, bundled: kla.RuleSet
) -> None:
    dinkes = workspace.issue("dinkes")
    with opened(browser, workspace.base, workspace.page(dinkes)) as (page, _):
        # The items it leads or supports, as the store says; every other item is read only.
        rights = set(read_as(workspace, dinkes)["you"]["items"])
        assert enabled_items(page) == rights
        assert {DINKES_CHOICE, DINKES_NUMBER} <= rights
        assert DINDIK_CHOICE not in rights
        assert page.is_disabled(field_id(DINDIK_CHOICE))
        assert page.is_disabled("#region-name")
        note = page.text_content(state_id(DINDIK_CHOICE)) or ""
        assert note == "Hanya baca: ditugaskan kepada Dindik."
        every = {item.id for indicator in bundled.indicators.values() for item in indicator.items}
        shown = page.text_content("#ws-rights") or ""
        assert f"mengubah {len(rights)} dari {len(every)} butir" in shown
        # A read-only field forced open sends nothing: the page sends only the link's items
        # (and the store would refuse the others with 403).
        page.eval_on_selector(field_id(DINDIK_CHOICE), "node => { node.disabled = false; }")
        page.select_option(field_id(DINDIK_CHOICE), "true")
        assert server_answer(workspace, "V.5", DINDIK_CHOICE) is False

        # In English too, the form redrawn keeps the same rights.
        page.click("#lang")
        assert page.text_content(state_id(DINDIK_CHOICE)) == "Read only: assigned to Dindik."
        assert (page.text_content("#ws-banner .ws-whose") or "").startswith("This link belongs to")
        assert page.text_content("#ws-progress-heading") == "Progress per agency"
        assert enabled_items(page) == rights

    with opened(browser, workspace.base, workspace.page(workspace.coordinator)) as (page, _):
        assert enabled_items(page) == every
        assert page.text_content("#ws-whose") == "Koordinator gugus tugas"


def read_as(workspace: Workspace, token: str) -> dict[str, Any]:
    import httpx  # noqa: PLC0415

    answer = httpx.get(
        f"{workspace.base}/workspaces/{workspace.id}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text
    data: dict[str, Any] = answer.json()
    return data


def test_an_edit_on_a_stale_view_is_a_conflict_the_user_settles(
    browser: Browser, workspace: Workspace
) -> None:
    dinkes = workspace.issue("dinkes")
    with opened(browser, workspace.base, workspace.page(dinkes)) as (page, context):
        # Offline, the agency edits two items the coordinator changes meanwhile.
        context.set_offline(True)
        page.fill(field_id(DINKES_OTHER_NUMBER) + "-value", "61")
        page.fill(field_id(DINKES_NUMBER) + "-value", "60")
        until("marked unsaved", lambda: page.get_attribute("#ws-sync", "data-state") == "offline")
        assert item_state(page, DINKES_NUMBER) in {"offline", "waiting"}
        assert "belum tersimpan" in (page.text_content("#ws-sync") or "")
        workspace.change(DINKES_OTHER_NUMBER, {"value": 50, "data_year": 2024})
        workspace.change(DINKES_NUMBER, {"value": 97, "data_year": 2024})

        # Back online, the queued edits are sent and both are refused: someone changed them.
        context.set_offline(False)
        until(
            "both in conflict",
            lambda: (
                item_state(page, DINKES_OTHER_NUMBER)
                == item_state(page, DINKES_NUMBER)
                == "conflict"
            ),
        )
        assert page.get_attribute("#ws-sync", "data-state") == "conflict"
        box = page.locator(state_id(DINKES_NUMBER) + " .ws-conflict")
        assert "Koordinator gugus tugas" in (box.text_content() or "")
        assert box.locator(".ws-theirs").text_content() == "97 (tahun data 2024)"
        assert box.locator(".ws-mine").text_content() == "60 (tahun data 2023)"
        assert server_answer(workspace, "III.1", DINKES_NUMBER) == {"value": 97, "data_year": 2024}

        # Take the server's value for one: the field shows it, nothing is sent.
        box.locator("button.ws-take").click()
        until(
            "the field shows the server's value",
            lambda: page.input_value(field_id(DINKES_NUMBER) + "-value") == "97",
        )
        assert page.input_value(field_id(DINKES_NUMBER) + "-year") == "2024"
        assert item_state(page, DINKES_NUMBER) != "conflict"

        # Keep one's own for the other: it is sent again, now on the version seen, and lands.
        page.locator(state_id(DINKES_OTHER_NUMBER) + " button.ws-keep").click()
        until("kept and saved", lambda: item_state(page, DINKES_OTHER_NUMBER) == "saved")
        assert server_answer(workspace, "III.3", DINKES_OTHER_NUMBER)["value"] == 61
        assert server_answer(workspace, "III.1", DINKES_NUMBER) == {"value": 97, "data_year": 2024}
        until("all saved", lambda: page.get_attribute("#ws-sync", "data-state") == "saved")


def test_a_reload_shows_the_saved_workspace_not_a_browser_draft(
    browser: Browser, workspace: Workspace
) -> None:
    dinkes = workspace.issue("dinkes")
    with opened(browser, workspace.base, workspace.page(dinkes)) as (page, _):
        page.fill(field_id(DINKES_NUMBER) + "-value", "83,25")
        until("saved", lambda: item_state(page, DINKES_NUMBER) == "saved")
        # Another agency's change lands while this page is closed...
        workspace.change(DINDIK_CHOICE, True, workspace.issue("dindik"))

        page.reload()
        page.wait_for_selector("#ws-whose")

        assert page.input_value(field_id(DINKES_NUMBER) + "-value") == "83.25"
        assert page.input_value(field_id(DINDIK_CHOICE)) == "true"
        assert page.get_attribute("#ws-version", "data-version") == str(workspace.read()["version"])
        # ... and the solo page's draft in this browser was never written.
        assert page.evaluate("key => localStorage.getItem(key)", DRAFT_KEY) is None

        # On a phone nothing is wider than the screen: the progress table scrolls in its box.
        page.set_viewport_size({"width": 390, "height": 844})
        assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_an_edit_made_offline_is_kept_across_a_reload_and_sent(
    browser: Browser, workspace: Workspace
) -> None:
    dinkes = workspace.issue("dinkes")
    with opened(browser, workspace.base, workspace.page(dinkes)) as (page, context):
        context.set_offline(True)
        page.fill(field_id(DINKES_NUMBER) + "-value", "55")
        until("marked unsaved", lambda: item_state(page, DINKES_NUMBER) == "offline")
        kept = page.evaluate(
            f"() => localStorage.getItem('kla_model.workspace.{workspace.id}.edits')"
        )
        assert json.loads(kept)[DINKES_NUMBER]["value"]["value"] == 55
        # The page closes before the connection comes back; it is opened again later.
        page.close()
        context.set_offline(False)
        again = context.new_page()
        again.goto(workspace.page(dinkes))
        again.wait_for_selector("#ws-whose")
        until(
            "sent on the next visit",
            lambda: server_answer(workspace, "III.1", DINKES_NUMBER)["value"] == 55,
        )
        until("saved on screen", lambda: again.get_attribute("#ws-sync", "data-state") == "saved")
        assert again.input_value(field_id(DINKES_NUMBER) + "-value") == "55"


def test_a_wrong_link_and_a_revoked_one_say_so_and_open_nothing(
    browser: Browser, workspace: Workspace
) -> None:
    wrong = workspace.page("x" * 43)
    context = browser.new_context(base_url=workspace.base)
    page = context.new_page()
    page.goto(wrong)
    page.wait_for_selector("#ws-failure")
    assert "Tautan ruang kerja ini tidak berlaku" in (page.text_content("#ws-failure") or "")
    assert page.locator("#form [data-item]").count() == 0
    context.close()

    dinkes = workspace.issue("dinkes")
    with opened(browser, workspace.base, workspace.page(dinkes)) as (page, _):
        assert DINKES_NUMBER in enabled_items(page)
        workspace.revoke(dinkes)
        page.wait_for_selector("#ws-failure", timeout=SEEN_WITHIN_S * 1000)
        until("every item read only", lambda: enabled_items(page) == set())
        assert "tidak berlaku" in (page.text_content("#ws-failure") or "")
