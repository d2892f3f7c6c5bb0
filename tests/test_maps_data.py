"""The map as data: the words it uses, its story, its JSON document, its bytes, its files."""

from __future__ import annotations

import hashlib
import json
import re
import typing
from pathlib import Path

import pytest

import tracker
from tracker import models
from tracker.maps import build as map_build
from tracker.maps import build_map, render_map
from tracker.maps import places as map_places
from tracker.maps.assets import CDN, asset_dir

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "articles" / "004_35ed6482ca630a39.txt"


def _payload(page: str) -> dict:
    found = re.search(r'<script type="application/json" id="trk-data-[^"]+">(.*?)</script>', page)
    assert found, "the map's JSON document"
    return json.loads(found.group(1))


# -- words ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("section", "literal"),
    [
        ("claimants", models.Claimant),
        ("events", models.Event),
        ("stances", models.Stance),
        ("verdicts", models.Verdict),
    ],
)
def test_every_code_has_words(section, literal):
    table = map_places.words(section)
    for code in typing.get_args(literal):
        assert code in table, f"knowledge/maps/words.toml [{section}] lacks {code!r}"
    if section == "events":
        assert set(map_places.EVENTS) <= set(table)


def test_front_text_in_words():
    inside = map_places.front_text("occupied", -0.64, "2025-08-27", "2025-08-27", None)
    assert inside["text"] == "0.6 km inside the occupied area (DeepStateMap, 2025-08-27)"
    late = map_places.front_text("not occupied", 12.3, "2026-08-22", "2026-12-01", "after")
    assert (
        late["text"]
        == "12 km from the occupied area (DeepStateMap, 2026-08-22, the newest snapshot)"
    )
    assert late["head"] == "Not occupied on 2026-12-01:"


def test_article_label_is_never_the_file_id():
    a = models.Article(id="004_35ed6482ca630a39", text="\n\n" + "word " * 40)
    assert "004_35ed" not in map_places.article_label(a)
    assert map_places.article_label(a).endswith("…")
    assert map_places.article_label(models.Article(id="x", text="  \n")) == "Untitled article"


# -- the story ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_doc(built):
    return tracker.parse(SEED.read_text(encoding="utf-8"), date="2025-08-27", id="004")


def test_story_leaves_out_a_far_city_named_in_passing(seed_doc):
    got = map_places.collect([seed_doc])
    story, passing = map_places.story(got.places)
    names = {got.places[c].place.name for c in story}
    assert names == {"Zaporizke", "Novoheorhiivka"}
    assert [got.places[c].place.name for c in passing] == ["Kyiv"]
    assert "UA14" in got.named_oblasts  # the article speaks of Donetsk


def test_story_of_cities_only_keeps_every_city(built):
    doc = tracker.parse("Russian missiles struck Kharkiv, Odesa and Dnipro.", date="2025-08-27")
    got = map_places.collect([doc])
    story, passing = map_places.story(got.places)
    assert passing == [] and len(story) == 3


def test_story_oblasts_and_view_of_the_seed(seed_doc):
    m = build_map([seed_doc], offline=True)
    data = _payload(render_map(m))
    assert {f for f in m.tracker_summary["story"]} == {
        c for c, e in map_places.collect([seed_doc]).places.items() if e.place.name != "Kyiv"
    }
    story = {o[2] for o in data["basemap"]["oblast_labels"] if o[3]}
    assert story == {"Dnipropetrovsk", "Donetsk"}
    (s, w), (n, e) = data["view"]["bounds"]
    assert s < 47.86 < n and w < 36.57 < e and n - s < 0.2  # the two villages, not Kyiv
    assert data["also"][0] == "Kyiv (far from the story)"
    assert "Ukraine" not in data["also"]


