"""The group stage: each new article joins the most similar story, or starts one, online.

Candidate stories come from postings (a story's most telling names and lead words), never from a
scan of all stories, so assigning an article costs the same with a thousand stories or a hundred
thousand. A story is posted under each article's strongest features; an article looks candidates up
under its strongest features that an earlier article had too. The two differ: a feature no earlier
article had is the rarest, so the strongest, and can find nothing, while the features an article
shares with its story weigh less for being shared (on a new store, every strongest feature of the
second article was one the first did not have, and the two never met). Similarity is the weighted
sum of TF-IDF cosines per feature family (:mod:`newsdesk.group.features`) between the article and a
story's centroid. Articles derived from one already in a story (copies, rewrites, summaries; a
digest's main source) join that story.

Stories are developing things: when a new article is similar to two stories at once they have
converged and merge (the older id survives, and the merge is recorded); a story whose latest
article is older than the quiet period is dormant, and wakes, recorded, when a matching article comes.

Speed (see the ``bench:group`` section of ``docs/benchmarks.md``): centroids are stored as raw
arrays and scored in batches (:mod:`newsdesk.group.centroid`), document frequencies are journalled
and folded in now and then (:mod:`newsdesk.group.frequencies`), postings are read latest first up
to a cap, and the centroids and frequencies in use are kept in memory, checked against the store.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import numpy as np

from newsdesk.extract.dates import sort_key
from newsdesk.group.centroid import Centroid, CentroidCache, Scorer
from newsdesk.group.features import LEAD_SENTENCES, ArticleVector, article_features, weighted
from newsdesk.group.frequencies import FOLD_EVERY, DocumentFrequencies
from newsdesk.group.storylines import Placement, Storylines, StorylineSettings, moment
from newsdesk.records import Article, Relation, Story, StoryEvent, StoryMember
from newsdesk.relate.align import Profile, profile
from newsdesk.store import Store

if TYPE_CHECKING:
    from newsdesk.group.embed import Embedder

__all__ = [
    "Assignment", "GroupSettings", "Grouper", "group_all", "story_id_for", "story_status", "storylines_missing",
]  # fmt: skip

_DOCUMENTS = "group.documents"
# Families whose strongest features are posted for candidate retrieval, and how many of each.
_POSTED = {"names": 10, "lead": 10, "terms": 4}
# A story's posting under a key it posted before is moved up only when this many articles older.
_REFRESH_AFTER = 100
Loaded = dict[str, tuple[Story, Centroid]]


@dataclass(frozen=True)
class GroupSettings:
    """How grouping decides. Thresholds are on the weighted cosine similarity (0 to 1).

    At most ``candidates`` stories are scored for each article: those sharing the most of its
    posted features, where each feature leads to the ``posting_cap`` stories that posted it last.
    Both caps keep the cost of an article the same however many stories the store holds.

    Time enters the decision: a story whose articles were published close to the article's date gets
    ``recency_bonus`` added to its similarity (the whole of it inside the story's span, half of it
    ``recency_days`` days away, and so on), since news of one development comes in bursts; a story quiet
    for ``quiet_days`` needs ``wake_margin`` more. An undated article, or a story without dates, is
    placed by content alone.
    """

    threshold: float = 0.2
    merge_threshold: float = 0.4
    quiet_days: float = 14.0
    wake_margin: float = 0.05
    recency_bonus: float = 0.05
    recency_days: float = 3.0
    candidates: int = 30
    posting_cap: int = 100
    centroid_size: int = 200
    embeddings: bool = False
    embedding_weight: float = 0.3
    storylines: StorylineSettings = field(default_factory=StorylineSettings)

    def __post_init__(self) -> None:
        if not 0 < self.threshold < self.merge_threshold <= 1:
            raise ValueError("need 0 < threshold < merge_threshold <= 1")
        if self.quiet_days <= 0 or self.candidates < 1 or self.posting_cap < 1 or self.centroid_size < 1:
            raise ValueError("quiet_days, candidates, posting_cap and centroid_size must be positive")
        if not 0 <= self.embedding_weight < 1:
            raise ValueError("embedding_weight must be in [0, 1)")
        if self.recency_bonus < 0 or self.recency_days <= 0:
            raise ValueError("recency_bonus must be at least 0 and recency_days positive")

    @classmethod
    def with_embeddings(cls) -> GroupSettings:
        """The embedding signal on, with the weight and thresholds tuned for it on ECB+."""
        return cls(threshold=0.25, merge_threshold=0.45, embeddings=True, embedding_weight=0.15)


@dataclass(frozen=True)
class Assignment:
    story_id: str
    how: str  # "founded", "similar", "derived"
    similarity: float
    merged: tuple[str, ...] = ()
    woke: bool = False
    storyline: Placement | None = None


def story_id_for(article_id: str) -> str:
    """The stable id of a story founded by ``article_id``."""
    return "s" + hashlib.sha256(f"story:{article_id}".encode()).hexdigest()[:11]


def story_status(story: Story, latest_sort: str, quiet_days: float = GroupSettings.quiet_days) -> str:
    """``dormant`` when the story's latest article is older than the quiet period before ``latest_sort``."""
    if not story.last_published or not latest_sort:
        return "live"
    return "dormant" if _days_between(sort_key(story.last_published), latest_sort) > quiet_days else "live"


