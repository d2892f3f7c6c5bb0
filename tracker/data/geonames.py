"""The GeoNames UA dump: coordinates, English and alternate names, population."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd

from ..errors import SourceError

__all__ = ["POPULATED_CODES", "read_geonames"]

_COLUMNS = [
    "geonameid",
    "name",
    "asciiname",
    "alternatenames",
    "lat",
    "lon",
    "fclass",
    "fcode",
    "cc",
    "cc2",
    "admin1",
    "admin2",
    "admin3",
    "admin4",
    "population",
    "elevation",
    "dem",
    "tz",
    "moddate",
]
#: Feature codes of living populated places (PPLX sections, PPLQ abandoned,
#: PPLH historical and PPLW destroyed places are kept apart).
POPULATED_CODES = ("PPL", "PPLA", "PPLA2", "PPLA3", "PPLA4", "PPLC", "PPLF", "PPLL", "PPLR", "PPLS")


def read_geonames(sources: Path) -> pd.DataFrame:
    """Return every GeoNames feature of class P (populated places) in Ukraine."""
    path = sources / "geonames/UA.zip"
    try:
        with zipfile.ZipFile(path) as archive, archive.open("UA.txt") as handle:
            frame = pd.read_csv(
                handle,
                sep="\t",
                header=None,
                names=_COLUMNS,
                dtype=str,
                quoting=3,
                keep_default_na=False,
                na_values=[],
            )
    except (OSError, zipfile.BadZipFile, KeyError) as err:
        raise SourceError(f"cannot read GeoNames dump {str(path)!r}: {err}; re-fetch it") from err
    frame = frame[frame["fclass"] == "P"].copy()
    frame["geonameid"] = frame["geonameid"].astype("int64")
    frame["lat"] = frame["lat"].astype(float)
    frame["lon"] = frame["lon"].astype(float)
    frame["population"] = (
        pd.to_numeric(frame["population"], errors="coerce").fillna(0).astype("int64")
    )
    frame["raion6"] = ("UA" + frame["admin2"]).where(frame["admin2"].str.fullmatch(r"\d{4}"))
    return frame.reset_index(drop=True)
