"""Following feeds: subscriptions in the store, `newsdesk feeds`, and `newsdesk watch` against a real HTTP
server on 127.0.0.1 whose feed changes between passes. The outlets and events are fictional."""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from conftest import html_page
from newsdesk.cli import cli
from newsdesk.errors import NotFoundError
from newsdesk.settings import Settings
from newsdesk.sources.fetch import Fetcher
from newsdesk.sources.opml import Subscription, read_opml
from newsdesk.sources.watch import (
    JITTER_FRACTION,
    KEEP_DAYS,
    LEASE,
    MAX_JITTER,
    Lease,
    PollOutcome,
    WatcherBusy,
    next_due,
    poll_feed,
    watch,
    watch_once,
)
from newsdesk.store import Feed, Store, open_store, postgres, sqlite

pytestmark = pytest.mark.network


def test_feed_subscriptions_round_trip(store: Store) -> None:
    feed, new = store.add_feed("https://harbour-gazette.example/feed.xml", title="Harbour Gazette")
    assert new and feed.id >= 1 and feed.next_fetch == "" and feed.interval_seconds == 3600 and not feed.gone
    again, new_again = store.add_feed("https://harbour-gazette.example/feed.xml")
    assert (again, new_again) == (feed, False)
    other, _ = store.add_feed("https://valley-courier.example/rss")
    assert [f.url for f in store.list_feeds()] == [feed.url, other.url]
    assert [f.id for f in store.due_feeds("2026-11-02T08:00:00+00:00")] == [feed.id, other.id]

    store.save_feed(replace(feed, next_fetch="2026-11-02T09:00:00+00:00", etag='"v1"', errors=2, last_status=500))
    assert [f.id for f in store.due_feeds("2026-11-02T08:00:00+00:00")] == [other.id]
    assert store.get_feed(feed.id).etag == '"v1"'
    store.save_feed(replace(other, gone=True, last_status=410))
    assert store.due_feeds("2026-11-02T08:00:00+00:00") == []

    with store.transaction():
        store.mark_entry_seen(feed.id, "urn:gazette:1", "2026-11-01T10:00:00Z", "aa", None)
        store.mark_entry_seen(feed.id, "urn:gazette:2", None, "bb", None)
    store.mark_entry_seen(feed.id, "urn:gazette:2", "2026-11-01T12:00:00Z", "cc", None)
    seen = store.seen_entries(feed.id, ["urn:gazette:1", "urn:gazette:2", "urn:gazette:3"])
    assert {k: (v.updated, v.content_sha256) for k, v in seen.items()} == {
        "urn:gazette:1": ("2026-11-01T10:00:00Z", "aa"),
        "urn:gazette:2": ("2026-11-01T12:00:00Z", "cc"),
    }
    assert store.seen_entries(other.id, ["urn:gazette:1"]) == {}
    assert store.count_feed_entries(feed.id) == 2

    store.remove_feed(feed.id)
    assert [f.id for f in store.list_feeds()] == [other.id]
    assert store.count_feed_entries(feed.id) == 0
    with pytest.raises(NotFoundError):
        store.get_feed(feed.id)
    with pytest.raises(NotFoundError):
        store.remove_feed(feed.id)


def test_a_store_of_schema_7_gets_the_feed_tables_and_keeps_its_articles(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from test_store import make_article

    with monkeypatch.context() as old:
        old.setattr(sqlite, "MIGRATIONS", sqlite.MIGRATIONS[:7])
        old.setattr(postgres, "MIGRATIONS", postgres.MIGRATIONS[:7])
        with open_store(store_url) as before:
            assert before.schema_version() == 7
            before.add_article(make_article())
    with open_store(store_url) as after:
        assert after.schema_version() == 9 == len(sqlite.MIGRATIONS) == len(postgres.MIGRATIONS)
        assert after.count_articles() == 1
        assert after.list_feeds() == []
        feed, _ = after.add_feed("https://harbour-gazette.example/feed.xml")
        assert after.get_feed(feed.id).url == feed.url


# -- a feed server whose feed changes between passes -------------------------------------------------

Answer = tuple[int, dict[str, str], bytes]


@dataclass
class FeedSite:
    base: str
    entries: list[tuple[str, str, str]] = field(default_factory=list)  # (slug, title, published)
    answers: dict[str, Callable[[dict[str, str]], Answer]] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    ttl: int | None = None

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)

    def feed(self) -> bytes:
        items = "".join(
            f"<item><title>{title}</title><link>{self.url('/news/' + slug + '.html')}</link>"
            f"<guid>urn:gazette:{slug}</guid><pubDate>{published}</pubDate>"
            f"<description>{title}. The Harbour Gazette reports.</description></item>"
            for slug, title, published in self.entries
        )
        ttl = f"<ttl>{self.ttl}</ttl>" if self.ttl else ""
        return (
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>Harbour Gazette - Latest</title>{ttl}'
            f"{items}</channel></rss>"
        ).encode()

    def etag(self) -> str:
        return '"' + hashlib.sha256(self.feed()).hexdigest()[:16] + '"'

    def conditional_feed(self, headers: dict[str, str]) -> Answer:
        if headers.get("if-none-match") == self.etag():
            return 304, {"ETag": self.etag()}, b""
        return 200, {"Content-Type": "application/rss+xml", "ETag": self.etag()}, self.feed()

    def page(self, slug: str, title: str) -> Callable[[dict[str, str]], Answer]:
        body = html_page(
            title=title,
            paragraphs=(
                f"{title}: the harbour authority of Saltmere confirmed the news on Monday morning after a "
                f"long meeting with the pilots' association, according to officials at the quay ({slug}).",
                "The fictional port town has argued about its berths, ferries and fishing quotas for a decade, "
                "and councillors said the decision would be reviewed again in the spring.",
                f"Residents gathered on the promenade to discuss what {slug.replace('-', ' ')} means for the "
                "summer season, the ferry timetable and the harbour's annual regatta.",
            ),
            site="Harbour Gazette",
        )
        return lambda headers: (200, {"Content-Type": "text/html; charset=utf-8"}, body)


