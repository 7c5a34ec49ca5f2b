"""newsdesk: turn a stream of news articles from many outlets into story pages people can trust.

The public surface is re-exported here; everything else is private to its module.
"""

from newsdesk._version import __version__
from newsdesk.errors import (
    BinaryInputError,
    CompressionError,
    EmptyInputError,
    EncodingError,
    FeedError,
    FetchError,
    FrontMatterError,
    InputError,
    LimitError,
    NewsdeskError,
    NotFoundError,
    RecordError,
    RefusedAddressError,
    StoreError,
    TooLargeError,
    UnsupportedInputError,
)
from newsdesk.extract import extract_document
from newsdesk.pipeline import IngestReport, extract_inputs, ingest
from newsdesk.records import Article, DigestInfo, DigestMarker, KnownMetadata, RawDocument
from newsdesk.settings import Settings
from newsdesk.store import Store, open_store

__all__ = [
    "Article",
    "BinaryInputError",
    "CompressionError",
    "DigestInfo",
    "DigestMarker",
    "EmptyInputError",
    "EncodingError",
    "FeedError",
    "FetchError",
    "FrontMatterError",
    "IngestReport",
    "InputError",
    "KnownMetadata",
    "LimitError",
    "NewsdeskError",
    "NotFoundError",
    "RawDocument",
    "RecordError",
    "RefusedAddressError",
    "Settings",
    "Store",
    "StoreError",
    "TooLargeError",
    "UnsupportedInputError",
    "__version__",
    "extract_document",
    "extract_inputs",
    "ingest",
    "open_store",
]
