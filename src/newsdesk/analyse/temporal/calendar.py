"""Calendar arithmetic for the temporal tagger: periods, their values, and "the nearest X" from a date.

A resolved expression is a :class:`Period`, a first and last day with a granularity; its ``value``
is the ISO-like form the records use (``2026-02-03``, ``2026-02``, ``2025``, ``1960s``). Which
occurrence of a year-less "3 January", "November" or "Tuesday" is meant depends on the direction the
clause's tense points (``past``, ``future`` or ``neutral``), as news text dates events relative to
its own publication.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Literal

Direction = Literal["past", "future", "neutral"]
REPORTING_DAYS = 92  # how long after a quarter ends its results are still news
Granularity = Literal["day", "month", "year", "decade"]

MONTH_NAMES = "January February March April May June July August September October November December".split()
WEEKDAY_NAMES = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()

# Northern-hemisphere meteorological seasons: first month and the year offset of that month.
SEASON_START = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}


@dataclass(frozen=True)
class Period:
    """A span of days at a granularity; ``first == last`` for a single day."""

    first: dt.date
    last: dt.date
    granularity: Granularity

    @property
    def value(self) -> str:
        return format_value(self.first, self.granularity)

    @property
    def until(self) -> str | None:
        """The value of the last unit when the period covers more than one unit at its granularity."""
        end = format_value(self.last, self.granularity)
        return None if end == self.value else end


def format_value(day: dt.date, granularity: Granularity) -> str:
    if granularity == "day":
        return day.isoformat()
    if granularity == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if granularity == "year":
        return f"{day.year:04d}"
    return f"{day.year // 10 * 10}s"


def valid_day(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def day_period(day: dt.date) -> Period:
    return Period(day, day, "day")


def month_period(year: int, month: int, months: int = 1) -> Period:
    """``months`` calendar months from ``year``-``month`` (a season or a quarter spans three)."""
    first = dt.date(year, month, 1)
    end_year, end_month = shift_month(year, month, months - 1)
    last = dt.date(end_year, end_month, calendar.monthrange(end_year, end_month)[1])
    return Period(first, last, "month")


def year_period(year: int) -> Period:
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")


def decade_period(start_year: int) -> Period:
    return Period(dt.date(start_year, 1, 1), dt.date(start_year + 9, 12, 31), "decade")


def shift_month(year: int, month: int, offset: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + offset
    return index // 12, index % 12 + 1


def week_period(day: dt.date, weeks: int = 0) -> Period:
    """The Monday-to-Sunday week holding ``day``, moved by ``weeks``."""
    monday = day - dt.timedelta(days=day.weekday()) + dt.timedelta(weeks=weeks)
    return Period(monday, monday + dt.timedelta(days=6), "day")


def weekend_period(reference: dt.date, modifier: str | None, direction: Direction) -> Period:
    """Saturday and Sunday: the last one, the next one, or the nearest in the tense's direction."""
    saturday = reference + dt.timedelta(days=(5 - reference.weekday()) % 7)
    if reference.weekday() == 6:
        saturday = reference - dt.timedelta(days=1)
    if modifier == "last" or (modifier is None and direction == "past" and saturday > reference):
        saturday -= dt.timedelta(days=7)
    elif modifier == "next" and saturday <= reference:
        saturday += dt.timedelta(days=7)
    return Period(saturday, saturday + dt.timedelta(days=1), "day")


def nearest_weekday(reference: dt.date, weekday: int, modifier: str | None, direction: Direction) -> dt.date:
    """The ``weekday`` meant by "last/next/this/on Tuesday" in a text written on ``reference``.

    "last" and "next" exclude the reference day itself; otherwise the reference day counts (wire
    copy says "on Tuesday" of the day it is published). Past tense looks back, future tense ahead,
    and a neutral clause takes the nearer of the two.
    """
    ahead = (weekday - reference.weekday()) % 7
    behind = (reference.weekday() - weekday) % 7
    if modifier == "last":
        return reference - dt.timedelta(days=behind or 7)
    if modifier == "next":
        return reference + dt.timedelta(days=ahead or 7)
    if direction == "past":
        return reference - dt.timedelta(days=behind)
    if direction == "future":
        return reference + dt.timedelta(days=ahead)
    return reference + dt.timedelta(days=ahead) if ahead <= behind else reference - dt.timedelta(days=behind)


