"""Aggregator digests: pages that summarise other reports with numbered citations and a timeline.

A digest is recognised by its "Updated (N articles)" line, or by numbered citation markers in most
of its paragraphs together with a timeline section. Its citation markers are taken out of the body
text and kept as structure (:class:`newsdesk.records.DigestMarker`), so the body reads as prose and
the markers still say which sentence cited which source.
"""

from __future__ import annotations

import re

from newsdesk.records import DigestInfo, DigestMarker

UPDATED_LINE = re.compile(
    r"^\s*(?:last\s+)?updated\s*[(:]?\s*(?P<count>\d{1,4})\s+(?:articles?|sources?|reports?|stories)\s*\)?\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_MARKERS = re.compile(r"[ \t]*(?P<all>(?:\[\d{1,3}(?:\s*[,–-]\s*\d{1,3})*\])+)")
_ONE_MARKER = re.compile(r"\[([^\]]+)\]")
TIMELINE_HEADING = re.compile(
    r"^\s*(?:timeline|key dates|chronology|how (?:it|the story) unfolded)\s*:?\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_DATED_ENTRY = re.compile(
    r"^\s*(?:\d{4}s?|(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4})|(?:\d{1,2}\s+[A-Z][a-z]{2,8}\.?\s+\d{4})|"
    r"\d{4}-\d{2}-\d{2})\s*[–—:-]\s+\S",
    re.MULTILINE,
)


def remove_updated_line(text: str) -> tuple[str, int | None]:
    """Take out an "Updated (N articles)" line; return the text and N (None when absent)."""
    match = UPDATED_LINE.search(text)
    if not match:
        return text, None
    return text[: match.start()] + text[match.end() :], int(match.group("count"))


def looks_like_digest(paragraphs: list[str], claimed_count: int | None) -> bool:
    """An "Updated (N articles)" line, or citations in most paragraphs plus a timeline section."""
    if claimed_count is not None:
        return True
    if not paragraphs:
        return False
    cited = sum(1 for p in paragraphs if _MARKERS.search(p))
    markers = sum(len(_MARKERS.findall(p)) for p in paragraphs)
    text = "\n".join(paragraphs)
    has_timeline = bool(TIMELINE_HEADING.search(text)) and len(_DATED_ENTRY.findall(text)) >= 2
    return markers >= 3 and cited / len(paragraphs) >= 0.4 and (has_timeline or markers >= 8)


def strip_markers(body: str) -> tuple[str, tuple[DigestMarker, ...]]:
    """Remove ``[1]``-style markers from ``body``; each is kept with its offset in the new body."""
    out: list[str] = []
    markers: list[DigestMarker] = []
    position = 0
    length = 0
    for match in _MARKERS.finditer(body):
        out.append(body[position : match.start()])
        length += match.start() - position
        markers.append(DigestMarker(offset=length, refs=_refs(match.group("all"))))
        position = match.end()
    out.append(body[position:])
    return "".join(out), tuple(markers)


def digest_info(body: str, claimed_count: int | None) -> tuple[str, DigestInfo]:
    clean, markers = strip_markers(body)
    heading = TIMELINE_HEADING.search(clean)
    return clean, DigestInfo(
        claimed_article_count=claimed_count,
        markers=markers,
        timeline_offset=heading.start() if heading else None,
    )


def _refs(group: str) -> tuple[int, ...]:
    refs: list[int] = []
    for inner in _ONE_MARKER.findall(group):
        for part in re.split(r"\s*,\s*", inner):
            bounds = re.split(r"\s*[–-]\s*", part)
            if len(bounds) == 2 and bounds[0].isdigit() and bounds[1].isdigit():
                refs.extend(range(int(bounds[0]), int(bounds[1]) + 1))
            elif part.isdigit():
                refs.append(int(part))
    return tuple(dict.fromkeys(refs))
