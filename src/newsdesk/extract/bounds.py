"""Bounds on the work one input may cost: nesting, number sizes, words, attributes.

A size cap alone does not bound the work: a 1 kB YAML alias bomb expands to gigabytes, JSON nested
100,000 deep overflows the parser's stack, and 10 MB of one sentence repeated is a million sentences
for every later stage. Each bound here is checked before the expensive step it protects, and an
input over a bound is an :class:`~newsdesk.errors.InputError` (``LimitError``) that names the input,
the bound and the setting that raises it, when there is one.

Structural bounds (nesting depth, digits in a number, attributes in one HTML tag) are fixed: no
article needs more, so there is nothing to raise. Length bounds follow the ``max_words`` setting: words,
and in proportion to it lines of plain text, Markdown links and HTML elements.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from newsdesk.errors import LimitError

__all__ = [
    "MAX_ATTRIBUTES",
    "MAX_DEPTH",
    "MAX_NUMBER_DIGITS",
    "check_depth",
    "check_markup",
    "check_words",
    "count_words",
    "load_json",
    "scrub_surrogates",
]

# Deepest nesting of lists and objects accepted in JSON records and front matter.
MAX_DEPTH = 64
# Most digits in one number of a JSON record or front matter (Python refuses over 4,300 anyway).
MAX_NUMBER_DIGITS = 100
# Most attributes on one HTML tag (real pages stay under a hundred).
MAX_ATTRIBUTES = 1_000

_SURROGATE = re.compile("[\ud800-\udfff]")
_WORD = re.compile(r"\S+")
_ELEMENT = re.compile(rb"<[A-Za-z]")
_TAG = re.compile(rb"<[A-Za-z][^<>]{4096,}>")
_ATTRIBUTE = re.compile(rb"""[\s"'][^\s"'=<>/]+\s*=""")


def scrub_surrogates(text: str) -> str:
    """Replace lone surrogates (which JSON escapes can carry, but no text encoding can) with U+FFFD."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def load_json(text: str, location: str, *, what: str = "JSON") -> Any:
    """``json.loads`` with bounded numbers and nesting. ``json.JSONDecodeError`` passes through."""

    def number(kind: Callable[[str], Any]) -> Callable[[str], Any]:
        def parse(literal: str) -> Any:
            digits = sum(c.isdigit() for c in literal)
            if digits > MAX_NUMBER_DIGITS:
                raise LimitError(
                    location,
                    f"{what} holds a number of {digits:,} digits; newsdesk reads numbers of at most "
                    f"{MAX_NUMBER_DIGITS} digits",
                    "write such a value as a string",
                )
            return kind(literal)

        return parse

    try:
        value = json.loads(text, parse_int=number(int), parse_float=number(float))
    except RecursionError:
        raise _too_deep(location, what) from None
    check_depth(value, location, what=what)
    return value


def check_depth(value: Any, location: str, *, what: str = "the input", limit: int = MAX_DEPTH) -> None:
    """Refuse lists and mappings nested deeper than ``limit`` (walked without recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list | tuple):
            children = item
        else:
            continue
        if depth > limit:
            raise _too_deep(location, what, limit)
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list | tuple))


def _too_deep(location: str, what: str, limit: int = MAX_DEPTH) -> LimitError:
    return LimitError(
        location,
        f"{what} nests lists or objects more than {limit} levels deep",
        "flatten the structure: an article record needs only a few levels",
    )


def count_words(text: str, stop: int | None = None) -> int:
    """Whitespace-separated words in ``text``, counting no further than ``stop``."""
    if stop is None:
        return len(text.split())
    count = 0
    for _ in _WORD.finditer(text):
        count += 1
        if count > stop:
            break
    return count


# Lines and Markdown links allowed per article, as a share of ``max_words``: a line has words, and
# so does a link's text, so a genuine article comes nowhere near these.
WORDS_PER_LINE = 5
WORDS_PER_LINK = 10
WORDS_PER_ELEMENT = 3
# Link and image openings: markdown-it scans ahead from each "[" for its closing bracket.
_LINK = re.compile(r"\[|<https?://")


def check_words(text: str, location: str, max_words: int, *, lines: bool = False, links: bool = False) -> None:
    """Refuse a text over ``max_words`` words before any stage reads it sentence by sentence.

    With ``lines``, also a text of more than ``max_words / 5`` lines (the plain-text reader classifies
    every line); with ``links``, Markdown of more than ``max_words / 10`` links (the Markdown parser
    builds several tokens for each).
    """
    count = count_words(text, stop=max_words)
    if count > max_words:
        raise LimitError(
            location, f"has more than {max_words:,} words, the most newsdesk reads as one article", _RAISE_WORDS
        )
    if lines:
        _check_share(text.count("\n") + 1, "lines", WORDS_PER_LINE, max_words, location)
    if links:
        _check_share(len(_LINK.findall(text)), "links", WORDS_PER_LINK, max_words, location)


_RAISE_WORDS = "raise the bound with --max-words (NEWSDESK_MAX_WORDS) if this is one genuine article"


def _check_share(found: int, what: str, words_per: int, max_words: int, location: str) -> None:
    """Refuse more ``what`` than one per ``words_per`` words of the ``max_words`` bound."""
    most = max(max_words // words_per, 1)
    if found > most:
        raise LimitError(
            location,
            f"has {found:,} {what}; newsdesk reads at most {most:,} {what} (one per {words_per} words of "
            f"the {max_words:,}-word bound) as one article",
            _RAISE_WORDS,
        )


def check_markup(data: bytes, location: str, max_words: int) -> None:
    """Refuse HTML whose markup alone would cost too much: too many elements, or a tag with too many attributes.

    The HTML extractors cost time per element (about 0.1 ms each when their fallbacks run), whatever
    the text; the largest of 668 real news pages measured has about 10,000 elements, and the bound is
    one element per :data:`WORDS_PER_ELEMENT` words of ``max_words`` (16,666 at the default).
    """
    _check_share(len(_ELEMENT.findall(data)), "HTML elements", WORDS_PER_ELEMENT, max_words, location)
    for tag in _TAG.finditer(data):
        count = len(_ATTRIBUTE.findall(tag.group()))
        if count > MAX_ATTRIBUTES:
            name = re.match(rb"<([A-Za-z][A-Za-z0-9-]*)", tag.group())
            shown = name.group(1).decode("ascii", "replace") if name else "?"
            raise LimitError(
                location,
                f"has a <{shown}> tag with {count:,} attributes; newsdesk reads at most {MAX_ATTRIBUTES:,} per tag",
                "this is not an article page; save the page again from its site",
            )
