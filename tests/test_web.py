"""The web app and the static site in a real browser: Debian's Chromium driven by Playwright.

A reader opens the story list of the sample corpus, opens a story, opens a citation in place and
follows it to the article, where the quoted sentence is highlighted; searches for a word and
reaches an article; and the same on the static site served from files. Hostile articles must not
run or inject anything. Screenshots go to ``test-artifacts/``. The browser is never downloaded:
``scripts/ensure-chromium`` (run by ``make test``) installs Debian's package.
"""

from __future__ import annotations

import functools
import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from playwright.sync_api import Browser, Dialog, Page, expect, sync_playwright

from conftest import CORPUS, ROOT
from newsdesk.pipeline import ingest
from newsdesk.publish.html import HtmlRenderer, SiteLinks, static_file
from newsdesk.publish.site import STATIC_FILES, build_site
from newsdesk.records import Citation, StoryPage
from newsdesk.serve.app import create_app
from newsdesk.settings import Settings
from newsdesk.store import open_store
from newsdesk.write import write_story

pytestmark = pytest.mark.network

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]  # fmt: skip
ARTIFACTS = ROOT / "test-artifacts"


# -- servers and the browser -----------------------------------------------------------------------------------


@contextmanager
def serve_app(app: FastAPI) -> Iterator[str]:
    """The app under uvicorn on a free loopback port, in a background thread."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


class _QuietFiles(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return


@contextmanager
def serve_folder(folder: Path) -> Iterator[str]:
    """A plain file server over ``folder`` on loopback, like ``python -m http.server``."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietFiles, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/ensure-chromium (make test does) to install Debian's chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


class Reader:
    """A browser tab that records every dialog (none may open) and the page's errors."""

    def __init__(self, browser: Browser) -> None:
        self.context = browser.new_context(viewport={"width": 1100, "height": 900})
        self.page: Page = self.context.new_page()
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.page.on("dialog", self._dialog)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def shot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def reader(browser: Browser) -> Iterator[Reader]:
    tab = Reader(browser)
    try:
        yield tab
    finally:
        tab.close()
    assert tab.dialogs == [], f"a dialog opened: {tab.dialogs}"
    assert tab.errors == [], f"script errors: {tab.errors}"


# -- the sample corpus -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("web") / "newsdesk.db")
    with open_store(path) as store:
        report = ingest([str(CORPUS)], store, Settings(offline=True))
    assert report.ok and len(report.new) == 18
    return path


@pytest.fixture(scope="module")
def corpus_pages(corpus_db: str) -> list[StoryPage]:
    with open_store(corpus_db, readonly=True) as store:
        return [write_story(store, s.id) for s in store.list_stories()]


@pytest.fixture(scope="module")
def app_url(corpus_db: str) -> Iterator[str]:
    with serve_app(create_app(corpus_db)) as url:
        yield url


