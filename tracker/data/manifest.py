"""What a build is, where it lives, and how it is checked before anything trusts it.

A data directory ``DIR`` holds::

    DIR/current               the pointer: the id of the build in use, one line
    DIR/.builds/<id>/         one complete build: every table as Parquet, plus manifest.json
    DIR/.lock, .lock.owner    the build lock and the pid of its holder (:mod:`tracker.data.lock`)

``manifest.json`` records the size, sha256 and row count of every table. Every command checks a
build cheaply when it loads it (:func:`open_build`: the manifest parses and has every key, each
file has its recorded size and the Parquet magic ``PAR1`` at both ends); ``tracker data status
--verify`` also hashes every file (``full=True``). Anything else is reported as
:class:`~tracker.errors.DataDamaged` (exit code 3) naming the file, never as a traceback.

The data directory itself is never renamed (so it can be a mount point): a new build is written
beside the old one and the pointer is switched with one atomic rename
(:mod:`tracker.data.publish`). A reader resolves the pointer once and holds a shared lease on
the build it got (:class:`tracker.data.lock.Lease`), so a build is never deleted under it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import stat
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import DataDamaged, DataNotBuilt
from .lock import Lease, LeaseBusy

__all__ = [
    "ARRAY_TABLES",
    "BUILDS",
    "BUILD_HINT",
    "FORMAT_VERSION",
    "MANIFEST",
    "OPTIONAL_TABLES",
    "POINTER",
    "REQUIRED_KEYS",
    "TABLES",
    "Build",
    "check_build",
    "damaged",
    "file_entry",
    "is_build_id",
    "new_build_id",
    "open_build",
    "read_pointer",
]

#: Bump when the layout of the built data changes; loading an older build asks for a rebuild.
#: 7: builds in ``DIR/.builds/<id>`` behind the ``DIR/current`` pointer; sizes and sha256 in the
#: manifest. 8: state borders. 9: no spelling "nan" for settlements GeoNames does not know.
FORMAT_VERSION = 9

#: The tables of a build, each written as ``<name>.parquet``.
TABLES = (
    "places",
    "names",
    "skeletons",
    "oblasts",
    "raions",
    "hromadas",
    "borders",
    "frontline",
    "control",
    "interior",
)
#: Tables a build of this version writes and a reader uses when present (an older build of the
#: same format lacks them; the reader then computes them in the process): the foreign-place
#: index and the first words of multi-word spellings (fast start).
OPTIONAL_TABLES = ("foreign", "first_words")
#: Optional arrays a build of this version writes as uncompressed NumPy archives
#: (``<name>.npz``, :mod:`tracker.data.lookup`): what a command looks up at start (the
#: gazetteer's columns and name indexes, the first words, the foreign-place index), read
#: without pandas. A build without them is read as before. Their ``rows`` in the manifest are
#: the number of arrays.
ARRAY_TABLES = ("lookup",)
#: The command every "built data missing or damaged" message names.
BUILD_HINT = "tracker data build --sources ../shared/geodata"

MANIFEST = "manifest.json"
POINTER = "current"
BUILDS = ".builds"

#: Keys every manifest has (``tracker data status`` prints them).
REQUIRED_KEYS = frozenset(
    {
        "format",
        "build_id",
        "tracker_version",
        "built_at",
        "build_seconds",
        "sources_dir",
        "inputs",
        "katottg_edition",
        "counts",
        "coverage",
        "deepstate",
        "files",
    }
)
#: Tables that must have at least one row (no front-line snapshot: no front-line answers).
_NOT_EMPTY = ("places", "names", "oblasts", "frontline")

_MAGIC = b"PAR1"
#: A zip file (``numpy.savez``) starts with a local file header and, without a comment, ends
#: with the 22-byte end-of-central-directory record.
_ZIP_START = b"PK\x03\x04"
_ZIP_END = b"PK\x05\x06"
_MAX_MANIFEST_BYTES = 16 << 20
_MAX_POINTER_BYTES = 256
_CHUNK = 1 << 20
_ID = re.compile(r"[0-9]{8}T[0-9]{6}Z-[0-9]{1,10}-[0-9a-f]{6}")
_SHA = re.compile(r"[0-9a-f]{64}")
#: How often a reader re-resolves the pointer when it moves under it (a build being swapped).
_ATTEMPTS = 200


def new_build_id() -> str:
    """A fresh build id: UTC time, pid and a random suffix (``20261123T062421Z-4711-a1b2c3``)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"{stamp}-{os.getpid()}-{secrets.token_hex(3)}"


