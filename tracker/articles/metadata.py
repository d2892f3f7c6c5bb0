"""Metadata of an article (title, url, date), each with where it came from: the YAML front
matter between two ``---`` lines at the start of a text or Markdown file, and the JSON sidecar
beside a file (``x.meta.json``, else ``x.json``, for ``x.txt``)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .problems import ReadFailure
from .read import read_regular
from .selection import stem
from .sizes import SIDECAR_MAX_BYTES

__all__ = ["Meta", "front_matter", "pick_meta", "read_sidecar"]

#: ``{"title" | "url" | "date": (value, where it came from)}``.
Meta = dict[str, tuple[Any, str]]

_SPACES = re.compile(r"\s+")


def pick_meta(values: dict, where: str, display: str) -> Meta:
    """title/url/date (each with where it came from) out of a front matter or sidecar dict.

    Parameters
    ----------
    values : dict
        The mapping read (keys matched case-insensitively): ``title``; ``url``,
        ``source_url`` or a ``source`` holding ``://``; ``date`` or ``published``.
    where : str
        Where it was read (``"front matter"``, ``"sidecar x.json"``).
    display : str
        The document, for messages.

    Returns
    -------
    Meta

    Raises
    ------
    ReadFailure
        When the title or url is a list or mapping.
    """
    lowered = {str(k).strip().lower(): v for k, v in values.items()}
    out: Meta = {}
    for key in ("title", "url", "source_url", "source"):
        value = lowered.get(key)
        if value is None or (key == "source" and "://" not in str(value)):
            continue
        field = "title" if key == "title" else "url"
        if field in out:
            continue
        if isinstance(value, (dict, list)):
            raise ReadFailure(f"{display}: {key!r} in {where} must be text, not a list or mapping")
        text = _SPACES.sub(" ", str(value)).strip()
        if text:
            out[field] = (text, where)
    for key in ("date", "published"):
        if lowered.get(key) is not None:
            out["date"] = (lowered[key], f"{key!r} in {where}")
            break
    return out


def read_sidecar(path: Path, display: str) -> Meta:
    """Metadata from ``x.meta.json`` (preferred) or ``x.json`` beside *path*.

    Parameters
    ----------
    path : Path
        The article file.
    display : str
        Its name in messages.

    Returns
    -------
    Meta
        Empty when there is no sidecar.

    Raises
    ------
    ReadFailure
        When the sidecar is not UTF-8, not a JSON object, or cannot be read.
    """
    name = stem(path)
    for candidate in (path.with_name(f"{name}.meta.json"), path.with_name(f"{name}.json")):
        if not candidate.is_file():
            continue
        where = f"sidecar {candidate.name}"
        try:
            raw = read_regular(candidate, f"{display}: {where}", SIDECAR_MAX_BYTES).decode(
                "utf-8-sig"
            )
            value = json.loads(raw)
        except UnicodeDecodeError:
            raise ReadFailure(f"{display}: {where} is not UTF-8") from None
        except json.JSONDecodeError as err:
            raise ReadFailure(
                f"{display}: {where} is not valid JSON (line {err.lineno}, column {err.colno}: "
                f"{err.msg}); expected an object such as "
                '{"title": "...", "url": "https://...", "date": "2025-08-27"}'
            ) from None
        except OSError as err:
            raise ReadFailure(f"{display}: cannot read {where}: {err.strerror or err}") from None
        if not isinstance(value, dict):
            raise ReadFailure(
                f"{display}: {where} holds a JSON {type(value).__name__}, not an object with "
                "title/url/date"
            )
        return pick_meta(value, where, display)
    return {}


def front_matter(text: str, display: str) -> tuple[Meta, int]:
    """Metadata of a leading ``---`` block, and the offset just past it (0 when none).

    Parameters
    ----------
    text : str
        The document.
    display : str
        Its name in messages.

    Returns
    -------
    (Meta, int)

    Raises
    ------
    ReadFailure
        When the block is never closed or is not ``key: value`` YAML (naming the line).
    """
    first_end = text.find("\n")
    first = text if first_end < 0 else text[:first_end]
    if first.rstrip() != "---":
        return {}, 0
    offset = len(first) + 1
    line_no = 1
    while offset <= len(text):
        end = text.find("\n", offset)
        line = text[offset:] if end < 0 else text[offset:end]
        line_no += 1
        if line.rstrip() in ("---", "..."):
            block = text[len(first) + 1 : offset]
            body_start = len(text) if end < 0 else end + 1
            return _parse_front_matter(block, display, line_no), body_start
        if end < 0:
            break
        offset = end + 1
    raise ReadFailure(
        f"{display}: malformed front matter at line 1: the '---' that opens it is never "
        "closed; end it with a line '---'"
    )


def _parse_front_matter(block: str, display: str, close_line: int) -> Meta:
    import yaml  # only for a document with front matter (a tenth of a one-line parse's start)

    try:
        values = yaml.safe_load(block)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = 2 + mark.line if mark is not None else 2
        problem = err.problem or err.context or "invalid YAML"
        raise ReadFailure(
            f"{display}: malformed front matter at line {line}: {problem}; "
            "expected 'key: value' lines between two '---' lines"
        ) from None
    except yaml.YAMLError as err:
        raise ReadFailure(
            f"{display}: malformed front matter (lines 1-{close_line}): {err}"
        ) from None
    if values is None:
        return {}
    if not isinstance(values, dict):
        raise ReadFailure(
            f"{display}: malformed front matter at line 2: lines 1-{close_line} are not "
            "'key: value' lines"
        )
    return pick_meta(values, "front matter", display)
