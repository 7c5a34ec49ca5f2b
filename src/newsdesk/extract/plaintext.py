"""Plain text to an article: a line classifier that keeps the article and drops the page around it.

Text arrives as pasted page dumps ("Log In", "AD", a byline, the title twice, a date line, the body,
a paywall prompt, footer links) or as bare text (maybe a headline on the first line, maybe not). Each
line is classified; the header (title, byline, date, standfirst), the body and the footer are then
found from the classes and their positions. A title is only ever a line of the text: when no line
reads like a headline, the title is ``None``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

from newsdesk.extract.dates import DateLine, parse_date_line
from newsdesk.extract.furniture import copyright_owner, ends_body, is_furniture
from newsdesk.extract.titles import is_headline, is_name_like, parse_byline, title_case_wordmark


class LineKind(Enum):
    FURNITURE = "furniture"
    DATE = "date"
    BYLINE = "byline"
    NAME = "name"
    HEADLINE = "headline"
    PROSE = "prose"
    SHORT = "short"


@dataclass
class Line:
    text: str
    kind: LineKind
    date: DateLine | None = None
    author: str | None = None


@dataclass
class TextExtraction:
    title: str | None = None
    author: str | None = None
    published: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    excerpt: str | None = None
    source: str | None = None


_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")


def classify(text: str) -> LineKind:
    """The class of one line of a page dump."""
    if is_furniture(text):
        return LineKind.FURNITURE
    if parse_date_line(text):
        return LineKind.DATE
    if parse_byline(text):
        return LineKind.BYLINE
    words = len(text.split())
    if is_name_like(text):
        return LineKind.NAME
    if _SENTENCE_END.search(text):
        return LineKind.PROSE
    if 3 <= words <= 20 and is_headline(text):
        return LineKind.HEADLINE
    return LineKind.PROSE if words >= 8 else LineKind.SHORT


def split_lines(text: str) -> list[str]:
    """Non-empty lines, with hard-wrapped paragraphs joined back together."""
    raw = [line.strip() for line in text.split("\n")]
    units: list[str] = []
    pending = ""
    for index, line in enumerate(raw):
        if not line:
            if pending:
                units.append(pending)
                pending = ""
            continue
        pending = f"{pending} {line}" if pending else line
        following = raw[index + 1] if index + 1 < len(raw) else ""
        wrapped = (
            len(line) >= 40
            and not _SENTENCE_END.search(line)
            and not line.endswith(":")
            and bool(following)
            and (following[0].islower() or following[0].isdigit())
        )
        if not wrapped:
            units.append(pending)
            pending = ""
    if pending:
        units.append(pending)
    return units


def extract_plaintext(text: str, *, find_title: bool = True) -> TextExtraction:
    """Split a text into title, byline, date, standfirst and body paragraphs."""
    lines = [Line(t, classify(t)) for t in split_lines(text)]
    for line in lines:
        if line.kind is LineKind.DATE:
            line.date = parse_date_line(line.text)
        elif line.kind is LineKind.BYLINE:
            line.author = parse_byline(line.text)
    result = TextExtraction()
    if not lines:
        return result

    end, result.source = _find_end(lines)
    result.source = result.source or _print_edition_outlet(lines[-3:])
    footer = lines[end:]
    lines = lines[:end]
    first_prose = next((i for i, line in enumerate(lines) if line.kind is LineKind.PROSE), len(lines))
    title_index = _find_title(lines, first_prose) if find_title else None
    result.title = lines[title_index].text if title_index is not None else None

    header_end = _header_end(lines, first_prose, title_index)
    header = lines[:header_end]
    body_lines = lines[header_end:]
    result.author = _find_author(header, title_index)
    result.published = _find_date(header) or _find_date(body_lines[:3]) or _find_date(footer)

    title_key = _key(result.title) if result.title else None
    body = _body_paragraphs(body_lines, title_key)
    standfirst = [
        line.text
        for index, line in enumerate(header)
        if line.kind in (LineKind.PROSE, LineKind.HEADLINE)
        and index != title_index
        and (title_key is None or _key(line.text) != title_key)
    ]
    if standfirst:
        result.excerpt = standfirst[0]
    body_text = " ".join(body).lower()
    kept = [s for s in standfirst[1:] if not _is_contained(s, body_text)]
    result.paragraphs = kept + body
    return result


def _find_end(lines: list[Line]) -> tuple[int, str | None]:
    """Where the article ends (paywall, recirculation, footer) and an outlet name found there."""
    end = len(lines)
    seen_prose = 0
    for index, line in enumerate(lines):
        if line.kind is LineKind.PROSE:
            seen_prose += 1
        if seen_prose and ends_body(line.text):
            later_long = sum(1 for later in lines[index + 1 :] if len(later.text.split()) >= 30)
            if later_long < 2:
                end = index
                break
    while end > 0 and (
        lines[end - 1].kind in (LineKind.FURNITURE, LineKind.SHORT, LineKind.NAME, LineKind.DATE)
        or (lines[end - 1].kind is LineKind.HEADLINE and len(lines[end - 1].text.split()) <= 6)
    ):
        end -= 1
    # The outlet: its name printed in capitals in the footer, else the owner in a copyright line.
    wordmark = owner = None
    for line in lines[end:]:
        word = line.text.strip()
        if wordmark is None and re.fullmatch(r"[A-Z][A-Z&'. -]{3,30}", word) and len(word.split()) <= 4:
            wordmark = title_case_wordmark(word)
        owner = owner or copyright_owner(word)
    return end, wordmark or owner


_PRINT_EDITION = re.compile(
    r"\b(?:appeared|appears|was published|is published) in (?:the )?print edition of "
    r"(?P<outlet>[A-Z][^.]{1,60})"
)


def _print_edition_outlet(lines: list[Line]) -> str | None:
    """The outlet named in a sign-off such as "This article first appeared in the print edition of X"."""
    for line in lines:
        match = _PRINT_EDITION.search(line.text)
        if match:
            return match.group("outlet").strip()
    return None


def _find_title(lines: list[Line], first_prose: int) -> int | None:
    """The headline among the lines before the first paragraph: repeated titles and longer lines win."""
    counts: dict[str, int] = {}
    for line in lines:
        counts[_key(line.text)] = counts.get(_key(line.text), 0) + 1
    best: tuple[float, int] | None = None
    for index in range(first_prose):
        line = lines[index]
        if line.kind not in (LineKind.HEADLINE, LineKind.NAME):
            continue
        score = 0.0
        if counts[_key(line.text)] > 1:
            score += 3
        if line.kind is LineKind.NAME:
            score -= 2
        if len(line.text.split()) >= 4:
            score += 1
        score -= 0.1 * index
        if best is None or score > best[0]:
            best = (score, index)
    if best is None:
        return None
    index = best[1]
    if lines[index].kind is LineKind.NAME:
        # Only name-shaped lines here: a Title Case headline ("Harbour Cranes Fall Silent") or a
        # lone byline. Pages always have a title, so take it, unless a two-word name sits beside a
        # date or byline, which is how an author is printed.
        neighbours = {lines[j].kind for j in (index - 1, index + 1) if 0 <= j < len(lines)}
        if len(lines[index].text.split()) < 3 and neighbours & {LineKind.DATE, LineKind.BYLINE}:
            return None
    return index


def _header_end(lines: list[Line], first_prose: int, title_index: int | None) -> int:
    """The index of the first body line.

    The header runs to the first paragraph, or on to a date line that follows within a few lines
    (page dumps put a standfirst and a repeated title between the headline and the date).
    """
    for index in range(first_prose, min(len(lines), first_prose + 5)):
        if lines[index].kind is LineKind.DATE:
            return index + 1
    if title_index is not None and title_index >= first_prose:
        return title_index + 1
    return first_prose


def _find_author(header: list[Line], title_index: int | None) -> str | None:
    for line in header:
        if line.kind is LineKind.BYLINE and line.author:
            return line.author
    for index, line in enumerate(header):
        if line.kind is not LineKind.NAME or index == title_index:
            continue
        neighbours = {header[j].kind for j in (index - 1, index + 1) if 0 <= j < len(header)}
        near_title = title_index is not None and abs(index - title_index) <= 1
        if near_title or LineKind.DATE in neighbours or LineKind.FURNITURE in neighbours:
            return line.text.strip().rstrip(",")
    return None


def _find_date(lines: list[Line]) -> str | None:
    dates = [line.date for line in lines if line.kind is LineKind.DATE and line.date]
    published = [d for d in dates if not d.updated]
    chosen = (published or dates)[:1]
    return chosen[0].value if chosen else None


def _body_paragraphs(lines: list[Line], title_key: str | None) -> list[str]:
    paragraphs: list[str] = []
    run: list[Line] = []

    def flush() -> None:
        # Three or more short lines in a row are a link list, not article text.
        if len(run) < 3:
            paragraphs.extend(line.text for line in run)
        run.clear()

    for line in lines:
        if line.kind in (LineKind.FURNITURE, LineKind.DATE, LineKind.BYLINE):
            if line.kind is LineKind.FURNITURE:
                run.append(Line("", LineKind.FURNITURE))
            continue
        if title_key is not None and _key(line.text) == title_key:
            continue
        if line.kind in (LineKind.SHORT, LineKind.NAME):
            run.append(line)
            continue
        flush()
        paragraphs.append(line.text)
    flush()
    return [p for p in paragraphs if p]


def _key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def _is_contained(text: str, body_lower: str) -> bool:
    """Most of ``text``'s word trigrams occur in the body (a teaser repeating a body paragraph)."""
    words = re.findall(r"\w+", text.lower())
    if len(words) < 3:
        return True
    body_words = re.findall(r"\w+", body_lower)
    body_grams = {tuple(body_words[i : i + 3]) for i in range(len(body_words) - 2)}
    grams = [tuple(words[i : i + 3]) for i in range(len(words) - 2)]
    return sum(g in body_grams for g in grams) / len(grams) >= 0.6
