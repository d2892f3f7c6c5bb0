"""Copy the Leaflet files that offline maps inline from ``js/node_modules`` (the locked npm
packages of ``js/package-lock.json``) into the package data ``tracker/maps/assets/``.

Run after changing a version in ``js/package.json``::

    npm ci --prefix js && python js/vendor.py

The copies keep the npm layout (``assets/leaflet/dist/leaflet.js``) and each package's licence
file; ``assets/manifest.json`` records every file's version, licence and SHA-256, and
``tests/test_maps_assets.py`` checks the copies against it and against the lock file. NOTICE
at the top of the repository lists the same packages for people.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODULES = ROOT / "js" / "node_modules"
TARGET = ROOT / "tracker" / "maps" / "assets"

#: npm package -> (licence file, the files offline maps inline or reference from their CSS)
FILES: dict[str, tuple[str, tuple[str, ...]]] = {
    "leaflet": (
        "LICENSE",
        (
            "dist/leaflet.js",
            "dist/leaflet.css",
            "dist/images/layers.png",
            "dist/images/layers-2x.png",
            "dist/images/marker-icon.png",
            "dist/images/marker-icon-2x.png",
            "dist/images/marker-shadow.png",
        ),
    ),
    "leaflet.markercluster": (
        "MIT-LICENCE.txt",
        (
            "dist/leaflet.markercluster.js",
            "dist/MarkerCluster.css",
            "dist/MarkerCluster.Default.css",
        ),
    ),
    "leaflet.fullscreen": (
        "LICENSE",
        ("Control.FullScreen.js", "Control.FullScreen.css", "icon-fullscreen.svg"),
    ),
    "leaflet-measure": (
        "LICENSE",
        (
            "dist/leaflet-measure.min.js",
            "dist/leaflet-measure.css",
            *(
                f"dist/images/{name}{scale}.png"
                for name in ("cancel", "check", "focus", "rulers", "start", "trash")
                for scale in ("", "_@2X")
            ),
        ),
    ),
}


def main() -> int:
    lock = json.loads((ROOT / "js" / "package-lock.json").read_text(encoding="utf-8"))
    manifest: dict[str, dict] = {}
    if TARGET.exists():
        for child in TARGET.iterdir():
            if child.is_dir():
                shutil.rmtree(child)
    for package, (licence, files) in FILES.items():
        source = MODULES / package
        meta = json.loads((source / "package.json").read_text(encoding="utf-8"))
        locked = lock["packages"][f"node_modules/{package}"]["version"]
        if meta["version"] != locked:
            print(f"{package}: node_modules has {meta['version']}, the lock file {locked}; "
                  "run `npm ci --prefix js`", file=sys.stderr)  # fmt: skip
            return 1
        entry = {"version": meta["version"], "license": meta.get("license"), "files": {}}
        for rel in (licence, *files):
            src = source / rel
            dst = TARGET / package / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dst)
            entry["files"][rel] = hashlib.sha256(dst.read_bytes()).hexdigest()
        entry["license_file"] = licence
        manifest[package] = entry
    (TARGET / "manifest.json").write_text(
        json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    print(f"vendored {sum(len(e['files']) for e in manifest.values())} files into {TARGET}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
