"""The source files, where they come from, and how they are checked.

Every file the build reads is listed in :data:`SOURCES` with its canonical
origin, licence, and the sha256 of the edition the project was built and tested
against. ``fetch`` downloads them into a sources directory (the network is
touched only here, through an injectable ``opener``); ``verify`` checks a
directory before a build.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..errors import OutputFailed, SourceError

__all__ = ["DEEPSTATE_DIR", "SOURCES", "Source", "fetch", "has_snapshot", "sha256_of", "verify"]


@dataclass(frozen=True, slots=True)
class Source:
    """One source file."""

    path: str  # relative to the sources directory
    url: str
    licence: str
    attribution: str
    sha256: str | None  # None: not pinned (DeepState dailies change every day)


SOURCES: tuple[Source, ...] = (
    Source(
        "geonames/UA.zip",
        "https://download.geonames.org/export/dump/UA.zip",
        "CC BY 4.0",
        "GeoNames (geonames.org)",
        "499fe805ff1d09d700d3dc0078d0f468e060cb275bedb134af22ae27aa5d0ee4",
    ),
    Source(
        "geonames/admin1CodesASCII.txt",
        "https://download.geonames.org/export/dump/admin1CodesASCII.txt",
        "CC BY 4.0",
        "GeoNames (geonames.org)",
        "d5948bd4be297f00ad024d9200754ab829a01929c762a9960f8de4072194b6e9",
    ),
    Source(
        "geonames/admin2Codes.txt",
        "https://download.geonames.org/export/dump/admin2Codes.txt",
        "CC BY 4.0",
        "GeoNames (geonames.org)",
        "01a53d559d4def3580b8e4ab08bb67166b962aea6ed1feccac40166e863c55fd",
    ),
    Source(
        "boundaries/geoboundaries/geoBoundaries-UKR-ADM1.geojson",
        "https://github.com/wmgeolab/geoBoundaries/raw/9469f09/releaseData/gbOpen/UKR/ADM1/"
        "geoBoundaries-UKR-ADM1.geojson",
        "ODbL 1.0",
        "geoBoundaries (Runfola et al.), © OpenStreetMap contributors",
        "b2f9f4ad2e9be5888523219c0bb46a24332ead16b46305409098048fd361a2d6",
    ),
    Source(
        "boundaries/geoboundaries/geoBoundaries-UKR-ADM1_simplified.geojson",
        "https://github.com/wmgeolab/geoBoundaries/raw/9469f09/releaseData/gbOpen/UKR/ADM1/"
        "geoBoundaries-UKR-ADM1_simplified.geojson",
        "ODbL 1.0",
        "geoBoundaries (Runfola et al.), © OpenStreetMap contributors",
        "4a5947e7497574d51f93255dfa7e03dce0c7acf6ecee52d25773a5205854a399",
    ),
    Source(
        "boundaries/ministry-2021/ADMIN_1.geojson",
        "https://atu.decentralization.gov.ua/",
        "official public data",
        "Ministry for Communities and Territories Development of Ukraine",
        "aacb7dacb8b618d961acb502a8f60c7451d0f014650c290d977f17395cd6e523",
    ),
    Source(
        "boundaries/opora-2020/regiony.geojson",
        "https://raw.githubusercontent.com/slawomirmatuszak/ukrainian_geodata/master/regiony.geojson",
        "CC BY 4.0",
        "OPORA / F. Gontsa (2020 reform layers)",
        "1ed00dc19f7377aecc1660f772d447a015d8846684433e3e1bd428f3edb96fb0",
    ),
    Source(
        "boundaries/opora-2020/rayony.geojson",
        "https://raw.githubusercontent.com/slawomirmatuszak/ukrainian_geodata/master/rayony.geojson",
        "CC BY 4.0",
        "OPORA / F. Gontsa (2020 reform layers)",
        "588c2c4b6686bdb02b3f6aeb0f884fa087890de16c3b4e018316de29921ae1da",
    ),
    Source(
        "boundaries/opora-2020/hromady.geojson",
        "https://raw.githubusercontent.com/slawomirmatuszak/ukrainian_geodata/master/hromady.geojson",
        "CC BY 4.0",
        "OPORA / F. Gontsa (2020 reform layers)",
        "0b4f2f8fd5036df61fcfa8cba9a64392659c188a32d1ae45c77aa82273137ee3",
    ),
    Source(
        "settlements/katottg_kodifikator_2025-07-02.csv",
        "https://mtu.gov.ua/content/kodifikator-administrativnoteritorialnih-odinic.html",
        "official public data",
        "Ministry for Communities and Territories Development of Ukraine",
        "5e36a35d6579d174faa5c518d03be92114145a0cdbf0c97847888f71e7c9dafc",
    ),
    Source(
        "settlements/koatuu_to_katottg.csv",
        "https://mtu.gov.ua/content/kodifikator-administrativnoteritorialnih-odinic.html",
        "official public data",
        "Ministry for Communities and Territories Development of Ukraine",
        "a5d3e935dd4b766616030c06a9a65f236a936268df812d98c08b0d446b35780f",
    ),
    Source(
        "settlements/osm_ua_name_places.csv",
        "https://raw.githubusercontent.com/gontsa/ua-osm-names-of-places/main/osm_ua_name_places.csv",
        "ODbL 1.0",
        "© OpenStreetMap contributors (list by gontsa)",
        "569c32a3682336eb2238edb6960d0a0213ff20bd19b8bb18f7ce93e074398cc7",
    ),
)

#: DeepState daily snapshots (not pinned: a new file appears every day).
DEEPSTATE_DIR = "deepstate/daily"
DEEPSTATE_URL = (
    "https://raw.githubusercontent.com/cyterat/deepstate-map-data/main/data/"
    "deepstatemap_data_{date}.geojson"
)
DEEPSTATE_ATTRIBUTION = "DeepStateMap (deepstatemap.live)"

_CHUNK = 1 << 20
_SNAPSHOT = re.compile(r"deepstatemap_data_\d{8}\.geojson")
#: What the first DeepState snapshot of the archive is (for the fetch hint).
DEEPSTATE_FIRST = "2024-07-08"


def sha256_of(path: str | os.PathLike[str]) -> str:
    """Return the hex sha256 of a file."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def has_snapshot(directory: str | os.PathLike[str]) -> bool:
    """True when *directory* holds at least one DeepState daily snapshot file."""
    folder = Path(directory) / DEEPSTATE_DIR
    try:
        return any(_SNAPSHOT.fullmatch(p.name) and p.is_file() for p in folder.iterdir())
    except OSError:
        return False


