"""Which-region questions in the forms readers write (tracker.whereis, tracker.evaluate,
issue 11): "A (B) C" with a former name in parentheses, "X-area", a misspelling with
``fuzzy=True`` and ``tracker where --fuzzy``, and evaluate's hint "as used in corpus document
ID" standing for that document's text (the in-code gazetteer; the CLI on the real build)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tests.fixtures_gazetteer import (
    POKROVSK,
    VESELYI_KUT,
    ZORIA_DONETSK,
    ZORIA_POKROVSK,
    wider,
)
from tracker.errors import PlaceNotFound
from tracker.evaluate import evaluate_which_region
from tracker.gazetteer import Gazetteer
from tracker.whereis import where


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return wider()


@pytest.mark.parametrize(
    "question",
    [
        "Krasnyi (Veselyi) Kut",  # the name in parentheses replaces the word before it
        "Veselyi (Krasnyi) Kut",  # the name before the parentheses, the other left out
    ],
)
def test_a_name_in_parentheses(gaz, question):
    """ "A (B) C" (a former or other name in parentheses): either two-word form."""
    assert where(question, gazetteer=gaz)[0].katottg == VESELYI_KUT


def test_a_name_in_parentheses_that_fits_neither_way(gaz):
    """The control: neither "Krasnyi Kut" nor "Staryi Kut" is a place here."""
    with pytest.raises(PlaceNotFound):
        where("Krasnyi (Staryi) Kut", gazetteer=gaz)


@pytest.mark.parametrize(
    "question", ["Pokrovsk-area", "Pokrovsk area", "Pokrovsk-Area", "the Pokrovsk area"]
)
def test_an_area_question(gaz, question):
    """ "Pokrovsk-area": the place the area is named after."""
    found = where(question, gazetteer=gaz)
    assert found[0].katottg == POKROVSK


def test_a_misspelling_with_fuzzy(gaz):
    """ "Pokrovks" (a transposition no spelling key catches): not found by default, Pokrovsk
    with ``fuzzy=True``."""
    with pytest.raises(PlaceNotFound) as err:
        where("Pokrovks", gazetteer=gaz)
    assert "Pokrovsk" in err.value.suggestions
    found = where("Pokrovks", gazetteer=gaz, fuzzy=True)
    assert found[0].katottg == POKROVSK
    assert found[0].evidence[0].startswith("name: ") and "exact" not in found[0].evidence[0]


def test_fuzzy_leaves_far_misspellings_out(gaz):
    """``fuzzy`` accepts only close spellings (>= 85 %): "Pkrvk" (77 %) is still no place."""
    with pytest.raises(PlaceNotFound):
        where("Pkrvk", gazetteer=gaz, fuzzy=True)


def test_cli_where_fuzzy(built):
    """`tracker where Kramatorks --fuzzy` on the real build; without --fuzzy, exit 1."""
    from tracker.cli import main

    runner = CliRunner()
    plain = runner.invoke(main, ["where", "Kramatorks"])
    assert plain.exit_code == 1
    assert "Kramatorsk" in plain.output
    result = runner.invoke(main, ["where", "Kramatorks", "--fuzzy", "--json", "--limit", "1"])
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.output)
    assert row["name"] == "Kramatorsk" and row["kind"] == "city" and row["oblast"] == "Donetsk"


# -- evaluate: "as used in corpus document ID" ----------------------------------------------------


def _gold(directory, hint: str, corpus: list[dict] | None) -> str:
    question = {
        "query": "Zoria",
        "context_hint": hint,
        "katottg": ZORIA_POKROVSK,
        "oblast": "Donetsk",
        "hromada": "Kurakhove",
    }
    path = directory / "which_region.jsonl"
    path.write_text(json.dumps(question) + "\n", encoding="utf-8")
    if corpus is not None:
        lines = "".join(json.dumps(row) + "\n" for row in corpus)
        (directory / "corpus.jsonl").write_text(lines, encoding="utf-8")
    return str(path)


_CORPUS = [
    {"id": "other", "text": "Drones hit Zoria near Yablunivka and Illinivka."},
    {"id": "brief-7", "text": "Russian assaults continued near Zoria, south of Pokrovsk."},
]


def test_evaluate_reads_the_corpus_document_a_hint_names(gaz, tmp_path):
    """ "as used in corpus document brief-7": that document's text is the context, and it puts
    Zoria south of Pokrovsk."""
    path = _gold(tmp_path, "as used in corpus document brief-7", _CORPUS)
    report = evaluate_which_region(path, gazetteer=gaz)
    assert report.total == 1 and report.settlement_first == 1, report.errors


def test_evaluate_without_the_corpus_file_keeps_the_hint(gaz, tmp_path):
    """The control: with no corpus.jsonl beside the questions the hint is just its words, and
    the bigger Zoria comes first."""
    assert where("Zoria", gazetteer=gaz)[0].katottg == ZORIA_DONETSK
    path = _gold(tmp_path, "as used in corpus document brief-7", None)
    report = evaluate_which_region(path, gazetteer=gaz)
    assert report.total == 1 and report.settlement_first == 0
    (error,) = report.errors
    assert error["got"][0].startswith(ZORIA_DONETSK)


def test_evaluate_another_document_gives_another_context(gaz, tmp_path):
    """The hint names a document whose text points elsewhere: the answer follows that text."""
    path = _gold(tmp_path, "as used in corpus document other", _CORPUS)
    report = evaluate_which_region(path, gazetteer=gaz)
    assert report.settlement_first == 0
    assert report.errors[0]["got"][0].startswith(ZORIA_DONETSK)
