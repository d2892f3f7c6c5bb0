"""tracker.resolve on short documents and the tiny gazetteer: one sense per document, context
by text proximity, coherence, abstention, the stated-region check (no data build)."""

from __future__ import annotations

import pytest

from tests.fixtures_gazetteer import (
    BEREZOVE,
    DONETSK_OBLAST,
    MEZHOVA,
    NOVOHEORHIIVKA,
    NOVOHEORHIIVKA_MYKOLAIV,
    POKROVSK,
    TERNOVE,
    ZAPORIZKE,
    ZAPORIZKE_DONETSK,
    ZAPORIZKE_MEZHOVA,
    ZAPORIZKE_VM,
    ZAPORIZKE_ZAPORIZHZHIA,
    ZORIA_DONETSK,
    places_table,
    tiny,
)
from tracker.gazetteer import Gazetteer
from tracker.mentions import find_mentions
from tracker.models import Mention
from tracker.ranking import params
from tracker.resolve import resolve_mentions


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return tiny()


def _resolve(text: str, gaz):
    return resolve_mentions(text, find_mentions(text, gaz), gaz)


def _by_text(resolved, text: str):
    return [r for r in resolved if r.mention.text == text]


def _code(r) -> str | None:
    return r.place.katottg if r.place is not None else None


# -- one sense per document -----------------------------------------------------------------------


def test_one_sense_per_document(gaz):
    text = "Zaporizke, Donetsk Oblast, was shelled. Later Zaporizke was quiet."
    first, second = _by_text(_resolve(text, gaz), "Zaporizke")
    assert _code(first) == _code(second) == ZAPORIZKE_DONETSK
    assert first.confidence == second.confidence
    assert first.evidence == second.evidence
    assert second.sentence == "Later Zaporizke was quiet."


def test_one_sense_per_section_of_a_long_document(gaz):
    filler = "Nothing of note happened here today. " * 30 + "\n"
    text = (
        "Zaporizke, Donetsk Oblast, was shelled.\n"
        + filler * 25
        + "Zaporizke, Zaporizhzhia Oblast, was shelled.\n"
    )
    assert len(text) > params().section_chars
    first, second = _by_text(_resolve(text, gaz), "Zaporizke")
    assert _code(first) == ZAPORIZKE_DONETSK
    assert _code(second) == ZAPORIZKE_ZAPORIZHZHIA


# -- context by text proximity --------------------------------------------------------------------


def test_region_in_the_same_sentence_decides(gaz):
    p = params()
    r = _by_text(_resolve("Zaporizke, Donetsk Oblast, was shelled.", gaz), "Zaporizke")[0]
    assert r.status == "resolved" and _code(r) == ZAPORIZKE_DONETSK
    line = f"in Donetsk oblast named in the text ('Donetsk Oblast'): +{p.region_weight['O']:.1f}"
    assert line in r.evidence
    assert all(a.oblast != "Donetsk" for a, _ in r.alternatives)  # the only Donetsk one won


@pytest.mark.parametrize(
    ("text", "weight"),
    [
        ("Zaporizke, Donetsk Oblast, was shelled.", "same_sentence"),
        ("Troops entered Zaporizke. Strikes hit Donetsk Oblast.", "same_paragraph"),
        ("Troops entered Zaporizke.\n\nStrikes hit Donetsk Oblast.", "nearby_paragraph"),
        ("Troops entered Zaporizke.\n\n\n\n\nStrikes hit Donetsk Oblast.", "elsewhere"),
    ],
)
def test_a_region_counts_by_how_close_it_stands(gaz, text, weight):
    p = params()
    r = _by_text(_resolve(text, gaz), "Zaporizke")[0]
    gain = p.region_weight["O"] * getattr(p, weight)
    assert f"in Donetsk oblast named in the text ('Donetsk Oblast'): +{gain:.1f}" in r.evidence


def test_closer_region_gives_more_confidence(gaz):
    near = _by_text(_resolve("Zaporizke, Donetsk Oblast, was shelled.", gaz), "Zaporizke")[0]
    far = _by_text(
        _resolve("Troops entered Zaporizke.\n\n\n\n\nStrikes hit Donetsk Oblast.", gaz), "Zaporizke"
    )[0]
    assert near.confidence > far.confidence
    assert _code(near) == ZAPORIZKE_DONETSK


def test_nearby_villages_cohere(gaz):
    resolved = _resolve("Russian troops entered Zaporizke and Novoheorhiivka.", gaz)
    z, n = resolved
    # the Mykolaiv Novoheorhiivka is the larger village; the pair 3 km apart wins together
    assert _code(z) == ZAPORIZKE_VM and _code(n) == NOVOHEORHIIVKA
    assert z.status == n.status == "resolved"
    assert any(
        e.startswith("3.3 km from Novoheorhiivka ('Novoheorhiivka' in the text") for e in z.evidence
    )
    assert [a.katottg for a, _ in n.alternatives] == [NOVOHEORHIIVKA_MYKOLAIV]
    assert n.confidence + n.alternatives[0][1] == pytest.approx(1.0)