def test_claims_once_per_article(built):
    text = (
        "Russia's defence ministry claimed the capture of Novoheorhiivka. "
        "Russia's defence ministry claimed the capture of Novoheorhiivka again."
    )
    doc = tracker.parse(text, date="2025-08-27")
    got = map_places.collect([doc])
    (entry,) = [e for e in got.places.values() if e.place.name == "Novoheorhiivka"]
    record = map_places.popup_record(entry, story_place=True)
    whats = [(c["who"], c["what"]) for c in record["claims"]]
    assert len(whats) == len(set(whats)) >= 1
    assert ("Russian Ministry of Defence", "captured (claimed)") in whats


# -- the JSON document and the bytes --------------------------------------------------------


def test_payload_cannot_close_its_script_element():
    text = map_build._payload({"q": "</script><script>alert(1)</script> & <!-- \u2028 \x00"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["q"] == "</script><script>alert(1)</script> & <!-- \u2028 "


def test_same_inputs_same_bytes(seed_doc):
    pages = [render_map(build_map([seed_doc], offline=True), offline=True) for _ in range(2)]
    assert pages[0] == pages[1]
    online = [render_map(build_map([seed_doc])) for _ in range(2)]
    assert online[0] == online[1]
    other = render_map(build_map([seed_doc], title="Another title"))
    ids = set(re.findall(r"map_([0-9a-f]{22})", online[0]))
    assert ids and ids.isdisjoint(re.findall(r"map_([0-9a-f]{22})", other))


def test_same_inputs_same_bytes_across_processes(built, tmp_path):
    import os
    import subprocess
    import sys

    script = (
        "import sys, tracker; from tracker.maps import build_map, save_map\n"
        "doc = tracker.parse(open(sys.argv[1], encoding='utf-8').read(), date='2025-08-27')\n"
        "save_map(build_map([doc]), sys.argv[2])\n"
    )
    outs = []
    for k in range(2):
        out = tmp_path / f"{k}.html"
        env = {**os.environ, "PYTHONHASHSEED": str(k + 1)}
        subprocess.run([sys.executable, "-c", script, str(SEED), str(out)], check=True, env=env)
        outs.append(hashlib.sha256(out.read_bytes()).hexdigest())
    assert outs[0] == outs[1]


# -- the files the wheel carries ------------------------------------------------------------


def test_vendored_assets_match_the_lock_file_and_the_notice():
    manifest = json.loads((asset_dir() / "manifest.json").read_text(encoding="utf-8"))
    lock = json.loads((ROOT / "js" / "package-lock.json").read_text(encoding="utf-8"))
    notice = (ROOT / "NOTICE").read_text(encoding="utf-8")
    for package, entry in manifest.items():
        assert lock["packages"][f"node_modules/{package}"]["version"] == entry["version"]
        assert f"| {package} | {entry['version']} |" in notice, package
        assert entry["license_file"] in entry["files"]
        for rel, digest in entry["files"].items():
            data = (asset_dir() / package / rel).read_bytes()
            assert hashlib.sha256(data).hexdigest() == digest, f"{package}/{rel} was edited"
    for rel in CDN.values():  # every file a map may reference has its copy
        assert (asset_dir() / rel).is_file(), rel


def test_pyproject_ships_the_assets():
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["tracker.maps"]
    assert "static/*" in patterns and "assets/**/*" in patterns
    assert "NOTICE" in config["tool"]["setuptools"]["license-files"]


def test_the_basemap_kit_is_made_once_per_build_and_cached(built, tmp_path, monkeypatch):
    from tracker.data.store import load
    from tracker.maps import layers

    store = load()
    monkeypatch.setenv("TRACKER_MAP_CACHE", str(tmp_path))
    monkeypatch.setattr(layers, "_kits", {})
    made = layers.kit(store)
    (cached,) = tmp_path.glob("kit-*.json")
    assert store.build_id in cached.name
    monkeypatch.setattr(layers, "_kits", {})
    monkeypatch.setattr(layers, "_make_kit", lambda s: pytest.fail("made again"))
    assert layers.kit(store) == made  # read back from the file
    monkeypatch.setenv("TRACKER_MAP_CACHE", "off")
    assert layers._cache_file(store) is None
