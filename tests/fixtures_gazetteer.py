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

:func:`wider` adds the places the tests of the accuracy mechanisms need (issue 11: weak
spellings, directions, stated regions, city versus village, bearings, hyphen pairs), kept out
of :func:`tiny`, whose tests rely on those names being absent.
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

# -- added for the accuracy-mechanism tests (issue 11) -------------------------------------------
KHARKIV_OBLAST = "UA63000000000041885"
SUMY_OBLAST = "UA59000000000057109"
ZAPORIZHZHIA_RAION = "UA23060000000070350"
POLOHY_RAION = "UA23100000000034132"
ZAPORIZHZHIA_HROMADA = "UA23060070000082704"

RODYNSKE = "UA14160210020079908"  # city, Pokrovsk hromada (GeoNames: former name Krasnyy Liman)
SELYDOVE = "UA14160230010080205"  # city, Pokrovsk raion
NOVOHRODIVKA = "UA14160170010061687"  # city, Pokrovsk raion
#: Yablunivka, Yunakivka hromada (Sumy), 5 km from Yunakivka, on the Russian border
YABLUNIVKA_SUMY = "UA59080310100055321"
YUNAKIVKA = "UA59080310010046655"  # village, centre of its hromada (Sumy); GeoNames "Junakivka"
#: Yablunivka, Illinivka hromada (Donetsk), 8 km from ZORIA_DONETSK: the namesake
YABLUNIVKA_DONETSK = "UA14120050200072681"
#: Novopavlivka, Dnipropetrovsk oblast: the settlement the "Novopavlivka direction" is named after
NOVOPAVLIVKA = "UA12140190010085809"
NOVOPAVLIVKA_POKROVSK = "UA14160210210094331"  # the namesake 4 km from Pokrovsk
#: Oleksandrivka, Dnipropetrovsk oblast: the settlement of the "Oleksandrivka direction"
OLEKSANDRIVKA = "UA12140250330083280"
OLEKSANDRIVKA_DONETSK = "UA14080030050054434"  # selyshche by Donetsk city, 4,068 people
KHORTYTSIA = "UA23060050070050916"  # village by Zaporizhzhia, no coordinates
KYIV = "UA80000000000093317"  # the capital: a city with special status (a first-level unit)
KYIV_VILLAGE = "UA48040230080020671"  # a village called Kyiv, Mykolaiv oblast
PRYDNIPROVSKE = "UA23060330280036255"  # village, Zaporizhzhia raion
ZAPORIZHZHIA_CITY = "UA23060070010069526"  # the regional centre
ZAPORIZHZHIA_VILLAGE = "UA14160210110032721"  # a village called Zaporizhzhia, Pokrovsk hromada
ORIKHIV = "UA23100170010023304"  # city, Zaporizhzhia oblast
POLOHY = "UA23100190010032690"  # city, centre of the Polohy hromada
POLOHY_VILLAGE = "UA23100190160083823"  # a village called Polohy in the same hromada, unlocated

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


