"""HTML pages: the stories, a story, an article, search, an outlet. Shared by the web app and the static site.

Everything from the store is hostile input: templates autoescape every value, links from articles are
kept only when they are ``http(s)`` and carry ``rel="noopener nofollow"``, and the pages load script
only from the site's own static files (a Content-Security-Policy forbids inline script). Where a page
links to another is the job of a :class:`Links`: absolute paths for the app (:class:`AppLinks`),
relative file names for the static site (:class:`SiteLinks`), so the same templates serve both.
"""

from __future__ import annotations

import hashlib
import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Protocol
from urllib.parse import quote, urlencode, urlsplit

import jinja2
from markupsafe import Markup, escape

from newsdesk.publish.markdown import outlets_unknown
from newsdesk.records import INLINE_SOURCES, CitationRefs, StorylinePage, StoryPage
from newsdesk.serve.views import (
    ArticleView,
    FeedsStatus,
    SearchView,
    SourceView,
    StorylineContext,
    StorylineListing,
    StoryListing,
)
from newsdesk.store.base import fold

# The policy the pages declare themselves (the app also sends it as a header, with frame-ancestors).
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'"
)
LINK_REL = "noopener nofollow noreferrer"
_LONG_WORD = 300  # longest word shown whole in a search snippet


class Links(Protocol):
    """Where each page is, as seen from the page being rendered."""

    static_site: bool

    def home(self, page: int = 1, *, filtered: bool = True) -> str: ...
    def story(self, story_id: str) -> str: ...
    def story_json(self, story_id: str) -> str: ...
    def story_feed(self, story_id: str) -> str: ...
    def storylines(self, page: int = 1) -> str: ...
    def storyline(self, storyline_id: str) -> str: ...
    def storyline_feed(self, storyline_id: str) -> str: ...
    def article(self, article_id: str, span: tuple[int, int] | None = None) -> str: ...
    def source(self, name: str) -> str: ...
    def search(self, query: str | None = None) -> str: ...
    def static(self, name: str) -> str: ...
    def feed(self) -> str: ...
    def api(self) -> str: ...


def span_id(start: int, end: int) -> str:
    """The fragment id of a cited span on an article page: ``c-START-END``."""
    return f"c-{start}-{end}"


def _anchor(span: tuple[int, int] | None) -> str:
    return f"#{span_id(*span)}" if span else ""


class AppLinks:
    """Absolute paths of the web app, optionally under a prefix (``/news``)."""

    static_site = False

    def __init__(self, prefix: str = "", query: dict[str, str] | None = None) -> None:
        self.prefix = prefix.rstrip("/")
        self.query = {k: v for k, v in (query or {}).items() if v}

    def home(self, page: int = 1, *, filtered: bool = True) -> str:
        params = dict(self.query) if filtered else {}
        if page > 1:
            params["page"] = str(page)
        return f"{self.prefix}/" + (f"?{urlencode(params)}" if params else "")

    def story(self, story_id: str) -> str:
        return f"{self.prefix}/stories/{quote(story_id, safe='')}"

    def story_json(self, story_id: str) -> str:
        return f"{self.prefix}/api/stories/{quote(story_id, safe='')}"

    def feeds_json(self) -> str:
        return f"{self.prefix}/api/feeds"

    def story_feed(self, story_id: str) -> str:
        return f"{self.prefix}/stories/{quote(story_id, safe='')}/feed.atom"

    def storylines(self, page: int = 1) -> str:
        return f"{self.prefix}/storylines" + (f"?{urlencode({'page': page})}" if page > 1 else "")

    def storyline(self, storyline_id: str) -> str:
        return f"{self.prefix}/storylines/{quote(storyline_id, safe='')}"

    def storyline_feed(self, storyline_id: str) -> str:
        return f"{self.prefix}/storylines/{quote(storyline_id, safe='')}/feed.atom"

    def article(self, article_id: str, span: tuple[int, int] | None = None) -> str:
        return f"{self.prefix}/articles/{quote(article_id, safe='')}{_anchor(span)}"

    def source(self, name: str) -> str:
        return f"{self.prefix}/sources/{quote(name, safe='')}"

    def search(self, query: str | None = None) -> str:
        return f"{self.prefix}/search" + (f"?{urlencode({'q': query})}" if query else "")

    def static(self, name: str) -> str:
        return f"{self.prefix}/static/{name}"

    def feed(self) -> str:
        return f"{self.prefix}/feed.atom"

    def api(self) -> str:
        return f"{self.prefix}/api/stories"