@pytest.fixture(scope="module")
def site_url(corpus_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    out = tmp_path_factory.mktemp("site")
    with open_store(corpus_db, readonly=True) as store:
        build_site(store, out)
    with serve_folder(out) as url:
        yield url


def cited_claim(pages: list[StoryPage]) -> tuple[StoryPage, Citation]:
    """The first key point (else timeline) citation of the corpus's stories: what the test clicks."""
    for page in pages:
        for citation in [c for k in page.key_points for c in k.citations] + [
            c for t in page.timeline for c in t.citations
        ]:
            return page, citation
    pytest.fail(
        "no story of the sample corpus has a key point or timeline citation: the write stage must cite "
        "(newsdesk.write.write_story fills key_points and timeline)"
    )


def open_citation_and_follow_it(reader: Reader, home: str, story: StoryPage, citation: Citation, name: str) -> None:
    page = reader.page
    page.goto(home)
    expect(page.locator("li.story-item")).to_have_count(4)
    expect(page.locator("li.story-item").first).to_contain_text("independent source")
    reader.shot(f"{name}-1-stories")
    page.get_by_role("link", name=story.title or "(untitled story)", exact=True).first.click()
    expect(page.locator("h1")).to_have_text(story.title or "(untitled story)")
    target = f"#c-{citation.start}-{citation.end}"
    details = page.locator(f'.key-points details.cite:has(a[href*="{citation.article}"][href$="{target}"])').first
    if not story.key_points:
        details = page.locator(f'.timeline details.cite:has(a[href$="{target}"])').first
    expect(details.locator(".quote")).to_be_hidden()
    details.locator("summary").click()
    # One [n] per source: its quotes each have their sub-anchor (n.k) and a link to the span.
    item = details.locator(f'.quote-item:has(a.to-span[href$="{target}"])')
    quote = item.locator("q")
    expect(quote).to_be_visible()
    assert " ".join(quote.inner_text().strip('“”"').split()) == " ".join(citation.quote.split())
    ref = item.locator("a.ref")
    expect(ref).to_have_text(re.compile(r"^\d+\.\d+$"))
    expect(page.locator(ref.get_attribute("href") or "#none")).to_have_count(1)
    reader.shot(f"{name}-2-citation-open")
    item.locator("a.to-span").click()
    page.wait_for_url(f"**{target}")
    highlighted = page.locator("mark.cited.current")
    expect(highlighted.first).to_be_visible()
    expect(highlighted.first).to_be_in_viewport()
    shown = "".join(highlighted.all_text_contents())
    assert " ".join(shown.split()) == " ".join(citation.quote.split())
    reader.shot(f"{name}-3-article-highlight")


def test_app_story_citation_opens_the_highlighted_sentence(
    reader: Reader, app_url: str, corpus_pages: list[StoryPage]
) -> None:
    story, citation = cited_claim(corpus_pages)
    open_citation_and_follow_it(reader, app_url + "/", story, citation, "app")


def test_site_story_citation_opens_the_highlighted_sentence(
    reader: Reader, site_url: str, corpus_pages: list[StoryPage]
) -> None:
    story, citation = cited_claim(corpus_pages)
    open_citation_and_follow_it(reader, site_url + "/index.html", story, citation, "site")


def test_more_sources_open_behind_a_toggle_under_the_csp(reader: Reader, tmp_path: Path) -> None:
    """A claim of thirty sources shows five; "and 25 more" opens the rest; a quote's sub-anchor reaches its entry."""
    from test_citations import festival_articles, festival_page

    page_record = festival_page(festival_articles())
    (tmp_path / "stories").mkdir()
    (tmp_path / "static").mkdir()
    for name in STATIC_FILES:
        (tmp_path / "static" / name).write_text(static_file(name), encoding="utf-8")
    html = HtmlRenderer().story(page_record, SiteLinks(depth=1))  # declares the site's CSP
    (tmp_path / "stories" / "festival.html").write_text(html, encoding="utf-8")
    with serve_folder(tmp_path) as url:
        page = reader.page
        page.goto(f"{url}/stories/festival.html")
        summary = page.locator(".summary")
        shown = summary.locator(":scope > details.cite > summary")
        expect(shown).to_have_text(["[1]", "[3]", "[4]", "[5]", "[6]"])
        more = summary.locator("details.more")
        hidden = more.locator("details.cite > summary")
        expect(hidden).to_have_count(25)
        expect(hidden.first).to_be_hidden()
        more.locator(":scope > summary").click()
        expect(more.locator(":scope > summary")).to_have_text("and 25 more")
        expect(hidden.first).to_be_visible()
        reader.shot("citations-1-more-open")
        expect(hidden.last).to_have_text("[2]")  # the copy comes after every independent family
        hidden.last.click()
        item = more.locator("details.cite").last.locator(".quote-item")
        expect(item.locator("q")).to_be_visible()
        item.locator("a.ref").click()
        expect(page).to_have_url(re.compile(r"#ref-2-1$"))  # a link within the page: no load event
        expect(page.locator("#ref-2-1")).to_be_in_viewport()
        reader.shot("citations-2-quote-under-its-source")


def search_and_reach_an_article(reader: Reader, home: str, name: str) -> None:
    page = reader.page
    page.goto(home)
    page.locator("#site-q").fill("landslide")
    page.locator("#site-q").press("Enter")
    results = page.locator("ul.results").last.locator("li")
    expect(results.first).to_be_visible()
    expect(results.first.locator("mark").first).to_have_text("landslide", ignore_case=True)
    reader.shot(f"{name}-4-search")
    link = results.first.locator("a").first
    title = link.inner_text()
    link.click()
    expect(page.locator("h1")).to_have_text(title)
    expect(page.locator(".body")).to_contain_text("landslide")


def test_app_search_reaches_an_article(reader: Reader, app_url: str) -> None:
    search_and_reach_an_article(reader, app_url + "/", "app")


def test_site_search_reaches_an_article(reader: Reader, site_url: str) -> None:
    search_and_reach_an_article(reader, site_url + "/index.html", "site")


def test_app_outlet_page_and_filters(reader: Reader, app_url: str) -> None:
    page = reader.page
    page.goto(app_url + "/")
    page.locator("select[name=outlet]").select_option("Northfield Chronicle")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("li.story-item")).to_have_count(1)
    page.locator("li.story-item a").click()
    page.get_by_role("link", name="Northfield Chronicle").first.click()
    expect(page.locator("h1")).to_have_text("Northfield Chronicle")
    expect(page.locator("p.meta")).to_contain_text("1 own report (origins)")


# -- hostile input ---------------------------------------------------------------------------------------------

