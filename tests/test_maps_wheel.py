"""The wheel carries what offline maps need: built, unpacked outside the repository, and run
with no Node and no network, its ``tracker map --offline`` gives a map that loads in Chromium
without one request."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "articles" / "004_35ed6482ca630a39.txt"


@pytest.fixture(scope="module")
def wheel_site(tmp_path_factory) -> Path:
    """The project's wheel (``pip wheel``, as a user builds it) unpacked."""
    import shutil

    out = tmp_path_factory.mktemp("wheel")
    tree = out / "tree"  # a copy: building leaves build/ beside the sources
    skip = shutil.ignore_patterns(".git", "node_modules", "__pycache__", "*.egg-info", "build")
    shutil.copytree(ROOT, tree, ignore=skip)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(tree)],
        check=True,
        cwd=out,
    )  # fmt: skip
    (wheel,) = out.glob("frontline_tracker-*.whl")
    site = out / "site"
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        assert "tracker/maps/assets/leaflet/dist/leaflet.js" in names
        assert "tracker/maps/static/map.js" in names
        assert any(n.endswith("licenses/NOTICE") for n in names)
        z.extractall(site)
    return site


def test_wheel_installed_offline_map(built, wheel_site, tmp_path, open_page):
    out = tmp_path / "m.html"
    env = {k: v for k, v in os.environ.items() if k not in ("TRACKER_JS_DIR", "PYTHONPATH")}
    env["PYTHONPATH"] = str(wheel_site)  # ahead of the editable install of the repository
    env["TRACKER_MAP_CACHE"] = str(tmp_path / "cache")
    script = (
        "import sys, tracker\n"
        "from tracker.maps.assets import js_dir\n"
        "assert tracker.__file__.startswith(sys.argv[1]), tracker.__file__\n"
        "assert str(js_dir()).startswith(sys.argv[1]), js_dir()\n"
        "from tracker.cli import main\n"
        "main(['map', sys.argv[2], '--offline', '-o', sys.argv[3], '--date', '2025-08-27'])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(wheel_site), str(SEED), str(out)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "self-contained" in result.stderr
    with open_page(out, block_network=True) as pg:
        page = pg.page
        page.wait_for_selector(".trk-marker")
        page.wait_for_timeout(300)
        assert not pg.console_errors, pg.report()
        assert pg.requests == [], pg.report()
        assert page.locator(".trk-marker").count() == 3
        assert page.locator(".leaflet-control-measure").count() == 1
