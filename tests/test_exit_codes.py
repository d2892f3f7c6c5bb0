"""Every command, every exit code: one line on stderr, never a traceback.

0 ok, 1 place not found, 2 bad input or usage, 3 data missing or damaged, 4 I/O error,
70 internal error, 130 interrupted (tracker.errors.EXIT_CODES, README, ``tracker --help``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import tracker
from tracker import errors
from tracker.cli import main

README = Path(__file__).resolve().parents[1] / "README.md"


def _run(*args: str, **kwargs):
    return CliRunner().invoke(main, list(args), **kwargs)


def _one_error(result) -> str:
    lines = result.stderr.splitlines()
    errors_ = [line for line in lines if line.startswith("error: ")]
    assert len(errors_) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return errors_[0]


# -- the table -----------------------------------------------------------------------------------


def test_exit_codes_are_distinct_and_documented():
    codes = [code for code, _ in errors.EXIT_CODES]
    assert codes == sorted(set(codes)) == [0, 1, 2, 3, 4, 70, 130]
    assert errors.PlaceNotFound.exit_code == 1
    assert errors.InputError.exit_code == errors.InvalidQuery.exit_code == 2
    assert errors.DataNotBuilt.exit_code == errors.DataDamaged.exit_code == 3
    assert errors.OutputFailed.exit_code == errors.EXIT_IO == 4
    help_text = _run("--help").stdout
    readme = README.read_text(encoding="utf-8")
    for code, meaning in errors.EXIT_CODES:
        assert re.search(rf"^\s+{code}\s+{re.escape(meaning)}$", help_text, re.M), help_text
        assert re.search(rf"^\|\s*{code}\s*\|", readme, re.M), f"README lacks exit code {code}"


# -- where -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("NaN,NaN", "not finite"),
        ("inf,inf", "not finite"),
        ("-inf,30", "not finite"),
        ("47.8,nan", "not finite"),
        (",", "empty"),
        (" , ; ", "empty"),
        ("", "empty"),
        ("x" * 600, "over the limit"),
    ],
)
def test_where_bad_queries_exit_2(query, words):
    result = _run("where", query)
    assert result.exit_code == 2, result.output
    assert words in _one_error(result)


@pytest.mark.parametrize("command", ["where", "status", "history"])
def test_negative_coordinates_need_no_double_dash(built, command):
    result = _run(command, "-0,-0")
    assert result.exit_code == 2, result.output
    assert "outside Ukraine" in _one_error(result)  # read as a point, not as an option
    result = _run(command, "-47.5,36.5", "--json")
    assert result.exit_code == 2 and "outside Ukraine" in _one_error(result)


def test_negative_option_values_still_work(built):
    result = _run("where", "Zaporizke", "--near", "47.85,36.53", "--limit", "1")
    assert result.exit_code == 0, result.output
    assert "No such option" in _run("where", "Zorya", "-x").stderr  # real typos still say so


@pytest.mark.parametrize("command", ["where", "status", "history"])
@pytest.mark.parametrize("option", ["--oblast", "--near", "--context"])
def test_empty_options_exit_2(built, command, option):
    result = _run(command, "Zorya", option, "")
    assert result.exit_code == 2, result.output
    assert f"{option} is empty" in _one_error(result)


def test_frontline_stats_empty_oblast(built):
    result = _run(
        "frontline", "stats", "--from", "2025-01-01", "--to", "2025-01-02", "--oblast", ""
    )
    assert result.exit_code == 2 and "--oblast is empty" in _one_error(result)


# -- status / history ----------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["status", "history"])
def test_point_outside_ukraine_exits_2_as_where_does(built, command):
    where = _one_error(_run("where", "50,20"))
    result = _run(command, "50,20")
    assert result.exit_code == 2
    assert _one_error(result) == where


def test_history_of_a_point_uses_the_nearest_settlement(built):
    result = _run("history", "47.85349,36.53318", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["place"]["katottg"] == "UA12140050040024246"  # Zaporizke
    assert data["nearest_to"]["km"] < 1
    text = _run("history", "47.85349,36.53318").stdout
    assert "nearest to 47.85349,36.53318" in text


def test_history_articles_that_do_not_exist_exit_2(built):
    result = _run("history", "UA12140050040024246", "--articles", "/nonexistent")
    assert result.exit_code == 2
    assert "/nonexistent" in _one_error(result) and result.stdout == ""


def test_status_bad_date_exits_2(built):
    result = _run("status", "Zaporizke", "--date", "27 August")
    assert result.exit_code == 2 and "YYYY-MM-DD" in _one_error(result)


# -- evaluate: which line and field --------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (['{"query": 5, "katottg": "UA1", "oblast": "Sumy"}'], ":1: field 'query' is 5"),
        (['{"query": "Zorya", "oblast": "Sumy"}'], ":1: field 'katottg' is missing"),
        (
            ['{"query": "Zorya", "katottg": "UA1", "oblast": "Sumy"}', '{"query": "Zorya"}'],
            ":2: field 'katottg' is missing",
        ),
        (['{"text": "abc", "mentions": {}}'], ":1: field 'mentions' is {}"),
        (
            ['{"text": "abc", "mentions": [{"start": "0", "end": 2, "surface": "ab", '
             '"type": "settlement"}]}'],
            ":1: field 'mentions[0].start' is '0'; expected an integer",
        ),
        (
            ['{"text": "abc", "mentions": [{"start": 0, "end": 9, "surface": "ab", '
             '"type": "settlement"}]}'],
            "not a span of the text",
        ),
        (["", "[1, 2]"], ":2: is a JSON list, not an object"),
        (['{"name": "Zorya"}'], ":1: neither an annotated document"),
        (["{not json"], ":1: is not valid JSON"),
        ([""], "holds no rows"),
    ],
)  # fmt: skip
def test_evaluate_gold_of_the_wrong_shape(tmp_path, lines, expected):
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _run("evaluate", str(gold))
    assert result.exit_code == 2, result.output
    line = _one_error(result)
    assert expected in line and str(gold) in line


@pytest.mark.parametrize("path", ["/dev/zero", "/nonexistent/gold.jsonl"])
def test_evaluate_unreadable_gold(path):
    result = _run("evaluate", path)
    assert result.exit_code == 2 and path in _one_error(result)


# -- the API entry points ------------------------------------------------------------------------


def test_parse_api_refuses_a_bad_date_at_the_entry(monkeypatch):
    from tracker import parsing

    def never(*args, **kwargs):
        raise AssertionError("parse went past the date check")

    monkeypatch.setattr(parsing, "parse_article", never)
    with pytest.raises(tracker.InputError, match="garbage"):
        tracker.parse("Russian troops entered Zaporizke.", date="garbage")
    with pytest.raises(tracker.InputError):
        tracker.parse("Russian troops entered Zaporizke.", date="9999-12-31")


def test_where_api_refuses_a_5_mb_context_naming_the_cap(built):
    from tracker.whereis import MAX_CONTEXT_CHARS

    with pytest.raises(tracker.InvalidQuery) as info:
        tracker.where("Zorya", context="near Mezhova. " * 400_000)
    assert f"{MAX_CONTEXT_CHARS:,}" in str(info.value)


# -- unexpected errors, interrupts, I/O ----------------------------------------------------------


def _break_where(monkeypatch, exc: BaseException) -> None:
    import tracker.cli.where as cli_where

    def broken(*args, **kwargs):
        raise exc

    monkeypatch.setattr(cli_where, "check_options", broken)


def test_unexpected_exception_is_one_line_exit_70(monkeypatch):
    _break_where(monkeypatch, ZeroDivisionError("boom"))
    result = _run("where", "Zorya")
    assert result.exit_code == errors.EXIT_INTERNAL == 70
    line = _one_error(result)
    assert "internal error" in line and "ZeroDivisionError" in line
    assert "run with -v for details" in line
    assert len(result.stderr.splitlines()) == 1


def test_verbose_shows_the_traceback(monkeypatch):
    _break_where(monkeypatch, ZeroDivisionError("boom"))
    result = _run("-v", "where", "Zorya")
    assert result.exit_code == 70
    assert "Traceback" in result.stderr and "ZeroDivisionError: boom" in result.stderr


def test_ctrl_c_exits_130_with_one_line(monkeypatch):
    _break_where(monkeypatch, KeyboardInterrupt())
    result = _run("where", "Zorya")
    assert result.exit_code == 130
    assert result.stderr == "error: interrupted\n"


def test_os_error_exits_4(monkeypatch):
    _break_where(monkeypatch, OSError(5, "Input/output error", "/data/x.parquet"))
    result = _run("where", "Zorya")
    assert result.exit_code == 4
    line = _one_error(result)
    assert "Input/output error" in line and "/data/x.parquet" in line


def test_tracker_error_raised_outside_a_command_handler(monkeypatch):
    _break_where(monkeypatch, errors.DataDamaged("built data in /x is damaged (a); run it"))
    result = _run("where", "Zorya")
    assert result.exit_code == 3 and "damaged" in _one_error(result)


# -- encoding suggestions that decode the file correctly -----------------------------------------

LATIN1_FR = (
    "Les troupes russes sont entrées à Zaporizke, près de la frontière de l'oblast de "
    "Dnipropetrovsk. Selon l'état-major, la situation reste très difficile à Novoheorhiivka ; "
    "les habitants ont été évacués vers Dnipro.\n"
)
LATIN1_DE = (
    "Russische Truppen sind nach Angaben des Generalstabs in Saporischschja vorgerückt. Die "
    "Lage in der Nähe von Pokrowsk ist schwierig, hieß es; über Verluste wurde nichts gesagt.\n"
)
CP1251_UK = (
    "Російські війська увійшли в Запорізьке та Новогеоргіївку Дніпропетровської області, "
    "повідомили у Генштабі ЗСУ. «Ситуація складна», — заявив речник угруповання військ.\n"
)


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        (LATIN1_FR, "latin-1"),
        (LATIN1_DE, "latin-1"),
        (LATIN1_FR + "Prix : 5 €.\n", "cp1252"),
        (CP1251_UK, "cp1251"),
        (CP1251_UK.replace("«", '"').replace("»", '"').replace("—", "-"), "koi8-u"),
    ],
)
def test_encoding_suggestion_decodes_the_file(tmp_path, text, codec):
    from tracker.articles import ReadProblem, iter_articles

    path = tmp_path / "article.txt"
    data = text.encode(codec)
    path.write_bytes(data)
    [problem] = list(iter_articles([path]))
    assert isinstance(problem, ReadProblem) and "not UTF-8" in problem.message
    suggested = re.search(r"iconv -f (\S+) -t utf-8", problem.message)[1]
    assert data.decode(suggested) == text, (suggested, problem.message)


def test_mostly_utf8_file_is_told_to_fix_the_line(tmp_path):
    from tracker.articles import iter_articles

    path = tmp_path / "mixed.txt"
    path.write_bytes(CP1251_UK.encode("utf-8") + b"caf\xe9\n")
    [problem] = list(iter_articles([path]))
    assert "most of it is" in problem.message and "line 2" in problem.message
