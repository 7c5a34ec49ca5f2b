"""The write stage: a story page from a story's articles.

The default writer is extractive and deterministic: every sentence it shows is a source sentence (or a
contiguous part of one) and carries citations (article id, character span, exact quote) of the sentences
that support it. ``compose_page`` does the work on articles in memory (the ``timeline`` command and the
benchmarks use it without a store); ``write_story`` reads a stored story and calls it.

- ``headline``: the title that reflects the latest state of the story, and the summary;
- ``keypoints``: sentences of different families that say the same thing, ranked by independent support;
- ``discrepancies``: the same fact given different values by different sources;
- ``timeline``: dated events, background included;
- ``llm``: the optional writer that rephrases through an OpenAI-compatible endpoint, checked by ``verify``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from newsdesk.group import story_status
from newsdesk.records import Article, CitedText, FamilyMember, Story, StoryArticle, StoryPage
from newsdesk.relate import independent_sources
from newsdesk.relate.repeats import Repeated, learned_furniture
from newsdesk.store import Store
from newsdesk.write.agreement import contradiction_discrepancies
from newsdesk.write.discrepancies import find_discrepancies
from newsdesk.write.headline import SUMMARY_SENTENCES, choose_title, summarise
from newsdesk.write.keypoints import Point, choose_points, key_points
from newsdesk.write.timeline import build_timeline
from newsdesk.write.units import FOCUS_ARTICLES, Material

__all__ = ["compose_page", "write_story"]


def write_story(store: Store, story_ref: str, *, timeline_granularity: str | None = None) -> StoryPage:
    """The page of the story ``story_ref`` (an id or a unique prefix of one); ``timeline_granularity`` as
    for :func:`compose_page`."""
    story = store.get_story(story_ref)
    members = store.story_members(story.id)
    articles = store.get_articles(m.article_id for m in members)
    families = store.families(a.id for a in articles)

    status = story_status(story, store.latest_publication())
    return compose_page(
        story,
        articles,
        families,
        status=status,
        repeated=learned_furniture(store),
        timeline_granularity=timeline_granularity,
    )


def compose_page(
    story: Story,
    articles: Iterable[Article],
    families: Mapping[str, FamilyMember],
    *,
    status: str = "live",
    max_points: int = 8,
    focus_articles: int = FOCUS_ARTICLES,
    repeated: Repeated | None = None,
    timeline_granularity: str | None = None,
) -> StoryPage:
    """The page of ``story`` written from ``articles`` (with their ``families``), deterministically.

    A long-running story's title, summary, key points and discrepancies come from its latest
    ``focus_articles`` (see ``Material``), so a page costs at most what a story of that size does.
    ``repeated`` tells which sentence keys are furniture learned from the store (see ``relate.repeats``):
    such sentences are never shown. ``timeline_granularity`` is the timeline's (see ``build_timeline``):
    ``None`` keeps dates of every granularity, ``"auto"`` those at the story's own scale.
    """
    material = Material(articles, families, focus_articles=focus_articles, repeated=repeated)
    listed = tuple(listed_article(article, material.families[article.id]) for article in material.articles)
    # The summary draws on the best points; the key points are the others, so nothing is said twice.
    points = choose_points(material, max_points=max_points + SUMMARY_SENTENCES)
    # What sources disagree about: figures and dates across the story, and what a point's own sources say
    # the other way (a contradiction is no support).
    discrepancies = find_discrepancies(material)
    discrepancies += contradiction_discrepancies(points, discrepancies)
    title, title_citation = choose_title(material)
    summary = [CitedText(text, citations) for text, citations in summarise(material, points)]
    points = [p for p in points if not _repeats(p, summary)][:max_points]
    return StoryPage(
        id=story.id,
        title=title or story.title,
        summary=" ".join(s.text for s in summary) or None,
        updated=story.updated,
        article_count=len(material.articles),
        independent_source_count=independent_sources(material.families.values()),
        articles=listed,
        status=status,
        title_citation=title_citation,
        summary_sentences=tuple(summary),
        key_points=key_points(points),
        timeline=tuple(
            build_timeline(
                material.articles,
                material.families,
                tagged=material.times(),
                repeated=repeated,
                granularity=timeline_granularity,
            )
        ),
        discrepancies=tuple(discrepancies),
        written_from=len(material.focus) if len(material.focus) < len(material.articles) else None,
    )


def _repeats(point: Point, summary: list[CitedText]) -> bool:
    """Whether the point's claim is one of the summary's sentences (or holds one, or is held in one)."""
    claim = _words(point.text())
    for sentence in summary:
        said = _words(sentence.text)
        if said and (said in claim or claim in said):
            return True
    return False


def _words(text: str) -> str:
    return " " + " ".join(w.strip(".,;:!?\"'“”‘’()").lower() for w in text.split()) + " "


def listed_article(article: Article, family: FamilyMember) -> StoryArticle:
    """An article as a page lists it, with its role in its family."""
    return StoryArticle(
        id=article.id,
        title=article.title,
        source=article.source,
        url=article.url,
        published=article.published,
        family=family.family_id,
        role=family.role,
        derived_from=family.derived_from,
        title_derived=article.title_derived,
    )
