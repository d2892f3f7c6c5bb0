"""Reading articles: text kept exactly, HTML reduced to its text, bad files reported."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from tracker.articles import ReadProblem, from_text, iter_articles, read_article
from tracker.errors import InputError, TrackerError
from tracker.models import Article

SHARED_ARTICLES = Path(__file__).resolve().parents[2] / "shared" / "articles"

BODY = (
    "Russian troops enter two villages of Dnipropetrovsk region\n"
    "\n"
    "Russian troops have entered Zaporizke and Novoheorhiivka, the army said.\n"
    "\n"
    "Fighting continues near Pokrovsk & Kostiantynivka, officials said.\n"
)


def _write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _collect(paths, **kwargs) -> tuple[list[Article], list[ReadProblem]]:
    articles: list[Article] = []
    problems: list[ReadProblem] = []
    for item in iter_articles(paths, **kwargs):
        (articles if isinstance(item, Article) else problems).append(item)
    return articles, problems


# -- plain text ----------------------------------------------------------------------------------


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_plain_text_is_kept_exactly(tmp_path: Path, newline: str) -> None:
    raw = BODY.replace("\n", newline) + "  trailing spaces kept  " + newline * 2
    path = _write(tmp_path / "004_35ed6482ca630a39.txt", raw)

    article = read_article(path)

    assert article.text == raw
    assert article.text.encode("utf-8") == path.read_bytes()
    assert article.id == "004_35ed6482ca630a39"
    assert article.path == str(path)
    assert article.format == "text"
    assert article.body_start == 0
    assert (article.title, article.url, article.date) == (None, None, None)
    start = raw.index("Zaporizke")
    assert article.text[start : start + len("Zaporizke")] == "Zaporizke"
    assert article.text.count("\r\n") == (raw.count("\n") if newline == "\r\n" else 0)


def test_bom_is_accepted_and_not_part_of_the_text(tmp_path: Path) -> None:
    path = _write(tmp_path / "bom.txt", b"\xef\xbb\xbf" + BODY.encode("utf-8"))

    article = read_article(path)

    assert article.text == BODY
    assert not article.text.startswith("\ufeff")


def test_markdown_keeps_its_markup(tmp_path: Path) -> None:
    raw = "# Heading\n\n*Russian troops* entered [Zaporizke](https://x.example).\n"
    article = read_article(_write(tmp_path / "note.markdown", raw))
    assert (article.format, article.text, article.id) == ("markdown", raw, "note")


# -- front matter --------------------------------------------------------------------------------


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_front_matter_metadata_and_offsets(tmp_path: Path, newline: str) -> None:
    front = (
        "---\n"
        "title: Russian troops enter two villages\n"
        "source_url: https://www.nbcnews.com/x\n"
        "date: 2025-08-27\n"
        "tags: [war]\n"
        "---\n"
    ).replace("\n", newline)
    raw = front + BODY.replace("\n", newline)
    path = _write(tmp_path / "fm.md", raw)

    article = read_article(path)

    assert article.text == raw  # the front matter stays in the text
    assert article.body_start == len(front)
    assert article.text[article.body_start :] == BODY.replace("\n", newline)
    assert article.title == "Russian troops enter two villages"
    assert article.url == "https://www.nbcnews.com/x"
    assert article.date == "2025-08-27"
    assert article.format == "markdown"
    start = raw.index("Novoheorhiivka")  # offsets are into the full text
    assert article.text[start:].startswith("Novoheorhiivka")


def test_front_matter_timestamp_published_and_source(tmp_path: Path) -> None:
    raw = (
        "---\ntitle: T\nsource: https://example.org/a\npublished: 2025-08-27T23:10:00Z\n---\n"
        + BODY
    )
    article = read_article(_write(tmp_path / "a.txt", raw))
    assert (article.url, article.date) == ("https://example.org/a", "2025-08-27")


def test_front_matter_source_that_is_not_a_url_is_not_the_url(tmp_path: Path) -> None:
    raw = "---\nsource: NBC News\n---\n" + BODY
    assert read_article(_write(tmp_path / "a.txt", raw)).url is None


def test_malformed_front_matter_names_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path / "bad_fm.txt", "---\ntitle: ok\nurl: [unclosed\ndate: x\n---\n" + BODY)
    good = _write(tmp_path / "good.txt", BODY)

    articles, problems = _collect([path, good])

    assert [a.id for a in articles] == ["good"]
    assert len(problems) == 1
    assert problems[0].path == str(path)
    assert problems[0].fatal
    assert str(path) in problems[0].message
    assert "front matter" in problems[0].message
    assert "line 4" in problems[0].message  # the flow sequence runs into line 4
    with pytest.raises(InputError, match=r"bad_fm\.txt"):
        read_article(path)


def test_unclosed_or_non_mapping_front_matter(tmp_path: Path) -> None:
    unclosed = _write(tmp_path / "unclosed.txt", "---\ntitle: x\n" + BODY)
    scalar = _write(tmp_path / "scalar.txt", "---\njust a line\n---\n" + BODY)
    _, problems = _collect([unclosed, scalar])
    assert [p.path for p in problems] == [str(unclosed), str(scalar)]
    assert "never closed" in problems[0].message
    assert "key: value" in problems[1].message


def test_text_that_only_has_front_matter_is_skipped(tmp_path: Path) -> None:
    path = _write(tmp_path / "only.txt", "---\ntitle: x\n---\n\n")
    [problem] = list(iter_articles([path]))
    assert isinstance(problem, ReadProblem)
    assert not problem.fatal


# -- sidecars and dates --------------------------------------------------------------------------


def test_sidecar_json_and_meta_json(tmp_path: Path) -> None:
    a = _write(tmp_path / "a.txt", BODY)
    _write(
        tmp_path / "a.json",
        json.dumps(
            {"title": "Side A", "source_url": "https://a.example", "published": "2025-06-08"}
        ),
    )
    b = _write(tmp_path / "b.txt", BODY)
    _write(
        tmp_path / "b.meta.json",
        json.dumps({"title": "Side B", "url": "https://b.example", "date": "2025-05-07T08:00:00Z"}),
    )

    first, second = read_article(a), read_article(b)

    assert (first.title, first.url, first.date) == ("Side A", "https://a.example", "2025-06-08")
    assert (second.title, second.url, second.date) == ("Side B", "https://b.example", "2025-05-07")
    assert first.text == BODY


def test_front_matter_wins_over_sidecar_and_date_argument_over_both(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "x.txt", "---\ntitle: From front matter\ndate: 2025-06-08\n---\n" + BODY
    )
    _write(
        tmp_path / "x.json",
        json.dumps({"title": "From sidecar", "url": "https://side.example", "date": "2025-01-01"}),
    )

    article = read_article(path)
    assert article.title == "From front matter"
    assert article.url == "https://side.example"  # the front matter has none
    assert article.date == "2025-06-08"

    assert read_article(path, date="2025-08-27").date == "2025-08-27"
    [again] = list(iter_articles([path], date="2025-08-27"))
    assert isinstance(again, Article) and again.date == "2025-08-27"


def test_sidecar_that_is_not_json_is_a_problem(tmp_path: Path) -> None:
    path = _write(tmp_path / "x.txt", BODY)
    _write(tmp_path / "x.json", '{"title": "unterminated')
    [problem] = list(iter_articles([path]))
    assert isinstance(problem, ReadProblem)
    assert problem.path == str(path)
    assert "x.json" in problem.message and "JSON" in problem.message


def test_unparseable_date_names_value_and_format(tmp_path: Path) -> None:
    path = _write(tmp_path / "d.txt", "---\ndate: 27.08.2025\n---\n" + BODY)
    [problem] = list(iter_articles([path]))
    assert isinstance(problem, ReadProblem)
    assert "27.08.2025" in problem.message
    assert "YYYY-MM-DD" in problem.message
    assert str(path) in problem.message
    # the explicit date wins, so the file reads
    assert read_article(path, date="2025-08-27").date == "2025-08-27"


def test_impossible_sidecar_date_is_a_problem(tmp_path: Path) -> None:
    path = _write(tmp_path / "d.txt", BODY)
    _write(tmp_path / "d.meta.json", json.dumps({"date": "2025-02-30"}))
    [problem] = list(iter_articles([path]))
    assert isinstance(problem, ReadProblem)
    assert "2025-02-30" in problem.message


@pytest.mark.parametrize("bad", ["27.08.2025", "2025-8-27", "2025-08-27T10:00", "2025-13-01", ""])
def test_bad_date_argument_raises_at_once(tmp_path: Path, bad: str) -> None:
    missing = tmp_path / "does-not-exist.txt"
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        iter_articles([missing], date=bad)  # raised by the call itself, before any next()
    with pytest.raises(InputError):
        read_article(missing, date=bad)
    with pytest.raises(ValueError):
        from_text(BODY, date=bad)
    assert issubclass(InputError, TrackerError)


# -- HTML ----------------------------------------------------------------------------------------

HTML_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <title>Russian troops enter two villages | NBC News</title>
  <meta property="article:published_time" content="2025-08-27T14:05:00-04:00">
  <link rel="canonical" href="https://www.nbcnews.com/world/ukraine/x">
  <style>p { color: red; } .Pokrovsk { }</style>
  <script>window.places = ["Kharkiv", "Sumy"];</script>
</head>
<body>
  <noscript>Please enable JavaScript</noscript>
  <header><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>
  <article>
    <h1>Russian troops   enter
        two villages</h1>
    <section>
      <div><p>Russian troops have entered <b>Zaporizke</b>&nbsp;and
      <a href="#">Novoheorhiivka</a>, the army said.</p>
      <p>Fighting continues near Pokrovsk &amp; Kostiantynivka&#8212;officials said.<br>
      A second line after a break.</p></div>
      <ul><li>Item <em>one</em></li><li>Item two</li></ul>
      <blockquote><p>We hold the line&hellip;</p></blockquote>
      <table><tr><td>Sumy</td><td>3</td></tr><tr><th>Kharkiv</th><td>5</td></tr></table>
    </section>
    <template><p>Never shown</p></template>
    <!-- a comment about Odesa -->
    <script type="application/ld+json">{"name": "Kherson"}</script>
  </article>
</body>
</html>
"""

