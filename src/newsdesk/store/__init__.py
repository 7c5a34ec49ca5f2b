"""The store: SQLite by default (a file path or ``:memory:``), PostgreSQL for ``postgresql://`` URLs."""

from __future__ import annotations

from newsdesk.store.base import AddResult, Feed, SearchHit, SeenEntry, Store
from newsdesk.store.sqlite import SQLiteStore

__all__ = ["AddResult", "Feed", "SQLiteStore", "SearchHit", "SeenEntry", "Store", "is_server_url", "open_store"]


def is_server_url(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


def open_store(url: str, *, readonly: bool = False) -> Store:
    """Open (and migrate, unless ``readonly``) the store at ``url``."""
    if is_server_url(url):
        from newsdesk.store.postgres import PostgresStore  # imported lazily: psycopg is an extra

        return PostgresStore(url, readonly=readonly)
    if url.startswith("sqlite:///"):
        url = url[len("sqlite:///") :]
    return SQLiteStore(url, readonly=readonly)