def verify(
    directory: str | os.PathLike[str],
    *,
    checksums: bool = True,
    require_deepstate: bool = False,
) -> dict[str, str]:
    """Check that every source file is in *directory*; return ``{path: sha256}``.

    Parameters
    ----------
    directory
        The sources directory.
    checksums
        Also compare every file with its pinned sha256 (otherwise only presence is checked and
        ``{}`` returned).
    require_deepstate
        Also require at least one DeepState daily snapshot in ``deepstate/daily`` (the build
        does: without one no front-line question could be answered).

    Raises
    ------
    SourceError
        When files are missing (all of them are listed) or checksums differ (all are listed),
        naming the fix.
    """
    root = Path(directory)
    if not root.is_dir():
        raise SourceError(
            f"sources directory {str(root)!r} does not exist; pass --sources DIR "
            "(e.g. ../shared/geodata) or set TRACKER_SOURCES, or run 'tracker data fetch'"
        )
    missing = [s.path for s in SOURCES if not (root / s.path).is_file()]
    no_front = require_deepstate and not has_snapshot(root)
    if len(missing) == 1 and not no_front:
        raise SourceError(
            f"source file {str(root / missing[0])!r} is missing; run 'tracker data fetch "
            f"--sources {root}' or point --sources at a complete mirror"
        )
    if missing or no_front:
        listed = list(missing)
        if no_front:
            listed.append(f"{DEEPSTATE_DIR}/deepstatemap_data_YYYYMMDD.geojson (none at all)")
        fetch_hint = f"tracker data fetch --sources {root}"
        if no_front:
            fetch_hint += f" --deepstate-from {DEEPSTATE_FIRST}"
        raise SourceError(
            f"sources directory {str(root)!r} is incomplete, {len(listed)} missing: "
            f"{', '.join(listed)}; run '{fetch_hint}' or point --sources at a complete mirror"
        )
    found: dict[str, str] = {}
    if not checksums:
        return found
    wrong = []
    for source in SOURCES:
        path = root / source.path
        try:
            digest = sha256_of(path)
        except OSError as err:
            raise SourceError(
                f"source file {str(path)!r} is unreadable: {err.strerror or err}; fix its "
                "permissions or re-download it with 'tracker data fetch'"
            ) from err
        if source.sha256 and digest != source.sha256:
            wrong.append((path, digest, source.sha256))
        found[source.path] = digest
    if len(wrong) == 1:
        path, digest, pinned = wrong[0]
        raise SourceError(
            f"source file {str(path)!r} has sha256 {digest[:12]}…, expected "
            f"{pinned[:12]}…; re-download it with 'tracker data fetch'"
        )
    if wrong:
        raise SourceError(
            f"{len(wrong)} source files in {str(root)!r} differ from the pinned editions (sha256): "
            + ", ".join(str(p.relative_to(root)) for p, _, _ in wrong)
            + "; re-download them with 'tracker data fetch'"
        )
    return found


