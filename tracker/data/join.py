"""Joining the codifier (who is where administratively) with GeoNames (where on the ground).

A settlement is matched to a GeoNames populated place only inside its own raion
(GeoNames admin2 is the KATOTTG raion code), never on the name alone across
Ukraine. Names are compared in Cyrillic and in the official Latin form, old names
included; same-named places inside one raion are told apart by the hromada
polygon the GeoNames point falls in. What is left is matched by a looser spelling
key, still inside the raion, and finally inside the oblast when GeoNames gives
no raion. Every match records how it was made (``coord_quality``).
"""

from __future__ import annotations

from typing import cast

import numpy as np
import pandas as pd
import shapely
from rapidfuzz import fuzz

from ..names import fold, has_cyrillic, official_latin, skeleton
from ..units import OBLASTS
from .geonames import POPULATED_CODES

__all__ = ["JoinResult", "join_coordinates"]

_FIPS_TO_PREFIX = {u.fips: u.katottg_prefix for u in OBLASTS}
#: Size class of a codifier category: 2 city, 1 urban-type settlement, 0 selyshche / village.
_CATEGORY_SIZE = {"K": 2, "M": 2, "T": 1, "X": 0, "C": 0}
_GN_COLUMNS = [
    "geonameid",
    "raion6",
    "oblast4",
    "rank",
    "hromada_poly",
    "nalt",
    "population",
    "size",
]
#: Score cost per size class between a codifier settlement and a GeoNames point.
_SIZE_WEIGHT = 3.0


def _geonames_size(gn: pd.DataFrame) -> pd.Series:
    """Size class of GeoNames points: 2 a seat of government or >= 10,000 people, 1 >= 2,000."""
    seat = gn["fcode"].isin(["PPLC", "PPLA", "PPLA2"])
    pop = gn["population"].fillna(0)
    return pd.Series(np.where(seat | (pop >= 10_000), 2, np.where(pop >= 2_000, 1, 0)), gn.index)


class JoinResult:
    """Coordinates per KATOTTG code plus the bookkeeping for the coverage report."""

    def __init__(
        self, located: pd.DataFrame, unmatched_reasons: dict[str, int], matched_by: dict[str, int]
    ) -> None:
        self.located = (
            located  # katottg, geonameid, lon, lat, gn_population, gn_names, coord_quality
        )
        self.unmatched_reasons = unmatched_reasons
        self.matched_by = matched_by


def _settlement_keys(settlements: pd.DataFrame, old_names: pd.DataFrame) -> pd.DataFrame:
    base = settlements[["katottg", "name_uk"]].assign(strength=3)
    old = old_names.rename(columns={"old_name_uk": "name_uk"})[["katottg", "name_uk"]].assign(
        strength=2
    )
    names = pd.concat([base, old], ignore_index=True)
    cyr = names.assign(key=names["name_uk"].map(fold))
    lat = names.assign(key=names["name_uk"].map(lambda n: fold(official_latin(n))))
    keys = pd.concat([cyr, lat], ignore_index=True)[["katottg", "key", "strength"]]
    return keys[keys["key"] != ""].drop_duplicates(["katottg", "key"])


def _geonames_keys(gn: pd.DataFrame) -> pd.DataFrame:
    names = (gn["name"] + "," + gn["asciiname"] + "," + gn["alternatenames"]).str.split(",")
    frame = pd.DataFrame({"geonameid": gn["geonameid"], "alias": names}).explode("alias")
    frame = frame[frame["alias"].str.contains(r"[^\W\d_]", regex=True, na=False)]
    frame["key"] = frame["alias"].map(fold)
    return frame[["geonameid", "key"]].drop_duplicates()


