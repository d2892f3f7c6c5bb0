"""Name folding, official transliteration, spelling variants and skeleton keys."""

from __future__ import annotations

import pytest

from tracker.names import fold, has_cyrillic, latin_variants, official_latin, skeleton

# -- fold ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Zaporiz'ke",  # ASCII apostrophe
        "Zaporiz’ke",  # U+2019 right single quotation mark
        "Zaporizʼke",  # U+02BC modifier letter apostrophe (the official Ukrainian one)
        "Zaporiz`ke",  # backtick
        "ZAPORIZKE",
        "  Zaporizke ",
    ],
)
def test_fold_removes_apostrophes_case_and_outer_space(text):
    assert fold(text) == "zaporizke"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ukraïnsk", "ukrainsk"),
        ("Ukrai\u0308nsk", "ukrainsk"),  # decomposed ï
        ("Kámiani", "kamiani"),
        ("Dniprodzerzhyns'k", "dniprodzerzhynsk"),
        ("Ôdesa", "odesa"),
    ],
)
def test_fold_strips_latin_diacritics(text, expected):
    assert fold(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Знам'янка", "знамянка"),
        ("Знам’янка", "знамянка"),
        ("Знамʼянка", "знамянка"),
        ("Край", "край"),  # й stays й (not и)
        ("Київ", "київ"),  # ї stays ї (not і)
        ("Їжаківка", "їжаківка"),
        ("Краи\u0306", "край"),  # decomposed й is recomposed, not stripped to и
        ("Украі\u0308нка", "українка"),  # decomposed ї likewise
    ],
)
def test_fold_keeps_cyrillic_letters(text, expected):
    assert fold(text) == expected
    assert has_cyrillic(fold(text))


def test_fold_does_not_confuse_й_with_и_or_ї_with_і():
    assert fold("Край") != fold("Краи")
    assert fold("Київ") != fold("Кіів")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Velyka-Novosilka", "velyka novosilka"),
        ("Velyka – Novosilka", "velyka novosilka"),
        ("Mali   Shcherbaky", "mali shcherbaky"),
        ("Mala_Tokmachka", "mala tokmachka"),
        ("Pokrovsk (Donetsk)", "pokrovsk donetsk"),
    ],
)
def test_fold_hyphens_and_spaces(text, expected):
    assert fold(text) == expected


def test_fold_does_not_transliterate():
    assert fold("Запорізьке") != fold("Zaporizke")
    assert fold("") == ""


# -- official_latin (KMU-2010) -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("uk", "latin"),
    [
        ("Новогеоргіївка", "Novoheorhiivka"),
        ("Запорізьке", "Zaporizke"),
        ("Зоря", "Zoria"),
        ("Знам'янка", "Znamianka"),
        ("Знам’янка", "Znamianka"),
        ("Знамʼянка", "Znamianka"),
        ("Згурівка", "Zghurivka"),  # зг -> zgh
        ("Єнакієве", "Yenakiieve"),  # initial Є -> Ye, inner є -> ie
        ("Їжаківка", "Yizhakivka"),  # initial Ї -> Yi
        ("Юрівка", "Yurivka"),
        ("Щастя", "Shchastia"),
        ("Ґалаґанівка", "Galaganivka"),
        ("Мар'їнка", "Marinka"),
        ("Очеретине", "Ocheretyne"),
        ("Малі Щербаки", "Mali Shcherbaky"),
        ("Авдіївка", "Avdiivka"),
        ("Красноармійськ", "Krasnoarmiisk"),
    ],
)
def test_official_latin_kmu_2010(uk, latin):
    assert official_latin(uk) == latin


@pytest.mark.parametrize("apostrophe", ["`", "‘"])
def test_official_latin_other_apostrophes(apostrophe):
    assert official_latin(f"Знам{apostrophe}янка") == "Znamianka"


# -- latin_variants ------------------------------------------------------------------------------


def test_latin_variants_zorya_has_bgn_and_kmu():
    variants = latin_variants("Зоря")
    assert {"zorya", "zoria"} <= variants


def test_latin_variants_are_folded_latin():
    for name in ("Зоря", "Новогеоргіївка", "Знам'янка", "Курахово", "Красный Лиман"):
        variants = latin_variants(name)
        assert variants, name
        for v in variants:
            assert v == fold(v), (name, v)
            assert not has_cyrillic(v), (name, v)


