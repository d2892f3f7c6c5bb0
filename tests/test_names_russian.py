"""Russian forms and shared GeoNames spellings (tracker.names.russian_forms,
tracker.data.variants, issue 11): every codifier name gets its Russian forms, so that a
Russian-style spelling ("Aleksandrovka", "Kurakhovo", "Novyy Mir") finds the right places; a
GeoNames alternate that spells a name is shared by its namesakes, one that is another name is
labelled apart. Unit tests without data, then the real build over the whole codifier."""

from __future__ import annotations

import pytest

from tracker.data.variants import is_spelling, names_for_settlement, namesake_spellings
from tracker.names import fold, russian_forms

KURAKHOVE = "UA14160110010020758"


# -- names.russian_forms --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name_uk", "russian"),
    [
        ("Олександрівка", "Александровка"),  # Олекс- -> Алекс-, -івка -> -овка
        ("Олексіївка", "Алексеевка"),  # і -> е inside the word
        ("Курахове", "Курахово"),  # -ове -> -ово
        ("Новий Мир", "Новый Мир"),  # -ий -> -ый, Мир stays
        ("Покровське", "Покровское"),  # -ське -> -ское
        ("Єлизаветівка", "Елизаветовка"),  # Є -> Е
        ("Мар'їнка", "Маринка"),  # ї -> и, no apostrophe
        ("Новогродівка", "Новогродовка"),
    ],
)
def test_russian_forms_of_a_ukrainian_name(name_uk, russian):
    """The fully Russian form of a codifier name (knowledge/russian_forms.toml)."""
    assert russian in russian_forms(name_uk)[0]


def test_half_russian_forms_change_only_the_start():
    """ "Олексіївка": the half form keeps the Ukrainian ending (Алексіївка, read the Ukrainian
    way: "Aleksiivka")."""
    full, half = russian_forms("Олексіївка")
    assert half == ("Алексіївка",) and "Алексіївка" not in full


def test_a_name_with_no_russian_form():
    """A name the rules do not change has none (not itself)."""
    assert russian_forms("Мирноград") == ((), ())


def test_russian_forms_are_spellings_of_a_settlement():
    """`names_for_settlement` spells Курахове "Kurakhovo" and "Kurakhovoye" (russian-form)."""
    rows = {key: source for _, _, key, _, source in names_for_settlement(0, "Курахове")}
    assert rows["kurakhovo"] == "russian-form"
    assert rows["kurakhove"] == "kmu-2010"
    assert any(k.startswith("kurakhovo") and s == "russian-form" for k, s in rows.items())


# -- variants: spellings, namesakes, other names --------------------------------------------------


def _own(name_uk: str) -> frozenset[str]:
    return frozenset(key for _, _, key, _, _ in names_for_settlement(0, name_uk))


def test_is_spelling_accepts_a_russian_spelling_of_the_name():
    """ "Zaporozhskoye" is a spelling of Запорізьке (same start, >= 78 % similar)."""
    assert is_spelling("Zaporozhskoye", _own("Запорізьке"))
    assert is_spelling("Zaporizke", _own("Запорізьке"))


@pytest.mark.parametrize(
    ("alternate", "name_uk"),
    [
        ("Novogeorgievka", "Георгіївка"),  # another village's name
        ("Volnovakha", "Водяне"),  # a nearby town's
        ("Krasnoarmeysk", "Покровськ"),  # a former name
    ],
)
def test_is_spelling_refuses_other_names(alternate, name_uk):
    """An alternate that is another name of the place, or an error, is not a spelling."""
    assert not is_spelling(alternate, _own(name_uk))


def test_namesakes_share_only_spellings():
    """Every Запорізьке gets the "Zaporozhskoye" GeoNames gives one of them; a Георгіївка does
    not get the "Novogeorgievka" GeoNames gives it, nor does "Chapaevka" spread."""
    shared = namesake_spellings(
        [
            ("Запорізьке", "Zaporizke", "Zaporozhskoye,Chapaevka"),
            ("Запорізьке", None, None),
            ("Георгіївка", "Heorhiivka", "Novogeorgievka,Georgiyevka"),
        ]
    )
    assert shared["Запорізьке"] == ("Zaporizke", "Zaporozhskoye")
    assert shared["Георгіївка"] == ("Georgiyevka", "Heorhiivka")