class SiteLinks:
    """Relative links between the files of the static site, from a page ``depth`` folders below the root."""

    static_site = True

    def __init__(self, depth: int = 0) -> None:
        self.up = "../" * depth

    def home(self, page: int = 1, *, filtered: bool = True) -> str:
        return f"{self.up}index.html" if page <= 1 else f"{self.up}page-{page}.html"

    def story(self, story_id: str) -> str:
        return f"{self.up}stories/{safe_name(story_id)}.html"

    def story_json(self, story_id: str) -> str:
        return f"{self.up}stories/{safe_name(story_id)}.json"

    def story_feed(self, story_id: str) -> str:
        return f"{self.up}stories/{safe_name(story_id)}.atom"

    def storylines(self, page: int = 1) -> str:
        return f"{self.up}storylines.html" if page <= 1 else f"{self.up}storylines-{page}.html"

    def storyline(self, storyline_id: str) -> str:
        return f"{self.up}storylines/{safe_name(storyline_id)}.html"

    def storyline_feed(self, storyline_id: str) -> str:
        return f"{self.up}storylines/{safe_name(storyline_id)}.atom"

    def article(self, article_id: str, span: tuple[int, int] | None = None) -> str:
        return f"{self.up}articles/{safe_name(article_id)}.html{_anchor(span)}"

    def source(self, name: str) -> str:
        return f"{self.up}sources/{source_slug(name)}.html"

    def search(self, query: str | None = None) -> str:
        return f"{self.up}search.html" + (f"?{urlencode({'q': query})}" if query else "")

    def static(self, name: str) -> str:
        return f"{self.up}static/{name}"

    def feed(self) -> str:
        return f"{self.up}feed.atom"

    def api(self) -> str:
        return f"{self.up}stories.json"


def safe_name(identifier: str) -> str:
    """An id as a file name: ids are hexadecimal, anything else is replaced."""
    return re.sub(r"[^0-9A-Za-z_-]", "_", identifier)[:80] or "_"


