"""Following feeds: poll each subscription when it is due and ingest its new or changed entries.

One poll is a conditional GET (``If-None-Match`` from the stored ETag, ``If-Modified-Since`` from the
stored Last-Modified) under the fetcher's address rules, redirects included. What the answer means:

- 304: nothing is fetched; the feed is due again after its interval.
- 200: the feed is parsed; entries not seen before, or changed since (their ``updated`` value or the
  hash of their title and text differ), go through the one ingest path (:func:`ingest_documents`),
  each article in its own transaction together with the record that its entry was read. Entries
  already read are not fetched again.
- 429 or 503 with ``Retry-After``: due again after it. Other failures (5xx, 4xx, no answer, not a
  feed): exponential back-off on the count of consecutive errors.
- 301 or 308 (an unbroken run of them from the subscribed URL): the subscription takes the new URL.
- 410: the feed is gone and no longer polled.

The interval adapts: 60 minutes at first, halved after a poll that found new entries, half as long
again after one that found none, within [15 minutes, 24 hours] and never sooner than the feed's
``<ttl>`` or the answer's freshness allows (``Cache-Control: max-age``, else ``Expires`` against the
answer's ``Date``). Every next fetch time gets a small random delay on top (up to a tenth of the wait,
at most :data:`MAX_JITTER` seconds, never earlier), so feeds added together, or of one host, spread out
instead of coming due at the same second; tests pass a seeded :class:`random.Random`.

The record of entries read (``feed_entries``) is pruned after each 200: an entry the feed still lists
is kept, and so is one it listed in the last :data:`KEEP_DAYS` days, so a feed that drops an item and
lists it again later does not have it read again; older ones are forgotten, so the table does not
grow forever.

One watcher at a time follows a store: it holds the store's ``watch`` lease (a row in ``leases``),
renews it before every feed and while it sleeps, and gives it up when it stops. A second watcher
waits for the lease or is refused (:class:`WatcherBusy`). A watcher that died (SIGKILL, a crash)
blocks nobody for long: its lease runs out after :data:`LEASE_SECONDS`, and on the same host a
lease whose process no longer exists is taken over at once. A watcher that finds its lease taken
(it was away longer than the lease) stops before its next feed.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import os
import random
import re
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from newsdesk.errors import FeedError, FetchError, NewsdeskError
from newsdesk.pipeline import ingest_documents
from newsdesk.records import Article
from newsdesk.settings import Settings
from newsdesk.sources import Notify, fetch_document
from newsdesk.sources.feeds import entry_documents, entry_identity, parse_feed
from newsdesk.sources.fetch import Fetcher, PollResult
from newsdesk.store import AddResult, Feed, SeenEntry, Store, open_store

__all__ = [
    "DEFAULT_INTERVAL",
    "JITTER_FRACTION",
    "KEEP_DAYS",
    "LEASE_SECONDS",
    "MAX_INTERVAL",
    "MAX_JITTER",
    "MIN_INTERVAL",
    "BackgroundWatch",
    "Lease",
    "PollOutcome",
    "WatcherBusy",
    "next_due",
    "poll_feed",
    "watch",
    "watch_once",
    "watcher_of",
]

log = logging.getLogger(__name__)

DEFAULT_INTERVAL = 3600
MIN_INTERVAL = 15 * 60
MAX_INTERVAL = 24 * 3600
MAX_RETRY_AFTER = 7 * 24 * 3600  # a Retry-After further off than a week is taken as a week
JITTER_FRACTION = 0.1  # the random delay added to a next fetch time is at most this share of the wait
MAX_JITTER = 600  # ... and at most this many seconds
KEEP_DAYS = 90  # entries a feed no longer lists are remembered this long after it last listed them
LEASE = "watch"  # the name of the lease one watcher holds
LEASE_SECONDS = 600  # a watcher renews its lease at least every third of this
_RANDOM = random.Random()
_MAX_AGE = re.compile(r"(?:^|[,\s])max-age\s*=\s*\"?(\d+)", re.IGNORECASE)


@dataclass(frozen=True)
class PollOutcome:
    """What one poll of one feed did; ``feed`` is the subscription as saved afterwards."""

    feed: Feed
    status: int | None
    entries: int = 0  # entries in the feed (a 200)
    read: int = 0  # entries new or changed, read through the ingest path
    new_articles: int = 0
    failed: int = 0  # entries that gave no article
    problem: str | None = None  # why the poll failed, if it did

    @property
    def ok(self) -> bool:
        return self.problem is None

    def record(self, now: dt.datetime) -> dict[str, object]:
        """This poll as one structured log record (``newsdesk watch --log-format json``)."""
        return {
            "time": now.isoformat(timespec="seconds"),
            "feed": self.feed.id,
            "url": self.feed.url,
            "status": self.status,
            "ok": self.ok,
            "not_modified": self.status == 304,
            "entries": self.entries,
            "read": self.read,
            "new_articles": self.new_articles,
            "failed": self.failed,
            "problem": self.problem,
            "errors_in_a_row": self.feed.errors,
            "gone": self.feed.gone,
            "next_fetch": None if self.feed.gone else self.feed.next_fetch or None,
            "next_fetch_seconds": None if self.feed.gone else round(_seconds_until(self.feed.next_fetch, now)),
        }

    def line(self, now: dt.datetime) -> str:
        """The one log line of this poll."""
        head = f"feed {self.feed.id} {self.feed.url}: "
        status = f"HTTP {self.status}" if self.status is not None else "no answer"
        if self.feed.gone:
            return head + f"{status}, gone: no longer polled"
        if self.problem is not None:
            what = f"{self.problem} (error {self.feed.errors} in a row)"
        elif self.status == 304:
            what = f"{status} not modified"
        else:
            what = (
                f"{status}, {self.entries} entries, {self.read} new or changed read "
                f"({self.new_articles} new articles, {self.failed} failed)"
            )
        return head + f"{what}; next fetch in {_duration(_seconds_until(self.feed.next_fetch, now))}"


def poll_feed(
    feed: Feed,
    store: Store,
    settings: Settings,
    fetcher: Fetcher,
    *,
    now: dt.datetime | None = None,
    notify: Notify | None = None,
    rng: random.Random | None = None,
    keep_days: int = KEEP_DAYS,
    lease: Lease | None = None,
) -> PollOutcome:
    """Poll ``feed`` once, ingest what is new in it, and save its new schedule (``rng`` draws the jitter;
    entries not listed for ``keep_days`` are forgotten; ``lease`` is kept fresh while entries are read)."""
    now = now or _utcnow()
    rng = rng or _RANDOM
    try:
        answer = fetcher.poll(feed.url, etag=feed.etag, last_modified=feed.last_modified)
    except FetchError as exc:
        return _save(store, _failed(feed, None, exc.problem, now, rng), now, problem=exc.problem)
    feed = _moved(store, feed, answer)
    status = answer.status
    stamped = replace(feed, last_fetch=_iso(now), last_status=status)
    if status == 304:
        interval = _interval(feed, found_new=False, floor=_fresh_for(answer, now))
        kept = replace(
            stamped,
            etag=answer.headers.get("etag") or feed.etag,
            last_modified=answer.headers.get("last-modified") or feed.last_modified,
            errors=0,
            last_error=None,
            interval_seconds=interval,
            next_fetch=_later(now, interval, rng),
        )
        return _save(store, kept, now, status=status)
    if status == 200:
        return _read(stamped, answer, store, settings, fetcher, now, notify, rng, keep_days, lease)
    if status == 410:
        gone = replace(stamped, gone=True, last_error="HTTP 410: the feed is gone", next_fetch="")
        return _save(store, gone, now, status=status, problem="HTTP 410: the feed is gone")
    problem = f"HTTP {status}"
    if status in (429, 503):
        wait = _retry_after(answer.headers.get("retry-after"), now)
        if wait is not None:
            later = replace(
                stamped,
                errors=feed.errors + 1,
                last_error=f"{problem}, Retry-After {wait} s",
                next_fetch=_later(now, wait, rng),
            )
            return _save(store, later, now, status=status, problem=f"{problem}, retry after {wait} s")
    return _save(store, _failed(stamped, status, problem, now, rng), now, status=status, problem=problem)


def watch_once(
    store: Store,
    settings: Settings,
    *,
    fetcher: Fetcher | None = None,
    feeds: list[Feed] | None = None,
    on_poll: Callable[[PollOutcome], None] | None = None,
    notify: Notify | None = None,
    stop: Callable[[], bool] | None = None,
    rng: random.Random | None = None,
    lease: Lease | None = None,
) -> list[PollOutcome]:
    """One pass: poll every due feed (or ``feeds``), stopping between feeds once ``stop()`` is true,
    or once ``lease`` (renewed before each feed) turns out to be another watcher's."""
    own = fetcher is None
    fetcher = fetcher or Fetcher(settings)
    outcomes: list[PollOutcome] = []
    try:
        for feed in store.due_feeds(_iso(_utcnow())) if feeds is None else feeds:
            if stop is not None and stop():
                break
            if lease is not None and not lease.take():
                log.warning("the watch lease is held by %s: this watcher stops", lease.holder())
                break
            outcome = poll_feed(feed, store, settings, fetcher, notify=notify, rng=rng, lease=lease)
            log.info("%s", outcome.line(_utcnow()))
            outcomes.append(outcome)
            if on_poll is not None:
                on_poll(outcome)
    finally:
        if own:
            fetcher.close()
    return outcomes


