"""The fast paths of the end-anchored cues give exactly what their regular expressions give:
:class:`tracker.cues.EndCue` (a check of the last word before the regex) and the detector's
word before a match (read backwards)."""

from __future__ import annotations

import random
import re

import pytest

from tracker import context, cues
from tracker.mentions import _word_before
from tracker.mentions.scan import _DIRECTION_ONLY, _SOME_DIRECTION_AFTER, DIRECTIONS_AFTER

END_CUES = {
    "place": cues.place_cue_before(),
    "strong": cues.strong_cue_before(),
    "move": cues.move_cue_before(),
    "near": cues.near_cue_before(),
    "kind_of": cues.kind_of_before(),
    "list": cues.list_cue_before(),
    "formation": cues.formation_before(),
    "bearing": context._BEARING_BEFORE,
    "bearing_strict": context._BEARING_BEFORE_STRICT,
}

#: Texts where a shortcut could go wrong: the cue's last word inside a longer word, a final
#: newline ("$" matches before it), an opening quote, white space outside ASCII, a last word
#: outside ASCII that the regex's case folding matches ("ſ" is "s", "K" is "k").
EDGES = [
    "", " ", "\n", "near", "near ", "near\n", "near \n", "nEaR ", "x-near ", "xnear ", "near-by ",
    "fighting near the ", "near the\n", "near thee ", "the ", "in ", "In the ", "towards\xa0",
    "village of ", "village  of\n", "the village of the ", "Village Of ", "villageof ",
    'OTG "', "OTG “", "OTG ‘\n", "OTG ' ", 'OTG"', "operational-tactical group ", "group\n",
    "south-east of ", "5 km SE of the ", "SE of ", "north of the village of ", "NNW from ",
    "ſettlement of ", "ſettlement ", "captured ", "reCaptured ", "recaptureD\t", "Kapture ",
    "\u212aapture ", "cıty of ", "İn ",
    "Russian troops said they had captured the village of ",
    "shelling of urban-type settlement of the ",
    "the 110th brigade near the settlement of the ", "withdrew from positions in and around the ",
    "a unit of the operational-tactical group “", "   near ", "near\n\n", "\n\nnear the \n",
]  # fmt: skip


def _fuzz(seed: int, n: int) -> list[str]:
    """Random word sequences made of the cues' last words and tricky separators."""
    rnd = random.Random(seed)
    vocab = sorted({w for cue in END_CUES.values() for w in cue._last} | {"x", "K", "km", "SE"})
    seps = [" ", "  ", "\n", "\t", "\xa0", "-", "", "'", " \n", '"', ' "', " “\n"]
    out = []
    for _ in range(n):
        words = [rnd.choice(vocab) for _ in range(rnd.randint(0, 4))]
        cased = (str.upper, str.title, str.lower, str.lower)
        words = [rnd.choice(cased)(w) for w in words]
        out.append("".join(w + rnd.choice(seps) for w in words))
    return out


@pytest.mark.parametrize("name", sorted(END_CUES))
def test_end_cue_finds_what_its_regex_finds(name):
    cue = END_CUES[name]
    texts = EDGES + _fuzz(sorted(END_CUES).index(name), 4000)
    found = 0
    for text in texts:
        fast, slow = cue.search(text), cue.regex.search(text)
        got = fast and (fast.span(), fast.groupdict())
        assert got == (slow and (slow.span(), slow.groupdict())), text
        found += slow is not None
    assert found > 0  # the texts do exercise matches


def test_end_cue_skips_texts_without_a_cue_and_keeps_groups():
    kind = cues.kind_of_before()
    assert kind.search("the city of ")["word"] == "city"
    assert kind.search("the city for ") is None
    assert cues.formation_before().search('operational-tactical group "') is not None
    assert cues.move_cue_before().search("troops moved ") is None


def test_end_cue_refuses_last_words_it_cannot_check():
    regex = re.compile(r"\bnear\s+$")
    with pytest.raises(ValueError, match="last_words"):
        cues.EndCue(regex, ["close to"])
    with pytest.raises(ValueError, match="last_words"):
        cues.EndCue(regex, ["біля"])
    with pytest.raises(ValueError, match="closing"):
        cues.EndCue(regex, ["near"], closing=" ")


_WORD_BEFORE = re.compile(r"([^\W\d_][\w'’\-.]*)\s$")


@pytest.mark.parametrize(
    "before",
    [" ", "x ", "9 ", "a9 ", "9a ", "-Kyiv ", "'s ", "U.S. ", "Kyiv. ", "Ivan Petrenko ", "мер ",
     "x_ ", "_x ", "3-й ", "... ", "O’Neil ", "a\n ", "a\t ", "Kyiv  "],
)  # fmt: skip
def test_word_before_is_the_regex_word(before):
    slow = _WORD_BEFORE.search(before)
    assert _word_before(before) == (slow.group(1) if slow else None)


def test_word_before_on_random_text():
    rnd = random.Random(3)
    parts = [*"aZ9_'’-. \n\tКé", "ab", "Kyiv", "--", ".."]
    for _ in range(20000):
        before = "".join(rnd.choice(parts) for _ in range(rnd.randint(0, 12))) + " "
        slow = _WORD_BEFORE.search(before)
        assert _word_before(before) == (slow.group(1) if slow else None), before


def test_one_direction_regex_is_either_of_the_two():
    rnd = random.Random(5)
    parts = [" ", "-", "  ", "\n", "direction", "directions", "axis", "axes", "Front", "x", "s"]
    for _ in range(20000):
        after = "".join(rnd.choice(parts) for _ in range(rnd.randint(1, 5)))[:20]
        both = bool(_DIRECTION_ONLY.match(after) or DIRECTIONS_AFTER.match(after))
        assert bool(_SOME_DIRECTION_AFTER.match(after)) == both, after
