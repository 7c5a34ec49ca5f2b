"""A storyline's page: its stories newest first, a timeline drawn from all of them, the latest key points.

The timeline reads the storyline's latest ``TIMELINE_ARTICLES`` articles (a storyline of months may hold
thousands; its page costs what a large story's does), keeps its ``TIMELINE_DATES`` best-supported dates,
and never shows furniture learned from the store. The key points are those of the storyline's most
recently updated story of more than one article (its latest story when none has more), so what a reader
sees first is the latest development. Every citation resolves to the page's own numbered sources.
"""

from __future__ import annotations

from newsdesk.extract.dates import sort_key
from newsdesk.group import story_status
from newsdesk.records import Article, FamilyMember, StorylinePage, StorylineStory
from newsdesk.relate import independent_sources
from newsdesk.relate.repeats import learned_furniture
from newsdesk.store import Store
from newsdesk.write import listed_article, write_story
from newsdesk.write.timeline import build_timeline

__all__ = ["KEY_POINTS", "TIMELINE_ARTICLES", "TIMELINE_DATES", "write_storyline"]

TIMELINE_ARTICLES = 200
TIMELINE_DATES = 20
KEY_POINTS = 5


def write_storyline(store: Store, ref: str) -> StorylinePage:
    """The page of the storyline ``ref`` (an id or a unique prefix of one)."""
    line = store.get_storyline(ref)
    stories = store.storyline_stories(line.id)
    latest = store.latest_publication()
    members = {s.id: [m.article_id for m in store.story_members(s.id)] for s in stories}
    every = [a for ids in members.values() for a in ids]
    families = store.families(every)
    recent = _latest_articles(store, every, TIMELINE_ARTICLES)
    timeline = build_timeline(
        recent,
        families,
        max_dates=TIMELINE_DATES,
        repeated=learned_furniture(store),
    )
    lead_story = next((s for s in stories if s.article_count > 1), stories[0] if stories else None)
    lead_page = write_story(store, lead_story.id) if lead_story else None
    summary = lead_page.summary_sentences if lead_page else ()
    points = lead_page.key_points[:KEY_POINTS] if lead_page else ()
    cited = {c.article for s in summary for c in s.citations} | {c.article for p in points for c in p.citations}
    cited |= {c.article for t in timeline for c in t.citations}
    listed = sorted(store.get_articles(cited), key=lambda a: (sort_key(a.published) or "~", a.id))
    return StorylinePage(
        id=line.id,
        title=line.title,
        updated=line.updated,
        first_published=line.first_published,
        story_count=len(stories),
        article_count=len(every),
        independent_source_count=independent_sources(families.values()) if families else len(every),
        stories=tuple(
            StorylineStory(s.id, s.title, s.updated, s.article_count, story_status(s, latest)) for s in stories
        ),
        articles=tuple(
            listed_article(a, families.get(a.id) or FamilyMember(a.id, a.id, "origin", None)) for a in listed
        ),
        latest_summary=tuple(summary),
        key_points=tuple(points),
        key_points_from=lead_story.id if lead_story else None,
        timeline=tuple(timeline),
    )


def _latest_articles(store: Store, ids: list[str], count: int) -> list[Article]:
    """The ``count`` latest published of ``ids`` (by publication, undated last)."""
    heads = store.get_articles(ids)
    heads.sort(key=lambda a: (sort_key(a.published) or "", a.id), reverse=True)
    return heads[:count]
