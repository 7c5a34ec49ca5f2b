"""One citation numbering across a story page's Markdown, HTML and JSON.

Sources are numbered once per page in the order of its Sources list; a claim citing source 3 shows
``[3]``; the distinct quotes of source 3 are its sub-anchors ``3.1``, ``3.2`` ...; a claim shows at most
five sources inline, strongest first, and the rest as "and N more". Pages are built by hand from small
invented stories, so every case is exercised whatever the writer currently produces.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from newsdesk.publish.html import AppLinks, HtmlRenderer, SiteLinks
from newsdesk.publish.markdown import story_markdown
from newsdesk.records import (
    Article,
    Citation,
    CitationRefs,
    CitedText,
    KeyPoint,
    StoryArticle,
    StoryPage,
    TimelineEntry,
    article_id,
)
from newsdesk.serve.models import StoryOut


def _article(n: int, outlet: str, body: str) -> Article:
    title = f"Orchard festival report {n}"
    return Article(
        id=article_id(title, body), title=title, body=body, published=f"2026-09-{n % 28 + 1:02d}",
        published_from="meta", author=None, source=outlet, url=f"https://{outlet.lower().replace(' ', '')}.example/{n}",
        language="en", kind="report", location="test", format="text",
    )  # fmt: skip


def _cite(article: Article, text: str) -> Citation:
    start = article.body.index(text)
    return Citation(article.id, start, start + len(text), text)


LEAD = "The Brackwater orchard festival drew 4,000 visitors on Saturday."
PRESS = "Organisers said the cider press ran for nine hours."
RAIN = "Rain held off until the evening."


def festival_articles() -> list[Article]:
    """Thirty reports of one small festival: the first an origin, the second a verbatim copy of it."""
    body = f"{LEAD} {PRESS}\n\n{RAIN}"
    found = [_article(1, "Brackwater Gazette", body), _article(2, "Valley Wire", body)]
    for n in range(3, 31):
        found.append(_article(n, f"Outlet {n}", f"{LEAD} Report number {n} adds little.\n\n{RAIN}"))
    return found


def _listed(articles: list[Article]) -> tuple[StoryArticle, ...]:
    origin = articles[0].id
    listed = []
    for n, a in enumerate(articles, start=1):
        if n == 2:  # a verbatim copy of the first report, in its family
            listed.append(StoryArticle(a.id, a.title, a.source, a.url, a.published, origin, "copy", origin))
        else:
            listed.append(StoryArticle(a.id, a.title, a.source, a.url, a.published, a.id, "origin", None))
    return tuple(listed)


def festival_page(articles: list[Article]) -> StoryPage:
    """A page whose summary cites all thirty reports, whose key points and timeline cite one or two."""
    first, copy, third = articles[0], articles[1], articles[2]
    # The copy is cited first, to show that the origins of the independent families come before it.
    lead_everywhere = tuple(_cite(a, LEAD) for a in [copy, *articles[2:], first])
    return StoryPage(
        id="s0000000000c",
        title="Orchard festival draws 4,000",
        summary=LEAD,
        updated="2026-09-30",
        article_count=30,
        independent_source_count=29,
        articles=_listed(articles),
        summary_sentences=(CitedText(LEAD, lead_everywhere),),
        key_points=(
            KeyPoint("Cider press ran nine hours", f"{LEAD} {PRESS}", (_cite(first, LEAD), _cite(first, PRESS)), 1),
            KeyPoint("Rain held off", RAIN, (_cite(third, RAIN), _cite(first, RAIN)), support=2),
        ),
        timeline=(TimelineEntry("2026-09-05", "day", "happened", LEAD, (_cite(third, LEAD),)),),
    )


@pytest.fixture
def articles() -> list[Article]:
    return festival_articles()


@pytest.fixture
def page(articles: list[Article]) -> StoryPage:
    return festival_page(articles)


class Links(HTMLParser):
    """Every ``href`` and every ``id`` of a document."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("href"):
            self.hrefs.append(values["href"] or "")
        if values.get("id"):
            self.ids.add(values["id"] or "")


def _html(page: StoryPage) -> str:
    return HtmlRenderer().story(page, AppLinks())


def test_one_article_has_one_number_in_markdown_html_and_json(page: StoryPage, articles: list[Article]) -> None:
    third = articles[2]
    data = page.to_dict()
    assert [a["number"] for a in data["articles"]] == list(range(1, 31))
    assert data["articles"][2]["id"] == third.id
    # JSON: the timeline cites the third report: source 3, its lead (the first of its quotes) is 3.1.
    (cited,) = data["timeline"][0]["citations"]
    assert (cited["article"], cited["source"], cited["ref"]) == (third.id, 3, "3.1")
    # Markdown: the same claim shows [3], and the Sources list names the third report third.
    markdown = story_markdown(page)
    assert f"**2026-09-05**: {LEAD} [3]" in markdown
    assert "\n3. [Orchard festival report 3](https://outlet3.example/3): Outlet 3" in markdown
    # HTML: the timeline's citation is source 3, whose quote 3.1 links to the entry under source 3.
    html = _html(page)
    timeline = html[html.index('<section class="timeline"') :]
    assert re.findall(r'aria-label="source (\d+)"', timeline.split("</section>")[0]) == ["3"]
    assert '<a class="ref" href="#ref-3-1"' in timeline
    row = html.index(f'<tr id="a-{third.id}">')
    assert html.index('<li id="ref-3-1">') > row
    assert html.index('<li id="ref-3-1">') < html.index(f'<tr id="a-{articles[3].id}">')


