"""tracker.mentions on short texts and the tiny gazetteer: what is a mention, of what kind,
with which candidates (no data build)."""

from __future__ import annotations

import pytest

from tests.fixtures_gazetteer import (
    DNIPROPETROVSK_OBLAST,
    DONETSK_CITY,
    DONETSK_OBLAST,
    MYRNOHRAD,
    NOVOHEORHIIVKA,
    NOVOHEORHIIVKA_MYKOLAIV,
    POKROVSK,
    POKROVSK_RAION,
    SHEVCHENKO,
    STEP,
    SYNELNYKOVE_RAION,
    VELYKOMYKHAILIVKA_HROMADA,
    VESELYI_KUT,
    ZAPORIZHZHIA_OBLAST,
    ZAPORIZKE,
    code,
    tiny,
)
from tracker.gazetteer import Gazetteer
from tracker.mentions import find_mentions, sentence_spans


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return tiny()


def _found(text: str, gaz) -> list[tuple[str, str, set[str]]]:
    """(surface, kind, candidate codes) of every mention, after checking the offsets."""
    out = []
    for m in find_mentions(text, gaz):
        assert text[m.start : m.end] == m.text
        out.append((m.text, m.kind, {code(p) for p in m.candidates}))
    return out


# -- settlements ----------------------------------------------------------------------------------


def test_settlements_with_every_candidate_and_offsets(gaz):
    text = "Russian troops entered Zaporizke and Novoheorhiivka in Dnipropetrovsk Oblast."
    ms = find_mentions(text, gaz)
    assert [(m.start, m.end, m.text, m.kind) for m in ms] == [
        (23, 32, "Zaporizke", "settlement"),
        (37, 51, "Novoheorhiivka", "settlement"),
        (55, 76, "Dnipropetrovsk Oblast", "oblast"),
    ]
    assert {code(p) for p in ms[0].candidates} == set(ZAPORIZKE)
    assert {code(p) for p in ms[1].candidates} == {NOVOHEORHIIVKA, NOVOHEORHIIVKA_MYKOLAIV}
    assert [code(p) for p in ms[2].candidates] == [DNIPROPETROVSK_OBLAST]
    assert [m.cue for m in ms] == ["entered", "and", "in"]
    assert ms[0].similarity == (100.0,) * len(ZAPORIZKE)
    assert set(ms[0].sources) == {"kmu-2010"}


def test_two_word_name(gaz):
    assert _found("Shelling near Veselyi Kut overnight.", gaz) == [
        ("Veselyi Kut", "settlement", {VESELYI_KUT})
    ]


def test_ukrainian_spelling(gaz):
    assert _found("Село Запорізьке", gaz) == [("Запорізьке", "settlement", set(ZAPORIZKE))]
    assert find_mentions("Село Запорізьке", gaz)[0].sources == ("official",) * len(ZAPORIZKE)


def test_misspelt_name_after_a_move_cue(gaz):
    ms = find_mentions("Russian forces advanced towards Zaprizke.", gaz)
    assert [m.text for m in ms] == ["Zaprizke"]
    assert {code(p) for p in ms[0].candidates} == set(ZAPORIZKE)
    assert all(88 <= s < 100 for s in ms[0].similarity)
    assert find_mentions("Zaprizke is quiet.", gaz) == []  # no cue: not guessed


def test_geonames_only_spelling_needs_a_cue(gaz):
    assert _found("Fighting near Krasnoarmeysk.", gaz) == [
        ("Krasnoarmeysk", "settlement", {POKROVSK})
    ]
    assert _found("Krasnoarmeysk was renamed in 2016.", gaz) == []


# -- level words ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "surface", "kind", "codes"),
    [
        ("Shelling in Donetsk Oblast.", "Donetsk Oblast", "oblast", {DONETSK_OBLAST}),
        ("Shelling in Donetsk region.", "Donetsk region", "oblast", {DONETSK_OBLAST}),
        ("Shelling in Donetsk oblast.", "Donetsk oblast", "oblast", {DONETSK_OBLAST}),
        ("Donetsk City was quiet.", "Donetsk City", "settlement", {DONETSK_CITY}),
        ("Fighting in Pokrovskyi raion.", "Pokrovskyi raion", "raion", {POKROVSK_RAION}),
        ("In Synelnykivskyi District.", "Synelnykivskyi District", "raion", {SYNELNYKOVE_RAION}),
        (
            "In Velykomykhailivska hromada.",
            "Velykomykhailivska hromada",
            "hromada",
            {VELYKOMYKHAILIVKA_HROMADA},
        ),
        ("The Oskil River rose.", "Oskil River", "river", set()),
        ("Along the Siverskyi Donets River.", "Siverskyi Donets River", "river", set()),
        ("The Dnipro River rose.", "Dnipro River", "river", set()),  # "The" is no part of it
    ],
)
def test_level_word_makes_the_kind(gaz, text, surface, kind, codes):
    assert _found(text, gaz) == [(surface, kind, codes)]


