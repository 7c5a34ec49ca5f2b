"""The store interface every backend implements (SQLite by default, PostgreSQL for teams)."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import re
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from newsdesk.records import Article, FamilyMember, Relation, Story, StoryEvent, Storyline, StoryMember

# The article columns every backend stores, in the order of the Article record.
ARTICLE_COLUMNS = (
    "id", "title", "title_prefix", "body", "published", "published_from", "author", "source", "url",
    "language", "kind", "excerpt", "categories", "tags", "format", "digest", "location", "raw_sha256",
    "source_from", "title_derived",
)  # fmt: skip


def article_values(article: Article) -> tuple[Any, ...]:
    """The values of :data:`ARTICLE_COLUMNS` for ``article`` (lists and the digest as JSON text)."""
    data = article.to_dict()
    data["categories"] = json.dumps(data["categories"], ensure_ascii=False)
    data["tags"] = json.dumps(data["tags"], ensure_ascii=False)
    data["digest"] = json.dumps(data["digest"]) if data["digest"] else None
    data["title_derived"] = int(data["title_derived"])
    return tuple(data[c] for c in ARTICLE_COLUMNS)


def article_from_row(row: Mapping[str, Any]) -> Article:
    data = {c: row[c] for c in ARTICLE_COLUMNS}
    data["categories"] = json.loads(data["categories"])
    data["tags"] = json.loads(data["tags"])
    data["digest"] = json.loads(data["digest"]) if data["digest"] else None
    data["title_derived"] = bool(data["title_derived"])
    return Article.from_dict(data)


@dataclass(frozen=True)
class SearchHit:
    """One full-text match: the article and a snippet with the matched words marked ``[like this]``."""

    article_id: str
    title: str | None
    source: str | None
    published: str | None
    snippet: str


@dataclass(frozen=True)
class Feed:
    """One feed subscription and its schedule (times are UTC ISO 8601; ``next_fetch`` "" means due now)."""

    id: int
    url: str
    title: str | None
    added: str
    last_fetch: str | None = None
    last_status: int | None = None
    next_fetch: str = ""
    etag: str | None = None
    last_modified: str | None = None
    entries_seen: int = 0
    errors: int = 0
    last_error: str | None = None
    interval_seconds: int = 3600
    gone: bool = False

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class SeenEntry:
    """What a feed's entry was when last read: its ``updated`` value and the hash of its title and text."""

    updated: str | None
    content_sha256: str


@dataclass(frozen=True)
class AddResult:
    """What storing one article did: ``new`` is False when the same content was already stored."""

    article_id: str
    new: bool


