"""Finding temporal expressions: the surface forms of English news text, as regular expressions.

Each finder yields :class:`Candidate` records: a span and what the words say (a year, a month, a
day, a weekday, "last week", "two days later" ...), before any resolution. Precision matters more
than recall here, because a false date puts a wrong entry on a timeline: month names that are also
words ("May", "March") need a temporal context, four-digit numbers are years only in a temporal
context ("in 2025", "the 2024 election", "2025 –" heading a timeline line), abbreviations ("Jan.",
"Sept.") only with a day or a year, and numeric dates ("25/12") only when they cannot be read two
ways. Month and weekday names must be capitalised, seasons written in lower case.

Speed: every pattern starts with the words it cannot do without (a month name, a digit, "week"),
which the regular expression engine scans for quickly; optional words before them ("last", "early",
a weekday before a date) are looked for afterwards, in the few characters before each match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from newsdesk.analyse.temporal.calendar import MONTH_NAMES, WEEKDAY_NAMES
from newsdesk.analyse.temporal.context import (
    TEMPORAL_PREPOSITIONS,
    Candidate,
    accepts_month_alone,
    accepts_year_alone,
    after_word,
    before,
    is_count_follower,
    previous_word,
    word_starts,
)


def _phrases(phrases: Iterable[str]) -> str:
    """A flat alternation of literal phrases, lower case and capitalised, longest first."""
    forms = {f for phrase in phrases for f in (phrase, phrase[0].upper() + phrase[1:])}
    return "(?:" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) + ")"


def _alternation(names: list[str]) -> str:
    forms = sorted({f for name in names for f in (name, name.upper())}, key=len, reverse=True)
    return "|".join(forms)


_MONTH_INDEX: dict[str, int] = {}
for _number, _name in enumerate(MONTH_NAMES, start=1):
    _MONTH_INDEX[_name.lower()] = _number
    _MONTH_INDEX[_name[:3].lower()] = _number
_MONTH_INDEX["sept"] = 9
_WEEKDAY_INDEX: dict[str, int] = {}
for _number, _name in enumerate(WEEKDAY_NAMES):
    _WEEKDAY_INDEX[_name.lower()] = _number
    _WEEKDAY_INDEX[_name[:3].lower()] = _number
_WEEKDAY_INDEX.update({"tues": 1, "thur": 3, "thurs": 3})

_MONTH_FULL = _alternation(MONTH_NAMES)
_MONTH_ABBR = _alternation(["Sept", *(m[:3] for m in MONTH_NAMES if len(m) > 3)])
_ABBREVIATIONS = frozenset(name.lower() for name in _MONTH_ABBR.split("|"))
_MONTH_WORD = re.compile(rf"(?:{_MONTH_FULL}|{_MONTH_ABBR})\b\.?")  # one flat alternation: a fast scan
_WEEKDAY_ANY = _alternation([*WEEKDAY_NAMES, "Tues", "Thur", "Thurs", *(w[:3] for w in WEEKDAY_NAMES)])
_DAY_NUMBER = r"(?:3[01]|[12][0-9]|0?[1-9])"
_YEAR = r"(?P<year>1[0-9]{3}|20[0-9]{2})(?![\d,.]\d)"
_NO_NUMBER_AFTER = r"(?!\d|[.,:/]\d|\s*(?:%|per\s?cent))"

_ISO = re.compile(r"(?P<year>1[0-9]{3}|20[0-9]{2})-(?P<month>[01][0-9])-(?P<day>[0-3][0-9])(?![\d-])")
_DAY_AFTER = re.compile(
    rf"\s*(?<!\w)(?P<day>{_DAY_NUMBER})(?:st|nd|rd|th)?\b(?:\s*[-–]\s*(?P<end_day>{_DAY_NUMBER})\b)?"
    rf"(?:,?\s+{_YEAR}\b)?{_NO_NUMBER_AFTER}"
)
_DAY_BEFORE = re.compile(
    rf"(?<![\w,.$€£#/-])(?P<day>{_DAY_NUMBER})(?:st|nd|rd|th)?"
    rf"(?:\s*(?:[-–]|to)\s*(?P<end_day>{_DAY_NUMBER})(?:st|nd|rd|th)?)?\s+(?:of\s+)?$"
)
_YEAR_AFTER = re.compile(rf",?\s+(?:of\s+)?{_YEAR}\b{_NO_NUMBER_AFTER}")
_WEEKDAY_BEFORE = re.compile(rf"(?P<weekday>{_WEEKDAY_ANY})\.?,?\s+$")
_MONTH_MODIFIER_BEFORE = re.compile(r"(?:\b(?P<modifier>last|next|this|early|late|earlier|later)\s+|\b(?P<mid>mid-?))$")
_YEAR_ALONE = re.compile(rf"{_YEAR}(?![\w%]|[-–/]\d|\s*(?:%|per\s?cent))")
_YEAR_MODIFIER_BEFORE = re.compile(r"\b(?P<modifier>early|late|mid)(?:-|\s+)$")
_YEAR_RANGE = re.compile(
    r"(?P<year>1[0-9]{3}|20[0-9]{2})\s*[-–]\s*(?P<end>1[0-9]{3}|20[0-9]{2}|[0-9]{2})(?![\w%-]|[.,]\d)"
)
_DECADE = re.compile(r"[12][0-9][0-9]0s\b")
_SHORT_DECADE = re.compile(r"['’][0-9]0s\b")
_DECADE_MODIFIER_BEFORE = re.compile(r"\b(?:early|mid|late)[\s-]+$")
_WEEKDAY = re.compile(
    r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?!s\b|\w)"
    r"(?:\s+(?P<part>night|morning|afternoon|evening))?"
)
_PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI"}
# A clock time: "10 p.m.", "7:15 a.m.", "6am", "14:30", "noon", "midnight", with a time zone after it.
_CLOCK_BEFORE = re.compile(
    r"(?P<clock>(?:(?P<hour>[01]?[0-9]|2[0-3])(?:[:.](?P<minute>[0-5][0-9]))?\s*(?P<half>[ap])\.?m\b\.?"
    r"|(?P<hour24>[01][0-9]|2[0-3]):(?P<minute24>[0-5][0-9])|(?P<noon>noon|midnight)\b)"
    r"(?:\s*(?:\(?(?:[ECMP][SD]T|GMT|UTC|BST|CET)\)?|local\s+time)\b)?)"
    r",?\s+(?:on\s+)?$"
)
_WEEKDAY_MODIFIER_BEFORE = re.compile(r"\b(?P<modifier>[Ll]ast|[Nn]ext|[Tt]his|[Pp]revious)\s+$")
_DEICTIC_WORDS = {
    "today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1, "the day before yesterday": -2,
    "the day after tomorrow": 2, "this morning": 0, "this afternoon": 0, "this evening": 0, "last night": -1,
}  # fmt: skip
_PART_AFTER = re.compile(r"\s+(?P<part>morning|afternoon|evening|night)\b")
_DEICTIC = re.compile(_phrases(_DEICTIC_WORDS) + r"\b")
_DEICTIC_EDGE_BEFORE = re.compile(r"\b(?:earlier|later|Earlier|Later)\s+$")
_RELATIVE_OFFSETS = {"last": -1, "this past": -1, "next": 1, "the coming": 1, "this": 0}
_RELATIVE_UNIT = re.compile(r"(?:weekend|week|month|year)\b")
_RELATIVE_BEFORE = re.compile(r"\b(?P<modifier>[Ll]ast|[Tt]his past|[Nn]ext|[Tt]he coming|[Tt]his|(?P<the>[Tt]he))\s+$")
_RELATIVE_EDGE_BEFORE = re.compile(
    r"\b(?:earlier|later|early|late|the\s+end\s+of|the\s+start\s+of|the\s+beginning\s+of)\s+$", re.IGNORECASE
)
_WEEKEND_PREPOSITION_BEFORE = re.compile(r"\b(?:over|at|during|on)\s+$")
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30,
}  # fmt: skip
_COUNT = r"(?P<count>\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty)"
_UNIT = re.compile(r"(?P<unit>day|week|month|year|decade)s?\b")
_COUNT_BEFORE = re.compile(rf"\b{_COUNT}\s+$", re.IGNORECASE)
_IN_BEFORE = re.compile(r"\b(?:in|within)\s+$")
_AGO_AFTER = re.compile(r"\s+(?P<way>ago|earlier|later|from\s+now)\b")
# "the first strike in fifteen years", "its lowest level in 20 years": a span of time, not a date.
_SUPERLATIVE_BEFORE = re.compile(
    r"\b(?:first|last|only|most|least|biggest|largest|highest|lowest|worst|best|longest|deadliest|strongest|"
    r"weakest|fastest|slowest|greatest|smallest|hottest|coldest|wettest|driest|busiest)\b[^.;!?]*\bin\s+$",
    re.IGNORECASE,
)
_IN_NOT_AFTER = re.compile(r"['’]?\s+(?:of|ago|time|later|earlier)\b")
_ANCHORED = re.compile(
    r"(?:[Tt]he|[Tt]hat)\s+(?P<way>next|following|previous|preceding|same)\s+"
    r"(?P<unit>day|week|month|year|morning|evening|night)\b"
    r"|(?:[Tt]hat|[Tt]he\s+same)\s+(?P<that>day)\b"
    r"|[Tt]he\s+(?P<unit2>day)\s+(?P<way2>before|after)(?=\s*[,.;)]|\s+(?:and|but)\b)"
)
_SEASON = re.compile(
    rf"(?P<season>spring|summer|autumn|fall|winter|Spring|Summer|Autumn|Fall|Winter)\b(?:\s+(?:of\s+)?{_YEAR}\b)?"
)
_SEASON_BEFORE = re.compile(
    r"(?:\b(?P<modifier>last|next|this|early|late)\s+|\b(?P<mid>mid-?)|\b(?P<inthe>in\s+the)\s+)$"
)
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
_QUARTER = re.compile(r"(?:quarter|half) of (?P<year>1[0-9]{3}|20[0-9]{2})\b")
_ORDINAL_BEFORE = re.compile(r"\b(?P<ordinal>first|second|third|fourth|1st|2nd|3rd|4th|First|Second|Third|Fourth)\s+$")
_QUARTER_ALONE = re.compile(
    r"(?P<ordinal>[Ff]irst|[Ss]econd|[Tt]hird|[Ff]ourth)(?:(?P<hyphen>-)|\s+)quarter\b(?!\s+of\s+(?:1[0-9]{3}|20[0-9]{2})\b)"
)
_QUARTER_OWNER_BEFORE = re.compile(
    r"(?:\b(?:[Tt]he|[Ii]ts|[Tt]heir)\s+(?:(?P<year>1[0-9]{3}|20[0-9]{2})\s+|fiscal[\s-]+|latest\s+)?"
    r"|\b(?P<modifier>[Tt]his|[Ll]ast|[Nn]ext)\s+year['’]s\s+(?:fiscal\s+)?)$"
)
_DETERMINER_BEFORE = re.compile(r"\b(?:[Tt]he|[Ii]ts|[Tt]heir)\s+$")
_FISCAL_BEFORE = re.compile(r"\b[Ff]iscal\s+$")
# "the quarter" after a named quarter is that quarter; "the year-ago quarter" is the same one a year before.
_THE_QUARTER = re.compile(
    r"[Tt]he\s+(?P<latest>latest|most\s+recent)\s+period\b|(?:[Tt]he(?:\s+(?P<latest2>latest|most\s+recent))?|[Tt]hat)\s+quarter\b(?!['’]s|-|\s+of\b)"
)
_YEAR_AGO_PERIOD = re.compile(
    r"[Tt]he\s+(?:comparable\s+)?year-(?:ago|earlier)\s+(?:(?:first|second|third|fourth)\s+)?(?:quarter|period)\b"
    r"|year-(?:ago|earlier)\b(?!-)"
)
_QUARTER_CODE = re.compile(r"Q(?P<q>[1-4]) (?P<qyear>20[0-9]{2})\b|(?P<hyear>20[0-9]{2}) Q(?P<hq>[1-4])\b")
_SLASH = re.compile(r"(?P<a>[0-3]?[0-9])\\?/(?P<b>[0-3]?[0-9])(?:\\?/(?P<y>\d{4}|\d{2}))?(?![\w/\\]|[.,]\d)")
# Words that point at the present, the past or the future without naming a date (TimeML's PRESENT_REF,
# PAST_REF, FUTURE_REF): "prices are now higher", "she recently moved", "in the near future", "the current
# crisis" (not "the current quarter", a period, nor "the river's current carried", a noun). "The past" is
# one only when nothing measures it ("the past week" is a span); "the future of the plant" is a thing.
_REFERENCE = re.compile(
    r"(?P<present>[Nn]ow|[Cc]urrently|[Cc]urrent(?=\s+[a-z])(?!\s+(?:fiscal|calendar|year|quarter|month|week|period|half|season|decade|century|of|in|on|at|from|to|and|or|is|was|\w+ed)\b)|[Tt]hese\s+days|[Aa]t\s+present)\b(?!-)"
    r"|(?P<past>[Rr]ecently|[Tt]he\s+past"
    r"(?=\s*[,.;:!?)]|\s+(?:and|or|but|as|when|that|is|was|were|has|have|had|because)\b))\b"
    r"|(?P<future>[Tt]he\s+(?:near\s+|distant\s+)?future)\b(?!\s+of\b|-)"
)
_REFERENCE_WORDS = re.compile(
    r"now|current(?:ly)?|these days|at present|recently|the past|the (?:near |distant )?future"
)
_REFERENCE_HINTS = ("now", "current", "these days", "at present", "recently", "the past", "future")
_NAMED_DAYS = frozenset("Super Good Black Ash Holy Cyber Maundy Bloody Palm Easter Giving Boxing".split())
_RANGE_CONTEXT = TEMPORAL_PREPOSITIONS | frozenset("the a an its his her their our this that".split())


def find_candidates(text: str) -> Iterator[Candidate]:
    """Every candidate expression in ``text``; overlapping ones are sorted out by the tagger."""
    days = [*_iso_dates(text), *_months(text), *_weekdays(text), *_deictics(text)]
    yield from days
    yield from _clocks(text, days)
    yield from _years_alone(text)
    yield from _spoken_years(text)
    yield from _year_ranges(text)
    yield from _decades(text)
    yield from _relatives(text)
    yield from _counted(text)
    yield from _anchored(text)
    yield from _seasons(text)
    yield from _quarters(text)
    yield from _slashed(text)
    yield from _references(text)


def _int(value: str | None) -> int | None:
    return int(value) if value else None


def _iso_dates(text: str) -> Iterator[Candidate]:
    for m in _ISO.finditer(text):
        if m.start() and (text[m.start() - 1].isdigit() or text[m.start() - 1] == "-"):
            continue
        yield Candidate(m.start(), m.end(), "date", int(m["year"]), int(m["month"]), int(m["day"]))


def _weekday_before(text: str, start: int) -> tuple[int, int | None]:
    """A weekday written just before a date ("Tuesday, Feb 6"): the new start and the weekday."""
    found = before(_WEEKDAY_BEFORE, text, start, 16)
    if found is None or not word_starts(text, found.start()):
        return start, None
    return found.start(), _WEEKDAY_INDEX[found["weekday"].rstrip(".").lower()]


def _months(text: str) -> Iterator[Candidate]:
    """Everything built around a month name: "3 January 2026", "Jan. 3", "September 2025", "in November".

    Each reading the words allow is a candidate; the tagger keeps the longest.
    """
    for m in _MONTH_WORD.finditer(text):
        if not word_starts(text, m.start()):
            continue
        name = m.group().rstrip(".")
        month = _MONTH_INDEX[name.lower()]
        abbreviated = name.lower() in _ABBREVIATIONS
        end = m.end() if abbreviated else m.start() + len(name)  # a period after "January" ends a sentence
        day_after = _DAY_AFTER.match(text, end)
        if day_after is not None:
            start, weekday = _weekday_before(text, m.start())
            yield Candidate(
                start, day_after.end(), "date", _int(day_after["year"]), month, int(day_after["day"]),
                weekday=weekday, end_day=_int(day_after["end_day"]),
            )  # fmt: skip
        day_before = before(_DAY_BEFORE, text, m.start(), 24)
        if day_before is not None:
            year_after = _YEAR_AFTER.match(text, end)
            start, weekday = _weekday_before(text, day_before.start())
            year = _int(year_after["year"]) if year_after else None
            yield Candidate(
                start, year_after.end() if year_after else end, "date", year, month, int(day_before["day"]),
                weekday=weekday, end_day=_int(day_before["end_day"]),
            )  # fmt: skip
        year_after = _YEAR_AFTER.match(text, end)
        if year_after is not None:
            yield Candidate(m.start(), year_after.end(), "date", int(year_after["year"]), month)
        if abbreviated and name != "Sept":
            continue  # "Jan", "Mar" alone may be names or words
        found = before(_MONTH_MODIFIER_BEFORE, text, m.start(), 12)
        if accepts_month_alone(text, m.start(), end, name, found is not None):
            modifier = _modifier(found["modifier"] or "") if found else None
            yield Candidate(found.start() if found else m.start(), end, "date", None, month, modifier=modifier)


def _modifier(word: str) -> str | None:
    lowered = word.lower()
    return lowered if lowered in ("last", "next", "this") else None


def _years_alone(text: str) -> Iterator[Candidate]:
    """A four-digit number is a year only in a temporal context."""
    for m in _YEAR_ALONE.finditer(text):
        if (
            m.start()
            and text[m.start() - 1] in "$€£#/.,\\-"
            and before(_YEAR_MODIFIER_BEFORE, text, m.start(), 8) is None
        ):
            continue
        if not word_starts(text, m.start()) or (m.start() and text[m.start() - 1].isdigit()):
            continue
        found = before(_YEAR_MODIFIER_BEFORE, text, m.start(), 8)
        context = found["modifier"].lower() if found else previous_word(text, m.start()).lower()
        if accepts_year_alone(text, m.start(), m.end(), int(m["year"]), context):
            yield Candidate(found.start() if found else m.start(), m.end(), "date", int(m["year"]))


_UNITS = "one two three four five six seven eight nine".split()
_TEENS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_SPOKEN_NUMBER = {
    **{w: i + 1 for i, w in enumerate(_UNITS)},
    **{w: i + 10 for i, w in enumerate(_TEENS)},
    **{w: 20 + 10 * i for i, w in enumerate(_TENS)},
}
_UNIT_WORDS = "|".join(_UNITS)
_BELOW_HUNDRED = rf"(?:(?:{'|'.join(_TENS)})(?:[- ](?:{_UNIT_WORDS}))?|{'|'.join(_TEENS)})"
# A year said in words, as broadcast transcripts write it: "nineteen ninety-six", "eighteen twelve", "the
# year two thousand", "in two thousand and two" ("two thousand years" and "two thousand troops" are numbers).
_SPOKEN_YEAR = re.compile(
    rf"\b(?P<century>[Nn]ineteen|[Ee]ighteen)[- ](?P<rest>{_BELOW_HUNDRED}|hundred)\b(?![- ]?(?:percent|per\b))"
    rf"|(?P<the>[Tt]he\s+year\s+)?\btwo\s+thousand(?:\s+(?:and\s+)?(?P<rest2>{_BELOW_HUNDRED}|{_UNIT_WORDS}))?\b"
)
_SPOKEN_HINTS = ("nineteen", "eighteen", "thousand")
_SPOKEN_CONTEXT = frozenset("in since by until till of before after from to during through around".split())


def _spoken_value(words: str | None) -> int:
    if not words or words == "hundred":
        return 0
    return sum(_SPOKEN_NUMBER[w] for w in re.split(r"[- ]", words.lower()) if w in _SPOKEN_NUMBER)


def _spoken_years(text: str) -> Iterator[Candidate]:
    """A year said in words (see ``_SPOKEN_YEAR``); "two thousand" is a year only as "the year two thousand"
    or after a temporal preposition with nothing counted after it."""
    lowered = text.lower()
    if not any(hint in lowered for hint in _SPOKEN_HINTS):
        return
    for m in _SPOKEN_YEAR.finditer(text):
        if m["century"]:
            century = 1900 if m["century"].lower() == "nineteen" else 1800
            yield Candidate(m.start(), m.end(), "date", century + _spoken_value(m["rest"]))
            continue
        after = text[m.end() : m.end() + 2]
        counted = bool(re.match(r"\s[a-z]", after))  # "two thousand years", "two thousand and two troops"
        if m["the"] or (previous_word(text, m.start()).lower() in _SPOKEN_CONTEXT and not counted):
            yield Candidate(m.start(), m.end(), "date", 2000 + _spoken_value(m["rest2"]))


def _year_ranges(text: str) -> Iterator[Candidate]:
    for m in _YEAR_RANGE.finditer(text):
        if not word_starts(text, m.start()) or (m.start() and text[m.start() - 1] in "$€£#/.,-"):
            continue
        first = int(m["year"])
        end = m["end"]
        last = int(end) if len(end) == 4 else first // 100 * 100 + int(end)
        if len(end) == 2 and last < first:
            last += 100
        if not first < last <= first + 30:
            continue
        previous = previous_word(text, m.start()).lower()
        line_start = text.rfind("\n", 0, m.start()) + 1
        at_line_start = not text[line_start : m.start()].strip()
        if previous not in _RANGE_CONTEXT and not at_line_start:
            continue
        if is_count_follower(after_word(text, m.end())):
            continue
        yield Candidate(m.start(), m.end(), "date", first, end_year=last)


def _decades(text: str) -> Iterator[Candidate]:
    for m in _DECADE.finditer(text):
        if word_starts(text, m.start()) and 1000 <= int(m.group()[:4]) <= 2090:
            found = before(_DECADE_MODIFIER_BEFORE, text, m.start(), 8)
            yield Candidate(found.start() if found else m.start(), m.end(), "decade", int(m.group()[:4]))
    for m in _SHORT_DECADE.finditer(text):
        if text[max(0, m.start() - 4) : m.start()].lower() == "the ":  # "the '80s"
            yield Candidate(m.start(), m.end(), "decade", 1900 + int(m.group()[1]) * 10)


def _weekdays(text: str) -> Iterator[Candidate]:
    for m in _WEEKDAY.finditer(text):
        if not word_starts(text, m.start()) or previous_word(text, m.start()) in _NAMED_DAYS:
            continue
        found = before(_WEEKDAY_MODIFIER_BEFORE, text, m.start(), 12)
        written = found["modifier"].lower() if found else None
        modifier = "last" if written == "previous" else written
        weekday = _WEEKDAY_INDEX[m["weekday"].lower()]
        part = _PARTS[m["part"]] if m["part"] else None
        yield Candidate(
            found.start() if found else m.start(), m.end(), "weekday", weekday=weekday, modifier=modifier, part=part
        )


def _deictics(text: str) -> Iterator[Candidate]:
    for m in _DEICTIC.finditer(text):
        if not word_starts(text, m.start()) or previous_word(text, m.start()) == "USA":
            continue  # "USA Today", the newspaper
        phrase = m.group().lower()
        found = before(_DEICTIC_EDGE_BEFORE, text, m.start(), 10) if " " not in phrase else None
        start = found.start() if found else m.start()
        part = _PARTS.get(phrase.rsplit(" ", 1)[-1])
        end = m.end()
        if part is None and phrase in ("yesterday", "today", "tomorrow"):
            after = _PART_AFTER.match(text, end)  # "yesterday afternoon"
            if after is not None:
                part, end = _PARTS[after["part"]], after.end()
        yield Candidate(start, end, "deictic", unit="day", offset=_DEICTIC_WORDS[phrase], part=part)


def _relatives(text: str) -> Iterator[Candidate]:
    """ "last week", "this month", "next year", "this past weekend", "(over) the weekend"."""
    for m in _RELATIVE_UNIT.finditer(text):
        found = before(_RELATIVE_BEFORE, text, m.start(), 12)
        if found is None or not word_starts(text, m.start()):
            continue
        unit = m.group()
        if found["the"]:
            if unit == "weekend" and before(_WEEKEND_PREPOSITION_BEFORE, text, found.start(), 10):
                yield Candidate(found.start(), m.end(), "relative", unit="weekend")
            continue
        modifier = found["modifier"].lower()
        if modifier in ("last", "next", "this") and text[max(0, found.start() - 4) : found.start()].lower() == "the ":
            continue  # "over the last year" is a duration; "the next week" is anchored
        edge = before(_RELATIVE_EDGE_BEFORE, text, found.start(), 24)
        start = edge.start() if edge else found.start()
        yield Candidate(start, m.end(), "relative", unit=unit, offset=_RELATIVE_OFFSETS[modifier])


def _count(value: str) -> int:
    return int(value) if value.isdigit() else _NUMBER_WORDS[value.lower()]


def _counted(text: str) -> Iterator[Candidate]:
    """ "two days ago", "a week later", "three years from now", and "in two weeks" (future clauses only)."""
    for m in _UNIT.finditer(text):
        if not word_starts(text, m.start()):
            continue
        counted = before(_COUNT_BEFORE, text, m.start(), 12)
        if counted is None:
            continue
        count, unit = _count(counted["count"]), m["unit"]
        way = _AGO_AFTER.match(text, m.end())
        if way is not None:
            direction = way["way"].split()[0]
            end = way.end()
            if direction == "ago":
                yield Candidate(counted.start(), end, "ago", unit=unit, offset=-count)
            elif direction == "from":
                yield Candidate(counted.start(), end, "ago", unit=unit, offset=count)
            else:
                yield Candidate(
                    counted.start(), end, "anchored", unit=unit, offset=count if direction == "later" else -count
                )
        elif (
            unit != "decade"
            and before(_IN_BEFORE, text, counted.start(), 8)
            and not _IN_NOT_AFTER.match(text, m.end())
            and not before(_SUPERLATIVE_BEFORE, text, counted.start(), 80)
        ):
            yield Candidate(counted.start(), m.end(), "ago", unit=unit, offset=count, needs_future=True)


def _anchored(text: str) -> Iterator[Candidate]:
    for m in _ANCHORED.finditer(text):
        if not word_starts(text, m.start()):
            continue
        if m["that"]:
            yield Candidate(m.start(), m.end(), "anchored", unit="day", offset=0)
            continue
        if m["unit2"]:
            yield Candidate(m.start(), m.end(), "anchored", unit="day", offset=-1 if m["way2"] == "before" else 1)
            continue
        way, unit = m["way"], m["unit"]
        offset = {"next": 1, "following": 1, "previous": -1, "preceding": -1, "same": 0}[way]
        yield Candidate(
            m.start(),
            m.end(),
            "anchored",
            unit="day" if unit in ("morning", "evening", "night") else unit,
            offset=offset,
        )


def _seasons(text: str) -> Iterator[Candidate]:
    for m in _SEASON.finditer(text):
        if not word_starts(text, m.start()):
            continue
        season, year = m["season"], _int(m["year"])
        found = before(_SEASON_BEFORE, text, m.start(), 12)
        modifier = (found["modifier"] or "") if found else ""
        if season[0].isupper() and year is None:
            continue  # "Arab Spring", or a capitalised word that is not a season
        if year is None:
            following = after_word(text, m.end()).lower()
            if found is None or following in ("of", "season", "semester", "term", "break", "camp", "school", "session"):
                continue
            if season == "fall" and not modifier:
                continue  # "the fall of the regime"
        start = m.start() if found is None or found["inthe"] else found.start()
        yield Candidate(start, m.end(), "season", year, season=season.lower(), modifier=_modifier(modifier), months=3)


def _quarters(text: str) -> Iterator[Candidate]:
    """ "the first quarter of 2025", "the second half of 2025", "Q3 2024", "2024 Q3", "third-quarter",
    "the fourth quarter", "last year's second quarter", "the quarter", "the year-ago quarter"."""
    for m in _QUARTER.finditer(text):
        found = before(_ORDINAL_BEFORE, text, m.start(), 8)
        if found is None:
            continue
        number, year_named = _ORDINALS[found["ordinal"].lower()], int(m["year"])
        start = _determiner_start(text, found.start())
        if m.group().startswith("quarter"):
            yield Candidate(start, m.end(), "quarter", year_named, month=3 * number - 2, months=3)
        elif number <= 2:
            yield Candidate(start, m.end(), "quarter", year_named, month=6 * number - 5, months=6)
    if "uarter" in text:
        for m in _QUARTER_ALONE.finditer(text):
            if not word_starts(text, m.start()):
                continue
            number = _ORDINALS[m["ordinal"].lower()]
            year: int | None = None
            modifier: str | None = None
            start = m.start()
            if m["hyphen"] is None:  # "the third quarter"; the "the" of "the third-quarter loss" is the loss's
                owner = before(_QUARTER_OWNER_BEFORE, text, m.start(), 24)
                if owner is not None:
                    start = owner.start()
                    year = _int(owner["year"])
                    modifier = _modifier(owner["modifier"] or "")
            elif (fiscal := before(_FISCAL_BEFORE, text, m.start(), 8)) is not None:
                start = fiscal.start()  # "fiscal second-quarter"
            yield Candidate(start, m.end(), "quarter", year, month=3 * number - 2, months=3, modifier=modifier)
        for m in _THE_QUARTER.finditer(text):
            if word_starts(text, m.start()):
                latest = "latest" if m["latest"] or m["latest2"] else None
                yield Candidate(m.start(), m.end(), "anchored", unit="quarter", offset=0, modifier=latest)
    if "year-" in text:
        for m in _YEAR_AGO_PERIOD.finditer(text):
            if word_starts(text, m.start()):
                yield Candidate(m.start(), m.end(), "anchored", unit="quarter", offset=-1)
    if "Q" not in text:
        return
    for m in _QUARTER_CODE.finditer(text):
        if word_starts(text, m.start()):
            quarter, year = int(m["q"] or m["hq"]), int(m["qyear"] or m["hyear"])
            yield Candidate(m.start(), m.end(), "quarter", year, month=3 * quarter - 2, months=3)


def _determiner_start(text: str, start: int) -> int:
    """Where "the" or "its" before ``start`` begins ("the first quarter of 2025"), else ``start``."""
    found = before(_DETERMINER_BEFORE, text, start, 8)
    return found.start() if found is not None else start


def _slashed(text: str) -> Iterator[Candidate]:
    """ "25/12" or "1/26/11": only when one part can only be the day (ambiguous "3/1" is skipped)."""
    if "/" not in text:
        return
    for m in _SLASH.finditer(text):
        if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "/\\.,-"):
            continue
        first, second = int(m["a"]), int(m["b"])
        if (first, second) == (24, 7) or not (1 <= first <= 31 and 1 <= second <= 31):
            continue
        if first > 12 and second <= 12:
            day, month = first, second
        elif second > 12 and first <= 12:
            day, month = second, first
        else:
            continue
        year = m["y"]
        full_year = None
        if year:
            full_year = int(year) if len(year) == 4 else (2000 + int(year) if int(year) < 70 else 1900 + int(year))
        yield Candidate(m.start(), m.end(), "date", full_year, month, day)


def _references(text: str) -> Iterator[Candidate]:
    """ "now", "currently", "recently", "the past", "the near future": the present, past or future itself."""
    lowered = text.lower()
    if not any(word in lowered for word in _REFERENCE_HINTS):
        return
    if len(lowered) != len(text):  # a letter whose lower case is longer: offsets would move
        matches: Iterable[re.Match[str] | None] = _REFERENCE.finditer(text)
    else:  # a scan for the lower-case words is several times faster than the pattern itself
        matches = (_REFERENCE.match(text, k.start()) for k in _REFERENCE_WORDS.finditer(lowered))
    for m in matches:
        if m is None or not word_starts(text, m.start()):
            continue
        way = m.lastgroup or "present"
        yield Candidate(m.start(), m.end(), "reference", offset={"past": -1, "present": 0, "future": 1}[way])


def _clocks(text: str, days: Iterable[Candidate]) -> Iterator[Candidate]:
    """ "10 p.m. Wednesday", "7:15 a.m. EST, Nov. 9", "noon on Thursday": a clock time just before a day
    (a clock alone is not tagged, so only the few characters before each day are looked at)."""
    for day in days:
        if day.kind not in ("date", "weekday", "deictic"):
            continue
        m = before(_CLOCK_BEFORE, text, day.start, 28)
        if m is None or not word_starts(text, m.start()) or (m.start() and text[m.start() - 1] in "$€£:.,"):
            continue
        if m["noon"]:
            clock = "12:00" if m["noon"] == "noon" else "24:00"
        elif m["hour24"]:
            clock = f"{m['hour24']}:{m['minute24']}"
        else:
            hour = int(m["hour"])
            if not 1 <= hour <= 12:
                continue
            hour = hour % 12 + (12 if m["half"] == "p" else 0)
            clock = f"{hour:02d}:{m['minute'] or '00'}"
        yield Candidate(m.start(), m.end("clock"), "clock", clock=clock)