def test_plural_level_word_applies_to_the_list(gaz):
    text = "Strikes hit Donetsk and Dnipropetrovsk oblasts overnight."
    ms = find_mentions(text, gaz)
    # the plural word is not part of either name
    assert [(m.start, m.end, m.text) for m in ms] == [
        (12, 19, "Donetsk"),
        (24, 38, "Dnipropetrovsk"),
    ]
    assert [m.kind for m in ms] == ["oblast", "oblast"]
    assert [{code(p) for p in m.candidates} for m in ms] == [
        {DONETSK_OBLAST},
        {DNIPROPETROVSK_OBLAST},
    ]  # not the city of Donetsk, not Dnipro


def test_plural_level_word_after_a_comma_list(gaz):
    found = _found("Donetsk, Dnipropetrovsk and Zaporizhzhia regions were shelled.", gaz)
    assert found == [
        ("Donetsk", "oblast", {DONETSK_OBLAST}),
        ("Dnipropetrovsk", "oblast", {DNIPROPETROVSK_OBLAST}),
        ("Zaporizhzhia", "oblast", {ZAPORIZHZHIA_OBLAST}),
    ]


def test_possessive(gaz):
    assert _found("Pokrovsk's defenders held.", gaz) == [("Pokrovsk", "settlement", {POKROVSK})]
    assert _found("Donetsk Oblast's governor spoke.", gaz) == [
        ("Donetsk Oblast", "oblast", {DONETSK_OBLAST})
    ]


def test_hyphenated_pair_is_two_places(gaz):
    assert _found("the Pokrovsk-Myrnohrad agglomeration", gaz) == [
        ("Pokrovsk", "settlement", {POKROVSK}),
        ("Myrnohrad", "settlement", {MYRNOHRAD}),
    ]


def test_direction_cue(gaz):
    ms = find_mentions("Fighting on the Pokrovsk direction.", gaz)
    assert [(m.text, m.cue) for m in ms] == [("Pokrovsk", "direction")]


# -- people, organisations, words -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Mr Shevchenko met the press.",  # a title before the name
        "Mr. Shevchenko met the press.",
        "President Shevchenko spoke.",
        "Asked about it, Shevchenko said nothing.",  # a speech verb after it
        "Shevchenko, told reporters that",
        "He quoted Taras Shevchenko at length.",  # a first name before it
        "SHEVCHENKO",  # a shouted word
    ],
)
def test_a_person_is_not_a_place(gaz, text):
    assert find_mentions(text, gaz) == []


def test_village_with_a_surname_for_a_name_after_a_cue(gaz):
    assert _found("Fighting continued near Shevchenko.", gaz) == [
        ("Shevchenko", "settlement", {SHEVCHENKO})
    ]
    assert _found("Troops entered the village of Shevchenko.", gaz) == [
        ("Shevchenko", "settlement", {SHEVCHENKO})
    ]


def test_a_person_stays_a_person_in_the_document(gaz):
    text = "Taras Shevchenko wrote poems. Later Shevchenko was quoted. Fighting near Shevchenko."
    ms = find_mentions(text, gaz)
    # the second is the poet again; the third has a cue that only a place takes
    assert [(m.start, m.text) for m in ms] == [(text.rindex("Shevchenko"), "Shevchenko")]


def test_organisation(gaz):
    assert find_mentions("The Azov Pokrovsk Brigade fought on.", gaz) == []


def test_common_word_needs_village_of(gaz):
    assert find_mentions("Step by step, the troops advanced.", gaz) == []
    assert find_mentions("Troops are in Step now.", gaz) == []
    assert _found("Troops entered the village of Step.", gaz) == [("Step", "settlement", {STEP})]


# -- a bare name that is an oblast and a city -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Shelling hit Donetsk.", "settlement"),  # the city, by default
        ("Fighting on the Donetsk direction.", "settlement"),
        ("Russia controls 70% of Donetsk.", "oblast"),  # a share of a region
        ("Most of Donetsk is occupied.", "oblast"),
        ("in the Donetsk town of Pokrovsk", "oblast"),  # "the <region> town of"
        ("in Donetsk, Dnipropetrovsk and Zaporizhzhia", "oblast"),  # a list of regions
    ],
)
def test_bare_oblast_or_city(gaz, text, kind):
    m = find_mentions(text, gaz)
    donetsk = [x for x in m if x.text == "Donetsk"]
    assert len(donetsk) == 1
    assert donetsk[0].kind == kind
    expected = {DONETSK_OBLAST} if kind == "oblast" else {DONETSK_CITY}
    assert {code(p) for p in donetsk[0].candidates} == expected