class Store(ABC):
    """Articles and what later stages derive from them, behind one interface.

    Writes are atomic per call, and :meth:`transaction` groups several calls into one unit: the
    pipeline stores an article together with its relations and index keys, so an interrupted
    ingest loses nothing already stored and can be re-run.
    """

    url: str

    @abstractmethod
    def transaction(self) -> AbstractContextManager[None]:
        """A unit of writes; nested calls join the outer one."""

    # articles
    @abstractmethod
    def add_article(self, article: Article) -> AddResult:
        """Store ``article`` (or, if its id is stored, record only the new location)."""

    @abstractmethod
    def get_article(self, ref: str) -> Article:
        """The article whose id is ``ref`` or starts with it; raises NotFoundError."""

    @abstractmethod
    def get_articles(self, ids: Iterable[str]) -> list[Article]:
        """The stored articles among ``ids``, in the order given."""

    @abstractmethod
    def arrival_order(self, ids: Iterable[str]) -> dict[str, int]:
        """The arrival number of each stored article among ``ids`` (smaller arrived earlier)."""

    @abstractmethod
    def list_articles(self, *, limit: int | None = None, offset: int = 0) -> list[Article]:
        """Articles in arrival order."""

    @abstractmethod
    def count_articles(self) -> int: ...

    @abstractmethod
    def article_locations(self, article_id: str) -> list[tuple[str, str]]:
        """Every ``(location, raw_sha256)`` the article was read from, first seen first."""

    @abstractmethod
    def search_articles(self, query: str, *, limit: int = 20) -> list[SearchHit]:
        """Full-text search over titles and bodies; every word of ``query`` must match."""

    # relations and families
    @abstractmethod
    def add_relation(self, relation: Relation) -> None: ...

    @abstractmethod
    def relations(self, article_id: str | None = None) -> list[Relation]:
        """Relations touching ``article_id`` (all relations when None), oldest first."""

    @abstractmethod
    def set_family(self, members: Iterable[FamilyMember]) -> None: ...

    @abstractmethod
    def family_of(self, article_id: str) -> FamilyMember | None: ...

    @abstractmethod
    def family_members(self, family_id: str) -> list[FamilyMember]:
        """The members of a family in arrival order."""

    @abstractmethod
    def families(self, article_ids: Iterable[str]) -> dict[str, FamilyMember]: ...

    @abstractmethod
    def reset_relations(self) -> None:
        """Forget every relation, family and index key (before relating everything again)."""

    # the similarity index
    @abstractmethod
    def add_index_keys(self, article_id: str, keys: Iterable[tuple[int, int]], *, bucket_cap: int) -> None:
        """Index ``(band key, sentence number)`` pairs of an article (negative: the whole text)."""

    @abstractmethod
    def index_matches(self, keys: Iterable[int], *, bucket_cap: int) -> list[tuple[int, str, int]]:
        """Indexed ``(key, article id, sentence)`` rows sharing one of ``keys``."""

    @abstractmethod
    def add_sketch(self, article_id: str, sketch: bytes) -> None:
        """Keep a compact summary of an article for cheap comparisons (see ``relate.index.Sketch``)."""

    @abstractmethod
    def sketches(self, article_ids: Iterable[str]) -> dict[str, bytes]: ...

    # sentences repeated across articles (see ``relate.repeats``)
    @abstractmethod
    def add_repeat_keys(self, article_id: str, keys: Iterable[int], *, cap: int) -> None:
        """Count an article's sentence keys; a key stops counting new articles once it has ``cap``."""

    @abstractmethod
    def repeated_keys(
        self, keys: Iterable[int], *, families: int, stories: int, span_days: float | None = None
    ) -> set[int]:
        """Those of ``keys`` that occur in at least ``families`` families, of at least ``stories`` stories or
        (with ``span_days``) published over at least that many days."""

    @abstractmethod
    def has_repeat_keys(self) -> bool:
        """Whether any sentence key is counted (a store made before they were is counted on its next ingest)."""

    # stories
    @abstractmethod
    def save_story(self, story: Story, state: bytes) -> int:
        """Create or update a story with its grouping state (its centroid); returns the state's :func:`state_tag`."""

    @abstractmethod
    def story_states(self, ids: Iterable[str]) -> dict[str, tuple[Story, bytes]]: ...

    @abstractmethod
    def story_centroids(self, ids: Iterable[str]) -> dict[str, tuple[int, bytes]]:
        """The grouping state of each story, with its :func:`state_tag`."""

    @abstractmethod
    def story_heads(self, ids: Iterable[str]) -> dict[str, tuple[Story, int]]:
        """Stories without their grouping state, each with its state's tag (0 when saved by an older version)."""

    @abstractmethod
    def get_story(self, ref: str) -> Story:
        """The story whose id is ``ref`` or starts with it (following merges); raises NotFoundError."""

    @abstractmethod
    def list_stories(self, *, limit: int | None = None, offset: int = 0) -> list[Story]:
        """Stories (not merged away), most recently updated first."""

    @abstractmethod
    def count_stories(self) -> int: ...

    @abstractmethod
    def latest_publication(self) -> str:
        """The sort key of the newest publication date in the store ("" when nothing is dated)."""

    @abstractmethod
    def set_story_member(self, member: StoryMember) -> None: ...

    @abstractmethod
    def move_story_members(self, source: str, target: str) -> None:
        """Move every article (and candidate posting) of story ``source`` into ``target``."""

    @abstractmethod
    def story_members(self, story_id: str) -> list[StoryMember]:
        """A story's articles in arrival order."""

    @abstractmethod
    def stories_of(self, article_ids: Iterable[str]) -> dict[str, str]: ...

    @abstractmethod
    def add_story_event(self, event: StoryEvent) -> None: ...

    @abstractmethod
    def story_events(self, story_id: str) -> list[StoryEvent]: ...

    @abstractmethod
    def add_story_postings(self, story_id: str, keys: Iterable[int], posted: int, *, refresh_after: int = 0) -> None:
        """Post a story under candidate keys; ``posted`` (a number that grows with time) orders the postings.

        A posting already there moves up to ``posted`` only when it is more than ``refresh_after`` older.
        """

    @abstractmethod
    def find_stories(self, keys: Iterable[int], *, posting_cap: int, limit: int) -> list[tuple[str, int]]:
        """The ``limit`` stories sharing the most ``keys``, counting only each key's ``posting_cap`` latest postings."""

    @abstractmethod
    def feature_counts(self, keys: Iterable[int]) -> dict[int, int]:
        """How many articles have each feature, as folded in from the feature journal so far."""

    @abstractmethod
    def add_feature_journal(self, article_id: str, keys: bytes) -> int:
        """Journal the feature keys (packed little-endian int64) of a newly grouped article; the row's number.

        Row numbers only grow, even after rows are folded away (see ``newsdesk.group.frequencies``).
        """

    @abstractmethod
    def feature_journal_head(self) -> tuple[int, str] | None:
        """The number and article id of the newest journal row (None when the journal is empty)."""

    @abstractmethod
    def feature_journal(self) -> list[tuple[int, str, bytes]]:
        """Every journal row: ``(number, article id, packed keys)``, oldest first."""

    @abstractmethod
    def fold_feature_journal(self, counts: Iterable[tuple[int, int]], rows: Iterable[int]) -> None:
        """Add ``(key, count)`` pairs to the feature counts and drop the journal rows numbered ``rows``."""

    # storylines (see ``group.storylines``)
    @abstractmethod
    def save_storyline(self, line: Storyline, state: bytes) -> None: ...

    @abstractmethod
    def storyline_states(self, ids: Iterable[str]) -> dict[str, tuple[Storyline, bytes]]: ...

    @abstractmethod
    def get_storyline(self, ref: str) -> Storyline:
        """The storyline ``ref`` (an id or a unique prefix), following merges."""

    @abstractmethod
    def list_storylines(self, *, limit: int | None = None, offset: int = 0, min_stories: int = 1) -> list[Storyline]:
        """Storylines of at least ``min_stories`` stories, most recently updated first."""

    @abstractmethod
    def count_storylines(self, *, min_stories: int = 1) -> int: ...

    @abstractmethod
    def set_story_storyline(self, story_id: str, storyline_id: str, similarity: float, how: str, at: str) -> None: ...

    @abstractmethod
    def storylines_of(self, story_ids: Iterable[str]) -> dict[str, str]: ...

    @abstractmethod
    def storyline_stories(self, storyline_id: str) -> list[Story]:
        """The storyline's current stories, most recently updated first."""

    @abstractmethod
    def move_storyline_stories(self, source: str, target: str) -> None: ...

    @abstractmethod
    def add_storyline_postings(
        self, storyline_id: str, keys: Iterable[int], posted: int, *, refresh_after: int = 0
    ) -> None: ...

    @abstractmethod
    def find_storylines(self, keys: Iterable[int], *, posting_cap: int, limit: int) -> list[tuple[str, int]]: ...

    @abstractmethod
    def reset_stories(self) -> None:
        """Forget every story and storyline (before grouping everything again)."""

    # feed subscriptions (newsdesk watch)
    @abstractmethod
    def add_feed(self, url: str, *, title: str | None = None) -> tuple[Feed, bool]:
        """Subscribe to ``url`` (due at once); the subscription, and whether it is new."""

    @abstractmethod
    def get_feed(self, feed_id: int) -> Feed:
        """The subscription ``feed_id``; :class:`NotFoundError` when there is none."""

    @abstractmethod
    def list_feeds(self) -> list[Feed]:
        """Every subscription, in the order they were added."""

    @abstractmethod
    def due_feeds(self, now: str) -> list[Feed]:
        """The subscriptions not gone whose next fetch is at or before ``now``, most overdue first."""

    @abstractmethod
    def save_feed(self, feed: Feed) -> None:
        """Write every field of ``feed`` over its stored row (found by id)."""

    @abstractmethod
    def remove_feed(self, feed_id: int) -> None:
        """Unsubscribe, forgetting its seen entries (the articles read from it stay)."""

    @abstractmethod
    def seen_entries(self, feed_id: int, entries: Iterable[str]) -> dict[str, SeenEntry]:
        """Of ``entries`` (identities), those already read from the feed, and what they were then."""

    @abstractmethod
    def mark_entry_seen(
        self, feed_id: int, entry: str, updated: str | None, content_sha256: str, article_id: str | None
    ) -> None:
        """Record that ``entry`` was read (call it in the article's own transaction)."""

    @abstractmethod
    def count_feed_entries(self, feed_id: int) -> int: ...

    @abstractmethod
    def prune_feed_entries(self, feed_id: int, listed: Iterable[str], now: str, before: str) -> int:
        """Record that the feed lists ``listed`` at ``now``, and forget its other entries last listed
        before ``before``; how many were forgotten."""

    # leases (one `newsdesk watch` at a time)
    @abstractmethod
    def take_lease(self, name: str, owner: str, until: str, now: str, *, replacing: str | None = None) -> bool:
        """Hold lease ``name`` for ``owner`` until ``until``, atomically: taken when it is free, already
        ``owner``'s (renewed), expired at ``now``, or held by ``replacing`` (a holder known to be dead)."""

    @abstractmethod
    def lease_holder(self, name: str) -> tuple[str, str] | None:
        """Who holds lease ``name`` and until when, expired or not; None when nobody does."""

    @abstractmethod
    def release_lease(self, name: str, owner: str) -> None:
        """Give lease ``name`` up, if ``owner`` holds it."""

    # store-wide values
    @abstractmethod
    def get_meta(self, key: str) -> str | None: ...

    @abstractmethod
    def set_meta(self, key: str, value: str) -> None: ...

    @abstractmethod
    def schema_version(self) -> int: ...

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def state_tag(state: bytes) -> int:
    """A 64-bit hash of a story's grouping state: equal tags, equal states (to cache what was read before)."""
    return int.from_bytes(hashlib.blake2b(state, digest_size=8).digest(), "big", signed=True) or 1


