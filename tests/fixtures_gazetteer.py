"""A tiny gazetteer built in code, for stage tests that need no data build.

A few real places, their KATOTTG codes, coordinates and populations copied from the codifier
and GeoNames (as the data build joins them), chosen for the ambiguities the stages must
handle: six villages called Zaporizke (Запорізьке) in four oblasts, two of them in the same
raion but different hromadas; two Novoheorhiivkas; three Zorias, one without coordinates (in
the hromada of Hleiuvatka and Veselyi Kut, a two-word name); Pokrovsk city, raion and
hromada; Donetsk and Dnipro, which share their names with oblasts (Dnipro only through its
former name); Shevchenko, a village and a surname; Step, a village and an English word.
:func:`tiny` builds it with :meth:`tracker.gazetteer.Gazetteer.from_frames`, which spells
every place as the data build does.

Units are given their display name and oblast code as the build gives them (the centre's
Latin name; the oblast's own code); :mod:`tests.test_gazetteer` checks what ``from_frames``
fills in when they are left out.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from tracker.gazetteer import Gazetteer

# -- codes ---------------------------------------------------------------------------------
DNIPROPETROVSK_OBLAST = "UA12000000000090473"
DONETSK_OBLAST = "UA14000000000091971"
ZAPORIZHZHIA_OBLAST = "UA23000000000064947"
MYKOLAIV_OBLAST = "UA48000000000039575"
LUHANSK_OBLAST = "UA44000000000018893"

SYNELNYKOVE_RAION = "UA12140000000011720"
POKROVSK_RAION = "UA14160000000061982"
VELYKOMYKHAILIVKA_HROMADA = "UA12140050000051356"
MEZHOVA_HROMADA = "UA12140150000054570"
POKROVSK_HROMADA = "UA14160210000011148"

#: Zaporizke, Velykomykhailivka hromada (Dnipropetrovsk), 1.6 km from the Donetsk border
ZAPORIZKE_VM = "UA12140050040024246"
#: Zaporizke, Mezhova hromada, same raion (Synelnykove), 47 km north of ZAPORIZKE_VM
ZAPORIZKE_MEZHOVA = "UA12140150120025585"
#: Zaporizke, Donetsk oblast (Volnovakha raion)
ZAPORIZKE_DONETSK = "UA14040090040020976"
#: Zaporizke, Zaporizhzhia oblast (Polohy raion)
ZAPORIZKE_ZAPORIZHZHIA = "UA23100230080040734"
#: Zaporizke, Dnipropetrovsk oblast (Nikopol raion)
ZAPORIZKE_NIKOPOL = "UA12080130090055413"
#: Zaporizke, Luhansk oblast
ZAPORIZKE_LUHANSK = "UA44140130080035547"
ZAPORIZKE = (
    ZAPORIZKE_VM,
    ZAPORIZKE_MEZHOVA,
    ZAPORIZKE_DONETSK,
    ZAPORIZKE_ZAPORIZHZHIA,
    ZAPORIZKE_NIKOPOL,
    ZAPORIZKE_LUHANSK,
)

NOVOHEORHIIVKA = "UA12140050080041206"  # Velykomykhailivka hromada
NOVOHEORHIIVKA_MYKOLAIV = "UA48020010090011814"
BEREZOVE = "UA12140050020044427"  # Velykomykhailivka hromada
TERNOVE = "UA12140050140096397"  # Velykomykhailivka hromada
MEZHOVA = "UA12140150010037835"  # selyshche, centre of the Mezhova hromada

POKROVSK = "UA14160210010099403"  # city
MYRNOHRAD = "UA14160150010065527"  # city, Pokrovsk raion
SHEVCHENKO = "UA14160210030061715"  # selyshche, Pokrovsk hromada
DONETSK_CITY = "UA14080030010048113"
DNIPRO = "UA12020010010037010"  # city; "Dnipropetrovsk" is only its former (GeoNames) name

ZORIA_DONETSK = "UA14120050230096532"  # selyshche, Illinivka hromada (Kramatorsk raion)
ZORIA_POKROVSK = "UA14160110150066368"  # village, Kurakhove hromada (Pokrovsk raion)
ZORIA_UNLOCATED = "UA12060050070082155"  # village in Dnipropetrovsk oblast, no coordinates
HLEIUVATKA = "UA12060050010094800"  # village in the unlocated Zoria's hromada
VESELYI_KUT = "UA12060050020010915"  # village, same hromada: a two-word name

STEP = "UA12120030160058681"  # village Степ: "Step" is also an English word

_COLUMNS = (
    "katottg",
    "name",
    "name_uk",
    "category",
    "oblast_code",
    "raion_code",
    "hromada_code",
    "lon",
    "lat",
    "population",
    "gn_name",
    "gn_alternates",
)
N = None
_ROWS = [
    # first-level units: the build names them by their short English name, with their own code
    (DNIPROPETROVSK_OBLAST, "Dnipropetrovsk", "Дніпропетровська область", "O",
     DNIPROPETROVSK_OBLAST, N, N, 35.165646, 48.324243, 0, N, N),
    (DONETSK_OBLAST, "Donetsk", "Донецька область", "O",
     DONETSK_OBLAST, N, N, 37.837450, 48.043922, 0, N, N),
    (ZAPORIZHZHIA_OBLAST, "Zaporizhzhia", "Запорізька область", "O",
     ZAPORIZHZHIA_OBLAST, N, N, 35.691329, 47.199829, 0, N, N),
    (MYKOLAIV_OBLAST, "Mykolaiv", "Миколаївська область", "O",
     MYKOLAIV_OBLAST, N, N, 32.005194, 47.292413, 0, N, N),
    (LUHANSK_OBLAST, "Luhansk", "Луганська область", "O",
     LUHANSK_OBLAST, N, N, 38.890376, 48.956358, 0, N, N),
    # raions and hromadas: named after their centre (the build's display name)
    (SYNELNYKOVE_RAION, "Synelnykove", "Синельниківський", "P",
     DNIPROPETROVSK_OBLAST, SYNELNYKOVE_RAION, N, 36.059571, 48.242678, 0, N, N),
    (POKROVSK_RAION, "Pokrovsk", "Покровський", "P",
     DONETSK_OBLAST, POKROVSK_RAION, N, 37.443796, 48.203899, 0, N, N),
    (VELYKOMYKHAILIVKA_HROMADA, "Velykomykhailivka", "Великомихайлівська", "H",
     DNIPROPETROVSK_OBLAST, SYNELNYKOVE_RAION, VELYKOMYKHAILIVKA_HROMADA,
     36.525854, 47.932400, 0, N, N),
    (MEZHOVA_HROMADA, "Mezhova", "Межівська", "H",
     DNIPROPETROVSK_OBLAST, SYNELNYKOVE_RAION, MEZHOVA_HROMADA, 36.633892, 48.135350, 0, N, N),
    (POKROVSK_HROMADA, "Pokrovsk", "Покровська", "H",
     DONETSK_OBLAST, POKROVSK_RAION, POKROVSK_HROMADA, 37.168902, 48.207300, 0, N, N),
    # settlements
    (ZAPORIZKE_VM, N, "Запорізьке", "C", DNIPROPETROVSK_OBLAST, SYNELNYKOVE_RAION,
     VELYKOMYKHAILIVKA_HROMADA, 36.53318, 47.85349, 103, "Zaporizke", "Zaporozhskiy"),
    (ZAPORIZKE_MEZHOVA, N, "Запорізьке", "C", DNIPROPETROVSK_OBLAST, SYNELNYKOVE_RAION,
     MEZHOVA_HROMADA, 36.73146, 48.27213, 98, "Zaporizke", "Zaporozhskoye"),
    (ZAPORIZKE_DONETSK, N, "Запорізьке", "C", DONETSK_OBLAST, "UA14040000000098211",
     "UA14040090000061195", 37.65246, 47.38029, 85, N, N),
    (ZAPORIZKE_ZAPORIZHZHIA, N, "Запорізьке", "C", ZAPORIZHZHIA_OBLAST, "UA23100000000034132",
     "UA23100230000021603", 36.72931, 47.58077, 143, N, N),
    (ZAPORIZKE_NIKOPOL, N, "Запорізьке", "C", DNIPROPETROVSK_OBLAST, "UA12080000000023578",
     "UA12080130000071360", 34.84693, 47.73658, 212, N, N),
    (ZAPORIZKE_LUHANSK, N, "Запорізьке", "C", LUHANSK_OBLAST, "UA44140000000031142",
     "UA44140130000089782", 38.96034, 49.31387, 386, N, N),
    (NOVOHEORHIIVKA, N, "Новогеоргіївка", "C", DNIPROPETROVSK_OBLAST, SYNELNYKOVE_RAION,
     VELYKOMYKHAILIVKA_HROMADA, 36.56987, 47.86949, 34, "Novoheorhiivka",
     "Novogeorgievka,Novogeorgiivka,Novoheorhijivka"),
    (NOVOHEORHIIVKA_MYKOLAIV, N, "Новогеоргіївка", "C", MYKOLAIV_OBLAST, "UA48020000000033544",
     "UA48020010000091496", 32.35962, 47.40064, 396, "Novoheorhiivka", "Novogeorgievka"),
    (BEREZOVE, N, "Березове", "C", DNIPROPETROVSK_OBLAST, SYNELNYKOVE_RAION,
     VELYKOMYKHAILIVKA_HROMADA, 36.49855, 47.87394, 585, N, N),
    (TERNOVE, N, "Тернове", "C", DNIPROPETROVSK_OBLAST, SYNELNYKOVE_RAION,
     VELYKOMYKHAILIVKA_HROMADA, 36.53620, 47.88762, 316, N, N),
    (MEZHOVA, N, "Межова", "X", DNIPROPETROVSK_OBLAST, SYNELNYKOVE_RAION, MEZHOVA_HROMADA,
     36.73178, 48.25418, 8049, N, N),
    (POKROVSK, N, "Покровськ", "M", DONETSK_OBLAST, POKROVSK_RAION, POKROVSK_HROMADA,
     37.17706, 48.28014, 63635, "Pokrovsk", "Krasnoarmeysk,Krasnoarmiisk,Grishino"),
    (MYRNOHRAD, N, "Мирноград", "M", DONETSK_OBLAST, POKROVSK_RAION, "UA14160150000038750",
     37.26513, 48.30990, 49644, N, N),
    (SHEVCHENKO, N, "Шевченко", "X", DONETSK_OBLAST, POKROVSK_RAION, POKROVSK_HROMADA,
     37.14467, 48.22193, 2101, N, N),
    (DONETSK_CITY, N, "Донецьк", "M", DONETSK_OBLAST, "UA14080000000098686",
     "UA14080030000053877", 37.80224, 48.02300, 929063, "Donetsk", "Stalino,Yuzovka"),
    (DNIPRO, N, "Дніпро", "M", DNIPROPETROVSK_OBLAST, "UA12020000000052809",
     "UA12020010000033698", 35.04066, 48.46664, 1080486, "Dnipro",
     "Dnipropetrovs'k,Dnepropetrovsk,Dnepr"),
    (ZORIA_DONETSK, N, "Зоря", "X", DONETSK_OBLAST, "UA14120000000070232",
     "UA14120050000033910", 37.67486, 48.36127, 976, N, N),
    (ZORIA_POKROVSK, N, "Зоря", "C", DONETSK_OBLAST, POKROVSK_RAION, "UA14160110000031920",
     37.18378, 48.08082, 214, N, N),
    (ZORIA_UNLOCATED, N, "Зоря", "C", DNIPROPETROVSK_OBLAST, "UA12060000000022633",
     "UA12060050000031212", float("nan"), float("nan"), 102, N, N),
    (HLEIUVATKA, N, "Глеюватка", "C", DNIPROPETROVSK_OBLAST, "UA12060000000022633",
     "UA12060050000031212", 33.43337, 48.04743, 1371, N, N),
    (VESELYI_KUT, N, "Веселий Кут", "C", DNIPROPETROVSK_OBLAST, "UA12060000000022633",
     "UA12060050000031212", 33.38729, 48.00903, 112, N, N),
    (STEP, N, "Степ", "C", DNIPROPETROVSK_OBLAST, "UA12120000000089862",
     "UA12120030000075687", 36.08205, 48.61120, 197, N, N),
]  # fmt: skip


def places_table() -> pd.DataFrame:
    """The places of the tiny gazetteer as a fresh table (callers may change it)."""
    return pd.DataFrame(_ROWS, columns=list(_COLUMNS))


@cache
def tiny() -> Gazetteer:
    """The tiny gazetteer (built once per test session; treat it as read-only)."""
    return Gazetteer.from_frames(places_table())


def pid(code: str, gaz: Gazetteer | None = None) -> int:
    """The place id (row) of KATOTTG *code* in *gaz* (default: :func:`tiny`)."""
    return (gaz or tiny()).katottg_index[code]


def code(place_id: int, gaz: Gazetteer | None = None) -> str:
    """The KATOTTG code of place id *place_id*."""
    return str((gaz or tiny()).col["katottg"][place_id])
