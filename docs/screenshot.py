"""Make the README's screenshots with the project's own code, photographed in headless Chromium
(``make screenshot``; needs the built data and ../shared/articles).

``docs/seed-map.png``
    ``tracker map --offline`` of the seed article 004 (NBC News, 27 August 2025) at the zoom
    it opens at, the popup of Novoheorhiivka open.
``docs/time-slider.png``
    The three example articles (Dagens 2025-05-07, AFP 2025-06-08, NBC 2025-08-27) on one
    map, the time slider on the middle date.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import tracker  # noqa: E402
from tests.browser import open_page  # noqa: E402
from tracker.maps import build_map, save_map  # noqa: E402

ARTICLES = ROOT.parent / "shared" / "articles"
#: The example articles and their publication dates (../shared/articles/README.md).
DATED = {
    "001_dc9c6a9d17563651.txt": "2025-05-07",
    "000_3887827409b130bc.txt": "2025-06-08",
    "004_35ed6482ca630a39.txt": "2025-08-27",
}
VIEWPORT = {"width": 1100, "height": 720}


def _parse(name: str):
    return tracker.parse((ARTICLES / name).read_text(encoding="utf-8"), date=DATED[name], id=name)


def seed_map(folder: Path) -> Path:
    page_path = folder / "seed.html"
    save_map(build_map([_parse("004_35ed6482ca630a39.txt")], offline=True), page_path, offline=True)
    out = ROOT / "docs" / "seed-map.png"
    with open_page(page_path, viewport=VIEWPORT) as pg:
        page = pg.page
        page.wait_for_selector(".trk-marker")
        page.locator(".trk-marker[data-name='Novoheorhiivka']").dispatch_event("click")
        page.wait_for_selector(".leaflet-popup-content")
        page.wait_for_timeout(600)
        page.screenshot(path=str(out))
    return out


def slider_map(folder: Path) -> Path:
    page_path = folder / "slider.html"
    docs = [_parse(name) for name in DATED]
    save_map(build_map(docs, offline=True), page_path, offline=True)
    out = ROOT / "docs" / "time-slider.png"
    with open_page(page_path, viewport=VIEWPORT) as pg:
        page = pg.page
        page.wait_for_selector(".trk-slider")
        page.evaluate("window.trackerMaps[0].setStep(1); 1")
        page.wait_for_timeout(600)
        page.screenshot(path=str(out))
    return out


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for make in (seed_map, slider_map):
            out = make(Path(tmp))
            print(f"wrote {out} ({out.stat().st_size / 1e3:.0f} kB)")


if __name__ == "__main__":
    main()
