"""Where is X? A "which place, which region?" question -> candidate places, best first.

(The module is ``whereis``, not ``where``, so that it never shadows :func:`tracker.where`.)

``where(name)`` reads the question as a reader would ("village of Zorya", "Pokrovsk raion",
"Polohy, Zaporizhia Oblast", a KATOTTG code), finds every place the spelling may mean
(:func:`candidates`), and ranks them with the one scoring model of :mod:`tracker.ranking`:
the prior terms, the oblast or point asked for, and the anchors of the context. The scores
sum to 1 over the candidates and each candidate carries its evidence.
"""

from __future__ import annotations

import re
from functools import cache

import numpy as np

from . import cues, ranking
from .errors import InvalidQuery, PlaceNotFound
from .gazetteer import Gazetteer
from .gazetteer import load as load_gazetteer
from .knowledge import level_words
from .models import Candidate, LonLat, parse_lonlat
from .names import fold
from .regions import find_oblast
from .units import Oblast

__all__ = ["MAX_CONTEXT_CHARS", "candidates", "parse_query", "where"]

#: The longest ``context`` a question may give (characters); a whole article is far less.
MAX_CONTEXT_CHARS = 100_000

_KATOTTG = re.compile(r"^UA\d{17}$", re.IGNORECASE)
_PREFIX = cues.question_prefix()
_SETTLEMENT = ("K", "M", "T", "X", "C")


@cache
def _level_suffix() -> re.Pattern[str]:
    """`` <level word>`` at the end of a question ("Pokrovsk raion", "Sumy oblast")."""
    words = sorted((w.text for w in level_words("query")), key=len, reverse=True)
    alternatives = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words)
    return re.compile(rf"\s+(?P<word>{alternatives})$", re.IGNORECASE)


@cache
def _level_of_word() -> dict[str, str]:
    return {" ".join(w.text.split()): w.level for w in level_words("query")}


def parse_query(name: str) -> tuple[str, str | None, str | None]:
    """``(name, level, context)``: strips "village of", a level word and a ", Region" tail.

    Examples
    --------
    >>> parse_query("Polohy, Zaporizhia Oblast")
    ('Polohy', None, 'Zaporizhia Oblast')
    >>> parse_query("the village of Zorya")
    ('Zorya', None, None)
    >>> parse_query("Pokrovsk raion")
    ('Pokrovsk raion', 'P', None)
    """
    text = " ".join(str(name).split())
    context = None
    if "," in text:
        text, context = (part.strip() for part in text.split(",", 1))
    text = _PREFIX.sub("", text).strip()
    level = None
    match = _level_suffix().search(text)
    if match:
        level = _level_of_word().get(" ".join(match["word"].lower().split()))
    return text, level, context


def candidates(gaz: Gazetteer, text: str, level: str | None, fuzzy: bool = False) -> ranking.Found:
    """place id -> (spelling similarity 0..100, matched spelling, source of the spelling).

    Raions and hromadas match a bare name only exactly ("Pokrovska"); with a level word
    ("Pokrovsk raion") only that level is kept. With *fuzzy*, a name no spelling matches is
    compared with every spelling (>= 85 % similar).
    """
    forms = _forms(text)
    if level:
        forms.append(_level_suffix().sub("", text))
    found: ranking.Found = {}
    for form in forms:
        found = _spelled(gaz, form)
        if found:
            break
    if not found and fuzzy:  # a misspelling: closest spellings in the whole index
        found = _misspelt(gaz, forms[-1])
    return _of_level(gaz, found, level)


def _spelled(gaz: Gazetteer, form: str) -> ranking.Found:
    """Places one of whose spellings is *form*, or collides with it on the skeleton key and
    is at least 75 % similar (the best spelling kept per place)."""
    from rapidfuzz import fuzz

    from .names import skeleton

    key = fold(form)
    found: ranking.Found = {}
    if not key:
        return found
    for pid, source in gaz.lookup_key(key).items():
        found.setdefault(pid, (100.0, form, source))
    similar: dict[str, float] = {}  # per distinct spelling: many places share one
    sources: dict[str, dict[int, str]] = {}
    for pid, variant in gaz.lookup_skeleton(skeleton(form)):
        sim = similar.get(variant)
        if sim is None:
            sim = similar[variant] = fuzz.ratio(key, variant)
        if sim >= 75 and sim > found.get(pid, (0.0, "", ""))[0]:
            if variant not in sources:
                sources[variant] = gaz.lookup_key(variant)
            found[pid] = (sim, form, sources[variant].get(pid, ""))
    return found


def _misspelt(gaz: Gazetteer, form: str) -> ranking.Found:
    """The closest spellings of the whole index (>= 85 % similar) for a name of five letters
    or more that no spelling matches (``fuzzy``)."""
    from rapidfuzz import fuzz, process

    key = fold(form)
    found: ranking.Found = {}
    if len(key) < 5:
        return found
    for variant, sim, _ in process.extract(
        key, gaz.all_keys, scorer=fuzz.ratio, limit=10, score_cutoff=85
    ):
        for pid, source in gaz.lookup_key(variant).items():
            if sim > found.get(pid, (0.0, "", ""))[0]:
                found[pid] = (sim, form, source)
    return found


