"""HTML rendering, Atom feeds and the static site (``newsdesk build``), without a browser.

Story pages are built by hand here so every section (summary, key points, timeline, discrepancies)
is exercised whatever the writer currently fills in.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner

from conftest import CORPUS
from newsdesk.cli import cli
from newsdesk.pipeline import ingest
from newsdesk.publish.atom import rfc3339, stories_feed, story_feed
from newsdesk.publish.html import (
    AppLinks,
    HtmlRenderer,
    SiteLinks,
    marked_paragraphs,
    safe_url,
    snippet_html,
    source_slug,
    story_html,
)
from newsdesk.publish.site import build_site
from newsdesk.records import (
    Article,
    Citation,
    CitedText,
    Claim,
    Discrepancy,
    KeyPoint,
    StoryArticle,
    StoryPage,
    TimelineEntry,
    article_id,
)
from newsdesk.serve.views import ArticleView, StoryUpdate, cited_spans, story_json, storyline_context
from newsdesk.settings import Settings
from newsdesk.store import open_store
from newsdesk.write import write_story

BODY_A = (
    "The Fenwick ferry resumed service on Tuesday after a two-day halt.\n\n"
    "Harbourmaster Olena Brisk said 40 crossings ran by noon. Passengers praised the crew."
)
BODY_B = "Only 35 crossings ran by noon, according to the operator Pellow Lines.\n\nThe halt had followed a storm."
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _article(title: str, body: str, source: str, url: str | None = None) -> Article:
    return Article(
        id=article_id(title, body), title=title, body=body, published="2026-05-12T10:00:00+02:00",
        published_from="meta", author=None, source=source, url=url, language="en", kind="report",
        location="test", format="text",
    )  # fmt: skip


def cite(article: Article, text: str) -> Citation:
    start = article.body.index(text)
    return Citation(article.id, start, start + len(text), text)


@pytest.fixture
def two_articles() -> tuple[Article, Article]:
    return (
        _article("Ferry back after storm", BODY_A, "Fenwick Post", "https://post.example/ferry"),
        _article(HOSTILE, BODY_B, HOSTILE, "javascript:alert(2)"),
    )


@pytest.fixture
def page(two_articles: tuple[Article, Article]) -> StoryPage:
    a, b = two_articles
    resumed = cite(a, "The Fenwick ferry resumed service on Tuesday after a two-day halt.")
    forty = cite(a, "Harbourmaster Olena Brisk said 40 crossings ran by noon.")
    thirty_five = cite(b, "Only 35 crossings ran by noon, according to the operator Pellow Lines.")
    return StoryPage(
        id="s0123456789a",
        title="Ferry back after storm",
        summary="The ferry runs again.",
        updated="2026-05-12T10:00:00+02:00",
        article_count=2,
        independent_source_count=2,
        articles=(
            StoryArticle(a.id, a.title, a.source, a.url, a.published, a.id, "origin", None),
            StoryArticle(b.id, b.title, b.source, b.url, b.published, b.id, "origin", None),
        ),
        summary_sentences=(CitedText("The ferry runs again.", (resumed,)),),
        key_points=(KeyPoint("Service resumed", "The ferry runs again after two days.", (resumed, forty)),),
        timeline=(TimelineEntry("2026-05-12", "day", "happened", "The ferry resumed service.", (resumed,)),),
        discrepancies=(
            Discrepancy("Crossings by noon", (Claim("40", (forty,)), Claim("35", (thirty_five,))), kind="number"),
        ),
    )


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text, of an HTML document."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: str) -> Tags:
    parser = Tags()
    parser.feed(html)
    return parser


def test_story_page_renders_every_section_with_numbered_citations(page: StoryPage) -> None:
    html = HtmlRenderer().story(page, AppLinks())
    for heading in ("Key points", "Timeline", "Where sources disagree", "Sources"):
        assert f">{heading}</h2>" in html
    # One number per source (its place in the Sources list); its distinct quotes are 1.1, 1.2 ...
    numbers = re.findall(r'aria-label="source (\d+)"', html)
    assert numbers == ["1", "1", "1", "1", "2"]
    assert re.findall(r'<a class="ref" href="#ref-(\d+-\d+)"', html) == ["1-1", "1-1", "1-2", "1-1", "1-2", "2-1"]
    first = page.key_points[0].citations[0]
    link = f"/articles/{first.article}#c-{first.start}-{first.end}"
    assert f'href="{link}"' in html
    assert f"<q>{first.quote}</q>" in html
    assert "2 articles, 2 independent sources" in html


def test_hostile_metadata_is_escaped_and_bad_links_dropped(page: StoryPage) -> None:
    html = HtmlRenderer().story(page, AppLinks())
    tags = parse(html)
    assert not [t for t, _ in tags.tags if t in ("img", "iframe", "object")]
    assert [a for t, a in tags.tags if t == "script" and not a.get("src")] == []
    assert not [a for _, a in tags.tags if any(k.startswith("on") for k in a)]
    hrefs = [a.get("href") or "" for _, a in tags.tags]
    assert not [h for h in hrefs if h.lower().startswith("javascript")]
    assert "&lt;script&gt;" in html
    external = [a for t, a in tags.tags if t == "a" and (a.get("href") or "").startswith("https://")]
    assert external and all(a.get("rel") == "noopener nofollow noreferrer" for a in external)


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://post.example/a?b=1", True),
        ("http://post.example/", True),
        ("javascript:alert(1)", False),
        ("JAVASCRIPT:alert(1)", False),
        (" javascript:alert(1)", False),
        ("data:text/html,<b>x</b>", False),
        ("//post.example/a", False),
        ("https://post.example/a b", False),
        (None, False),
    ],
)
def test_safe_url_keeps_only_http_links(url: str | None, kept: bool) -> None:
    assert (safe_url(url) is not None) is kept


def test_marked_paragraphs_split_overlapping_spans_and_keep_the_text() -> None:
    body = "One two three four.\n\nFive six seven."
    paragraphs = marked_paragraphs(body, [(4, 13), (8, 18), (21, 25), (21, 25), (30, 99)])
    assert ["".join(s.text for s in p) for p in paragraphs] == ["One two three four.", "Five six seven."]
    first = paragraphs[0]
    assert [(s.text, s.spans, s.anchors) for s in first] == [
        ("One ", (), ()),
        ("two ", ("c-4-13",), ("c-4-13",)),
        ("three", ("c-4-13", "c-8-18"), ("c-8-18",)),
        (" four", ("c-8-18",), ()),
        (".", (), ()),
    ]
    assert [(s.text, s.anchors) for s in paragraphs[1] if s.spans] == [("Five", ("c-21-25",))]


def test_article_page_highlights_each_cited_span(page: StoryPage, two_articles: tuple[Article, Article]) -> None:
    article = two_articles[0]
    cited = tuple(cited_spans(page, article))
    assert [c.quote for c in cited] == [
        "The Fenwick ferry resumed service on Tuesday after a two-day halt.",
        "Harbourmaster Olena Brisk said 40 crossings ran by noon.",
    ]
    html = HtmlRenderer().article(ArticleView(article, None, (), page, cited), AppLinks())
    for citation in cited:
        marker = f"c-{citation.start}-{citation.end}"
        assert f'<span class="anchor" id="{marker}"></span><mark class="cited" data-spans="{marker}">' in html
        assert f'data-spans="{marker}">{citation.quote}</mark>' in html
    assert "(date from meta)" in html


def test_cited_spans_leave_out_citations_that_break_the_contract(two_articles: tuple[Article, Article]) -> None:
    article = two_articles[0]
    good = cite(article, "Passengers praised the crew.")
    wrong_quote = Citation(article.id, 0, 3, "Tha")
    out_of_range = Citation(article.id, 10, 10_000, "x")
    page = StoryPage(
        "s1", "t", None, "2026-05-12", 1, 1, (), key_points=(KeyPoint("h", "t", (good, wrong_quote, out_of_range)),)
    )
    assert cited_spans(page, article) == [good]


def test_search_snippets_mark_matches_and_escape_the_rest() -> None:
    shown = str(snippet_html("the <b>[Ferry]</b> ran [1] times " + "x" * 5000, ["ferry"]))
    assert shown.startswith("the &lt;b&gt;<mark>Ferry</mark>&lt;/b&gt; ran [1] times ")
    assert shown.endswith("x" * 300 + "…")


def test_source_slugs_are_stable_readable_and_distinct() -> None:
    assert source_slug("Harbour Gazette") == source_slug("Harbour Gazette")
    assert source_slug("Harbour Gazette").startswith("harbour-gazette-")
    assert source_slug("Gazette") != source_slug("gazette")
    assert re.fullmatch(r"[0-9a-f]{8}", source_slug("日本経済新聞"))
    assert "/" not in source_slug("../../etc/passwd") and ".." not in source_slug("../../etc/passwd")


def test_site_links_are_relative_and_app_links_absolute() -> None:
    assert SiteLinks(1).article("abc", (3, 9)) == "../articles/abc.html#c-3-9"
    assert SiteLinks(0).home(2) == "page-2.html"
    assert AppLinks().source("A/B Times") == "/sources/A%2FB%20Times"
    assert AppLinks(query={"outlet": "X"}).home(2) == "/?outlet=X&page=2"


def test_feeds_are_valid_atom_with_stable_ids(page: StoryPage) -> None:
    ns = {"a": "http://www.w3.org/2005/Atom"}
    links = AppLinks(prefix="http://news.example")
    all_stories = ET.fromstring(stories_feed([page], links))
    entries = all_stories.findall("a:entry", ns)
    assert [e.findtext("a:id", namespaces=ns) for e in entries] == [f"urn:newsdesk:story:{page.id}"]
    assert entries[0].findtext("a:updated", namespaces=ns) == "2026-05-12T10:00:00+02:00"
    link = entries[0].find("a:link", ns)
    assert link is not None and link.get("href") == f"http://news.example/stories/{page.id}"
    updates = [
        StoryUpdate(2, "2026-05-12T09:00:00", "New article", "“x\x00\x07” joined the story.", page.articles[1].id),
        StoryUpdate(1, "2026-05-11", "Story started", "The story began.", page.articles[0].id),
    ]
    feed = ET.fromstring(story_feed(page, updates, links))
    titles = [e.findtext("a:title", namespaces=ns) for e in feed.findall("a:entry", ns)]
    assert titles == ["New article: Ferry back after storm", "Story started: Ferry back after storm"]
    assert feed.findtext("a:updated", namespaces=ns) == "2026-05-12T09:00:00Z"
    assert feed.findall("a:entry", ns)[0].findtext("a:summary", namespaces=ns) == "“x” joined the story."


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-05-12", "2026-05-12T00:00:00Z"),
        ("2026-05-12T10:00:00", "2026-05-12T10:00:00Z"),
        ("2026-05-12T10:00:00+00:00", "2026-05-12T10:00:00Z"),
        ("2026-05-12T10:00:00-04:00", "2026-05-12T10:00:00-04:00"),
        ("not a date", "1970-01-01T00:00:00Z"),
        (None, "1970-01-01T00:00:00Z"),
    ],
)
def test_rfc3339(value: str | None, expected: str) -> None:
    assert rfc3339(value) == expected


def test_story_html_is_one_document_with_the_stylesheet_inlined(page: StoryPage) -> None:
    html = story_html(page)
    assert html.startswith("<!doctype html>")
    assert "<style>" in html and "details.cite" in html
    assert 'rel="stylesheet"' not in html and "<script" not in html
    assert f'href="../articles/{page.key_points[0].citations[0].article}.html#c-' in html


# -- the static site of the sample corpus ------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "newsdesk.db"
    with open_store(str(path)) as store:
        report = ingest([str(CORPUS)], store, Settings(offline=True))
    assert report.ok and len(report.new) == 18
    return path


def _local_targets(folder: Path, html_file: Path) -> list[str]:
    tags = parse(html_file.read_text(encoding="utf-8")).tags
    return [a[key] or "" for _, a in tags for key in ("href", "src", "action") if key in a]


def test_build_writes_every_page_with_working_relative_links(corpus_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    with open_store(str(corpus_db), readonly=True) as store:
        report = build_site(store, out)
        stories = store.list_stories()
        expected_json = {s.id: story_json(write_story(store, s.id), storyline_context(store, s.id)) for s in stories}
    assert (report.stories, report.articles) == (len(stories), 18)
    for name in ("index.html", "search.html", "search-index.json", "feed.atom", "stories.json", "static/site.js"):
        assert (out / name).is_file(), name
    for story_id, data in expected_json.items():
        assert json.loads((out / "stories" / f"{story_id}.json").read_text(encoding="utf-8")) == data
        ET.parse(out / "stories" / f"{story_id}.atom")
    assert len(list((out / "articles").glob("*.html"))) == 18
    broken = []
    for html_file in out.rglob("*.html"):
        for target in _local_targets(out, html_file):
            if target.startswith(("https://", "http://", "data:")):
                continue
            assert not target.startswith("/"), f"{html_file.name}: absolute link {target}"
            path = unquote(urlsplit(target).path)
            if path and not (html_file.parent / path).resolve().exists():
                broken.append(f"{html_file.relative_to(out)} -> {target}")
    assert broken == []
    index = json.loads((out / "search-index.json").read_text(encoding="utf-8"))
    assert {d["type"] for d in index} == {"story", "article"}


def test_build_is_deterministic(corpus_db: Path, tmp_path: Path) -> None:
    with open_store(str(corpus_db), readonly=True) as store:
        build_site(store, tmp_path / "one")
        build_site(store, tmp_path / "two")
    first = {p.relative_to(tmp_path / "one"): p.read_bytes() for p in (tmp_path / "one").rglob("*") if p.is_file()}
    second = {p.relative_to(tmp_path / "two"): p.read_bytes() for p in (tmp_path / "two").rglob("*") if p.is_file()}
    assert first == second


def test_cli_build_and_story_html(corpus_db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    built = runner.invoke(cli, ["build", "--db", str(corpus_db), "--out", str(tmp_path / "site"), "--quiet"])
    assert built.exit_code == 0, built.output
    assert built.stdout.startswith(f"built {tmp_path / 'site'}: 4 stories, 18 articles, 11 outlets (")
    with open_store(str(corpus_db), readonly=True) as store:
        story_id = store.list_stories()[0].id
        title = write_story(store, story_id).title
    shown = runner.invoke(cli, ["story", story_id, "--db", str(corpus_db), "--format", "html"])
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.startswith("<!doctype html>")
    assert f"<h1>{title}</h1>" in shown.stdout.replace("&#39;", "'")
