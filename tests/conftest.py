"""Shared fixtures.

Tests that need real data build it once per session from the sources mirror named
by ``TRACKER_SOURCES`` (``.ci/run`` sets it to ``../shared/geodata``) into a
temporary directory, and point ``TRACKER_DATA_DIR`` there (``TRACKER_TEST_DATA_DIR`` names an
existing build to reuse instead, for quick local runs; when it is not a current-format build, a
per-user cache in the temp directory is built once and reused; CI never sets it). Without the
mirror those tests fail with a message saying what to set; they never fall back to the network.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

# The fixture plugins, registered here once for the whole suite (test modules also import their
# constants, which must not come first: pytest could then no longer rewrite their asserts). They
# are not collected as doctest modules: imported first that way, pytest 9.0 registered none of
# their fixtures ("fixture 'open_page' not found"). They have no doctests.
pytest_plugins = ["tests.browser_fixtures", "tests.store_fixtures"]
collect_ignore = ["browser_fixtures.py", "store_fixtures.py"]


@pytest.fixture(autouse=True)
def _a_store_of_its_own(monkeypatch, tmp_path_factory):
    """Every test's default article store is an empty file of its own, never the user's store
    (``history`` merges the stored claims of the default store: an article ingested on this
    machine once showed up in a test's timeline)."""
    monkeypatch.setenv("TRACKER_DB", str(tmp_path_factory.mktemp("store") / "store.sqlite"))


def _sources() -> Path:
    value = os.environ.get("TRACKER_SOURCES")
    if not value:
        pytest.fail(
            "TRACKER_SOURCES is not set: point it at the sources mirror, e.g. "
            "TRACKER_SOURCES=../shared/geodata pytest",
            pytrace=False,
        )
    path = Path(value)
    if not (path / "geonames" / "UA.zip").is_file():
        pytest.fail(
            f"TRACKER_SOURCES={value!r} is not a sources mirror (no geonames/UA.zip)", pytrace=False
        )
    return path


@pytest.fixture(scope="session")
def sources_dir() -> Path:
    """The sources mirror (fails clearly when TRACKER_SOURCES is missing)."""
    return _sources()


def _reusable(directory: Path, sources: Path) -> dict | None:
    """The manifest of a current-format build of *sources* in *directory*, else None."""
    from tracker.data.store import load, reset
    from tracker.errors import DataNotBuilt

    reset()
    try:
        manifest = load(directory).manifest
    except DataNotBuilt:  # nothing built, the old layout, another format, or damaged
        return None
    finally:
        reset()
    return manifest if manifest.get("sources_dir") == str(sources.resolve()) else None


def _cached_build(sources: Path, reason: str) -> tuple[Path, dict]:
    """Build once into a per-user cache in the temp directory, shared by later sessions (the
    build lock makes a second session wait for the first instead of building twice)."""
    import getpass
    import tempfile
    import warnings

    from tracker.data.build import build
    from tracker.data.lock import BuildLock
    from tracker.data.publish import preflight

    cache = Path(tempfile.gettempdir()) / f"frontline-tracker-test-data-{getpass.getuser()}"
    warnings.warn(
        f"TRACKER_TEST_DATA_DIR: {reason}; using {cache} instead (built once, then reused); "
        "rebuild yours with `tracker data build --data-dir DIR`",
        stacklevel=2,
    )
    preflight(cache)
    with BuildLock(cache, wait=1800) as lock:
        manifest = _reusable(cache, sources)
        if manifest is None:
            manifest = build(sources, cache, lock=lock)
    return cache, manifest


@pytest.fixture(scope="session")
def built(sources_dir, tmp_path_factory) -> dict:
    """Build the data once per session; return the manifest. Sets TRACKER_DATA_DIR.

    With ``TRACKER_TEST_DATA_DIR`` that build is reused when it is a current-format build of the
    same sources; otherwise (an old layout, say) the session builds once into a per-user cache
    in the temp directory and later sessions reuse that.
    """
    from tracker.data.build import build
    from tracker.data.store import reset

    reuse = os.environ.get("TRACKER_TEST_DATA_DIR")
    if reuse:  # a developer's existing build of the same sources (saves the build per run)
        manifest = _reusable(Path(reuse), sources_dir)
        target = Path(reuse)
        if manifest is None:
            target, manifest = _cached_build(
                sources_dir, f"{reuse} is not a current build of {sources_dir}"
            )
    else:
        target = tmp_path_factory.mktemp("data") / "built"
        manifest = build(sources_dir, target)
    os.environ["TRACKER_DATA_DIR"] = str(target)
    reset()
    return manifest


@pytest.fixture(scope="session")
def store(built):
    """The loaded store of the session's build."""
    from tracker.data.store import load

    return load()


@pytest.fixture(scope="session")
def eval_dir() -> Path:
    """The hand-annotated development set (``../shared/eval/dev``)."""
    path = SHARED / "eval" / "dev"
    if not path.is_dir():
        pytest.fail(
            f"development set not found at {path}; tests expect ../shared beside the repo",
            pytrace=False,
        )
    return path
