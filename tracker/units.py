"""The 27 first-level units of Ukraine and the ways news spell them.

This is reference knowledge, not third-party data: the ISO 3166-2 codes, the
KATOTTG prefixes, the GeoNames (FIPS-style) admin1 codes and the English
short names. The data build checks every row against the boundary layers and
the codifier, so a wrong row fails the build instead of giving wrong answers.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["OBLASTS", "Oblast", "oblast_by"]


@dataclass(frozen=True, slots=True)
class Oblast:
    """A first-level unit (oblast, Crimea, or a city with special status)."""

    name: str  # English short name, KMU-2010 ("Dnipropetrovsk", "Kyiv City")
    iso: str  # ISO 3166-2 ("UA-12")
    katottg_prefix: str  # first four characters of its KATOTTG codes ("UA12")
    fips: str  # GeoNames admin1 code ("04")
    name_uk: str  # official Ukrainian name
    aliases: tuple[str, ...] = ()  # other spellings, searchable, never displayed
    occupation_names: tuple[str, ...] = ()  # names the occupation authorities use


OBLASTS: tuple[Oblast, ...] = (
    Oblast(
        "Crimea",
        "UA-43",
        "UA01",
        "11",
        "Автономна Республіка Крим",
        ("Autonomous Republic of Crimea", "Krym", "Krim", "Crimean peninsula"),
        ("Republic of Crimea",),
    ),
    Oblast("Vinnytsia", "UA-05", "UA05", "23", "Вінницька область", ("Vinnitsa", "Vinnytska")),
    Oblast("Volyn", "UA-07", "UA07", "24", "Волинська область", ("Volhynia", "Volynska")),
    Oblast(
        "Dnipropetrovsk",
        "UA-12",
        "UA12",
        "04",
        "Дніпропетровська область",
        ("Dnepropetrovsk", "Dnipropetrovska", "Dnipro region", "Dnipro oblast"),
    ),
    Oblast(
        "Donetsk",
        "UA-14",
        "UA14",
        "05",
        "Донецька область",
        ("Donetska", "Donbas"),
        ("Donetsk People's Republic", "Donetsk People’s Republic", "DPR", "DNR"),
    ),
    Oblast("Zhytomyr", "UA-18", "UA18", "27", "Житомирська область", ("Zhitomir", "Zhytomyrska")),
    Oblast(
        "Zakarpattia",
        "UA-21",
        "UA21",
        "25",
        "Закарпатська область",
        ("Transcarpathia", "Zakarpattya", "Zakarpatska", "Transcarpathian"),
    ),
    Oblast(
        "Zaporizhzhia",
        "UA-23",
        "UA23",
        "26",
        "Запорізька область",
        ("Zaporizhia", "Zaporozhye", "Zaporozhzhia", "Zaporizhzhya", "Zaporizka", "Zaporozhe"),
    ),
    Oblast(
        "Ivano-Frankivsk",
        "UA-26",
        "UA26",
        "06",
        "Івано-Франківська область",
        ("Ivano-Frankovsk", "Ivano-Frankivska"),
    ),
    Oblast("Kyiv", "UA-32", "UA32", "13", "Київська область", ("Kiev", "Kyivska")),
    Oblast(
        "Kirovohrad",
        "UA-35",
        "UA35",
        "10",
        "Кіровоградська область",
        ("Kirovograd", "Kirovohradska", "Kropyvnytskyi region"),
    ),
    Oblast(
        "Luhansk",
        "UA-09",
        "UA44",
        "14",
        "Луганська область",
        ("Lugansk", "Luhanska"),
        (
            "Luhansk People's Republic",
            "Luhansk People’s Republic",
            "Lugansk People's Republic",
            "LPR",
            "LNR",
        ),
    ),
    Oblast("Lviv", "UA-46", "UA46", "15", "Львівська область", ("Lvov", "Lwow", "Lvivska")),
    Oblast(
        "Mykolaiv",
        "UA-48",
        "UA48",
        "16",
        "Миколаївська область",
        ("Nikolaev", "Nikolayev", "Mykolayiv", "Mykolaivska"),
    ),
    Oblast("Odesa", "UA-51", "UA51", "17", "Одеська область", ("Odessa", "Odeska")),
    Oblast("Poltava", "UA-53", "UA53", "18", "Полтавська область", ("Poltavska",)),
    Oblast("Rivne", "UA-56", "UA56", "19", "Рівненська область", ("Rovno", "Rivnenska")),
    Oblast("Sumy", "UA-59", "UA59", "21", "Сумська область", ("Sumska",)),
    Oblast("Ternopil", "UA-61", "UA61", "22", "Тернопільська область", ("Ternopol", "Ternopilska")),
    Oblast("Kharkiv", "UA-63", "UA63", "07", "Харківська область", ("Kharkov", "Kharkivska")),
    Oblast("Kherson", "UA-65", "UA65", "08", "Херсонська область", ("Khersonska",)),
    Oblast(
        "Khmelnytskyi",
        "UA-68",
        "UA68",
        "09",
        "Хмельницька область",
        ("Khmelnitsky", "Khmelnytsky", "Khmelnitskiy", "Khmelnytska"),
    ),
    Oblast("Cherkasy", "UA-71", "UA71", "01", "Черкаська область", ("Cherkassy", "Cherkaska")),
    Oblast(
        "Chernivtsi",
        "UA-77",
        "UA73",
        "03",
        "Чернівецька область",
        ("Chernovtsy", "Czernowitz", "Chernivetska"),
    ),
    Oblast(
        "Chernihiv", "UA-74", "UA74", "02", "Чернігівська область", ("Chernigov", "Chernihivska")
    ),
    Oblast("Kyiv City", "UA-30", "UA80", "12", "Київ", ("Kiev City", "City of Kyiv")),
    Oblast(
        "Sevastopol", "UA-40", "UA85", "20", "Севастополь", ("Sebastopol", "City of Sevastopol")
    ),
)

_BY: dict[str, Oblast] = {}
for _o in OBLASTS:
    for _key in (_o.name, _o.iso, _o.katottg_prefix, _o.fips):
        _BY[_key.casefold()] = _o


def oblast_by(key: str) -> Oblast | None:
    """Return the unit for an English short name, ISO code, KATOTTG prefix or FIPS code.

    A full KATOTTG code is accepted too (its first four characters are used).

    Examples
    --------
    >>> oblast_by("UA-12").name
    'Dnipropetrovsk'
    >>> oblast_by("UA14160210010099403").name
    'Donetsk'
    """
    key = key.strip()
    if len(key) == 19 and key.upper().startswith("UA"):
        key = key[:4]
    return _BY.get(key.casefold())