def test_latin_variants_ukrainian_forms():
    variants = latin_variants("Новогеоргіївка")
    assert {"novoheorhiivka", "novoheorhiyivka"} <= variants
    assert {"avdiivka", "avdiyivka"} <= latin_variants("Авдіївка")
    assert "znamianka" in latin_variants("Знам'янка")
    assert "znamyanka" in latin_variants("Знам’янка")


def test_latin_variants_russian_name():
    assert "kurakhovo" in latin_variants("Курахово")
    # Russian systems spell и as i (Ukrainian ones as y): the press form of the Russian name
    assert "yasinovataya" in latin_variants("Ясиноватая")
    # a letter only Russian has (ы) switches the Russian systems on
    assert "krasnyy liman" in latin_variants("Красный Лиман")


def test_latin_variants_of_latin_input_is_its_fold():
    assert latin_variants("Zaporiz’ke") == {"zaporizke"}
    assert latin_variants("") == set()
    assert latin_variants("--") == set()


# -- skeleton ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "group",
    [
        ("Novogeorgievka", "Novoheorhiyivka", "Novoheorhiivka", "Новогеоргіївка"),
        ("Zorya", "Zoria", "Zorja", "Зоря"),
        ("Ocheretine", "Ocheretyne", "Очеретине"),
        ("Maly Shcherbaky", "Mali Shcherbaky", "Малі Щербаки"),
        ("Avdiyivka", "Avdeevka", "Avdiivka", "Авдіївка", "Авдеевка"),
        ("Krasnoarmeysk", "Krasnoarmiisk", "Красноармійськ"),
        ("Zaporiz'ke", "Zaporizke", "Запорізьке"),
        ("Znamianka", "Znamyanka", "Знам'янка", "Знам’янка"),
        ("Mar'inka", "Maryinka", "Marinka", "Мар'їнка"),
        ("Kurakhove", "Kurahove", "Курахове"),
        ("Oleksandrivka", "Olexandrivka", "Олександрівка"),
    ],
    ids=lambda g: g[0],
)
def test_skeleton_collisions(group):
    keys = {name: skeleton(name) for name in group}
    assert len(set(keys.values())) == 1, keys


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Zoria", "Zirka"),
        ("Зоря", "Зірка"),
        ("Pokrovsk", "Pokrovske"),
        ("Покровськ", "Покровське"),
        ("Novoheorhiivka", "Novohrodivka"),
        ("Novoheorhiivka", "Novoserhiivka"),
        ("Kurakhove", "Kurakhivka"),
        ("Zaporizke", "Zaporizhzhia"),
        ("Mala Tokmachka", "Mali Shcherbaky"),
    ],
)
def test_skeleton_distinctions(a, b):
    assert skeleton(a) != skeleton(b)


def test_skeleton_ignores_spaces_case_and_hyphens():
    assert (
        skeleton("Velyka Novosilka") == skeleton("VELYKA-NOVOSILKA") == skeleton("Velykanovosilka")
    )


def test_skeleton_of_cyrillic_is_latin():
    for name in ("Новогеоргіївка", "Зоря", "Знам'янка", "Очеретине", "Щастя"):
        assert not has_cyrillic(skeleton(name)), name


@pytest.mark.parametrize(
    ("cyrillic", "latins"),
    [
        ("Артёмовск", ("Artemovsk", "Artyomovsk")),
        ("Красный Лиман", ("Krasny Liman", "Krasnyy Liman")),
        ("Эрастовка", ("Erastovka",)),
    ],
)
def test_skeleton_of_russian_cyrillic_names(cyrillic, latins):
    assert not has_cyrillic(skeleton(cyrillic))
    assert skeleton(cyrillic) in {skeleton(latin) for latin in latins}


def test_fold_of_ascii_text_is_that_of_the_general_path():
    import random

    from tracker import names

    rnd = random.Random(7)
    texts = ["", " ", "O'Neil", "Kramatorsk-Druzhkivka", "a`b", "  New_York  ", "\x1c\x1fx", "U.S."]
    texts += [
        "".join(chr(rnd.randint(0, 127)) for _ in range(rnd.randint(0, 14))) for _ in range(20000)
    ]
    for text in texts:
        assert fold.__wrapped__(text) == names._fold_chars(text), repr(text)