def watch(
    store: Store,
    settings: Settings,
    stop: threading.Event,
    *,
    fetcher: Fetcher | None = None,
    on_poll: Callable[[PollOutcome], None] | None = None,
    notify: Notify | None = None,
    max_sleep: float = 300.0,
    rng: random.Random | None = None,
    lease: Lease | None = None,
) -> None:
    """Poll due feeds until ``stop`` is set, sleeping until the next one is due (at most ``max_sleep``
    seconds, so feeds added meanwhile are noticed). A set ``stop`` ends the loop after the current feed.

    With ``lease`` (taken already), the loop renews it before each feed and at least every third of
    its length while asleep, and ends when another watcher has it."""
    own = fetcher is None
    fetcher = fetcher or Fetcher(settings)
    if lease is not None:
        max_sleep = min(max_sleep, lease.seconds / 3)
    try:
        while not stop.is_set():
            if lease is not None and not lease.take():
                log.warning("the watch lease is held by %s: this watcher stops", lease.holder())
                break
            watch_once(
                store, settings, fetcher=fetcher, on_poll=on_poll, notify=notify, stop=stop.is_set, rng=rng, lease=lease
            )
            due = next_due(store)
            wait = max_sleep if due is None else (due - _utcnow()).total_seconds()
            stop.wait(min(max(wait, 1.0), max_sleep))
    finally:
        if own:
            fetcher.close()