def _of_level(gaz: Gazetteer, found: ranking.Found, level: str | None) -> ranking.Found:
    """Without a level word, raions and hromadas only by an exact spelling; with one, only
    that level (a settlement word falls back to every kind when no settlement matches)."""
    cats = gaz.col["category"]
    if not level:
        return {p: v for p, v in found.items() if cats[p] not in ("P", "H") or v[0] >= 100}
    if not found:
        return found
    wanted = _SETTLEMENT if level == "S" else (level, "K") if level == "O" else (level,)
    kept = {p: v for p, v in found.items() if cats[p] in wanted}
    return kept or (found if level == "S" else {})


_PARENS = re.compile(r"\s*\(([^()]+)\)\s*")
_AREA = re.compile(rf"[\s-]+(?:{'|'.join(cues.table_list('cues', 'area_words'))})$", re.IGNORECASE)


def _forms(text: str) -> list[str]:
    """The spellings to look a question up by: as asked; with a name in parentheses left
    out or put in place of the word before it ("Chervonyi (Krasnyi) Lyman": "Chervonyi
    Lyman", "Krasnyi Lyman"); without an "-area" tail ("Pokrovsk-area")."""
    forms = [text]
    inner = _PARENS.search(text)
    if inner:
        before, after = text[: inner.start()].split(), text[inner.end() :].split()
        forms.append(" ".join(before + after))
        if before:
            forms.append(" ".join([*before[:-1], inner.group(1), *after]))
    bare = _AREA.sub("", text)
    if bare != text:
        forms.append(bare)
    return [f for f in dict.fromkeys(forms) if f]


def _suggest(gaz: Gazetteer, text: str, limit: int = 5) -> list[str]:
    from rapidfuzz import fuzz, process

    hits = process.extract(
        text, gaz.display_names, scorer=fuzz.WRatio, limit=limit, score_cutoff=60
    )
    return [h[0] for h in hits]


def _resolve_near(
    gaz: Gazetteer, near: LonLat | tuple[float, float] | list[float] | str
) -> tuple[LonLat, str]:
    if isinstance(near, LonLat):
        return near, f"{near.lat:.4f},{near.lon:.4f}"
    if isinstance(near, tuple | list) and len(near) == 2:
        point = LonLat(float(near[0]), float(near[1]))
        return point, f"{point.lat:.4f},{point.lon:.4f}"
    text = str(near)
    parsed = parse_lonlat(text)
    if parsed is not None:
        return parsed, text
    best = where(text, gazetteer=gaz, limit=1)[0]
    if best.lon is None or best.lat is None:
        raise InvalidQuery(
            f"`near` was {text!r}, a place without coordinates; give LAT,LON instead"
        )
    return LonLat(best.lon, best.lat), f"{best.name} ({best.oblast})"


def _named_direction(gaz: Gazetteer, text: str, hints: str) -> int | None:
    """The place id of the direction a hint names after the asked name ("X direction"),
    from ``knowledge/directions.toml``; None when the hint names none."""
    entry = cues.directions().get(fold(text))
    if entry is None or entry.place is None:
        return None
    after = re.compile(rf"\b{re.escape(text)}[\s-]+(?:direction|axis|front|sector)", re.I)
    return gaz.katottg_index.get(entry.place) if after.search(hints) else None


