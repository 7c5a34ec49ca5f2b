"""The store interface every backend implements (SQLite by default, PostgreSQL for teams)."""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from newsdesk.records import Article

# The article columns every backend stores, in the order of the Article record.
ARTICLE_COLUMNS = (
    "id", "title", "title_prefix", "body", "published", "published_from", "author", "source", "url",
    "language", "kind", "excerpt", "categories", "tags", "format", "digest", "location", "raw_sha256",
)  # fmt: skip


def article_values(article: Article) -> tuple[Any, ...]:
    """The values of :data:`ARTICLE_COLUMNS` for ``article`` (lists and the digest as JSON text)."""
    data = article.to_dict()
    data["categories"] = json.dumps(data["categories"], ensure_ascii=False)
    data["tags"] = json.dumps(data["tags"], ensure_ascii=False)
    data["digest"] = json.dumps(data["digest"]) if data["digest"] else None
    return tuple(data[c] for c in ARTICLE_COLUMNS)


def article_from_row(row: Mapping[str, Any]) -> Article:
    data = {c: row[c] for c in ARTICLE_COLUMNS}
    data["categories"] = json.loads(data["categories"])
    data["tags"] = json.loads(data["tags"])
    data["digest"] = json.loads(data["digest"]) if data["digest"] else None
    return Article.from_dict(data)


@dataclass(frozen=True)
class SearchHit:
    """One full-text match: the article and a snippet with the matched words marked ``[like this]``."""

    article_id: str
    title: str | None
    source: str | None
    published: str | None
    snippet: str


@dataclass(frozen=True)
class AddResult:
    """What storing one article did: ``new`` is False when the same content was already stored."""

    article_id: str
    new: bool


class Store(ABC):
    """Articles and what later stages derive from them, behind one interface.

    Writes are atomic per call: an article is stored with its source location completely or not at
    all, so an interrupted ingest loses nothing already stored and can be re-run.
    """

    url: str

    @abstractmethod
    def add_article(self, article: Article) -> AddResult:
        """Store ``article`` (or, if its id is stored, record only the new location)."""

    @abstractmethod
    def get_article(self, ref: str) -> Article:
        """The article whose id is ``ref`` or starts with it; raises NotFoundError."""

    @abstractmethod
    def list_articles(self, *, limit: int | None = None, offset: int = 0) -> list[Article]:
        """Articles in arrival order."""

    @abstractmethod
    def count_articles(self) -> int: ...

    @abstractmethod
    def article_locations(self, article_id: str) -> list[tuple[str, str]]:
        """Every ``(location, raw_sha256)`` the article was read from, first seen first."""

    @abstractmethod
    def search_articles(self, query: str, *, limit: int = 20) -> list[SearchHit]:
        """Full-text search over titles and bodies; every word of ``query`` must match."""

    @abstractmethod
    def schema_version(self) -> int: ...

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def fold(text: str) -> str:
    """Lower case without diacritics, one character for one ("Café" → "cafe"), so offsets still fit."""
    return "".join(_fold_char(c) for c in text)


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    if char.isascii():
        return char.lower()
    base = [c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)]
    return base[0].lower() if len(base) == 1 else char.lower()[:1] or char


def query_terms(query: str) -> list[str]:
    """The words of a user's search, folded, safe to hand to any full-text engine."""
    return re.findall(r"\w+", fold(query))[:20]


def snippet(text: str, terms: list[str], *, words: int = 24) -> str:
    """About ``words`` words of ``text`` around the first match, matched words marked ``[like this]``."""
    flat = " ".join(text.split())
    tokens = list(re.finditer(r"\w+", flat))
    wanted = set(terms)
    hits = [i for i, token in enumerate(tokens) if fold(token.group()) in wanted]
    if not tokens:
        return ""
    first = hits[0] if hits else 0
    start = max(0, first - words // 3)
    end = min(len(tokens), start + words)
    start = max(0, end - words)
    begin = 0 if start == 0 else tokens[start].start()
    stop = len(flat) if end == len(tokens) else tokens[end - 1].end()
    out: list[str] = ["…" if start else ""]
    position = begin
    for index in range(start, end):
        token = tokens[index]
        if index in hits:
            out.append(flat[position : token.start()] + "[" + token.group() + "]")
            position = token.end()
    out.append(flat[position:stop])
    if end < len(tokens):
        out.append("…")
    return "".join(out)
