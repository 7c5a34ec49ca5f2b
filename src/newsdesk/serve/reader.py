"""The web app's read side: one read-only store connection per worker thread, and caches tied to the store's state.

Writing a story page reads all its articles, so the app keeps written pages and rendered responses
in memory. Rendered responses are keyed by the store's *generation*, a digest of a few cheap counts
(articles, stories, the newest publication, the most recently updated story, the latest feed
poll) that changes whenever
an ingest adds anything; written story pages by their story's update time and article count, so an
ingest only costs the pages of the stories it changed. The generation is re-read at most once every
``refresh_seconds``, so a page is at most that much older than the store, and an ingest running
beside the server never blocks it (SQLite readers in WAL mode do not wait for the writer).

Known limit: ``newsdesk relate --rebuild`` or ``group --rebuild`` on an unchanged set of articles can
leave the counts equal; restart the server after a rebuild.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar, cast

from newsdesk.records import Storyline, StorylinePage, StoryPage
from newsdesk.serve.catalog import Catalog
from newsdesk.serve.views import (
    ArticleView,
    FeedsStatus,
    SearchView,
    SourceView,
    StoryFilters,
    StorylineContext,
    StorylineListing,
    StoryListing,
    StoryUpdate,
    article_view,
    feeds_status,
    search_view,
    source_view,
    story_listing,
    story_updates,
    storyline_context,
    storyline_listing,
)
from newsdesk.store import Store
from newsdesk.write import write_story

log = logging.getLogger("newsdesk.serve")

StoryWriter = Callable[[Store, str], StoryPage]
T = TypeVar("T")


@dataclass(frozen=True)
class CachedBody:
    body: bytes
    media_type: str
    etag: str


class LRU:
    """A small thread-safe least-recently-used map, bounded by entries and by the bytes of its values."""

    def __init__(self, max_entries: int, max_bytes: int | None = None) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._items: OrderedDict[object, tuple[object, int]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: object) -> object | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            self._items.move_to_end(key)
            return item[0]

    def put(self, key: object, value: object, size: int = 0) -> None:
        if self.max_bytes is not None and size > self.max_bytes // 4:
            return  # one huge value would evict everything else
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._items[key] = (value, size)
            self._bytes += size
            while len(self._items) > self.max_entries or (self.max_bytes is not None and self._bytes > self.max_bytes):
                _, (_, dropped) = self._items.popitem(last=False)
                self._bytes -= dropped

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._items)


class SingleFlight:
    """Runs one computation per key at a time: threads asking for a key being computed wait for its result.

    Sixteen readers opening the same cold story page must not write it sixteen times over.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._calls: dict[object, _Call] = {}

    def run(self, key: object, compute: Callable[[], T]) -> T:
        with self._lock:
            call = self._calls.get(key)
            leader = call is None
            if call is None:
                call = self._calls[key] = _Call()
        if not leader:
            call.done.wait()
            if call.error is not None:
                raise call.error
            return cast(T, call.value)
        try:
            value = compute()
            call.value = value
            return value
        except BaseException as exc:
            call.error = exc
            raise
        finally:
            with self._lock:
                del self._calls[key]
            call.done.set()


class _Call:
    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: object = None
        self.error: BaseException | None = None


