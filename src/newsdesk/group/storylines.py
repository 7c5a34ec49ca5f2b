"""Storylines: the stories of one developing subject over weeks or months, linked online.

A story is one event or development ("Looting in Port-au-Prince", "US military airdrops aid"); a storyline
links the stories of one subject ("Haiti earthquake"). Each new story joins the storyline it is most
similar to, or starts one; a story belongs to one storyline, which it keeps. What a storyline is compared
by is what persists across its stories: the names and terms of all their articles (a centroid like a
story's, wider), not the figures and dates that tell one event from the next. A storyline that has been
quiet for ``quiet_days`` can wake, but it must be clearly the subject (``wake_margin`` more).

Like stories, candidate storylines come from postings of the article's strongest names, lead words and
terms, read latest first up to a cap, so placing a story costs the same with ten or ten thousand
storylines. The strongest features are the rarest, and what a storyline keeps saying ("Libya",
"Gaddafi") is common in it, so postings alone missed the storyline a new story belonged to: the
``recent`` storylines with the latest publications are candidates too (time-aware: a developing
subject is one that is in the news now). One found only that way, sharing none of the story's
distinctive features, must be clearly the subject (``recent_margin`` more: without it, small stores
of unrelated news chained into one storyline). On the T17 stream this took BCubed F1 from 0.843 to
0.864 on the four topics the threshold was tuned on and from 0.538 to 0.629 on the four held out
(``bench/group.py --parts stream``).

Ids are stable (from the founding story); when two stories merge, their storylines merge too
(the older id survives, the merge is recorded as an event of both).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from dataclasses import dataclass, replace

import numpy as np

from newsdesk.extract.dates import sort_key
from newsdesk.group.centroid import Centroid, Scorer
from newsdesk.group.features import FAMILIES, ArticleVector
from newsdesk.records import Story, StoryEvent, Storyline
from newsdesk.store import Store

__all__ = ["Placement", "StorylineSettings", "Storylines", "moment", "storyline_id_for"]

# What persists across the stories of one subject: its names above all, its terms, its lead words; not
# the figures and dates that set one event apart from the next.
_WEIGHTS = {"names": 0.5, "terms": 0.3, "lead": 0.2, "numbers": 0.0, "when": 0.0}
WEIGHTS = np.array([_WEIGHTS[family] for family in FAMILIES])
_REFRESH_AFTER = 100  # a posting moves up only when this many articles older (see Store.add_story_postings)


@dataclass(frozen=True)
class StorylineSettings:
    """How a new story finds its storyline. The threshold is on the weighted cosine (0 to 1)."""

    # Tuned on a stream of only four T17 topics (egypt, finan, h1n1, haiti), before recent candidates: the
    # highest BCubed F1 whose precision stays at 0.97 or more (0.05, 0.07 and 0.10 were tried). The figures
    # on the whole stream, tuned and held-out topics apart, are in docs/benchmarks.md (bench/group.py).
    # A recent storyline that shares none of the story's distinctive features needs threshold +
    # recent_margin (0.10): about the lowest tenth of the similarities of correct joins on that stream.
    threshold: float = 0.07
    quiet_days: float = 45.0
    wake_margin: float = 0.05
    candidates: int = 20
    recent: int = 20
    recent_margin: float = 0.03
    posting_cap: int = 100
    centroid_size: int = 300

    def __post_init__(self) -> None:
        if not 0 < self.threshold < 1:
            raise ValueError("need 0 < threshold < 1")
        if self.recent < 0:
            raise ValueError("recent must be 0 or more")
        if self.quiet_days <= 0 or self.candidates < 1 or self.posting_cap < 1 or self.centroid_size < 1:
            raise ValueError("quiet_days, candidates, posting_cap and centroid_size must be positive")


def storyline_id_for(story_id: str) -> str:
    """The stable id of a storyline founded by the story ``story_id``."""
    return "l" + hashlib.sha256(f"storyline:{story_id}".encode()).hexdigest()[:11]


@dataclass(frozen=True)
class Placement:
    storyline_id: str
    how: str  # "founded", "similar", "kept" (the story had one), "merged"
    similarity: float


class Storylines:
    """Places stories in storylines as their articles arrive (called by the ``Grouper`` for each article)."""

    def __init__(self, store: Store, settings: StorylineSettings | None = None) -> None:
        self.store = store
        self.settings = settings or StorylineSettings()
        self._scorer = Scorer()

    def place(
        self, story: Story, vector: ArticleVector, posted: list[int], number: int, now: str, *, gone: tuple[str, ...]
    ) -> Placement:
        """Account the new article (``vector``) of ``story`` to its storyline, finding one for a new story.

        ``gone`` are the stories merged into ``story`` by this article: their storylines merge into the story's.
        """
        store = self.store
        lines = store.storylines_of([story.id, *gone])
        own = lines.get(story.id)
        others = list(dict.fromkeys(lines[g] for g in gone if g in lines and lines[g] != own))
        if own is None and others:
            own = others.pop(0)
            store.set_story_storyline(story.id, own, 1.0, "merged", now)
        states = store.storyline_states([own, *others]) if own else {}
        if own is None or own not in states:
            placement, line, centroid = self._decide(story, vector, posted, now)
            store.set_story_storyline(story.id, line.id, placement.similarity, placement.how, now)
        else:
            line, centroid = states[own][0], Centroid.from_bytes(states[own][1])
            placement = Placement(line.id, "kept", 1.0)
        for other in others:
            if other in states and other != line.id:
                pair = (states[other][0], Centroid.from_bytes(states[other][1]))
                line, centroid = self._merge((line, centroid), pair, story, now)
                placement = Placement(line.id, "merged", placement.similarity)
        centroid = centroid.plus(vector, self.settings.centroid_size)
        line = _updated(line, story, now, 1 if placement.how in ("founded", "similar") else 0)
        if gone:  # stories merged: count what the storyline holds now
            line = replace(line, story_count=len(store.storyline_stories(line.id)))
        store.save_storyline(line, centroid.to_bytes())
        store.add_storyline_postings(line.id, posted, number, refresh_after=_REFRESH_AFTER)
        return placement

    def _decide(
        self, story: Story, vector: ArticleVector, posted: list[int], now: str
    ) -> tuple[Placement, Storyline, Centroid]:
        settings, store = self.settings, self.store
        found = store.find_storylines(posted, posting_cap=settings.posting_cap, limit=settings.candidates)
        current, states = _following_merges(store, [line_id for line_id, _ in found])
        posted_at = set(current)
        recent = [line.id for line in store.list_storylines(limit=settings.recent)] if settings.recent else []
        current = list(dict.fromkeys([*current, *recent]))
        # the posted candidates' states were read to follow merges (nothing was written since): read the rest
        if missing := [i for i in current if i not in states]:
            states.update(store.storyline_states(missing))
        loaded = [(states[i][0], Centroid.from_bytes(states[i][1])) for i in current if i in states]
        scores = self._scorer.lexical(vector, [c for _, c in loaded], WEIGHTS)
        best: tuple[float, Storyline, Centroid] | None = None
        for score, (line, centroid) in zip(scores, loaded, strict=True):
            needed = settings.threshold + (settings.wake_margin if _quiet(line, story, settings.quiet_days) else 0.0)
            if line.id not in posted_at:  # only recent, sharing none of the story's distinctive features
                needed += settings.recent_margin
            if score >= needed and (best is None or score > best[0] or (score == best[0] and line.seq < best[1].seq)):
                best = (float(score), line, centroid)
        if best is None:
            line = Storyline(
                id=storyline_id_for(story.id), title=story.title, created_at=now, updated=story.updated,
                first_published=story.first_published, last_published=story.last_published, story_count=0,
                article_count=0,
            )  # fmt: skip
            store.add_story_event(StoryEvent(line.id, "created", None, f"a new storyline, from story {story.id}", now))
            return Placement(line.id, "founded", 1.0), line, Centroid.empty()
        score, line, centroid = best
        detail = f"story {story.id} joined, similarity {score:.2f}"
        store.add_story_event(StoryEvent(line.id, "joined", None, detail, now))
        return Placement(line.id, "similar", score), line, centroid

    def _merge(
        self, one: tuple[Storyline, Centroid], other: tuple[Storyline, Centroid], story: Story, now: str
    ) -> tuple[Storyline, Centroid]:
        """Two storylines whose stories merged become one; the older keeps its id."""
        store = self.store
        (keep, keep_centroid), (gone, gone_centroid) = sorted((one, other), key=lambda pair: pair[0].seq or 1 << 62)
        store.move_storyline_stories(gone.id, keep.id)
        centroid = keep_centroid.plus(gone_centroid, self.settings.centroid_size)
        top = keep if keep.top_count >= gone.top_count else gone
        merged = replace(
            keep,
            title=top.title,
            top_story=top.top_story,
            top_count=top.top_count,
            updated=max(keep.updated, gone.updated, key=sort_key),
            first_published=min(
                (p for p in (keep.first_published, gone.first_published) if p), key=sort_key, default=None
            ),
            last_published=max(
                (p for p in (keep.last_published, gone.last_published) if p), key=sort_key, default=None
            ),
            article_count=keep.article_count + gone.article_count,
        )
        store.save_storyline(replace(gone, merged_into=keep.id, story_count=0), gone_centroid.to_bytes())
        detail = f"{gone.id} merged into {keep.id}: their stories merged ({story.id})"
        for line_id in (keep.id, gone.id):
            store.add_story_event(StoryEvent(line_id, "merged", None, detail, now))
        return merged, centroid


def _following_merges(store: Store, ids: list[str]) -> tuple[list[str], dict[str, tuple[Storyline, bytes]]]:
    """The storylines that hold ``ids`` now (a merged one's survivor), in order, once each; and the states read."""
    states = store.storyline_states(ids)
    current = []
    for line_id in ids:
        seen: set[str] = set()
        while line_id in states and (target := states[line_id][0].merged_into) and line_id not in seen:
            seen.add(line_id)
            if target not in states:
                states.update(store.storyline_states([target]))
            line_id = target
        current.append(line_id)
    return list(dict.fromkeys(current)), states


def _updated(line: Storyline, story: Story, now: str, new_stories: int) -> Storyline:
    """The storyline with one more article of ``story`` (and ``new_stories`` more stories)."""
    first = _earliest(line.first_published, story.first_published)
    last = _latest(line.last_published, story.last_published)
    top = story.article_count > line.top_count or line.top_story in (None, story.id)
    return replace(
        line,
        title=story.title if top and story.title else line.title,
        top_story=story.id if top else line.top_story,
        top_count=story.article_count if top else line.top_count,
        updated=last or now,
        first_published=first,
        last_published=last,
        story_count=line.story_count + new_stories,
        article_count=line.article_count + 1,
    )


def _earliest(*published: str | None) -> str | None:
    return min((p for p in published if p), key=sort_key, default=None)


def _latest(*published: str | None) -> str | None:
    return max((p for p in published if p), key=sort_key, default=None)


def _quiet(line: Storyline, story: Story, quiet_days: float) -> bool:
    latest, published = moment(line.last_published), moment(story.last_published)
    if latest is None or published is None:
        return False
    return (published - latest).total_seconds() / 86400 > quiet_days


@functools.lru_cache(maxsize=8192)
def moment(published: str | None) -> dt.datetime | None:
    """A publication value as a naive UTC time (None when missing or unreadable); cached: candidates repeat."""
    try:
        return dt.datetime.fromisoformat(sort_key(published)) if published else None
    except ValueError:
        return None
