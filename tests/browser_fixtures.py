"""Pytest fixtures for headless-Chromium tests of HTML pages.

``tests/conftest.py`` registers them for every test module.

Fixtures:

``open_page``
    ``open_page(path, *, block_network=True, timeout_ms=..., viewport=...)`` is a context
    manager that yields a :class:`tests.browser.PageSession` (``page``, ``console_errors``,
    ``page_errors``, ``requests``, ``blocked``, ``failed``, ``completed``, ``dialogs``,
    ``report()``). Each call gets a fresh browser context.
``chromium_browser``
    The Playwright ``Browser``, one per test module.

When Playwright or Chromium is missing the tests that use them fail, saying how to
install them; with ``TRACKER_SKIP_BROWSER=1`` they are skipped instead.

The browser is module-scoped, not session-scoped: while Playwright's sync API is running it
marks an asyncio loop as running in the main thread, so ``asyncio.run()`` (nbclient, ...)
in later test modules would fail. Do not mix browser tests and asyncio code in one module.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from tests import browser

if TYPE_CHECKING:
    from playwright.sync_api import Browser


@pytest.fixture(scope="module")
def chromium_browser() -> Iterator[Browser]:
    """Headless system Chromium driven by Playwright, shared by one test module."""
    browser.require_browser()
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        try:
            launched = browser.launch_chromium(playwright)
        except Exception as exc:
            browser.require_browser(
                f"headless browser unavailable: launching {browser.chromium_path()} failed: "
                f"{exc}. {browser.INSTALL_HINT}"
            )
            raise
        try:
            yield launched
        finally:
            launched.close()
    finally:
        playwright.stop()


@pytest.fixture
def open_page(chromium_browser: Browser) -> Any:
    """``open_page(path, *, block_network=True)``: a context manager yielding a PageSession."""
    return functools.partial(browser.open_page, browser=chromium_browser)
