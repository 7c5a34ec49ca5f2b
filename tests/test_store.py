"""Both stores (SQLite and PostgreSQL, same tests): idempotent writes, locations, search, migrations,
read-only use, atomicity."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.errors import NotFoundError, StoreError
from newsdesk.records import Article, DigestInfo, DigestMarker, article_id
from newsdesk.store import SQLiteStore, Store, open_store
from newsdesk.store.base import fold, snippet
from newsdesk.store.postgres import MIGRATIONS as PG_MIGRATIONS
from newsdesk.store.postgres import PostgresStore
from newsdesk.store.sqlite import MIGRATIONS


def make_article(
    title: str | None = "Ferry strike called off",
    body: str = "The ferry strike was called off.",
    **extra: object,
) -> Article:
    fields: dict[str, object] = {
        "id": article_id(title, body),
        "title": title,
        "body": body,
        "published": "2026-10-20",
        "published_from": "text",
        "author": None,
        "source": "Lake News",
        "url": None,
        "language": "en",
        "kind": "report",
        "location": "a.txt",
        "raw_sha256": "0" * 64,
    }
    fields.update(extra)
    return Article(**fields)  # type: ignore[arg-type]


def test_same_article_twice_is_stored_once_with_both_locations(store: Store) -> None:
    article = make_article()
    assert store.add_article(article).new is True
    assert store.add_article(replace(article, location="copy/a.txt", raw_sha256="1" * 64)).new is False
    assert store.add_article(article).new is False
    assert store.count_articles() == 1
    assert store.article_locations(article.id) == [("a.txt", "0" * 64), ("copy/a.txt", "1" * 64)]


def test_get_by_id_or_unique_prefix(store: Store) -> None:
    one = make_article(body="First body.")
    two = make_article(body="Second body.")
    store.add_article(one)
    store.add_article(two)
    assert store.get_article(one.id) == one
    assert store.get_article(one.id[:8].upper()) == one
    with pytest.raises(NotFoundError, match="no article 'ffffffff'"):
        store.get_article("ffffffff")
    with pytest.raises(NotFoundError, match="not an id of this store"):
        store.get_article("not-an-id")
    # Seventeen ids cannot all start with different hex digits: two of them share a first digit.
    by_first: dict[str, Article] = {}
    for number in range(17):
        article = make_article(body=f"Body {number}.")
        store.add_article(article)
        if article.id[0] in by_first:
            break
        by_first[article.id[0]] = article
    with pytest.raises(NotFoundError, match="matches several articles; give more characters of the id"):
        store.get_article(article.id[0])


def test_list_in_arrival_order_with_paging(store: Store) -> None:
    articles = [make_article(body=f"Body number {i}.") for i in range(5)]
    for article in articles:
        store.add_article(article)
    assert [a.id for a in store.list_articles()] == [a.id for a in articles]
    assert [a.id for a in store.list_articles(limit=2, offset=1)] == [a.id for a in articles[1:3]]


def test_full_text_search_over_title_and_body(store: Store) -> None:
    store.add_article(
        make_article(title="Ferry strike called off", body="Unions and the operator agreed late on Sunday.")
    )
    store.add_article(make_article(title="Museum reopens", body="The Café Lumière museum reopened after repairs."))
    hits = store.search_articles("ferry")
    assert [h.title for h in hits] == ["Ferry strike called off"]
    assert [h.title for h in store.search_articles("cafe lumiere")] == ["Museum reopens"]
    assert "[reopened]" in store.search_articles("reopened")[0].snippet
    assert store.search_articles('" OR * NEAR(') == []
    assert store.search_articles("ferry museum") == []


def test_digest_and_lists_round_trip(store: Store) -> None:
    article = make_article(
        kind="digest",
        categories=("News", "Port"),
        tags=("strike",),
        digest=DigestInfo(claimed_article_count=3, markers=(DigestMarker(10, (1, 2)),), timeline_offset=20),
    )
    store.add_article(article)
    assert store.get_article(article.id) == article


def test_reopening_does_not_migrate_again(store_url: str) -> None:
    with open_store(store_url) as store:
        version = store.schema_version()
        assert version >= 1
        store.add_article(make_article())
    with open_store(store_url) as store:
        assert store.schema_version() == version
        assert store.count_articles() == 1


def test_sqlite_schema_version_and_wal(tmp_path: Path) -> None:
    path = tmp_path / "v.db"
    SQLiteStore(path).close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_sqlite_database_from_a_newer_newsdesk_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    db.close()
    with pytest.raises(StoreError, match="newer than this newsdesk understands"):
        SQLiteStore(path)


def test_postgres_database_from_a_newer_newsdesk_is_refused(pg_schema_url: str) -> None:
    with open_store(pg_schema_url) as store:
        assert isinstance(store, PostgresStore)
        assert store.schema_version() == len(PG_MIGRATIONS)
        store._db.execute("INSERT INTO newsdesk_schema (version) VALUES (%s)", (len(PG_MIGRATIONS) + 1,))
    with pytest.raises(StoreError, match="newer than this newsdesk understands"):
        open_store(pg_schema_url)


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database " * 100)
    with pytest.raises(StoreError, match="cannot open the database"):
        open_store(str(path))


def test_unreachable_postgres_is_a_clear_error_without_the_password() -> None:
    with pytest.raises(StoreError) as info:
        open_store("postgresql://newsdesk:secret@127.0.0.1:9/nothing?connect_timeout=2")
    assert str(info.value).startswith("postgresql://newsdesk@127.0.0.1:9/nothing?connect_timeout=2: cannot connect")
    assert "secret" not in str(info.value)


def test_read_only_store_reads_and_refuses_writes(store_url: str) -> None:
    with open_store(store_url) as store:
        store.add_article(make_article())
    with open_store(store_url, readonly=True) as reader:
        assert reader.count_articles() == 1
        with pytest.raises(StoreError, match="read-only"):
            reader.add_article(make_article(body="Another."))


def _fail_location_inserts(store: Store) -> None:
    """Make the second statement of an article's transaction (its location row) fail."""
    if isinstance(store, SQLiteStore):
        store._db.execute(
            "CREATE TRIGGER fail_locations BEFORE INSERT ON article_locations "
            "WHEN new.location = 'explode' BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"
        )
    else:
        assert isinstance(store, PostgresStore)
        store._db.execute(
            "CREATE FUNCTION fail_locations() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "IF new.location = 'explode' THEN RAISE EXCEPTION 'disk on fire'; END IF; RETURN new; END $$"
        )
        store._db.execute(
            "CREATE TRIGGER fail_locations BEFORE INSERT ON article_locations "
            "FOR EACH ROW EXECUTE FUNCTION fail_locations()"
        )


