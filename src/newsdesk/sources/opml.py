"""OPML subscription lists: read the feeds of one (safely), write one of the followed feeds.

An OPML file comes from elsewhere, so it is parsed with the standard library's parser only after a
document type declaration has been refused outright: entity declarations live there, and they are
how an "entity bomb" or an external entity (XXE) gets into an XML parser. No subscription list needs one.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from newsdesk.errors import InputError

__all__ = ["Subscription", "read_opml", "write_opml"]

_DOCTYPE = re.compile(rb"<!(?:DOCTYPE|ENTITY)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Subscription:
    url: str
    title: str | None = None


def read_opml(data: bytes, location: str) -> list[Subscription]:
    """The feeds an OPML file lists (every outline with an ``xmlUrl``, folders included), in order, once each."""
    if _DOCTYPE.search(data):
        raise InputError(
            location,
            "declares a document type or entities (<!DOCTYPE ...>), which newsdesk does not read in OPML",
            "remove the declaration; a subscription list does not need one",
        )
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise InputError(location, f"is not readable XML ({exc})", "check that it is an OPML file") from exc
    if root.tag != "opml":
        raise InputError(location, f"is not OPML (its root element is <{root.tag}>)", "export OPML from the reader")
    found: dict[str, Subscription] = {}
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if not url:
            continue
        title = " ".join((outline.get("title") or outline.get("text") or "").split()) or None
        found.setdefault(url, Subscription(url, title))
    return list(found.values())


def write_opml(subscriptions: list[Subscription], *, title: str = "newsdesk feeds") -> str:
    """An OPML 2.0 document listing ``subscriptions`` as RSS outlines."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    body = ET.SubElement(root, "body")
    for item in subscriptions:
        text = item.title or item.url
        ET.SubElement(body, "outline", type="rss", text=text, title=text, xmlUrl=item.url)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