def is_build_id(name: str) -> bool:
    """True when *name* has the shape of a build id (and so is safe as a path component)."""
    return _ID.fullmatch(name) is not None


def damaged(root: Path, file: str, reason: str) -> DataDamaged:
    """The one-line error for a damaged build: names the data directory, the file and the fix."""
    return DataDamaged(f"built data in {root} is damaged ({file}: {reason}); run `{BUILD_HINT}`")


def _not_built(root: Path, why: str = "") -> DataNotBuilt:
    return DataNotBuilt(
        f"no built data in {root}{why}; run `{BUILD_HINT}` "
        "(or set TRACKER_DATA_DIR to a built directory)"
    )


def _open(path: Path) -> int:
    """Open *path* read-only (a seam for tests that simulate unreadable files)."""
    return os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))


def _reason(err: OSError) -> str:
    if isinstance(err, PermissionError):
        return "unreadable: permission denied"
    if isinstance(err, IsADirectoryError):
        return "unreadable: a directory, not a file"
    return f"unreadable: {err.strerror or err}"


def _read_small(root: Path, path: Path, rel: str, limit: int) -> bytes:
    """The bytes of a small regular file, or the damage that stops reading it."""
    try:
        fd = _open(path)
    except FileNotFoundError as err:
        raise damaged(root, rel, "missing") from err
    except OSError as err:
        raise damaged(root, rel, _reason(err)) from err
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise damaged(root, rel, "not a regular file")
        if info.st_size > limit:
            raise damaged(root, rel, f"too large ({info.st_size:,} bytes)")
        chunks, size = [], 0
        while size <= limit:
            block = os.read(fd, _CHUNK)
            if not block:
                break
            chunks.append(block)
            size += len(block)
        return b"".join(chunks)
    except DataNotBuilt:
        raise
    except OSError as err:
        raise damaged(root, rel, _reason(err)) from err
    finally:
        os.close(fd)


def read_pointer(root: Path) -> str:
    """The id of the build that ``root/current`` names.

    Raises
    ------
    DataNotBuilt
        When *root* holds no build (or only one of the old, pre-pointer layout).
    DataDamaged
        When the pointer is unreadable or does not name a build.
    """
    pointer = root / POINTER
    if not os.path.lexists(pointer):
        if not root.is_dir():
            raise _not_built(root, "" if not root.exists() else " (not a directory)")
        if (root / MANIFEST).is_file():
            raise DataNotBuilt(
                f"the data in {root} has the layout of an older tracker (manifest.json without "
                f"a `current` pointer); run `{BUILD_HINT}`"
            )
        raise _not_built(root)
    raw = _read_small(root, pointer, POINTER, _MAX_POINTER_BYTES)
    try:
        build_id = raw.decode("ascii").strip()
    except UnicodeDecodeError:
        build_id = ""
    if not is_build_id(build_id):
        raise damaged(root, POINTER, "does not name a build")
    return build_id


def file_entry(path: Path, rows: int) -> dict[str, Any]:
    """``{"size", "sha256", "rows"}`` of a written table, as the manifest records it."""
    fd = _open(path)
    try:
        return {"size": os.fstat(fd).st_size, "sha256": _sha256_fd(fd), "rows": int(rows)}
    finally:
        os.close(fd)


