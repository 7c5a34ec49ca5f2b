"""The store interface every backend implements (SQLite by default, PostgreSQL for teams)."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass

from newsdesk.records import Article


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


def query_terms(query: str) -> list[str]:
    """The words of a user's search, safe to hand to any full-text engine."""
    return re.findall(r"\w+", query.lower())[:20]
