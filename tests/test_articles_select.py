"""Which files of a directory are articles (--glob, README & co.), and dates from datelines."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tracker.articles import ReadProblem, dateline_date, from_text, input_files, iter_articles

ARTICLE = "Russian troops entered Zaporizke and Novoheorhiivka, DeepState said.\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    root = tmp_path / "articles"
    (root / "sub").mkdir(parents=True)
    (root / ".git").mkdir()
    for name in ("a.txt", "b.md", "sub/c.html", "README.md", "LICENSE.txt", "CHANGELOG.md"):
        text = f"<p>{ARTICLE}</p>" if name.endswith(".html") else ARTICLE
        (root / name).write_text(text, encoding="utf-8")
    (root / "a.json").write_text('{"title": "A"}', encoding="utf-8")  # a sidecar
    (root / "notes.pdf").write_bytes(b"%PDF-1.4")
    (root / ".hidden.txt").write_text(ARTICLE, encoding="utf-8")
    (root / ".git" / "HEAD.txt").write_text(ARTICLE, encoding="utf-8")
    return root


def _read(paths, **kwargs):
    items = list(iter_articles(paths, **kwargs))
    return [i for i in items if not isinstance(i, ReadProblem)], [
        i for i in items if isinstance(i, ReadProblem)
    ]


def test_a_directory_gives_articles_only_and_counts_the_rest(folder):
    articles, problems = _read([folder])
    assert [a.id for a in articles] == ["a", "b", "c"]
    assert articles[0].title == "A"  # the sidecar is still read
    (skipped,) = problems
    assert not skipped.fatal
    assert "skipped 6 files" in skipped.message
    for name in ("README.md", "LICENSE.txt", "CHANGELOG.md", "notes.pdf", "hidden: 2"):
        assert name in skipped.message
    assert "--glob" in skipped.message


def test_glob_chooses(folder):
    articles, problems = _read([folder], glob="*.md")
    assert [a.id for a in articles] == ["CHANGELOG", "README", "b"]
    articles, _ = _read([folder], glob=["sub/*.html", "a.*"])
    assert [a.id for a in articles] == ["a", "c"]
    articles, problems = _read([folder], glob="*.docx")
    assert articles == [] and any("no files matching *.docx" in p.message for p in problems)
    assert str(folder / "README.md") not in set(input_files([folder]))
    assert str(folder / "README.md") in set(input_files([folder], "README.md"))


def test_a_file_named_explicitly_is_read_whatever_its_name(folder):
    articles, _ = _read([folder / "README.md"])
    assert [a.id for a in articles] == ["README"]


def test_parse_and_map_take_glob_and_say_what_was_skipped(built, folder, tmp_path):
    from tracker.cli import main

    runner = CliRunner()
    result = runner.invoke(main, ["parse", str(folder), "--glob", "a.txt", "--date", "2025-08-27"])
    assert result.exit_code == 0, result.output
    assert result.stdout.count('"id"') == 1
    assert "warning:" in result.stderr and "not matching --glob" in result.stderr
    out = tmp_path / "m.html"
    result = runner.invoke(main, ["map", str(folder), "-o", str(out), "--date", "2025-08-27"])
    assert result.exit_code == 0, result.output
    assert "skipped 6 files" in result.stderr and out.is_file()


# -- datelines ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        ("KYIV, June 8 (Reuters) - Russia said on Sunday it had", "2026-12-01", "2025-06-08"),
        ("KYIV, June 8 (Reuters) - Russia said it had", "2026-12-01", "2026-06-08"),
        ("KYIV, June 8 (Reuters) - Russia said it had", "2026-06-01", "2025-06-08"),
        ("KYIV, Ukraine, Aug. 27, 2025 (AP) — Russian troops", "2026-12-01", "2025-08-27"),
        ("Kyiv, 27 August 2025 - Russian troops", None, "2025-08-27"),
        ("ZAPORIZHZHIA, Ukraine, Sept. 3 (AP) — a strike", "2026-12-01", "2026-09-03"),
        ("June 8 (Reuters) - Russia", "2026-12-01", "2026-06-08"),
        ("KYIV, Ukraine — Russian troops have entered", "2026-12-01", None),
        ("Russia said on June 8 - that", "2026-12-01", None),
        ("The war, June 8 - and more", "2026-12-01", None),
    ],
)
def test_dateline(text, reference, expected):
    found = dateline_date(text, reference)
    assert (found[0] if found else None) == expected


def test_the_dateline_dates_an_undated_article_only():
    assert from_text("KYIV, Aug. 27, 2025 (AP) — Troops entered Zaporizke.").date == "2025-08-27"
    front = "---\ndate: 2025-08-20\n---\nKYIV, Aug. 27, 2025 (AP) — Troops entered Zaporizke.\n"
    assert from_text(front).date == "2025-08-20"
    assert from_text(front, date="2025-08-01").date == "2025-08-01"
    assert from_text("Troops entered Zaporizke on Aug. 27, 2025.").date is None


# -- history from the articles given --------------------------------------------------------


def test_readme_history_example_reproduces_exactly(built):
    import re
    import shlex

    from tracker.cli import main

    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    found = re.search(r"^\$ (tracker history \S+ --articles \S+ --date \S+)\n(.*?)\n\n", readme,
                      re.S | re.M)  # fmt: skip
    assert found, "README shows a history of the shipped example article"
    args = shlex.split(found.group(1))[1:]
    assert args[args.index("--articles") + 1] == "../shared/articles/004_35ed6482ca630a39.txt"
    args[args.index("--articles") + 1] = str(root.parent / "shared" / "articles" / Path(
        args[args.index("--articles") + 1]).name)  # fmt: skip
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.stdout.rstrip("\n") == found.group(2)
    undated = CliRunner().invoke(main, [a for a in args if a not in ("--date", "2025-08-27")])
    assert "????-??-??  claim:" in undated.stdout  # no date from the file, none invented