class BackgroundWatch:
    """The poller on a thread of its own, beside a web app (``newsdesk serve --watch``).

    The thread opens its own store connection, waits for the watch lease if another watcher holds it,
    then follows the feeds like ``newsdesk watch`` until :meth:`stop`, which lets the feed in flight
    finish (each article is its own transaction) and gives the lease up."""

    def __init__(
        self,
        db_url: str,
        settings: Settings,
        *,
        retry: float = 5.0,
        max_sleep: float = 300.0,
        on_poll: Callable[[PollOutcome], None] | None = None,
    ) -> None:
        self.db_url = db_url
        self.settings = settings
        self.retry = retry
        self.max_sleep = max_sleep
        self.on_poll = on_poll
        self.polls = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="newsdesk-watch", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 60.0) -> bool:
        """Ask the poller to stop and wait for it (at most ``timeout`` seconds); whether it stopped."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)
        return not self._thread.is_alive()

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def _polled(self, outcome: PollOutcome) -> None:
        self.polls += 1
        if self.on_poll is not None:
            self.on_poll(outcome)

    def _run(self) -> None:
        try:
            with open_store(self.db_url) as store:
                lease = Lease(store)
                try:
                    if not lease.take():
                        log.warning("waiting for the other watcher (%s) to stop", lease.holder())
                        if not lease.acquire(wait=True, stop=self._stop, retry=self.retry):
                            return
                    watch(store, self.settings, self._stop, on_poll=self._polled, max_sleep=self.max_sleep, lease=lease)
                finally:
                    lease.release()
        except Exception:  # the web app goes on serving; the log says why its feeds are no longer followed
            log.exception("the feed watcher stopped")


def next_due(store: Store) -> dt.datetime | None:
    """When the next feed not gone is due (now, if one has never been fetched); None without feeds."""
    times = [f.next_fetch for f in store.list_feeds() if not f.gone]
    if not times:
        return None
    first = min(times)
    return _utcnow() if not first else dt.datetime.fromisoformat(first)


# -- one watcher at a time ------------------------------------------------------------------------


class WatcherBusy(NewsdeskError):
    """Another watcher holds the store's lease."""

    def __init__(self, holder: str, until: str) -> None:
        self.holder = holder
        self.until = until
        super().__init__(
            f"another `newsdesk watch` ({_who(holder)}) is following this store's feeds (its lease runs to "
            f"{until}): stop it, or run `newsdesk watch --wait` to take over when it stops"
        )