class Grouper:
    """Assigns stored articles to stories, one at a time, in the order given.

    Everything it decides from lives in the store. What it keeps in memory is checked against the
    store before each use: document frequencies (:class:`~newsdesk.group.frequencies.DocumentFrequencies`)
    and recently used centroids (:class:`~newsdesk.group.centroid.CentroidCache`). So a new Grouper
    on an existing store decides exactly as one that has been running, other processes may write
    to the store in between, and a rolled-back ingest leaves nothing behind.
    """

    def __init__(self, store: Store, settings: GroupSettings | None = None, *, fold_every: int = FOLD_EVERY) -> None:
        self.store = store
        self.settings = settings or GroupSettings()
        self._frequencies = DocumentFrequencies(store, fold_every)
        self._scorer = Scorer()
        self._centroids = CentroidCache()
        self._storylines = Storylines(store, self.settings.storylines)
        self._embedder: Embedder | None = None
        if self.settings.embeddings:
            from newsdesk.group.embed import Embedder  # imported lazily: the extra is heavy

            self._embedder = Embedder()

    def assign(self, article: Article, profile: Profile, relations: tuple[Relation, ...] = ()) -> Assignment:
        """Put a newly stored ``article`` in a story; returns which and how."""
        store = self.store
        features = article_features(profile)
        embedding = self._embedder.embed(_lead_text(profile)) if self._embedder is not None else None
        with store.transaction():
            number = int(store.get_meta(_DOCUMENTS) or 0) + 1
            store.set_meta(_DOCUMENTS, str(number))
            frequencies = self._frequencies.count(article.id, features.keyed[0])
            vector = weighted(features, frequencies, number)
            keys = vector.keys.tolist()
            seen_before = np.fromiter(map(frequencies.__getitem__, keys), np.int64, len(keys)) > 1
            sought = _posting_keys(vector, seen_before)
            arrival = _Arrival(article, vector, _posting_keys(vector), sought, embedding, number, _now())
            assignment, loaded = self._decide(arrival, relations)
            story = self._join(arrival, assignment, loaded)
            gone = tuple(i for i in dict.fromkeys((assignment.story_id, *assignment.merged)) if i != story.id)
            placed = self._storylines.place(
                story, arrival.vector, arrival.posted, arrival.number, arrival.now, gone=gone
            )
        return replace(assignment, story_id=story.id, storyline=placed)

    def _scores(self, arrival: _Arrival, centroids: list[Centroid]) -> list[float]:
        lexical = [float(score) for score in self._scorer.lexical(arrival.vector, centroids)]
        embedding = arrival.embedding
        if embedding is None:
            return lexical
        weight = self.settings.embedding_weight
        return [
            (1 - weight) * score + weight * centroid.embedding_similarity(embedding)
            for score, centroid in zip(lexical, centroids, strict=True)
        ]

    # -- deciding ---------------------------------------------------------------------------------

    def _decide(self, arrival: _Arrival, relations: tuple[Relation, ...]) -> tuple[Assignment, Loaded]:
        """Where the article goes, and the stories loaded to decide it (for joining without reloading)."""
        article = arrival.article
        kin = _kin(article, relations)
        if kin:
            homes = self.store.stories_of(kin)
            for other in kin:  # strongest relation first
                if other in homes:
                    loaded = self._load([homes[other]])
                    for story_id, (_, centroid) in loaded.items():
                        return Assignment(story_id, "derived", self._scores(arrival, [centroid])[0]), loaded
        settings = self.settings
        found = self.store.find_stories(arrival.sought, posting_cap=settings.posting_cap, limit=settings.candidates)
        loaded = self._load([story_id for story_id, _ in found])
        scores = self._scores(arrival, [centroid for _, centroid in loaded.values()])
        scored = []
        for score, (story, _) in zip(scores, loaded.values(), strict=True):
            dormant = _dormant(story, article, settings.quiet_days)
            needed = settings.threshold + (settings.wake_margin if dormant else 0.0)
            # Close in time, a story is the likelier home: the bonus decides between homes and whether to
            # join, while the similarity reported (and a merge) stays the content's own.
            scored.append((score + _recency(story, article, settings), needed, dormant, story, score))
        scored.sort(key=lambda item: (-item[0], item[3].seq))
        joinable = [item for item in scored if item[0] >= item[1]]
        if not joinable:
            return Assignment(story_id_for(article.id), "founded", 1.0), loaded
        _, _, dormant, best, score = joinable[0]
        merging = score >= settings.merge_threshold
        converged = [s.id for _, _, _, s, value in joinable[1:] if merging and value >= settings.merge_threshold]
        return Assignment(best.id, "similar", score, tuple(converged), dormant), loaded

    def _load(self, ids: list[str]) -> Loaded:
        """The stories that hold the articles of ``ids`` now (following merges), in the order given.

        Story rows are read without their state; states are read only for stories whose tag the
        cache does not hold.
        """
        heads = self.store.story_heads(ids)
        current: list[str] = []
        for story_id in ids:
            seen: set[str] = set()
            while story_id in heads and (target := heads[story_id][0].merged_into) and story_id not in seen:
                seen.add(story_id)
                if target not in heads:  # rare: a merge moves the postings, so candidates are seldom merged
                    heads.update(self.store.story_heads([target]))
                story_id = target
            current.append(story_id)
        wanted = [i for i in dict.fromkeys(current) if i in heads]
        centroids = {i: self._centroids.get(i, heads[i][1]) for i in wanted}
        missing = [i for i, centroid in centroids.items() if centroid is None]
        for story_id, (tag, state) in self.store.story_centroids(missing).items() if missing else ():
            centroids[story_id] = read = Centroid.from_bytes(state)
            self._centroids.put(story_id, tag, read)
        return {i: (heads[i][0], found) for i in wanted if (found := centroids[i]) is not None}

    def _save(self, story: Story, centroid: Centroid) -> None:
        """Save a story and keep its centroid as the store will give it back."""
        state = centroid.to_bytes()
        self._centroids.put(story.id, self.store.save_story(story, state), Centroid.from_bytes(state))

    # -- joining ----------------------------------------------------------------------------------

    def _join(self, arrival: _Arrival, assignment: Assignment, loaded: Loaded) -> Story:
        """Add the article to its story (merging the converged ones); the story as saved."""
        store, article, now = self.store, arrival.article, arrival.now
        if assignment.how == "founded":
            story = Story(
                id=assignment.story_id, title=article.title, created_at=now, updated=article.published or now,
                first_published=article.published, last_published=article.published, status="live", article_count=0,
            )  # fmt: skip
            centroid = Centroid.empty()
            store.add_story_event(StoryEvent(story.id, "created", article.id, "a new story", now))
        else:
            story, centroid = loaded[assignment.story_id]
            if assignment.woke:
                store.add_story_event(
                    StoryEvent(story.id, "woke", article.id, f"after a quiet period ({story.last_published})", now)
                )
        for other_id in assignment.merged:
            if other_id in loaded and other_id != story.id:
                story, centroid = self._merge((story, centroid), loaded[other_id], arrival)
        centroid = centroid.plus(arrival.vector, self.settings.centroid_size, arrival.embedding)
        store.set_story_member(StoryMember(article.id, story.id, assignment.similarity, assignment.how, now))
        if assignment.how != "founded":
            detail = f"{assignment.how}, similarity {assignment.similarity:.2f}"
            store.add_story_event(StoryEvent(story.id, "joined", article.id, detail, now))
        story = _updated(story, article, now)
        self._save(story, centroid)
        store.add_story_postings(story.id, arrival.posted, arrival.number, refresh_after=_REFRESH_AFTER)
        return story

    def _merge(
        self, one: tuple[Story, Centroid], other: tuple[Story, Centroid], arrival: _Arrival
    ) -> tuple[Story, Centroid]:
        """Merge two converged stories; the older keeps its id and the other records where it went."""
        store, now = self.store, arrival.now
        (keep, keep_centroid), (gone, gone_centroid) = sorted((one, other), key=lambda pair: pair[0].seq)
        merged_centroid = keep_centroid.plus(gone_centroid, self.settings.centroid_size, gone_centroid.embedding)
        store.move_story_members(gone.id, keep.id)
        merged = Story(
            id=keep.id,
            title=keep.title if sort_key(keep.last_published) >= sort_key(gone.last_published) else gone.title,
            created_at=keep.created_at,
            updated=max(keep.updated, gone.updated, key=sort_key),
            first_published=min(
                (p for p in (keep.first_published, gone.first_published) if p), key=sort_key, default=None
            ),
            last_published=max(
                (p for p in (keep.last_published, gone.last_published) if p), key=sort_key, default=None
            ),
            status="live",
            article_count=keep.article_count + gone.article_count,
            seq=keep.seq,
        )
        self._save(merged, merged_centroid)
        self._save(replace(gone, merged_into=keep.id, status="merged", article_count=0), gone_centroid)
        detail = f"{gone.id} merged into {keep.id}: converged on {arrival.article.id}"
        store.add_story_event(StoryEvent(keep.id, "merged", arrival.article.id, detail, now))
        store.add_story_event(StoryEvent(gone.id, "merged", arrival.article.id, detail, now))
        return merged, merged_centroid


