"""The store: SQLite by default (a file path or ``:memory:``), PostgreSQL for ``postgresql://`` URLs."""

from __future__ import annotations

from newsdesk.errors import StoreError
from newsdesk.store.base import AddResult, SearchHit, Store
from newsdesk.store.sqlite import SQLiteStore

__all__ = ["AddResult", "SQLiteStore", "SearchHit", "Store", "open_store"]


def open_store(url: str, *, readonly: bool = False) -> Store:
    """Open (and migrate, unless ``readonly``) the store at ``url``."""
    if url.startswith(("postgresql://", "postgres://")):
        raise StoreError(
            f"{url}: PostgreSQL stores are not available in this version; use an SQLite file path"
        )
    if url.startswith("sqlite:///"):
        url = url[len("sqlite:///") :]
    return SQLiteStore(url, readonly=readonly)
