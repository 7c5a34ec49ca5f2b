"""Sentences with character offsets into the stored body.

A rule-based splitter written for news English: a sentence ends at ``.``, ``!``, ``?`` or ``…``
(with any closing quotes or brackets after it) when the next word starts like a sentence, and
paragraph breaks always end one. Abbreviations ("Mr.", "Gen.", "Feb. 3", "U.S. officials"),
initials ("John F. Kennedy"), decimals and ellipses inside a sentence do not. Offsets are exact,
so a sentence is always ``body[start:end]``, which citations rely on.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

# Abbreviations after which a period does not end a sentence (lower case, without the period).
_ABBREVIATIONS = frozenset(
    (
        "mr mrs ms mx dr prof sen rep gov gen lt col maj capt cmdr adm sgt cpl pvt st mt ft jr sr rev hon pres "
        "supt insp det atty amb sec dept univ assn bros est approx "
        "jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun "
        "no nos vs v e.g i.e cf al ca c fig figs vol vols ed eds p pp para op "
        "inc corp co ltd plc llc bhd pty "
        "a.m p.m u.s u.k u.n e.u u.s.a d.c n.y l.a n.j"
    ).split()
)
# Abbreviations that often end a sentence: they end one when a typical sentence opener follows.
_ENDING_ABBREVIATIONS = frozenset("inc corp co ltd plc llc u.s u.k u.n e.u u.s.a d.c a.m p.m etc al".split())
_SENTENCE_OPENERS = frozenset(
    (
        "the a an he she it they we i you his her its their our this that these those there here but and "
        "so yet or in on at for after before when while as if although though however meanwhile still "
        "according officials police mr mrs ms dr president"
    ).split()
)

# "U.S. President Donald Trump", "U.N. officials": after a country's initials a title or a group of people
# names whom it qualifies, so only the plainest sentence openers end the sentence there.
_COUNTRY_INITIALS = frozenset("u.s u.k u.n e.u u.s.a".split())
_QUALIFIED = frozenset("officials police president mr mrs ms dr".split())

_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]»]*(?=\s)")
_NEXT_WORD = re.compile(r"\s+([\"'“‘(\[«¿¡]*)(\S+)")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def split_sentences(body: str) -> list[Sentence]:
    """Every sentence of ``body`` with its span; ``body[s.start:s.end] == s.text``."""
    return list(_split(body))


@functools.lru_cache(maxsize=1024)  # a page splits each article for its units, then again for its timeline
def _split(body: str) -> tuple[Sentence, ...]:
    sentences: list[Sentence] = []
    for paragraph in re.finditer(r"[^\n]+", body):
        offset = paragraph.start()
        for start, end in _split_paragraph(paragraph.group()):
            text = body[offset + start : offset + end]
            sentences.append(Sentence(offset + start, offset + end, text))
    return tuple(sentences)


def _split_paragraph(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = _skip_space(text, 0)
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        if end <= start or not _ends_sentence(text, match):
            continue
        spans.append((start, end))
        start = _skip_space(text, end)
    if start < len(text.rstrip()):
        spans.append((start, len(text.rstrip())))
    return spans


def _ends_sentence(text: str, match: re.Match[str]) -> bool:
    following = _NEXT_WORD.match(text, match.end())
    if not following:
        return True
    opener, word = following.group(1), following.group(2)
    first = word[0]
    if not (first.isupper() or first.isdigit() or opener):
        return False
    punctuation = match.group()
    if not punctuation.startswith("."):
        return True
    if punctuation.startswith("..."):
        # An ellipsis ends a sentence only before a capitalised word.
        return first.isupper()
    previous = _word_before(text, match.start()).lstrip("\"'“‘(")
    if not previous:
        return True
    lowered = previous.lower().rstrip(".")
    if re.fullmatch(r"[A-Z]", previous):
        return False  # an initial: "John F. Kennedy"
    if lowered in _ABBREVIATIONS:
        if lowered in _ENDING_ABBREVIATIONS:
            opening = word.lower().strip("\"'“‘,")
            if lowered in _COUNTRY_INITIALS and opening in _QUALIFIED:
                return False
            return opening in _SENTENCE_OPENERS
        return False
    return not re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", previous)  # "U.S" "e.g" not listed above


def _word_before(text: str, end: int) -> str:
    """The run of non-space characters ending at ``end``.

    Walked back character by character: each boundary is followed by a space, so no character is
    walked twice and a paragraph costs time in proportion to its length (a regex anchored at the end
    of ``text[:end]`` would rescan the whole prefix at every boundary).
    """
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:end]


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position].isspace():
        position += 1
    return position
