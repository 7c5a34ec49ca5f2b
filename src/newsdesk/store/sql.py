"""What the SQLite and PostgreSQL stores share: the queries, written once.

SQL here uses ``?`` placeholders; a backend whose driver wants another style says so with
:attr:`SQLStore.placeholder`. Backends supply the connection, the schema migrations, the
transaction statements, full-text search and the mapping of driver errors.
"""

from __future__ import annotations

import datetime as dt
import json
from abc import abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from newsdesk.errors import NotFoundError, StoreError
from newsdesk.extract.dates import sort_key
from newsdesk.records import AlignedPair, Article, FamilyMember, Relation, Story, StoryEvent, Storyline, StoryMember
from newsdesk.store.base import (
    ARTICLE_COLUMNS,
    AddResult,
    Feed,
    SeenEntry,
    Store,
    article_from_row,
    article_values,
    state_tag,
)

# The most keys find_stories reads at once (one statement; SQLite allows 500 terms in a compound SELECT).
_MAX_POSTED = 200
# A story row without its grouping state.
_HEAD_COLUMNS = (
    "seq, id, title, created_at, updated, first_published, last_published, status, article_count, merged_into, "
    "state_tag"
)
# What the group stage writes, forgotten together when stories are rebuilt.
_STORY_TABLES = (
    "story_articles", "story_events", "story_postings", "feature_counts", "feature_journal", "stories",
    "storyline_stories", "storyline_postings", "storylines",
)  # fmt: skip


