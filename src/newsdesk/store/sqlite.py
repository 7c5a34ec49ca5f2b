"""The SQLite store: WAL mode, one writer, versioned migrations, FTS5 over titles and bodies.

Writes run in ``BEGIN IMMEDIATE`` transactions. The schema version lives in ``PRAGMA user_version``;
:data:`MIGRATIONS` lists every step from an empty file, and each step runs in its own transaction, so
a failed upgrade leaves the previous version intact. The queries themselves are shared with the
PostgreSQL store (:mod:`newsdesk.store.sql`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newsdesk.errors import StoreError
from newsdesk.store.base import SearchHit, query_terms, snippet
from newsdesk.store.sql import SQLStore

MIGRATIONS: tuple[str, ...] = (
    # 1: articles, where each was read from, and full-text search.
    """
    CREATE TABLE articles (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        title TEXT,
        title_prefix TEXT,
        body TEXT NOT NULL,
        published TEXT,
        published_from TEXT,
        published_sort TEXT NOT NULL DEFAULT '',
        author TEXT,
        source TEXT,
        url TEXT,
        language TEXT,
        kind TEXT NOT NULL,
        excerpt TEXT,
        categories TEXT NOT NULL DEFAULT '[]',
        tags TEXT NOT NULL DEFAULT '[]',
        format TEXT NOT NULL,
        digest TEXT,
        location TEXT NOT NULL,
        raw_sha256 TEXT NOT NULL,
        ingested_at TEXT NOT NULL
    );
    CREATE INDEX articles_published ON articles (published_sort);
    CREATE INDEX articles_source ON articles (source);
    CREATE TABLE article_locations (
        seq INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        location TEXT NOT NULL,
        raw_sha256 TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        UNIQUE (article_id, location)
    );
    CREATE VIRTUAL TABLE articles_fts USING fts5 (
        title, body, content='articles', content_rowid='seq', tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts (rowid, title, body) VALUES (new.seq, coalesce(new.title, ''), new.body);
    END;
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts (articles_fts, rowid, title, body)
        VALUES ('delete', old.seq, coalesce(old.title, ''), old.body);
    END;
    """,
    # 2: relations between articles, their families, the similarity index, store-wide values.
    """
    CREATE TABLE relations (
        seq INTEGER PRIMARY KEY,
        derived_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        source_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        score REAL NOT NULL,
        direction TEXT NOT NULL,
        features TEXT NOT NULL,
        evidence TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (derived_id, source_id)
    );
    CREATE INDEX relations_source ON relations (source_id);
    CREATE TABLE families (
        article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
        family_id TEXT NOT NULL,
        role TEXT NOT NULL,
        derived_from TEXT REFERENCES articles (id) ON DELETE SET NULL
    );
    CREATE INDEX families_family ON families (family_id);
    CREATE TABLE lsh_keys (
        key INTEGER NOT NULL,
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        sentence INTEGER NOT NULL,
        PRIMARY KEY (key, article_id, sentence)
    ) WITHOUT ROWID;
    CREATE INDEX lsh_keys_article ON lsh_keys (article_id);
    CREATE TABLE sketches (
        article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
        sketch BLOB NOT NULL
    );
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # 3: stories, their articles and events, candidate postings, feature document frequencies.
    """
    CREATE TABLE stories (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        title TEXT,
        created_at TEXT NOT NULL,
        updated TEXT NOT NULL,
        first_published TEXT,
        last_published TEXT,
        last_sort TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL,
        article_count INTEGER NOT NULL,
        merged_into TEXT,
        state BLOB NOT NULL
    );
    CREATE INDEX stories_recent ON stories (merged_into, last_sort);
    CREATE TABLE story_articles (
        article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
        story_id TEXT NOT NULL,
        similarity REAL NOT NULL,
        how TEXT NOT NULL,
        joined_at TEXT NOT NULL
    );
    CREATE INDEX story_articles_story ON story_articles (story_id);
    CREATE TABLE story_events (
        seq INTEGER PRIMARY KEY,
        story_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        article_id TEXT,
        detail TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE INDEX story_events_story ON story_events (story_id);
    CREATE TABLE story_postings (
        key INTEGER NOT NULL,
        story_id TEXT NOT NULL,
        PRIMARY KEY (key, story_id)
    ) WITHOUT ROWID;
    CREATE INDEX story_postings_story ON story_postings (story_id);
    CREATE TABLE feature_counts (key INTEGER PRIMARY KEY, df INTEGER NOT NULL);
    """,
    # 4: the journal of recently counted features (see newsdesk.group.frequencies), numbers never reused;
    #    story postings kept in the order they are read, latest first for each key (one ordered tree to
    #    write per posting); a tag (hash) of each story's grouping state, so a state read before need
    #    not be read again (placed before the state: SQLite reads a row's columns in order, and a column
    #    after a large value costs reading that value's overflow pages).
    """
    CREATE TABLE feature_journal (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        article_id TEXT NOT NULL,
        keys BLOB NOT NULL
    );
    CREATE TABLE story_postings_by_time (
        key INTEGER NOT NULL,
        posted INTEGER NOT NULL,
        story_id TEXT NOT NULL,
        PRIMARY KEY (key, posted, story_id)
    ) WITHOUT ROWID;
    INSERT INTO story_postings_by_time (key, posted, story_id) SELECT key, 0, story_id FROM story_postings;
    DROP TABLE story_postings;
    ALTER TABLE story_postings_by_time RENAME TO story_postings;
    CREATE INDEX story_postings_story_key ON story_postings (story_id, key);
    CREATE TABLE stories_with_tag (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        title TEXT,
        created_at TEXT NOT NULL,
        updated TEXT NOT NULL,
        first_published TEXT,
        last_published TEXT,
        last_sort TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL,
        article_count INTEGER NOT NULL,
        merged_into TEXT,
        state_tag INTEGER NOT NULL DEFAULT 0,
        state BLOB NOT NULL
    );
    INSERT INTO stories_with_tag (
        seq, id, title, created_at, updated, first_published, last_published, last_sort, status, article_count,
        merged_into, state
    )
    SELECT seq, id, title, created_at, updated, first_published, last_published, last_sort, status, article_count,
        merged_into, state
    FROM stories;
    DROP TABLE stories;
    ALTER TABLE stories_with_tag RENAME TO stories;
    CREATE INDEX stories_recent ON stories (merged_into, last_sort);
    """,
    # 5: where an article's outlet was learned (its metadata, or its own credit line in the text), and
    #    whether its title was derived from its lead.
    """
    ALTER TABLE articles ADD COLUMN source_from TEXT;
    ALTER TABLE articles ADD COLUMN title_derived INTEGER NOT NULL DEFAULT 0;
    UPDATE articles SET source_from = 'metadata' WHERE source IS NOT NULL;
    """,
    # 6: the sentences of each article, keyed, to learn what recurs across unrelated articles (page
    #    furniture; see newsdesk.relate.repeats). Articles stored before are keyed on the next ingest.
    """
    CREATE TABLE sentence_repeats (
        key INTEGER NOT NULL,
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        PRIMARY KEY (key, article_id)
    ) WITHOUT ROWID;
    CREATE INDEX sentence_repeats_article ON sentence_repeats (article_id);
    """,
    # 7: storylines, which link the stories of one developing subject (see newsdesk.group.storylines):
    #    each story belongs to one; a storyline is found under its strongest names and terms.
    """
    CREATE TABLE storylines (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        title TEXT,
        top_story TEXT,
        top_count INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated TEXT NOT NULL,
        first_published TEXT,
        last_published TEXT,
        last_sort TEXT NOT NULL DEFAULT '',
        story_count INTEGER NOT NULL,
        article_count INTEGER NOT NULL,
        merged_into TEXT,
        state BLOB NOT NULL
    );
    CREATE INDEX storylines_recent ON storylines (merged_into, last_sort);
    CREATE TABLE storyline_stories (
        story_id TEXT PRIMARY KEY,
        storyline_id TEXT NOT NULL,
        similarity REAL NOT NULL,
        how TEXT NOT NULL,
        joined_at TEXT NOT NULL
    );
    CREATE INDEX storyline_stories_line ON storyline_stories (storyline_id);
    CREATE TABLE storyline_postings (
        key INTEGER NOT NULL,
        posted INTEGER NOT NULL,
        storyline_id TEXT NOT NULL,
        PRIMARY KEY (key, posted, storyline_id)
    ) WITHOUT ROWID;
    CREATE INDEX storyline_postings_line_key ON storyline_postings (storyline_id, key);
    """,
    # 8: feed subscriptions for `newsdesk watch` (see newsdesk.sources.watch): each feed's schedule and the
    #    validators of its last answer, and the entries already read from it (by GUID, else link, else a
    #    hash of title and text) with their `updated` value and a hash of their content, so an entry's page
    #    is fetched again only when the entry is new or has changed.
    """
    CREATE TABLE feeds (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        title TEXT,
        added TEXT NOT NULL,
        last_fetch TEXT,
        last_status INTEGER,
        next_fetch TEXT NOT NULL DEFAULT '',
        etag TEXT,
        last_modified TEXT,
        entries_seen INTEGER NOT NULL DEFAULT 0,
        errors INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        interval_seconds INTEGER NOT NULL DEFAULT 3600,
        gone INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX feeds_due ON feeds (gone, next_fetch);
    CREATE TABLE feed_entries (
        feed_id INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
        entry TEXT NOT NULL,
        updated TEXT,
        content_sha256 TEXT NOT NULL,
        article_id TEXT,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        PRIMARY KEY (feed_id, entry)
    );
    """,
    # 9: the lease of the one `newsdesk watch` that follows the store's feeds (see newsdesk.sources.watch):
    #    who holds it and until when; a holder that died stops holding it when the lease runs out.
    """
    CREATE TABLE leases (
        name TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        expires TEXT NOT NULL
    );
    """,
)