class _FeedHandler(BaseHTTPRequestHandler):
    server: _FeedServer

    def log_message(self, format: str, *args: object) -> None:
        return

    def do_GET(self) -> None:
        headers = {k.lower(): v for k, v in self.headers.items()}
        site = self.server.site
        site.requests.append((self.path, headers))
        answer = site.answers.get(self.path)
        status, extra, body = answer(headers) if answer else (404, {}, b"not here")
        self.send_response(status)
        for name, value in extra.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304:
            self.wfile.write(body)


class _FeedServer(ThreadingHTTPServer):
    daemon_threads = True
    site: FeedSite


ENTRIES = [
    ("pilots-vote", "Saltmere harbour pilots vote to end overtime ban", "Mon, 02 Nov 2026 07:00:00 +0000"),
    ("ferry-berth", "New ferry berth opens at Saltmere quay", "Mon, 02 Nov 2026 08:30:00 +0000"),
    ("regatta-date", "Saltmere regatta moved to late August", "Mon, 02 Nov 2026 09:15:00 +0000"),
]


@pytest.fixture
def site() -> Iterator[FeedSite]:
    server = _FeedServer(("127.0.0.1", 0), _FeedHandler)
    host, port = server.server_address[:2]
    server.site = FeedSite(base=f"http://{host}:{port}", entries=list(ENTRIES))
    server.site.answers["/feed.xml"] = server.site.conditional_feed
    for slug, title, _ in [*ENTRIES, NEW_ENTRY]:
        server.site.answers[f"/news/{slug}.html"] = server.site.page(slug, title)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.site
    finally:
        server.shutdown()
        server.server_close()


NEW_ENTRY = ("fish-market", "Saltmere fish market to stay open on Sundays", "Mon, 02 Nov 2026 11:00:00 +0000")
PAGES = [f"/news/{slug}.html" for slug, _, _ in ENTRIES]


def _pass(store: Store, settings: Settings, feeds: list[Feed] | None = None) -> list[PollOutcome]:
    return watch_once(store, settings, feeds=feeds if feeds is not None else store.list_feeds())


def _ahead(feed: Feed) -> float:
    return (dt.datetime.fromisoformat(feed.next_fetch) - dt.datetime.now(dt.UTC)).total_seconds()


def _due_in(feed: Feed, seconds: int) -> bool:
    """Whether ``feed`` is due ``seconds`` from now, give or take the test's time and the jitter (later only)."""
    return seconds - 100 < _ahead(feed) <= seconds + min(seconds * JITTER_FRACTION, MAX_JITTER)