#: Rows of :func:`wider` only (the tiny gazetteer's tests rely on these names being absent:
#: "Polohy" there is a hint's unknown word). Each is a real place, copied from the data build.
_WIDER_ROWS = [
    (KHARKIV_OBLAST, "Kharkiv", "Харківська область", "O",
     KHARKIV_OBLAST, N, N, 36.663497, 49.495609, 0, N, N),
    (SUMY_OBLAST, "Sumy", "Сумська область", "O",
     SUMY_OBLAST, N, N, 33.675925, 51.239018, 0, N, N),
    (ZAPORIZHZHIA_RAION, "Zaporizhzhia", "Запорізький", "P",
     ZAPORIZHZHIA_OBLAST, ZAPORIZHZHIA_RAION, N, 35.485626, 47.852422, 0, N, N),
    (ZAPORIZHZHIA_HROMADA, "Zaporizhzhia", "Запорізька", "H",
     ZAPORIZHZHIA_OBLAST, ZAPORIZHZHIA_RAION, ZAPORIZHZHIA_HROMADA, 35.186997, 47.853754, 0, N, N),
    (RODYNSKE, N, "Родинське", "M", DONETSK_OBLAST, POKROVSK_RAION, POKROVSK_HROMADA,
     37.20641, 48.35415, 11996, "Rodynske", "Rodinskoye,Krasnyy Liman"),
    (SELYDOVE, N, "Селидове", "M", DONETSK_OBLAST, POKROVSK_RAION, "UA14160230000060952",
     37.30220, 48.14650, 24366, "Selydove", "Selidovka"),
    (NOVOHRODIVKA, N, "Новогродівка", "M", DONETSK_OBLAST, POKROVSK_RAION,
     "UA14160170000023385", 37.33883, 48.20052, 17473, "Novohrodivka", "Novogrodivka"),
    (YABLUNIVKA_SUMY, N, "Яблунівка", "C", SUMY_OBLAST, "UA59080000000057897",
     "UA59080310000049988", 34.97065, 51.14003, 168, "Yablunivka", "Jablunivka,Yablonovka"),
    (YUNAKIVKA, N, "Юнаківка", "C", SUMY_OBLAST, "UA59080000000057897",
     "UA59080310000049988", 35.03850, 51.12262, 1741, "Yunakivka", "Junakivka"),
    (YABLUNIVKA_DONETSK, N, "Яблунівка", "C", DONETSK_OBLAST, "UA14120000000070232",
     "UA14120050000033910", 37.61444, 48.42128, 811, "Yablunivka", "Jablunivka,Yablonovka"),
    (NOVOPAVLIVKA, N, "Новопавлівка", "C", DNIPROPETROVSK_OBLAST, SYNELNYKOVE_RAION,
     "UA12140190000047361", 36.78654, 48.13816, 3439, "Novopavlivka", "Novopavlovka"),
    (NOVOPAVLIVKA_POKROVSK, N, "Новопавлівка", "C", DONETSK_OBLAST, POKROVSK_RAION,
     POKROVSK_HROMADA, 37.21900, 48.24828, 464, "Novopavlivka", "Novopavlovka"),
    (OLEKSANDRIVKA, N, "Олександрівка", "C", DNIPROPETROVSK_OBLAST, SYNELNYKOVE_RAION,
     "UA12140250000015858", 36.23760, 47.97139, 1951, "Oleksandrivka", "Aleksandrovka"),
    (OLEKSANDRIVKA_DONETSK, N, "Олександрівка", "X", DONETSK_OBLAST, "UA14080000000098686",
     "UA14080030000053877", 37.57872, 47.92073, 4068, "Oleksandrivka", "Aleksandrovka"),
    (KHORTYTSIA, N, "Хортиця", "C", ZAPORIZHZHIA_OBLAST, ZAPORIZHZHIA_RAION,
     "UA23060050000065959", float("nan"), float("nan"), 0, N, N),
    (KYIV, "Kyiv", "Київ", "K", KYIV, N, N, 30.52380, 50.45466, 2952301, "Kyiv", "Kiev"),
    (KYIV_VILLAGE, N, "Київ", "C", MYKOLAIV_OBLAST, "UA48040000000011780",
     "UA48040230000012964", 31.02245, 47.86401, 17, N, N),
    (PRYDNIPROVSKE, N, "Придніпровське", "C", ZAPORIZHZHIA_OBLAST, ZAPORIZHZHIA_RAION,
     "UA23060330000027462", 35.09038, 47.95973, 79, "Prydniprovske", "Pridneprovskoye"),
    (ZAPORIZHZHIA_CITY, N, "Запоріжжя", "M", ZAPORIZHZHIA_OBLAST, ZAPORIZHZHIA_RAION,
     ZAPORIZHZHIA_HROMADA, 35.11714, 47.85167, 706116, "Zaporizhzhia", "Zaporozhye"),
    (ZAPORIZHZHIA_VILLAGE, N, "Запоріжжя", "C", DONETSK_OBLAST, POKROVSK_RAION,
     POKROVSK_HROMADA, 36.99439, 48.10409, 238, N, N),
    (ORIKHIV, N, "Оріхів", "M", ZAPORIZHZHIA_OBLAST, POLOHY_RAION, "UA23100170000031289",
     35.78333, 47.57613, 15544, "Orikhiv", "Orekhov"),
    (POLOHY, N, "Пологи", "M", ZAPORIZHZHIA_OBLAST, POLOHY_RAION, "UA23100190000020018",
     36.25463, 47.47865, 20223, "Polohy", "Pologi"),
    (POLOHY_VILLAGE, N, "Пологи", "C", ZAPORIZHZHIA_OBLAST, POLOHY_RAION,
     "UA23100190000020018", float("nan"), float("nan"), 3215, N, N),
]  # fmt: skip


def places_table() -> pd.DataFrame:
    """The places of the tiny gazetteer as a fresh table (callers may change it)."""
    return pd.DataFrame(_ROWS, columns=list(_COLUMNS))


@cache
def tiny() -> Gazetteer:
    """The tiny gazetteer (built once per test session; treat it as read-only)."""
    return Gazetteer.from_frames(places_table())


def wider_table() -> pd.DataFrame:
    """The places of :func:`wider` as a fresh table: the tiny gazetteer's and ``_WIDER_ROWS``."""
    return pd.DataFrame(_ROWS + _WIDER_ROWS, columns=list(_COLUMNS))


@cache
def wider() -> Gazetteer:
    """The tiny gazetteer plus the places the accuracy-mechanism tests need (issue 11): the
    Pokrovsk-area cities, two Yablunivkas and Yunakivka, the settlements two named directions
    are named after and their namesakes, Khortytsia, Kyiv and a village called Kyiv,
    Prydniprovske, Zaporizhzhia city and a village of that name, Orikhiv, Polohy city and the
    village Polohy of its hromada, Kharkiv and Sumy oblasts (built once; read-only)."""
    return Gazetteer.from_frames(wider_table())


def pid(code: str, gaz: Gazetteer | None = None) -> int:
    """The place id (row) of KATOTTG *code* in *gaz* (default: :func:`tiny`)."""
    return (gaz or tiny()).katottg_index[code]


def code(place_id: int, gaz: Gazetteer | None = None) -> str:
    """The KATOTTG code of place id *place_id*."""
    return str((gaz or tiny()).col["katottg"][place_id])
