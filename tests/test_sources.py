"""Fetching and verifying the source files (no network: every opener here is a fake)."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import pytest

from tracker.data import sources as src_mod
from tracker.data.sources import (
    DEEPSTATE_DIR,
    SOURCES,
    Source,
    fetch,
    sha256_of,
    verify,
)
from tracker.errors import SourceError


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """Any call to the real opener fails the test instead of touching the network."""

    def refuse(url):
        raise AssertionError(f"test tried to download {url}")

    monkeypatch.setattr(src_mod, "_default_opener", refuse)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _source(path: str, data: bytes | None, url: str | None = None) -> Source:
    return Source(
        path,
        url or f"https://example.invalid/{path}",
        "CC0",
        "test",
        None if data is None else _sha(data),
    )


class FakeOpener:
    """``opener(url)`` serving bytes from a dict; records the URLs asked for."""

    def __init__(self, payloads: dict[str, bytes], check=None):
        self.payloads = payloads
        self.calls: list[str] = []
        self.check = check

    def __call__(self, url: str):
        self.calls.append(url)
        if self.check:
            self.check(url)
        return io.BytesIO(self.payloads[url])


def _leftovers(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.startswith(".fetch-")]


# -- fetch ---------------------------------------------------------------------------------------


def test_fetch_writes_files(tmp_path):
    big = os.urandom(1024) * 2600  # > 2 MiB: several 1 MiB blocks
    small = "Зоря;UA14\n".encode()
    srcs = [_source("geonames/big.bin", big), _source("settlements/small.csv", small)]
    opener = FakeOpener({srcs[0].url: big, srcs[1].url: small})
    seen = []

    written = fetch(tmp_path / "mirror", sources=srcs, opener=opener, progress=seen.append)

    root = tmp_path / "mirror"
    assert written == [root / "geonames/big.bin", root / "settlements/small.csv"]
    assert (root / "geonames/big.bin").read_bytes() == big
    assert (root / "settlements/small.csv").read_bytes() == small
    assert opener.calls == [s.url for s in srcs]
    assert seen == ["geonames/big.bin", "settlements/small.csv"]
    assert _leftovers(root) == []
    assert sha256_of(root / "geonames/big.bin") == _sha(big)


def test_fetch_is_atomic_while_downloading(tmp_path):
    """The target never exists half-written: old content stays until the rename."""
    new = b"new content" * 1000
    src = _source("a/file.txt", new)
    target = tmp_path / "a/file.txt"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"old content")
    states = []

    class Response(io.BytesIO):
        def read(self, n=-1):
            states.append(target.read_bytes())
            return super().read(n)

    fetch(tmp_path, sources=[src], opener=lambda url: Response(new))

    assert states and all(s == b"old content" for s in states)
    assert target.read_bytes() == new
    assert _leftovers(tmp_path) == []


def test_fetch_new_file_appears_only_when_complete(tmp_path):
    data = b"x" * 5000
    src = _source("d/new.bin", data)
    target = tmp_path / "d/new.bin"
    existed = []

    class Response(io.BytesIO):
        def read(self, n=-1):
            existed.append(target.exists())
            return super().read(n)

    fetch(tmp_path, sources=[src], opener=lambda url: Response(data))
    assert existed and not any(existed)
    assert target.read_bytes() == data


def test_fetch_checksum_mismatch(tmp_path):
    good = b"good bytes"
    srcs = [_source("one/good.txt", good), _source("two/bad.txt", b"what was pinned")]
    opener = FakeOpener({srcs[0].url: good, srcs[1].url: b"what the origin serves now"})

    with pytest.raises(SourceError) as info:
        fetch(tmp_path, sources=srcs, opener=opener)

    message = str(info.value)
    assert srcs[1].url in message
    assert "sha256" in message
    assert (tmp_path / "one/good.txt").read_bytes() == good  # earlier files are kept
    assert not (tmp_path / "two/bad.txt").exists()
    assert _leftovers(tmp_path) == []
    assert sorted(p.name for p in (tmp_path / "two").iterdir()) == []


def test_fetch_checksum_mismatch_keeps_the_old_file(tmp_path):
    old = b"the edition we pinned"
    src = _source("x/file.bin", old)
    target = tmp_path / "x/file.bin"
    target.parent.mkdir(parents=True)
    target.write_bytes(old)

    with pytest.raises(SourceError):
        fetch(tmp_path, sources=[src], opener=lambda url: io.BytesIO(b"a changed edition"))

    assert target.read_bytes() == old
    assert _leftovers(tmp_path) == []


def test_fetch_failing_download_leaves_nothing(tmp_path):
    src = _source("x/file.bin", b"whatever")

    class Broken(io.BytesIO):
        def read(self, n=-1):
            if self.tell() > 0:
                raise ConnectionResetError("connection reset by peer")
            return super().read(3)

    with pytest.raises(SourceError, match="connection reset by peer") as info:
        fetch(tmp_path, sources=[src], opener=lambda url: Broken(b"whatever"))
    assert src.url in str(info.value)
    assert isinstance(info.value.__cause__, ConnectionResetError)
    assert not (tmp_path / "x/file.bin").exists()
    assert _leftovers(tmp_path) == []


def test_fetch_unpinned_source_accepts_any_bytes(tmp_path):
    src = _source("free/file.txt", None)
    fetch(tmp_path, sources=[src], opener=lambda url: io.BytesIO(b"anything"))
    assert (tmp_path / "free/file.txt").read_bytes() == b"anything"


def test_fetch_deepstate_dates(tmp_path):
    payloads = {}
    dates = ["20250826", "20250827"]
    for d in dates:
        url = (
            "https://raw.githubusercontent.com/cyterat/deepstate-map-data/main/data/"
            f"deepstatemap_data_{d}.geojson"
        )
        payloads[url] = f'{{"type": "FeatureCollection", "date": "{d}"}}'.encode()
    opener = FakeOpener(payloads)

    written = fetch(tmp_path, sources=(), deepstate_dates=dates, opener=opener)

    expected = [tmp_path / "deepstate/daily" / f"deepstatemap_data_{d}.geojson" for d in dates]
    assert DEEPSTATE_DIR == "deepstate/daily"
    assert written == expected
    assert opener.calls == list(payloads)
    for d, path in zip(dates, expected, strict=True):
        assert d in path.read_text()
    assert _leftovers(tmp_path) == []


def test_fetch_nothing(tmp_path):
    assert fetch(tmp_path / "new", sources=(), opener=FakeOpener({})) == []


# -- the pinned list -----------------------------------------------------------------------------


def test_pinned_sources_are_well_formed():
    paths = [s.path for s in SOURCES]
    assert len(set(paths)) == len(paths)
    for s in SOURCES:
        assert not Path(s.path).is_absolute() and ".." not in Path(s.path).parts, s
        assert s.url.startswith("https://"), s
        assert s.sha256 is not None and len(s.sha256) == 64, s
        int(s.sha256, 16)
        assert s.licence and s.attribution, s


# -- verify --------------------------------------------------------------------------------------


def test_verify_missing_directory(tmp_path):
    missing = tmp_path / "no-such-dir"
    with pytest.raises(SourceError) as info:
        verify(missing)
    assert str(missing) in str(info.value)


def test_verify_missing_files_are_all_listed(tmp_path):
    with pytest.raises(SourceError) as info:
        verify(tmp_path)
    message = str(info.value)
    assert str(tmp_path) in message
    assert f"incomplete, {len(SOURCES)} missing: " in message
    for s in SOURCES:
        assert s.path in message
    assert f"tracker data fetch --sources {tmp_path}" in message


def test_verify_one_missing_file_names_its_path(tmp_path, monkeypatch):
    pinned = (_source("geonames/a.txt", b"a"), _source("geonames/b.txt", b"b"))
    monkeypatch.setattr(src_mod, "SOURCES", pinned)
    (tmp_path / "geonames").mkdir()
    (tmp_path / "geonames/a.txt").write_bytes(b"a")
    with pytest.raises(SourceError, match="is missing") as info:
        verify(tmp_path)
    assert str(tmp_path / "geonames/b.txt") in str(info.value)


@pytest.mark.parametrize("folder", [False, True])
def test_verify_requires_a_deepstate_snapshot(tmp_path, monkeypatch, folder):
    """An empty (or absent) DeepState folder is refused, listed with the other missing files."""
    pinned = (_source("geonames/a.txt", b"a"), _source("geonames/b.txt", b"b"))
    monkeypatch.setattr(src_mod, "SOURCES", pinned)
    (tmp_path / "geonames").mkdir()
    (tmp_path / "geonames/a.txt").write_bytes(b"a")
    if folder:
        (tmp_path / DEEPSTATE_DIR).mkdir(parents=True)
        (tmp_path / DEEPSTATE_DIR / "notes.txt").write_text("not a snapshot")
    with pytest.raises(SourceError) as info:
        verify(tmp_path, require_deepstate=True)
    message = str(info.value)
    assert "incomplete, 2 missing: geonames/b.txt, deepstate/daily/" in message
    assert "(none at all)" in message and "--deepstate-from 2024-07-08" in message
    (tmp_path / "geonames/b.txt").write_bytes(b"b")
    (tmp_path / DEEPSTATE_DIR).mkdir(parents=True, exist_ok=True)
    (tmp_path / DEEPSTATE_DIR / "deepstatemap_data_20250827.geojson").write_text("{}")
    assert set(verify(tmp_path, require_deepstate=True)) == {"geonames/a.txt", "geonames/b.txt"}


def test_verify_lists_every_checksum_mismatch(tmp_path, monkeypatch):
    pinned = (_source("g/a.txt", b"a"), _source("g/b.txt", b"b"), _source("g/c.txt", b"c"))
    monkeypatch.setattr(src_mod, "SOURCES", pinned)
    (tmp_path / "g").mkdir()
    for name, data in (("a", b"A"), ("b", b"b"), ("c", b"C")):
        (tmp_path / f"g/{name}.txt").write_bytes(data)
    with pytest.raises(SourceError, match=r"2 source files .* differ .*: g/a.txt, g/c.txt;"):
        verify(tmp_path)


# -- fetch without the network -------------------------------------------------------------------


def test_fetch_without_network_names_the_url(tmp_path):
    import urllib.error

    srcs = [_source("one/a.txt", b"a"), _source("two/b.txt", b"b")]

    def offline(url):
        if url == srcs[0].url:
            return io.BytesIO(b"a")
        raise urllib.error.URLError(OSError(-3, "Temporary failure in name resolution"))

    with pytest.raises(SourceError) as info:
        fetch(tmp_path, sources=srcs, opener=offline)
    message = str(info.value)
    assert f"cannot download {srcs[1].url}: " in message
    assert "Temporary failure in name resolution" in message
    assert "(1 file(s) fetched before it are kept)" in message
    assert "check the network connection" in message and "--sources DIR" in message
    assert info.value.exit_code == 3
    assert (tmp_path / "one/a.txt").read_bytes() == b"a"
    assert _leftovers(tmp_path) == []


def test_fetch_cli_without_network(tmp_path, monkeypatch):
    """`tracker data fetch` offline: one line naming the URL that failed, exit 3."""
    from click.testing import CliRunner

    from tracker.cli import main

    def offline(url):
        raise TimeoutError("timed out")

    monkeypatch.setattr(src_mod, "_default_opener", offline)
    result = CliRunner().invoke(main, ["data", "fetch", "--sources", str(tmp_path / "mirror")])
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert lines == [
        f"error: cannot download {SOURCES[0].url}: timed out; check the network connection (and "
        "proxy settings such as HTTPS_PROXY) and run the fetch again, or copy a sources mirror "
        "and pass --sources DIR to 'tracker data build'"
    ]
    assert _leftovers(tmp_path) == []


def test_verify_wrong_checksum(tmp_path, monkeypatch):
    a, b = b"first file", b"second file"
    pinned = (_source("geonames/a.txt", a), _source("boundaries/b.geojson", b))
    monkeypatch.setattr(src_mod, "SOURCES", pinned)
    (tmp_path / "geonames").mkdir()
    (tmp_path / "boundaries").mkdir()
    (tmp_path / "geonames/a.txt").write_bytes(a)
    (tmp_path / "boundaries/b.geojson").write_bytes(b + b" edited")

    with pytest.raises(SourceError) as info:
        verify(tmp_path)
    assert str(tmp_path / "boundaries/b.geojson") in str(info.value)
    # checksums=False only checks presence
    verify(tmp_path, checksums=False)

    (tmp_path / "boundaries/b.geojson").write_bytes(b)
    assert verify(tmp_path) == {"geonames/a.txt": _sha(a), "boundaries/b.geojson": _sha(b)}


def test_verify_real_mirror(sources_dir):
    found = verify(sources_dir)
    assert set(found) == {s.path for s in SOURCES}
    for s in SOURCES:
        assert found[s.path] == s.sha256


def test_verify_detects_a_changed_file_in_a_copy_of_the_mirror(sources_dir, tmp_path):
    """A symlinked copy of the mirror with one file replaced fails naming that file."""
    for s in SOURCES:
        link = tmp_path / s.path
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to((sources_dir / s.path).resolve())
    verify(tmp_path, checksums=False)
    victim = tmp_path / "settlements/koatuu_to_katottg.csv"
    victim.unlink()
    victim.write_bytes(b"code;name\n")
    with pytest.raises(SourceError) as info:
        verify(tmp_path)
    assert str(victim) in str(info.value)
