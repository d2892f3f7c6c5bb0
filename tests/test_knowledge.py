"""Every knowledge file is well-formed: lists without duplicates, tables that parse, patterns
that compile, and lists that must not overlap do not."""

from __future__ import annotations

import re

import pytest

from tracker import knowledge
from tracker.names import fold

LISTS = [f.removesuffix(".txt") for f in knowledge.files() if f.endswith(".txt")]
TABLES = [f.removesuffix(".toml") for f in knowledge.files() if f.endswith(".toml")]


def _strings(value, path=""):
    if isinstance(value, str):
        yield path, value
    elif hasattr(value, "items"):
        for k, v in value.items():
            yield from _strings(v, f"{path}.{k}" if path else k)
    elif isinstance(value, tuple):
        for i, v in enumerate(value):
            yield from _strings(v, f"{path}[{i}]")


@pytest.mark.parametrize("name", LISTS)
def test_word_list_has_no_duplicates(name):
    seen: dict[str, str] = {}
    for entry in knowledge.entries(name):
        key = fold(entry)
        assert key, f"{name}.txt: {entry!r} folds to nothing"
        assert key not in seen, f"{name}.txt lists {entry!r} twice (as {seen[key]!r})"
        seen[key] = entry


@pytest.mark.parametrize("name", TABLES)
def test_table_parses_and_its_patterns_compile(name):
    data = knowledge.table(name)
    for path, value in _strings(data):
        last = path.rsplit(".", 1)[-1].split("[")[0]
        if last == "pattern" or last.endswith("_pattern") or path.startswith("patterns"):
            re.compile(value)


def test_files_are_found_from_the_package():
    assert "titles.txt" in knowledge.files()
    assert "president" in knowledge.words("titles")