def test_names_for_settlement_labels_geonames_spellings_and_other_names():
    """GeoNames alternates that spell the name are "geonames", other names "geonames-other";
    a namesake's shared spellings are "geonames"."""
    rows = names_for_settlement(
        0,
        "Покровськ",
        gn_name="Pokrovsk",
        gn_alternates="Pokrovs'k,Krasnoarmeysk,Grishino",
        shared=("Pokrovskoye",),
    )
    source = {key: src for _, _, key, _, src in rows}
    assert source["pokrovsk"] == "kmu-2010"  # the official form wins its key
    assert source["pokrovsk"] != "geonames"
    assert source["krasnoarmeysk"] == "geonames-other"
    assert source["grishino"] == "geonames-other"
    assert source["pokrovskoye"] == "geonames"


def test_a_missing_geonames_alternate_is_no_spelling():
    """A settlement GeoNames gives no alternates (a NaN in the joined table)."""
    rows = names_for_settlement(0, "Хортиця", gn_name=None, gn_alternates=float("nan"))
    assert "nan" not in {key for _, _, key, _, _ in rows}


# -- the real build -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real(built):
    from tracker.gazetteer import load

    return load()


def _names_uk(gaz, query: str) -> dict[int, str]:
    return {p: str(gaz.col["name_uk"][p]) for p in gaz.lookup_key(fold(query))}


def test_real_build_aleksandrovka_finds_the_oleksandrivkas(real):
    """ "Aleksandrovka" is a Russian form of every Олександрівка of the codifier (100 and more),
    not only of those GeoNames spells so."""
    hits = real.lookup_key("aleksandrovka")
    olek = [p for p in hits if real.col["name_uk"][p] == "Олександрівка"]
    codifier = int((real.places["name_uk"] == "Олександрівка").sum())
    assert len(olek) == codifier >= 100
    assert sum(hits[p] == "russian-form" for p in olek) >= 0.8 * len(olek)


def test_real_build_kurakhovo_is_kurakhove(real):
    """ "Kurakhovo" (the Russian name) is the city of Kurakhove."""
    import tracker

    (best,) = tracker.where("Kurakhovo", limit=1)
    assert best.katottg == KURAKHOVE
    assert best.evidence[0] == "name: exact (russian-form)"


@pytest.mark.parametrize(
    ("name_uk", "russian"),
    [("Вугледар", "Угледар"), ("Вузлове", "Узловое"), ("Вуглегірськ", "Углегирск")],
)
def test_the_prosthetic_v_has_no_russian_form(name_uk, russian):
    """Ukrainian's initial в before у is not Russian's: Вугледар is Угледар ("Ugledar")."""
    assert russian in russian_forms(name_uk)[0]


def test_real_build_ugledar_is_vuhledar(real):
    """ "Ugledar" (the Russian name, as TASS writes it) is the city of Vuhledar."""
    import tracker

    (best,) = tracker.where("Ugledar", limit=1)
    assert best.name_uk == "Вугледар" and best.oblast == "Donetsk"
    assert best.evidence[0] == "name: exact (russian-form)"


def test_real_build_novyy_mir_finds_every_novyi_myr(real):
    """ "Novyy Mir" finds every Новий Мир, by its Russian form."""
    names = _names_uk(real, "Novyy Mir")
    novyi = [p for p, n in names.items() if n == "Новий Мир"]
    assert len(novyi) == int((real.places["name_uk"] == "Новий Мир").sum()) >= 5
    assert all(real.lookup_key("novyy mir")[p] == "russian-form" for p in novyi)


def test_real_build_namesakes_share_zaporozhskoye_not_novogeorgievka(real):
    """Every Запорізьке answers to "Zaporozhskoye"; "Novogeorgievka" does not spread to the
    Георгіївкаs."""
    zap = _names_uk(real, "Zaporozhskoye")
    assert set(zap.values()) == {"Запорізьке"}
    assert len(zap) == int((real.places["name_uk"] == "Запорізьке").sum())
    hits = real.lookup_key("novogeorgievka")
    heorhiivka = [p for p in hits if real.col["name_uk"][p] == "Георгіївка"]
    # at most the one Георгіївка GeoNames itself gives it, as another name, not all eight
    assert len(heorhiivka) <= 1 < int((real.places["name_uk"] == "Георгіївка").sum())
    assert all(hits[p] == "geonames-other" for p in heorhiivka)
    assert any(real.col["name_uk"][p] == "Новогеоргіївка" for p in hits)


def test_real_build_has_no_spelling_nan(real):
    """No settlement is spelled "nan" (the text of a missing value)."""
    assert real.lookup_key("nan") == {}