def test_watch_reads_new_entries_and_then_asks_conditionally(store: Store, site: FeedSite, settings: Settings) -> None:
    feed, _ = store.add_feed(site.url("/feed.xml"))
    (first,) = watch_once(store, settings)  # a new subscription is due at once
    assert (first.status, first.entries, first.read, first.new_articles, first.failed) == (200, 3, 3, 3, 0)
    assert [site.hits(p) for p in PAGES] == [1, 1, 1]
    assert store.count_articles() == 3
    saved = store.get_feed(feed.id)
    assert saved.title == "Harbour Gazette - Latest" and saved.etag == site.etag() and saved.entries_seen == 3
    assert (saved.last_status, saved.errors, saved.interval_seconds) == (200, 0, 3600)
    assert _due_in(saved, 3600)
    assert watch_once(store, settings) == []  # nothing is due

    (second,) = _pass(store, settings)
    assert second.status == 304 and second.read == 0
    assert site.requests[-1][1]["if-none-match"] == site.etag()
    assert [site.hits(p) for p in PAGES] == [1, 1, 1]  # no entry page fetched again
    after_304 = store.get_feed(feed.id)
    assert after_304.last_status == 304 and after_304.interval_seconds == 5400  # nothing new: polled less often

    site.entries.append(NEW_ENTRY)
    (third,) = _pass(store, settings)
    assert (third.status, third.entries, third.read, third.new_articles) == (200, 4, 1, 1)
    assert [site.hits(p) for p in PAGES] == [1, 1, 1]
    assert site.hits("/news/fish-market.html") == 1
    assert store.count_articles() == 4
    assert store.get_feed(feed.id).entries_seen == 4
    assert store.get_feed(feed.id).interval_seconds == 2700  # something new: polled more often

    site.entries[0] = (ENTRIES[0][0], ENTRIES[0][1] + " after all", ENTRIES[0][2])  # a changed entry
    (fourth,) = _pass(store, settings)
    assert fourth.read == 1 and site.hits("/news/pilots-vote.html") == 2


def test_an_entry_page_that_fails_is_read_from_the_feed_and_ttl_is_a_floor(
    store: Store, site: FeedSite, settings: Settings
) -> None:
    del site.answers["/news/ferry-berth.html"]
    site.ttl = 180  # minutes
    store.add_feed(site.url("/feed.xml"))
    (outcome,) = _pass(store, settings)
    assert (outcome.read, outcome.new_articles, outcome.failed) == (3, 3, 0)
    assert outcome.feed.interval_seconds == 180 * 60
    assert outcome.feed.entries_seen == 3


def test_expires_is_a_floor_unless_max_age_says_otherwise(store: Store, site: FeedSite, settings: Settings) -> None:
    feed, _ = store.add_feed(site.url("/feed.xml"))
    served = dt.datetime.now(dt.UTC)  # the server sends its own Date, which Expires counts from
    fresh = {"Expires": email.utils.format_datetime(served + dt.timedelta(hours=3, seconds=30), usegmt=True)}

    def answer(headers: dict[str, str]) -> Answer:
        status, extra, body = site.conditional_feed(headers)
        return status, {**extra, **fresh}, body

    site.answers["/feed.xml"] = answer
    (first,) = _pass(store, settings)
    assert first.status == 200 and 3 * 3600 <= first.feed.interval_seconds <= 3 * 3600 + 30
    assert _due_in(first.feed, first.feed.interval_seconds)
    (second,) = _pass(store, settings)
    assert second.status == 304 and second.feed.interval_seconds == int(first.feed.interval_seconds * 1.5)

    fresh["Cache-Control"] = "public, max-age=3000"  # max-age overrides Expires
    store.save_feed(replace(store.get_feed(feed.id), interval_seconds=900))
    (third,) = _pass(store, settings)
    assert third.feed.interval_seconds == 3000

    fresh.pop("Cache-Control")
    fresh["Expires"] = "0"  # invalid: already stale, so no floor
    store.save_feed(replace(store.get_feed(feed.id), interval_seconds=900))
    (fourth,) = _pass(store, settings)
    assert fourth.feed.interval_seconds == 1350


def test_next_fetch_times_of_one_host_are_spread_by_a_bounded_seeded_jitter(
    store: Store, site: FeedSite, settings: Settings
) -> None:
    paths = [f"/feed-{n}.xml" for n in range(8)]
    for path in paths:
        site.answers[path] = lambda headers: (304, {}, b"")
        store.add_feed(site.url(path))
    now = dt.datetime(2026, 11, 2, 8, 0, tzinfo=dt.UTC)

    def schedule(seed: int) -> list[str]:
        rng = random.Random(seed)
        with Fetcher(settings) as fetcher:
            return [
                poll_feed(f, store, settings, fetcher, now=now, rng=rng).feed.next_fetch for f in store.list_feeds()
            ]

    times = schedule(7)
    assert times == schedule(7)  # deterministic under a seed
    assert times != schedule(8)
    assert len(set(times)) > 4  # feeds of one host do not all come due at the same second
    for when in times:  # each one the interval (a never-read feed keeps its 3600 s) plus at most 360 s
        delay = (dt.datetime.fromisoformat(when) - now).total_seconds()
        assert 3600 <= delay <= 3600 + 360