class SQLiteStore(SQLStore):
    """A store in one SQLite file (or ``:memory:``)."""

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = str(path)
        self.url = self.path
        self.readonly = readonly
        self._depth = 0
        try:
            if readonly:
                uri = f"file:{Path(self.path).resolve()}?mode=ro"
                self._db = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
            else:
                if self.path != ":memory:":
                    Path(self.path).parent.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(self.path, isolation_level=None)
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA busy_timeout = 10000")
            self._db.execute("PRAGMA foreign_keys = ON")
            if not readonly:
                self._db.execute("PRAGMA journal_mode = WAL")
                self._db.execute("PRAGMA synchronous = NORMAL")
                self._db.execute("PRAGMA cache_size = -65536")  # 64 MB: the similarity index is read at random
                self._migrate()
            else:
                self._check_version()
        except sqlite3.DatabaseError as exc:
            self._close_quietly()
            raise StoreError(f"{self.path}: cannot open the database ({exc})") from exc
        except StoreError:
            self._close_quietly()
            raise

    def _close_quietly(self) -> None:
        db = getattr(self, "_db", None)
        if db is not None:
            db.close()

    # -- backend hooks ---------------------------------------------------------------------------

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._db.execute(sql, params)

    def _begin(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def _driver_errors(self) -> tuple[type[BaseException], ...]:
        return (sqlite3.DatabaseError,)

    # -- schema ----------------------------------------------------------------------------------

    def schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def _check_version(self) -> None:
        version = self.schema_version()
        if version > len(MIGRATIONS):
            raise StoreError(
                f"{self.path}: the database has schema version {version}, newer than this newsdesk "
                f"understands ({len(MIGRATIONS)}); upgrade newsdesk"
            )

    def _migrate(self) -> None:
        self._check_version()
        for version in range(self.schema_version() + 1, len(MIGRATIONS) + 1):
            script = MIGRATIONS[version - 1]
            try:
                self._db.executescript(f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {version};\nCOMMIT;")
            except sqlite3.DatabaseError as exc:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise StoreError(f"{self.path}: migration to schema version {version} failed ({exc})") from exc

    # -- search ----------------------------------------------------------------------------------

    def search_articles(self, query: str, *, limit: int = 20) -> list[SearchHit]:
        terms = query_terms(query)
        if not terms:
            return []
        match = " ".join(f'"{term}"' for term in terms)
        rows = self._db.execute(
            """
            SELECT a.id, a.title, a.source, a.published, a.body
            FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid
            WHERE articles_fts MATCH ? ORDER BY bm25(articles_fts, 4.0, 1.0), a.seq LIMIT ?
            """,
            (match, limit),
        ).fetchall()
        return [SearchHit(r["id"], r["title"], r["source"], r["published"], snippet(r["body"], terms)) for r in rows]

    def close(self) -> None:
        self._db.close()
