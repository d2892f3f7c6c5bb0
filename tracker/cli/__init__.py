"""The ``tracker`` command: a thin layer that parses arguments, calls the public API and prints.

One module per group of commands; importing this package registers them all on :func:`main`.
"""

from __future__ import annotations

from . import data, evaluate, frontline, parse, store, where  # noqa: F401  (registers the commands)
from .app import main

__all__ = ["main"]

if __name__ == "__main__":  # pragma: no cover
    main()
