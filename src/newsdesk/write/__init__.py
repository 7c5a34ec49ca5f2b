"""The write stage: a story page from a story's articles.

For now the page holds the story's title, its articles with their sources, families and roles,
and how many independent sources it rests on (families of reports; digests never count).
"""

from __future__ import annotations

from newsdesk.extract.dates import sort_key
from newsdesk.group import story_status
from newsdesk.records import FamilyMember, StoryArticle, StoryPage
from newsdesk.relate import independent_sources
from newsdesk.store import Store

__all__ = ["write_story"]


def write_story(store: Store, story_ref: str) -> StoryPage:
    """The page of the story ``story_ref`` (an id or a unique prefix of one)."""
    story = store.get_story(story_ref)
    members = store.story_members(story.id)
    articles = store.get_articles(m.article_id for m in members)
    families = store.families(a.id for a in articles)
    latest = store.latest_publication()
    listed = []
    for article in sorted(articles, key=lambda a: (sort_key(a.published) or "~", a.id)):
        family = families.get(article.id) or FamilyMember(article.id, article.id, "origin", None)
        listed.append(
            StoryArticle(
                id=article.id,
                title=article.title,
                source=article.source,
                url=article.url,
                published=article.published,
                family=family.family_id,
                role=family.role,
                derived_from=family.derived_from,
            )
        )
    return StoryPage(
        id=story.id,
        title=story.title,
        summary=None,
        updated=story.updated,
        article_count=len(articles),
        independent_source_count=independent_sources(families[a.id] for a in articles if a.id in families),
        articles=tuple(listed),
        status=story_status(story, latest),
    )