def test_entries_a_feed_stopped_listing_are_forgotten_after_keep_days_but_not_before(
    store: Store, site: FeedSite, settings: Settings
) -> None:
    feed, _ = store.add_feed(site.url("/feed.xml"))
    start = dt.datetime.now(dt.UTC).replace(microsecond=0)

    def poll(days: int) -> PollOutcome:
        with Fetcher(settings) as fetcher:
            return poll_feed(store.get_feed(feed.id), store, settings, fetcher, now=start + dt.timedelta(days=days))

    assert poll(0).read == 3
    dropped = site.entries.pop(0)  # the feed stops listing pilots-vote, and lists a new entry
    site.entries.append(NEW_ENTRY)
    assert poll(10).read == 1 and store.count_feed_entries(feed.id) == 4  # pilots-vote still remembered
    site.entries.insert(0, dropped)  # ... and lists it again: it is not read again
    assert poll(20).read == 0 and site.hits("/news/pilots-vote.html") == 1
    assert poll(30).status == 304  # an unchanged feed prunes nothing

    site.entries.pop(0)  # dropped again, and this time not listed for more than KEEP_DAYS
    outcome = poll(20 + KEEP_DAYS + 1)
    assert outcome.read == 0 and store.count_feed_entries(feed.id) == 3 == outcome.feed.entries_seen
    assert set(store.seen_entries(feed.id, [f"urn:gazette:{s}" for s, _, _ in [*ENTRIES, NEW_ENTRY]])) == {
        f"urn:gazette:{slug}" for slug, _, _ in site.entries
    }  # the entries still listed stay, however long ago they were first read


def test_pruning_feed_entries_in_the_store(store: Store) -> None:
    feed, _ = store.add_feed("https://harbour-gazette.example/feed.xml")
    other, _ = store.add_feed("https://valley-courier.example/rss")
    for entry in ("a", "b", "c"):
        store.mark_entry_seen(feed.id, entry, None, "x", None)
    store.mark_entry_seen(other.id, "a", None, "x", None)
    assert store.prune_feed_entries(feed.id, ["b", "zz"], "2999-01-01T00:00:00+00:00", "2000-01-01T00:00:00+00:00") == 0
    forgotten = store.prune_feed_entries(feed.id, ["b"], "2999-01-01T00:00:00+00:00", "2998-01-01T00:00:00+00:00")
    assert forgotten == 2 and list(store.seen_entries(feed.id, ["a", "b", "c"])) == ["b"]
    assert store.count_feed_entries(other.id) == 1  # another feed's entries are left alone


def test_retry_after_server_errors_and_gone(store: Store, site: FeedSite, settings: Settings) -> None:
    feed, _ = store.add_feed(site.url("/feed.xml"))
    site.answers["/feed.xml"] = lambda headers: (429, {"Retry-After": "120"}, b"slow down")
    (limited,) = _pass(store, settings)
    assert limited.status == 429 and not limited.ok
    assert 115 <= _ahead(limited.feed) <= 132
    assert limited.feed.errors == 1

    site.answers["/feed.xml"] = lambda headers: (503, {"Retry-After": "7200"}, b"")
    (busy,) = _pass(store, settings)
    assert _due_in(busy.feed, 7200)

    store.save_feed(replace(store.get_feed(feed.id), errors=0))
    site.answers["/feed.xml"] = lambda headers: (500, {}, b"oops")
    (broken,) = _pass(store, settings)
    assert (broken.status, broken.feed.errors, broken.feed.last_error) == (500, 1, "HTTP 500")
    assert _due_in(broken.feed, 7200)  # twice the interval
    (again,) = _pass(store, settings)
    assert again.feed.errors == 2 and _due_in(again.feed, 14400)
    assert "error 2 in a row" in again.line(dt.datetime.now(dt.UTC))

    site.answers["/feed.xml"] = site.conditional_feed
    (recovered,) = _pass(store, settings)
    assert recovered.ok and recovered.feed.errors == 0 and recovered.feed.last_error is None

    site.answers["/feed.xml"] = lambda headers: (410, {}, b"gone")
    (gone,) = _pass(store, settings)
    assert gone.feed.gone and store.get_feed(feed.id).gone
    assert store.due_feeds("9999-12-31T00:00:00+00:00") == []
    assert "gone: no longer polled" in gone.line(dt.datetime.now(dt.UTC))


def test_a_permanent_redirect_moves_the_subscription(store: Store, site: FeedSite, settings: Settings) -> None:
    feed, _ = store.add_feed(site.url("/old-feed.xml"))
    site.answers["/old-feed.xml"] = lambda headers: (301, {"Location": "/feed.xml"}, b"")
    (moved,) = _pass(store, settings)
    assert moved.status == 200 and moved.read == 3
    assert store.get_feed(feed.id).url == site.url("/feed.xml")
    (again,) = _pass(store, settings)
    assert again.status == 304 and site.hits("/old-feed.xml") == 1

    temporary, _ = store.add_feed(site.url("/for-now.xml"))
    site.answers["/for-now.xml"] = lambda headers: (302, {"Location": "/feed.xml"}, b"")
    _pass(store, settings, [temporary])
    assert store.get_feed(temporary.id).url == site.url("/for-now.xml")