HTML_LINES = [
    "Home World",
    "Russian troops enter two villages",
    "Russian troops have entered Zaporizke and Novoheorhiivka, the army said.",
    "Fighting continues near Pokrovsk & Kostiantynivka—officials said.",
    "A second line after a break.",
    "Item one",
    "Item two",
    "We hold the line…",
    "Sumy 3",
    "Kharkiv 5",
]


def test_html_text_and_metadata(tmp_path: Path) -> None:
    path = _write(tmp_path / "page.html", HTML_PAGE)

    article = read_article(path)

    assert article.format == "html"
    assert article.text.split("\n") == HTML_LINES  # exactly one newline between blocks
    for gone in ("color", "window.places", "Kherson", "Odesa", "Never shown", "JavaScript"):
        assert gone not in article.text
    assert "  " not in article.text and "\xa0" not in article.text
    assert article.title == "Russian troops enter two villages | NBC News"
    assert article.url == "https://www.nbcnews.com/world/ukraine/x"
    assert article.date == "2025-08-27"  # the publisher's local date
    assert article.id == "page"
    assert article.body_start == 0


def test_html_fallbacks_h1_time_og_url(tmp_path: Path) -> None:
    page = (
        '<html><head><meta property="og:url" content="https://og.example/a"></head><body>'
        '<h1>Only an <i>h1</i></h1><p>Posted <time datetime="2025-06-08T09:00:00Z">Sunday</time>'
        "</p><p>Text about Zorya.</p></body></html>"
    )
    article = read_article(_write(tmp_path / "p.htm", page))
    assert article.title == "Only an h1"
    assert article.url == "https://og.example/a"
    assert article.date == "2025-06-08"
    assert article.text == "Only an h1\nPosted Sunday\nText about Zorya."