class SQLStore(Store):
    """A store over a DB-API connection with named-column rows."""

    placeholder = "?"
    readonly: bool
    _depth: int = 0

    # -- what a backend provides -------------------------------------------------------------------

    @abstractmethod
    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run one statement (``?`` placeholders already converted) and return the cursor."""

    @abstractmethod
    def _begin(self) -> None: ...

    @abstractmethod
    def _driver_errors(self) -> tuple[type[BaseException], ...]: ...

    def _article_search_columns(self, article: Article) -> tuple[list[str], list[str], list[Any]]:
        """Extra ``(columns, value expressions, parameters)`` a backend stores for full-text search."""
        return [], [], []

    # -- plumbing --------------------------------------------------------------------------------

    def _x(self, sql: str, params: Sequence[Any] = ()) -> Any:
        if self.placeholder != "?":
            sql = sql.replace("?", self.placeholder)
        return self._execute(sql, params)

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        return list(self._x(sql, params).fetchall())

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._x(sql, params).fetchone()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic unit of writes; nested calls join the outer transaction."""
        if self.readonly:
            raise StoreError(f"{self._name()}: the store is open read-only")
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._begin()
        self._depth = 1
        try:
            yield
        except BaseException:
            self._depth = 0
            self._execute("ROLLBACK")
            raise
        self._depth = 0
        self._execute("COMMIT")

    def _name(self) -> str:
        return self.url

    def _fail(self, doing: str, exc: BaseException) -> StoreError:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        return StoreError(f"{self._name()}: {doing} ({first})")

    # -- articles --------------------------------------------------------------------------------

    def add_article(self, article: Article) -> AddResult:
        now = _now()
        columns, expressions, extra = self._article_search_columns(article)
        names = [*ARTICLE_COLUMNS, "published_sort", "ingested_at", *columns]
        values = ["?"] * (len(ARTICLE_COLUMNS) + 2) + expressions
        try:
            with self.transaction():
                inserted = self._one(
                    f"INSERT INTO articles ({', '.join(names)}) VALUES ({', '.join(values)}) "
                    "ON CONFLICT (id) DO NOTHING RETURNING seq",
                    (*article_values(article), sort_key(article.published), now, *extra),
                )
                self._x(
                    "INSERT INTO article_locations (article_id, location, raw_sha256, first_seen) "
                    "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    (article.id, article.location, article.raw_sha256, now),
                )
        except self._driver_errors() as exc:
            raise self._fail(f"cannot store article {article.id}", exc) from exc
        return AddResult(article_id=article.id, new=inserted is not None)

    def get_article(self, ref: str) -> Article:
        return article_from_row(self._by_prefix("articles", ref, "article", "0123456789abcdef"))

    def _by_prefix(self, table: str, ref: str, what: str, alphabet: str) -> Any:
        """The row of ``table`` (also the listing command) whose id is ``ref`` or starts with it."""
        ref = ref.strip().lower()
        if not ref or not all(c in alphabet for c in ref):
            raise NotFoundError(f"no {what} {ref!r}: not an id of this store (see `newsdesk {table}`)")
        rows = self._rows(f"SELECT * FROM {table} WHERE id LIKE ? ORDER BY id LIMIT 2", (ref + "%",))
        if not rows:
            raise NotFoundError(f"no {what} {ref!r} (see `newsdesk {table}` for stored ids)")
        if len(rows) > 1 and rows[0]["id"] != ref:
            raise NotFoundError(f"{ref!r} matches several {table}; give more characters of the id")
        return rows[0]

    def get_articles(self, ids: Iterable[str]) -> list[Article]:
        wanted = list(dict.fromkeys(ids))
        found: dict[str, Article] = {}
        for chunk in _chunks(wanted, 500):
            marks = ", ".join("?" for _ in chunk)
            for row in self._rows(f"SELECT * FROM articles WHERE id IN ({marks})", chunk):
                found[row["id"]] = article_from_row(row)
        return [found[i] for i in wanted if i in found]

    def arrival_order(self, ids: Iterable[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for chunk in _chunks(list(dict.fromkeys(ids)), 500):
            marks = ", ".join("?" for _ in chunk)
            for row in self._rows(f"SELECT id, seq FROM articles WHERE id IN ({marks})", chunk):
                found[row["id"]] = int(row["seq"])
        return found

    def list_articles(self, *, limit: int | None = None, offset: int = 0) -> list[Article]:
        rows = self._rows("SELECT * FROM articles ORDER BY seq LIMIT ? OFFSET ?", (_limit(limit), offset))
        return [article_from_row(row) for row in rows]

    def count_articles(self) -> int:
        row = self._one("SELECT count(*) AS n FROM articles")
        return int(row["n"])

    def article_locations(self, article_id: str) -> list[tuple[str, str]]:
        rows = self._rows(
            "SELECT location, raw_sha256 FROM article_locations WHERE article_id = ? ORDER BY first_seen, seq",
            (article_id,),
        )
        return [(row["location"], row["raw_sha256"]) for row in rows]

    # -- relations and families ------------------------------------------------------------------

    def add_relation(self, relation: Relation) -> None:
        with self.transaction():
            self._x(
                "INSERT INTO relations (derived_id, source_id, kind, score, direction, features, evidence, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (derived_id, source_id) DO UPDATE SET "
                "kind = excluded.kind, score = excluded.score, direction = excluded.direction, "
                "features = excluded.features, evidence = excluded.evidence",
                (
                    relation.derived,
                    relation.source,
                    relation.kind,
                    relation.score,
                    relation.direction,
                    json.dumps(relation.features, sort_keys=True),
                    json.dumps([pair.to_dict() for pair in relation.evidence]),
                    _now(),
                ),
            )

    def relations(self, article_id: str | None = None) -> list[Relation]:
        if article_id is None:
            rows = self._rows("SELECT * FROM relations ORDER BY seq")
        else:
            rows = self._rows(
                "SELECT * FROM relations WHERE derived_id = ? OR source_id = ? ORDER BY seq", (article_id, article_id)
            )
        return [_relation(row) for row in rows]

    def set_family(self, members: Iterable[FamilyMember]) -> None:
        with self.transaction():
            for member in members:
                self._x(
                    "INSERT INTO families (article_id, family_id, role, derived_from) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (article_id) DO UPDATE SET family_id = excluded.family_id, "
                    "role = excluded.role, derived_from = excluded.derived_from",
                    (member.article_id, member.family_id, member.role, member.derived_from),
                )

    def family_of(self, article_id: str) -> FamilyMember | None:
        row = self._one("SELECT * FROM families WHERE article_id = ?", (article_id,))
        return _member(row) if row else None

    def family_members(self, family_id: str) -> list[FamilyMember]:
        rows = self._rows(
            "SELECT f.* FROM families f JOIN articles a ON a.id = f.article_id WHERE f.family_id = ? ORDER BY a.seq",
            (family_id,),
        )
        return [_member(row) for row in rows]

    def families(self, article_ids: Iterable[str]) -> dict[str, FamilyMember]:
        found: dict[str, FamilyMember] = {}
        for chunk in _chunks(list(dict.fromkeys(article_ids)), 500):
            marks = ", ".join("?" for _ in chunk)
            for row in self._rows(f"SELECT * FROM families WHERE article_id IN ({marks})", chunk):
                found[row["article_id"]] = _member(row)
        return found

    def reset_relations(self) -> None:
        with self.transaction():
            for table in ("relations", "families", "lsh_keys", "sketches"):
                self._x(f"DELETE FROM {table}")
            self._x("DELETE FROM meta WHERE key LIKE ?", ("relate.%",))

    # -- the similarity index (MinHash LSH band keys) ------------------------------------------------

    def add_index_keys(self, article_id: str, keys: Iterable[tuple[int, int]], *, bucket_cap: int) -> None:
        """Index an article's band keys; a bucket stops growing once it holds more than ``bucket_cap``.

        Full buckets (keys that a large part of the store shares) say nothing about relatedness and
        are skipped when searching, so adding to them would only cost space and time.
        """
        pairs = list(dict.fromkeys(keys))
        distinct = list(dict.fromkeys(key for key, _ in pairs))
        full: set[int] = set()
        with self.transaction():
            for chunk in _chunks(distinct, 500):
                marks = ", ".join("?" for _ in chunk)
                found = self._x(
                    f"SELECT key FROM lsh_keys WHERE key IN ({marks}) GROUP BY key HAVING count(*) > ?",
                    [*chunk, bucket_cap],
                )
                full.update(int(r["key"]) for r in found.fetchall())
            rows = [(key, article_id, sentence) for key, sentence in pairs if key not in full]
            for part in _chunks(rows, 500):
                marks = ", ".join("(?, ?, ?)" for _ in part)
                self._x(
                    f"INSERT INTO lsh_keys (key, article_id, sentence) VALUES {marks} ON CONFLICT DO NOTHING",
                    [value for row in part for value in row],
                )

    def index_matches(self, keys: Iterable[int], *, bucket_cap: int) -> list[tuple[int, str, int]]:
        """``(key, article id, sentence)`` rows sharing a key, skipping buckets of more than ``bucket_cap``."""
        wanted = list(dict.fromkeys(keys))
        rows: list[tuple[int, str, int]] = []
        for chunk in _chunks(wanted, 500):
            marks = ", ".join("?" for _ in chunk)
            found = self._x(
                f"SELECT key, article_id, sentence FROM lsh_keys WHERE key IN ({marks}) AND key IN "
                f"(SELECT key FROM lsh_keys WHERE key IN ({marks}) GROUP BY key HAVING count(*) <= ?)",
                [*chunk, *chunk, bucket_cap],
            )
            rows.extend((int(r["key"]), r["article_id"], int(r["sentence"])) for r in found.fetchall())
        return rows

    def add_sketch(self, article_id: str, sketch: bytes) -> None:
        with self.transaction():
            self._x(
                "INSERT INTO sketches (article_id, sketch) VALUES (?, ?) "
                "ON CONFLICT (article_id) DO UPDATE SET sketch = excluded.sketch",
                (article_id, sketch),
            )

    def sketches(self, article_ids: Iterable[str]) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        for chunk in _chunks(list(dict.fromkeys(article_ids)), 500):
            marks = ", ".join("?" for _ in chunk)
            for row in self._rows(f"SELECT article_id, sketch FROM sketches WHERE article_id IN ({marks})", chunk):
                found[row["article_id"]] = bytes(row["sketch"])
        return found

    # -- sentences repeated across articles ------------------------------------------------------------

    def add_repeat_keys(self, article_id: str, keys: Iterable[int], *, cap: int) -> None:
        distinct = list(dict.fromkeys(keys))
        with self.transaction():
            full: set[int] = set()
            for chunk in _chunks(distinct, 500):
                marks = ", ".join("?" for _ in chunk)
                found = self._x(
                    f"SELECT key FROM sentence_repeats WHERE key IN ({marks}) GROUP BY key HAVING count(*) >= ?",
                    [*chunk, cap],
                )
                full.update(int(r["key"]) for r in found.fetchall())
            rows = [(key, article_id) for key in distinct if key not in full]
            for part in _chunks(rows, 500):
                marks = ", ".join("(?, ?)" for _ in part)
                self._x(
                    f"INSERT INTO sentence_repeats (key, article_id) VALUES {marks} ON CONFLICT DO NOTHING",
                    [value for row in part for value in row],
                )

    def repeated_keys(
        self, keys: Iterable[int], *, families: int, stories: int, span_days: float | None = None
    ) -> set[int]:
        found: set[int] = set()
        for chunk in _chunks(list(dict.fromkeys(keys)), 500):
            marks = ", ".join("?" for _ in chunk)
            rows = self._rows(
                "SELECT r.key AS key, count(DISTINCT coalesce(s.story_id, r.article_id)) AS stories, "
                "min(NULLIF(a.published_sort, '')) AS first, max(NULLIF(a.published_sort, '')) AS last "
                "FROM sentence_repeats r "
                "JOIN articles a ON a.id = r.article_id "
                "LEFT JOIN families f ON f.article_id = r.article_id "
                "LEFT JOIN story_articles s ON s.article_id = r.article_id "
                f"WHERE r.key IN ({marks}) GROUP BY r.key "
                "HAVING count(DISTINCT coalesce(f.family_id, r.article_id)) >= ?",
                [*chunk, families],
            )
            found.update(
                int(r["key"])
                for r in rows
                if r["stories"] >= stories or (span_days is not None and _span_days(r["first"], r["last"]) >= span_days)
            )
        return found

    def has_repeat_keys(self) -> bool:
        return self._one("SELECT 1 AS one FROM sentence_repeats LIMIT 1") is not None

    # -- stories -----------------------------------------------------------------------------------

    def save_story(self, story: Story, state: bytes) -> int:
        tag = state_tag(state)
        with self.transaction():
            self._x(
                "INSERT INTO stories (id, title, created_at, updated, first_published, last_published, last_sort, "
                "status, article_count, merged_into, state, state_tag) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET title = excluded.title, updated = excluded.updated, "
                "first_published = excluded.first_published, last_published = excluded.last_published, "
                "last_sort = excluded.last_sort, status = excluded.status, article_count = excluded.article_count, "
                "merged_into = excluded.merged_into, state = excluded.state, state_tag = excluded.state_tag",
                (
                    story.id,
                    story.title,
                    story.created_at,
                    story.updated,
                    story.first_published,
                    story.last_published,
                    sort_key(story.updated),
                    story.status,
                    story.article_count,
                    story.merged_into,
                    state,
                    tag,
                ),
            )
        return tag

    def story_states(self, ids: Iterable[str]) -> dict[str, tuple[Story, bytes]]:
        found: dict[str, tuple[Story, bytes]] = {}
        for chunk in _chunks(list(dict.fromkeys(ids)), 500):
            marks = ", ".join("?" for _ in chunk)
            for row in self._rows(f"SELECT * FROM stories WHERE id IN ({marks})", chunk):
                found[row["id"]] = (_story(row), bytes(row["state"]))
        return found

    def story_centroids(self, ids: Iterable[str]) -> dict[str, tuple[int, bytes]]:
        found: dict[str, tuple[int, bytes]] = {}
        for chunk in _chunks(list(dict.fromkeys(ids)), 500):
            marks = ", ".join("?" for _ in chunk)
            for row in self._rows(f"SELECT id, state_tag, state FROM stories WHERE id IN ({marks})", chunk):
                found[row["id"]] = (int(row["state_tag"]) or state_tag(bytes(row["state"])), bytes(row["state"]))
        return found

    def story_heads(self, ids: Iterable[str]) -> dict[str, tuple[Story, int]]:
        found: dict[str, tuple[Story, int]] = {}
        for chunk in _chunks(list(dict.fromkeys(ids)), 500):
            marks = ", ".join("?" for _ in chunk)
            for row in self._rows(f"SELECT {_HEAD_COLUMNS} FROM stories WHERE id IN ({marks})", chunk):
                found[row["id"]] = (_story(row), int(row["state_tag"]))
        return found

    def get_story(self, ref: str) -> Story:
        story = _story(self._by_prefix("stories", ref, "story", "0123456789abcdefs"))
        return self.get_story(story.merged_into) if story.merged_into else story

    def list_stories(self, *, limit: int | None = None, offset: int = 0) -> list[Story]:
        rows = self._rows(
            "SELECT * FROM stories WHERE merged_into IS NULL ORDER BY last_sort DESC, seq DESC LIMIT ? OFFSET ?",
            (_limit(limit), offset),
        )
        return [_story(row) for row in rows]

    def latest_publication(self) -> str:
        row = self._one("SELECT max(published_sort) AS latest FROM articles")
        return str(row["latest"] or "")

    def count_stories(self) -> int:
        return int(self._one("SELECT count(*) AS n FROM stories WHERE merged_into IS NULL")["n"])

    def set_story_member(self, member: StoryMember) -> None:
        with self.transaction():
            self._x(
                "INSERT INTO story_articles (article_id, story_id, similarity, how, joined_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id, "
                "similarity = excluded.similarity, how = excluded.how, joined_at = excluded.joined_at",
                (member.article_id, member.story_id, member.similarity, member.how, member.joined_at),
            )

    def move_story_members(self, source: str, target: str) -> None:
        with self.transaction():
            self._x("UPDATE story_articles SET story_id = ? WHERE story_id = ?", (target, source))
            self._move_postings("story_postings", "story_id", source, target)

    def story_members(self, story_id: str) -> list[StoryMember]:
        rows = self._rows(
            "SELECT m.* FROM story_articles m JOIN articles a ON a.id = m.article_id WHERE m.story_id = ? "
            "ORDER BY a.seq",
            (story_id,),
        )
        return [
            StoryMember(r["article_id"], r["story_id"], float(r["similarity"]), r["how"], r["joined_at"]) for r in rows
        ]

    def stories_of(self, article_ids: Iterable[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for chunk in _chunks(list(dict.fromkeys(article_ids)), 500):
            marks = ", ".join("?" for _ in chunk)
            for row in self._rows(
                f"SELECT article_id, story_id FROM story_articles WHERE article_id IN ({marks})", chunk
            ):
                found[row["article_id"]] = row["story_id"]
        return found

    def add_story_event(self, event: StoryEvent) -> None:
        with self.transaction():
            self._x(
                "INSERT INTO story_events (story_id, kind, article_id, detail, at) VALUES (?, ?, ?, ?, ?)",
                (event.story_id, event.kind, event.article_id, event.detail, event.at),
            )

    def story_events(self, story_id: str) -> list[StoryEvent]:
        rows = self._rows("SELECT * FROM story_events WHERE story_id = ? ORDER BY seq", (story_id,))
        return [StoryEvent(r["story_id"], r["kind"], r["article_id"], r["detail"], r["at"]) for r in rows]

    def add_story_postings(self, story_id: str, keys: Iterable[int], posted: int, *, refresh_after: int = 0) -> None:
        """Post a story under ``keys`` at ``posted``.

        Postings are ordered by ``(key, posted, story_id)``, the order :meth:`find_stories` reads them
        in, and the code keeps one posting per key and story. One already there moves up only when
        it is more than ``refresh_after`` older: a story that keeps reporting the same names does not
        rewrite their pages with every article.
        """
        self._add_postings("story_postings", "story_id", story_id, keys, posted, refresh_after)

    def find_stories(self, keys: Iterable[int], *, posting_cap: int, limit: int) -> list[tuple[str, int]]:
        """Stories sharing the most ``keys``, reading for each key only the ``posting_cap`` latest postings.

        Each key's postings are read newest first, in the table's own order, and stop at the cap, so
        the cost does not grow with the store however common a feature becomes.
        """
        return self._find_posted("story_postings", "story_id", keys, posting_cap, limit)

    # -- postings (stories and storylines) -----------------------------------------------------------

    def _add_postings(
        self, table: str, column: str, owner: str, keys: Iterable[int], posted: int, refresh_after: int
    ) -> None:
        wanted = sorted(set(keys))
        with self.transaction():
            before: dict[int, int] = {}
            for chunk in _chunks(wanted, 500):
                marks = ", ".join("?" for _ in chunk)
                sql = f"SELECT key, posted FROM {table} WHERE {column} = ? AND key IN ({marks})"
                before.update((int(row["key"]), int(row["posted"])) for row in self._rows(sql, [owner, *chunk]))
            moving = [key for key in wanted if key not in before or before[key] < posted - refresh_after]
            for chunk in _chunks([key for key in moving if key in before], 500):
                marks = ", ".join("?" for _ in chunk)
                self._x(f"DELETE FROM {table} WHERE {column} = ? AND key IN ({marks})", [owner, *chunk])
            for part in _chunks([(key, posted, owner) for key in moving], 500):
                marks = ", ".join("(?, ?, ?)" for _ in part)
                self._x(
                    f"INSERT INTO {table} (key, posted, {column}) VALUES {marks} ON CONFLICT DO NOTHING",
                    [value for row in part for value in row],
                )

    def _find_posted(
        self, table: str, column: str, keys: Iterable[int], posting_cap: int, limit: int
    ) -> list[tuple[str, int]]:
        wanted = list(dict.fromkeys(keys))
        if not wanted:
            return []
        if len(wanted) > _MAX_POSTED:
            raise ValueError(f"a lookup reads at most {_MAX_POSTED} keys at once, not {len(wanted)}")
        latest = " UNION ALL ".join(
            f"SELECT {column} FROM (SELECT {column} FROM {table} WHERE key = ? "
            f"ORDER BY posted DESC, {column} DESC LIMIT ?) AS p{number}"
            for number in range(len(wanted))
        )
        rows = self._rows(
            f"SELECT {column} AS owner, count(*) AS n FROM ({latest}) AS hits GROUP BY {column} "
            f"ORDER BY count(*) DESC, {column} LIMIT ?",
            [*(value for key in wanted for value in (key, posting_cap)), limit],
        )
        return sorted(((row["owner"], int(row["n"])) for row in rows), key=lambda item: (-item[1], item[0]))

    def _move_postings(self, table: str, column: str, source: str, target: str) -> None:
        # A key both are posted under keeps the later posting, now the target's.
        self._x(
            f"DELETE FROM {table} WHERE {column} = ? AND EXISTS (SELECT 1 FROM {table} AS other "
            f"WHERE other.{column} = ? AND other.key = {table}.key AND other.posted > {table}.posted)",
            (target, source),
        )
        self._x(
            f"DELETE FROM {table} WHERE {column} = ? AND key IN (SELECT key FROM {table} WHERE {column} = ?)",
            (source, target),
        )
        self._x(f"UPDATE {table} SET {column} = ? WHERE {column} = ?", (target, source))

    # -- storylines ----------------------------------------------------------------------------------

    def save_storyline(self, line: Storyline, state: bytes) -> None:
        with self.transaction():
            self._x(
                "INSERT INTO storylines (id, title, top_story, top_count, created_at, updated, first_published, "
                "last_published, last_sort, story_count, article_count, merged_into, state) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET title = excluded.title, top_story = excluded.top_story, "
                "top_count = excluded.top_count, updated = excluded.updated, "
                "first_published = excluded.first_published, last_published = excluded.last_published, "
                "last_sort = excluded.last_sort, story_count = excluded.story_count, "
                "article_count = excluded.article_count, merged_into = excluded.merged_into, state = excluded.state",
                (
                    line.id, line.title, line.top_story, line.top_count, line.created_at, line.updated,
                    line.first_published, line.last_published, sort_key(line.updated), line.story_count,
                    line.article_count, line.merged_into, state,
                ),
            )  # fmt: skip

    def storyline_states(self, ids: Iterable[str]) -> dict[str, tuple[Storyline, bytes]]:
        found: dict[str, tuple[Storyline, bytes]] = {}
        for chunk in _chunks(list(dict.fromkeys(ids)), 500):
            marks = ", ".join("?" for _ in chunk)
            for row in self._rows(f"SELECT * FROM storylines WHERE id IN ({marks})", chunk):
                found[row["id"]] = (_storyline(row), bytes(row["state"]))
        return found

    def get_storyline(self, ref: str) -> Storyline:
        line = _storyline(self._by_prefix("storylines", ref, "storyline", "0123456789abcdefl"))
        return self.get_storyline(line.merged_into) if line.merged_into else line

    def list_storylines(self, *, limit: int | None = None, offset: int = 0, min_stories: int = 1) -> list[Storyline]:
        rows = self._rows(
            "SELECT * FROM storylines WHERE merged_into IS NULL AND story_count >= ? "
            "ORDER BY last_sort DESC, seq DESC LIMIT ? OFFSET ?",
            (min_stories, _limit(limit), offset),
        )
        return [_storyline(row) for row in rows]

    def count_storylines(self, *, min_stories: int = 1) -> int:
        row = self._one(
            "SELECT count(*) AS n FROM storylines WHERE merged_into IS NULL AND story_count >= ?", (min_stories,)
        )
        return int(row["n"])

    def set_story_storyline(self, story_id: str, storyline_id: str, similarity: float, how: str, at: str) -> None:
        with self.transaction():
            self._x(
                "INSERT INTO storyline_stories (story_id, storyline_id, similarity, how, joined_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (story_id) DO UPDATE SET storyline_id = excluded.storyline_id, "
                "similarity = excluded.similarity, how = excluded.how, joined_at = excluded.joined_at",
                (story_id, storyline_id, similarity, how, at),
            )

    def storylines_of(self, story_ids: Iterable[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for chunk in _chunks(list(dict.fromkeys(story_ids)), 500):
            marks = ", ".join("?" for _ in chunk)
            sql = f"SELECT story_id, storyline_id FROM storyline_stories WHERE story_id IN ({marks})"
            for row in self._rows(sql, chunk):
                found[row["story_id"]] = row["storyline_id"]
        return found

    def storyline_stories(self, storyline_id: str) -> list[Story]:
        rows = self._rows(
            "SELECT s.* FROM storyline_stories l JOIN stories s ON s.id = l.story_id "
            "WHERE l.storyline_id = ? AND s.merged_into IS NULL ORDER BY s.last_sort DESC, s.seq DESC",
            (storyline_id,),
        )
        return [_story(row) for row in rows]

    def move_storyline_stories(self, source: str, target: str) -> None:
        with self.transaction():
            self._x("UPDATE storyline_stories SET storyline_id = ? WHERE storyline_id = ?", (target, source))
            self._move_postings("storyline_postings", "storyline_id", source, target)

    def add_storyline_postings(
        self, storyline_id: str, keys: Iterable[int], posted: int, *, refresh_after: int = 0
    ) -> None:
        self._add_postings("storyline_postings", "storyline_id", storyline_id, keys, posted, refresh_after)

    def find_storylines(self, keys: Iterable[int], *, posting_cap: int, limit: int) -> list[tuple[str, int]]:
        return self._find_posted("storyline_postings", "storyline_id", keys, posting_cap, limit)

    def feature_counts(self, keys: Iterable[int]) -> dict[int, int]:
        found: dict[int, int] = {}
        for chunk in _chunks(list(dict.fromkeys(keys)), 500):
            marks = ", ".join("?" for _ in chunk)
            for row in self._rows(f"SELECT key, df FROM feature_counts WHERE key IN ({marks})", chunk):
                found[int(row["key"])] = int(row["df"])
        return found

    def add_feature_journal(self, article_id: str, keys: bytes) -> int:
        with self.transaction():
            row = self._one(
                "INSERT INTO feature_journal (article_id, keys) VALUES (?, ?) RETURNING seq", (article_id, keys)
            )
        return int(row["seq"])

    def feature_journal_head(self) -> tuple[int, str] | None:
        row = self._one("SELECT seq, article_id FROM feature_journal ORDER BY seq DESC LIMIT 1")
        return None if row is None else (int(row["seq"]), row["article_id"])

    def feature_journal(self) -> list[tuple[int, str, bytes]]:
        rows = self._rows("SELECT seq, article_id, keys FROM feature_journal ORDER BY seq")
        return [(int(r["seq"]), r["article_id"], bytes(r["keys"])) for r in rows]

    def fold_feature_journal(self, counts: Iterable[tuple[int, int]], rows: Iterable[int]) -> None:
        """Keys are written in ascending order: neighbouring rows share pages, and writers lock in one order."""
        with self.transaction():
            for chunk in _chunks(sorted(counts), 500):
                marks = ", ".join("(?, ?)" for _ in chunk)
                self._x(
                    f"INSERT INTO feature_counts (key, df) VALUES {marks} "
                    "ON CONFLICT (key) DO UPDATE SET df = feature_counts.df + excluded.df",
                    [value for pair in chunk for value in pair],
                )
            for part in _chunks(sorted(rows), 500):
                self._x(f"DELETE FROM feature_journal WHERE seq IN ({', '.join('?' for _ in part)})", part)

    def reset_stories(self) -> None:
        with self.transaction():
            for table in _STORY_TABLES:
                self._x(f"DELETE FROM {table}")
            self._x("DELETE FROM meta WHERE key LIKE ?", ("group.%",))

    # -- feed subscriptions ----------------------------------------------------------------------

    def add_feed(self, url: str, *, title: str | None = None) -> tuple[Feed, bool]:
        with self.transaction():
            row = self._one(
                "INSERT INTO feeds (url, title, added) VALUES (?, ?, ?) ON CONFLICT (url) DO NOTHING RETURNING id",
                (url, title, _now()),
            )
            found = self._one("SELECT * FROM feeds WHERE url = ?", (url,))
        return _feed(found), row is not None

    def get_feed(self, feed_id: int) -> Feed:
        row = self._one("SELECT * FROM feeds WHERE id = ?", (feed_id,))
        if row is None:
            raise NotFoundError(f"no feed {feed_id}: `newsdesk feeds list` shows the subscriptions")
        return _feed(row)

    def list_feeds(self) -> list[Feed]:
        return [_feed(row) for row in self._rows("SELECT * FROM feeds ORDER BY id")]

    def due_feeds(self, now: str) -> list[Feed]:
        rows = self._rows("SELECT * FROM feeds WHERE gone = 0 AND next_fetch <= ? ORDER BY next_fetch, id", (now,))
        return [_feed(row) for row in rows]

    def save_feed(self, feed: Feed) -> None:
        with self.transaction():
            self._x(
                "UPDATE feeds SET url = ?, title = ?, last_fetch = ?, last_status = ?, next_fetch = ?, etag = ?, "
                "last_modified = ?, entries_seen = ?, errors = ?, last_error = ?, interval_seconds = ?, gone = ? "
                "WHERE id = ?",
                (
                    feed.url, feed.title, feed.last_fetch, feed.last_status, feed.next_fetch, feed.etag,
                    feed.last_modified, feed.entries_seen, feed.errors, feed.last_error, feed.interval_seconds,
                    int(feed.gone), feed.id,
                ),
            )  # fmt: skip

    def remove_feed(self, feed_id: int) -> None:
        self.get_feed(feed_id)
        with self.transaction():
            self._x("DELETE FROM feed_entries WHERE feed_id = ?", (feed_id,))
            self._x("DELETE FROM feeds WHERE id = ?", (feed_id,))

    def seen_entries(self, feed_id: int, entries: Iterable[str]) -> dict[str, SeenEntry]:
        found: dict[str, SeenEntry] = {}
        for chunk in _chunks(list(dict.fromkeys(entries)), 500):
            marks = ", ".join("?" for _ in chunk)
            rows = self._rows(
                f"SELECT entry, updated, content_sha256 FROM feed_entries WHERE feed_id = ? AND entry IN ({marks})",
                (feed_id, *chunk),
            )
            for row in rows:
                found[row["entry"]] = SeenEntry(row["updated"], row["content_sha256"])
        return found

    def mark_entry_seen(
        self, feed_id: int, entry: str, updated: str | None, content_sha256: str, article_id: str | None
    ) -> None:
        now = _now()
        with self.transaction():
            self._x(
                "INSERT INTO feed_entries (feed_id, entry, updated, content_sha256, article_id, first_seen, last_seen) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (feed_id, entry) DO UPDATE SET updated = excluded.updated, "
                "content_sha256 = excluded.content_sha256, article_id = excluded.article_id, "
                "last_seen = excluded.last_seen",
                (feed_id, entry, updated, content_sha256, article_id, now, now),
            )

    def count_feed_entries(self, feed_id: int) -> int:
        row = self._one("SELECT count(*) AS n FROM feed_entries WHERE feed_id = ?", (feed_id,))
        return int(row["n"])

    def prune_feed_entries(self, feed_id: int, listed: Iterable[str], now: str, before: str) -> int:
        with self.transaction():
            for chunk in _chunks(list(dict.fromkeys(listed)), 500):
                marks = ", ".join("?" for _ in chunk)
                self._x(
                    f"UPDATE feed_entries SET last_seen = ? WHERE feed_id = ? AND entry IN ({marks})",
                    (now, feed_id, *chunk),
                )
            gone = self._x("DELETE FROM feed_entries WHERE feed_id = ? AND last_seen < ?", (feed_id, before))
        return max(0, int(gone.rowcount))

    # -- leases ----------------------------------------------------------------------------------

    def take_lease(self, name: str, owner: str, until: str, now: str, *, replacing: str | None = None) -> bool:
        with self.transaction():
            row = self._one(
                "INSERT INTO leases (name, owner, expires) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
                "owner = excluded.owner, expires = excluded.expires "
                "WHERE leases.owner = excluded.owner OR leases.expires < ? OR leases.owner = ? RETURNING owner",
                (name, owner, until, now, replacing or owner),
            )
        return row is not None

    def lease_holder(self, name: str) -> tuple[str, str] | None:
        row = self._one("SELECT owner, expires FROM leases WHERE name = ?", (name,))
        return None if row is None else (row["owner"], row["expires"])

    def release_lease(self, name: str, owner: str) -> None:
        with self.transaction():
            self._x("DELETE FROM leases WHERE name = ? AND owner = ?", (name, owner))

    # -- store-wide values -----------------------------------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self._one("SELECT value FROM meta WHERE key = ?", (key,))
        return None if row is None else str(row["value"])

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction():
            self._x(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )


def _relation(row: Any) -> Relation:
    return Relation(
        derived=row["derived_id"],
        source=row["source_id"],
        kind=row["kind"],
        score=float(row["score"]),
        direction=row["direction"],
        features={k: float(v) for k, v in json.loads(row["features"]).items()},
        evidence=tuple(AlignedPair.from_dict(p) for p in json.loads(row["evidence"])),
    )


def _story(row: Any) -> Story:
    return Story(
        id=row["id"],
        title=row["title"],
        created_at=row["created_at"],
        updated=row["updated"],
        first_published=row["first_published"],
        last_published=row["last_published"],
        status=row["status"],
        article_count=int(row["article_count"]),
        merged_into=row["merged_into"],
        seq=int(row["seq"]),
    )


def _storyline(row: Any) -> Storyline:
    return Storyline(
        id=row["id"],
        title=row["title"],
        created_at=row["created_at"],
        updated=row["updated"],
        first_published=row["first_published"],
        last_published=row["last_published"],
        story_count=int(row["story_count"]),
        article_count=int(row["article_count"]),
        top_story=row["top_story"],
        top_count=int(row["top_count"]),
        merged_into=row["merged_into"],
        seq=int(row["seq"]),
    )


def _feed(row: Any) -> Feed:
    return Feed(
        id=int(row["id"]),
        url=row["url"],
        title=row["title"],
        added=row["added"],
        last_fetch=row["last_fetch"],
        last_status=None if row["last_status"] is None else int(row["last_status"]),
        next_fetch=row["next_fetch"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        entries_seen=int(row["entries_seen"]),
        errors=int(row["errors"]),
        last_error=row["last_error"],
        interval_seconds=int(row["interval_seconds"]),
        gone=bool(row["gone"]),
    )


def _member(row: Any) -> FamilyMember:
    return FamilyMember(
        article_id=row["article_id"], family_id=row["family_id"], role=row["role"], derived_from=row["derived_from"]
    )


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _limit(limit: int | None) -> int:
    return 2**62 if limit is None else limit


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _span_days(first: str | None, last: str | None) -> float:
    """Days between two stored publication sort keys; 0 when either is missing or unreadable."""
    if not first or not last:
        return 0.0
    try:
        return (dt.datetime.fromisoformat(last) - dt.datetime.fromisoformat(first)).total_seconds() / 86400
    except (TypeError, ValueError):
        return 0.0
