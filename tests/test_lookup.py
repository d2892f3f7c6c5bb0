"""The build's ``lookup`` archive (tracker.data.lookup): what a command looks up at start, read
without pandas, gives the very columns, spellings and places the tables give."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from tests.builds import current_dir, fake_tables, write_fake
from tests.fixtures_gazetteer import wider
from tracker.data import lookup
from tracker.data.lookup import LAYOUT, LayoutMismatch, Lookup
from tracker.data.manifest import MANIFEST
from tracker.data.store import Store
from tracker.errors import DataDamaged
from tracker.gazetteer import Gazetteer


def _read_back(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.read_parquet(io.BytesIO(frame.to_parquet(index=False)))


def _same_arrays(a: np.ndarray, b: np.ndarray) -> None:
    assert a.dtype == b.dtype and a.shape == b.shape
    if a.dtype != object:
        assert np.array_equal(a, b, equal_nan=a.dtype.kind == "f")
        return
    for x, y in zip(a.tolist(), b.tolist(), strict=True):
        assert type(x) is type(y)
        assert x == y or (x != x and y != y)


def _assert_same(ref: Gazetteer, got: Gazetteer, keys: list[str], skeletons: list[str]) -> None:
    """Every column, spelling, loose key and place of *got* is that of *ref*."""
    for name in ref.col:
        _same_arrays(ref.col[name], got.col[name])
    assert len(got) == len(ref)
    for key in keys:
        assert list(got.lookup_key(key).items()) == list(ref.lookup_key(key).items()), key
    for sk in skeletons:
        assert got.lookup_skeleton(sk) == ref.lookup_skeleton(sk), sk
    assert got.all_keys == ref.all_keys
    assert got.first_words == ref.first_words
    assert got.first_skeletons == ref.first_skeletons
    assert got.katottg_index == ref.katottg_index
    assert got.display_names == ref.display_names
    assert got.oblast_katottg == ref.oblast_katottg


@pytest.fixture(scope="module")
def tables() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """places, names, skeletons of the wider in-code gazetteer, as a reader reads them."""
    gaz = wider()
    names = gaz._names_frame
    skeletons = (
        names[["skeleton", "place", "key"]]
        .drop_duplicates()
        .sort_values(["skeleton", "place"], kind="stable")
    )
    return _read_back(gaz.places), _read_back(names), _read_back(skeletons)


@pytest.fixture(scope="module")
def archive(tables, tmp_path_factory) -> Lookup:
    places, names, skeletons = tables
    first = sorted({k.split(" ", 1)[0] for k in names["key"] if " " in k})
    words = pd.DataFrame({"word": first, "skeleton": [f"sk-{w}" for w in first]})
    foreign = pd.DataFrame(
        {"key": ["kursk", "us"], "name": ["Kursk", "United States"], "kind": ["city", "country"],
         "country": ["RU", "US"], "lon": [36.19, None], "lat": [51.73, None],
         "cased": [None, "upper"]}
    )  # fmt: skip
    path = tmp_path_factory.mktemp("lookup") / "lookup.npz"
    lookup.write(path, lookup.arrays(places, names, skeletons, first_words=words, foreign=foreign))
    return Lookup(path)


def test_the_archive_gives_what_the_tables_give(tables, archive):
    places, names, skeletons = tables
    ref = Gazetteer(places, names, skeletons)
    got = Gazetteer(lambda: pytest.fail("places read"), names, skeletons, lookup=archive)
    keys = [*sorted(set(names["key"])), "", "zz-no-such-name"]
    loose = [*sorted(set(skeletons["skeleton"])), "", "zzz"]
    _assert_same(ref, got, keys, loose)
    for i in range(len(ref)):
        assert got.place(i) == ref.place(i)


def test_columns_are_decoded_as_pandas_gives_them(archive, tables):
    col = Gazetteer(tables[0], tables[1], lookup=archive).col
    hromada = col["hromada"]
    assert hromada.dtype == object
    assert {type(v) for v in hromada.tolist()} <= {str, float}
    assert col["population"].dtype == np.int64 and col["lon"].dtype == np.float64
    assert col["is_hromada_centre"].dtype == bool
    with pytest.raises(KeyError):
        col["no_such_column"]


def test_first_words_and_foreign_tables(archive):
    assert archive.strings("first_words")[0] < archive.strings("first_words")[-1]
    foreign = archive.foreign()
    assert foreign == {
        "key": ["kursk", "us"], "name": ["Kursk", "United States"], "kind": ["city", "country"],
        "country": ["RU", "US"], "lon": [36.19, None], "lat": [51.73, None],
        "cased": [None, "upper"],
    }  # fmt: skip


def test_strings_with_a_line_break_are_refused():
    with pytest.raises(ValueError, match="line break"):
        lookup._put_strings({}, "keys", ["a\nb"])


def test_an_unsorted_index_is_refused():
    with pytest.raises(ValueError, match="not sorted"):
        lookup.name_index_arrays(["b", "a"], [0, 1], ["official"] * 2, [], [], [])


def test_an_archive_of_another_layout_is_ignored(tmp_path):
    path = tmp_path / "lookup.npz"
    lookup.write(path, {"layout": np.asarray([LAYOUT + 1])})
    with pytest.raises(LayoutMismatch):
        Lookup(path)


# -- in a build ----------------------------------------------------------------------------------
def _with_lookup(root, members) -> None:
    """Add ``lookup.npz`` with *members* to the current build of *root*, listed in its manifest."""
    from tracker.data.manifest import file_entry

    build = current_dir(root)
    lookup.write(build / "lookup.npz", members)
    manifest = json.loads((build / MANIFEST).read_text())
    manifest["files"]["lookup.npz"] = file_entry(build / "lookup.npz", rows=len(members))
    (build / MANIFEST).write_text(json.dumps(manifest))


def test_a_fake_build_with_an_archive(tmp_path):
    root = tmp_path / "data"
    write_fake(root)
    t = fake_tables()
    _with_lookup(
        root,
        {
            "layout": np.asarray([LAYOUT]),
            **lookup.name_index_arrays(
                t["names"]["key"].tolist(), [0], ["official"], ["old"], [0], ["old"]
            ),
        },
    )
    store = Store(root)
    assert store.lookup is not None and store.lookup.name_index().spellings("old") == [
        (0, "official")
    ]
    store.close()


def test_a_damaged_archive_is_reported(tmp_path):
    root = tmp_path / "data"
    write_fake(root)
    _with_lookup(root, {"layout": np.asarray([LAYOUT])})
    target = current_dir(root) / "lookup.npz"
    target.write_bytes(b"x" * target.stat().st_size)
    with pytest.raises(DataDamaged, match=r"lookup\.npz: not a NumPy archive"):
        Store(root)


def test_an_archive_of_another_layout_in_a_build_is_not_used(tmp_path):
    root = tmp_path / "data"
    write_fake(root)
    _with_lookup(root, {"layout": np.asarray([LAYOUT + 1])})
    store = Store(root)
    assert store.lookup is None
    store.close()


# -- the real build ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def real(store):
    if store.lookup is None:
        pytest.skip("this build has no lookup archive (built by an older tracker)")
    return store


def test_the_real_archive_gives_what_the_real_tables_give(real):
    ref = Gazetteer(real.places, real.names, real.skeletons)
    got = Gazetteer(real.places, real.names, real.skeletons, lookup=real.lookup)
    keys = sorted(set(real.names["key"]))
    loose = sorted(set(real.skeletons["skeleton"]))
    _assert_same(ref, got, [*keys[::7], "zz-no-such-name"], [*loose[::7], "zzz"])
    first = real.first_words
    assert frozenset(first["word"]) == ref.first_words
    assert frozenset(first["skeleton"]) == ref.first_skeletons
    for i in range(0, len(ref), 97):
        assert got.place(i) == ref.place(i)


def test_where_and_an_undated_parse_import_no_pandas_nor_geometry(real):
    # with evidence distances (a few pairs: GeographicLib) and no date (no front line)
    code = (
        "import sys, tracker; tracker.where('Novoheorhiivka'); "
        "tracker.parse('Russian troops entered Zaporizke and Novoheorhiivka in the "
        "Dnipropetrovsk region.'); "
        "print(sorted(m for m in ('pandas', 'geopandas', 'pyproj', 'shapely') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_border_distances_of_the_real_archive_are_those_of_the_polygons(real):
    # "near the border with the Y region": the km stored at build time are the very km the
    # polygons give, for every neighbour of every oblast (NaN where the oblasts do not touch)
    gaz = Gazetteer(real.places, real.names, real.skeletons, lookup=real.lookup)
    index = real.regions
    col = gaz.col
    rng = np.random.default_rng(7)
    pids = np.sort(rng.choice(len(gaz), 2000, replace=False))
    others = sorted({o for v in index.neighbours().values() for o in v})
    assert len(others) >= 20
    for other in others:
        want = index.km_to_border_with(
            col["lon"][pids], col["lat"][pids], col["oblast4"][pids], other
        )
        got = gaz.km_to_border_with(pids, other)
        np.testing.assert_array_equal(got, want)
        assert np.isfinite(got).any()
    assert np.isnan(gaz.km_to_border_with(pids[:3], "UA99")).all()  # no such oblast


def test_border_distances_are_looked_up_by_neighbour_and_place():
    class Regions:
        def neighbours(self):
            return {"UA01": ["UA02", "UA03"], "UA02": ["UA01"]}

        def km_to_border_with(self, lon, lat, codes, other):
            return lon * 0 + {"UA02": 2.0, "UA03": 3.0, "UA01": 1.0}[other] + lat

    col = {
        "lon": np.array([30.0, np.nan, 31.0, 32.0]),
        "lat": np.array([0.5, 0.0, 0.25, 0.0]),
        "oblast4": np.array(["UA01", "UA01", "UA02", "UA04"], dtype=object),
    }
    arrays = lookup.border_arrays(col, Regions())
    pids = np.array([3, 2, 1, 0])
    np.testing.assert_array_equal(lookup.border_km(arrays, pids, "UA02"), [np.nan] * 3 + [2.5])
    np.testing.assert_array_equal(
        lookup.border_km(arrays, pids, "UA01"), [np.nan, 1.25, np.nan, np.nan]
    )
    np.testing.assert_array_equal(lookup.border_km(arrays, pids, "UA07"), [np.nan] * 4)
    assert lookup.border_km({"layout": np.array([LAYOUT])}, pids, "UA02") is None  # older build