def test_redirects_of_a_followed_feed_keep_the_address_rules(store: Store, site: FeedSite) -> None:
    feed, _ = store.add_feed(site.url("/feed.xml"))
    (refused,) = _pass(store, Settings(timeout=2.0))  # loopback is not allowed by default
    assert refused.status is None and "private or local address" in (refused.problem or "")
    assert site.requests == [] and refused.feed.errors == 1

    class PublicTestServer(Fetcher):
        def _check_address(self, current: str, original: str) -> None:
            if not current.startswith(site.base):
                super()._check_address(current, original)

    site.answers["/feed.xml"] = lambda headers: (308, {"Location": "http://10.0.0.1/feed.xml"}, b"")
    with PublicTestServer(Settings(timeout=2.0)) as fetcher:
        (outcome,) = watch_once(store, Settings(timeout=2.0), fetcher=fetcher, feeds=[store.get_feed(feed.id)])
    assert "10.0.0.1" in (outcome.problem or "") and store.get_feed(feed.id).url == site.url("/feed.xml")


def test_watch_loop_stops_when_asked(store: Store, site: FeedSite, settings: Settings) -> None:
    store.add_feed(site.url("/feed.xml"))
    stop = threading.Event()
    seen: list[PollOutcome] = []

    def polled(outcome: PollOutcome) -> None:
        seen.append(outcome)
        stop.set()

    started = time.monotonic()
    watch(store, settings, stop, on_poll=polled, max_sleep=30)
    assert time.monotonic() - started < 10
    assert [o.status for o in seen] == [200]
    assert next_due(store) is not None


# -- the command line ------------------------------------------------------------------------------

