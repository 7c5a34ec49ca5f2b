"""What the web pages show, read from the store: one record per page, shared by the app and the static build.

Pages never talk to the store themselves. They get a view built here, so the web app (which caches
and serves many threads) and ``newsdesk build`` (which walks the whole store once) render the same
thing. ``PageOf`` is how a view gets a story page: the app passes its cached writer, the build a
plain dictionary-backed one.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from newsdesk.errors import NotFoundError
from newsdesk.extract.dates import sort_key
from newsdesk.records import Article, Citation, FamilyMember, Story, Storyline, StoryPage
from newsdesk.serve.catalog import Catalog
from newsdesk.store import Feed, SearchHit, Store
from newsdesk.store.base import query_terms

PageOf = Callable[[str], StoryPage]


@dataclass(frozen=True)
class StoryFilters:
    """The reader's filters of the story list: stories active between two days, or with an outlet."""

    since: dt.date | None = None
    until: dt.date | None = None
    outlet: str | None = None

    @property
    def active(self) -> bool:
        return bool(self.since or self.until or self.outlet)


@dataclass(frozen=True)
class HomeEntry:
    """One entry of the story list: a story alone, or a storyline with the page's stories of it.

    Under a storyline, stories of more than one article are listed (``shown``; the newest story when none
    has more); the other one-article stories are folded into "and N more stories" (``folded``), which leads
    to the storyline's page.
    """

    story: StoryPage | None = None
    storyline: Storyline | None = None
    shown: tuple[StoryPage, ...] = ()
    folded: tuple[StoryPage, ...] = ()

    @property
    def pages(self) -> tuple[StoryPage, ...]:
        return (self.story,) if self.story else self.shown + self.folded

    @property
    def rank(self) -> tuple[str, int, str]:
        """Newest day first; within a day, more independent sources first; then the latest update."""
        latest = max((sort_key(p.updated) for p in self.pages), default="")
        sources = max((p.independent_source_count for p in self.pages), default=0)
        return (latest[:10], sources, latest)


@dataclass(frozen=True)
class FeedsStatus:
    """The followed feeds as the web app shows them: each feed's schedule, and who is polling them."""

    feeds: tuple[Feed, ...]
    watcher: str | None  # the holder of the watch lease (``process 12 on desk-1``); None: nobody polls now

    @property
    def followed(self) -> int:
        return sum(1 for feed in self.feeds if not feed.gone)

    @property
    def last_checked(self) -> str | None:
        """When a feed was last fetched (the latest of them), None if none ever was."""
        return max((feed.last_fetch for feed in self.feeds if feed.last_fetch), default=None)

    def to_dict(self) -> dict[str, Any]:
        keys = (
            "id", "url", "title", "added", "last_fetch", "last_status", "next_fetch", "interval_seconds",
            "entries_seen", "errors", "last_error", "gone",
        )  # fmt: skip
        return {
            "items": [{key: getattr(feed, key) for key in keys} for feed in self.feeds],
            "total": len(self.feeds),
            "followed": self.followed,
            "last_checked": self.last_checked,
            "watcher": self.watcher,
        }


def feeds_status(store: Store) -> FeedsStatus:
    from newsdesk.sources.watch import watcher_of  # the poller's module, with the ingest path behind it

    return FeedsStatus(tuple(store.list_feeds()), watcher_of(store))