def where(
    name: str,
    *,
    oblast: str | None = None,
    near: LonLat | tuple[float, float] | str | None = None,
    context: str | None = None,
    limit: int | None = None,
    fuzzy: bool = False,
    gazetteer: Gazetteer | None = None,
) -> list[Candidate]:
    """Every place that *name* may mean, best first.

    Parameters
    ----------
    name
        A place name as news spell it ("Novoheorhiivka", "Novogeorgievka", "village of
        Zorya", "Krasnoarmeysk", "Donetsk Oblast", "Polohy, Zaporizhia Oblast") or a
        KATOTTG code.
    oblast
        Prefer places in this oblast (any spelling); the others are still listed.
    near
        Prefer places near this point (``LonLat``, ``(lon, lat)``, ``"LAT,LON"``) or place name.
    context
        Free text a reader would give ("SE of Oleksandrivka", "near Mezhova", a paragraph), at
        most :data:`MAX_CONTEXT_CHARS` characters.
    limit
        At most this many candidates (default: all).
    fuzzy
        Also accept names that are merely close (>= 85 % similar) to a known spelling,
        for misspelt text; by default an unknown spelling raises :class:`PlaceNotFound`.
    gazetteer
        The gazetteer to search (default: the built data's).

    Returns
    -------
    list of Candidate
        Scores sum to 1 over all candidates (before *limit*).

    Raises
    ------
    InvalidQuery
        For an empty name, a bad limit or a context longer than :data:`MAX_CONTEXT_CHARS`.
    PlaceNotFound
        When nothing matches; carries up to five close spellings.
    UnknownRegion
        When *oblast* is not an oblast.

    Examples
    --------
    >>> best = where("Novoheorhiivka", oblast="Dnipropetrovsk")[0]  # doctest: +SKIP
    >>> best.katottg, best.hromada                                  # doctest: +SKIP
    ('UA12140050080041206', 'Velykomykhailivka')
    """
    _check_arguments(name, limit, context)
    wanted = find_oblast(oblast) if oblast is not None else None
    gaz = gazetteer or load_gazetteer()
    p = ranking.params()
    text, level, tail = parse_query(name)
    found = _found(gaz, text, level, fuzzy)
    prior = ranking.prior_terms(gaz, found, p=p)
    logits = prior.logits.copy()
    asked: list[list[str]] = [[] for _ in prior.pids]
    logits += _asked_terms(gaz, prior.pids, wanted, near, asked, p)
    hints = " ; ".join(t for t in (context, tail) if t)
    ctx = None
    if hints:
        logits += _direction_term(gaz, text, hints, prior.pids, asked, p)
        exclude = {fold(text), fold(_level_suffix().sub("", text))}
        from .context import find_anchors  # the detector: only for a question with a hint

        found_anchors = find_anchors(hints, gaz, exclude=exclude)
        anchors = ranking.Anchors.from_context(gaz, found_anchors, exclude=set(prior.pids))
        ctx = ranking.context_terms(gaz, prior.pids, anchors, p=p)
        logits += ctx.logits
    probs = ranking.softmax(logits, p.where_temperature)
    order = np.argsort(-probs, kind="stable")[:limit].tolist()
    hinted = (
        ranking.context_evidence_many(gaz, ctx, order, ranking.HINT, p)
        if ctx is not None
        else [[] for _ in order]
    )
    out = []
    for k, hint_lines in zip(order, hinted, strict=True):
        evidence = ranking.prior_evidence(gaz, prior, k, p) + asked[k] + hint_lines
        pid = prior.pids[k]
        matched = found[pid][1]
        out.append(Candidate(gaz.place(pid), float(probs[k]), matched, tuple(evidence)))
    return out


def _check_arguments(name: str, limit: int | None, context: str | None) -> None:
    """One-line errors for an empty name, a bad limit, a context too long to be a hint."""
    if name is None or not str(name).strip():
        raise InvalidQuery("`name` is empty; give a place name such as 'Novoheorhiivka'")
    if limit is not None and limit < 1:
        raise InvalidQuery(f"`limit` was {limit!r}; expected a positive number")
    if context is not None and len(context) > MAX_CONTEXT_CHARS:
        raise InvalidQuery(
            f"`context` is {len(context):,} characters; at most {MAX_CONTEXT_CHARS:,} are read "
            "(give the paragraph around the name, or parse the article with tracker.parse)"
        )


def _found(gaz: Gazetteer, text: str, level: str | None, fuzzy: bool) -> ranking.Found:
    """The candidates of a question's name (a KATOTTG code is its one place)."""
    if _KATOTTG.match(text):
        pid = gaz.katottg_index.get(text.upper())
        if pid is None:
            raise PlaceNotFound(text, [])
        return {pid: (100.0, text.upper(), "katottg")}
    found = candidates(gaz, text, level, fuzzy)
    if not found:
        raise PlaceNotFound(text, _suggest(gaz, text))
    return found


def _asked_terms(
    gaz: Gazetteer,
    pids: list[int],
    wanted: Oblast | None,
    near: LonLat | tuple[float, float] | list[float] | str | None,
    asked: list[list[str]],
    p: ranking.RankingParams,
) -> np.ndarray:
    """The gains of ``--oblast`` and ``--near``; their evidence lines go to *asked*."""
    total = np.zeros(len(pids))
    if wanted is not None:
        gain = ranking.oblast_terms(gaz, pids, wanted.katottg_prefix, p)
        total += gain
        for k in np.flatnonzero(gain).tolist():
            asked[k].append(f"in {wanted.name} oblast as asked: +{p.oblast_weight:.1f}")
    if near is not None:
        point, label = _resolve_near(gaz, near)
        gain, km = ranking.near_terms(gaz, pids, point.lon, point.lat, p)
        total += gain
        for k in np.flatnonzero(~np.isnan(km)).tolist():
            asked[k].append(f"{km[k]:.1f} km from {label} (near): +{gain[k]:.2f}")
    return total


def _direction_term(
    gaz: Gazetteer,
    text: str,
    hints: str,
    pids: list[int],
    asked: list[list[str]],
    p: ranking.RankingParams,
) -> np.ndarray:
    """A hint naming the asked place's own axis ('ISW "Oleksandrivka direction"'): that
    direction's settlement gains; its evidence line goes to *asked*."""
    gain = np.zeros(len(pids))
    named = _named_direction(gaz, text, hints)
    if named is not None and named in pids:
        j = pids.index(named)
        gain[j] = p.named_direction
        asked[j].append(
            f"the axis the text names after it ({text} direction): +{p.named_direction:.1f}"
        )
    return gain
