"""Which files are articles: the article extensions, the files of a directory that are read
(not a README, LICENSE or CHANGELOG — ``knowledge/not_article_files.txt`` — nor hidden, or
those ``--glob`` names), and what was skipped, said once per directory."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Sequence
from pathlib import Path

from ..knowledge import entries
from .kinds import not_an_article, os_problem
from .problems import ReadProblem

__all__ = [
    "ARTICLE_SUFFIXES",
    "NOT_ARTICLES",
    "expand_dir",
    "globs",
    "is_article_name",
    "skipped_message",
    "stem",
]

#: File extensions read when a directory is expanded, and the format each one means.
ARTICLE_SUFFIXES: dict[str, str] = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}

#: Files of a directory that are not articles whatever their extension (case-insensitive).
NOT_ARTICLES: tuple[str, ...] = entries("not_article_files")

_Skip = Callable[[str, os.DirEntry[str]], None]


def globs(glob: str | Sequence[str] | None) -> tuple[str, ...] | None:
    """The ``glob`` argument as a tuple of patterns; None for none (empty patterns dropped)."""
    if glob is None:
        return None
    patterns = (glob,) if isinstance(glob, str) else tuple(glob)
    return tuple(p for p in patterns if p) or None


def is_article_name(name: str) -> bool:
    """The default rule of a directory: an article extension, and not a README & co.

    Parameters
    ----------
    name : str
        A file name.

    Returns
    -------
    bool
    """
    if Path(name).suffix.lower() not in ARTICLE_SUFFIXES:
        return False
    return not name.lower().startswith(NOT_ARTICLES)


def _chosen(rel: str, name: str, glob: tuple[str, ...]) -> bool:
    from fnmatch import fnmatchcase

    return any(fnmatchcase(rel if "/" in g else name, g) for g in glob)


def stem(path: Path) -> str:
    """The file name without its article extension (``x`` for ``x.md``, ``x.txt.bak`` kept).

    Parameters
    ----------
    path : Path
        A file.

    Returns
    -------
    str
        The article id a file gets, and the stem of its sidecars.
    """
    name = path.name
    for suffix in sorted(ARTICLE_SUFFIXES, key=len, reverse=True):
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return path.stem or name


def skipped_message(
    display: str, skipped: dict[str, list[str]], glob: tuple[str, ...] | None
) -> str:
    """``DIR: skipped 3 files (not articles: README.md, LICENSE; hidden: 1); ...``

    Parameters
    ----------
    display : str
        The directory.
    skipped : dict of str to list of str
        The files left out, by reason (as :func:`expand_dir` fills it).
    glob : tuple of str, optional
        The patterns used, if any (for the hint).

    Returns
    -------
    str
    """
    total = sum(len(v) for v in skipped.values())
    parts = []
    order = ("not articles", "not matching --glob", "hidden")
    for why, names in sorted(skipped.items(), key=lambda kv: order.index(kv[0])):
        shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        parts.append(f"{why}: {shown}" if why != "hidden" else f"hidden: {len(names)}")
    hint = "--glob PATTERN chooses others" if glob is None else "change --glob to choose others"
    noun = "file" if total == 1 else "files"
    return f"{display}: skipped {total} {noun} ({'; '.join(parts)}); {hint}"


def expand_dir(
    root: Path,
    problems: list[ReadProblem],
    *,
    glob: tuple[str, ...] | None = None,
    skipped: dict[str, list[str]] | None = None,
) -> tuple[list[Path], list[ReadProblem]]:
    """Article files under *root*, recursively, sorted; hidden entries skipped.

    The files read are those of :func:`is_article_name` (an article extension, not a README,
    LICENSE or CHANGELOG), or, with *glob*, those a pattern names. JSON files are sidecars and
    are neither read nor counted; everything else left out is added to *skipped* by reason
    (``"not articles"``, ``"not matching --glob"``, ``"hidden"``) when it is given.

    Parameters
    ----------
    root : Path
        The directory.
    problems : list of ReadProblem
        Added to: a directory that cannot be listed, a symlink loop and an article-named
        entry that is not a regular file (a FIFO called ``x.txt``).
    glob : tuple of str, optional
        Shell patterns (see :func:`globs`): one without ``/`` matches file names, one with
        ``/`` the path below *root*.
    skipped : dict of str to list of str, optional
        Filled with the paths (below *root*) left out, by reason.

    Returns
    -------
    (list of Path, list of ReadProblem)
        The files, sorted by their path below *root*, and *problems*.
    """
    skip = _skipper(root, skipped)
    found: list[Path] = []
    pending = [root]
    while pending:
        folder = pending.pop()
        entries_ = _list_dir(folder, problems)
        for entry in sorted(entries_, key=lambda e: e.name):
            if entry.name.startswith("."):
                skip("hidden", entry)
                continue
            try:
                mode = _mode_to_read(entry, root, glob, skip, pending)
            except OSError as err:
                problems.append(_entry_problem(entry, err))
                continue
            if mode is None:
                continue
            if stat.S_ISREG(mode):
                found.append(Path(entry.path))
            elif not stat.S_ISDIR(mode):  # a symlink to a directory is not followed
                shown = os.fsdecode(entry.path)
                problems.append(
                    ReadProblem(shown, f"{shown}: {not_an_article(mode)}; skipped", False)
                )
    return sorted(found, key=lambda p: p.relative_to(root).parts), problems


def _skipper(root: Path, skipped: dict[str, list[str]] | None) -> _Skip:
    """What notes an entry left out, by reason, in *skipped* (when it is given)."""

    def skip(why: str, entry: os.DirEntry[str]) -> None:
        if skipped is not None:
            rel = Path(entry.path).relative_to(root).as_posix()
            skipped.setdefault(why, []).append(rel)

    return skip


def _list_dir(folder: Path, problems: list[ReadProblem]) -> list[os.DirEntry[str]]:
    """The entries of *folder*; none, with a problem added, when it cannot be listed."""
    try:
        with os.scandir(folder) as it:
            return list(it)
    except OSError as err:
        shown = os.fsdecode(folder)
        why = "permission denied" if err.errno == errno.EACCES else (err.strerror or str(err))
        problems.append(
            ReadProblem(
                shown, f"{shown}: cannot list the directory: {why}; its articles are skipped"
            )
        )
        return []


def _mode_to_read(
    entry: os.DirEntry[str],
    root: Path,
    glob: tuple[str, ...] | None,
    skip: _Skip,
    pending: list[Path],
) -> int | None:
    """The stat mode of an entry chosen for reading; None for a sub-directory (added to
    *pending*), a sidecar or an entry left out (given to *skip*)."""
    path = Path(entry.path)
    if entry.is_dir(follow_symlinks=False):
        pending.append(path)
        return None
    if entry.name.lower().endswith(".json"):
        return None  # sidecars (metadata of the article beside them)
    if glob is not None:
        if not _chosen(path.relative_to(root).as_posix(), entry.name, glob):
            skip("not matching --glob", entry)
            return None
    elif not is_article_name(entry.name):
        skip("not articles", entry)
        return None
    return os.stat(entry.path).st_mode


def _entry_problem(entry: os.DirEntry[str], err: OSError) -> ReadProblem:
    shown = os.fsdecode(entry.path)
    if err.errno == errno.ENOENT:
        return ReadProblem(shown, f"{shown}: is a symlink to a missing file; skipped", False)
    return ReadProblem(shown, f"{shown}: {os_problem(err)}")