def _assign(pairs: pd.DataFrame, quality_unique: str, quality_tie: str) -> pd.DataFrame:
    """Greedy one-to-one assignment, best score first; ties on a settlement's hromada flagged."""
    pairs = pairs.sort_values(["score", "geonameid"], ascending=[False, True])
    used_k: set[str] = set()
    used_g: set[int] = set()
    out = []
    count_k = pairs.groupby("katottg")["geonameid"].transform("nunique")
    count_g = pairs.groupby("geonameid")["katottg"].transform("nunique")
    pairs = pairs.assign(nk=count_k, ng=count_g)
    best_by_g = pairs.groupby("geonameid")["score"].transform("max")
    ties = pairs[pairs["score"] == best_by_g].groupby("geonameid")["katottg"].transform("nunique")
    pairs = pairs.assign(tie=ties.reindex(pairs.index).fillna(1) > 1)
    for row in pairs.itertuples(index=False):
        if row.katottg in used_k or row.geonameid in used_g:
            continue
        used_k.add(str(row.katottg))
        used_g.add(int(cast(int, row.geonameid)))
        if row.nk == 1 and row.ng == 1:
            quality = quality_unique
        elif row.tie:
            quality = "ambiguous"
        else:
            quality = quality_tie
        out.append((row.katottg, row.geonameid, quality))
    return pd.DataFrame(out, columns=["katottg", "geonameid", "coord_quality"])


#: Columns of a candidate pair that :func:`_scored` and :func:`_assign` read.
_PAIR_COLUMNS = [
    "katottg",
    "geonameid",
    "strength",
    "hromada_poly",
    "hromada_code",
    "rank",
    "nalt",
    "population",
    "size",
    "gn_size",
]


def join_coordinates(
    settlements: pd.DataFrame,
    old_names: pd.DataFrame,
    geonames: pd.DataFrame,
    hromadas: pd.DataFrame,
) -> JoinResult:
    """Give each codifier settlement the coordinates of its GeoNames place.

    Three passes, each on what the ones before left: the exact name inside the raion, a
    looser spelling inside the raion, the exact name inside the oblast.

    Parameters
    ----------
    settlements
        Codifier settlements: ``katottg, name_uk, oblast_code, raion_code, hromada_code``.
    old_names
        ``katottg, old_name_uk`` (from :func:`tracker.data.katottg.read_old_names`).
    geonames
        GeoNames class-P rows (from :func:`tracker.data.geonames.read_geonames`).
    hromadas
        Hromada polygons with ``hromada_code`` (some may be missing).

    Returns
    -------
    JoinResult
        The located settlements, how each was matched and why GeoNames places stayed unmatched.
    """
    gn = _prepare_geonames(geonames, hromadas)
    st = _prepare_settlements(settlements)
    kkeys = _settlement_keys(st, old_names).merge(
        st[["katottg", "raion6", "oblast4", "hromada_code", "size"]], on="katottg"
    )
    gkeys = _candidate_keys(gn)

    pairs = _exact_in_raion(kkeys, gkeys)
    result = [_assign(pairs, "unique-in-raion", "hromada-polygon")]
    spelling = _spelling_in_raion(*_remaining(st, gn, result), gkeys)
    if spelling is not None:
        result.append(spelling)
    in_oblast = _exact_in_oblast(*_remaining(st, gn, result), kkeys, gkeys)
    if in_oblast is not None:
        result.append(in_oblast)

    matched = pd.concat(result, ignore_index=True)
    reasons = _unmatched_reasons(gn, matched, set(pairs["geonameid"]))
    by = matched["coord_quality"].value_counts().to_dict()
    return JoinResult(_located(matched, gn), reasons, {str(k): int(v) for k, v in by.items()})