@dataclass(frozen=True)
class _Arrival:
    """The article being grouped, as deciding and joining see it."""

    article: Article
    vector: ArticleVector
    posted: list[int]  # its strongest keys, under which its story is found
    sought: list[int]  # its strongest keys that an earlier article had too: where candidates are looked up
    embedding: np.ndarray | None
    number: int  # articles grouped so far, this one included: orders the postings
    now: str


def _kin(article: Article, relations: tuple[Relation, ...]) -> list[str]:
    """Articles this one derives from or that derive from it (a digest: its sources), strongest first."""
    ranked = sorted(relations, key=lambda r: (-r.score, r.source, r.derived))
    kin: list[str] = []
    for relation in ranked:
        if relation.kind == "digest":
            if relation.derived == article.id:
                kin.append(relation.source)
            continue
        kin.append(relation.source if relation.derived == article.id else relation.derived)
    return list(dict.fromkeys(k for k in kin if k != article.id))


def _lead_text(profile: Profile) -> str:
    """The title and first sentences: what the embedding reads."""
    lead = [s.text for s in profile.sentences[:LEAD_SENTENCES]]
    article = profile.article
    return " ".join(([article.title] if article.title and not article.title_derived else []) + lead)


def _posting_keys(vector: ArticleVector, among: np.ndarray | None = None) -> list[int]:
    return [key for family, count in _POSTED.items() for key in vector.strongest(family, count, among)]


