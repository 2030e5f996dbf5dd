"""The screenshots of the workspace page in docs/workspace.md, made on purpose, not by the tests.

    python tests/workspace_screenshots.py            # writes docs/img/workspace-*.png

It starts ``kla serve --store`` on a temporary SQLite file, makes a workspace of the example
through the API as a coordinator would, lets two agencies and the coordinator change a few
items, and photographs the health office's page with the system's Chromium: at 1280 px (the
top of the page, its own items with a saved change and a conflict, the per-agency progress)
and at 390 px (a phone).  The test run never writes these files, so it leaves the work tree
clean.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Page

from page_browser import chromium
from workspace_page import ROOT, Workspace, example_assignment, example_submission, store_server

#: Where the guide finds them.
IMAGES = ROOT / "docs" / "img"


def settle(page: Page, check: str, seconds: float = 20) -> None:
    """Wait until the JavaScript expression ``check`` is true on the page."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(f"() => Boolean({check})"):
        if time.monotonic() > deadline:
            raise SystemExit(f"the page did not settle: {check}")
        time.sleep(0.1)


def prepare(base: str) -> tuple[Workspace, str]:
    """A workspace of the example with a few changes by two agencies; the health office's token."""
    submission = example_submission()
    # Two of the health office's items start unanswered, so its progress is not complete.
    submission["answers"].pop("III.4", None)
    workspace = Workspace(base, submission, example_assignment())
    dinkes, dindik = workspace.issue("dinkes"), workspace.issue("dindik")
    workspace.change("V.5.3", True, dindik)
    workspace.change("IV.1.1", {"value": 91.2, "data_year": 2024}, dindik)
    return workspace, dinkes


def photograph(base: str, out: Path) -> list[Path]:
    workspace, dinkes = prepare(base)
    written: list[Path] = []
    with chromium() as browser:
        context = browser.new_context(base_url=base, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(workspace.page(dinkes))
        page.wait_for_selector("#ws-whose")
        settle(page, "document.querySelector('#total')")
        written.append(shot(page, out / "workspace-desktop.png"))

        # The health office's own items: one saved change, and one the coordinator made first.
        context.set_offline(True)
        page.fill("#f-III_1_1-value", "72")
        settle(page, "document.querySelector('#ws-III_1_1')?.dataset.state === 'offline'")
        workspace.change("III.1.1", {"value": 95.4, "data_year": 2024})
        context.set_offline(False)
        settle(page, "document.querySelector('#ws-III_1_1')?.dataset.state === 'conflict'")
        page.select_option("#f-III_6_3", "false")
        settle(page, "document.querySelector('#ws-III_6_3')?.dataset.state === 'saved'")
        # III.1 (the conflict, both buttons) low on the screen, read-only II.3 above it.
        page.evaluate("window.scrollTo(0, document.querySelector('#ind-III_1').offsetTop - 330)")
        written.append(shot(page, out / "workspace-items.png"))

        settle(page, "document.querySelector('#ws-progress-total')")
        written.append(element(page, "#ws-progress-view", out / "workspace-progress.png"))

        page.set_viewport_size({"width": 390, "height": 844})
        page.evaluate("window.scrollTo(0, 0)")
        written.append(shot(page, out / "workspace-phone.png", clip_height=1500))
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, "wider than a phone"
    return written


def shot(page: Page, path: Path, clip_height: int = 0) -> Path:
    if clip_height:
        width = page.viewport_size["width"] if page.viewport_size else 390
        clip = {"x": 0, "y": 0, "width": width, "height": clip_height}
        page.screenshot(path=path, clip=clip, full_page=True)  # type: ignore[arg-type]
    else:
        page.screenshot(path=path)
    return path


def element(page: Page, selector: str, path: Path) -> Path:
    page.locator(selector).screenshot(path=path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=IMAGES, help="folder for the PNG files")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder, store_server(Path(folder)) as base:
        for path in photograph(base, args.out):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