class Lease:
    """This process's claim to be the store's one watcher (see the module notes)."""

    def __init__(self, store: Store, *, seconds: int = LEASE_SECONDS, owner: str | None = None) -> None:
        self.store = store
        self.seconds = seconds
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.held = False
        self._renewed = float("-inf")

    def keep(self) -> None:
        """Renew the lease if a third of it has passed since it was last taken (cheap to call often)."""
        if time.monotonic() - self._renewed >= self.seconds / 3 and not self.take():
            log.warning("the watch lease was taken by %s while this watcher read a feed", self.holder())

    def take(self) -> bool:
        """Take or renew the lease; False when another live watcher holds it."""
        self._renewed = time.monotonic()
        now = _utcnow()
        holder = self.store.lease_holder(LEASE)
        stale = holder[0] if holder is not None and holder[0] != self.owner and _dead(holder[0]) else None
        self.held = self.store.take_lease(
            LEASE, self.owner, _iso(now + dt.timedelta(seconds=self.seconds)), _iso(now), replacing=stale
        )
        return self.held

    def acquire(self, *, wait: bool = False, stop: threading.Event | None = None, retry: float = 5.0) -> bool:
        """Take the lease: at once or :class:`WatcherBusy` (``wait`` False), or once it is free, checking
        every ``retry`` seconds (False if ``stop`` is set first)."""
        while not self.take():
            holder = self.store.lease_holder(LEASE)
            if not wait:
                raise WatcherBusy(*(holder or ("?", "?")))
            if stop is None:
                time.sleep(retry)
            elif stop.wait(retry):
                return False
        return True

    def release(self) -> None:
        if self.held:
            self.store.release_lease(LEASE, self.owner)
            self.held = False

    def holder(self) -> str | None:
        found = self.store.lease_holder(LEASE)
        return None if found is None else _who(found[0])


def watcher_of(store: Store, now: dt.datetime | None = None) -> str | None:
    """Who follows the store's feeds now (``process 12 on desk-1``): the holder of a lease not run out."""
    found = store.lease_holder(LEASE)
    if found is None or found[1] < _iso(now or _utcnow()):
        return None
    return _who(found[0])


def _who(owner: str) -> str:
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    return f"process {pid} on {host}" if pid else owner


def _dead(owner: str) -> bool:
    """Whether ``owner`` is a process of this host that no longer exists."""
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:  # it exists, as another user's process
        return False
    return False


# -- one poll --------------------------------------------------------------------------------------


def _read(
    feed: Feed,
    answer: PollResult,
    store: Store,
    settings: Settings,
    fetcher: Fetcher,
    now: dt.datetime,
    notify: Notify | None,
    rng: random.Random,
    keep_days: int,
    lease: Lease | None,
) -> PollOutcome:
    try:
        parsed = parse_feed(answer.data, feed.url)
    except FeedError as exc:
        return _save(store, _failed(feed, 200, exc.problem, now, rng), now, status=200, problem=exc.problem)
    identities: dict[str, tuple[int, str | None, str]] = {}
    for number, entry in enumerate(parsed.entries, start=1):
        key, updated, content = entry_identity(entry)
        identities.setdefault(key, (number, updated, content))  # an entry listed twice is read once
    seen = store.seen_entries(feed.id, identities)
    todo = {key: value for key, value in identities.items() if seen.get(key) != SeenEntry(value[1], value[2])}
    by_location: dict[str, tuple[str, str | None, str]] = {}
    for key, (number, updated, content) in todo.items():
        link = parsed.entries[number - 1].get("link")
        by_location[f"{feed.url}#{number}"] = (key, updated, content)
        if isinstance(link, str) and link.strip():
            by_location[" ".join(link.split())] = (key, updated, content)

    def stored(article: Article, result: AddResult) -> None:
        found = by_location.get(article.location)
        if found is not None:
            store.mark_entry_seen(feed.id, found[0], found[1], found[2], result.article_id)
        if lease is not None:
            lease.keep()  # a feed with many new entries can take longer than the lease

    def page(url: str) -> Any:
        return fetch_document(fetcher, url)

    numbers = {number for number, _, _ in todo.values()}
    report = ingest_documents(
        lambda remark: entry_documents(parsed, feed.url, None if settings.offline else page, remark, only=numbers),
        store,
        settings,
        notify=notify,
        stored=stored,
    )
    for failure in report.failures:
        log.warning("%s", failure)
    store.prune_feed_entries(feed.id, identities, _iso(now), _iso(now - dt.timedelta(days=keep_days)))
    floor = max(_fresh_for(answer, now), _ttl(parsed))
    interval = _interval(feed, found_new=bool(todo), floor=floor)
    title = parsed.feed.get("title")
    saved = replace(
        feed,
        title=feed.title or (" ".join(title.split()) if isinstance(title, str) and title.strip() else None),
        etag=answer.headers.get("etag"),
        last_modified=answer.headers.get("last-modified"),
        errors=0,
        last_error=None,
        interval_seconds=interval,
        next_fetch=_later(now, interval, rng),
        entries_seen=store.count_feed_entries(feed.id),
    )
    store.save_feed(saved)
    return PollOutcome(
        feed=saved,
        status=200,
        entries=len(parsed.entries),
        read=len(todo),
        new_articles=len(report.new),
        failed=len(report.failures),
    )