@dataclass(frozen=True)
class StoryListing:
    """One page of the story list."""

    pages: tuple[StoryPage, ...]
    total: int
    offset: int
    limit: int
    filters: StoryFilters
    outlets: tuple[tuple[str, int], ...] = ()
    entries: tuple[HomeEntry, ...] = ()

    @property
    def page_number(self) -> int:
        return self.offset // self.limit + 1

    @property
    def page_count(self) -> int:
        return max(1, -(-self.total // self.limit))


@dataclass(frozen=True)
class RelatedArticle:
    """A relation seen from one article: ``derived`` says whether the other article comes from this one."""

    article_id: str
    title: str | None
    source: str | None
    kind: str
    score: float
    derived: bool


@dataclass(frozen=True)
class ArticleView:
    """An article page: the article, its family, its relations, its story and the spans the story cites."""

    article: Article
    family: FamilyMember | None
    relations: tuple[RelatedArticle, ...]
    story: StoryPage | None
    cited: tuple[Citation, ...]


@dataclass(frozen=True)
class StoryHit:
    story_id: str
    title: str | None
    updated: str
    article_count: int


@dataclass(frozen=True)
class SearchView:
    query: str
    terms: tuple[str, ...]
    articles: tuple[SearchHit, ...]
    stories: tuple[StoryHit, ...]


@dataclass(frozen=True)
class SourceArticle:
    id: str
    title: str | None
    published: str | None
    role: str
    story_id: str | None


@dataclass(frozen=True)
class SourceView:
    """An outlet: its articles (newest first) and how many were own reports or derived copies."""

    name: str
    articles: tuple[SourceArticle, ...]
    roles: tuple[tuple[str, int], ...]

    @property
    def origins(self) -> int:
        return dict(self.roles).get("origin", 0)

    @property
    def derived(self) -> int:
        return sum(n for role, n in self.roles if role != "origin")


def story_listing(
    store: Store,
    page_of: PageOf,
    catalog: Callable[[], Catalog],
    *,
    offset: int,
    limit: int,
    filters: StoryFilters,
) -> StoryListing:
    """A page of stories, newest update first. Unfiltered lists come straight from the store."""
    if filters.active:
        matching = catalog().filter_stories(since=filters.since, until=filters.until, outlet=filters.outlet)
        ids = [s.id for s in matching[offset : offset + limit]]
        total = len(matching)
    else:
        ids = [s.id for s in store.list_stories(limit=limit, offset=offset)]
        total = store.count_stories()
    pages = tuple(page_of(story_id) for story_id in ids)
    return StoryListing(pages, total, offset, limit, filters, entries=home_entries(store, pages))


def home_entries(store: Store, pages: tuple[StoryPage, ...]) -> tuple[HomeEntry, ...]:
    """The list page's entries: stories of a storyline of two or more stories gathered under it, ranked."""
    line_of = store.storylines_of(p.id for p in pages)
    lines: dict[str, Storyline | None] = {}
    for line_id in dict.fromkeys(line_of.values()):
        try:
            line = store.get_storyline(line_id)
        except NotFoundError:
            line = None
        lines[line_id] = line if line is not None and line.story_count >= 2 else None
    singles: list[HomeEntry] = []
    grouped: dict[str, list[StoryPage]] = {}
    for page in pages:
        line = lines.get(line_of.get(page.id, ""))
        if line is None:
            singles.append(HomeEntry(story=page))
        else:
            grouped.setdefault(line.id, []).append(page)
    entries = singles
    for members in grouped.values():
        line = lines[line_of[members[0].id]]
        # Stories of several articles are listed; so is the first one when all are of one article.
        shown = tuple(p for p in members if p.article_count > 1) or (members[0],)
        folded = tuple(p for p in members if p not in shown)
        entries.append(HomeEntry(storyline=line, shown=shown, folded=folded))
    return tuple(sorted(entries, key=lambda e: e.rank, reverse=True))


@dataclass(frozen=True)
class StorylineContext:
    """A story's storyline as its page names it: the storyline and its other stories, newest first."""

    storyline: Storyline
    siblings: tuple[Story, ...]

    def to_dict(self) -> dict[str, Any]:
        line = self.storyline
        return {
            "id": line.id,
            "title": line.title,
            "story_count": line.story_count,
            "siblings": [
                {"id": s.id, "title": s.title, "updated": s.updated, "article_count": s.article_count}
                for s in self.siblings
            ],
        }


def story_json(page: StoryPage, storyline: StorylineContext | None) -> dict[str, Any]:
    """The story JSON: the page's record and, when it has other stories, its storyline (else null)."""
    return {**page.to_dict(), "storyline": storyline.to_dict() if storyline else None}


def storyline_context(store: Store, story_id: str) -> StorylineContext | None:
    """The storyline of ``story_id`` when it holds two or more stories, else None."""
    line_id = store.storylines_of([story_id]).get(story_id)
    if line_id is None:
        return None
    try:
        line = store.get_storyline(line_id)
    except NotFoundError:
        return None
    siblings = tuple(s for s in store.storyline_stories(line.id) if s.id != story_id)
    if not siblings:
        return None
    return StorylineContext(line, siblings)


@dataclass(frozen=True)
class StorylineItem:
    """A storyline on the storylines page: the record and the outlets of its stories' articles."""

    storyline: Storyline
    outlets: tuple[str, ...]


@dataclass(frozen=True)
class StorylineListing:
    items: tuple[StorylineItem, ...]
    total: int
    offset: int
    limit: int

    @property
    def page_number(self) -> int:
        return self.offset // self.limit + 1

    @property
    def page_count(self) -> int:
        return max(1, -(-self.total // self.limit))


def storyline_listing(store: Store, catalog: Catalog, *, offset: int, limit: int) -> StorylineListing:
    """A page of the storylines of two or more stories, most recently updated first."""
    found = store.list_storylines(limit=limit, offset=offset, min_stories=2)
    items = []
    for line in found:
        outlets: set[str] = set()
        for story in store.storyline_stories(line.id):
            outlets |= catalog.story_sources.get(story.id, set())
        items.append(StorylineItem(line, tuple(sorted(outlets))))
    return StorylineListing(tuple(items), store.count_storylines(min_stories=2), offset, limit)


def article_view(store: Store, page_of: PageOf, ref: str) -> ArticleView:
    article = store.get_article(ref)
    family = store.family_of(article.id)
    found = store.relations(article.id)
    others = {r.source if r.derived == article.id else r.derived for r in found}
    titles = {a.id: a for a in store.get_articles(sorted(others))}
    related = []
    for relation in found:
        other = relation.source if relation.derived == article.id else relation.derived
        meta = titles.get(other)
        related.append(
            RelatedArticle(
                article_id=other,
                title=meta.title if meta else None,
                source=meta.source if meta else None,
                kind=relation.kind,
                score=relation.score,
                derived=relation.derived != article.id,
            )
        )
    story_id = store.stories_of([article.id]).get(article.id)
    story = _page_or_none(page_of, story_id)
    cited = tuple(cited_spans(story, article)) if story else ()
    return ArticleView(article, family, tuple(related), story, cited)


def _page_or_none(page_of: PageOf, story_id: str | None) -> StoryPage | None:
    if story_id is None:
        return None
    try:
        return page_of(story_id)
    except NotFoundError:
        return None


def page_citations(page: StoryPage) -> Iterator[Citation]:
    """Every citation of a story page, in the order the page shows them."""
    if page.title_citation:
        yield page.title_citation
    yield from page.summary_citations
    for point in page.key_points:
        yield from point.citations
    for entry in page.timeline:
        yield from entry.citations
    for discrepancy in page.discrepancies:
        for claim in discrepancy.claims:
            yield from claim.citations


def cited_spans(page: StoryPage, article: Article) -> list[Citation]:
    """The distinct spans of ``article`` that ``page`` cites, in body order.

    Citations that break the contract (out of range, or a quote that is not the body's text) are left out.
    """
    spans = {
        (c.start, c.end): c
        for c in page_citations(page)
        if c.article == article.id
        and 0 <= c.start < c.end <= len(article.body)
        and article.body[c.start : c.end] == c.quote
    }
    return [spans[key] for key in sorted(spans)]


def search_view(store: Store, catalog: Callable[[], Catalog], query: str, *, limit: int) -> SearchView:
    """Articles matching every word of ``query`` (FTS5 on SQLite), and the stories they belong to."""
    terms = tuple(query_terms(query))
    hits = tuple(store.search_articles(query, limit=limit)) if terms else ()
    story_ids = store.stories_of(h.article_id for h in hits)
    ordered = list(dict.fromkeys(story_ids[h.article_id] for h in hits if h.article_id in story_ids))
    stories = catalog().stories_by_id(ordered)
    found = tuple(StoryHit(s.id, s.title, s.updated, s.article_count) for s in stories)
    return SearchView(query, terms, hits, found)


def source_view(store: Store, catalog: Catalog, name: str) -> SourceView:
    metas = catalog.by_source.get(name)
    if not metas:
        raise NotFoundError(f"no outlet {name!r} in this store (outlets are listed on the story list page)")
    families = store.families(m.id for m in metas)
    ordered = sorted(metas, key=lambda m: (m.sort, m.seq), reverse=True)
    articles = tuple(
        SourceArticle(
            id=m.id,
            title=m.title,
            published=m.published,
            role=families[m.id].role if m.id in families else "origin",
            story_id=catalog.story_of.get(m.id),
        )
        for m in ordered
    )
    counts = Counter(a.role for a in articles)
    roles = tuple(sorted(counts.items(), key=lambda item: (item[0] != "origin", item[0])))
    return SourceView(name, articles, roles)


@dataclass(frozen=True)
class StoryUpdate:
    """One change of a story, as a feed entry tells it. ``number`` counts the story's events from 1."""

    number: int
    at: str
    headline: str
    text: str
    article_id: str | None


def story_updates(store: Store, page: StoryPage) -> list[StoryUpdate]:
    """What changed in a story, newest first, one update for each event the group stage recorded."""
    events = store.story_events(page.id)
    titles = {a.id: a for a in page.articles}
    updates = []
    for number, event in enumerate(events, start=1):
        article = titles.get(event.article_id or "")
        name = _article_name(article.title if article else None, article.source if article else None)
        if event.kind == "created":
            headline, text = "Story started", f"The story began with {name}."
        elif event.kind == "joined":
            headline, text = "New article", f"{name} joined the story ({event.detail})."
        elif event.kind == "merged":
            headline, text = "Stories merged", f"{event.detail}."
        elif event.kind == "woke":
            headline, text = "Story active again", f"{name} brought the story back {event.detail}."
        else:
            headline, text = event.kind.capitalize(), f"{event.detail}."
        updates.append(StoryUpdate(number, event.at, headline, text, event.article_id))
    # Newest first; events recorded in the same second keep their recorded order, reversed.
    return sorted(reversed(updates), key=lambda u: sort_key(u.at), reverse=True)


def _article_name(title: str | None, source: str | None) -> str:
    name = f"\u201c{title}\u201d" if title else "an untitled article"
    return f"{name} ({source})" if source else name
