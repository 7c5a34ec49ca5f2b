"""The PostgreSQL store, for teams: the same interface and the same tests as the SQLite store.

Needs the ``[postgres]`` extra (psycopg 3). Schema versions live in ``newsdesk_schema``; migrations
run under an advisory lock, each in its own transaction. Full-text search uses a ``tsvector`` of the
folded title (weight A) and body (weight B) with a GIN index; folding happens in Python so matching
and snippets agree with the SQLite store.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from newsdesk.errors import StoreError
from newsdesk.records import Article
from newsdesk.store.base import SearchHit, fold, query_terms, snippet
from newsdesk.store.sql import SQLStore

try:
    import psycopg
    from psycopg.rows import dict_row
except ImportError:  # pragma: no cover - exercised only without the extra
    psycopg = None  # type: ignore[assignment]

MIGRATIONS: tuple[str, ...] = (
    # 1: articles, where each was read from, and full-text search.
    """
    CREATE TABLE articles (
        seq BIGSERIAL PRIMARY KEY,
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
        ingested_at TEXT NOT NULL,
        search TSVECTOR NOT NULL
    );
    CREATE INDEX articles_published ON articles (published_sort);
    CREATE INDEX articles_source ON articles (source);
    CREATE INDEX articles_search ON articles USING GIN (search);
    CREATE TABLE article_locations (
        seq BIGSERIAL,
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        location TEXT NOT NULL,
        raw_sha256 TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        PRIMARY KEY (article_id, location)
    );
    """,
    # 2: relations between articles, their families, the similarity index, store-wide values.
    """
    CREATE TABLE relations (
        seq BIGSERIAL PRIMARY KEY,
        derived_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        source_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        score DOUBLE PRECISION NOT NULL,
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
        key BIGINT NOT NULL,
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        sentence INTEGER NOT NULL,
        PRIMARY KEY (key, article_id, sentence)
    );
    CREATE INDEX lsh_keys_article ON lsh_keys (article_id);
    CREATE TABLE sketches (
        article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
        sketch BYTEA NOT NULL
    );
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # 3: stories, their articles and events, candidate postings, feature document frequencies.
    """
    CREATE TABLE stories (
        seq BIGSERIAL PRIMARY KEY,
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
        state BYTEA NOT NULL
    );
    CREATE INDEX stories_recent ON stories (merged_into, last_sort);
    CREATE TABLE story_articles (
        article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
        story_id TEXT NOT NULL,
        similarity DOUBLE PRECISION NOT NULL,
        how TEXT NOT NULL,
        joined_at TEXT NOT NULL
    );
    CREATE INDEX story_articles_story ON story_articles (story_id);
    CREATE TABLE story_events (
        seq BIGSERIAL PRIMARY KEY,
        story_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        article_id TEXT,
        detail TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE INDEX story_events_story ON story_events (story_id);
    CREATE TABLE story_postings (
        key BIGINT NOT NULL,
        story_id TEXT NOT NULL,
        PRIMARY KEY (key, story_id)
    );
    CREATE INDEX story_postings_story ON story_postings (story_id);
    CREATE TABLE feature_counts (key BIGINT PRIMARY KEY, df INTEGER NOT NULL);
    """,
    # 4: the journal of recently counted features (see newsdesk.group.frequencies), numbers never reused;
    #    story postings kept in the order they are read, latest first for each key (one ordered tree to
    #    write per posting); a tag (hash) of each story's grouping state, so a state read before need
    #    not be read again.
    """
    CREATE TABLE feature_journal (
        seq BIGSERIAL PRIMARY KEY,
        article_id TEXT NOT NULL,
        keys BYTEA NOT NULL
    );
    CREATE TABLE story_postings_by_time (
        key BIGINT NOT NULL,
        posted BIGINT NOT NULL,
        story_id TEXT NOT NULL,
        PRIMARY KEY (key, posted, story_id)
    );
    INSERT INTO story_postings_by_time (key, posted, story_id) SELECT key, 0, story_id FROM story_postings;
    DROP TABLE story_postings;
    ALTER TABLE story_postings_by_time RENAME TO story_postings;
    CREATE INDEX story_postings_story_key ON story_postings (story_id, key);
    ALTER TABLE stories ADD COLUMN state_tag BIGINT NOT NULL DEFAULT 0;
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
        key BIGINT NOT NULL,
        article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        PRIMARY KEY (key, article_id)
    );
    CREATE INDEX sentence_repeats_article ON sentence_repeats (article_id);
    """,
    # 7: storylines, which link the stories of one developing subject (see newsdesk.group.storylines):
    #    each story belongs to one; a storyline is found under its strongest names and terms.
    """
    CREATE TABLE storylines (
        seq BIGSERIAL PRIMARY KEY,
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
        state BYTEA NOT NULL
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
        key BIGINT NOT NULL,
        posted BIGINT NOT NULL,
        storyline_id TEXT NOT NULL,
        PRIMARY KEY (key, posted, storyline_id)
    );
    CREATE INDEX storyline_postings_line_key ON storyline_postings (storyline_id, key);
    """,
    # 8: feed subscriptions for `newsdesk watch` (see newsdesk.sources.watch): each feed's schedule and the
    #    validators of its last answer, and the entries already read from it (by GUID, else link, else a
    #    hash of title and text) with their `updated` value and a hash of their content, so an entry's page
    #    is fetched again only when the entry is new or has changed.
    """
    CREATE TABLE feeds (
        id BIGSERIAL PRIMARY KEY,
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
        feed_id BIGINT NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
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


_LOCK = 7_311_002  # advisory lock id that serialises migrations


class PostgresStore(SQLStore):
    """A store in a PostgreSQL database (``postgresql://user@host:port/dbname``)."""

    placeholder = "%s"

    def __init__(self, url: str, *, readonly: bool = False) -> None:
        if psycopg is None:
            raise StoreError(f"{_safe(url)}: PostgreSQL needs the postgres extra: pip install 'newsdesk[postgres]'")
        self.url = url
        self.readonly = readonly
        self._depth = 0
        try:
            self._db = psycopg.connect(url, autocommit=True, row_factory=dict_row)
        except psycopg.Error as exc:
            raise StoreError(f"{_safe(url)}: cannot connect to PostgreSQL ({_first_line(exc)})") from exc
        try:
            if readonly:
                self._db.execute("SET default_transaction_read_only = on")
                self._check_version()
            else:
                self._migrate()
        except BaseException:
            self._db.close()
            raise

    # -- backend hooks ---------------------------------------------------------------------------

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._db.execute(sql, params)

    def _begin(self) -> None:
        self._db.execute("BEGIN")

    def _driver_errors(self) -> tuple[type[BaseException], ...]:
        return (psycopg.Error,)

    def _name(self) -> str:
        return _safe(self.url)

    def _article_search_columns(self, article: Article) -> tuple[list[str], list[str], list[Any]]:
        return (
            ["search"],
            ["setweight(to_tsvector('simple', ?), 'A') || setweight(to_tsvector('simple', ?), 'B')"],
            [fold(article.title or ""), fold(article.body)],
        )

    # -- schema ----------------------------------------------------------------------------------

    def schema_version(self) -> int:
        row = self._db.execute("SELECT to_regclass('newsdesk_schema') IS NOT NULL AS present").fetchone()
        if not row or not row["present"]:
            return 0
        found = self._db.execute("SELECT max(version) AS version FROM newsdesk_schema").fetchone()
        return int(found["version"] or 0) if found else 0

    def _check_version(self) -> None:
        version = self.schema_version()
        if version > len(MIGRATIONS):
            raise StoreError(
                f"{_safe(self.url)}: the database has schema version {version}, newer than this newsdesk "
                f"understands ({len(MIGRATIONS)}); upgrade newsdesk"
            )

    def _migrate(self) -> None:
        try:
            with self._db.transaction():
                self._db.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
                self._db.execute("CREATE TABLE IF NOT EXISTS newsdesk_schema (version INTEGER NOT NULL)")
            self._check_version()
            for version in range(self.schema_version() + 1, len(MIGRATIONS) + 1):
                with self._db.transaction():
                    self._db.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
                    if self.schema_version() >= version:
                        continue
                    self._db.execute(MIGRATIONS[version - 1])
                    self._db.execute("INSERT INTO newsdesk_schema (version) VALUES (%s)", (version,))
        except psycopg.Error as exc:
            raise StoreError(f"{_safe(self.url)}: migration failed ({_first_line(exc)})") from exc

    # -- search ----------------------------------------------------------------------------------

    def search_articles(self, query: str, *, limit: int = 20) -> list[SearchHit]:
        terms = query_terms(query)
        if not terms:
            return []
        tsquery = " & ".join("'" + term + "'" for term in terms)
        rows = self._db.execute(
            "SELECT id, title, source, published, body FROM articles "
            "WHERE search @@ to_tsquery('simple', %s) "
            "ORDER BY ts_rank(search, to_tsquery('simple', %s)) DESC, seq LIMIT %s",
            (tsquery, tsquery, limit),
        ).fetchall()
        return [SearchHit(r["id"], r["title"], r["source"], r["published"], snippet(r["body"], terms)) for r in rows]

    def close(self) -> None:
        self._db.close()


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    credentials, host = rest.rsplit("@", 1)
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}@{host}"


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]
