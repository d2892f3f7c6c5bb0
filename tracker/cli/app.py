"""The ``tracker`` command group, its options and what every command shares.

No traceback reaches the user: every exception that leaves a command becomes one line on
stderr and an exit code by its class (:mod:`tracker.errors`): 0 ok, 1 place not found, 2 bad
input or usage, 3 data missing or damaged, 4 I/O error (disk full, read-only target, closed
pipe, any other ``OSError``), 70 internal error (a bug: "run with -v for details"; ``-v``
prints the traceback), 130 interrupted (Ctrl-C; SIGTERM also cleans up and exits 143).
Text printed for humans goes through :func:`tracker.terminal.clean`.
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import gc
import json
import logging
import os
import re
import signal
import sys
import traceback
from collections.abc import Iterator, Sequence
from typing import Any, NoReturn

import click

from ..errors import EXIT_CODES, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_IO, TrackerError
from ..terminal import CleanStream, clean, echo
from ..version import __version__

__all__ = ["Notices", "NumberArgsCommand", "dump", "echo", "fail", "main", "report"]

_VERBOSE = "tracker.verbose"
_QUIET = "tracker.quiet"
_EXIT_HELP = "\b\nExit codes:\n" + "\n".join(f"  {code:<4} {text}" for code, text in EXIT_CODES)


def _silence_stdout() -> None:
    """Point file descriptor 1 at /dev/null, so that the interpreter's last flush of a closed
    pipe or a full disk neither fails nor prints "Exception ignored"."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        fd = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(fd, sys.stdout.fileno())
        finally:
            os.close(fd)


def _stdout_fails() -> bool:
    """True when standard output cannot take what it holds (a full disk, a closed pipe)."""
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        return True
    return False


def _say(line: str) -> None:
    """One line on stderr, cleaned; a closed stderr is ignored."""
    with contextlib.suppress(OSError, ValueError):
        click.echo(clean(line), err=True)


def report(err: BaseException, *, verbose: int = 0) -> int:
    """Print *err* as one line on stderr (the traceback first with ``-v`` for unexpected
    errors) and return its exit code.

    Parameters
    ----------
    err : BaseException
        What stopped the command.
    verbose : int
        The ``-v`` count; from 1 on an unexpected error is printed with its traceback.

    Returns
    -------
    int
        The exit code (see :data:`tracker.errors.EXIT_CODES`).
    """
    if isinstance(err, KeyboardInterrupt):
        _say("error: interrupted")
        return EXIT_INTERRUPTED
    if isinstance(err, TrackerError):
        if getattr(err, "stdout", False):
            _silence_stdout()
        _say(f"error: {err}")
        return err.exit_code
    if isinstance(err, OSError):
        stdout_failed = _stdout_fails()
        _silence_stdout()
        if isinstance(err, BrokenPipeError) or err.errno == errno.EPIPE:
            _say("error: standard output was closed before everything was written (broken pipe)")
        elif stdout_failed and not err.filename:
            _say(f"error: cannot write to standard output: {err.strerror or err}")
        else:
            where = f" ({os.fsdecode(err.filename)!r})" if err.filename else ""
            _say(f"error: I/O error: {err.strerror or err}{where}")
        if verbose:
            _print_traceback(err)
        return EXIT_IO
    if verbose:
        _print_traceback(err)
    if isinstance(err, MemoryError):
        _say("error: out of memory; give smaller inputs (e.g. a lower --max-bytes)")
    else:
        _say(
            f"error: internal error ({type(err).__name__}: {err}); run with -v for details "
            "(tracker -v COMMAND ...), and please report it"
        )
    return EXIT_INTERNAL


def _print_traceback(err: BaseException) -> None:
    with contextlib.suppress(OSError, ValueError):
        text = "".join(traceback.format_exception(type(err), err, err.__traceback__))
        click.echo(clean(text, newlines=True), err=True, nl=False)


def fail(err: Exception) -> NoReturn:
    """Print *err* as one line on stderr and exit with its code (:mod:`tracker.errors`)."""
    ctx = click.get_current_context(silent=True)
    verbose = ctx.meta.get(_VERBOSE, 0) if ctx is not None else 0
    code = report(err, verbose=verbose) if isinstance(err, TrackerError | OSError) else None
    if code is None:
        _say(f"error: {err}")
        code = 2
    sys.exit(code)


def dump(obj: Any) -> str:
    """JSON for the terminal: sorted keys, UTF-8 kept, indented (valid UTF-8 always)."""
    from ..paths import unsurrogate

    return unsurrogate(
        json.dumps(obj, ensure_ascii=False, sort_keys=True, indent=2, default=str), in_json=True
    )


class Notices:
    """Print each distinct note once per command (``note: front line as of ...``), however
    many Notices the command makes; ``-q`` silences them."""

    def __init__(self) -> None:
        ctx = click.get_current_context(silent=True)
        self.seen: set[str] = (
            ctx.meta.setdefault("tracker.notes", set()) if ctx is not None else set()
        )

    def __call__(self, message: str | None) -> None:
        """Print *message* on stderr unless it was printed before (or is None)."""
        if not message or message in self.seen:
            return
        self.seen.add(message)
        ctx = click.get_current_context(silent=True)
        if ctx is not None and ctx.meta.get(_QUIET):
            return
        echo(f"note: {message}", err=True)