def _updated(story: Story, article: Article, now: str) -> Story:
    published = article.published
    latest = story.last_published
    newer = bool(published) and (not latest or sort_key(published) >= sort_key(latest))
    title = story.title
    if article.title and (newer or not title) and article.kind != "digest":
        title = article.title
    first = story.first_published
    if published and (not first or sort_key(published) < sort_key(first)):
        first = published
    last = published if newer else latest
    return Story(
        id=story.id, title=title, created_at=story.created_at, updated=last or now, first_published=first,
        last_published=last, status="live", article_count=story.article_count + 1, seq=story.seq,
    )  # fmt: skip


def _dormant(story: Story, article: Article, quiet_days: float) -> bool:
    latest, published = moment(story.last_published), moment(article.published)
    if latest is None or published is None:
        return False
    return (published - latest).total_seconds() / 86400 > quiet_days


def _recency(story: Story, article: Article, settings: GroupSettings) -> float:
    """The bonus of a story close in time to the article: full inside its span, halving every ``recency_days``."""
    if not settings.recency_bonus:
        return 0.0
    published = moment(article.published)
    first, last = moment(story.first_published), moment(story.last_published)
    if published is None or first is None or last is None:
        return 0.0
    gap = max((first - published).total_seconds(), (published - last).total_seconds(), 0.0) / 86400
    return float(settings.recency_bonus * 0.5 ** (gap / settings.recency_days))


def _days_between(earlier: str, later: str) -> float:
    try:
        first = dt.datetime.fromisoformat(earlier)
        second = dt.datetime.fromisoformat(later)
    except ValueError:
        return 0.0
    return (second - first).total_seconds() / 86400


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def storylines_missing(store: Store) -> bool:
    """Whether the store holds stories but no storylines: grouped by a newsdesk from before storylines.

    A store upgraded from schema 6 is such a store; :func:`group_all` builds its storylines (and its
    stories again, which come out the same: the story level decides as it did).
    """
    return not store.list_storylines(limit=1, min_stories=0) and store.count_stories() > 0


def group_all(
    store: Store, *, settings: GroupSettings | None = None, progress: Callable[[str], None] | None = None
) -> int:
    """Forget all stories and storylines and group every stored article again, in arrival order; the story count.

    Both levels are rebuilt, exactly as ingesting the articles one by one in that order builds them: each
    article sees only the relations to articles that arrived before it, as when it was ingested.
    """
    store.reset_stories()
    grouper = Grouper(store, settings)
    offset = 0
    while page := store.list_articles(limit=500, offset=offset):
        for article in page:
            relations = store.relations(article.id)
            others = [r.source if r.derived == article.id else r.derived for r in relations]
            order = store.arrival_order([article.id, *others])
            earlier = tuple(r for r, other in zip(relations, others, strict=True) if order[other] < order[article.id])
            grouper.assign(article, profile(article), earlier)
            if progress:
                progress(article.location)
        offset += len(page)
    return store.count_stories()
