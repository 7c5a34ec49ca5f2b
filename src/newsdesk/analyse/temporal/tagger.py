"""The temporal tagger: every time expression of a text, resolved against its reference date.

Candidates from :mod:`.patterns` compete for their characters (the longest wins: "Tuesday, Feb 6"
over "Feb 6", "3 January 2026" over "January 2026"); neighbours joined by "from ... to", "between
... and" or a dash become one range. Each survivor is resolved by :mod:`.resolve` in text order, so
that "two days later" finds the date before it, and gets a status: an expression after the
reference date is ``scheduled``, one before it ``happened``, and one that holds it (today, this
month) follows the tense of its clause.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from newsdesk.analyse.temporal.calendar import Direction, Period, is_quarter, latest_quarter
from newsdesk.analyse.temporal.context import Candidate, with_year
from newsdesk.analyse.temporal.patterns import find_candidates
from newsdesk.analyse.temporal.resolve import Resolved, resolve
from newsdesk.analyse.temporal.tense import clause_direction
from newsdesk.records import TimeExpression

_ANCHOR_REACH = 400  # characters: how far back "the next day" looks for its date
_YEAR_REACH = 400  # characters: a weekday that contradicts a year borrowed from further away is not trusted
_RANGE_JOIN = re.compile(r"\s*(?:-|–|—|to|until|till|through|and)\s*")
_RANGE_OPENER = re.compile(r"\b(?:from|between)\s+(?:the\s+)?$", re.IGNORECASE)
_COMPARISON_BEFORE = re.compile(r"\b(?:from|with|than|versus|vs\.?)\s[^.;:]*\d[^;:]*$")
_YEAR_OF = re.compile(r",?\s*(?:of\s+)?")
# "now", "recently", "the future": TimeML's reference values; never a date, so never on a timeline.
REFERENCE_VALUES = {-1: "PAST_REF", 0: "PRESENT_REF", 1: "FUTURE_REF"}
_DAY_KINDS = frozenset(("date", "weekday", "deictic"))
_CLOCK_JOIN = re.compile(r",?\s+(?:on\s+)?")  # "10 p.m. Wednesday", "5 p.m. EST, Nov. 9", "6am on Monday"
_RANGE_KINDS = frozenset(("date", "weekday", "season", "quarter", "decade"))


def tag_times(text: str, reference: dt.date | None) -> list[TimeExpression]:
    """The time expressions of ``text`` in order, resolved against ``reference`` (publication date).

    With ``reference`` None only absolute expressions resolve (and year-less dates, from the full
    dates the text itself gives); the others keep ``value`` None. ``start``/``end`` are character
    offsets into ``text`` and ``text[start:end]`` is the expression.
    """
    chosen = _non_overlapping(list(find_candidates(text)))
    resolver = _TextResolver(text, reference, chosen)
    found: list[TimeExpression] = []
    for first, second in _pairs(text, chosen):
        expression = resolver.expression(first, second)
        if expression is not None:
            found.append(expression)
    return found


class _TextResolver:
    """Resolves the candidates of one text in order, remembering the last date for anchored ones."""

    def __init__(self, text: str, reference: dt.date | None, chosen: list[Candidate]) -> None:
        self.text = text
        self.reference = reference
        self.full_dates = [
            (c.start, day)
            for c in chosen
            if c.kind == "date" and c.year is not None and c.month is not None
            for day in [_first_day(c)]
            if day is not None
        ]
        self.anchor: tuple[int, Period] | None = None
        self.quarter: Period | None = None  # the last quarter named
        self.directions: dict[int, Direction] = {}

    def direction(self, candidate: Candidate) -> Direction:
        if candidate.start not in self.directions:
            self.directions[candidate.start] = clause_direction(self.text, candidate.start, candidate.end)
        return self.directions[candidate.start]

    def resolve(self, candidate: Candidate, first: Candidate) -> Resolved:
        """Resolve ``candidate``, asking for its clause's direction only when its meaning depends on it."""
        absolute = candidate.kind == "decade" or (
            candidate.kind in ("date", "season", "quarter") and candidate.year is not None
        )
        deictic = candidate.kind in ("deictic", "anchored") or (
            candidate.kind == "relative" and candidate.unit != "weekend"
        )
        # Against a date written in the text (no reference), the tense says nothing: take the nearest year.
        depends = not absolute and not deictic and self.reference is not None
        direction: Direction = self.direction(candidate) if depends else "neutral"
        nearest = _nearest(self.full_dates, first.start)
        year_base = self.reference or (nearest[1] if nearest else None)
        anchor = self.anchor[1] if self.anchor and _reaches(self.text, self.anchor[0], first.start) else None
        if candidate.unit == "quarter" and candidate.kind == "anchored":
            # "the quarter", "the year-ago quarter": the last quarter the text named, however far back.
            # "The latest quarter" is the last one over, whatever quarter was named before.
            anchor = self.quarter
            if candidate.modifier == "latest" and self.reference is not None:
                return Resolved(latest_quarter(self.reference), "month")
        elif (
            candidate.kind in ("ago", "anchored")
            and candidate.unit == "year"
            and candidate.offset == -1
            and self.quarter is not None
            and _COMPARISON_BEFORE.search(self.text, max(0, first.start - 60), first.start)
        ):
            # "Net rose to $9 million from $5 million a year ago" in a report on a quarter: the figures
            # compared are the quarter's, so "a year ago" is that quarter a year before.
            candidate, anchor = replace(candidate, kind="anchored", unit="quarter"), self.quarter
        resolved = resolve(candidate, self.reference, year_base, direction, anchor)
        if resolved.conflict and self.reference is None and candidate.year is None and nearest is not None:
            near = abs(nearest[0] - first.start) <= _YEAR_REACH
            same_month = any(day.year == nearest[1].year and day.month == candidate.month for _, day in self.full_dates)
            if not near and not same_month:
                # The year was borrowed from a date paragraphs away and months apart ("born April 22, 1923"),
                # and the weekday says it is another year: the borrowing was wrong, not the text.
                return Resolved(None, resolved.granularity)
        return resolved

    def expression(self, first: Candidate, second: Candidate | None) -> TimeExpression | None:
        if first.kind == "clock":
            return self._clock(first, second) if second is not None else None  # a clock alone has no day
        if first.kind == "reference":
            status = "scheduled" if first.offset > 0 else "happened"  # "now" is not a plan: no tense needed
            return TimeExpression(
                first.start,
                first.end,
                self.text[first.start : first.end],
                REFERENCE_VALUES[first.offset],
                "reference",
                status,
            )
        resolved = self.resolve(first, first)
        end, until = first.end, None
        if second is not None and second.kind == "relative":  # "25 June last year"
            year_of = self.resolve(second, first)
            if year_of.period is not None:
                first = with_year(first, year_of.period.first.year)
                resolved = self.resolve(first, first)
                end = second.end
        elif second is not None:
            merged = self._range(first, second)
            if merged is not None:
                resolved, until = merged
                end = second.end
        period = resolved.period
        if period is None and (first.kind == "anchored" or (first.needs_future and self.reference is not None)):
            return None  # "the next day" with no date before it, "in two weeks" in a past clause
        if period is not None:
            self.anchor = (end, period)
            if first.kind == "quarter" and is_quarter(period) and until is None:
                self.quarter = period
            until = until or period.until
        value = period.value if period else None
        granularity: str = resolved.granularity
        if first.part is not None and period is not None and until is None and granularity == "day":
            value, granularity = f"{value}T{first.part}", "time"  # "Friday morning": 2026-02-06TMO
        return TimeExpression(
            start=first.start,
            end=end,
            text=self.text[first.start : end],
            value=value,
            granularity=granularity,
            status=self._status(period, first),
            until=until,
            conflict=resolved.conflict,
        )

    def _clock(self, clock: Candidate, day: Candidate) -> TimeExpression | None:
        """ "10 p.m. Wednesday", "noon on Thursday": the clock time on its day, ``2026-02-04T22:00``."""
        if day.start not in self.directions:  # "expires at 5 p.m., Nov. 9": the clause of the whole
            self.directions[day.start] = clause_direction(self.text, clock.start, day.end)
        found = self.expression(replace(day, part=None), None)
        if found is None or found.value is None or found.granularity != "day" or found.until is not None:
            return found
        return TimeExpression(
            start=clock.start,
            end=found.end,
            text=self.text[clock.start : found.end],
            value=f"{found.value}T{clock.clock}",
            granularity="time",
            status=found.status,
            conflict=found.conflict,
        )

    def _range(self, first: Candidate, second: Candidate) -> tuple[Resolved, str] | None:
        later = self.resolve(second, first)
        if later.period is None:
            return None
        if first.kind == "date" and first.year is None and second.year is not None:
            earlier = self.resolve(with_year(first, second.year), first)
            if earlier.period is not None and earlier.period.first > later.period.last:
                earlier = self.resolve(with_year(first, second.year - 1), first)
        else:
            earlier = self.resolve(first, first)
        if earlier.period is None or earlier.period.first > later.period.first:
            return None
        period = Period(earlier.period.first, later.period.last, earlier.period.granularity)
        return Resolved(period, earlier.granularity, earlier.conflict), later.period.until or later.period.value

    def _status(self, period: Period | None, candidate: Candidate) -> str:
        """``scheduled`` after the reference date, ``happened`` before it; the tense decides in between."""
        if period is not None and self.reference is not None:
            if period.first > self.reference:
                return "scheduled"
            if period.last < self.reference:
                return "happened"
        return "scheduled" if self.direction(candidate) == "future" else "happened"