def _sha256_fd(fd: int) -> str:
    digest, offset = hashlib.sha256(), 0
    while block := os.pread(fd, _CHUNK, offset):
        digest.update(block)
        offset += len(block)
    return digest.hexdigest()


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _parse_manifest(root: Path, rel: str, raw: bytes, build_id: str) -> dict[str, Any]:
    if not raw.strip():
        raise damaged(root, rel, "empty")
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise damaged(root, rel, "not UTF-8 text") from err
    except json.JSONDecodeError as err:
        raise damaged(root, rel, f"not valid JSON ({err.msg}, line {err.lineno})") from err
    if not isinstance(data, dict):
        raise damaged(root, rel, "not a JSON object")
    fmt = data.get("format")
    if _is_count(fmt) and fmt != FORMAT_VERSION:
        raise DataNotBuilt(
            f"the data in {root} was built by another version of the tracker (format {fmt}, "
            f"need {FORMAT_VERSION}); run `{BUILD_HINT}`"
        )
    missing = sorted(REQUIRED_KEYS - data.keys())
    if missing:
        raise damaged(root, rel, f"missing keys: {', '.join(missing)}")
    if fmt != FORMAT_VERSION:
        raise damaged(root, rel, f"format is {fmt!r}, need {FORMAT_VERSION}")
    if data["build_id"] != build_id:
        raise damaged(root, rel, f"belongs to build {data['build_id']!r}, not {build_id!r}")
    files = data["files"]
    if not isinstance(files, dict):
        raise damaged(root, rel, "`files` is not an object")
    optional = (*(f"{t}.parquet" for t in OPTIONAL_TABLES), *(f"{t}.npz" for t in ARRAY_TABLES))
    for name in (*(f"{t}.parquet" for t in TABLES), *(n for n in optional if n in files)):
        entry = files.get(name)
        if not (
            isinstance(entry, dict)
            and _is_count(entry.get("size"))
            and _is_count(entry.get("rows"))
            and isinstance(entry.get("sha256"), str)
            and _SHA.fullmatch(entry["sha256"])
        ):
            raise damaged(root, rel, f"no valid entry for {name}")
    for table in _NOT_EMPTY:
        if files[f"{table}.parquet"]["rows"] == 0:
            what = "no front-line snapshot" if table == "frontline" else f"no rows in {table}"
            raise damaged(root, rel, f"the build has {what}")
    return data


def _check_table(root: Path, path: Path, rel: str, entry: dict[str, Any], full: bool) -> None:
    try:
        fd = _open(path)
    except FileNotFoundError as err:
        raise damaged(root, rel, "missing") from err
    except OSError as err:
        raise damaged(root, rel, _reason(err)) from err
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise damaged(root, rel, "not a regular file")
        size, want = info.st_size, entry["size"]
        if size == 0:
            raise damaged(root, rel, f"empty (0 of {want:,} bytes)")
        if size < want:
            raise damaged(root, rel, f"truncated ({size:,} of {want:,} bytes)")
        if size > want:
            raise damaged(root, rel, f"wrong size ({size:,} bytes, expected {want:,})")
        if rel.endswith(".npz"):
            if (
                size < 22
                or os.pread(fd, 4, 0) != _ZIP_START
                or os.pread(fd, 4, size - 22) != _ZIP_END
            ):
                raise damaged(root, rel, "not a NumPy archive (no zip header and end record)")
        elif size < 12 or os.pread(fd, 4, 0) != _MAGIC or os.pread(fd, 4, size - 4) != _MAGIC:
            raise damaged(root, rel, "not a Parquet file (no PAR1 at both ends)")
        if full:
            digest = _sha256_fd(fd)
            if digest != entry["sha256"]:
                raise damaged(
                    root,
                    rel,
                    f"checksum mismatch (sha256 {digest[:12]}…, expected {entry['sha256'][:12]}…)",
                )
    except DataNotBuilt:
        raise
    except OSError as err:
        raise damaged(root, rel, _reason(err)) from err
    finally:
        os.close(fd)
    if full:
        rows = _count_rows(root, path, rel)
        if rows != entry["rows"]:
            raise damaged(root, rel, f"{rows:,} rows, the manifest says {entry['rows']:,}")


def _count_rows(root: Path, path: Path, rel: str) -> int:
    """The rows of a Parquet file (from its footer) or the arrays of a NumPy archive."""
    if rel.endswith(".npz"):
        import zipfile

        try:
            with zipfile.ZipFile(path) as archive:
                return len(archive.namelist())
        except (OSError, zipfile.BadZipFile) as err:
            raise damaged(root, rel, f"not a readable NumPy archive ({err})") from err
    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    try:
        return int(pq.read_metadata(path).num_rows)
    except (OSError, pa.ArrowException) as err:
        raise damaged(root, rel, f"not a readable Parquet file ({err})") from err


