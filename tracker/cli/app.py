"""The ``tracker`` command group, its options and what every command shares.

Exit codes: see :mod:`tracker.errors` (0 ok, 1 place not found, 2 bad input or usage,
3 data missing or damaged, 4 I/O error, 130 interrupted).
"""

from __future__ import annotations

import json
import logging
import sys

import click

from ..version import __version__

__all__ = ["dump", "fail", "main"]


def fail(err: Exception) -> None:
    """Print *err* as one line on stderr and exit with its code (:mod:`tracker.errors`)."""
    from ..errors import TrackerError

    click.echo(f"error: {err}", err=True)
    sys.exit(err.exit_code if isinstance(err, TrackerError) else 2)


def dump(obj) -> str:
    """JSON for the terminal: sorted keys, UTF-8 kept, indented."""
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=2, default=str)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tracker")
@click.option("-v", "--verbose", count=True, help="More log output (repeatable).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors.")
def main(verbose: int, quiet: bool) -> None:
    """Turn war reporting into verified geography (Ukraine)."""
    level = logging.ERROR if quiet else (logging.WARNING - 10 * verbose)
    logging.basicConfig(level=max(level, logging.DEBUG), format="%(levelname)s %(message)s")
