"""The page's screenshots: at desktop width and at phone width, after loading the example.

The browser tests take them on every run into ``build/screenshots/`` (git-ignored), so the
README's test command leaves the work tree clean.  The copies the docs show
(``docs/img/page-desktop.png``, ``docs/img/page-phone.png``) are refreshed on purpose, when
the page's look changes, with the same code::

    python tests/screenshots.py

It needs what the browser tests need: the ``[serve]`` and ``[test]`` extras and the system's
Chromium.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import FloatRect, Page, ViewportSize

ROOT = Path(__file__).resolve().parents[1]
#: Where the tests write their screenshots (git-ignored).
BUILD = ROOT / "build" / "screenshots"
#: Where the docs' screenshots live, written only by this script.
DOCS = ROOT / "docs" / "img"
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
PHONE: ViewportSize = {"width": 390, "height": 844}
#: The top of the page at phone width, long enough to show the score below the ruleset line.
PHONE_CLIP: FloatRect = {"x": 0, "y": 0, "width": 390, "height": 1300}


def shoot(page: Page, folder: Path) -> list[Path]:
    """Screenshots of ``page`` (the example loaded, at desktop width) into ``folder``: the
    page at desktop width, then its top at phone width; the page is left at phone width."""
    folder.mkdir(parents=True, exist_ok=True)
    desktop, phone = folder / "page-desktop.png", folder / "page-phone.png"
    page.set_viewport_size(DESKTOP)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=desktop)
    page.set_viewport_size(PHONE)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=phone, clip=PHONE_CLIP, full_page=True)
    return [desktop, phone]


def main() -> int:
    """Start the service and a browser, load the example and write the docs' screenshots."""
    sys.path.insert(0, str(Path(__file__).parent))
    from kla_model.serve import create_app  # noqa: PLC0415
    from page_browser import chromium, running  # noqa: PLC0415

    with running(create_app()) as url, chromium() as browser:
        context = browser.new_context(base_url=url, viewport=DESKTOP)
        page = context.new_page()
        page.goto("/")
        page.wait_for_selector("body[data-ready]")
        page.click("#load-example")
        page.wait_for_selector("#total")
        for path in shoot(page, DOCS):
            print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