def test_every_number_and_ref_in_the_json_matches_the_numbering(page: StoryPage) -> None:
    data = page.to_dict()
    numbers = {a["id"]: a["number"] for a in data["articles"]}
    citations = [c for s in data["summary_sentences"] for c in s["citations"]]
    citations += [c for k in data["key_points"] for c in k["citations"]]
    citations += [c for t in data["timeline"] for c in t["citations"]]
    for c in citations:
        assert c["source"] == numbers[c["article"]]
        assert c["ref"].split(".")[0] == str(c["source"])
        assert {"article", "start", "end", "quote"} <= set(c)
    # The first report's three distinct quotes, in body order: lead 1.1, press 1.2, rain 1.3.
    first = [c for c in citations if c["source"] == 1]
    assert {c["quote"]: c["ref"] for c in first} == {LEAD: "1.1", PRESS: "1.2", RAIN: "1.3"}
    StoryOut.model_validate(json.loads(json.dumps(data)))


def test_a_claim_with_thirty_sources_shows_five_and_25_more(page: StoryPage, articles: list[Article]) -> None:
    markdown = story_markdown(page)
    summary = markdown.split("\n\n")[2]
    # Strongest first: origins of independent families (1, 3, 4, 5, 6), the copy [2] later, although it was
    # cited first.
    assert summary == f"{LEAD} [1][3][4][5][6] and 25 more"
    # The 25 others are listed under their sources, with the quote's sub-anchor.
    copy_entry = "2. [Orchard festival report 2](https://valleywire.example/2): Valley Wire, 2026-09-03; copy of [1]"
    assert f"{copy_entry}\n   - 2.1, also cited in the summary: “{LEAD}”" in markdown
    assert f"\n    - 30.1, also cited in the summary: “{LEAD}”" in markdown  # "30. " is four characters
    assert markdown.count("also cited in the summary") == 25

    html = _html(page)
    summary_html = html[html.index('<div class="summary">') : html.index("</div>", html.index('<div class="summary">'))]
    shown, _, hidden = summary_html.partition('<details class="more">')
    assert re.findall(r'aria-label="source (\d+)"', shown) == ["1", "3", "4", "5", "6"]
    assert "<summary>and 25 more</summary>" in hidden
    assert sorted(int(n) for n in re.findall(r'aria-label="source (\d+)"', hidden)) == [2, *range(7, 31)]


def test_a_claim_with_five_sources_or_fewer_has_no_more(page: StoryPage) -> None:
    markdown = story_markdown(page)
    assert "**Rain held off** (2 independent sources)  \nRain held off until the evening. [1][3]" in markdown
    assert "more" not in markdown.split("## Key points")[1].split("## Sources")[0]
    assert _html(page).count('<details class="more">') == 1


def test_every_fragment_link_of_the_html_has_its_target(page: StoryPage) -> None:
    for html in (_html(page), HtmlRenderer().story(page, SiteLinks(depth=1))):
        parser = Links()
        parser.feed(html)
        fragments = [h[1:] for h in parser.hrefs if h.startswith("#")]
        assert fragments, "the page links to no quote under its source"
        assert [f for f in fragments if f not in parser.ids] == []
        # Every quote of the page has its entry under its source: 30 leads, the press and the rain of report 1,
        # the rain of report 3.
        assert len([i for i in parser.ids if i.startswith("ref-")]) == 33


def test_the_html_shows_each_key_points_independent_support_as_the_markdown_does(page: StoryPage) -> None:
    html = _html(page)
    markdown = story_markdown(page)
    assert "(2 independent sources)" in markdown
    assert (
        '<strong class="headline">Rain held off <span class="support">(2 independent sources)</span></strong>' in html
    )
    # A point one source says is marked so, in both (the page has several independent sources).
    assert "**Cider press ran nine hours** (single source)  \n" in markdown
    assert (
        '<strong class="headline">Cider press ran nine hours <span class="support">(single source)</span></strong>'
        in html
    )


def test_sources_are_ordered_strongest_first() -> None:
    bodies = ["A copy says the bridge opened.", "The bridge opened, a digest says.", "The bridge opened."]
    made = [_article(n, f"Outlet {n}", body) for n, body in enumerate(bodies, start=1)]
    origin = made[2].id
    listed = (
        StoryArticle(made[0].id, made[0].title, "Outlet 1", None, None, origin, "copy", origin),
        StoryArticle(made[1].id, made[1].title, "Outlet 2", None, None, made[1].id, "digest", None),
        StoryArticle(made[2].id, made[2].title, "Outlet 3", None, None, origin, "origin", None),
    )
    page = StoryPage("s1", "Bridge opens", None, "2026-09-01", 3, 1, listed)
    refs = CitationRefs(page)
    cited = [Citation(a.id, 0, 5, a.body[:5]) for a in made]
    assert [s.number for s in refs.sources(cited)] == [3, 1, 2]
    # A family whose origin is not cited is still led by its strongest cited member, before a digest.
    assert [s.number for s in refs.sources(cited[:2])] == [1, 2]
    # A citation of an article the page does not list has no number.
    stranger = Citation("0123456789abcdef", 0, 3, "The")
    assert (refs.source(stranger), refs.ref(stranger), refs.sources([stranger])) == (None, None, [])