def test_a_named_village_pulls_towards_its_hromada(gaz):
    z = _by_text(_resolve("Fighting near Zaporizke and Mezhova.", gaz), "Zaporizke")[0]
    assert _code(z) == ZAPORIZKE_MEZHOVA
    assert "in the hromada named after 'Mezhova': +2.00" in z.evidence


def test_bearing_in_the_same_sentence(gaz):
    text = "Russian troops advanced near Zaporizke, south of Ternove and Berezove."
    z = _by_text(_resolve(text, gaz), "Zaporizke")[0]
    assert _code(z) == ZAPORIZKE_VM
    line = next(e for e in z.evidence if "from Ternove" in e)
    assert "vs 180° stated" in line


# -- abstention -----------------------------------------------------------------------------------


def test_abstains_below_the_threshold(gaz):
    p = params()
    (r,) = _resolve("Zaporizke was shelled.", gaz)
    assert r.status == "unresolved" and r.place is None
    assert r.confidence < p.abstain_below
    # the alternatives are the best candidates, the would-be answer first
    assert len(r.alternatives) == 4
    assert r.alternatives[0][1] == pytest.approx(r.confidence)
    probs = [s for _, s in r.alternatives]
    assert probs == sorted(probs, reverse=True)
    assert {a.katottg for a, _ in r.alternatives} <= set(ZAPORIZKE)
    assert r.regions is None
    assert r.evidence[0] == "name: exact (kmu-2010)"


def test_abstention_threshold_is_applied_to_the_confidence(gaz):
    (sure,) = _resolve("Shelling of Pokrovsk.", gaz)
    assert sure.status == "resolved" and _code(sure) == POKROVSK
    assert sure.confidence == pytest.approx(1.0) and sure.alternatives == ()


# -- statuses and precision -----------------------------------------------------------------------


def test_statuses_and_precision(gaz):
    text = "Strikes on Kursk region and the Oskil River. Fighting near Pokrovsk, Donetsk Oblast."
    got = {r.mention.text: r for r in _resolve(text, gaz)}
    assert got["Kursk region"].status == "foreign" and got["Kursk region"].place is None
    assert got["Oskil River"].status == "river" and got["Oskil River"].confidence == 0.0
    assert got["Pokrovsk"].geo_precision == 2  # "near"
    assert got["Donetsk Oblast"].geo_precision == 3
    assert got["Donetsk Oblast"].place.katottg == DONETSK_OBLAST
    assert got["Donetsk Oblast"].regions is None  # the check is for settlements
    assert got["Pokrovsk"].sentence == "Fighting near Pokrovsk, Donetsk Oblast."


def test_nothing_to_resolve(gaz):
    assert resolve_mentions("No places here.", [], gaz) == []


def test_mentions_given_by_hand(gaz):
    # the resolver needs only the mentions' candidates, not the detector
    text = "Between Ternove and Berezove."
    ids = [gaz.katottg_index[TERNOVE], gaz.katottg_index[BEREZOVE]]
    mentions = [
        Mention(8, 15, "Ternove", "settlement", candidates=(ids[0],)),
        Mention(20, 28, "Berezove", "settlement", candidates=(ids[1],)),
    ]
    out = resolve_mentions(text, mentions, gaz)
    assert [_code(r) for r in out] == [TERNOVE, BEREZOVE]
    assert all(r.status == "resolved" and r.confidence == 1.0 for r in out)


# -- the stated-region check ----------------------------------------------------------------------


def test_stated_region_agrees(gaz):
    r = _by_text(_resolve("Zoria in the nearby Donetsk region was hit.", gaz), "Zoria")[0]
    assert _code(r) == ZORIA_DONETSK
    assert r.regions.stated_region == "Donetsk region"
    assert r.regions.stated_region_agrees is True
    assert r.regions.geometry_contradicts_text is False


def test_stated_region_disagrees(gaz):
    r = _by_text(_resolve("Novoheorhiivka, Donetsk Oblast, was hit.", gaz), "Novoheorhiivka")[0]
    assert r.place.oblast in ("Dnipropetrovsk", "Mykolaiv")  # there is none in Donetsk
    assert r.regions.stated_region == "Donetsk Oblast"
    assert r.regions.stated_region_agrees is False


@pytest.mark.parametrize(
    "text",
    [
        "Zaporizke and Donetsk Oblast were shelled.",  # a list, not a location
        "Zaporizke was shelled again and again, said officials in Donetsk Oblast.",  # too far
    ],
)
def test_no_stated_region(gaz, text):
    r = _by_text(_resolve(text, gaz), "Zaporizke")[0]
    assert r.status == "resolved"
    assert r.regions.stated_region is None


