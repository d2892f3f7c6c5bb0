"""``tracker evaluate``: accuracy against gold files.

The gold file's shape is checked before anything is evaluated: a bad line is one error
naming the file, the line and the field (``gold.jsonl:3: mentions[2].start is '12'; expected
an integer``).
"""

from __future__ import annotations

import json
from typing import Any

import click

from .app import dump, echo, fail, jobs_option, main

#: The largest gold file read (a development corpus is a few MB).
MAX_GOLD_BYTES = 500_000_000

_CORPUS_DOC = (("text", str, False), ("mentions", list, False), ("published", str, True))
_CORPUS_MENTION = (
    ("start", int, False),
    ("end", int, False),
    ("surface", str, False),
    ("type", str, False),
    ("katottg", str, True),
    ("oblast", str, True),
    ("hromada", str, True),
)
_QUESTION = (
    ("query", str, False),
    ("katottg", str, False),
    ("oblast", str, False),
    ("context_hint", str, True),
    ("hromada", str, True),
    ("katottg_alternatives", list, True),
)
_TYPE_NAMES = {str: "text", int: "an integer", list: "a list", dict: "an object"}


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _check_fields(where: str, row: dict, fields, prefix: str = "") -> None:
    from ..errors import InputError

    for name, kind, optional in fields:
        label = f"{prefix}{name}"
        if name not in row:
            if optional:
                continue
            raise InputError(f"{where}: field {label!r} is missing; expected {_TYPE_NAMES[kind]}")
        value = row[name]
        if value is None and optional:
            continue
        ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
        if not ok:
            raise InputError(
                f"{where}: field {label!r} is {_shown(value)}; expected {_TYPE_NAMES[kind]}"
            )


def check_gold(path: str) -> str:
    """The kind of a gold file (``"corpus"`` or ``"which-region"``), every line checked.

    Raises
    ------
    InputError
        Naming the line and the field that is wrong (or the file when it cannot be read).
    """
    from ..articles import read_bytes
    from ..errors import InputError

    data = read_bytes(path, max_bytes=MAX_GOLD_BYTES)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(
            f"{path}: is not UTF-8 (byte offset {err.start}); save it as UTF-8"
        ) from err
    kind = None
    rows = 0
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            raise InputError(
                f"{where}: is not valid JSON ({err.msg}, column {err.colno}); expected one "
                "object per line"
            ) from err
        if not isinstance(row, dict):
            raise InputError(
                f"{where}: is a JSON {type(row).__name__}, not an object; expected one object "
                "per line"
            )
        if kind is None:
            if "text" in row or "mentions" in row:
                kind = "corpus"
            elif "query" in row:
                kind = "which-region"
            else:
                raise InputError(
                    f"{where}: neither an annotated document (fields 'text' and 'mentions') "
                    "nor a which-region question (fields 'query', 'katottg', 'oblast')"
                )
        rows += 1
        if kind == "corpus":
            _check_fields(where, row, _CORPUS_DOC)
            for i, mention in enumerate(row["mentions"]):
                label = f"mentions[{i}]"
                if not isinstance(mention, dict):
                    raise InputError(
                        f"{where}: field {label!r} is {_shown(mention)}; expected an object"
                    )
                _check_fields(where, mention, _CORPUS_MENTION, prefix=f"{label}.")
                start, end = mention["start"], mention["end"]
                if not 0 <= start < end <= len(row["text"]):
                    raise InputError(
                        f"{where}: field '{label}.start'/'{label}.end' ({start}, {end}) is "
                        f"not a span of the text (0 <= start < end <= {len(row['text'])})"
                    )
        else:
            _check_fields(where, row, _QUESTION)
            if not row["query"].strip():
                raise InputError(f"{where}: field 'query' is empty; expected a place name")
    if kind is None:
        raise InputError(f"{path}: gold file holds no rows; expected one JSON object per line")
    return kind


def _label(path: str, taken: set[str]) -> str:
    """A short column name for a gold file: its folder ("dev", "dev2"), else its stem."""
    from pathlib import Path

    p = Path(path)
    for name in (p.parent.name, p.stem, str(p)):
        if name and name not in taken:
            return name
    return str(p)


@main.command()
@click.argument("gold", nargs=-1, required=True)
@click.option("--errors", "show_errors", is_flag=True, help="List every miss with its context.")
@click.option("--json", "as_json", is_flag=True)
@jobs_option("Worker processes for parsing a corpus (default: every core; 1: serial).")
def evaluate(gold, show_errors, as_json, jobs):
    """Measure accuracy on gold files: annotated corpora (documents with "text" and
    "mentions") or which-region questions ("query", "context_hint"). Several files of one
    kind are printed side by side (e.g. dev and dev2)."""
    from ..claims.evaluate import evaluate_claims_file
    from ..errors import InputError, TrackerError
    from ..evaluate import evaluate_corpus, evaluate_which_region, side_by_side

    try:
        kinds = {path: check_gold(path) for path in gold}
        if len(set(kinds.values())) > 1:
            raise InputError(
                "the gold files mix annotated corpora and which-region questions; "
                "evaluate each kind in its own command"
            )
        taken: set[str] = set()
        reports: dict[str, Any] = {}
        claims: dict[str, Any] = {}
        for path, kind in kinds.items():
            name = _label(path, taken)
            taken.add(name)
            if kind == "corpus":
                reports[name] = evaluate_corpus(path, jobs=jobs)
                found = evaluate_claims_file(path)  # documents with gold "claims"
                if found:
                    claims[name] = found
            else:
                reports[name] = evaluate_which_region(path)
    except TrackerError as err:
        fail(err)
    if as_json:
        out = {}
        for name, report in reports.items():
            item = report.to_dict(errors=show_errors)
            if name in claims:
                item["claims"] = claims[name].to_dict(errors=show_errors)
            out[name] = item
        echo(raw=True, message=dump(out if len(out) > 1 else next(iter(out.values()))))
        return
    if len(reports) == 1:
        report = next(iter(reports.values()))
        echo(report.summary())
    else:
        echo(side_by_side(reports))
    for name, found in claims.items():
        echo(found.summary() if len(claims) == 1 else f"{name}:\n{found.summary()}")
    if show_errors:
        for name, report in reports.items():
            for e in [*report.errors, *(claims[name].errors if name in claims else [])]:
                echo(dump({"gold": name, **e} if len(reports) > 1 else e), raw=True)
