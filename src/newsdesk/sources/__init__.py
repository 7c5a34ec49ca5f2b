"""The sources stage: turn the user's INPUT arguments into raw documents.

An input is a file, a folder (walked recursively, hidden entries skipped), ``-`` for standard
input, an ``http(s)`` URL of a page or a feed, or a JSON/JSONL file of article records. Problems
with one input come out as :class:`~newsdesk.errors.InputError` values in the stream, so a batch
reports them and goes on; non-fatal remarks go to ``notify``.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import logging
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, Protocol

from newsdesk.errors import (
    CompressionError,
    EmptyInputError,
    InputError,
    TooLargeError,
    UnsupportedInputError,
)
from newsdesk.extract.decode import GZIP_MAGIC, check_size, decode_bytes, gunzip, size_text
from newsdesk.records import RawDocument
from newsdesk.settings import Settings
from newsdesk.sources.feeds import feed_documents, is_feed
from newsdesk.sources.fetch import Fetcher
from newsdesk.sources.records import Line, json_documents, jsonl_documents, jsonl_records

__all__ = ["ARTICLE_EXTENSIONS", "Notify", "iter_documents", "unexpected_error"]

Notify = Callable[[str, str], None]

log = logging.getLogger(__name__)

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
            yield from _guarded(_one_input(spec, settings, notify, stdin, fetcher), spec)
    finally:
        if own_fetcher:
            fetcher.close()


def unexpected_error(location: str, exc: BaseException) -> InputError:
    """An input's failure for an exception no reader expected: a one-line reason, the traceback in the log."""
    log.debug("unexpected error reading %s", location, exc_info=exc)
    detail = str(exc).splitlines()[0][:200] if str(exc) else ""
    reason = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    return InputError(
        location,
        f"could not be read ({reason})",
        "newsdesk has no rule for this input; the traceback is logged at debug level; please report it",
    )


def _guarded(items: Iterator[RawDocument | InputError], location: str) -> Iterator[RawDocument | InputError]:
    """``items``, with an unexpected exception turned into one error that ends only this input."""
    try:
        yield from items
    except Exception as exc:  # one input's surprise must not cost the batch the others
        yield unexpected_error(location, exc)


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
        yield from _guarded(_from_file(path, location, settings, notify, fetcher, explicit=False), location)
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
    if kind == "jsonl":
        yield from jsonl_records(_jsonl_lines(path, location, settings), location, notify)
        return
    cap, option = _cap(kind, settings)
    try:
        size = path.stat().st_size
        check_size(size, location, cap, option)
        data = path.read_bytes()
    except InputError as exc:
        yield exc
        return
    except OSError as exc:
        yield InputError(location, f"cannot be read ({exc.strerror})", "check its permissions")
        return
    yield from _from_bytes(data, location, kind, settings, notify, fetcher)


def _cap(kind: str, settings: Settings) -> tuple[int, str]:
    """The size cap of an input of ``kind`` and the option that raises it.

    A file of many articles (JSON, JSONL, a feed) has its own, higher cap; each article in it still
    has ``max_bytes``.
    """
    if kind in ("json", "jsonl", "feed"):
        return settings.max_file_bytes, "--max-file-bytes"
    return settings.max_bytes, "--max-bytes"


class _Readable(Protocol):
    def readline(self, size: int = -1, /) -> bytes: ...


_WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_CHUNK = 1 << 16


def _jsonl_lines(path: Path, location: str, settings: Settings) -> Iterator[Line]:
    """The lines of a JSONL file, read as a stream: memory stays within one record, whatever the file's size.

    Each line is one record and has the article cap (``max_bytes``); the file as a whole has
    ``max_file_bytes`` (after decompression). A UTF-16 or UTF-32 file is read whole.
    """
    try:
        with path.open("rb") as probe:
            head = probe.read(4)
        opener = gzip.open if head.startswith(GZIP_MAGIC) else Path.open
        with opener(path, "rb") as stream:
            if stream.peek(4)[:4].startswith(_WIDE_BOMS):
                data = stream.read(settings.max_file_bytes + 1)
                check_size(len(data), location, settings.max_file_bytes, "--max-file-bytes")
                text, _ = decode_bytes(data, location, settings.encoding)
                yield from enumerate(text.split("\n"), start=1)
                return
            total = 0
            for number, line in enumerate(_bounded_lines(stream, settings.max_bytes), start=1):
                total += len(line) if isinstance(line, bytes) else settings.max_bytes
                if total > settings.max_file_bytes:
                    yield (
                        number,
                        TooLargeError(
                            location,
                            f"is larger than the {size_text(settings.max_file_bytes)} cap for a file of records "
                            f"(read up to line {number - 1})",
                            "raise the cap with --max-file-bytes, or split the file",
                        ),
                    )
                    return
                where = f"{location}#{number}"
                if line is None:
                    yield (
                        number,
                        TooLargeError(
                            where,
                            f"is a record larger than the {size_text(settings.max_bytes)} cap for one article",
                            "raise the cap with --max-bytes if the record is genuine",
                        ),
                    )
                    continue
                if number == 1:
                    line = line.removeprefix(codecs.BOM_UTF8)
                if not line.strip():
                    continue
                try:
                    text, _ = decode_bytes(line, where, settings.encoding)
                except InputError as exc:
                    yield number, exc
                    continue
                yield number, text
    except (OSError, EOFError, zlib.error) as exc:
        if isinstance(exc, OSError) and not isinstance(exc, gzip.BadGzipFile) and exc.strerror:
            yield 0, InputError(location, f"cannot be read ({exc.strerror})", "check its permissions")
        else:
            yield 0, CompressionError(location, f"corrupt gzip data ({exc})", "re-download or re-compress the file")


def _bounded_lines(stream: _Readable, max_line: int) -> Iterator[bytes | None]:
    """Lines of ``stream`` without their line end; a line over ``max_line`` bytes is skipped and given as None."""
    while True:
        line = stream.readline(max_line + 1)
        if not line:
            return
        if len(line) > max_line and not line.endswith(b"\n"):
            while True:  # skip the rest of the long line, a chunk at a time
                rest = stream.readline(_CHUNK)
                if not rest or rest.endswith(b"\n"):
                    break
            yield None
            continue
        yield line.rstrip(b"\r\n")


def _from_bytes(
    data: bytes, location: str, kind: str, settings: Settings, notify: Notify, fetcher: Fetcher
) -> Iterator[RawDocument | InputError]:
    raw_sha256 = hashlib.sha256(data).hexdigest()
    cap, option = _cap(kind, settings)
    try:
        if data.startswith(GZIP_MAGIC):
            data = gunzip(data, location, cap, option)
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
