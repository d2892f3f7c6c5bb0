"""Names that contain a toponym but are not the place (tracker.mentions.filters, issue 11):
military formations, media, a direction that names no settlement, people and organisations,
and title-case headlines, where capitals say nothing about people (the in-code gazetteer)."""

from __future__ import annotations

import pytest

from tests.fixtures_gazetteer import (
    KHORTYTSIA,
    KYIV,
    PRYDNIPROVSKE,
    SHEVCHENKO,
    ZORIA_DONETSK,
    code,
)
from tests.fixtures_gazetteer import wider as _wider
from tracker.gazetteer import Gazetteer
from tracker.mentions import find_mentions


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return _wider()


def _texts(text: str, gaz) -> list[str]:
    return [m.text for m in find_mentions(text, gaz)]


# -- military formations --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "control"),
    [
        (
            "Units of the Leningrad Military District attacked at dawn.",
            "Flights to Leningrad were cancelled.",
        ),
        ("The Kursk military group was reinforced.", "Kursk was shelled."),
        ("The Moscow Military District moved reserves.", "Troops moved to Moscow."),
    ],
)
def test_a_formation_named_after_a_foreign_city(gaz, text, control):
    """A formation named after a city ("Leningrad Military District", "Kursk military group")
    is not the city; the same name elsewhere is."""
    assert find_mentions(text, gaz) == []
    (m,) = find_mentions(control, gaz)
    assert m.kind == "city" and m.foreign is not None


def test_operational_tactical_group_and_its_later_bare_mention(gaz):
    """ "operational-tactical group Khortytsia" and, later in the document, "According to
    Khortytsia": a formation's name both times; "the village of Khortytsia" still a place."""
    text = (
        "The operational-tactical group Khortytsia said Russian assaults failed. "
        "According to Khortytsia, 40 attacks were repelled."
    )
    assert find_mentions(text, gaz) == []
    later = text + " Meanwhile the village of Khortytsia was shelled."
    (m,) = find_mentions(later, gaz)
    assert m.start == later.rindex("Khortytsia")
    assert [code(p, gaz) for p in m.candidates] == [KHORTYTSIA]
    assert _texts("Fighting near Khortytsia.", gaz) == ["Khortytsia"]


@pytest.mark.parametrize("text", ["OTG Khortytsia reported calm.", "OSG Dnipro reported calm."])
def test_formation_abbreviations(gaz, text):
    """Abbreviated formations before the toponym ("OTG Khortytsia", "OSG Dnipro")."""
    assert find_mentions(text, gaz) == []


# -- media ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "control"),
    [
        ("Donbas.Realities reported new strikes.", "New strikes in Donbas."),
        ("Pokrovsk.News reported new strikes.", "New strikes in Pokrovsk."),
    ],
)
def test_a_dotted_media_brand(gaz, text, control):
    """A toponym joined to a capitalised word by a dot ("Donbas.Realities") is a media brand."""
    assert find_mentions(text, gaz) == []
    assert len(find_mentions(control, gaz)) == 1


def test_a_media_name_beginning_with_a_toponym(gaz):
    """ "The Kyiv Independent reported strikes on Kyiv": the outlet is no place, the city is."""
    text = "The Kyiv Independent reported strikes on Kyiv."
    (m,) = find_mentions(text, gaz)
    assert m.start == text.rindex("Kyiv")
    assert KYIV in {code(p, gaz) for p in m.candidates}
    assert _texts("Fighting near Pokrovsk, the Kyiv Post wrote.", gaz) == ["Pokrovsk"]


# -- a direction that names no settlement ---------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Fighting continued on the Prydniprovske direction.",
        "Russian boats were hit on the Prydniprovskyi axis.",
    ],
)
def test_the_prydniprovske_direction_is_no_place(gaz, text):
    """The "Prydniprovske direction" (the Dnipro river banks) is no settlement, although a
    village Prydniprovske exists."""
    assert find_mentions(text, gaz) == []


def test_the_village_prydniprovske_is_still_a_place(gaz):
    """The village of that name, without a direction word after it."""
    text = "Fighting on the Prydniprovske direction; later, shelling near Prydniprovske."
    (m,) = find_mentions(text, gaz)
    assert m.start == text.rindex("Prydniprovske")
    assert [code(p, gaz) for p in m.candidates] == [PRYDNIPROVSKE]


# -- people and organisations; headlines ----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "On Monday, Viktor Shevchenko visited the brigade.",  # a first name before it
        "Colonel Viktor Shevchenko said the line held.",  # a title, and a speech verb
        "The brigade under Oleksandr Shevchenko held.",
    ],
)
def test_ordinary_sentences_still_read_capitals_as_names(gaz, text):
    """An ordinary sentence: a capitalised word before a village's name makes a person
    ("Viktor Shevchenko")."""
    assert find_mentions(text, gaz) == []


@pytest.mark.parametrize(
    ("headline", "surface", "expected"),
    [
        ("Ukrainian Troops Hold Shevchenko Despite Assaults", "Shevchenko", SHEVCHENKO),
        ("Russian Army Claims Zoria Capture After Heavy Fighting", "Zoria", ZORIA_DONETSK),
    ],
)
def test_title_case_headline_is_not_read_as_names_by_capitals(gaz, headline, surface, expected):
    """A title-case headline capitalises every word: "Hold Shevchenko Despite" is no person and
    no organisation."""
    (m,) = find_mentions(headline + "\nThe text of the report follows.", gaz)
    assert m.text == surface and expected in {code(p, gaz) for p in m.candidates}
    # the same words ending in a full stop are a sentence, where capitals do make names
    assert find_mentions(headline + ".", gaz) == []


def test_a_first_name_opening_the_sentence_makes_a_person(gaz):
    """A sentence that opens with a person's full name, no speech verb after it."""
    assert find_mentions("Viktor Shevchenko, the brigade commander, visited the front.", gaz) == []
