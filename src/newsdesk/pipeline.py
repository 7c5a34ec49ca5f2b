"""The thin orchestrator: sources → extract, one article at a time.

Each stage lives in its own module; this one only wires them together and keeps the batch going
past bad inputs, collecting them for the final report.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import BinaryIO

from newsdesk.errors import InputError
from newsdesk.extract import extract_document
from newsdesk.records import Article, RawDocument
from newsdesk.settings import Settings
from newsdesk.sources import Notify, iter_documents
from newsdesk.sources.fetch import Fetcher


def extract_inputs(
    inputs: Iterable[str],
    settings: Settings,
    *,
    notify: Notify,
    stdin: BinaryIO | None = None,
    fetcher: Fetcher | None = None,
) -> Iterator[Article | InputError]:
    """Articles for every input, in input order; bad inputs come out as errors in the stream."""
    for item in iter_documents(inputs, settings, notify=notify, stdin=stdin, fetcher=fetcher):
        if isinstance(item, InputError):
            yield item
        else:
            yield extract_one(item, settings, notify)


def extract_one(doc: RawDocument, settings: Settings, notify: Notify) -> Article | InputError:
    """Extract ``doc``, falling back to its ``fallback`` document when it gives no article."""
    try:
        return extract_document(doc, max_bytes=settings.max_bytes, encoding=doc.encoding)
    except InputError as exc:
        if doc.fallback is None:
            return exc
        notify(doc.location, f"{exc.problem}; used the feed entry's own text instead")
        try:
            return extract_document(doc.fallback, max_bytes=settings.max_bytes)
        except InputError as fallback_exc:
            return fallback_exc