def year_for_month(reference: dt.date, month: int, modifier: str | None, direction: Direction) -> int:
    """The year of a year-less month ("in November") written on ``reference``."""
    year = reference.year
    if modifier == "last":
        return year if month < reference.month else year - 1
    if modifier == "next":
        return year if month > reference.month else year + 1
    if modifier == "this":
        return year
    if direction == "past":
        return year if month <= reference.month else year - 1
    if direction == "future":
        return year if month >= reference.month else year + 1
    difference = month - reference.month
    if difference > 6:
        return year - 1
    if difference < -6:
        return year + 1
    return year


def quarter_period(reference: dt.date, month: int, modifier: str | None, direction: Direction) -> Period:
    """The year-less quarter starting in ``month`` ("the third quarter") meant on ``reference``.

    "this/last/next year's" name the year. Otherwise it is the last such quarter begun: a quarter's
    results are reported, and expected, in the months after it ends ("third-quarter profit will rise"
    written in October is this year's third quarter). Only in a future clause, and once that quarter
    is more than a reporting season past, is the next one meant.
    """
    offset = {"this": 0, "last": -1, "next": 1}.get(modifier or "")
    if offset is not None:
        return month_period(reference.year + offset, month, 3)
    begun = [p for p in (month_period(reference.year + k, month, 3) for k in (-1, 0)) if p.first <= reference][-1]
    if direction == "future" and (reference - begun.last).days > REPORTING_DAYS:
        return month_period(begun.first.year + 1, month, 3)
    return begun


def latest_quarter(reference: dt.date) -> Period:
    """The last calendar quarter over by ``reference`` ("the latest quarter" of an earnings report)."""
    year, month = shift_month(reference.year, (reference.month - 1) // 3 * 3 + 1, -3)
    return month_period(year, month, 3)


def is_quarter(period: Period) -> bool:
    """Whether ``period`` is a calendar quarter (three months from January, April, July or October)."""
    return (
        period.granularity == "month"
        and period.first.month in (1, 4, 7, 10)
        and shift_month(period.first.year, period.first.month, 2) == (period.last.year, period.last.month)
    )


def date_for_month_day(reference: dt.date, month: int, day: int, direction: Direction) -> dt.date | None:
    """The occurrence of a year-less "3 January" meant in a text written on ``reference``."""
    options = [d for d in (valid_day(reference.year + k, month, day) for k in (-1, 0, 1)) if d is not None]
    if not options:
        return None
    if direction == "past":
        earlier = [d for d in options if d <= reference]
        return max(earlier) if earlier else min(options)
    if direction == "future":
        later = [d for d in options if d >= reference]
        return min(later) if later else max(options)
    return min(options, key=lambda d: (abs((d - reference).days), d < reference))


def season_period(season: str, year: int) -> Period:
    """A season of ``year``; winter ``year`` runs from December of the year before to February."""
    start = SEASON_START[season]
    return month_period(year - 1 if start == 12 else year, start, 3)


def nearest_season(reference: dt.date, season: str, modifier: str | None, direction: Direction) -> Period:
    options = [season_period(season, reference.year + k) for k in (-1, 0, 1, 2)]
    current = [p for p in options if p.first <= reference <= p.last]
    if modifier == "last" or (modifier is None and direction == "past"):
        ended = [p for p in options if p.last < reference]
        if modifier is None and current:
            return current[0]
        return ended[-1]
    if modifier == "next" or (modifier is None and direction == "future"):
        if modifier is None and current:
            return current[0]
        return next(p for p in options if p.first > reference)
    if current:
        return current[0]
    if modifier == "this":
        return next(p for p in options if p.first > reference)
    return min(options, key=lambda p: min(abs((p.first - reference).days), abs((p.last - reference).days)))
