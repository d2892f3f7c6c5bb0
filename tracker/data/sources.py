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
import tempfile
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..errors import SourceError

__all__ = ["DEEPSTATE_DIR", "SOURCES", "Source", "fetch", "sha256_of", "verify"]


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


def sha256_of(path: str | os.PathLike[str]) -> str:
    """Return the hex sha256 of a file."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def verify(directory: str | os.PathLike[str], *, checksums: bool = True) -> dict[str, str]:
    """Check that every source file is in *directory*; return ``{path: sha256}``.

    Raises
    ------
    SourceError
        When a file is missing or its checksum differs, naming the file and the fix.
    """
    root = Path(directory)
    if not root.is_dir():
        raise SourceError(
            f"sources directory {str(root)!r} does not exist; pass --sources DIR "
            "(e.g. ../shared/geodata) or set TRACKER_SOURCES, or run 'tracker data fetch'"
        )
    found: dict[str, str] = {}
    for source in SOURCES:
        path = root / source.path
        if not path.is_file():
            raise SourceError(
                f"source file {str(path)!r} is missing; run 'tracker data fetch --sources {root}' "
                "or point --sources at a complete mirror"
            )
        if checksums:
            digest = sha256_of(path)
            if source.sha256 and digest != source.sha256:
                raise SourceError(
                    f"source file {str(path)!r} has sha256 {digest[:12]}…, expected "
                    f"{source.sha256[:12]}…; re-download it with 'tracker data fetch'"
                )
            found[source.path] = digest
    return found


Opener = Callable[[str], BinaryIO]


def _default_opener(url: str) -> BinaryIO:  # pragma: no cover - real network
    return urllib.request.urlopen(url, timeout=60)


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
    written = []
    for rel, url, expected in jobs:
        if progress:
            progress(rel)
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".fetch-")
        try:
            digest = hashlib.sha256()
            with os.fdopen(fd, "wb") as out, opener(url) as response:
                for block in iter(lambda: response.read(_CHUNK), b""):
                    digest.update(block)
                    out.write(block)
            if expected and digest.hexdigest() != expected:
                raise SourceError(
                    f"download of {url!r} has sha256 {digest.hexdigest()[:12]}…, expected "
                    f"{expected[:12]}…; the origin changed: update the pin in "
                    "tracker/data/sources.py"
                )
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        written.append(target)
    return written
