"""The SQLite store: WAL mode, one writer, versioned migrations, FTS5 over titles and bodies.

Writes run in ``BEGIN IMMEDIATE`` transactions, one per article. The schema version lives in
``PRAGMA user_version``; :data:`MIGRATIONS` lists every step from an empty file, and each step
runs in its own transaction, so a failed upgrade leaves the previous version intact.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from newsdesk.errors import NotFoundError, StoreError
from newsdesk.extract.dates import sort_key
from newsdesk.records import Article
from newsdesk.store.base import (
    ARTICLE_COLUMNS,
    AddResult,
    SearchHit,
    Store,
    article_from_row,
    article_values,
    query_terms,
    snippet,
)

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
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        location TEXT NOT NULL,
        raw_sha256 TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        PRIMARY KEY (article_id, location)
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
)


class SQLiteStore(Store):
    """A store in one SQLite file (or ``:memory:``)."""

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = str(path)
        self.url = self.path
        self.readonly = readonly
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

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        if self.readonly:
            raise StoreError(f"{self.path}: the store is open read-only")
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        else:
            self._db.execute("COMMIT")

    # -- articles --------------------------------------------------------------------------------

    def add_article(self, article: Article) -> AddResult:
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        row = article_values(article)
        try:
            with self._write() as db:
                exists = db.execute("SELECT 1 FROM articles WHERE id = ?", (article.id,)).fetchone()
                if not exists:
                    db.execute(
                        f"INSERT INTO articles ({', '.join(ARTICLE_COLUMNS)}, published_sort, ingested_at) "
                        f"VALUES ({', '.join('?' for _ in ARTICLE_COLUMNS)}, ?, ?)",
                        (*row, sort_key(article.published), now),
                    )
                db.execute(
                    "INSERT OR IGNORE INTO article_locations (article_id, location, raw_sha256, first_seen) "
                    "VALUES (?, ?, ?, ?)",
                    (article.id, article.location, article.raw_sha256, now),
                )
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: cannot store article {article.id} ({exc})") from exc
        return AddResult(article_id=article.id, new=not exists)

    def get_article(self, ref: str) -> Article:
        ref = ref.strip().lower()
        if not ref or not all(c in "0123456789abcdef" for c in ref):
            raise NotFoundError(f"no article {ref!r}: ids are hexadecimal (see `newsdesk articles`)")
        rows = self._db.execute(
            "SELECT * FROM articles WHERE id >= ? AND id < ? ORDER BY id LIMIT 2", (ref, ref + "g")
        ).fetchall()
        if not rows:
            raise NotFoundError(f"no article {ref!r} (see `newsdesk articles` for stored ids)")
        if len(rows) > 1 and rows[0]["id"] != ref:
            raise NotFoundError(f"{ref!r} matches several articles; give more characters of the id")
        return article_from_row(rows[0])

    def list_articles(self, *, limit: int | None = None, offset: int = 0) -> list[Article]:
        rows = self._db.execute(
            "SELECT * FROM articles ORDER BY seq LIMIT ? OFFSET ?", (-1 if limit is None else limit, offset)
        ).fetchall()
        return [article_from_row(row) for row in rows]

    def count_articles(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM articles").fetchone()[0])

    def article_locations(self, article_id: str) -> list[tuple[str, str]]:
        rows = self._db.execute(
            "SELECT location, raw_sha256 FROM article_locations WHERE article_id = ? ORDER BY first_seen, rowid",
            (article_id,),
        ).fetchall()
        return [(row["location"], row["raw_sha256"]) for row in rows]

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