#: A positional argument that click would take for an option: a negative number or
#: coordinate pair ("-0,-0", "-47.5,36", "-.5 30", "-nan,1").
_NEGATIVE = re.compile(r"^-(?:\d|\.\d|nan\b|inf)", re.IGNORECASE)


class NumberArgsCommand(click.Command):
    """A command whose positional argument may start with ``-`` when it is a number or a
    LAT,LON pair (``tracker where -0,-0`` works without ``--``)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Move a negative-number positional behind ``--`` before click parses *args*."""
        takes_value = {
            opt
            for p in self.params
            if isinstance(p, click.Option) and not p.is_flag and not p.count
            for opt in (*p.opts, *p.secondary_opts)
        }
        out: list[str] = []
        moved: list[str] = []
        i = 0
        while i < len(args):
            arg = args[i]
            if arg == "--":
                out.extend(args[i:])
                break
            if arg in takes_value and i + 1 < len(args):
                out.extend(args[i : i + 2])
                i += 2
                continue
            if _NEGATIVE.match(arg):
                moved.append(arg)
            else:
                out.append(arg)
            i += 1
        if moved:
            if "--" in out:
                at = out.index("--") + 1
                out[at:at] = moved
            else:
                out += ["--", *moved]
        return super().parse_args(ctx, out)


#: ``gc.set_threshold`` of a command: a young-generation collection per 100,000 net container
#: allocations (Python's default: 700), an older one per 50 of those, a full one per 100
#: older ones (Python: 10 and 10; a full one also waits, as by default, until the objects
#: that survived since the last one are a quarter of the long-lived ones).
BATCH_GC_THRESHOLD = (100_000, 50, 100)


@contextlib.contextmanager
def _sigterm_cleans_up() -> Iterator[None]:
    """SIGTERM raises SystemExit(143) in the main thread, so that temporary files are removed."""

    def handler(signum: int, frame: Any) -> None:
        _say("error: terminated")
        raise SystemExit(128 + signum)

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except (ValueError, OSError):  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


_FROZEN_AT_EXIT: list[bool] = []


def _freeze_at_exit() -> None:
    """Have the process end with ``gc.freeze()`` (once per process; exit functions run before
    the interpreter's final collection, after every command has finished)."""
    if not _FROZEN_AT_EXIT:
        _FROZEN_AT_EXIT.append(True)
        atexit.register(gc.freeze)


class TrackerGroup(click.Group):
    """The command group: turns every exception into one line and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; report what it raises (:func:`report`) and exit with its code."""
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except BaseException as err:  # KeyboardInterrupt, OSError, bugs
            sys.exit(report(err, verbose=ctx.meta.get(_VERBOSE, 0)))

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """click's ``main``, with usage errors cleaned for the terminal and Ctrl-C exiting
        130 also while arguments are parsed.

        The tracker does no linear algebra, so OpenBLAS (loaded with NumPy) is kept to one
        thread unless ``OPENBLAS_NUM_THREADS`` says otherwise: starting its thread pool cost
        0.06-0.1 s CPU at every command's start, and ``--jobs`` workers would each have had
        one pool per core.

        The cyclic garbage collector runs less often (:data:`BATCH_GC_THRESHOLD`): a parse
        allocates millions of short-lived objects that reference counting frees, and leaves
        few cycles (about 2,000 objects in a 600 KB document), yet with Python's default
        thresholds the collector ran about 700 times on such a document and traversed every
        live object 5 times: 10 % of the CPU time. The cycles are still collected.

        At exit, every object still alive is moved out of the collector's reach
        (``gc.freeze``, :func:`_freeze_at_exit`): the interpreter's final collection would
        otherwise traverse all of them (the loaded data, the caches, the last document), about
        0.1 s after a long parse, only for their memory to go back to the system with the
        process anyway."""
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
        gc.set_threshold(*BATCH_GC_THRESHOLD)
        _freeze_at_exit()
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        with _sigterm_cleans_up():
            try:
                rv = super().main(args, prog_name, complete_var, False, **extra)
            except click.ClickException as err:
                err.show(file=CleanStream(sys.stderr))  # type: ignore[arg-type]
                sys.exit(err.exit_code)
            except click.Abort:
                _say("error: interrupted")
                sys.exit(EXIT_INTERRUPTED)
            except KeyboardInterrupt:
                _say("error: interrupted")
                sys.exit(EXIT_INTERRUPTED)
        sys.exit(rv if isinstance(rv, int) else 0)


@click.group(
    cls=TrackerGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=_EXIT_HELP,
)
@click.version_option(__version__, prog_name="tracker")
@click.option(
    "-v", "--verbose", count=True, help="More log output (repeatable); tracebacks of bugs."
)
@click.option("-q", "--quiet", is_flag=True, help="Only errors (no notes).")
@click.pass_context
def main(ctx: click.Context, verbose: int, quiet: bool) -> None:
    """Turn war reporting into verified geography (Ukraine)."""
    ctx.meta[_VERBOSE] = verbose
    ctx.meta[_QUIET] = quiet
    level = logging.ERROR if quiet else (logging.WARNING - 10 * verbose)
    logging.basicConfig(level=max(level, logging.DEBUG), format="%(levelname)s %(message)s")


def jobs_option(help: str) -> Any:
    """The ``-j/--jobs N`` option of the commands that parse (default None: every core)."""
    return click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, help=help)
