"""A real browser for the page's tests: the system's Chromium driven by Playwright.

No browser is downloaded at test time: Chromium comes from the system's packages (``.ci/run``
installs Debian's ``chromium`` when it is missing).  Without it, or without the ``playwright``
package, the tests fail loudly under CI (``CI=true``) and are skipped with the reason locally.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from serve_started import free_port

#: Where Debian's package puts the browser.
CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
#: Headless, and nothing that reaches beyond the loopback server under test.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    """The system's Chromium; fails under CI and skips locally when it is not installed."""
    found = shutil.which("chromium") or next(
        (path for path in CHROMIUM_PATHS if os.path.exists(path)), None
    )
    try:
        import playwright.sync_api  # noqa: F401, PLC0415 (an optional test dependency)
    except ImportError:
        _unavailable("the playwright package is not installed (pip install '.[test]')")
    if found is None:
        _unavailable("no chromium on PATH (Debian: apt-get install -y chromium)")
    assert found is not None
    return found


@contextmanager
def chromium() -> Iterator[Any]:
    """The system's Chromium launched headless by Playwright (a ``Browser``), until the block
    ends; fails under CI and skips locally when it cannot be had."""
    executable = chromium_path()
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 (checked just above)

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests cannot run under CI: {reason}")
    pytest.skip(f"browser tests need a browser: {reason}")


@contextmanager
def running(app: Any) -> Iterator[str]:
    """``app`` served by uvicorn on a free loopback port in a thread; yields its base URL."""
    import uvicorn  # noqa: PLC0415 (the [serve] extra)

    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail(f"uvicorn did not start on port {port}")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
