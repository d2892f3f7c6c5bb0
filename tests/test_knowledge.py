"""Every knowledge file is well-formed: lists without duplicates, tables that parse, patterns
that compile, and lists that must not overlap do not."""

from __future__ import annotations

import re

import pytest

from tracker import knowledge
from tracker.cues import words
from tracker.names import fold

LISTS = [f.removesuffix(".txt") for f in knowledge.files() if f.endswith(".txt")]
TABLES = [f.removesuffix(".toml") for f in knowledge.files() if f.endswith(".toml")]


def _is_pattern(path):
    last = path.rsplit(".", 1)[-1].split("[")[0]
    return last == "pattern" or last.endswith("_pattern") or path.startswith("patterns")


def _strings(value, path=""):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, tuple) and value and _is_pattern(path):
        yield path, "".join(value)  # a long pattern given as a list of parts
    elif hasattr(value, "items"):
        for k, v in value.items():
            yield from _strings(v, f"{path}.{k}" if path else k)
    elif isinstance(value, tuple):
        for i, v in enumerate(value):
            yield from _strings(v, f"{path}[{i}]")


@pytest.mark.parametrize("name", LISTS)
def test_word_list_has_no_duplicates(name):
    seen: dict[str, str] = {}
    for entry in knowledge.entries(name):
        key = fold(entry)
        assert key, f"{name}.txt: {entry!r} folds to nothing"
        assert key not in seen, f"{name}.txt lists {entry!r} twice (as {seen[key]!r})"
        seen[key] = entry


@pytest.mark.parametrize("name", TABLES)
def test_table_parses_and_its_patterns_compile(name):
    data = knowledge.table(name)
    for path, value in _strings(data):
        if _is_pattern(path):
            re.compile(value)


def test_files_are_found_from_the_package():
    assert "titles.txt" in knowledge.files()
    assert "president" in words("titles")


# --------------------------------------------------------------------------------------------
# the claims stage's tables (knowledge/claims/, people.txt)
# --------------------------------------------------------------------------------------------

CLAIMS_TABLES = [t.removeprefix("claims/") for t in TABLES if t.startswith("claims/")]


@pytest.mark.parametrize("name", CLAIMS_TABLES)
def test_claims_patterns_compile_once_expanded(name):
    from tracker.claims.lexicon import rx

    data = knowledge.table(f"claims/{name}")
    for section in ("patterns", "patterns_cased"):
        for key in data.get(section, {}):
            pattern = rx(name, f"{section}.{key}", cased=section == "patterns_cased")
            assert "{" not in re.sub(r"\{\d+(?:,\d*)?\}", "", pattern.pattern), (name, key)


def test_triggers_name_known_events_and_generate_their_inflections():
    from tracker.claims import EVENTS
    from tracker.claims.lexicon import trigger_rules

    flags = {"", "attempt", "liberate", "withdraw", "control", "capture", "push", "flee", "flag"}
    flags |= {"expel", "annex"}
    raw = knowledge.table("claims/triggers")["trigger"]
    assert len(raw) == len(trigger_rules())
    for row, (event, flag, pattern) in zip(raw, trigger_rules(), strict=True):
        assert event in EVENTS and flag in flags, row
        re.compile(pattern)
        written = "".join(row["pattern"])
        # inflections come from {verb} placeholders, never spelled out by hand
        assert not re.search(r"\(\?:(?:e\|)?(?:ed|es|ing|s)\|", written), written
    nouns = knowledge.table("claims/triggers")["combat_nouns"]["words"]
    assert len(set(nouns)) == len(nouns)


def test_each_speech_verb_form_has_one_stance():
    from tracker.claims import STANCES
    from tracker.claims.lexicon import inflect

    seen: dict[str, str] = {}
    for stance, verbs in knowledge.table("claims/stances")["verbs"].items():
        assert stance in STANCES
        for verb, forms in verbs.items():
            for form in inflect(verb, forms.split()):
                assert form not in seen, f"{form!r} is {seen.get(form)} and {stance}"
                seen[form] = stance


def test_claimant_rules_and_people_roles_are_claimant_types():
    from tracker.claims import CLAIMANTS
    from tracker.claims.lexicon import people, rx

    rules = knowledge.table("claims/claimants")["rule"]
    for i, row in enumerate(rules):
        assert row["claimant"] in CLAIMANTS
        rx("claimants", f"rule.{i}.pattern")
    surnames = [entry.split()[0] for entry in knowledge.entries("people")]
    assert len(surnames) == len(set(surnames))
    for entry in knowledge.entries("people"):
        surname, role = entry.split()
        assert surname == surname.lower() and (role in CLAIMANTS or role == "other"), entry
    assert people()["tryhubov"] == "ukrainian_military"


def test_claims_evaluation_maps_to_known_labels():
    from tracker.claims import CLAIMANTS, EVENTS
    from tracker.claims.lexicon import rx

    data = knowledge.table("claims/evaluation")
    for event_type, events in data["event_types"].items():
        assert set(events) <= set(EVENTS), event_type
    assert set(data["scope"]["event_types"]) <= set(data["event_types"])
    for claimant in data["claimants"]:
        assert claimant in CLAIMANTS
        rx("evaluation", f"claimants.{claimant}")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("titles", "claims/organisation_words"),
        ("claims/person_nouns", "claims/organisation_words"),
        ("titles", "claims/person_nouns"),
        ("claims/civilians", "titles"),
        ("claims/civilians", "claims/person_nouns"),
    ],
)
def test_claims_word_lists_do_not_conflict(a, b):
    assert not words(a) & words(b)
