"""The candidate record and the context tests that decide whether a bare month or number is a date.

"In November" and "the October sanctions" are months; "Theresa May" and "April Ryan" are people.
"In 2024", "the 2024 election" and "2025 – An offensive ..." are years; "2000 people", "a total of
2021 ballots" and "resolution 2254" are not. These tests look at the words around the match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Candidate:
    """A temporal expression as written: its span and the parts it names, not yet resolved."""

    start: int
    end: int
    kind: str  # date | weekday | deictic | relative | ago | anchored | decade | season | quarter | reference | clock
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    modifier: str | None = None  # last | next | this (or None)
    unit: str | None = None  # day | week | weekend | month | year | decade
    offset: int = 0
    season: str | None = None
    months: int = 1  # how many months a season, quarter or half covers
    end_day: int | None = None  # "3-5 January"
    end_year: int | None = None  # "2019-2021"
    needs_future: bool = False  # "in two weeks" is a date only in a future clause
    part: str | None = None  # part of the day, TimeML's MO | AF | EV | NI ("Friday morning", "last night")
    clock: str | None = None  # a clock time "HH:MM" or "HH" ("10 p.m.", "noon"); kind "clock" alone

    @property
    def length(self) -> int:
        return self.end - self.start


def with_year(candidate: Candidate, year: int) -> Candidate:
    return replace(candidate, year=year)


TEMPORAL_PREPOSITIONS = frozenset(
    "in on since until till through throughout during before after into early late mid around circa c "
    "ahead by from of for to between year years spring summer autumn fall winter end start beginning".split()
)
_STRONG_PREPOSITIONS = frozenset("in since until till throughout during before after into early late mid circa".split())
_DETERMINERS = frozenset("the a an its his her their our this that".split())
_FUNCTION_WORDS = _DETERMINERS | TEMPORAL_PREPOSITIONS | frozenset("and or but as at with".split())
_OF_TEMPORAL = frozenset("as end start beginning middle month ahead part half rest course".split())
_MONTH_WORDS = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_YEAR_LIST = re.compile(r"\b(?:1[0-9]{3}|20[0-9]{2})(?:,\s+|,?\s+(?:and|or)\s+)$")
_RANGE_SECOND = re.compile(r"\b(?:from|between)\s+(?:early\s+|late\s+|mid-)?\d{4}\s+(?:and|to|until|till|through)\s+$")
_EVENT_PLURALS = frozenset(
    (
        "elections protests attacks games olympics talks riots floods polls midterms accords sanctions "
        "negotiations hearings finals playoffs strikes uprisings demonstrations killings bombings shootings "
        "earthquakes storms hurricanes accounts figures results levels numbers rates statistics"
    ).split()
)
_NOT_YEAR_FOLLOWERS = frozenset(
    "people men women children police staff personnel troops cattle feet km kg mph pounds dollars euros".split()
)
_FUNCTION_WORDS_S = frozenset(
    "was has is as its this his us thus plus across whereas towards always perhaps unless".split()
)
_YEAR_CONTEXTS = frozenset("both due fiscal".split())
_POSSESSIVE_BEFORE = re.compile(r"\w['’]s?\s+$")
_LINE_HEADING = re.compile(r"\s*(?:[-–—:]|\)\s)")
_PREVIOUS_WORD = re.compile(r"([A-Za-z]+)\W{0,2}$")
_NEXT_WORD = re.compile(r"\s+([A-Za-z]+(?:['’]s)?)")


def word_starts(text: str, position: int) -> bool:
    """Whether a word can start at ``position`` (no letter or digit right before it)."""
    return position == 0 or not text[position - 1].isalnum()


def before(pattern: re.Pattern[str], text: str, position: int, reach: int) -> re.Match[str] | None:
    """``pattern`` (ending in ``$``) matched against the ``reach`` characters before ``position``."""
    return pattern.search(text, max(0, position - reach), position)


def _previous(text: str, position: int) -> tuple[str, int]:
    found = _PREVIOUS_WORD.search(text, max(0, position - 30), position)
    return (found.group(1), found.start(1)) if found else ("", position)


def previous_word(text: str, position: int) -> str:
    """The word before ``position`` (across at most two spaces or punctuation marks)."""
    return _previous(text, position)[0]


def after_word(text: str, position: int) -> str:
    found = _NEXT_WORD.match(text, position, position + 30)
    return found.group(1) if found else ""


def is_count_follower(word: str) -> bool:
    """Whether ``word`` after a number makes it a count ("2000 people", "2021 ballots")."""
    lowered = word.lower()
    if lowered in _NOT_YEAR_FOLLOWERS:
        return True
    return (
        lowered.endswith("s")
        and not lowered.endswith(("'s", "’s"))
        and lowered not in _EVENT_PLURALS
        and lowered not in _FUNCTION_WORDS_S
        and word[:1].islower()
    )


def accepts_month_alone(text: str, start: int, end: int, name: str, modified: bool) -> bool:
    """A month name with no day or year is a month after a temporal word, or when it is not a name."""
    previous, previous_start = _previous(text, start)
    lowered = previous.lower()
    temporal = modified or lowered in TEMPORAL_PREPOSITIONS
    if not modified and lowered in ("and", "or", "to"):
        temporal = previous_word(text, previous_start).lower() in _MONTH_WORDS  # "March and May"
    if not modified and lowered == "of":
        temporal = previous_word(text, previous_start).lower() in _OF_TEMPORAL  # "as of August", not "Ides of March"
    if name in ("May", "MAY", "March", "MARCH"):
        return temporal
    if temporal:
        return True
    named_before = previous[:1].isupper() and lowered not in _FUNCTION_WORDS
    return not (after_word(text, end)[:1].isupper() or named_before)  # "August Wilson", "Judge June Ortiz"


def accepts_year_alone(text: str, start: int, end: int, year: int, context: str) -> bool:
    """A four-digit number is a year after a temporal word or a determiner, or heading a line."""
    following = after_word(text, end)
    line_start = text.rfind("\n", 0, start) + 1
    if text.startswith(("'s", "’s"), end):
        accepted = True  # "2025's harvest"
    elif not text[line_start:start].strip() and _LINE_HEADING.match(text, end):
        accepted = True  # "2025 – A Colombian offensive ..." heading a timeline line
    elif context in _STRONG_PREPOSITIONS or context == "from":
        accepted = context != "from" or not is_count_follower(following)
    elif _RANGE_SECOND.search(text, max(0, start - 40), start) or _YEAR_LIST.search(text, max(0, start - 12), start):
        accepted = True  # the second year of "between 2019 and 2021", of "in 2023 and 2024"
    elif context in TEMPORAL_PREPOSITIONS:
        accepted = not is_count_follower(following)
    elif (
        context in _DETERMINERS
        or context in _YEAR_CONTEXTS
        or _POSSESSIVE_BEFORE.search(text, max(0, start - 4), start)
    ):
        # "the 2024 election", "the 2000 Olympics", "the company's 1989 results", "in both 1990 and
        # 1991", "bonds due 1993"; not "the 1500 workers"
        accepted = bool(following) and not is_count_follower(following)
        if context not in _DETERMINERS:
            accepted = accepted or not following or following[0] in ",.;"
    else:
        accepted = False
    return accepted and (year >= 1800 or context in _STRONG_PREPOSITIONS or context == "from")