def fold(text: str) -> str:
    """Lower case without diacritics, one character for one ("Café" → "cafe"), so offsets still fit."""
    return text.lower() if text.isascii() else text.translate(_FOLDING)


def _fold_char(char: str) -> str:
    if char.isascii():
        return char.lower()
    base = [c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)]
    return (base[0].lower()[:1] or base[0]) if len(base) == 1 else char.lower()[:1] or char


class _Folding(dict[int, str]):
    """``str.translate`` table of ``_fold_char``, filled as characters are met."""

    def __missing__(self, code: int) -> str:
        self[code] = folded = _fold_char(chr(code))
        return folded


_FOLDING = _Folding()


_WORD = re.compile(r"\w+")


def query_terms(query: str) -> list[str]:
    """The words of a user's search, folded, safe to hand to any full-text engine."""
    return re.findall(r"\w+", fold(query))[:20]


def snippet(text: str, terms: list[str], *, words: int = 24) -> str:
    """About ``words`` words of ``text`` around the first match, matched words marked ``[like this]``.

    Only the stretch around the first match is split into words: search results show long articles.
    """
    flat = " ".join(text.split())
    if not flat:
        return ""
    folded = fold(flat)  # folding keeps offsets: positions in ``folded`` are positions in ``flat``
    wanted = set(terms)
    hit = _terms_pattern(frozenset(wanted)).search(folded) if wanted else None
    centre = hit.start() if hit else 0
    reach = 40 * words  # characters: more than ``words`` words on either side
    low = 0 if centre <= reach else flat.rfind(" ", 0, centre - reach) + 1
    high = flat.find(" ", centre + reach)
    high = len(flat) if high < 0 else high
    tokens = list(_WORD.finditer(folded, low, high))
    if not tokens:
        return ""
    first = next((i for i, token in enumerate(tokens) if token.start() == centre), 0)
    start = max(0, first - words // 3)
    end = min(len(tokens), start + words)
    start = max(0, end - words)
    before = start > 0 or low > 0
    after = end < len(tokens) or high < len(flat)
    begin = tokens[start].start() if before else 0
    stop = tokens[end - 1].end() if after else len(flat)
    out: list[str] = ["…" if before else ""]
    position = begin
    for token in tokens[start:end]:
        if token.group() in wanted:
            out.append(flat[position : token.start()] + "[" + flat[token.start() : token.end()] + "]")
            position = token.end()
    out.append(flat[position:stop])
    if after:
        out.append("…")
    return "".join(out)


@functools.lru_cache(maxsize=256)
def _terms_pattern(terms: frozenset[str]) -> re.Pattern[str]:
    """Any of the folded ``terms`` as a whole word."""
    return re.compile(r"\b(?:" + "|".join(re.escape(t) for t in sorted(terms, key=lambda t: (-len(t), t))) + r")\b")