class Reader:
    """Read-only access to one store for many threads, with the caches of written pages and responses."""

    def __init__(
        self,
        open_store: Callable[[], Store],
        *,
        writer: StoryWriter = write_story,
        refresh_seconds: float = 1.0,
        page_entries: int = 4096,
        response_entries: int = 2048,
        response_bytes: int = 128_000_000,
    ) -> None:
        self._open = open_store
        self._writer = writer
        self.refresh_seconds = refresh_seconds
        self._local = threading.local()
        self._opened: list[Store] = []
        self._lock = threading.Lock()
        self._generation = ""
        self._latest_day = ""
        self._checked_at = float("-inf")
        self._catalog: tuple[str, Catalog] | None = None
        self._catalog_lock = threading.Lock()
        self.pages = LRU(page_entries)
        self._flights = SingleFlight()
        self.responses = LRU(response_entries, response_bytes)

    # -- connections and the store's generation ------------------------------------------------------

    def store(self) -> Store:
        """This thread's read-only store (opened on first use)."""
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            store = self._open()
            self._local.store = store
            with self._lock:
                self._opened.append(store)
        return store

    def generation(self) -> str:
        """A short tag of the store's current state; it changes when anything is ingested."""
        now = time.monotonic()
        if now - self._checked_at < self.refresh_seconds:
            return self._generation
        store = self.store()
        top = store.list_stories(limit=1)
        feeds = store.list_feeds()
        state = (
            store.count_articles(),
            store.count_stories(),
            store.latest_publication(),
            (top[0].id, top[0].updated, top[0].article_count) if top else None,
            (len(feeds), max((f.last_fetch or "" for f in feeds), default="")),  # a poll, even a 304
        )
        tag = hashlib.sha1(repr(state).encode("utf-8")).hexdigest()[:12]
        with self._lock:
            if tag != self._generation:
                self._generation = tag
                self._latest_day = state[2][:10]
                self.responses.clear()
            self._checked_at = now
        return tag

    def close(self) -> None:
        with self._lock:
            opened, self._opened = self._opened, []
        for store in opened:
            store.close()

    # -- views -----------------------------------------------------------------------------------------

    def story_page(self, ref: str) -> StoryPage:
        """The written page of story ``ref`` (an id or a unique prefix; merged ids lead to the survivor)."""
        self.generation()
        story = self.store().get_story(ref)
        # A page changes when its story does (a new article: another count and update time), and its
        # live/dormant status with the day of the store's newest article; an ingest elsewhere leaves it be.
        key = (story.id, story.updated, story.article_count, self._latest_day)
        story_id = story.id
        page = self.pages.get(key)
        if isinstance(page, StoryPage):
            return page

        def write() -> StoryPage:
            written = self._writer(self.store(), story_id)
            self.pages.put(key, written)
            return written

        return self._flights.run(("page", key), write)

    def storylines(self, *, offset: int, limit: int) -> tuple[list[Storyline], int]:
        """One page of the storylines of two or more stories, most recently updated first, and their number."""
        self.generation()
        store = self.store()
        return store.list_storylines(limit=limit, offset=offset, min_stories=2), store.count_storylines(min_stories=2)

    def storyline_page(self, ref: str) -> StorylinePage:
        """The page of storyline ``ref`` (an id or a unique prefix; merged ids lead to the survivor)."""
        from newsdesk.write.storyline import write_storyline

        self.generation()
        return write_storyline(self.store(), ref)

    def storyline_listing(self, *, offset: int, limit: int) -> StorylineListing:
        return storyline_listing(self.store(), self.catalog(), offset=offset, limit=limit)

    def storyline_context(self, story_ref: str) -> StorylineContext | None:
        """The storyline a story belongs to and its other stories (None when it has no others)."""
        self.generation()
        return storyline_context(self.store(), self.store().get_story(story_ref).id)

    def catalog(self) -> Catalog:
        """The catalogue of the current generation, built (incrementally) on first use."""
        generation = self.generation()
        with self._catalog_lock:
            if self._catalog is None or self._catalog[0] != generation:
                previous = self._catalog[1] if self._catalog else None
                self._catalog = (generation, Catalog.build(self.store(), previous))
            return self._catalog[1]

    def listing(self, *, offset: int, limit: int, filters: StoryFilters) -> StoryListing:
        listing = story_listing(
            self.store(), self.story_page, self.catalog, offset=offset, limit=limit, filters=filters
        )
        outlets = tuple(self.catalog().outlets()[:200])
        return StoryListing(listing.pages, listing.total, offset, limit, filters, outlets, listing.entries)

    def feeds(self) -> FeedsStatus:
        """The followed feeds and who polls them, read now (not cached)."""
        return feeds_status(self.store())

    def article(self, ref: str) -> ArticleView:
        return article_view(self.store(), self.story_page, ref)

    def search(self, query: str, *, limit: int = 20) -> SearchView:
        return search_view(self.store(), self.catalog, query, limit=limit)

    def source(self, name: str) -> SourceView:
        return source_view(self.store(), self.catalog(), name)

    def updates(self, story_ref: str) -> tuple[StoryPage, list[StoryUpdate]]:
        page = self.story_page(story_ref)
        return page, story_updates(self.store(), page)

    # -- rendered responses ------------------------------------------------------------------------------

    def cached_response(self, key: str) -> CachedBody | None:
        """The cached body for ``key`` if the generation is fresh (no store access at all), else None."""
        if time.monotonic() - self._checked_at >= self.refresh_seconds:
            return None
        cached = self.responses.get((key, self._generation))
        return cached if isinstance(cached, CachedBody) else None

    def response(self, key: str, media_type: str, render: Callable[[], str | bytes]) -> CachedBody:
        """The body for ``key`` (a request's path and query) in this generation, rendered once."""
        full_key = (key, self.generation())
        cached = self.responses.get(full_key)
        if isinstance(cached, CachedBody):
            return cached

        def build() -> CachedBody:
            rendered = render()
            body = rendered.encode("utf-8") if isinstance(rendered, str) else rendered
            entry = CachedBody(body, media_type, '"' + hashlib.sha1(body).hexdigest()[:20] + '"')
            self.responses.put(full_key, entry, len(body))
            return entry

        return self._flights.run(("response", full_key), build)

    # -- writing the newest stories ahead of readers --------------------------------------------------------

    def warm(self, count: int, stop: threading.Event) -> None:
        """Write the ``count`` most recently updated stories' pages, again whenever the store changes.

        Runs in a background thread of the app, so the first reader of a fresh story rarely waits
        for its page to be written; a reader asking for a page being written waits for that work.
        """
        warmed = ""
        while not stop.is_set():
            try:
                generation = self.generation()
                if generation != warmed:
                    for story in self.store().list_stories(limit=count):
                        if stop.is_set():
                            return
                        self.story_page(story.id)  # a cache hit unless the story changed
                    warmed = generation
            except Exception:  # a failure here must not stop the server; readers will see it themselves
                log.exception("writing story pages ahead of readers failed")
                stop.wait(30)
            stop.wait(max(self.refresh_seconds, 0.5))