def test_html_gives_the_same_sentences_as_text(tmp_path: Path) -> None:
    paragraphs = [line for line in BODY.splitlines() if line]
    html = (
        "<html><head><title>t</title><script>var a = 1;</script></head><body><article>"
        + f"<h2>{paragraphs[0]}</h2>"
        + "".join(
            "<div class='para'>\n  <p>" + p.replace("&", "&amp;").replace(" ", "\n   ", 2) + "</p>"
            "</div>"
            for p in paragraphs[1:]
        )
        + "</article></body></html>"
    )
    from_html = read_article(_write(tmp_path / "same.html", html))
    from_txt = read_article(_write(tmp_path / "same.txt", BODY))

    assert _lines(from_html.text) == _lines(from_txt.text)
    assert from_html.text.split() == from_txt.text.split()


def test_html_on_stdin_and_from_text_format() -> None:
    [article] = list(iter_articles(["-"], stdin=io.StringIO("<!doctype html><p>A&amp;B</p>")))
    assert isinstance(article, Article)
    assert (article.format, article.text) == ("html", "A&B")
    assert from_text("<p>x</p><p>y</p>", format="html").text == "x\ny"
    with pytest.raises(InputError, match="format"):
        from_text("x", format="pdf")


# -- directories and problems --------------------------------------------------------------------