def test_document_calling_it_a_region_makes_the_bare_name_the_oblast(gaz):
    text = "Fighting on the Donetsk direction. Later, Donetsk region was shelled; Donetsk burned."
    ms = find_mentions(text, gaz)
    assert [(m.text, m.kind) for m in ms] == [
        ("Donetsk", "settlement"),  # "direction" decides for the city
        ("Donetsk region", "oblast"),
        ("Donetsk", "oblast"),
    ]
    assert _found("Donetsk burned.", gaz) == [("Donetsk", "settlement", {DONETSK_CITY})]


def test_former_name_of_a_city_is_the_oblast(gaz):
    # the city is Dnipro now: a bare "Dnipropetrovsk" is the oblast
    assert _found("Troops entered Dnipropetrovsk for the first time.", gaz) == [
        ("Dnipropetrovsk", "oblast", {DNIPROPETROVSK_OBLAST})
    ]


# -- sentence spans -------------------------------------------------------------------------------


def test_sentence_spans():
    assert sentence_spans("One. Two! Three?\nFour") == [(0, 4), (5, 9), (10, 16), (17, 21)]
    text = 'Troops entered Zaporizke. "They left," he said. (Later) more.'
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == [
        "Troops entered Zaporizke.",
        '"They left," he said.',
        "(Later) more.",
    ]


def test_sentence_spans_of_a_part_and_edge_cases():
    text = "Zero. One two. Three."
    assert sentence_spans(text, 6) == [(6, 14), (15, 21)]
    assert sentence_spans(text, 6, 14) == [(6, 14)]
    assert sentence_spans("") == []
    assert sentence_spans("no end") == [(0, 6)]
    assert sentence_spans("3.5 km away. Next") == [(0, 12), (13, 17)]  # no break inside 3.5
    assert sentence_spans("A\n\n\nB") == [(0, 1), (4, 5)]


def test_find_mentions_of_a_part(gaz):
    text = "Pokrovsk. Myrnohrad."
    ms = find_mentions(text, gaz, start=10)
    assert [(m.start, m.text) for m in ms] == [(10, "Myrnohrad")]
    assert [(m.start, m.text) for m in find_mentions(text, gaz, end=8)] == [(0, "Pokrovsk")]


def test_the_word_pattern_reads_the_words_it_always_read():
    # the scanner's word pattern was written without backtracking at every word; these are the
    # words of the pattern it replaced ("a letter, then letters, digits, apostrophes and hyphens,
    # ending in a letter or digit"), on the tricky characters and on random strings of them
    import random
    import re

    from tracker.mentions.scan import _TOKEN

    before = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_](?:(?:[^\W_]|['’ʼ\-])*[^\W_])?")
    texts = [
        "Kramatorsk-Druzhkivka O'Neil it's -x- a--b x' 'y ’s ab’ U.S. A.B.C. Київ-Дніпро ʼx",
        "3rd x2 x_y e\u0301 café-- 12ab _a a_ Pokrovsk’s Chasiv Yar-based",
    ]
    rng = random.Random(10)
    alphabet = "ab1_'’ʼ- .XyЖі\u0301é"
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30))) for _ in range(5000)]
    for text in texts:
        assert [(m.span(), m.group()) for m in _TOKEN.finditer(text)] == [
            (m.span(), m.group()) for m in before.finditer(text)
        ], text


def test_scan_runs_of_tokens_at_one_space_are_those_of_the_token_pairs():
    # run[k]: how many tokens after token k follow it at one space each, read pair by pair
    import random

    from tracker.mentions.scan import _Scan, tokens

    rnd = random.Random(4)
    parts = ["Ab", "cd", " ", "  ", "-", "\n", ", ", "x", "Kyiv-Ob", "\t"]
    texts = ["", "a", "a b", "a  b", "a b c-d e"]
    texts += ["".join(rnd.choice(parts) for _ in range(rnd.randint(0, 30))) for _ in range(2000)]
    for text in texts:
        toks = tokens(text, 0, len(text))
        want = [0] * len(toks)
        for k in range(len(toks) - 2, -1, -1):
            if text[toks[k][1] : toks[k + 1][0]] == " ":
                want[k] = want[k + 1] + 1
        assert _Scan.of(text, toks, None).run == want, text
