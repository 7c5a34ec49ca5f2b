"""The PostgreSQL store, for teams: the same interface and the same tests as the SQLite store.

Needs the ``[postgres]`` extra (psycopg 3). Schema versions live in ``newsdesk_schema``; migrations
run under an advisory lock, each in its own transaction. Full-text search uses a ``tsvector`` of the
folded title (weight A) and body (weight B) with a GIN index; folding happens in Python so matching
and snippets agree with the SQLite store.
"""

from __future__ import annotations

import datetime as dt

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
    fold,
    query_terms,
    snippet,
)

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
)

_LOCK = 7_311_002  # advisory lock id that serialises migrations


class PostgresStore(Store):
    """A store in a PostgreSQL database (``postgresql://user@host:port/dbname``)."""

    def __init__(self, url: str, *, readonly: bool = False) -> None:
        if psycopg is None:
            raise StoreError(f"{_safe(url)}: PostgreSQL needs the postgres extra: pip install 'newsdesk[postgres]'")
        self.url = url
        self.readonly = readonly
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

    # -- articles --------------------------------------------------------------------------------

    def add_article(self, article: Article) -> AddResult:
        if self.readonly:
            raise StoreError(f"{_safe(self.url)}: the store is open read-only")
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        values = article_values(article)
        placeholders = ", ".join("%s" for _ in ARTICLE_COLUMNS)
        try:
            with self._db.transaction():
                inserted = self._db.execute(
                    f"INSERT INTO articles ({', '.join(ARTICLE_COLUMNS)}, published_sort, ingested_at, search) "
                    f"VALUES ({placeholders}, %s, %s, "
                    "setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'B')) "
                    "ON CONFLICT (id) DO NOTHING RETURNING seq",
                    (
                        *values,
                        sort_key(article.published),
                        now,
                        fold(article.title or ""),
                        fold(article.body),
                    ),
                ).fetchone()
                self._db.execute(
                    "INSERT INTO article_locations (article_id, location, raw_sha256, first_seen) "
                    "VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
                    (article.id, article.location, article.raw_sha256, now),
                )
        except psycopg.Error as exc:
            raise StoreError(f"{_safe(self.url)}: cannot store article {article.id} ({_first_line(exc)})") from exc
        return AddResult(article_id=article.id, new=inserted is not None)

    def get_article(self, ref: str) -> Article:
        ref = ref.strip().lower()
        if not ref or not all(c in "0123456789abcdef" for c in ref):
            raise NotFoundError(f"no article {ref!r}: ids are hexadecimal (see `newsdesk articles`)")
        rows = self._db.execute("SELECT * FROM articles WHERE id LIKE %s ORDER BY id LIMIT 2", (ref + "%",)).fetchall()
        if not rows:
            raise NotFoundError(f"no article {ref!r} (see `newsdesk articles` for stored ids)")
        if len(rows) > 1 and rows[0]["id"] != ref:
            raise NotFoundError(f"{ref!r} matches several articles; give more characters of the id")
        return article_from_row(rows[0])

    def list_articles(self, *, limit: int | None = None, offset: int = 0) -> list[Article]:
        rows = self._db.execute("SELECT * FROM articles ORDER BY seq LIMIT %s OFFSET %s", (limit, offset)).fetchall()
        return [article_from_row(row) for row in rows]

    def count_articles(self) -> int:
        row = self._db.execute("SELECT count(*) AS n FROM articles").fetchone()
        return int(row["n"]) if row else 0

    def article_locations(self, article_id: str) -> list[tuple[str, str]]:
        rows = self._db.execute(
            "SELECT location, raw_sha256 FROM article_locations WHERE article_id = %s ORDER BY first_seen, seq",
            (article_id,),
        ).fetchall()
        return [(row["location"], row["raw_sha256"]) for row in rows]

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
