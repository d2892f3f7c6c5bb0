"""``python -m tracker ...``: the same command line as the ``tracker`` script."""

from __future__ import annotations

if __name__ == "__main__":
    from tracker.cli import main

    main(prog_name="tracker")
