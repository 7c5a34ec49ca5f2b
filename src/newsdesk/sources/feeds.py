"""RSS and Atom feeds: one document per entry.

Each entry's page is fetched and extracted; the entry's own title, date, author and text fill what
the page lacks, and stand in for the page when it cannot be fetched (``published_from: feed``).
"""

from __future__ import annotations

import hashlib
import logging
import re
import warnings
from collections.abc import Callable, Container, Iterator
from typing import Any

from newsdesk.errors import FeedError, InputError
from newsdesk.extract.dates import parse_date
from newsdesk.records import KnownMetadata, RawDocument

_FEED_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF)\b", re.IGNORECASE | re.DOTALL
)

log = logging.getLogger(__name__)

Fetch = Callable[[str], RawDocument]
Notify = Callable[[str, str], None]


def is_feed(data: bytes) -> bool:
    return bool(_FEED_START.match(data[:2048].lstrip(b"\xef\xbb\xbf")))


_ENTITY_DECLARATION = re.compile(rb"<!ENTITY\b", re.IGNORECASE)


def parse_feed(data: bytes, location: str) -> Any:
    """Parse a feed; one that declares its own XML entities is refused.

    Internal entity declarations are how an "entity bomb" expands a few kB into gigabytes and how an
    external entity reads the reader's own files (XXE). No real feed needs them, and a loose parser
    that skips them leaves entries reading "&lol9;", so the feed is refused outright.
    """
    if _ENTITY_DECLARATION.search(data[:65536]):
        raise FeedError(
            location,
            "declares its own XML entities (<!ENTITY ...>), which newsdesk does not expand",
            "this is not a feed a news site publishes; check where it came from",
        )
    import feedparser  # imported lazily: it is slow to import and only feeds need it

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.entries:
        if parsed.get("bozo"):
            reason = parsed.get("bozo_exception")
            raise FeedError(location, f"is not a readable feed ({reason})", "check that the URL or file is RSS/Atom")
        if not parsed.get("version"):
            raise FeedError(
                location,
                "is not a readable feed (no RSS or Atom root element)",
                "check that the URL or file is RSS/Atom",
            )
        raise FeedError(location, "is a feed without entries", "check the feed in a reader")
    return parsed


def feed_documents(
    data: bytes, location: str, fetch: Fetch | None, notify: Notify
) -> Iterator[RawDocument | InputError]:
    """Documents for every entry of a feed; broken entries come out as errors, the rest go on."""
    try:
        parsed = parse_feed(data, location)
    except FeedError as exc:
        yield exc
        return
    yield from entry_documents(parsed, location, fetch, notify)


def entry_documents(
    parsed: Any, location: str, fetch: Fetch | None, notify: Notify, *, only: Container[int] | None = None
) -> Iterator[RawDocument | InputError]:
    """Documents for the entries of a parsed feed (only those numbered in ``only``, counting from 1, if given)."""
    if parsed.get("bozo"):
        notify(
            location,
            f"the feed is malformed ({parsed.get('bozo_exception')}); reading the entries that survive",
        )
    feed_title = _outlet(_clean(parsed.feed.get("title")))
    for number, entry in enumerate(parsed.entries, start=1):
        if only is not None and number not in only:
            continue
        try:
            link = _clean(entry.get("link"))
            entry_location = link or f"{location}#{number}"
            content = _entry_content(entry)
            published_raw = entry.get("published") or entry.get("updated") or entry.get("dc_date")
            known = KnownMetadata(
                title=_clean(entry.get("title")),
                published=parse_date(published_raw) if published_raw else None,
                author=_clean(entry.get("author")),
                source=feed_title,
                url=link if link and link.startswith(("http://", "https://")) else None,
                excerpt=_clean(re.sub(r"<[^>]+>", " ", entry.get("summary") or "")) if entry.get("summary") else None,
                date_origin="feed",
            )
            # The entry's own text is read from the feed itself, so the feed is where it is located.
            fallback = (
                RawDocument(
                    location=f"{location}#{number}",
                    data=content.encode("utf-8"),
                    fmt="fragment",
                    url=known.url,
                    known=known,
                    origin="feed",
                )
                if content
                else None
            )
            if fetch is not None and known.url:
                try:
                    page = fetch(known.url)
                except InputError as exc:
                    if fallback is None:
                        yield FeedError(entry_location, f"entry {number} of {location}: {exc.problem}", exc.fix)
                        continue
                    notify(entry_location, f"page not fetched ({exc.problem}); used the feed entry's own text")
                    yield fallback
                    continue
                yield RawDocument(
                    location=entry_location,
                    data=page.data,
                    fmt=page.fmt,
                    url=page.url,
                    content_type=page.content_type,
                    known=known,
                    fallback=fallback,
                )
                continue
            if fallback is None:
                yield FeedError(
                    entry_location,
                    f"entry {number} of {location} has no text and no page that can be fetched",
                    "drop --offline to fetch the entry's page" if known.url else "the feed entry is empty",
                )
                continue
            yield fallback
        except Exception as exc:  # one entry's surprise must not cost the feed's other entries
            log.debug("entry %d of %s could not be read", number, location, exc_info=True)
            yield FeedError(f"{location}#{number}", f"entry {number} could not be read ({type(exc).__name__}: {exc})")


def entry_identity(entry: Any) -> tuple[str, str | None, str]:
    """An entry's identity (its GUID, else its link, else a hash of its title and text), its ``updated``
    value, and the hash of its title and text, which tells a changed entry from one read before."""
    title = _clean(entry.get("title")) or ""
    content = hashlib.sha256(f"{title}\n{_entry_content(entry)}".encode()).hexdigest()
    guid = _clean(entry.get("id"))
    link = _clean(entry.get("link"))
    identity = guid or link or f"sha256:{content}"
    # dict.get: feedparser's own get answers "updated" from "published" with a deprecation warning
    updated = dict.get(entry, "updated") or dict.get(entry, "published")
    return identity, updated if isinstance(updated, str) else None, content


def _entry_content(entry: Any) -> str:
    contents = entry.get("content") or []
    best = max((c.get("value", "") for c in contents), key=len, default="")
    summary = entry.get("summary") or ""
    text = best if len(best) >= len(summary) else summary
    return text.strip()


def _outlet(feed_title: str | None) -> str | None:
    """The outlet in a feed title: "LBN News – Top Stories" gives "LBN News"."""
    if not feed_title:
        return None
    return re.split(r"\s+[–—|:-]\s+", feed_title)[0].strip() or feed_title


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text or None
