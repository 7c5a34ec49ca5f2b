"""Temporal expressions: find the dates a news text mentions and resolve them against its publication.

``tag_times(text, reference)`` returns :class:`newsdesk.records.TimeExpression` records: explicit
dates in the common English news forms, weekdays, relative expressions ("yesterday", "last month",
"two days later"), months and seasons without a year, years, decades and ranges, each with a value
at its granularity (``2026-02-03``, ``2026-02``, ``2025``, ``1960s``), a status (``happened`` or
``scheduled``) and any contradiction inside the text (a weekday that does not fit its date). Rules
and regular expressions only: fast, deterministic, and no model to download.
"""

from newsdesk.analyse.temporal.tagger import tag_times

__all__ = ["tag_times"]