def _prepare_geonames(geonames: pd.DataFrame, hromadas: pd.DataFrame) -> pd.DataFrame:
    """A copy of *geonames* with what matching and scoring read.

    ``oblast4`` (KATOTTG oblast prefix), ``rank`` (0 populated place, 1 section of one, 2
    abandoned / historical), ``hromada_poly`` (the coded hromada polygon the point is in),
    ``nalt`` (how many alternate names: well-known places have many) and ``size``.
    """
    gn = geonames.copy()
    gn["oblast4"] = gn["admin1"].map(_FIPS_TO_PREFIX)
    gn["rank"] = np.where(
        gn["fcode"].isin(POPULATED_CODES), 0, np.where(gn["fcode"] == "PPLX", 1, 2)
    )
    points = shapely.points(gn["lon"].to_numpy(), gn["lat"].to_numpy())
    known = hromadas.dropna(subset=["hromada_code"])
    tree = shapely.STRtree(known.geometry.values)
    ip, ih = tree.query(points, predicate="within")
    gn["hromada_poly"] = None
    gn.loc[gn.index[ip], "hromada_poly"] = known["hromada_code"].to_numpy()[ih]
    gn["nalt"] = gn["alternatenames"].str.count(",")
    gn["size"] = _geonames_size(gn)
    return gn


def _prepare_settlements(settlements: pd.DataFrame) -> pd.DataFrame:
    """A copy of *settlements* with the raion and oblast prefixes GeoNames has, and the size."""
    st = settlements.copy()
    st["raion6"] = st["raion_code"].str[:6]
    st["oblast4"] = st["oblast_code"].str[:4]
    st["size"] = st["category"].map(_CATEGORY_SIZE).fillna(0)
    return st


def _candidate_keys(gn: pd.DataFrame) -> pd.DataFrame:
    """The name keys of GeoNames places that may carry a settlement, with their scoring columns.

    Abandoned and historical places (rank 2) never carry a settlement.
    """
    gkeys = _geonames_keys(gn).merge(
        gn[_GN_COLUMNS].rename(columns={"size": "gn_size"}),
        on="geonameid",
    )
    return gkeys[gkeys["rank"] < 2]


def _scored(pairs: pd.DataFrame) -> pd.DataFrame:
    """Candidate pairs (the strongest name per pair) with their ``score``: higher is better.

    Name strength counts most, then the point lying in the settlement's own hromada polygon;
    sections of places lose, well-known and populated points gain a little, and a size class
    apart costs (a city and a same-named village of one hromada: the big point is the city's).
    """
    pairs = pairs.sort_values("strength", ascending=False).drop_duplicates(["katottg", "geonameid"])
    same = (pairs["hromada_poly"] == pairs["hromada_code"]).astype(int)
    pairs["score"] = (
        pairs["strength"] * 10
        + same * 20
        - pairs["rank"] * 15
        + pairs["nalt"].clip(upper=20) * 0.1
        + (pairs["population"] > 0)
        - (pairs["size"] - pairs["gn_size"]).abs() * _SIZE_WEIGHT
    )
    return pairs


def _exact_in_raion(kkeys: pd.DataFrame, gkeys: pd.DataFrame) -> pd.DataFrame:
    """Pass 1, scored pairs: exact name (current or old, Cyrillic or Latin) inside the raion."""
    return _scored(
        kkeys.dropna(subset=["raion6"]).merge(
            gkeys.dropna(subset=["raion6"]).drop(columns=["oblast4"]), on=["raion6", "key"]
        )
    )


