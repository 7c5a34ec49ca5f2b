"""JSON and JSONL article records: ``{"title", "text" or "html", "url", "published", "source"}``.

One bad line is reported with its line number and the others go on, whatever is wrong with it
(broken JSON, a number of thousands of digits, nesting thousands deep, a lone surrogate, a field of the
wrong type). Common synonyms are accepted (``body``/``content`` for text, ``date`` for published,
``outlet`` for source).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from newsdesk.errors import InputError, RecordError
from newsdesk.extract.bounds import load_json, scrub_surrogates
from newsdesk.extract.dates import parse_date
from newsdesk.records import KnownMetadata, RawDocument

Notify = Callable[[str, str], None]
Line = tuple[int, "str | InputError"]

log = logging.getLogger(__name__)

_TEXT_KEYS = ("text", "body", "content", "article", "articleBody")
_HTML_KEYS = ("html", "raw_html", "content_html")
_FULL_PAGE = re.compile(r"<(?:html|body|head)\b", re.IGNORECASE)
RECORD_FIELDS_HINT = 'each record needs "text" or "html"; optional: "title", "url", "published", "source", "author"'


def jsonl_documents(text: str, location: str, notify: Notify) -> Iterator[RawDocument | InputError]:
    """Records of a JSONL text held in memory (standard input, a download)."""
    yield from jsonl_records(enumerate(text.split("\n"), start=1), location, notify)


def jsonl_records(lines: Iterable[Line], location: str, notify: Notify) -> Iterator[RawDocument | InputError]:
    """One document (or error) per non-blank line; ``lines`` gives ``(number, text or error)``."""
    for number, line in lines:
        where = f"{location}#{number}"
        if isinstance(line, InputError):
            yield line
            continue
        if not line.strip():
            continue
        try:
            value = load_json(line, where, what="the record")
        except json.JSONDecodeError as exc:
            yield RecordError(
                where,
                f"is not valid JSON ({exc.msg} at column {exc.colno})",
                "write one JSON object per line",
            )
            continue
        except InputError as exc:
            yield exc
            continue
        yield _guarded_record(value, where, notify)


def json_documents(text: str, location: str, notify: Notify) -> Iterator[RawDocument | InputError]:
    try:
        value = load_json(text, location, what="the file")
    except json.JSONDecodeError as exc:
        yield RecordError(
            location,
            f"is not valid JSON ({exc.msg} at line {exc.lineno})",
            "fix the JSON, or use .jsonl with one object per line",
        )
        return
    except InputError as exc:
        yield exc
        return
    if isinstance(value, dict) and isinstance(value.get("articles"), list):
        value = value["articles"]
    items = value if isinstance(value, list) else [value]
    for number, item in enumerate(items, start=1):
        yield _guarded_record(item, f"{location}#{number}" if isinstance(value, list) else location, notify)


def _guarded_record(value: Any, where: str, notify: Notify) -> RawDocument | InputError:
    """:func:`_record`, with anything unexpected turned into this record's error."""
    try:
        return _record(value, where, notify)
    except Exception as exc:  # one record's surprise must not cost the file's other records
        log.debug("record %s could not be read", where, exc_info=True)
        return RecordError(where, f"could not be read ({type(exc).__name__}: {exc})", RECORD_FIELDS_HINT)


def _record(value: Any, where: str, notify: Notify) -> RawDocument | InputError:
    if not isinstance(value, dict):
        return RecordError(where, f"is a JSON {type(value).__name__}, not an object", RECORD_FIELDS_HINT)
    text = _string(value, _TEXT_KEYS)
    html = _string(value, _HTML_KEYS)
    if not text and not html:
        return RecordError(where, "has no text", RECORD_FIELDS_HINT)
    published_raw = value.get("published") or value.get("date") or value.get("published_at")
    if isinstance(published_raw, str):
        published_raw = scrub_surrogates(published_raw)
    published = parse_date(published_raw) if published_raw else None
    if published_raw and not published:
        notify(where, f"published value {published_raw!r} is not a date; stored without a date")
    url = _string(value, ("url", "link"))
    known = KnownMetadata(
        title=_string(value, ("title", "headline")),
        published=published,
        author=_string(value, ("author", "byline")),
        source=_string(value, ("source", "outlet", "site", "publisher")),
        url=url if url and url.startswith(("http://", "https://")) else None,
        excerpt=_string(value, ("excerpt", "description", "summary")),
        date_origin="record",
    )
    if text:
        return RawDocument(
            location=where, data=text.encode("utf-8"), fmt="body", url=known.url, known=known, origin="record"
        )
    assert html is not None
    fmt = "html" if _FULL_PAGE.search(html[:5000]) else "fragment"
    return RawDocument(location=where, data=html.encode("utf-8"), fmt=fmt, url=known.url, known=known, origin="record")


def _string(value: dict[str, Any], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        item = value.get(key)
        if isinstance(item, dict):
            item = item.get("name")
        if isinstance(item, list):
            item = ", ".join(str(i.get("name") if isinstance(i, dict) else i) for i in item[:50])
        if isinstance(item, str):
            # A NUL inside a JSON string is junk, not a sign of binary data: drop it. A lone
            # surrogate ("\ud800") is what a broken exporter writes for a character it lost.
            item = scrub_surrogates(item.replace("\x00", "")).strip()
            if item:
                return item
    return None
