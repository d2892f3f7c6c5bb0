"""The map benchmark (issue 10): a map of 5,000 places across the gazetteer, built and saved.

Prints the build and save times (wall, and the process's CPU time, steadier on a shared
machine) and the file sizes (online and ``--offline``), for the map
of 5,000 random located settlements named once each in one article dated 2025-08-27.
Asserts nothing::

    TRACKER_DATA_DIR=/tmp/trk-data python bench/bench_map.py
    python bench/bench_map.py --places 1000

The first build of a process also pays for the store-wide pieces (the land outline, the
border pieces in degrees); the figure printed is that first build, as a user of ``tracker
map`` sees it, and then a second one.
"""

from __future__ import annotations

import argparse
import tempfile
import time


def fake_article(n_places: int, seed: int = 5):
    """One parsed article naming *n_places* random located settlements once each."""
    import numpy as np

    from tracker.gazetteer import load as load_gazetteer
    from tracker.models import Article, Mention, ParsedArticle, ResolvedMention

    gaz = load_gazetteer()
    ids, _, _ = gaz.located
    pick = np.random.default_rng(seed).choice(ids, n_places, replace=False)
    mentions = []
    for pid in pick:
        place = gaz.place(int(pid))
        m = Mention(0, len(place.name), place.name, "settlement", candidates=(int(pid),))
        mentions.append(ResolvedMention(m, f"Fighting near {place.name}.", place, 0.9))
    return ParsedArticle(Article(id="bench", text="", date="2025-08-27"), tuple(mentions))


def run(n_places: int) -> list[tuple[str, str]]:
    """The rows of the table: (measure, figure)."""
    from tracker.maps import build_map, save_map

    doc = fake_article(n_places)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, offline in (("online", False), ("--offline", True), ("--offline, again", True)):
            t0, c0 = time.perf_counter(), time.process_time()
            m = build_map([doc], offline=offline)
            t1 = time.perf_counter()
            size = save_map(m, f"{tmp}/map.html", offline=offline)
            t2, c2 = time.perf_counter(), time.process_time()
            rows.append(
                (
                    f"map of {n_places:,} places, {label}: build + save",
                    f"{t2 - t0:.2f} s (build {t1 - t0:.2f} s, save {t2 - t1:.2f} s; "
                    f"CPU {c2 - c0:.2f} s), {size / 1e6:.1f} MB",
                )
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--places", type=int, default=5000)
    args = parser.parse_args()
    t0 = time.perf_counter()
    import folium  # noqa: F401  (import time is not the map's)

    from tracker.data.store import load

    load()
    print(f"(imports and data load: {time.perf_counter() - t0:.2f} s, not counted)")
    for measure, figure in run(args.places):
        print(f"{measure:<55} {figure}")


if __name__ == "__main__":
    main()
