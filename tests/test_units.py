"""The 27 first-level units and their codes."""

from __future__ import annotations

import pytest

from tracker.units import OBLASTS, Oblast, oblast_by

# GeoNames admin1 (FIPS-style) -> ISO 3166-2 -> English short name, as measured in the mirror
# README (../shared/geodata/README.md, "Known facts").
FIPS_TABLE = """
01 UA-71 Cherkasy
02 UA-74 Chernihiv
03 UA-77 Chernivtsi
04 UA-12 Dnipropetrovsk
05 UA-14 Donetsk
06 UA-26 Ivano-Frankivsk
07 UA-63 Kharkiv
08 UA-65 Kherson
09 UA-68 Khmelnytskyi
10 UA-35 Kirovohrad
11 UA-43 Crimea
12 UA-30 Kyiv City
13 UA-32 Kyiv
14 UA-09 Luhansk
15 UA-46 Lviv
16 UA-48 Mykolaiv
17 UA-51 Odesa
18 UA-53 Poltava
19 UA-56 Rivne
20 UA-40 Sevastopol
21 UA-59 Sumy
22 UA-61 Ternopil
23 UA-05 Vinnytsia
24 UA-07 Volyn
25 UA-21 Zakarpattia
26 UA-23 Zaporizhzhia
27 UA-18 Zhytomyr
"""
FIPS_ROWS = [tuple(line.split(" ", 2)) for line in FIPS_TABLE.strip().splitlines()]

# The KATOTTG prefixes that do not follow the ISO number.
ODD_PREFIXES = {
    "Crimea": "UA01",
    "Luhansk": "UA44",
    "Chernivtsi": "UA73",
    "Kyiv City": "UA80",
    "Sevastopol": "UA85",
}


def test_27_units():
    assert len(OBLASTS) == 27
    assert len(FIPS_ROWS) == 27
    assert all(isinstance(o, Oblast) for o in OBLASTS)


@pytest.mark.parametrize("field", ["name", "iso", "katottg_prefix", "fips", "name_uk"])
def test_codes_unique(field):
    values = [getattr(o, field) for o in OBLASTS]
    assert len(set(values)) == 27, sorted(v for v in values if values.count(v) > 1)


def test_code_formats():
    for o in OBLASTS:
        assert o.iso.startswith("UA-") and len(o.iso) == 5 and o.iso[3:].isdigit(), o
        assert o.katottg_prefix.startswith("UA") and len(o.katottg_prefix) == 4, o
        assert o.katottg_prefix[2:].isdigit(), o
        assert len(o.fips) == 2 and o.fips.isdigit(), o


@pytest.mark.parametrize(("fips", "iso", "name"), FIPS_ROWS, ids=[r[2] for r in FIPS_ROWS])
def test_fips_table(fips, iso, name):
    unit = oblast_by(fips)
    assert unit is not None, fips
    assert (unit.fips, unit.iso, unit.name) == (fips, iso, name)
    assert oblast_by(iso) is unit
    assert oblast_by(name) is unit


def test_fips_of_the_front_line_oblasts():
    assert oblast_by("04").name == "Dnipropetrovsk"
    assert oblast_by("05").name == "Donetsk"
    assert oblast_by("14").name == "Luhansk"


def test_fips_table_covers_every_unit():
    assert {(o.fips, o.iso, o.name) for o in OBLASTS} == set(FIPS_ROWS)


@pytest.mark.parametrize(("name", "prefix"), sorted(ODD_PREFIXES.items()))
def test_odd_katottg_prefixes(name, prefix):
    assert oblast_by(name).katottg_prefix == prefix
    assert oblast_by(prefix).name == name


def test_ordinary_katottg_prefixes_follow_iso():
    for o in OBLASTS:
        if o.name not in ODD_PREFIXES:
            assert o.katottg_prefix[2:] == o.iso[3:], o


@pytest.mark.parametrize("unit", OBLASTS, ids=lambda o: o.name)
def test_oblast_by_every_key_returns_that_unit(unit):
    for key in (unit.name, unit.iso, unit.katottg_prefix, unit.fips):
        assert oblast_by(key) is unit, key
        assert oblast_by(key.lower()) is unit, key
        assert oblast_by(f"  {key.upper()} ") is unit, key


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("UA14160210010099403", "Donetsk"),
        ("UA12140050080041206", "Dnipropetrovsk"),
        ("ua12140050080041206", "Dnipropetrovsk"),
        ("UA44000000000000000", "Luhansk"),
        ("UA01000000000000000", "Crimea"),
        ("UA80000000000000000", "Kyiv City"),
    ],
)
def test_oblast_by_full_katottg_code(code, name):
    assert len(code) == 19
    assert oblast_by(code).name == name


@pytest.mark.parametrize(
    "key", ["", "Narnia", "UA-99", "UA99", "00", "28", "UA1416021001009940", "Kiev", "Donbas"]
)
def test_oblast_by_unknown(key):
    # aliases are for search (find_oblast), not for this exact lookup
    assert oblast_by(key) is None


def test_ukrainian_names():
    assert oblast_by("UA-12").name_uk == "Дніпропетровська область"
    assert oblast_by("UA-14").name_uk == "Донецька область"
    assert oblast_by("Kyiv City").name_uk == "Київ"


def test_geonames_admin1_file_agrees(sources_dir):
    """Every UA row of the mirror's admin1CodesASCII.txt names the unit with that FIPS code."""
    path = sources_dir / "geonames" / "admin1CodesASCII.txt"
    rows = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        code, name, *_ = line.split("\t")
        if code.startswith("UA."):
            rows[code[3:]] = name
    assert set(rows) == {o.fips for o in OBLASTS}
    for fips, gn_name in rows.items():
        unit = oblast_by(fips)
        spellings = {unit.name, *unit.aliases}
        assert gn_name in spellings or gn_name.startswith(unit.name + " "), (fips, gn_name)
