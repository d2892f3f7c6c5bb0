"""Reading articles: detection and resolution on the dev corpus and the seed articles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import tracker
from tracker.cli import main
from tracker.evaluate import evaluate_corpus
from tracker.parsing import parse

ARTICLES = Path(__file__).resolve().parents[2] / "shared" / "articles"
SEEDS = {
    "000": ("000_3887827409b130bc.txt", "2025-06-08"),
    "001": ("001_dc9c6a9d17563651.txt", "2025-05-07"),
    "004": ("004_35ed6482ca630a39.txt", "2025-08-27"),
}


@pytest.fixture(autouse=True)
def _data(built):
    return built


@pytest.fixture(scope="module")
def seeds(built):
    if not ARTICLES.is_dir():
        pytest.fail(f"seed articles not found at {ARTICLES}", pytrace=False)
    return {
        key: parse((ARTICLES / name).read_text(encoding="utf-8"), date=date, id=key)
        for key, (name, date) in SEEDS.items()
    }


def _by_text(doc, text):
    return [m for m in doc.mentions if m.mention.text == text]


def test_dev_corpus_figures(eval_dir, capsys):
    report = evaluate_corpus(eval_dir / "corpus.jsonl")
    with capsys.disabled():
        print("\ncorpus.jsonl (tracker evaluate):\n" + report.summary())
    assert report.f1 >= 0.93
    assert report.share(report.exact, report.settlements) >= 0.90
    assert report.share(report.oblast, report.settlements) >= 0.95
    assert report.share(report.ambiguous_exact, report.ambiguous) >= 0.85


def test_seed_004_zaporizke_and_novoheorhiivka(seeds):
    doc = seeds["004"]
    for name, code in (
        ("Zaporizke", "UA12140050040024246"),
        ("Novoheorhiivka", "UA12140050080041206"),
    ):
        found = _by_text(doc, name)
        assert found, name
        for m in found:
            assert m.place.katottg == code
            assert m.place.hromada == "Velykomykhailivka"
            assert m.regions.oblast_by_polygon == "Dnipropetrovsk"
            assert m.regions.agrees_with_codifier is True
            assert m.regions.km_to_oblast_border < 2.0
    for text, oblast in (
        ("Dnipropetrovsk region", "Dnipropetrovsk"),
        ("Donetsk region", "Donetsk"),
    ):
        m = _by_text(doc, text)[0]
        assert m.mention.kind == "oblast" and m.place.oblast == oblast
        assert m.place.katottg.startswith("UA12" if oblast == "Dnipropetrovsk" else "UA14")


def test_seed_cities(seeds):
    for key, text, code in (
        ("001", "Kryvyi Rih", "UA12060170010065850"),
        ("001", "Pokrovsk", "UA14160210010099403"),
        ("000", "Dnipro", "UA12020010010037010"),
    ):
        found = _by_text(seeds[key], text)
        assert found, (key, text)
        assert all(m.place.katottg == code for m in found), (text, [m.place for m in found])


def test_seed_000_zorya_in_the_nearby_donetsk_region(seeds):
    m = _by_text(seeds["000"], "Zorya")[0]
    assert m.place.oblast == "Donetsk"
    assert m.place.katottg == "UA14120050230096532"
    assert m.regions.stated_region == "Donetsk region"
    assert m.regions.stated_region_agrees is True
    assert any("Donetsk region" in e for e in m.evidence)
    # front-line-aware: the evidence is the line of contact on the article's date
    assert any("line of contact on 2025-06-08" in e for e in m.evidence)
    assert m.frontline.snapshot == "2025-06-08"
    assert [a.oblast for a, _ in m.alternatives][:1] == ["Donetsk"]
    assert [a.hromada for a, _ in m.alternatives][:1] == ["Kurakhove"]


def test_people_words_and_units_are_not_places():
    text = (
        "President Volodymyr Zelensky said on Monday that Donald Trump would meet Putin. "
        "Peace talks stalled. Komar said the 72nd Brigade and the Azov Brigade held the line. "
        "Zelensky's hometown, Kryvyi Rih, was shelled. Ukraine's 72nd brigade fought near Komar."
    )
    doc = parse(text)
    texts = [m.mention.text for m in doc.mentions]
    assert "Zelensky" not in texts and "Trump" not in texts and "Putin" not in texts
    assert "Peace" not in texts and "Azov" not in texts and "72nd" not in texts
    assert texts.count("Komar") == 1  # "near Komar" is the village, "Komar said" is a person
    komar = next(m for m in doc.mentions if m.mention.text == "Komar")
    assert komar.place is not None and komar.place.name == "Komar"
    kryvyi = next(m for m in doc.mentions if m.mention.text == "Kryvyi Rih")
    assert kryvyi.place.katottg == "UA12060170010065850"


def test_offsets_are_exact_and_kinds():
    text = (
        "Fighting near Pokrovsk, Donetsk Oblast.\n"
        "Moscow and Istanbul hosted talks; the U.S. was not there."
    )
    doc = parse(text)
    for m in doc.mentions:
        assert text[m.mention.start : m.mention.end] == m.mention.text
    kinds = {m.mention.text: m.mention.kind for m in doc.mentions}
    assert kinds["Pokrovsk"] == "settlement"
    assert kinds["Donetsk Oblast"] == "oblast"
    assert kinds["Moscow"] == "city" and kinds["Istanbul"] == "city"
    assert kinds["U.S."] == "country"


def test_stated_region_contradiction_is_flagged():
    doc = parse("Russian troops entered Novoheorhiivka, Donetsk Oblast, the ministry claimed.")
    m = next(m for m in doc.mentions if m.mention.text == "Novoheorhiivka")
    assert m.regions.stated_region == "Donetsk Oblast"
    if m.place.oblast != "Donetsk":
        assert m.regions.stated_region_agrees is False
        assert m.regions.geometry_contradicts_text is True


def test_bare_oblast_names():
    doc = parse(
        "Power outages hit Poltava, Sumy and Chernihiv. Russian forces attacked in Sumy "
        "and Kursk oblasts. Russian forces attacked in the Kharkiv direction."
    )
    kinds = [(m.mention.text, m.mention.kind) for m in doc.mentions]
    assert ("Poltava", "oblast") in kinds and ("Chernihiv", "oblast") in kinds
    assert ("Kharkiv", "settlement") in kinds
    assert ("Kursk", "region") in kinds or ("Kursk", "other") in kinds


def test_empty_text_is_an_error():
    with pytest.raises(tracker.InvalidQuery, match="empty"):
        parse("   \n")


def test_html_gives_the_same_mentions_as_text(tmp_path):
    text = (ARTICLES / SEEDS["004"][0]).read_text(encoding="utf-8")
    paragraphs = "".join(f"<p>{line}</p>\n" for line in text.splitlines() if line.strip())
    html = (
        f"<html><head><title>Seed</title><style>p {{}}</style></head><body>"
        f"<script>var Zaporizke = 1;</script>{paragraphs}</body></html>"
    )
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "a.html").write_text(html, encoding="utf-8")
    runner = CliRunner()
    out = {}
    for name in ("a.txt", "a.html"):
        result = runner.invoke(main, ["parse", str(tmp_path / name), "--date", "2025-08-27"])
        assert result.exit_code == 0, result.output
        doc = json.loads(result.output)
        out[name] = [
            (m["text"], m["kind"], (m["place"] or {}).get("katottg")) for m in doc["mentions"]
        ]
    assert out["a.txt"] == out["a.html"]
    assert ("Zaporizke", "settlement", "UA12140050040024246") in out["a.html"]


def test_cli_parse_bad_files_do_not_lose_good_ones(tmp_path):
    (tmp_path / "good.txt").write_text("Russian forces advanced near Pokrovsk.", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04")
    (tmp_path / "cp1251.txt").write_bytes("Бої біля Покровська тривають.".encode("cp1251"))
    result = CliRunner().invoke(main, ["parse", str(tmp_path)])
    assert result.exit_code == 0
    docs = [json.loads(result.stdout)]  # one document: a single JSON object
    assert [d["id"] for d in docs] == ["good"]
    assert docs[0]["mentions"][0]["place"]["katottg"] == "UA14160210010099403"
    assert "binary.txt" in result.stderr and "cp1251.txt" in result.stderr
    assert "empty.txt" in result.stderr


def test_cli_parse_nothing_parsable(tmp_path):
    (tmp_path / "sub").mkdir()
    result = CliRunner().invoke(main, ["parse", str(tmp_path / "sub")])
    assert result.exit_code == 2
    assert "no article" in result.stderr
    result = CliRunner().invoke(main, ["parse", str(tmp_path / "missing.txt")])
    assert result.exit_code == 2 and "missing.txt" in result.stderr
    result = CliRunner().invoke(main, ["parse", "-", "--date", "27 Aug"], input="Pokrovsk")
    assert result.exit_code == 2 and "27 Aug" in result.stderr


def test_cli_parse_stdin_and_formats(tmp_path):
    text = "Russian troops entered Zaporizke and Novoheorhiivka in the Dnipropetrovsk region."
    runner = CliRunner()
    result = runner.invoke(main, ["parse", "-", "--date", "2025-08-27"], input=text)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["date"] == "2025-08-27"
    assert {m["text"] for m in doc["mentions"]} >= {"Zaporizke", "Novoheorhiivka"}
    out = tmp_path / "out.geojson"
    result = runner.invoke(main, ["parse", "-", "--geojson", "-o", str(out)], input=text)
    assert result.exit_code == 0, result.output
    fc = json.loads(out.read_text())
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) >= 3
    result = runner.invoke(main, ["parse", "-", "--csv"], input=text)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith("event_date")
    bad = tmp_path / "no-such-dir" / "out.json"
    result = runner.invoke(main, ["parse", "-", "-o", str(bad)], input=text)
    assert result.exit_code == 2 and "no-such-dir" in result.stderr
    assert not bad.exists()
