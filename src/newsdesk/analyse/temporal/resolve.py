"""From a candidate expression to a period: calendar rules applied to what the words say.

Absolute expressions ("3 January 2026", "the 1960s") resolve alone. Year-less ones ("3 January",
"in November") take their year from the reference date, or, when the text has none, from the
nearest full date written in the same text. Deictic ones ("yesterday", "last month", "on Tuesday")
need the reference date: the moment the text speaks from. Anchored ones ("two days later", "the
next day") need an earlier date in the same paragraph.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from newsdesk.analyse.temporal.calendar import (
    MONTH_NAMES,
    WEEKDAY_NAMES,
    Direction,
    Granularity,
    Period,
    date_for_month_day,
    day_period,
    decade_period,
    is_quarter,
    month_period,
    nearest_season,
    nearest_weekday,
    quarter_period,
    season_period,
    shift_month,
    valid_day,
    week_period,
    weekend_period,
    year_for_month,
    year_period,
)
from newsdesk.analyse.temporal.context import Candidate


@dataclass(frozen=True)
class Resolved:
    period: Period | None  # None when the text and reference do not say which one is meant
    granularity: Granularity
    conflict: str | None = None


def nominal_granularity(candidate: Candidate) -> Granularity:
    """The granularity an expression has even when it cannot be resolved."""
    if candidate.kind == "decade" or candidate.unit == "decade":
        return "decade"
    if candidate.kind in ("season", "quarter"):
        return "month"
    if candidate.kind == "date":
        if candidate.day is not None:
            return "day"
        return "month" if candidate.month is not None else "year"
    if candidate.unit in ("month", "year"):
        return "month" if candidate.unit == "month" else "year"
    return "day"


def resolve(
    candidate: Candidate,
    reference: dt.date | None,
    year_base: dt.date | None,
    direction: Direction,
    anchor: Period | None,
) -> Resolved:
    """Resolve ``candidate``; ``year_base`` dates year-less expressions, ``anchor`` anchored ones."""
    granularity = nominal_granularity(candidate)
    kind = candidate.kind
    period: Period | None = None
    if kind == "date":
        return _resolve_date(candidate, year_base, direction)
    if kind == "decade" and candidate.year is not None:
        period = decade_period(candidate.year)
    elif kind == "quarter" and candidate.year is not None and candidate.month is not None:
        period = month_period(candidate.year, candidate.month, candidate.months)
    elif kind == "quarter" and candidate.month is not None and year_base is not None:
        period = quarter_period(year_base, candidate.month, candidate.modifier, direction)
    elif kind == "season" and candidate.season:
        if candidate.year is not None:
            period = season_period(candidate.season, candidate.year)
        elif year_base is not None:
            period = nearest_season(year_base, candidate.season, candidate.modifier, direction)
    elif kind == "anchored":
        period = _resolve_anchored(candidate, anchor)
    elif reference is not None:
        period = _resolve_deictic(candidate, reference, direction)
    return Resolved(period, period.granularity if period else granularity)


def _resolve_date(candidate: Candidate, year_base: dt.date | None, direction: Direction) -> Resolved:
    granularity = nominal_granularity(candidate)
    year, month, day = candidate.year, candidate.month, candidate.day
    if month is None:
        if year is None:
            return Resolved(None, granularity)
        last = candidate.end_year or year
        return Resolved(Period(dt.date(year, 1, 1), dt.date(last, 12, 31), "year"), "year")
    if day is None:
        if year is None:
            if year_base is None:
                return Resolved(None, granularity)
            year = year_for_month(year_base, month, candidate.modifier, direction)
        return Resolved(month_period(year, month), "month")
    if year is None:
        if year_base is None:
            return Resolved(None, granularity)
        found = date_for_month_day(year_base, month, day, direction)
        if found is not None and candidate.weekday is not None and candidate.weekday != found.weekday():
            # "Friday, Oct 9" read on 8 October: the tense points back a year, the weekday says this year.
            # A year that fits the weekday and lies closer to the reference than the tense's choice wins;
            # otherwise the text contradicts itself ("Monday, Oct 13" a week after a Tuesday 13 October),
            # and the tense's date stands with the contradiction recorded.
            distance = abs((found - year_base).days)
            fitting = [
                d
                for d in (valid_day(year_base.year + k, month, day) for k in (-1, 0, 1))
                if d is not None and d.weekday() == candidate.weekday and abs((d - year_base).days) < distance
            ]
            if fitting:
                found = min(fitting, key=lambda d: abs((d - year_base).days))
    else:
        found = valid_day(year, month, day)
    if found is None:
        return Resolved(None, granularity)
    period = day_period(found)
    if candidate.end_day is not None:
        last_day = valid_day(found.year, found.month, candidate.end_day)
        if last_day is not None and last_day > found:
            period = Period(found, last_day, "day")
    conflict = None
    if candidate.weekday is not None and candidate.weekday != found.weekday():
        written = WEEKDAY_NAMES[candidate.weekday]
        actual = WEEKDAY_NAMES[found.weekday()]
        conflict = f"{MONTH_NAMES[found.month - 1]} {found.day}, {found.year} is a {actual}, not a {written}"
    return Resolved(period, "day", conflict)


def _resolve_deictic(candidate: Candidate, reference: dt.date, direction: Direction) -> Period | None:
    kind, unit, offset = candidate.kind, candidate.unit, candidate.offset
    if kind == "weekday" and candidate.weekday is not None:
        return day_period(nearest_weekday(reference, candidate.weekday, candidate.modifier, direction))
    if kind == "deictic":
        return day_period(reference + dt.timedelta(days=offset))
    if kind == "relative" and unit == "weekend":
        modifier = {-1: "last", 1: "next"}.get(offset)
        return weekend_period(reference, modifier, direction)
    if kind in ("relative", "ago"):
        if candidate.needs_future and direction != "future":
            return None
        return _shifted(reference, unit or "day", offset, weeks_as_range=kind == "relative")
    return None


def _shifted(base: dt.date, unit: str, offset: int, *, weeks_as_range: bool) -> Period:
    if unit == "day":
        return day_period(base + dt.timedelta(days=offset))
    if unit == "week":
        if weeks_as_range:
            return week_period(base, offset)
        return day_period(base + dt.timedelta(weeks=offset))
    if unit == "month":
        year, month = shift_month(base.year, base.month, offset)
        return month_period(year, month)
    if unit == "year":
        return year_period(base.year + offset)
    return decade_period((base.year + 10 * offset) // 10 * 10)


def _resolve_anchored(candidate: Candidate, anchor: Period | None) -> Period | None:
    if anchor is None:
        return None
    unit = candidate.unit or "day"
    if unit == "quarter" or (unit == "year" and candidate.offset == -1 and is_quarter(anchor)):
        # "the quarter", "the year-ago quarter", "a year earlier" after a quarter: a quarter again.
        if not is_quarter(anchor):
            return None
        return month_period(anchor.first.year + candidate.offset, anchor.first.month, 3)
    if unit in ("day", "week") and anchor.granularity != "day":
        return None
    if unit == "month" and anchor.granularity not in ("day", "month"):
        return None
    if unit == "year" and anchor.granularity == "decade":
        return None
    return _shifted(anchor.first, unit, candidate.offset, weeks_as_range=False)