ATTACKS = (
    "<script>alert('script')</script>",
    '<a href="javascript:alert(1)">click me</a>',
    '<img src="x" onerror="alert(2)">',
    '"><svg onload=alert(3)>',
)


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("hostile")
    body = "\n\n".join(
        [
            "Zorvath harbour officials said the ferry would run again. " + ATTACKS[0],
            "Read more at " + ATTACKS[1] + " and see the picture " + ATTACKS[2] + ATTACKS[3],
            "Q" * 1_000_000,
            "Zorvath harbour officials added that timetables return to normal next week.",
        ]
    )
    records = [
        {"title": "Zorvath ferry returns " + ATTACKS[0] + ATTACKS[2], "text": body, "url": "javascript:alert(4)",
         "source": "Evil " + ATTACKS[3], "published": "2026-03-02"},
        {"title": "Zorvath harbour reopens", "text": "Zorvath harbour officials said the ferry would run again. "
         "The harbour had been closed for a week.", "source": "Calm Gazette", "published": "2026-03-03"},
    ]  # fmt: skip
    source = folder / "hostile.jsonl"
    source.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    path = str(folder / "newsdesk.db")
    with open_store(path) as store:
        report = ingest([str(source)], store, Settings(offline=True))
    assert report.ok and len(report.new) == 2
    with open_store(path, readonly=True) as store:
        assert any("<script>" in (a.title or "") and "Q" * 1_000_000 in a.body for a in store.list_articles())
    return path


INJECTED = """() => ({
  inlineScripts: document.querySelectorAll('script:not([src])').length,
  foreignScripts: [...document.querySelectorAll('script[src]')].filter(s => !/\\/static\\/(site|search)\\.js$/.test(s.src)).length,
  handlers: [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
  images: document.querySelectorAll('img, svg, iframe, object, embed').length,
  jsLinks: [...document.querySelectorAll('a[href]')].filter(a => a.href.trim().toLowerCase().startsWith('javascript')).length,
  externalWithoutRel: [...document.querySelectorAll('a[href^="http"]')].filter(a => a.host !== location.host && !/noopener/.test(a.rel) ).length,
})"""


def assert_nothing_injected(reader: Reader, where: str) -> None:
    found = reader.page.evaluate(INJECTED)
    assert found == {
        "inlineScripts": 0, "foreignScripts": 0, "handlers": 0, "images": 0, "jsLinks": 0, "externalWithoutRel": 0,
    }, where  # fmt: skip


def visit_hostile_pages(reader: Reader, home: str, name: str) -> None:
    """Every story, every article, the outlet and search pages: nothing may run or be injected."""
    page = reader.page
    page.goto(home)
    assert_nothing_injected(reader, "story list")
    stories = page.locator("li.story-item :is(h2, h3) a").evaluate_all("links => links.map(a => a.href)")
    assert len(stories) >= 1
    # Stories folded under a storyline are reached through the storyline's page.
    for line in page.locator("li.storyline-entry h2 a").evaluate_all("links => links.map(a => a.href)"):
        page.goto(line)
        assert_nothing_injected(reader, f"storyline {line}")
        stories += page.locator(".line-stories a").evaluate_all("links => links.map(a => a.href)")
    stories = list(dict.fromkeys(stories))
    articles: list[str] = []
    for story in stories:
        page.goto(story)
        assert_nothing_injected(reader, f"story {story}")
        articles += page.locator(".sources td:nth-child(2) a:not(.external)").evaluate_all("ls => ls.map(a => a.href)")
    articles = list(dict.fromkeys(articles))
    assert len(articles) == 2
    hostile_seen = False
    for article in articles:
        page.goto(article)
        assert_nothing_injected(reader, f"article {article}")
        if "<script>" in page.locator("h1").inner_text():
            hostile_seen = True
            expect(page.locator("h1")).to_contain_text("<script>alert('script')</script>")
            expect(page.locator(".body")).to_contain_text('<img src="x" onerror="alert(2)">')
            assert page.locator(".body").evaluate("element => element.scrollWidth <= element.clientWidth + 1")
            expect(page.locator("dl.metadata")).not_to_contain_text("Original")
            reader.shot(f"{name}-5-hostile-article")
            page.get_by_role("link", name="Evil").first.click()
            expect(page.locator("h1")).to_have_text('Evil "><svg onload=alert(3)>')
            assert_nothing_injected(reader, "outlet")
    assert hostile_seen
    page.locator("#site-q").fill("Zorvath ferry")
    page.locator("#site-q").press("Enter")
    expect(page.locator("ul.results").last.locator("li").first).to_be_visible()
    assert_nothing_injected(reader, "search")
    page.wait_for_timeout(300)  # give any injected handler a chance to fire before the dialog check


def test_app_hostile_articles_run_nothing(reader: Reader, hostile_db: str) -> None:
    with serve_app(create_app(hostile_db)) as url:
        visit_hostile_pages(reader, url + "/", "app")


def test_site_hostile_articles_run_nothing(reader: Reader, hostile_db: str, tmp_path: Path) -> None:
    with open_store(hostile_db, readonly=True) as store:
        build_site(store, tmp_path / "site")
    with serve_folder(tmp_path / "site") as url:
        visit_hostile_pages(reader, url + "/index.html", "site")
