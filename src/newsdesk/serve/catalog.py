"""An in-memory catalogue of the store's articles and stories, for the questions the store has no query for.

The story list filters by outlet and by date, and an outlet's page lists its articles; the store
interface answers neither directly. The catalogue keeps each article's metadata (never its body),
which story it belongs to and every story, and is rebuilt when the store changes. Articles are read
incrementally (the store lists them in arrival order), so a rebuild after an ingest reads only the
new articles plus the story membership, a few indexed queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from newsdesk.extract.dates import sort_key
from newsdesk.records import Story
from newsdesk.store import Store

_READ_BATCH = 500


@dataclass(frozen=True)
class ArticleMeta:
    """What the catalogue keeps of an article: enough to list it, not its text."""

    id: str
    title: str | None
    source: str | None
    published: str | None
    sort: str
    kind: str
    seq: int


@dataclass
class Catalog:
    articles: list[ArticleMeta] = field(default_factory=list)
    story_of: dict[str, str] = field(default_factory=dict)
    stories: list[Story] = field(default_factory=list)
    by_source: dict[str, list[ArticleMeta]] = field(default_factory=dict)
    story_sources: dict[str, set[str]] = field(default_factory=dict)
    story_index: dict[str, Story] = field(default_factory=dict)

    @classmethod
    def build(cls, store: Store, previous: Catalog | None = None) -> Catalog:
        """Read the store; articles already in ``previous`` are not read again."""
        articles = list(previous.articles) if previous else []
        while True:
            batch = store.list_articles(limit=_READ_BATCH, offset=len(articles))
            articles.extend(
                ArticleMeta(a.id, a.title, a.source, a.published, sort_key(a.published), a.kind, len(articles) + n)
                for n, a in enumerate(batch)
            )
            if len(batch) < _READ_BATCH:
                break
        story_of = store.stories_of(a.id for a in articles)
        stories = store.list_stories()
        catalog = cls(articles=articles, story_of=story_of, stories=stories, story_index={s.id: s for s in stories})
        for meta in articles:
            if meta.source:
                catalog.by_source.setdefault(meta.source, []).append(meta)
                story = story_of.get(meta.id)
                if story:
                    catalog.story_sources.setdefault(story, set()).add(meta.source)
        return catalog

    def outlets(self) -> list[tuple[str, int]]:
        """Every outlet with its number of articles, most articles first."""
        return sorted(((name, len(items)) for name, items in self.by_source.items()), key=lambda i: (-i[1], i[0]))

    def filter_stories(
        self, *, since: dt.date | None = None, until: dt.date | None = None, outlet: str | None = None
    ) -> list[Story]:
        """Stories (newest update first) active between ``since`` and ``until`` and, if given, with ``outlet``.

        A story is active from its first publication to its last update, so a story that began before
        ``since`` and is still going is kept.
        """
        low = since.isoformat() if since else None
        high = until.isoformat() if until else None
        kept = []
        for story in self.stories:
            last = sort_key(story.updated)[:10]
            first = sort_key(story.first_published)[:10] or last
            if low and last < low:
                continue
            if high and first > high:
                continue
            if outlet is not None and outlet not in self.story_sources.get(story.id, ()):
                continue
            kept.append(story)
        return kept

    def stories_by_id(self, ids: Iterable[str]) -> list[Story]:
        return [self.story_index[i] for i in ids if i in self.story_index]