def test_directory_recursion_good_and_bad(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    ukrainian = "Російські війська увійшли в Запорізьке та Новогеоргіївку на Дніпропетровщині.\n"
    _write(root / "b_good.txt", BODY)
    _write(root / "a_good.md", "# A\n" + BODY)
    _write(root / "sub" / "deeper" / "c_good.html", "<p>Russian troops entered Zaporizke.</p>")
    _write(root / "sub" / "empty.txt", " \n\t\n")
    _write(root / "sub" / "binary.txt", b"\x00\x01\x02 some header \x00\xff" * 20)
    cp1251 = _write(root / "sub" / "cp1251.txt", ("Intro line.\n" + ukrainian).encode("cp1251"))
    _write(root / "sub" / "zero.md", b"")
    _write(root / ".hidden" / "secret.txt", BODY)
    _write(root / ".dotfile.txt", BODY)
    _write(root / "notes.csv", "a,b\n")
    _write(root / "b_good.json", json.dumps({"title": "B"}))

    items = list(iter_articles([root]))
    # one notice counts what the directory holds besides articles (not an article, hidden)
    (skipped,) = [i for i in items if isinstance(i, ReadProblem) and i.path == str(root)]
    assert not skipped.fatal and "skipped 3 files" in skipped.message, skipped.message
    assert "notes.csv" in skipped.message and "hidden: 2" in skipped.message
    items = [i for i in items if i is not skipped]

    paths = [item.path for item in items]
    assert paths == [
        str(root / "a_good.md"),
        str(root / "b_good.txt"),
        str(root / "sub" / "binary.txt"),
        str(root / "sub" / "cp1251.txt"),
        str(root / "sub" / "deeper" / "c_good.html"),
        str(root / "sub" / "empty.txt"),
        str(root / "sub" / "zero.md"),
    ]
    articles = {item.id: item for item in items if isinstance(item, Article)}
    problems = {Path(item.path).name: item for item in items if isinstance(item, ReadProblem)}
    assert set(articles) == {"a_good", "b_good", "c_good"}
    assert articles["b_good"].text == BODY and articles["b_good"].title == "B"
    assert articles["c_good"].text == "Russian troops entered Zaporizke."
    assert set(problems) == {"binary.txt", "cp1251.txt", "empty.txt", "zero.md"}
    for name, problem in problems.items():
        assert name in problem.message
    assert "binary file, not an article" in problems["binary.txt"].message
    assert problems["binary.txt"].fatal
    assert "empty file, skipped" in problems["empty.txt"].message
    assert not problems["empty.txt"].fatal and not problems["zero.md"].fatal

    message = problems["cp1251.txt"].message
    offset = len("Intro line.\n")  # the first Cyrillic byte
    bad_byte = cp1251.read_bytes()[offset]
    assert problems["cp1251.txt"].fatal
    assert f"invalid byte 0x{bad_byte:02x} at offset {offset}" in message
    assert "not UTF-8" in message
    assert "iconv -f cp1251 -t utf-8" in message


def test_non_article_extension_named_explicitly_is_read_as_text(tmp_path: Path) -> None:
    path = _write(tmp_path / "article.text", BODY)
    [article] = list(iter_articles([path]))
    assert isinstance(article, Article) and article.text == BODY and article.format == "text"


def test_utf16_and_pdf_are_reported(tmp_path: Path) -> None:
    utf16 = _write(tmp_path / "u16.txt", BODY.encode("utf-16"))
    pdf = _write(tmp_path / "scan.txt", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n")
    _, problems = _collect([utf16, pdf])
    assert "UTF-16" in problems[0].message and "iconv -f utf-16" in problems[0].message
    assert "binary file, not an article" in problems[1].message and "PDF" in problems[1].message


def test_stdin_dash(tmp_path: Path) -> None:
    raw = "---\ntitle: From stdin\n---\r\n" + BODY.replace("\n", "\r\n")
    good = _write(tmp_path / "g.txt", BODY)

    items = list(iter_articles(["-", good], stdin=io.StringIO(raw), date="2025-08-27"))

    assert [type(i) for i in items] == [Article, Article]
    article = items[0]
    assert article.id == "stdin"
    assert article.text == raw
    assert article.title == "From stdin"
    assert article.date == "2025-08-27"
    assert article.text[article.body_start :] == BODY.replace("\n", "\r\n")
    assert article.path is None


def test_stdin_empty_is_skipped() -> None:
    [problem] = list(iter_articles(["-"], stdin=io.StringIO("  \n")))
    assert isinstance(problem, ReadProblem)
    assert problem.path == "-" and not problem.fatal


def test_nonexistent_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope" / "missing.txt"
    good = _write(tmp_path / "ok.txt", BODY)

    items = list(iter_articles([str(missing), good]))

    assert isinstance(items[0], ReadProblem)
    assert items[0].path == str(missing)
    assert str(missing) in items[0].message and items[0].fatal
    assert isinstance(items[1], Article)
    with pytest.raises(InputError, match=r"missing\.txt"):
        read_article(missing)


def test_empty_directory_and_directory_without_articles(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    other = tmp_path / "other"
    _write(other / "data.csv", "a,b\n")
    _write(other / ".hidden.txt", BODY)

    items = list(iter_articles([empty, other]))

    assert [type(i) for i in items] == [ReadProblem, ReadProblem, ReadProblem]
    assert [i.path for i in items] == [str(empty), str(other), str(other)]
    skipped = items.pop(1)  # what "other" holds besides articles, counted
    assert not skipped.fatal and "skipped 2 files (not articles: data.csv; hidden: 1)" in (
        skipped.message
    )
    for item in items:
        assert "no article files" in item.message and item.path in item.message


def test_single_path_string_is_one_path(tmp_path: Path) -> None:
    path = _write(tmp_path / "one.txt", BODY)
    [article] = list(iter_articles(str(path)))
    assert isinstance(article, Article) and article.id == "one"


# -- read_article / from_text --------------------------------------------------------------------


def test_read_article_name_and_text() -> None:
    article = read_article(BODY, date="2025-08-27", name="snippet")
    assert (article.id, article.text, article.path, article.date) == (
        "snippet",
        BODY,
        None,
        "2025-08-27",
    )


def test_read_article_raises_input_error_for_bad_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="empty file"):
        read_article(_write(tmp_path / "e.txt", ""))
    with pytest.raises(InputError, match="binary"):
        read_article(_write(tmp_path / "b.txt", b"ab\x00cd"))
    with pytest.raises(InputError, match="directory"):
        read_article(tmp_path)


def test_from_text() -> None:
    article = from_text(
        "\ufeff---\ntitle: Own\nurl: https://own.example\n---\nBody.\n",
        id="t1",
        title="Given",
        date="2025-06-08",
    )
    assert article.text == "---\ntitle: Own\nurl: https://own.example\n---\nBody.\n"
    assert article.text[article.body_start :] == "Body.\n"
    assert (article.id, article.title, article.url, article.date) == (
        "t1",
        "Given",
        "https://own.example",
        "2025-06-08",
    )
    with pytest.raises(InputError):
        from_text("   ")


# -- the real examples ---------------------------------------------------------------------------


def test_real_example_articles_round_trip() -> None:
    files = sorted(SHARED_ARTICLES.glob("*.txt"))
    assert len(files) == 3, f"expected the three example articles in {SHARED_ARTICLES}"

    items = list(iter_articles(files))

    assert all(isinstance(i, Article) for i in items), items
    assert [a.id for a in items] == [f.stem for f in files]
    for article, path in zip(items, files, strict=True):
        assert article.text == path.read_text(encoding="utf-8")
        assert article.text.encode("utf-8") == path.read_bytes()
        assert article.body_start == 0 and article.format == "text"
        assert article.path == str(path)
        assert read_article(path).text == article.text