def _first_day(candidate: Candidate) -> dt.date | None:
    try:
        return dt.date(candidate.year or 1, candidate.month or 1, candidate.day or 1)
    except ValueError:
        return None


def _non_overlapping(candidates: list[Candidate]) -> list[Candidate]:
    """The longest candidates first; a shorter one survives only where nothing longer overlaps."""
    taken: list[Candidate] = []
    for candidate in sorted(candidates, key=lambda c: (-c.length, c.start)):
        if all(candidate.end <= t.start or candidate.start >= t.end for t in taken):
            taken.append(candidate)
    return sorted(taken, key=lambda c: c.start)


def _pairs(text: str, chosen: list[Candidate]) -> list[tuple[Candidate, Candidate | None]]:
    """Pairs (first, second) for "from X to Y", "between X and Y" and "X–Y", and for a year-less date
    followed by the year it is in ("25 June last year"); (X, None) otherwise."""
    out: list[tuple[Candidate, Candidate | None]] = []
    index = 0
    while index < len(chosen):
        first = chosen[index]
        second = chosen[index + 1] if index + 1 < len(chosen) else None
        if (
            second is not None
            and first.kind == "date"
            and first.year is None
            and first.month is not None
            and second.kind == "relative"
            and second.unit == "year"
            and _YEAR_OF.fullmatch(text, first.end, second.start)
        ):
            out.append((first, second))
            index += 2
            continue
        if first.kind == "clock":
            if (
                second is not None
                and second.kind in _DAY_KINDS
                and _CLOCK_JOIN.fullmatch(text, first.end, second.start)
            ):
                out.append((first, second))
                index += 2
            else:
                out.append((first, None))
                index += 1
            continue
        if second is not None and first.kind in _RANGE_KINDS and second.kind == first.kind:
            joint = text[first.end : second.start]
            opened = _RANGE_OPENER.search(text[max(0, first.start - 12) : first.start]) is not None
            word = joint.strip()
            if _RANGE_JOIN.fullmatch(joint) and (opened or word in ("-", "–", "—")):
                out.append((first, second))
                index += 2
                continue
        out.append((first, None))
        index += 1
    return out


def _reaches(text: str, anchor_end: int, start: int) -> bool:
    return 0 <= start - anchor_end <= _ANCHOR_REACH and "\n" not in text[anchor_end:start]


def _nearest(full_dates: list[tuple[int, dt.date]], position: int) -> tuple[int, dt.date] | None:
    """The full date written nearest ``position`` (where it starts, and its day)."""
    if not full_dates:
        return None
    return min(full_dates, key=lambda item: (abs(item[0] - position), item[0]))