def _moved(store: Store, feed: Feed, answer: PollResult) -> Feed:
    """The subscription at the URL permanent redirects lead to (unless another subscription has it)."""
    if not answer.moved_to or answer.moved_to == feed.url:
        return feed
    if any(other.url == answer.moved_to for other in store.list_feeds() if other.id != feed.id):
        log.warning("feed %d %s moved to %s, already followed: URL kept", feed.id, feed.url, answer.moved_to)
        return feed
    log.info("feed %d moved permanently: %s -> %s", feed.id, feed.url, answer.moved_to)
    return replace(feed, url=answer.moved_to)


def _failed(feed: Feed, status: int | None, problem: str, now: dt.datetime, rng: random.Random) -> Feed:
    """``feed`` after a failed poll: one more error in a row, and the next try backed off exponentially."""
    errors = feed.errors + 1
    delay = min(MAX_INTERVAL, max(MIN_INTERVAL, feed.interval_seconds) * 2 ** min(errors, 16))
    return replace(
        feed,
        last_fetch=_iso(now),
        last_status=status,
        errors=errors,
        last_error=problem,
        next_fetch=_later(now, delay, rng),
    )


def _save(
    store: Store, feed: Feed, now: dt.datetime, *, status: int | None = None, problem: str | None = None
) -> PollOutcome:
    store.save_feed(feed)
    return PollOutcome(feed=feed, status=status, problem=problem)


def _interval(feed: Feed, *, found_new: bool, floor: int) -> int:
    """The next interval: shorter after new entries, longer after none (the first poll keeps it)."""
    current = feed.interval_seconds or DEFAULT_INTERVAL
    if feed.entries_seen:  # not the first read of the feed, whose entries are all new
        current = int(current / 2) if found_new else int(current * 1.5)
    return min(MAX_INTERVAL, max(MIN_INTERVAL, current, floor))


def _later(now: dt.datetime, seconds: int, rng: random.Random) -> str:
    """The next fetch time: ``seconds`` from ``now`` plus a random delay of at most a tenth of them
    (and at most :data:`MAX_JITTER` seconds), never less than ``seconds``."""
    jitter = rng.uniform(0, min(seconds * JITTER_FRACTION, MAX_JITTER))
    return _iso(now + dt.timedelta(seconds=seconds + int(jitter)))


def _fresh_for(answer: PollResult, now: dt.datetime) -> int:
    """Seconds the answer is fresh for: ``Cache-Control: max-age`` if given (it overrides ``Expires``),
    else ``Expires`` less the answer's ``Date`` (or ``now`` without one); 0 when neither says."""
    found = _MAX_AGE.search(answer.headers.get("cache-control") or "")
    if found:
        return int(found.group(1))
    expires = _http_date(answer.headers.get("expires"))
    if expires is None:  # absent, or an invalid value such as "0", which means already stale
        return 0
    base = _http_date(answer.headers.get("date")) or now
    return max(0, min(MAX_RETRY_AFTER, int((expires - base).total_seconds())))


def _http_date(value: str | None) -> dt.datetime | None:
    if not value or not value.strip():
        return None
    try:
        when = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    return when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when


def _ttl(parsed: Any) -> int:
    """The feed's ``<ttl>`` (minutes) in seconds; 0 when it has none."""
    value = parsed.feed.get("ttl")
    try:
        return max(0, int(str(value).strip())) * 60 if value is not None else 0
    except ValueError:
        return 0


def _retry_after(value: str | None, now: dt.datetime) -> int | None:
    """Seconds to wait from a ``Retry-After`` header (seconds or an HTTP date); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        seconds = int(value)
    else:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        seconds = int((when - now).total_seconds())
    return min(MAX_RETRY_AFTER, max(1, seconds))


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _iso(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).isoformat(timespec="seconds")


def _seconds_until(when: str, now: dt.datetime) -> float:
    return 0.0 if not when else (dt.datetime.fromisoformat(when) - now).total_seconds()


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 2 * 3600:
        return f"{round(seconds / 60)} min"
    return f"{seconds / 3600:.1f} h"