def _remaining(
    st: pd.DataFrame, gn: pd.DataFrame, result: list[pd.DataFrame]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The settlements and the (non-abandoned) GeoNames places no pass in *result* matched."""
    done = pd.concat(result)
    return (
        st[~st["katottg"].isin(done["katottg"])],
        gn[~gn["geonameid"].isin(done["geonameid"]) & (gn["rank"] < 2)],
    )


def _spelling_in_raion(
    st_left: pd.DataFrame, gn_left: pd.DataFrame, gkeys: pd.DataFrame
) -> pd.DataFrame | None:
    """Pass 2, assigned: a looser spelling inside the raion.

    A Latin GeoNames alias with the same skeleton as the settlement's name, kept when it is
    close to the official Latin form (ratio >= 60). None when no skeleton matches at all.
    """
    sk = st_left.assign(
        sk=st_left["name_uk"].map(skeleton),
        lat=st_left["name_uk"].map(lambda n: fold(official_latin(n))),
    )
    gl = gkeys[gkeys["geonameid"].isin(gn_left["geonameid"])]
    gl = gl.loc[~gl["key"].map(has_cyrillic).astype(bool)].assign(
        sk=lambda f: f["key"].map(skeleton)
    )
    fuzzy = sk.dropna(subset=["raion6"]).merge(
        gl.dropna(subset=["raion6"]).drop(columns=["oblast4"]), on=["raion6", "sk"]
    )
    if not len(fuzzy):
        return None
    fuzzy["ratio"] = [fuzz.ratio(a, b) for a, b in zip(fuzzy["lat"], fuzzy["key"], strict=True)]
    fuzzy = fuzzy.sort_values("ratio", ascending=False).drop_duplicates(["katottg", "geonameid"])
    fuzzy = fuzzy[fuzzy["ratio"] >= 60].assign(strength=1)
    return _assign(_scored(fuzzy[_PAIR_COLUMNS]), "spelling-in-raion", "spelling-in-raion")


def _exact_in_oblast(
    st_left: pd.DataFrame, gn_left: pd.DataFrame, kkeys: pd.DataFrame, gkeys: pd.DataFrame
) -> pd.DataFrame | None:
    """Pass 3, assigned: exact name inside the oblast, only where both sides are unique there.

    For GeoNames places without a raion code. None when no pair is left.
    """
    k3 = kkeys[kkeys["katottg"].isin(st_left["katottg"])]
    g3 = gkeys[gkeys["geonameid"].isin(gn_left["geonameid"])]
    k3 = k3[
        ~k3.duplicated(["oblast4", "key"], keep=False)
        | k3.duplicated(["katottg", "oblast4", "key"])
    ]
    pairs3 = k3.merge(g3.drop(columns=["raion6"]), on=["oblast4", "key"])
    pairs3 = pairs3[pairs3.groupby("geonameid")["katottg"].transform("nunique") == 1]
    pairs3 = pairs3[pairs3.groupby("katottg")["geonameid"].transform("nunique") == 1]
    if not len(pairs3):
        return None
    return _assign(_scored(pairs3), "unique-in-oblast", "unique-in-oblast")


def _located(matched: pd.DataFrame, gn: pd.DataFrame) -> pd.DataFrame:
    """The matched pairs with their GeoNames point, population and names."""
    located = matched.merge(
        gn[["geonameid", "lon", "lat", "population", "name", "alternatenames", "fcode"]],
        on="geonameid",
    )
    return located.rename(
        columns={
            "population": "gn_population",
            "name": "gn_name",
            "alternatenames": "gn_alternates",
        }
    )


def _unmatched_reasons(
    gn: pd.DataFrame, matched: pd.DataFrame, candidates_seen: set[int]
) -> dict[str, int]:
    """How many GeoNames places stayed unmatched, by reason (for the coverage report).

    *candidates_seen* are the places pass 1 offered to some settlement: unmatched, they are
    duplicates of a better entry rather than names missing from the codifier.
    """
    left = gn[~gn["geonameid"].isin(set(matched["geonameid"]))]
    populated = left["rank"] == 0
    in_raion = populated & left["raion6"].notna()
    seen = left["geonameid"].isin(candidates_seen)
    return {
        "section, abandoned, historical or destroyed place (PPLX/PPLQ/PPLH/PPLW)": int(
            (left["rank"] > 0).sum()
        ),
        "no raion code in GeoNames and name not unique in its oblast": int(
            (populated & left["raion6"].isna()).sum()
        ),
        "duplicate: its codifier settlement already has a better GeoNames entry": int(
            (in_raion & seen).sum()
        ),
        "name not in the codifier for its raion (renamed, merged, or spelled otherwise)": int(
            (in_raion & ~seen).sum()
        ),
    }
