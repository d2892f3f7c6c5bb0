"""tracker.gazetteer on a tiny in-code gazetteer: columns, spellings, places (no data build)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from tests.fixtures_gazetteer import (
    DNIPRO,
    DNIPROPETROVSK_OBLAST,
    DONETSK_CITY,
    DONETSK_OBLAST,
    NOVOHEORHIIVKA,
    NOVOHEORHIIVKA_MYKOLAIV,
    POKROVSK,
    POKROVSK_HROMADA,
    POKROVSK_RAION,
    VELYKOMYKHAILIVKA_HROMADA,
    VESELYI_KUT,
    ZAPORIZKE,
    ZAPORIZKE_VM,
    ZORIA_UNLOCATED,
    code,
    pid,
    places_table,
    tiny,
)
from tracker.gazetteer import Gazetteer
from tracker.names import fold, skeleton
from tracker.ranking import params


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return tiny()


def _codes(ids, gaz) -> set[str]:
    return {code(i, gaz) for i in ids}


# -- from_frames fills the columns as the data build does ---------------------------------------


def test_from_frames_fills_latin_name_kind_and_oblast(gaz):
    row = gaz.places.iloc[pid(ZAPORIZKE_VM)]
    assert row["name"] == "Zaporizke"  # KMU-2010 of Запорізьке
    assert row["kind"] == "village"
    assert row["oblast"] == "Dnipropetrovsk"
    assert row["oblast_iso"] == "UA-12"
    assert gaz.places.iloc[pid(POKROVSK)]["kind"] == "city"
    assert gaz.places.iloc[pid(POKROVSK_RAION)]["kind"] == "raion"
    assert gaz.places.iloc[pid(DONETSK_OBLAST)]["kind"] == "oblast"


def test_from_frames_names_raion_and_hromada_from_their_rows(gaz):
    row = gaz.places.iloc[pid(NOVOHEORHIIVKA)]
    assert row["raion"] == "Synelnykove"
    assert row["raion_uk"] == "Синельниківський"
    assert row["hromada"] == "Velykomykhailivka"
    assert row["hromada_uk"] == "Великомихайлівська"
    # a code the table has no row for gives no name
    assert gaz.place(pid(DONETSK_CITY)).hromada is None
    assert gaz.place(pid(DONETSK_CITY)).hromada_code == "UA14080030000053877"


def test_from_frames_defaults_for_missing_columns():
    gaz = Gazetteer.from_frames(
        pd.DataFrame({"katottg": [ZAPORIZKE_VM], "name_uk": ["Запорізьке"], "category": ["C"]})
    )
    place = gaz.place(0)
    assert place.lon is None and place.lat is None
    assert place.population is None
    assert place.raion is None and place.hromada is None
    assert place.km_to_oblast_border is None and place.across_border is None
    assert gaz.located[0].size == 0


def test_from_frames_old_names_are_spellings():
    gaz = Gazetteer.from_frames(
        pd.DataFrame({"katottg": [DNIPRO], "name_uk": ["Дніпро"], "category": ["M"]}),
        old_names={DNIPRO: ["Дніпропетровськ"]},
    )
    assert gaz.lookup_key("dnipropetrovsk") == {0: "old-name"}
    assert gaz.lookup_key("dnipro") == {0: "kmu-2010"}


def test_from_frames_oblast_row_defaults_match_the_build():
    gaz = Gazetteer.from_frames(
        pd.DataFrame(
            {"katottg": [DONETSK_OBLAST], "name_uk": ["Донецька область"], "category": ["O"]}
        )
    )
    assert gaz.place(0).name == "Donetsk"
    assert gaz.oblast_katottg == {"UA14": DONETSK_OBLAST}


def test_from_frames_spells_units_after_their_centre():
    table = pd.DataFrame(
        {
            "katottg": [POKROVSK_RAION, POKROVSK],
            "name_uk": ["Покровський", "Покровськ"],
            "category": ["P", "M"],
            "raion_code": [POKROVSK_RAION, POKROVSK_RAION],
        }
    )
    gaz = Gazetteer.from_frames(table)
    assert gaz.lookup_key("pokrovsk raion") == {0: "admin"}
    assert gaz.place(1).raion == "Pokrovsk"


# -- spellings ----------------------------------------------------------------------------------


def test_lookup_key_finds_every_same_named_village(gaz):
    found = gaz.lookup_key("zaporizke")
    assert _codes(found, gaz) == set(ZAPORIZKE)
    # the KMU-2010 form is the source of this spelling, even where GeoNames has it too
    assert set(found.values()) == {"kmu-2010"}


def test_lookup_key_official_ukrainian_and_geonames_sources(gaz):
    assert gaz.lookup_key(fold("Запорізьке")) == {pid(z): "official" for z in ZAPORIZKE}
    assert gaz.lookup_key("novogeorgievka") == {
        pid(NOVOHEORHIIVKA): "geonames",
        pid(NOVOHEORHIIVKA_MYKOLAIV): "geonames",
    }
    # a former name GeoNames gives Pokrovsk: a weak source (not its own name today)
    assert list(gaz.lookup_key("krasnoarmeysk")) == [pid(POKROVSK)]
    assert gaz.lookup_key("krasnoarmeysk")[pid(POKROVSK)] in params().weak_sources
    assert gaz.lookup_key("no such place") == {}


def test_lookup_key_oblast_forms(gaz):
    assert gaz.lookup_key("donetsk") == {
        pid(DONETSK_OBLAST): "official",
        pid(DONETSK_CITY): "kmu-2010",
    }
    assert gaz.lookup_key("donetsk oblast") == {pid(DONETSK_OBLAST): "admin"}
    assert gaz.lookup_key("donetsk region") == {pid(DONETSK_OBLAST): "admin"}
    assert gaz.lookup_key(fold("Donetsk People's Republic")) == {
        pid(DONETSK_OBLAST): "occupation-name"
    }
    # Dnipro is Dnipropetrovsk only as a GeoNames former name; the oblast has it officially
    found = gaz.lookup_key("dnipropetrovsk")
    assert set(found) == {pid(DNIPROPETROVSK_OBLAST), pid(DNIPRO)}
    assert found[pid(DNIPROPETROVSK_OBLAST)] == "official"
    assert found[pid(DNIPRO)] in params().weak_sources


def test_lookup_key_unit_forms(gaz):
    assert gaz.lookup_key("pokrovskyi raion") == {pid(POKROVSK_RAION): "admin"}
    assert gaz.lookup_key("pokrovska hromada") == {pid(POKROVSK_HROMADA): "admin"}
    assert gaz.lookup_key("pokrovska") == {pid(POKROVSK_HROMADA): "kmu-2010"}
    assert gaz.lookup_key("velykomykhailivska territorial community") == {
        pid(VELYKOMYKHAILIVKA_HROMADA): "admin"
    }


def test_lookup_skeleton_finds_variant_spellings(gaz):
    # "Novogeorgiyevka" is no spelling of its own but has the loose key of the Novoheorhiivkas
    assert gaz.lookup_key("novogeorgiyevka") == {}
    hits = gaz.lookup_skeleton(skeleton("Novogeorgiyevka"))
    assert {code(p, gaz) for p, _ in hits} == {NOVOHEORHIIVKA, NOVOHEORHIIVKA_MYKOLAIV}
    assert {key for _, key in hits} >= {"novoheorhiivka", "novogeorgievka", "новогеоргіївка"}
    assert gaz.lookup_skeleton("qqqq") == []


def test_all_keys_and_first_words(gaz):
    assert len(gaz.all_keys) == len(set(gaz.all_keys))
    assert "zaporizke" in gaz.all_keys
    assert "veselyi" in gaz.first_words  # Veselyi Kut
    assert "donetsk" in gaz.first_words  # Donetsk oblast
    assert "zaporizke" not in gaz.first_words  # only ever a one-word name here
    assert skeleton("veselyi") in gaz.first_skeletons
    assert "zaporizke" in gaz.keys_with_initial("z")
    # each pool is exactly the spellings with that initial, in their order
    grouped: dict[str, list[str]] = {}
    for key in gaz.all_keys:
        grouped.setdefault(key[:1], []).append(key)
    for initial in {*grouped, "ї", "~"}:
        assert gaz.keys_with_initial(initial) == grouped.get(initial, [])


# -- places -------------------------------------------------------------------------------------


def test_place_carries_the_row(gaz):
    place = gaz.place(pid(NOVOHEORHIIVKA))
    assert place.katottg == NOVOHEORHIIVKA
    assert (place.name, place.name_uk) == ("Novoheorhiivka", "Новогеоргіївка")
    assert (place.category, place.kind) == ("C", "village")
    assert (place.oblast, place.oblast_iso) == ("Dnipropetrovsk", "UA-12")
    assert place.raion_code == "UA12140000000011720"
    assert place.hromada_code == VELYKOMYKHAILIVKA_HROMADA
    assert place.lon == pytest.approx(36.56987) and place.lat == pytest.approx(47.86949)
    assert place.population == 34
    assert gaz.place(pid(NOVOHEORHIIVKA)) is place  # built once


def test_place_without_coordinates(gaz):
    place = gaz.place(pid(ZORIA_UNLOCATED))
    assert place.name == "Zoria"
    assert place.lon is None and place.lat is None
    assert place.population == 102


def test_place_reads_border_columns():
    table = places_table()
    table = table[table["katottg"] == ZAPORIZKE_VM].copy()
    table["km_to_oblast_border"] = 1.6123054
    table["across_border_code"] = "UA23"
    table["agrees_with_codifier"] = True
    place = Gazetteer.from_frames(table).place(0)
    assert place.katottg == ZAPORIZKE_VM
    assert place.km_to_oblast_border == 1.612
    assert place.across_border == "Zaporizhzhia"
    assert place.agrees_with_codifier is True


def test_katottg_index_maps_every_code_to_its_row(gaz):
    index = gaz.katottg_index
    assert len(index) == len(gaz) == len(places_table())
    for code_, row in index.items():
        assert gaz.places["katottg"].iloc[row] == code_
    assert index[VESELYI_KUT] == list(places_table()["katottg"]).index(VESELYI_KUT)


def test_located_settlements_only(gaz):
    ids, lon, lat = gaz.located
    located_codes = _codes(ids, gaz)
    assert ZORIA_UNLOCATED not in located_codes  # no coordinates
    assert DONETSK_OBLAST not in located_codes and POKROVSK_RAION not in located_codes  # units
    table = places_table()
    settlements = table[table["category"].isin(list("KMTXC")) & table["lon"].notna()]
    assert located_codes == set(settlements["katottg"])
    k = int(np.flatnonzero(ids == pid(POKROVSK))[0])
    assert (lon[k], lat[k]) == (37.17706, 48.28014)


def test_columns_for_ranking(gaz):
    col = gaz.col
    assert col["oblast4"][pid(ZAPORIZKE_VM)] == "UA12"
    assert col["is_region"][pid(POKROVSK_HROMADA)] and not col["is_region"][pid(POKROVSK)]
    assert col["is_settlement"][pid(POKROVSK)] and not col["is_settlement"][pid(DONETSK_OBLAST)]
    assert col["population"][pid(POKROVSK)] == 63635
    assert math.isnan(col["lon"][pid(ZORIA_UNLOCATED)])


def test_display_names_and_oblast_codes(gaz):
    names = gaz.display_names
    assert names == sorted(set(names))
    assert names.count("Zaporizke") == 1 and "Veselyi Kut" in names
    assert gaz.oblast_katottg["UA14"] == DONETSK_OBLAST
    assert gaz.oblast_katottg["UA12"] == DNIPROPETROVSK_OBLAST