def source_slug(name: str) -> str:
    """A stable file name for an outlet: readable ASCII words plus a digest that keeps names apart."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    words = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60].strip("-")
    digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
    return f"{words}-{digest}" if words else digest


def safe_url(url: str | None) -> str | None:
    """``url`` if it is an absolute http(s) address a browser may follow, else None."""
    if not url or any(ord(c) < 33 for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


# -- cited spans on an article page ------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """A run of body text covered by the same cited spans (none: plain text)."""

    text: str
    spans: tuple[str, ...]
    anchors: tuple[str, ...]


def marked_paragraphs(body: str, spans: Iterable[tuple[int, int]]) -> list[list[Segment]]:
    """The body's paragraphs cut into segments at every cited span's edges, for highlighting.

    Spans may overlap: each segment lists every span covering it, and the segment where a span first
    appears carries its anchor (the target of ``#c-START-END`` links).
    """
    wanted = sorted({(s, e) for s, e in spans if 0 <= s < e <= len(body)})
    paragraphs: list[tuple[int, int]] = []
    position = 0
    for gap in re.finditer(r"\n[ \t]*\n\s*", body):
        paragraphs.append((position, gap.start()))
        position = gap.end()
    paragraphs.append((position, len(body)))
    anchored: set[tuple[int, int]] = set()
    out: list[list[Segment]] = []
    for start, end in paragraphs:
        if start >= end:
            continue
        inside = [(s, e) for s, e in wanted if s < end and e > start]
        cuts = sorted({start, end, *(max(s, start) for s, _ in inside), *(min(e, end) for _, e in inside)})
        segments = []
        for left, right in itertools.pairwise(cuts):
            covering = [(s, e) for s, e in inside if s <= left and e >= right]
            anchors = [span for span in covering if span not in anchored]
            anchored.update(anchors)
            segments.append(
                Segment(body[left:right], tuple(span_id(*c) for c in covering), tuple(span_id(*a) for a in anchors))
            )
        out.append(segments)
    return out


def paragraph_html(segments: list[Segment]) -> Markup:
    parts = []
    for segment in segments:
        text = escape(segment.text)
        if not segment.spans:
            parts.append(text)
            continue
        anchors = "".join(f'<span class="anchor" id="{a}"></span>' for a in segment.anchors)
        parts.append(Markup(f'{anchors}<mark class="cited" data-spans="{" ".join(segment.spans)}">{text}</mark>'))
    return Markup("").join(parts)


def snippet_html(snippet: str, terms: Iterable[str]) -> Markup:
    """A search snippet (matched words marked ``[like this]`` by the store) with the matches in ``<mark>``."""
    wanted = set(terms)
    parts: list[Markup] = []
    position = 0
    for match in re.finditer(r"\[(\w+)\]", snippet):
        parts.append(escape(_short_words(snippet[position : match.start()])))
        word = match.group(1)
        shown = escape(_short_words(word))
        parts.append(Markup(f"<mark>{shown}</mark>") if fold(word) in wanted else Markup(f"[{shown}]"))
        position = match.end()
    parts.append(escape(_short_words(snippet[position:])))
    return Markup("").join(parts)


def title_html(title: str | None, terms: Iterable[str]) -> Markup:
    """A title with the searched words in ``<mark>``."""
    if not title:
        return Markup("(untitled)")
    wanted = set(terms)
    parts: list[Markup] = []
    position = 0
    for match in re.finditer(r"\w+", title):
        if fold(match.group()) in wanted:
            parts.append(escape(title[position : match.start()]))
            parts.append(Markup("<mark>") + escape(match.group()) + Markup("</mark>"))
            position = match.end()
    parts.append(escape(title[position:]))
    return Markup("").join(parts)


def _short_words(text: str) -> str:
    return re.sub(rf"\S{{{_LONG_WORD + 1},}}", lambda m: m.group()[:_LONG_WORD] + "…", text)


# -- citations on a story page ------------------------------------------------------------------------------


def ref_id(ref: str | None) -> str:
    """The fragment id of a quote's entry under its source on a story page: ``ref-3-2`` for ``3.2``."""
    return "ref-" + (ref or "").replace(".", "-")


# -- the renderer ---------------------------------------------------------------------------------------------


def when(value: str | None) -> str:
    """An ISO date or time as a reader reads it: ``2026-10-21 20:15``."""
    if not value:
        return ""
    return value.replace("T", " ")[:16]


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


class HtmlRenderer:
    """Renders the pages with the package's Jinja2 templates (autoescaping everything)."""

    def __init__(self, *, csp: str | None = CSP) -> None:
        self.env = jinja2.Environment(
            loader=jinja2.PackageLoader("newsdesk.publish", "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters.update(when=when, safe_url=safe_url, plural=plural, span_id=span_id, ref_id=ref_id)
        self.env.globals.update(
            outlets_unknown=outlets_unknown,
            csp=csp,
            link_rel=LINK_REL,
            paragraph_html=paragraph_html,
            snippet_html=snippet_html,
            title_html=title_html,
            inline_css=None,
            query="",
        )

    def _render(self, template: str, links: Links, **context: object) -> str:
        return self.env.get_template(template).render(links=links, **context)

    def story(
        self,
        page: StoryPage,
        links: Links,
        *,
        inline_css: Markup | None = None,
        storyline: StorylineContext | None = None,
    ) -> str:
        families: dict[str, int] = {}
        for article in page.articles:
            families.setdefault(article.family or article.id, len(families) + 1)
        return self._render(
            "story.html",
            links,
            page=page,
            refs=CitationRefs(page),
            inline_sources=INLINE_SOURCES,
            numbers={a.id: n for n, a in enumerate(page.articles, start=1)},
            families=families,
            inline_css=inline_css,
            storyline=storyline,
        )

    def storyline(self, page: StorylinePage, links: Links, *, inline_css: Markup | None = None) -> str:
        return self._render(
            "storyline.html",
            links,
            page=page,
            refs=CitationRefs(page),
            inline_sources=INLINE_SOURCES,
            numbers={a.id: n for n, a in enumerate(page.articles, start=1)},
            inline_css=inline_css,
        )

    def storyline_list(self, listing: StorylineListing, links: Links) -> str:
        return self._render("storylines.html", links, listing=listing)

    def story_list(self, listing: StoryListing, links: Links, *, feeds: FeedsStatus | None = None) -> str:
        """The story list; ``feeds`` (the web app's) adds a line saying when the feeds were last checked."""
        return self._render("stories.html", links, listing=listing, feeds=feeds)

    def article(self, view: ArticleView, links: Links) -> str:
        spans = [(c.start, c.end) for c in view.cited]
        return self._render("article.html", links, view=view, paragraphs=marked_paragraphs(view.article.body, spans))

    def search(self, view: SearchView | None, links: Links) -> str:
        return self._render("search.html", links, view=view, query=view.query if view else "")

    def source(self, view: SourceView, links: Links) -> str:
        return self._render("source.html", links, view=view)

    def error(self, status: int, title: str, message: str, links: Links) -> str:
        return self._render("error.html", links, status=status, title=title, message=message)


def static_file(name: str) -> str:
    """The text of one of the site's static files (``style.css``, ``site.js``, ``search.js``)."""
    return resources.files("newsdesk.publish").joinpath("static", name).read_text(encoding="utf-8")


def storyline_html(page: StorylinePage) -> str:
    """A storyline page as one HTML document (``newsdesk storyline ID --format html``), like :func:`story_html`."""
    renderer = HtmlRenderer(csp=None)
    return renderer.storyline(page, SiteLinks(depth=1), inline_css=Markup(static_file("style.css")))


def story_html(page: StoryPage, *, storyline: StorylineContext | None = None) -> str:
    """A story page as one HTML document (``newsdesk story ID --format html``).

    The stylesheet is inlined so the file reads well on its own; links to articles, outlets and feeds
    are those of the static site (``newsdesk build``), as if the file sat in its ``stories/`` folder.
    """
    renderer = HtmlRenderer(csp=None)
    return renderer.story(page, SiteLinks(depth=1), inline_css=Markup(static_file("style.css")), storyline=storyline)
