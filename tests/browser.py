"""Headless Chromium for tests of HTML pages (the folium maps).

Drives Debian's ``chromium`` through Playwright's Python API. Playwright's own browser
download (``playwright install``) is never used: the system browser is launched through
``executable_path``. Install with ``apt-get install chromium`` and ``pip install playwright``
(``pip install -e '.[dev]'`` brings the latter).

In tests (``tests/conftest.py`` registers ``tests.browser_fixtures``) use the ``open_page``
fixture::

    def test_map_renders(tmp_path, open_page):
        html = tmp_path / "map.html"
        make_map(...).save(html)
        with open_page(html) as pg:
            pg.page.wait_for_selector(".leaflet-container")
            assert not pg.console_errors, pg.report()
            assert not pg.requests, pg.report()

Outside pytest, :func:`open_page` here starts a browser of its own when none is given.

``TRACKER_CHROMIUM`` overrides the browser's path (default ``/usr/bin/chromium``).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Playwright

DEFAULT_CHROMIUM = "/usr/bin/chromium"

# Playwright adds its own switches (its temporary --user-data-dir, --remote-debugging-pipe,
# --headless, --no-sandbox, --disable-extensions, ...); these come last and win. The
# last --headless value wins, so --headless=new selects the new headless mode explicitly.
CHROMIUM_ARGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)

INSTALL_HINT = (
    "Install with: apt-get install chromium  (as root; Debian's package) and "
    "pip install playwright  (or pip install -e '.[dev]'); do not run 'playwright install'. "
    "Set TRACKER_SKIP_BROWSER=1 to skip the browser tests instead."
)

LAUNCH_TIMEOUT_MS = 30_000
PAGE_TIMEOUT_MS = 10_000

# Schemes that never leave the machine: always let through and not counted as requests
# (data:/blob: are content the page already holds; file: is let through but counted).
_INLINE_SCHEMES = ("data:", "blob:", "about:")
_LOCAL_SCHEMES = ("file:", *_INLINE_SCHEMES)
_RESOURCE_ERROR = "Failed to load resource:"


def chromium_path() -> str | None:
    """The Chromium executable to drive, or None when there is none."""
    wanted = os.environ.get("TRACKER_CHROMIUM") or DEFAULT_CHROMIUM
    if os.path.isfile(wanted) and os.access(wanted, os.X_OK):
        return wanted
    if "TRACKER_CHROMIUM" in os.environ:
        return None  # an explicit choice that does not exist: no silent fallback
    return shutil.which("chromium") or shutil.which("chromium-browser")


def browser_problem() -> str | None:
    """Why the browser cannot be used (a message naming the fix), or None when it can."""
    missing = []
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("the Python package 'playwright' is not installed")
    if chromium_path() is None:
        where = os.environ.get("TRACKER_CHROMIUM") or DEFAULT_CHROMIUM
        missing.append(f"no Chromium executable at {where}")
    if not missing:
        return None
    return "headless browser unavailable: " + "; ".join(missing) + ". " + INSTALL_HINT


def browser_available() -> bool:
    """True when Playwright and a Chromium executable are both there."""
    return browser_problem() is None


def require_browser(problem: str | None = None) -> None:
    """In a test: fail when the browser is unusable (skip, with TRACKER_SKIP_BROWSER=1)."""
    import pytest

    problem = problem if problem is not None else browser_problem()
    if not problem:
        return
    if os.environ.get("TRACKER_SKIP_BROWSER") == "1":
        pytest.skip(f"TRACKER_SKIP_BROWSER=1: {problem}")
    pytest.fail(problem, pytrace=False)


def launch_chromium(playwright: Playwright) -> Browser:
    """Launch the system Chromium headless (Playwright gives it a fresh temp profile)."""
    executable = chromium_path()
    if executable is None:
        raise RuntimeError(browser_problem())
    return playwright.chromium.launch(
        executable_path=executable,
        headless=True,
        args=list(CHROMIUM_ARGS),
        timeout=LAUNCH_TIMEOUT_MS,
    )


class ConsoleRecord(NamedTuple):
    type: str  # "log", "warning", "error", ...
    text: str
    location: str  # "url:line:column", or "" when Chromium gave none


class DialogRecord(NamedTuple):
    type: str  # "alert", "confirm", "prompt" or "beforeunload"
    message: str


@dataclass
class PageSession:
    """What one page did while it was open. The lists fill in as the page runs."""

    page: Page
    url: str
    block_network: bool
    console: list[ConsoleRecord] = field(default_factory=list)  # every console message
    console_errors: list[str] = field(default_factory=list)  # console.error + page_errors
    page_errors: list[str] = field(default_factory=list)  # uncaught exceptions
    requests: list[str] = field(default_factory=list)  # every URL attempted but the page's own
    blocked: list[str] = field(default_factory=list)  # aborted by the harness
    failed: list[str] = field(default_factory=list)  # failed for any reason (blocked too)
    completed: list[str] = field(default_factory=list)  # got a response
    dialogs: list[DialogRecord] = field(default_factory=list)  # auto-dismissed

    @property
    def js_errors(self) -> list[str]:
        """``console_errors`` less Chromium's own "Failed to load resource" lines.

        Chromium logs one of those for every failed request, blocked ones included; the
        requests themselves are in ``failed``. What is left is the page's own errors.
        """
        return [e for e in self.console_errors if not e.startswith(_RESOURCE_ERROR)]

    @property
    def external_requests(self) -> list[str]:
        """Attempted requests that would leave the machine (not file://)."""
        return [u for u in self.requests if not u.startswith("file:")]

    def report(self) -> str:
        """A readable summary, for assertion messages."""
        lines = [f"page {self.url} (network {'blocked' if self.block_network else 'open'})"]
        for name in ("console_errors", "requests", "blocked", "failed", "dialogs"):
            items = getattr(self, name)
            lines.append(f"  {name}: {len(items)}")
            lines.extend(f"    {item}" for item in items)
        return "\n".join(lines)


def _page_error_text(error: Any) -> str:
    name = getattr(error, "name", "") or ""
    message = getattr(error, "message", None)
    if message is None:
        message = str(error)
    return f"{name}: {message}" if name else message


def _attach(session: PageSession, context: Any, page: Any) -> None:
    """Record console messages, errors, requests and dialogs; block the network if asked."""
    own_document: dict[str, str] = {}  # "url" of the page's own first navigation

    def on_console(msg: Any) -> None:
        loc = msg.location or {}
        where = f"{loc.get('url', '')}:{loc.get('lineNumber', '')}:{loc.get('columnNumber', '')}"
        record = ConsoleRecord(msg.type, msg.text, where if loc.get("url") else "")
        session.console.append(record)
        if msg.type == "error":
            session.console_errors.append(msg.text)

    def on_page_error(error: Any) -> None:
        text = _page_error_text(error)
        session.page_errors.append(text)
        session.console_errors.append(f"uncaught {text}")

    def on_crash(_: Any) -> None:
        session.page_errors.append("page crashed")
        session.console_errors.append("page crashed")

    def on_dialog(dialog: Any) -> None:
        session.dialogs.append(DialogRecord(dialog.type, dialog.message))
        dialog.dismiss()

    def on_request(request: Any) -> None:
        url = request.url
        if url.startswith(_INLINE_SCHEMES):
            return
        if (
            "url" not in own_document
            and request.is_navigation_request()
            and request.frame == page.main_frame
        ):
            own_document["url"] = url  # the page itself: not one of its requests
            return
        session.requests.append(url)

    def on_request_failed(request: Any) -> None:
        if not request.url.startswith(_INLINE_SCHEMES):
            session.failed.append(f"{request.url} ({request.failure})")

    def on_request_finished(request: Any) -> None:
        url = request.url
        if url != own_document.get("url") and not url.startswith(_INLINE_SCHEMES):
            session.completed.append(url)

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    page.on("crash", on_crash)
    page.on("dialog", on_dialog)
    # Context-wide, so that popups and workers are seen too.
    context.on("request", on_request)
    context.on("requestfailed", on_request_failed)
    context.on("requestfinished", on_request_finished)

    if session.block_network:

        def route(route: Any) -> None:
            url = route.request.url
            if url.startswith(_LOCAL_SCHEMES):
                route.continue_()
            else:
                session.blocked.append(url)
                route.abort("blockedbyclient")

        context.route("**/*", route)
        if hasattr(context, "route_web_socket"):  # Playwright >= 1.48

            def route_ws(ws: Any) -> None:
                # Not connecting to the server keeps the socket local; close it at once.
                session.requests.append(ws.url)
                session.blocked.append(ws.url)
                ws.close()

            context.route_web_socket("**/*", route_ws)


@contextmanager
def open_page(
    path: Path | str,
    *,
    block_network: bool = True,
    browser: Browser | None = None,
    timeout_ms: int = PAGE_TIMEOUT_MS,
    viewport: dict[str, int] | None = None,
) -> Iterator[PageSession]:
    """Open a local HTML file in headless Chromium and yield a :class:`PageSession`.

    The page is loaded (``load`` event) before this yields. Each call gets a fresh browser
    context (no shared cookies or storage). With ``block_network`` every request that is
    not file://, data: or blob: is aborted and recorded in ``requests`` and ``blocked``.
    Dialogs are dismissed and recorded. Without ``browser`` one is launched for this page
    alone (about 0.7 s more).
    """
    file = Path(path).resolve()
    if not file.is_file():
        raise FileNotFoundError(f"no such page: {file}")
    with ExitStack() as stack:
        if browser is None:
            problem = browser_problem()
            if problem:
                raise RuntimeError(problem)
            from playwright.sync_api import sync_playwright

            playwright = stack.enter_context(sync_playwright())
            browser = launch_chromium(playwright)
            stack.callback(browser.close)
        context = browser.new_context(viewport=viewport or {"width": 1280, "height": 800})
        stack.callback(context.close)
        context.set_default_timeout(timeout_ms)
        context.set_default_navigation_timeout(timeout_ms)
        page = context.new_page()
        session = PageSession(page=page, url=file.as_uri(), block_network=block_network)
        _attach(session, context, page)
        page.goto(session.url, wait_until="load")
        yield session