Opener = Callable[[str], BinaryIO]


def _default_opener(url: str) -> BinaryIO:  # pragma: no cover - real network
    import urllib.request

    return urllib.request.urlopen(url, timeout=60)


def _network_errors() -> tuple[type[BaseException], ...]:
    """What a failed download raises: no network, DNS, refused, timeout, HTTP errors, a cut
    connection (http.client loaded only for a download: a parse reads this module too)."""
    import http.client

    return (OSError, http.client.HTTPException, ValueError)


def _cannot_write(target: Path, err: OSError) -> OutputFailed:
    return OutputFailed(
        f"cannot write {target}: {err.strerror or err}; free some space or make the directory "
        "writable, or choose another --sources directory"
    )


def _network_failed(url: str, err: BaseException, done: int) -> SourceError:
    reason = getattr(err, "reason", None) or err
    kept = f" ({done} file(s) fetched before it are kept)" if done else ""
    return SourceError(
        f"cannot download {url}: {reason}{kept}; check the network connection (and proxy "
        "settings such as HTTPS_PROXY) and run the fetch again, or copy a sources mirror and "
        "pass --sources DIR to 'tracker data build'"
    )


def fetch(
    directory: str | os.PathLike[str],
    *,
    sources: Iterable[Source] = SOURCES,
    deepstate_dates: Iterable[str] = (),
    opener: Opener | None = None,
    progress: Callable[[str], None] | None = None,
) -> list[Path]:
    """Download the source files from their canonical origins into *directory*.

    Each file is written to a temporary name, checked against its pinned
    sha256, then renamed; a failed download leaves nothing behind.

    Parameters
    ----------
    directory
        The sources directory to fill (created when missing).
    sources
        Which files to fetch (default: all of :data:`SOURCES`).
    deepstate_dates
        ``YYYYMMDD`` dates of DeepState daily snapshots to fetch as well.
    opener
        ``opener(url)`` returning a binary file object; the default uses urllib.
        Tests pass a fake, so no test touches the network.
    progress
        Called with each relative path before it is fetched.

    Returns
    -------
    list of Path
        The files written.
    """
    opener = opener or _default_opener
    root = Path(directory)
    jobs: list[tuple[str, str, str | None]] = [(s.path, s.url, s.sha256) for s in sources]
    jobs += [
        (f"{DEEPSTATE_DIR}/deepstatemap_data_{d}.geojson", DEEPSTATE_URL.format(date=d), None)
        for d in deepstate_dates
    ]
    written: list[Path] = []
    network_errors = _network_errors()
    for rel, url, expected in jobs:
        if progress:
            progress(rel)
        target = root / rel
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".fetch-")
        except OSError as err:
            raise _cannot_write(target, err) from err
        try:
            digest = hashlib.sha256()
            with os.fdopen(fd, "wb") as out:
                try:
                    response = opener(url)
                except network_errors as err:
                    raise _network_failed(url, err, len(written)) from err
                with response:
                    while True:
                        try:
                            block = response.read(_CHUNK)
                        except network_errors as err:
                            raise _network_failed(url, err, len(written)) from err
                        if not block:
                            break
                        digest.update(block)
                        out.write(block)
            if expected and digest.hexdigest() != expected:
                raise SourceError(
                    f"download of {url!r} has sha256 {digest.hexdigest()[:12]}…, expected "
                    f"{expected[:12]}…; the origin changed: update the pin in "
                    "tracker/data/sources.py"
                )
            os.replace(tmp, target)
        except BaseException as err:
            Path(tmp).unlink(missing_ok=True)
            if isinstance(err, OSError) and not isinstance(err, SourceError):
                raise _cannot_write(target, err) from err
            raise
        written.append(target)
    return written