def test_a_failed_write_leaves_nothing_half_written(store: Store) -> None:
    good = make_article(body="Stored first.")
    store.add_article(good)
    _fail_location_inserts(store)
    with pytest.raises(StoreError, match="disk on fire"):
        store.add_article(make_article(body="Never stored.", location="explode"))
    assert store.count_articles() == 1
    assert [a.id for a in store.list_articles()] == [good.id]
    assert store.search_articles("never") == []


_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=80)


@settings(max_examples=60, deadline=None)
@given(
    title=st.none() | _text,
    body=_text.filter(lambda s: s.strip() != ""),
    published=st.none() | st.dates().map(lambda d: d.isoformat()),
    categories=st.lists(_text, max_size=3).map(tuple),
    markers=st.lists(st.tuples(st.integers(0, 500), st.lists(st.integers(1, 9), min_size=1, max_size=3)), max_size=3),
)
def test_articles_round_trip_through_json_and_the_store(
    title: str | None,
    body: str,
    published: str | None,
    categories: tuple[str, ...],
    markers: list[tuple[int, list[int]]],
) -> None:
    digest = DigestInfo(markers=tuple(DigestMarker(o, tuple(r)) for o, r in markers)) if markers else None
    article = make_article(title=title, body=body, published=published, categories=categories, digest=digest)
    assert Article.from_dict(article.to_dict()) == article
    with SQLiteStore(":memory:") as sqlite_store:
        sqlite_store.add_article(article)
        assert sqlite_store.get_article(article.id) == article


def test_snippets_show_the_words_around_the_first_match() -> None:
    body = (
        " ".join(f"w{i}" for i in range(3000)) + "  the Zürich   quay\nreopened " + " ".join(f"v{i}" for i in range(99))
    )
    shown = snippet(body, ["zurich", "reopened", "v5"], words=10)
    assert shown == "…w2998 w2999 the [Zürich] quay [reopened] v0 v1 v2 v3…"
    assert snippet("Quay reopened", ["reopened"]) == "Quay [reopened]"
    assert snippet("no match here at all", ["ferry"], words=3) == "no match here…"
    assert snippet("reopenedness and reopened", ["reopened"]) == "reopenedness and [reopened]"
    assert snippet(" \n ", ["x"]) == ""


@given(st.text(max_size=300), st.lists(st.from_regex(r"\w{1,6}", fullmatch=True), min_size=1, max_size=3))
@settings(max_examples=200, deadline=None)
def test_snippets_quote_the_text_and_mark_only_query_words(text: str, raw_terms: list[str]) -> None:
    terms = [fold(t) for t in raw_terms]
    shown = snippet(text, terms)
    flat = " ".join(text.split())
    unmarked = shown.strip("…").replace("[", "").replace("]", "") if "[" not in flat and "]" not in flat else None
    if unmarked is not None:
        assert unmarked in flat
    for marked in re.findall(r"\[([^\[\]]*)\]", shown if unmarked is not None else ""):
        assert fold(marked) in terms
