"""The sources stage: turn the user's INPUT arguments into raw documents.

An input is a file, a folder (walked recursively, hidden entries skipped), ``-`` for standard
input, an ``http(s)`` URL of a page or a feed, or a JSON/JSONL file of article records. Problems
with one input come out as :class:`~newsdesk.errors.InputError` values in the stream, so a batch
reports them and goes on; non-fatal remarks go to ``notify``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from newsdesk.errors import EmptyInputError, InputError, UnsupportedInputError
from newsdesk.extract.decode import GZIP_MAGIC, check_size, decode_bytes, gunzip
from newsdesk.records import RawDocument
from newsdesk.settings import Settings
from newsdesk.sources.feeds import feed_documents, is_feed
from newsdesk.sources.fetch import Fetcher
from newsdesk.sources.records import json_documents, jsonl_documents

__all__ = ["ARTICLE_EXTENSIONS", "Notify", "iter_documents"]

Notify = Callable[[str, str], None]

ARTICLE_EXTENSIONS = {
    ".html": "html", ".htm": "html", ".xhtml": "html", ".shtml": "html",
    ".md": "markdown", ".markdown": "markdown", ".mdown": "markdown", ".mkd": "markdown",
    ".txt": "text", ".text": "text",
}  # fmt: skip
RECORD_EXTENSIONS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json"}
FEED_EXTENSIONS = {".rss", ".atom", ".xml"}
KNOWN_EXTENSIONS = sorted([*ARTICLE_EXTENSIONS, *RECORD_EXTENSIONS, *FEED_EXTENSIONS])


def _ignore(location: str, message: str) -> None:
    """The default ``notify``: remarks are dropped."""


def iter_documents(
    inputs: Iterable[str],
    settings: Settings,
    *,
    notify: Notify = _ignore,
    stdin: BinaryIO | None = None,
    fetcher: Fetcher | None = None,
) -> Iterator[RawDocument | InputError]:
    """Raw documents for every input, in order; bad inputs come out as errors."""
    own_fetcher = fetcher is None
    fetcher = fetcher or Fetcher(settings)
    try:
        for spec in inputs:
            yield from _one_input(spec, settings, notify, stdin, fetcher)
    finally:
        if own_fetcher:
            fetcher.close()


def _one_input(
    spec: str, settings: Settings, notify: Notify, stdin: BinaryIO | None, fetcher: Fetcher
) -> Iterator[RawDocument | InputError]:
    if spec == "-":
        stream = stdin
        if stream is None:
            import sys

            stream = sys.stdin.buffer
        data = stream.read(settings.max_bytes + 1)
        try:
            check_size(len(data), "standard input", settings.max_bytes)
        except InputError as exc:
            yield exc
            return
        yield from _from_bytes(data, "-", "auto", settings, notify, fetcher)
        return
    if spec.startswith(("http://", "https://")):
        yield from _from_url(spec, settings, notify, fetcher)
        return
    if "://" in spec:
        yield UnsupportedInputError(spec, "is not a file, a folder or an http(s) URL", "download it first")
        return
    path = Path(spec)
    if path.is_dir():
        yield from _from_folder(path, spec, settings, notify, fetcher)
    elif path.is_file():
        yield from _from_file(path, spec, settings, notify, fetcher, explicit=True)
    else:
        yield InputError(spec, "no such file or folder", "check the path")


def _from_folder(
    folder: Path, spec: str, settings: Settings, notify: Notify, fetcher: Fetcher
) -> Iterator[RawDocument | InputError]:
    skipped: list[str] = []
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        if _kind(path) is None:
            skipped.append(str(relative))
            continue
        location = str(Path(spec) / relative)
        yield from _from_file(path, location, settings, notify, fetcher, explicit=False)
    if skipped:
        shown = ", ".join(skipped[:5]) + (f" and {len(skipped) - 5} more" if len(skipped) > 5 else "")
        notify(spec, f"skipped {len(skipped)} file(s) newsdesk does not read: {shown}")


def _kind(path: Path) -> str | None:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    if not suffixes:
        return "auto"
    last = suffixes[-1]
    if last in ARTICLE_EXTENSIONS:
        return ARTICLE_EXTENSIONS[last]
    if last in RECORD_EXTENSIONS:
        return RECORD_EXTENSIONS[last]
    if last in FEED_EXTENSIONS:
        return "feed"
    return None


def _from_file(
    path: Path, location: str, settings: Settings, notify: Notify, fetcher: Fetcher, *, explicit: bool
) -> Iterator[RawDocument | InputError]:
    kind = _kind(path)
    if kind is None:
        yield UnsupportedInputError(
            location,
            f"has the extension {''.join(path.suffixes) or '(none)'}, which newsdesk does not read",
            "newsdesk reads " + " ".join(KNOWN_EXTENSIONS) + " (optionally .gz)",
        )
        return
    try:
        size = path.stat().st_size
        check_size(size, location, settings.max_bytes)
        data = path.read_bytes()
    except InputError as exc:
        yield exc
        return
    except OSError as exc:
        yield InputError(location, f"cannot be read ({exc.strerror})", "check its permissions")
        return
    yield from _from_bytes(data, location, kind, settings, notify, fetcher)


def _from_bytes(
    data: bytes, location: str, kind: str, settings: Settings, notify: Notify, fetcher: Fetcher
) -> Iterator[RawDocument | InputError]:
    raw_sha256 = hashlib.sha256(data).hexdigest()
    try:
        if data.startswith(GZIP_MAGIC):
            data = gunzip(data, location, settings.max_bytes)
        if not data.strip():
            raise EmptyInputError(location, "is empty: there is no text to extract", "check the file")
        if kind in ("jsonl", "json"):
            text, _ = decode_bytes(data, location, settings.encoding)
            reader = jsonl_documents if kind == "jsonl" else json_documents
            yield from reader(text, location, notify)
            return
    except InputError as exc:
        yield exc
        return
    if kind == "feed" or is_feed(data):
        yield from feed_documents(data, location, _page_fetcher(fetcher, settings), notify)
        return
    yield RawDocument(location=location, data=data, fmt=kind, raw_sha256=raw_sha256, encoding=settings.encoding)


def _from_url(url: str, settings: Settings, notify: Notify, fetcher: Fetcher) -> Iterator[RawDocument | InputError]:
    try:
        page = fetch_document(fetcher, url)
    except InputError as exc:
        yield exc
        return
    if is_feed(page.data) or (page.content_type or "").split(";")[0].strip().endswith(("rss+xml", "atom+xml")):
        yield from feed_documents(page.data, url, _page_fetcher(fetcher, settings), notify)
        return
    yield page


def fetch_document(fetcher: Fetcher, url: str) -> RawDocument:
    """Fetch one URL as a raw document whose format follows the content type."""
    result = fetcher.fetch(url)
    mime = (result.content_type or "").split(";")[0].strip().lower()
    fmt = "text" if mime in ("text/plain", "text/markdown") else "auto"
    return RawDocument(location=url, data=result.data, fmt=fmt, url=result.url, content_type=result.content_type)


def _page_fetcher(fetcher: Fetcher, settings: Settings) -> Callable[[str], RawDocument] | None:
    if settings.offline:
        return None
    return lambda url: fetch_document(fetcher, url)
