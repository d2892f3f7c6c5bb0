"""The ``tracker`` command group, its options and what every command shares.

Exit codes: 0 success, 1 place not found, 2 bad input (coordinates, oblast,
empty name, outside Ukraine, bad file), 3 data not built / sources missing.
"""

from __future__ import annotations

import json
import logging
import sys

import click

from .. import __version__

__all__ = ["dump", "fail", "main"]

_EXIT = {"PlaceNotFound": 1, "DataNotBuilt": 3, "SourceError": 3}


def fail(err: Exception) -> None:
    """Print *err* as one line on stderr and exit with its code."""
    click.echo(f"error: {err}", err=True)
    sys.exit(_EXIT.get(type(err).__name__, 2))


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