def test_geometry_check():
    table = places_table()
    table["polygon_oblast_code"] = None
    table.loc[table["katottg"] == ZAPORIZKE_DONETSK, "polygon_oblast_code"] = "UA14"
    table.loc[table["katottg"] == NOVOHEORHIIVKA, "polygon_oblast_code"] = "UA12"
    table.loc[table["katottg"] == NOVOHEORHIIVKA_MYKOLAIV, "polygon_oblast_code"] = "UA48"
    table["agrees_with_codifier"] = table["polygon_oblast_code"].notna()
    gaz = Gazetteer.from_frames(table)
    z = _by_text(_resolve("Zaporizke, Donetsk Oblast, was shelled.", gaz), "Zaporizke")[0]
    assert z.regions.oblast_by_polygon == "Donetsk"
    assert z.regions.agrees_with_codifier is True
    assert z.regions.stated_region_agrees is True
    assert z.regions.geometry_contradicts_text is False
    n = _by_text(_resolve("Novoheorhiivka, Donetsk Oblast, was hit.", gaz), "Novoheorhiivka")[0]
    assert n.regions.oblast_by_polygon in ("Dnipropetrovsk", "Mykolaiv")
    assert n.regions.geometry_contradicts_text is True


def test_settlement_region_fields(gaz):
    (r,) = _resolve("Shelling of Mezhova.", gaz)
    assert r.place.katottg == MEZHOVA
    assert r.regions.source == "geoBoundaries ADM1; KATOTTG codifier"
    assert r.regions.oblast_by_polygon is None  # the tiny gazetteer has no polygons


def _proximity_block_by_block(n, sent_ids, par_ids, p):
    """The proximity of groups as first written: each paragraph's and sentence's block set in
    turn, the strongest relation last."""
    import numpy as np

    def members(ids):
        out = {}
        for k, where in enumerate(ids):
            for q in where:
                out.setdefault(q, []).append(k)
        return out

    weight = np.full((n, n), p.elsewhere)
    by_par = members(par_ids)
    for q, here in by_par.items():
        d = p.nearby_paragraphs
        around = sorted({k for j in range(q - d, q + d + 1) for k in by_par.get(j, ())})
        weight[np.ix_(here, around)] = p.nearby_paragraph
    for here in by_par.values():
        weight[np.ix_(here, here)] = p.same_paragraph
    for here in members(sent_ids).values():
        weight[np.ix_(here, here)] = p.same_sentence
    np.fill_diagonal(weight, 0.0)
    return weight


@pytest.mark.parametrize("seed", range(10))
def test_proximity_of_many_groups_is_that_of_each_block(seed):
    # a document of random paragraphs and sentences naming random places, several times each
    import random
    import re

    import numpy as np

    from tracker.mentions import sentence_spans
    from tracker.resolve import _proximity

    rnd = random.Random(seed)
    names = [f"Name{i}" for i in range(rnd.randint(1, 12))]
    paragraphs = [
        " ".join(
            f"Troops near {rnd.choice(names)} and {rnd.choice(names)} moved."
            if rnd.random() < 0.3
            else f"Troops {rnd.choice(['near', 'at', 'in'])} {rnd.choice(names)} moved."
            for _ in range(rnd.randint(1, 4))
        )
        for _ in range(rnd.randint(1, 9))
    ]
    text = "\n\n".join(paragraphs)
    mentions = [
        Mention(m.start(), m.end(), m.group(), "settlement") for m in re.finditer(r"Name\d+", text)
    ]
    groups: dict[str, list[int]] = {}
    for i, m in enumerate(mentions):
        groups.setdefault(m.text, []).append(i)
    members = list(groups.values())
    sent_starts = [s for s, _ in sentence_spans(text)]
    p = params()
    got = _proximity(text, mentions, members, sent_starts, p)
    import bisect

    lo = min(m.start for m in mentions)
    line_starts = [lo] + [i + 1 for i, c in enumerate(text) if c == "\n" and lo <= i < len(text)]
    index = lambda starts, pos: max(0, bisect.bisect_right(starts, pos) - 1)  # noqa: E731
    sent_ids = [sorted({index(sent_starts, mentions[i].start) for i in g}) for g in members]
    par_ids = [sorted({index(line_starts, mentions[i].start) for i in g}) for g in members]
    want = _proximity_block_by_block(len(members), sent_ids, par_ids, p)
    assert np.array_equal(got, want)
    two = any(len(set(re.findall(r"Name\d+", s))) > 1 for s in re.split(r"\.", text))
    assert (p.same_sentence in got) == two  # (the texts do test the strongest relation)
