"""``newsdesk build --out DIR``: the web app's pages as static files any file server can serve.

Layout (every link relative, so the folder can live under any address)::

    index.html, page-2.html ...        the stories, newest update first
    stories/ID.html, ID.json, ID.atom  a story page, its story JSON and its updates feed
    storylines.html, storylines-2.html the storylines of two or more stories, newest update first
    storylines/ID.html, ID.atom        a storyline page and the feed of its stories
    stories.json                       the story list (id, title, summary, updated, counts)
    articles/ID.html                   an article with its cited spans highlighted
    sources/NAME-DIGEST.html           an outlet's articles
    search.html, search-index.json     search in the browser (static/search.js; titles and the first
                                       5,000 characters of each article)
    feed.atom                          all stories
    static/                            style.css, site.js, search.js

The same inputs give byte-identical files.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsdesk.publish.atom import stories_feed, story_feed, storyline_feed
from newsdesk.publish.html import HtmlRenderer, SiteLinks, safe_name, source_slug, static_file
from newsdesk.records import StoryPage
from newsdesk.serve.catalog import Catalog
from newsdesk.serve.views import (
    StoryFilters,
    article_view,
    source_view,
    story_json,
    story_listing,
    story_updates,
    storyline_context,
    storyline_listing,
)
from newsdesk.store import Store
from newsdesk.write import write_story
from newsdesk.write.storyline import write_storyline

PER_PAGE = 20
FEED_SIZE = 50
STATIC_FILES = ("style.css", "site.js", "search.js")
# Characters of each article kept in the browser's search index: enough for every article of a small
# site, while a site of 10,000 articles keeps an index of tens of megabytes, not hundreds.
SEARCH_TEXT = 5_000

Progress = Callable[[str], None]


@dataclass(frozen=True)
class BuildReport:
    out: Path
    stories: int
    articles: int
    sources: int
    files: int


class _Pages:
    """Story pages written once each (the build visits every story several times)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._pages: dict[str, StoryPage] = {}

    def __call__(self, ref: str) -> StoryPage:
        story_id = self.store.get_story(ref).id
        if story_id not in self._pages:
            self._pages[story_id] = write_story(self.store, story_id)
        return self._pages[story_id]


def build_site(store: Store, out: Path, *, progress: Progress | None = None) -> BuildReport:
    """Write the whole site for ``store`` into ``out`` (created if needed; files are overwritten)."""
    renderer = HtmlRenderer()
    pages = _Pages(store)
    catalog = Catalog.build(store)
    written = 0

    def write(relative: str, content: str | bytes) -> None:
        nonlocal written
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = content.encode("utf-8")
        path.write_bytes(content)
        written += 1

    for name in STATIC_FILES:
        write(f"static/{name}", static_file(name))

    root, below = SiteLinks(0), SiteLinks(1)
    total = store.count_stories()
    page_count = max(1, -(-total // PER_PAGE))
    for number in range(1, page_count + 1):
        listing = story_listing(
            store, pages, lambda: catalog, offset=(number - 1) * PER_PAGE, limit=PER_PAGE, filters=StoryFilters()
        )
        write(root.home(number), renderer.story_list(listing, root))

    summaries: list[dict[str, Any]] = []
    for story in catalog.stories:
        page = pages(story.id)
        name = safe_name(page.id)
        context = storyline_context(store, page.id)
        write(f"stories/{name}.html", renderer.story(page, below, storyline=context))
        write(f"stories/{name}.json", json.dumps(story_json(page, context), ensure_ascii=False, indent=2) + "\n")
        write(f"stories/{name}.atom", story_feed(page, story_updates(store, page), below))
        data = page.to_dict()
        keys = ("id", "title", "summary", "updated", "status", "article_count", "independent_source_count")
        summaries.append({k: data[k] for k in keys})
        if progress:
            progress(f"story {page.id}")
    line_total = store.count_storylines(min_stories=2)
    for number in range(1, max(1, -(-line_total // PER_PAGE)) + 1):
        lines = storyline_listing(store, catalog, offset=(number - 1) * PER_PAGE, limit=PER_PAGE)
        write(root.storylines(number), renderer.storyline_list(lines, root))
        for item in lines.items:
            line_page = write_storyline(store, item.storyline.id)
            name = safe_name(line_page.id)
            write(f"storylines/{name}.html", renderer.storyline(line_page, below))
            write(f"storylines/{name}.atom", storyline_feed(line_page, below))
            if progress:
                progress(f"storyline {line_page.id}")
    write("stories.json", json.dumps(summaries, ensure_ascii=False, indent=2) + "\n")
    write("feed.atom", stories_feed([pages(s.id) for s in catalog.stories[:FEED_SIZE]], root))

    index: list[dict[str, str]] = [
        {"type": "story", "href": root.story(p["id"]), "title": p["title"] or "", "text": p["summary"] or "",
         "meta": f"{p['article_count']} articles"}
        for p in summaries
    ]  # fmt: skip
    for meta in catalog.articles:
        view = article_view(store, pages, meta.id)
        write(f"articles/{safe_name(meta.id)}.html", renderer.article(view, below))
        article = view.article
        when = f", {article.published[:10]}" if article.published else ""
        index.append(
            {
                "type": "article",
                "href": root.article(article.id),
                "title": article.title or "",
                "text": article.body[:SEARCH_TEXT],
                "meta": f"{article.source or 'unknown outlet'}{when}",
            }
        )
        if progress:
            progress(f"article {article.id}")
    write("search.html", renderer.search(None, root))
    write("search-index.json", json.dumps(index, ensure_ascii=False, separators=(",", ":")))

    for name in sorted(catalog.by_source):
        write(f"sources/{source_slug(name)}.html", renderer.source(source_view(store, catalog, name), below))
    return BuildReport(out, len(catalog.stories), len(catalog.articles), len(catalog.by_source), written)
