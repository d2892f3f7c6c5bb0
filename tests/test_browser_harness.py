"""The headless-Chromium harness itself (tests/browser.py, tests/browser_fixtures.py)."""

from __future__ import annotations

import pytest

from tests import browser


def write(tmp_path, body: str, name: str = "page.html"):
    path = tmp_path / name
    path.write_text(
        f"<!doctype html><html><head><meta charset='utf-8'></head><body>{body}</body></html>"
    )
    return path


def test_console_error_and_uncaught_exception_are_reported(tmp_path, open_page):
    page = write(
        tmp_path,
        "<script>console.log('fine'); console.error('bad thing');</script>"
        "<script>throw new Error('boom');</script>"
        "<p id=after>still here</p>",
    )
    with open_page(page) as pg:
        assert pg.page.inner_text("#after") == "still here"
        assert "bad thing" in pg.console_errors
        assert any("boom" in e for e in pg.page_errors), pg.report()
        assert any("boom" in e for e in pg.console_errors), pg.report()
        assert len(pg.console_errors) == 2, pg.report()
        assert pg.js_errors == pg.console_errors
        assert ("log", "fine") in [(c.type, c.text) for c in pg.console]


def test_external_script_and_image_are_recorded_and_blocked(tmp_path, open_page):
    page = write(
        tmp_path,
        "<img id=pic src='https://tile.example.org/1/2/3.png'>"
        "<script src='https://example.com/x.js'></script>"
        "<script>fetch('https://api.example.net/data').catch(() => {})</script>",
    )
    with open_page(page) as pg:
        pg.page.wait_for_function("document.getElementById('pic').complete")
        pg.page.wait_for_timeout(50)  # let the fetch's failure arrive
        wanted = {
            "https://example.com/x.js",
            "https://tile.example.org/1/2/3.png",
            "https://api.example.net/data",
        }
        assert set(pg.requests) == wanted, pg.report()
        assert set(pg.external_requests) == wanted
        assert set(pg.blocked) == wanted
        assert not [u for u in pg.completed if not u.startswith("file:")], pg.report()
        assert all("ERR_BLOCKED_BY_CLIENT" in f for f in pg.failed), pg.report()
        assert pg.page.evaluate("document.getElementById('pic').naturalWidth") == 0
        # Chromium logs each failed load as a console error; js_errors leaves those out
        assert pg.console_errors, pg.report()
        assert all(e.startswith("Failed to load resource") for e in pg.console_errors)
        assert pg.js_errors == []


def test_websocket_is_blocked(tmp_path, open_page):
    page = write(
        tmp_path,
        "<script>window.state = 'open';"
        "const ws = new WebSocket('wss://socket.example.com/live');"
        "ws.onopen = () => { window.state = 'connected'; };"
        "ws.onclose = () => { window.state = 'closed'; };</script>",
    )
    with open_page(page) as pg:
        if not hasattr(pg.page.context, "route_web_socket"):
            pytest.skip("Playwright < 1.48 cannot intercept WebSockets")
        pg.page.wait_for_function("window.state === 'closed'")
        assert pg.blocked == ["wss://socket.example.com/live"], pg.report()


def test_local_files_load_and_are_counted(tmp_path, open_page):
    (tmp_path / "local.js").write_text("document.body.dataset.loaded = 'yes';")
    page = write(tmp_path, "<script src='local.js'></script>")
    for block in (True, False):
        with open_page(page, block_network=block) as pg:
            assert pg.page.evaluate("document.body.dataset.loaded") == "yes"
            assert pg.requests == [(tmp_path / "local.js").as_uri()], pg.report()
            assert pg.completed == pg.requests
            assert pg.external_requests == []
            assert pg.blocked == []


def test_alert_is_dismissed_and_recorded(tmp_path, open_page):
    page = write(
        tmp_path,
        "<script>alert(1)</script>"
        "<script>window.answer = confirm('sure?')</script>"
        "<p id=done>done</p>",
    )
    with open_page(page) as pg:
        assert pg.page.inner_text("#done") == "done"
        assert pg.dialogs == [("alert", "1"), ("confirm", "sure?")]
        assert pg.page.evaluate("window.answer") is False  # dismissed


def test_self_contained_page_makes_no_request(tmp_path, open_page):
    pixel = (
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
        "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    )
    page = write(
        tmp_path,
        f"<style>p {{ color: red }}</style><img id=px src='{pixel}'>"
        "<p>Київ — self-contained</p><script>document.title = 'ok'</script>",
    )
    with open_page(page) as pg:
        assert pg.page.title() == "ok"
        assert pg.page.evaluate("document.getElementById('px').naturalWidth") == 1
        assert pg.requests == [], pg.report()
        assert pg.blocked == [] and pg.failed == [] and pg.completed == []
        assert pg.console_errors == [] and pg.dialogs == []


def test_click_changes_the_dom(tmp_path, open_page):
    page = write(
        tmp_path,
        '<button id=go onclick="setTimeout(() => {'
        "const d = document.createElement('div'); d.id = 'popup'; d.textContent = 'Bakhmut';"
        'document.body.append(d); }, 20)">show</button>',
    )
    with open_page(page) as pg:
        assert pg.page.query_selector("#popup") is None
        pg.page.click("#go")
        pg.page.wait_for_selector("#popup", timeout=2000)
        assert pg.page.inner_text("#popup") == "Bakhmut"


def test_missing_browser_fails_with_install_hint(monkeypatch):
    monkeypatch.setenv("TRACKER_CHROMIUM", "/nonexistent/chromium")
    monkeypatch.delenv("TRACKER_SKIP_BROWSER", raising=False)
    assert not browser.browser_available()
    problem = browser.browser_problem()
    assert "/nonexistent/chromium" in problem
    assert "apt-get install chromium" in problem and "pip install playwright" in problem
    with pytest.raises(pytest.fail.Exception, match="apt-get install chromium"):
        browser.require_browser()


def test_missing_browser_skips_when_asked(monkeypatch):
    monkeypatch.setenv("TRACKER_CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setenv("TRACKER_SKIP_BROWSER", "1")
    with pytest.raises(pytest.skip.Exception, match="TRACKER_SKIP_BROWSER"):
        browser.require_browser()


def test_missing_page_is_an_error(tmp_path, open_page):
    with pytest.raises(FileNotFoundError), open_page(tmp_path / "absent.html"):
        pass
