"""What the tracker knows about language and the war, kept as data files next to this module.

Word lists are ``.txt`` files (one entry a line; ``#`` starts a comment; blank lines are
ignored), tables are ``.toml`` files. Code never spells these lists out: it asks this module,
which reads each file once (:mod:`importlib.resources`, so it works from a wheel) and returns
typed, immutable values. (Folding entries for matching is :func:`tracker.cues.words`: this
module reads files and depends on nothing else of the tracker.)

Examples
--------
>>> "president" in entries("titles")
True
>>> entries("titles")[:2]
('president', 'minister')
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any, Literal

__all__ = ["LevelWord", "entries", "files", "level_words", "pattern", "read_text", "table"]


def read_text(name: str) -> str:
    """The text of knowledge file *name* (a path under ``knowledge/``, e.g.
    ``"claims/triggers.toml"``); OSError when there is none."""
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


def files() -> tuple[str, ...]:
    """Every knowledge file shipped with the package (``.txt`` and ``.toml``), sorted."""
    root = resources.files(__name__)
    found: list[str] = []

    def walk(node: Any, prefix: str) -> None:
        for child in node.iterdir():
            if child.is_dir():
                walk(child, f"{prefix}{child.name}/")
            elif child.name.endswith((".txt", ".toml")):
                found.append(prefix + child.name)

    walk(root, "")
    return tuple(sorted(found))


@cache
def entries(name: str) -> tuple[str, ...]:
    """The entries of word list *name* (``knowledge/<name>.txt``), in file order.

    Text after ``#`` is a comment; surrounding white space is dropped; blank lines are skipped.
    """
    out = []
    for line in read_text(f"{name}.txt").splitlines():
        text = line.split("#", 1)[0].strip()
        if text:
            out.append(text)
    return tuple(out)


def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


@cache
def table(name: str) -> Mapping[str, Any]:
    """Table *name* (``knowledge/<name>.toml``) as a read-only mapping (lists become tuples)."""
    return _freeze(tomllib.loads(read_text(f"{name}.toml")))


@cache
def pattern(name: str, key: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """The regular expression ``key`` of table *name*, compiled once."""
    value = table(name)
    for part in key.split("."):
        value = value[part]
    if not isinstance(value, str):
        raise TypeError(f"`key` {key!r} of knowledge table {name!r} is not a pattern string")
    return re.compile(value, flags)


Level = Literal["O", "P", "H", "S", "river"]
Use = Literal["build", "query", "text", "plural"]


@dataclass(frozen=True, slots=True)
class LevelWord:
    """A word naming the level of a unit ("oblast", "raion"), from ``levels.toml``."""

    text: str
    level: Level
    uses: frozenset[Use]

    @property
    def plural(self) -> str:
        """The English plural the mention detector reads after a list ("oblasts")."""
        return self.text + "s"


@cache
def level_words(use: Use | None = None) -> tuple[LevelWord, ...]:
    """The level words of ``levels.toml`` (only those with *use*, when given), in file order.

    Examples
    --------
    >>> [w.text for w in level_words("plural") if w.level == "O"]
    ['oblast', 'region', 'province']
    """
    out = []
    for row in table("levels")["word"]:
        word = LevelWord(row["text"], row["level"], frozenset(row["uses"]))
        if use is None or use in word.uses:
            out.append(word)
    return tuple(out)
