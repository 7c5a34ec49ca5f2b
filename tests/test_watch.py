"""Following feeds: subscriptions in the store, `newsdesk feeds`, and `newsdesk watch` against a real HTTP
server on 127.0.0.1 whose feed changes between passes."""

from __future__ import annotations

import pytest

from newsdesk.errors import NotFoundError
from newsdesk.store import Store, open_store, postgres, sqlite


def test_feed_subscriptions_round_trip(store: Store) -> None:
    feed, new = store.add_feed("https://harbour-gazette.example/feed.xml", title="Harbour Gazette")
    assert new and feed.id >= 1 and feed.next_fetch == "" and feed.interval_seconds == 3600 and not feed.gone
    again, new_again = store.add_feed("https://harbour-gazette.example/feed.xml")
    assert (again, new_again) == (feed, False)
    other, _ = store.add_feed("https://valley-courier.example/rss")
    assert [f.url for f in store.list_feeds()] == [feed.url, other.url]
    assert [f.id for f in store.due_feeds("2026-11-02T08:00:00+00:00")] == [feed.id, other.id]

    from dataclasses import replace

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
        assert after.schema_version() == 8 == len(sqlite.MIGRATIONS) == len(postgres.MIGRATIONS)
        assert after.count_articles() == 1
        assert after.list_feeds() == []
        feed, _ = after.add_feed("https://harbour-gazette.example/feed.xml")
        assert after.get_feed(feed.id).url == feed.url