def check_build(root: Path, path: Path, build_id: str, *, full: bool = False) -> dict[str, Any]:
    """Check the build *build_id* at *path* (in the data directory *root*); return its manifest.

    Parameters
    ----------
    root
        The data directory (named in error messages).
    path
        The build directory, ``root/.builds/<build_id>``.
    build_id
        The id the manifest must carry.
    full
        Also hash every file and read every Parquet footer (``tracker data status --verify``);
        otherwise only sizes and the ``PAR1`` magic at both ends are checked.

    Raises
    ------
    DataDamaged
        Naming the first file that is missing, truncated, empty, garbage or unreadable.
    DataNotBuilt
        When the build has the format of another tracker version.
    """
    rel = f"{BUILDS}/{build_id}"
    manifest = _parse_manifest(
        root,
        f"{rel}/{MANIFEST}",
        _read_small(root, path / MANIFEST, f"{rel}/{MANIFEST}", _MAX_MANIFEST_BYTES),
        build_id,
    )
    for table in TABLES:
        name = f"{table}.parquet"
        _check_table(root, path / name, f"{rel}/{name}", manifest["files"][name], full)
    for name in (*(f"{t}.parquet" for t in OPTIONAL_TABLES), *(f"{t}.npz" for t in ARRAY_TABLES)):
        if name in manifest["files"]:  # an optional file is checked when the manifest lists it
            _check_table(root, path / name, f"{rel}/{name}", manifest["files"][name], full)
    return manifest


@dataclass
class Build:
    """One opened build: its directory, manifest and the lease that keeps it from deletion."""

    root: Path
    path: Path
    build_id: str
    manifest: dict[str, Any]
    lease: Lease | None = field(default=None, repr=False)

    def close(self) -> None:
        """Release the lease (a later build may then remove this one once it is not current)."""
        if self.lease is not None:
            self.lease.close()
            self.lease = None


def open_build(root: str | os.PathLike[str], *, full: bool = False) -> Build:
    """Resolve the pointer of the data directory *root* once, lease that build and check it.

    During a swap a reader gets the old build or the new one: when the pointer moves between
    reading it and leasing the build it named (that build being removed), it is read again.

    Parameters
    ----------
    root
        The data directory, or one build directory of it (``DIR/.builds/<id>``, as
        :attr:`tracker.data.store.Store.directory` names it), which is then opened as it is.
    full
        Hash every file as well (see :func:`check_build`).

    Raises
    ------
    DataNotBuilt
        Nothing built in *root*, an old layout, or another format version.
    DataDamaged
        The pointer, the manifest or a table is missing, truncated, garbage or unreadable.

    Examples
    --------
    >>> build = open_build("~/.cache/frontline-tracker/data")  # doctest: +SKIP
    >>> build.manifest["counts"]["places"]  # doctest: +SKIP
    31636
    """
    base = Path(root)
    pinned = base.parent.name == BUILDS and is_build_id(base.name)
    if pinned:
        base = base.parent.parent
    for _ in range(_ATTEMPTS):
        build_id = Path(root).name if pinned else read_pointer(base)
        path = base / BUILDS / build_id
        try:
            lease = Lease(path)
        except LeaseBusy:  # being removed by a build that has already moved the pointer on
            time.sleep(0.01)
            continue
        except FileNotFoundError as err:
            if not pinned and read_pointer(base) != build_id:
                continue
            named = "" if pinned else " (named by `current`)"
            raise damaged(base, f"{BUILDS}/{build_id}", f"missing{named}") from err
        except NotADirectoryError as err:
            raise damaged(base, f"{BUILDS}/{build_id}", "not a directory") from err
        except OSError as err:
            raise damaged(base, f"{BUILDS}/{build_id}", _reason(err)) from err
        try:
            manifest = check_build(base, path, build_id, full=full)
        except BaseException:
            lease.close()
            raise
        return Build(base, path, build_id, manifest, lease)
    raise DataNotBuilt(
        f"the build in {base} kept changing while it was being loaded; try again "
        "(is a build being swapped in a loop?)"
    )
