"""Terminal output is inert: control characters from articles never reach a terminal raw."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.cli import main
from tracker.terminal import CleanStream, clean

#: Characters a terminal acts on (or that reorder text), each with how it must be shown.
HOSTILE = {
    "\x1b": "\\x1b",  # ESC: colours, cursor moves, window titles, OSC 8 links
    "\x07": "\\x07",  # BEL
    "\r": "\\r",  # CR: overwrite the line
    "\x08": "\\x08",  # backspace
    "\x00": "\\x00",
    "\x7f": "\\x7f",  # DEL
    "\x9b": "\\x9b",  # C1 CSI
    "\x85": "\\x85",  # C1 NEL
    "\u202e": "\\u202e",  # RIGHT-TO-LEFT OVERRIDE
    "\u2066": "\\u2066",  # LEFT-TO-RIGHT ISOLATE
    "\u200f": "\\u200f",  # RIGHT-TO-LEFT MARK
    "\u2028": "\\u2028",  # LINE SEPARATOR
}


def _raw_controls(text: str) -> list[str]:
    """The hostile characters (and any C0 but tab/newline) that *text* still holds."""
    bad = set(HOSTILE) | {chr(c) for c in range(0x20) if chr(c) not in "\t\n"}
    return sorted({ch for ch in text if ch in bad})


@pytest.mark.parametrize(("char", "shown"), sorted(HOSTILE.items()))
def test_clean_shows_each_control_escaped(char, shown):
    out = clean(f"Zorya{char}taken")
    assert out == f"Zorya{shown}taken"
    assert not _raw_controls(out)


def test_clean_keeps_text_tabs_and_optionally_newlines():
    text = "Запорізьке\tNovoheorhiivka — «occupied» 🇺🇦"
    assert clean(text) == text
    assert clean("a\nb") == "a\\nb"
    assert clean("a\nb", newlines=True) == "a\nb"
    assert clean("a\r\nb", newlines=True) == "a\\r\nb"


def test_clean_escape_sequences_are_inert():
    title = "\x1b]0;pwned\x07\x1b[2J\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\"
    out = clean(title)
    assert "\x1b" not in out and "\x07" not in out
    assert out.count("\\x1b") == title.count("\x1b")


def test_clean_file_names_that_are_not_utf8_get_replacement_characters():
    name = os.fsdecode(b"caf\xe9.txt")  # U+DCE9, a lone surrogate
    assert clean(name) == "caf\ufffd.txt"
    clean(name).encode("utf-8")  # printable


def test_clean_stream_cleans_what_click_writes():
    import io

    buf = io.StringIO()
    stream = CleanStream(buf)
    stream.write("Error: No such option: --\x1b[31mjson\n")
    assert buf.getvalue() == "Error: No such option: --\\x1b[31mjson\n"


def test_usage_errors_quote_input_inertly():
    result = CliRunner().invoke(main, ["where", "Zorya", "--\x1b[31mjson"])
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr and "\\x1b" in result.stderr


# -- commands ------------------------------------------------------------------------------------

ARTICLE = (
    "Russian troops entered Zaporizke and Novoheorhiivka in the Dnipropetrovsk region, "
    "the Russian Defence Ministry claimed.\n"
)
EVIL_TITLE = "NBC\x1b]0;owned\x07 \u202eevil\u202c\r report"


@pytest.fixture
def hostile_article(tmp_path) -> Path:
    path = tmp_path / "a.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    sidecar = {"title": EVIL_TITLE, "date": "2025-08-27"}
    (tmp_path / "a.json").write_text(json.dumps(sidecar), encoding="utf-8")
    return path


def test_history_prints_article_titles_inert(built, hostile_article):
    result = CliRunner().invoke(
        main, ["history", "UA12140050040024246", "--articles", str(hostile_article)]
    )
    assert result.exit_code == 0, result.output
    assert "claim:" in result.stdout and "NBC" in result.stdout
    assert not _raw_controls(result.stdout), repr(result.stdout)
    assert "\\x1b]0;owned\\x07" in result.stdout and "\\u202e" in result.stdout


def test_history_json_is_unchanged_data(built, hostile_article):
    result = CliRunner().invoke(
        main, ["history", "UA12140050040024246", "--articles", str(hostile_article), "--json"]
    )
    assert result.exit_code == 0, result.output
    titles = {e.get("article") for e in json.loads(result.stdout)["timeline"]} - {None}
    assert titles and all("\x1b]0;owned\x07" in t and "\u202e" in t for t in titles)


def test_csv_output_is_unchanged_data(built, hostile_article):
    result = CliRunner().invoke(main, ["parse", str(hostile_article), "--csv"])
    assert result.exit_code == 0, result.output
    assert "\x1b]0;owned\x07" in result.stdout  # CSV is data: the title is not altered


def test_where_evidence_quotes_context_inert(built):
    context = "near \x1b[31mMezhova\x1b[0m\r, southeast of Pokrovske"
    result = CliRunner().invoke(main, ["where", "Zaporizke", "--context", context, "--evidence"])
    assert result.exit_code == 0, result.output
    assert not _raw_controls(result.stdout), repr(result.stdout)


def test_error_messages_quoting_paths_are_inert(tmp_path, built):
    missing = tmp_path / "news\x1b[2J\u202e.txt"
    result = CliRunner().invoke(main, ["parse", str(missing)])
    assert result.exit_code == 2
    assert "no such file" in result.stderr
    assert not _raw_controls(result.stderr), repr(result.stderr)
    assert "\\x1b[2J" in result.stderr


def test_status_of_a_hostile_place_name_is_inert(built):
    result = CliRunner().invoke(main, ["status", "Zaporizke\x1b[2J\x07"])
    assert result.exit_code in (1, 2)
    assert not _raw_controls(result.stderr), repr(result.stderr)
