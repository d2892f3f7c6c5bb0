"""Make docs/seed-map.png: the map of the seed article 004 (NBC, 2025-08-27), made by the
project's own code and photographed in headless Chromium. ``make screenshot``."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import tracker  # noqa: E402
from tests.browser import open_page  # noqa: E402
from tracker.maps import build_map, save_map  # noqa: E402

ARTICLE = ROOT.parent / "shared" / "articles" / "004_35ed6482ca630a39.txt"


def main() -> None:
    doc = tracker.parse(
        ARTICLE.read_text(encoding="utf-8"),
        date="2025-08-27",
        id="004",
        title="NBC News, 27 Aug 2025: Russian troops enter Dnipropetrovsk region",
    )
    with tempfile.TemporaryDirectory() as tmp:
        page_path = Path(tmp) / "seed.html"
        save_map(build_map([doc], offline=True), page_path, offline=True)
        with open_page(page_path, viewport={"width": 1200, "height": 760}) as pg:
            page = pg.page
            page.wait_for_selector(".trk-marker")
            page.locator(".trk-marker[data-name='Novoheorhiivka']").dispatch_event("click")
            page.wait_for_selector(".leaflet-popup-content")
            page.wait_for_timeout(800)
            out = ROOT / "docs" / "seed-map.png"
            page.screenshot(path=str(out))
            print(f"wrote {out}")


if __name__ == "__main__":
    main()
