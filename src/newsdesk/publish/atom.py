"""Atom feeds (RFC 4287): one of all stories, one per story with an entry for each update, one per storyline.

The all-stories feed has an entry per story, dated by the story's last update, so a reader sees a
story come back to the top when it changes. A story's own feed has an entry for every change the
group stage recorded (started, an article joined, stories merged, woke up after a quiet period),
each saying what changed. Output is deterministic: no clock is read, and entry ids are stable
(``urn:newsdesk:story:ID`` and ``urn:newsdesk:story:ID:update:N``).
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable

from newsdesk.publish.html import Links
from newsdesk.publish.markdown import outlets_unknown
from newsdesk.records import StorylinePage, StoryPage
from newsdesk.serve.views import StoryUpdate

ATOM_NS = "http://www.w3.org/2005/Atom"
EPOCH = "1970-01-01T00:00:00Z"
# Characters XML 1.0 forbids; hostile text must not make the feed unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def rfc3339(value: str | None) -> str:
    """An ISO date or time as Atom wants it: full date and time with a zone (UTC when none was given)."""
    if not value:
        return EPOCH
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        try:
            moment = dt.datetime.combine(dt.date.fromisoformat(value[:10]), dt.time())
        except ValueError:
            return EPOCH
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def _text(value: str | None) -> str:
    return _NOT_XML.sub("", value or "")


def _counts(page: StoryPage) -> str:
    articles = "article" if page.article_count == 1 else "articles"
    sources = "independent source" if page.independent_source_count == 1 else "independent sources"
    return f"{page.article_count} {articles}, {page.independent_source_count} {sources}{outlets_unknown(page)}"


def _feed(feed_id: str, title: str, self_href: str, alternate: str, updated: str) -> ET.Element:
    feed = ET.Element("feed", {"xmlns": ATOM_NS})
    ET.SubElement(feed, "id").text = feed_id
    ET.SubElement(feed, "title").text = _text(title)
    ET.SubElement(feed, "updated").text = updated
    ET.SubElement(feed, "link", {"rel": "self", "type": "application/atom+xml", "href": self_href})
    ET.SubElement(feed, "link", {"rel": "alternate", "type": "text/html", "href": alternate})
    author = ET.SubElement(feed, "author")
    ET.SubElement(author, "name").text = "newsdesk"
    ET.SubElement(feed, "generator").text = "newsdesk"
    return feed


def _entry(feed: ET.Element, entry_id: str, title: str, updated: str, href: str, summary: str) -> None:
    entry = ET.SubElement(feed, "entry")
    ET.SubElement(entry, "id").text = entry_id
    ET.SubElement(entry, "title").text = _text(title)
    ET.SubElement(entry, "updated").text = updated
    ET.SubElement(entry, "link", {"rel": "alternate", "type": "text/html", "href": href})
    ET.SubElement(entry, "summary", {"type": "text"}).text = _text(summary)


def _serialise(feed: ET.Element) -> str:
    ET.indent(feed)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def stories_feed(pages: Iterable[StoryPage], links: Links, *, title: str = "newsdesk: stories") -> str:
    """All stories (the caller passes the latest, newest update first)."""
    listed = list(pages)
    updated = max((rfc3339(p.updated) for p in listed), default=EPOCH)
    feed = _feed("urn:newsdesk:stories", title, links.feed(), links.home(), updated)
    for page in listed:
        summary = f"{page.summary} ({_counts(page)})" if page.summary else f"Updated: {_counts(page)}."
        _entry(
            feed,
            f"urn:newsdesk:story:{page.id}",
            page.title or "(untitled story)",
            rfc3339(page.updated),
            links.story(page.id),
            summary,
        )
    return _serialise(feed)


def story_feed(page: StoryPage, updates: Iterable[StoryUpdate], links: Links) -> str:
    """One story's updates, newest first, each saying what changed."""
    listed = list(updates)
    updated = max((rfc3339(u.at) for u in listed), default=rfc3339(page.updated))
    title = f"newsdesk: {page.title or '(untitled story)'}"
    feed = _feed(
        f"urn:newsdesk:story:{page.id}:updates", title, links.story_feed(page.id), links.story(page.id), updated
    )
    for update in listed:
        _entry(
            feed,
            f"urn:newsdesk:story:{page.id}:update:{update.number}",
            f"{update.headline}: {page.title or '(untitled story)'}",
            rfc3339(update.at),
            links.article(update.article_id) if update.article_id else links.story(page.id),
            update.text,
        )
    return _serialise(feed)


def storyline_feed(page: StorylinePage, links: Links) -> str:
    """One storyline's stories, newest first: an entry per story, dated by its last update."""
    updated = max((rfc3339(s.updated) for s in page.stories), default=rfc3339(page.updated))
    title = f"newsdesk: {page.title or '(untitled storyline)'}"
    feed = _feed(
        f"urn:newsdesk:storyline:{page.id}:stories",
        title,
        links.storyline_feed(page.id),
        links.storyline(page.id),
        updated,
    )
    for story in page.stories:
        articles = "article" if story.article_count == 1 else "articles"
        _entry(
            feed,
            f"urn:newsdesk:story:{story.id}",
            story.title or "(untitled story)",
            rfc3339(story.updated),
            links.story(story.id),
            f"A story of the storyline: {story.article_count} {articles}, {story.status}.",
        )
    return _serialise(feed)