OPML = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>My reader</title></head><body>
<outline text="Harbour" title="Harbour"><outline type="rss" text="Harbour Gazette" xmlUrl="https://harbour-gazette.example/feed.xml"/>
<outline type="rss" text="Valley Courier &amp; Post" xmlUrl="https://valley-courier.example/rss"/></outline>
<outline type="rss" text="again" xmlUrl="https://harbour-gazette.example/feed.xml"/>
<outline text="A folder without a feed"/>
</body></opml>"""


def test_opml_import_export_round_trip(tmp_path: Path) -> None:
    runner = CliRunner()
    db = str(tmp_path / "desk.db")
    (tmp_path / "reader.opml").write_bytes(OPML)
    imported = runner.invoke(cli, ["feeds", "import", str(tmp_path / "reader.opml"), "--db", db])
    assert imported.exit_code == 0, imported.output
    assert imported.stdout.startswith("2 feeds added")
    exported = runner.invoke(cli, ["feeds", "export", "--db", db])
    assert exported.exit_code == 0
    assert read_opml(exported.stdout.encode(), "export") == [
        Subscription("https://harbour-gazette.example/feed.xml", "Harbour Gazette"),
        Subscription("https://valley-courier.example/rss", "Valley Courier & Post"),
    ]
    (tmp_path / "again.opml").write_text(exported.stdout, encoding="utf-8")
    other = str(tmp_path / "other.db")
    assert runner.invoke(cli, ["feeds", "import", str(tmp_path / "again.opml"), "--db", other]).exit_code == 0
    assert runner.invoke(cli, ["feeds", "export", "--db", other]).stdout == exported.stdout


@pytest.mark.parametrize(
    "hostile",
    [
        b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        b'<opml version="2.0"><body><outline xmlUrl="https://x.example/&b;"/></body></opml>',
        b'<?xml version="1.0"?><!DOCTYPE opml SYSTEM "file:///etc/passwd"><opml version="2.0"><body/></opml>',
    ],
)
def test_opml_with_a_document_type_is_refused(tmp_path: Path, hostile: bytes) -> None:
    (tmp_path / "bad.opml").write_bytes(hostile)
    result = CliRunner().invoke(cli, ["feeds", "import", str(tmp_path / "bad.opml"), "--db", str(tmp_path / "d.db")])
    assert result.exit_code == 1
    assert "declares a document type or entities" in result.stderr


def test_watch_logs_one_json_object_per_fetch(tmp_path: Path, site: FeedSite) -> None:
    runner = CliRunner()
    db = str(tmp_path / "desk.db")
    assert runner.invoke(cli, ["feeds", "add", site.url("/feed.xml"), site.url("/gone.xml"), "--db", db]).exit_code == 0
    site.answers["/gone.xml"] = lambda headers: (410, {}, b"")
    watched = runner.invoke(cli, ["watch", "--once", "--log-format", "json", "--allow-private", "--db", db])
    assert watched.exit_code == 1  # one feed is gone
    records = [json.loads(line) for line in watched.stdout.splitlines()]
    assert [r["feed"] for r in records] == [1, 2]
    first, gone = records
    assert first["url"] == site.url("/feed.xml") and first["status"] == 200 and first["ok"] is True
    assert (first["entries"], first["read"], first["new_articles"], first["failed"]) == (3, 3, 3, 0)
    assert 3600 <= first["next_fetch_seconds"] <= 3960 and first["next_fetch"] > first["time"]
    assert gone["status"] == 410 and gone["gone"] is True and gone["next_fetch"] is None
    site.answers.pop("/gone.xml")
    with open_store(db) as store:
        store.save_feed(replace(store.get_feed(1), next_fetch=""))
    again = runner.invoke(cli, ["watch", "--once", "--log-format", "json", "--allow-private", "--db", db])
    (second,) = [json.loads(line) for line in again.stdout.splitlines()]
    assert second["status"] == 304 and second["not_modified"] is True and second["read"] == 0
    assert runner.invoke(cli, ["watch", "--once", "--log-format", "xml", "--db", db]).exit_code == 2


def test_feeds_commands_and_watch_once(tmp_path: Path, site: FeedSite) -> None:
    runner = CliRunner()
    db = str(tmp_path / "desk.db")
    added = runner.invoke(cli, ["feeds", "add", site.url("/feed.xml"), site.url("/gone.xml"), "--db", db])
    assert added.exit_code == 0
    assert added.stdout == f"added feed 1 {site.url('/feed.xml')}\nadded feed 2 {site.url('/gone.xml')}\n"
    assert runner.invoke(cli, ["feeds", "add", site.url("/feed.xml"), "--db", db]).stdout.startswith(
        "already followed: feed 1"
    )
    assert runner.invoke(cli, ["feeds", "add", "ftp://x.example/f", "--db", db]).exit_code == 2
    site.answers["/gone.xml"] = lambda headers: (410, {}, b"")

    watched = runner.invoke(cli, ["watch", "--once", "--allow-private", "--db", db])
    assert watched.exit_code == 1  # one feed failed (it is gone)
    lines = watched.stdout.splitlines()
    assert len(lines) == 2  # one line per fetch
    assert lines[0].startswith(f"feed 1 {site.url('/feed.xml')}: HTTP 200, 3 entries, 3 new or changed read")
    assert re.search(r"next fetch in 6[0-6] min$", lines[0])  # 60 min and the jitter
    assert lines[1] == f"feed 2 {site.url('/gone.xml')}: HTTP 410, gone: no longer polled"

    listed = runner.invoke(cli, ["feeds", "list", "--format", "json", "--db", db])
    state = {f["id"]: f for f in json.loads(listed.stdout)}
    assert state[1]["last_status"] == 200 and state[1]["entries_seen"] == 3 and state[1]["errors"] == 0
    assert state[1]["next_fetch"] > state[1]["last_fetch"] and state[1]["etag"] == site.etag()
    assert state[1]["title"] == "Harbour Gazette - Latest"
    assert state[2]["gone"] is True and state[2]["last_status"] == 410
    table = runner.invoke(cli, ["feeds", "list", "--db", db]).stdout.splitlines()
    assert "gone" in table[1] and "3 entries" in table[0]

    assert runner.invoke(cli, ["watch", "--once", "--allow-private", "--db", db]).stderr == "no feed is due\n"
    checked = runner.invoke(cli, ["feeds", "check", "1", "--allow-private", "--db", db])
    assert checked.exit_code == 0 and "HTTP 304 not modified" in checked.stdout
    assert runner.invoke(cli, ["feeds", "check", "2", "--allow-private", "--db", db]).exit_code == 1

    removed = runner.invoke(cli, ["feeds", "remove", "2", "--db", db])
    assert removed.stdout == f"removed feed 2 {site.url('/gone.xml')}\n"
    assert runner.invoke(cli, ["feeds", "remove", "2", "--db", db]).exit_code == 1
    with open_store(db) as store:
        assert store.count_articles() == 3 and [f.id for f in store.list_feeds()] == [1]


def test_watch_without_feeds_says_how_to_add_them(tmp_path: Path) -> None:
    db = str(tmp_path / "desk.db")
    open_store(db).close()
    result = CliRunner().invoke(cli, ["watch", "--once", "--db", db])
    assert result.exit_code == 1 and "newsdesk feeds add URL" in result.stderr


def test_watch_stops_cleanly_on_sigterm(tmp_path: Path, site: FeedSite) -> None:
    db = str(tmp_path / "desk.db")
    with open_store(db) as store:
        store.add_feed(site.url("/feed.xml"))
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent / "src")}
    process = subprocess.Popen(
        [sys.executable, "-m", "newsdesk", "watch", "--allow-private", "--db", db],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with open_store(db) as store:
                if store.get_feed(1).last_status == 200:
                    break
            time.sleep(0.2)
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert out.startswith("feed 1 ") and "stopped" in err
    with open_store(db) as store:
        assert store.count_articles() == 3 and store.get_feed(1).entries_seen == 3


# -- one watcher at a time -------------------------------------------------------------------------


def test_the_watch_lease_is_held_by_one_owner_until_it_runs_out(store: Store) -> None:
    now, soon, later = "2026-11-02T08:00:00+00:00", "2026-11-02T08:10:00+00:00", "2026-11-02T08:20:00+00:00"
    assert store.lease_holder(LEASE) is None
    assert store.take_lease(LEASE, "a", soon, now)
    assert not store.take_lease(LEASE, "b", soon, now)  # held
    assert store.take_lease(LEASE, "a", later, now)  # renewed by its holder
    assert store.lease_holder(LEASE) == ("a", later)
    assert not store.take_lease(LEASE, "b", "2026-11-02T08:30:00+00:00", soon)  # not run out yet
    assert store.take_lease(LEASE, "b", "2026-11-02T08:30:00+00:00", "2026-11-02T08:20:01+00:00")  # run out
    store.release_lease(LEASE, "a")  # not a's any more: nothing happens
    assert store.lease_holder(LEASE) == ("b", "2026-11-02T08:30:00+00:00")
    assert store.take_lease(LEASE, "c", later, now, replacing="b")  # b is known to be dead
    store.release_lease(LEASE, "c")
    assert store.lease_holder(LEASE) is None


def test_a_second_watcher_is_refused_and_a_dead_ones_lease_is_taken_over(store: Store) -> None:
    first, second = Lease(store), Lease(store)
    assert first.acquire() and first.held
    with pytest.raises(WatcherBusy, match=f"process {os.getpid()} on "):
        second.acquire()
    first.release()
    assert second.acquire()
    second.release()

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = Lease(store, owner=f"{socket.gethostname()}:{int(gone.stdout)}:dead")
    assert dead.take()  # a watcher killed with SIGKILL, its lease far from run out
    assert Lease(store).take()  # on the same host a holder that no longer exists is replaced at once
    elsewhere = Lease(store, owner="other-host.example:1:cafe")
    holder = store.lease_holder(LEASE)
    assert holder is not None
    store.release_lease(LEASE, holder[0])
    assert elsewhere.take()
    assert not Lease(store).take()  # another host's process cannot be checked: its lease has to run out


def test_the_lease_is_renewed_while_a_long_feed_is_read(store: Store, site: FeedSite, settings: Settings) -> None:
    for slug, title, _ in ENTRIES:  # about 3 s of entry pages against a lease of 3 s
        fast = site.page(slug, title)
        site.answers[f"/news/{slug}.html"] = lambda headers, fast=fast: (time.sleep(1.0), fast(headers))[1]
    feed, _ = store.add_feed(site.url("/feed.xml"))
    lease = Lease(store, seconds=3)
    assert lease.take()
    before = store.lease_holder(LEASE)
    with Fetcher(settings) as fetcher:
        assert poll_feed(feed, store, settings, fetcher, lease=lease).read == 3
    after = store.lease_holder(LEASE)
    assert before is not None and after is not None and after[0] == before[0] and after[1] > before[1]


def test_watch_exits_with_a_message_when_another_watcher_holds_the_store(tmp_path: Path) -> None:
    db = str(tmp_path / "desk.db")
    with open_store(db) as store:
        store.add_feed("https://harbour-gazette.example/feed.xml")
        assert Lease(store, owner="desk-2.example:4242:beef").take()
    for command in (["watch", "--once"], ["watch"], ["feeds", "check"]):
        result = CliRunner().invoke(cli, [*command, "--db", db])
        assert result.exit_code == 1, command
        assert "another `newsdesk watch` (process 4242 on desk-2.example) is following" in result.stderr
    with open_store(db) as store:
        assert store.get_feed(1).last_fetch is None  # nothing was polled


def test_two_watchers_at_once_take_turns_and_read_each_entry_once(tmp_path: Path, site: FeedSite) -> None:
    for slug, title, _ in ENTRIES:  # slow entry pages: the first pass is still running when the second starts
        fast = site.page(slug, title)
        site.answers[f"/news/{slug}.html"] = lambda headers, fast=fast: (time.sleep(1.0), fast(headers))[1]
    db = str(tmp_path / "desk.db")
    with open_store(db) as store:
        store.add_feed(site.url("/feed.xml"))
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent / "src")}
    command = [sys.executable, "-m", "newsdesk", "watch", "--once", "--wait", "--allow-private", "--db", db]
    watchers = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) for _ in range(2)
    ]
    try:
        results = [w.communicate(timeout=120) for w in watchers]
    finally:
        for w in watchers:
            if w.poll() is None:
                w.kill()
    assert [w.returncode for w in watchers] == [0, 0], results
    outs = sorted(out for out, _ in results)
    assert outs[0] == "" and outs[1].startswith("feed 1 ") and "3 new or changed read" in outs[1]
    assert any("waiting for the other watcher (process " in err for _, err in results)
    assert any("no feed is due" in err for _, err in results)  # the second pass came after the first
    assert [site.hits(p) for p in PAGES] == [1, 1, 1] and site.hits("/feed.xml") == 1
    with open_store(db) as store:
        assert store.count_articles() == 3 and store.count_feed_entries(1) == 3
        assert store.lease_holder(LEASE) is None  # both gave it up


# -- newsdesk serve --watch ------------------------------------------------------------------------


def _feeds_until(url: str, ready: Callable[[dict[str, Any]], bool], seconds: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while True:
        answer: dict[str, Any] = httpx.get(url + "/api/feeds", timeout=10).json()
        if ready(answer) or time.monotonic() > deadline:
            return answer
        time.sleep(0.1)


def test_serve_with_watch_polls_beside_the_app_and_shows_when_each_feed_was_checked(
    store_url: str, site: FeedSite, settings: Settings
) -> None:
    from newsdesk.serve.app import create_app
    from test_web import serve_app

    with open_store(store_url) as store:
        store.add_feed(site.url("/feed.xml"))
        other = Lease(store, owner="desk-2.example:4242:beef")
        assert other.take()  # another watcher follows the store when the server starts
    app = create_app(store_url, watch=settings, warm_stories=0, refresh_seconds=0, watch_retry=0.2)
    with serve_app(app) as url:
        waiting = _feeds_until(url, lambda answer: False, seconds=1.0)
        assert waiting["watcher"] == "process 4242 on desk-2.example" and waiting["last_checked"] is None
        assert "Following 1 feed, last checked never" in httpx.get(url + "/").text
        with open_store(store_url) as store:
            other.store = store
            other.release()  # ... and stops: the server's poller takes over

        feeds = _feeds_until(url, lambda answer: answer["items"][0]["last_status"] == 200)
        (feed,) = feeds["items"]
        assert feed["last_status"] == 200 and feed["entries_seen"] == 3 and feed["errors"] == 0
        assert feeds["last_checked"] == feed["last_fetch"] and feed["next_fetch"] > feed["last_fetch"]
        assert feeds["watcher"].startswith(f"process {os.getpid()} on ") and feeds["followed"] == 1
        assert httpx.get(url + "/api/articles", timeout=10).json()["total"] == 3
        page = httpx.get(url + "/", timeout=10).text
        assert f'last checked <time datetime="{feed["last_fetch"]}">' in page and 'href="/api/feeds"' in page
        answer = httpx.get(url + "/api/feeds", timeout=10)
        again = httpx.get(url + "/api/feeds", headers={"If-None-Match": answer.headers["etag"]}, timeout=10)
        assert again.status_code == 304
    assert not app.state.watcher.running  # stopped with the server
    with open_store(store_url) as store:
        assert store.lease_holder(LEASE) is None
    assert [site.hits(p) for p in PAGES] == [1, 1, 1]


def test_the_serve_command_with_watch_stops_cleanly_on_sigint(tmp_path: Path, site: FeedSite) -> None:
    db = str(tmp_path / "desk.db")
    with open_store(db) as store:
        store.add_feed(site.url("/feed.xml"))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent / "src")}
    command = ["serve", "--watch", "--allow-private", "--port", str(port), "--db", db]
    process = subprocess.Popen(
        [sys.executable, "-m", "newsdesk", *command], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    try:
        deadline = time.monotonic() + 60
        feeds: dict[str, Any] = {}
        while time.monotonic() < deadline and not feeds:
            try:
                feeds = _feeds_until(f"http://127.0.0.1:{port}", lambda a: a["items"][0]["last_status"] == 200)
            except httpx.TransportError:  # not listening yet
                time.sleep(0.2)
        assert feeds["items"][0]["last_status"] == 200
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "following the feeds beside it" in err
    with open_store(db) as store:
        assert store.count_articles() == 3 and store.lease_holder(LEASE) is None
