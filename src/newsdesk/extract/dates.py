"""Publication dates from metadata values, URLs and date lines.

Values keep the precision their source gave: ``2026-02-03`` for a date line, ``2026-02-03T00:00:32``
for a front-matter timestamp without a zone, ``2026-10-08T09:30:00+01:00`` with one. Nothing is
guessed: a string that is not clearly a date gives ``None``.

(Resolving dates *mentioned in* the text — "on Tuesday", "last month" — is the analyse stage's job.)
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
from dataclasses import dataclass

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS = "monday|mon|tuesday|tues|tue|wednesday|wed|thursday|thurs|thu|friday|fri|saturday|sat|sunday|sun"
_MONTH = "(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + ")"

# Abbreviations of zones that news sites print after times; ambiguous ones (IST, CST in Asia) are
# read the way English-language news sites use them.
ZONES = {
    "UTC": "+00:00", "GMT": "+00:00", "Z": "+00:00", "BST": "+01:00", "CET": "+01:00",
    "CEST": "+02:00", "EET": "+02:00", "EEST": "+03:00", "EST": "-05:00", "EDT": "-04:00",
    "CST": "-06:00", "CDT": "-05:00", "MST": "-07:00", "MDT": "-06:00", "PST": "-08:00",
    "PDT": "-07:00", "AEST": "+10:00", "AEDT": "+11:00", "JST": "+09:00", "IST": "+05:30",
}  # fmt: skip

_ISO = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[T ](?P<time>\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?)?"
)
_MDY = re.compile(
    rf"(?:(?P<wd>{WEEKDAYS})\.?,?\s+)?(?P<mon>{_MONTH})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b",
    re.IGNORECASE,
)
_DMY = re.compile(
    rf"(?:(?P<wd>{WEEKDAYS})\.?,?\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MONTH})\.?,?\s+(?P<year>\d{{4}})\b",
    re.IGNORECASE,
)
_TIME = re.compile(
    r"\b(?P<h>\d{1,2})[:.](?P<m>\d{2})(?:[:.](?P<s>\d{2}))?\s*(?P<ampm>[ap]\.?\s?m\.?)?"
    r"(?:\s*(?P<tz>(?:UTC|GMT)\s?[+-]\s?\d{1,2}(?::?\d{2})?|[A-Z]{1,4}\b|[+-]\d{2}:?\d{2}))?",
    re.IGNORECASE,
)
_LABELS = re.compile(
    r"\b(?:first\s+)?(?:published|updated|last\s+updated|posted|modified|date|on|at|am|pm|a\.m\.|p\.m\.)\b",
    re.IGNORECASE,
)
_URL_DATE = re.compile(r"/(?P<y>(?:19|20)\d{2})[/-](?P<m>[01]?\d)[/-](?P<d>[0-3]?\d)(?:/|\b)|/(?P<c>(?:19|20)\d{6})/")


@dataclass(frozen=True)
class DateLine:
    """A line that is a date: its ISO value and whether it announced an update."""

    value: str
    updated: bool


def parse_date(value: object) -> str | None:
    """An ISO 8601 string for a metadata value (ISO, RFC 2822, "February 3, 2026"), or None."""
    if isinstance(value, dt.datetime):
        return _iso_datetime(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    iso = _parse_iso(text)
    if iso:
        return iso
    if re.search(r"\d{1,2}:\d{2}", text) and re.search(r"[A-Za-z]{3},?\s+\d", text):
        try:
            parsed = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            parsed = None
        if parsed is not None and _plausible_year(parsed.year):
            return _iso_datetime(parsed)
    found = find_date(text)
    return found[0] if found else None


def find_date(text: str) -> tuple[str, tuple[int, int]] | None:
    """The first written date in ``text`` (with a time and zone when they stand beside it) and its span."""
    best: tuple[int, int, dt.date] | None = None
    match_iso = _ISO.search(text)
    if match_iso:
        iso = _parse_iso(match_iso.group(0))
        if iso:
            return iso, match_iso.span()
    for pattern in (_MDY, _DMY):
        match = pattern.search(text)
        if not match:
            continue
        day = _make_date(match.group("year"), match.group("mon"), match.group("day"))
        if day and (best is None or match.start() < best[0]):
            best = (match.start(), match.end(), day)
    if best is None:
        return None
    start, end, day = best
    time_match = _TIME.search(text)
    if time_match and _near(time_match.span(), (start, end)):
        stamp = _with_time(day, time_match)
        if stamp:
            return stamp, (min(start, time_match.start()), max(end, time_match.end()))
    return day.isoformat(), (start, end)


def parse_date_line(line: str) -> DateLine | None:
    """If ``line`` is only a date (with labels like "Published", a weekday, a time), its value."""
    stripped = line.strip()
    if not stripped or len(stripped) > 80:
        return None
    found = find_date(stripped)
    if not found:
        return None
    value, (start, end) = found
    rest = stripped[:start] + " " + stripped[end:]
    rest = _TIME.sub(" ", rest)
    rest = _LABELS.sub(" ", rest)
    rest = re.sub(rf"\b(?:{WEEKDAYS})\b", " ", rest, flags=re.IGNORECASE)
    rest = re.sub(r"[\W_]+", " ", rest).strip()
    if rest:
        return None
    return DateLine(value=value, updated=bool(re.search(r"updated|modified", stripped, re.IGNORECASE)))


def date_from_url(url: str | None) -> str | None:
    """A date written in a URL path such as ``/2026/02/03/`` or ``/20260203/``."""
    if not url:
        return None
    match = _URL_DATE.search(url)
    if not match:
        return None
    if match.group("c"):
        compact = match.group("c")
        year, month, day = compact[:4], compact[4:6], compact[6:]
    else:
        year, month, day = match.group("y"), match.group("m"), match.group("d")
    try:
        value = dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
    return value.isoformat() if _plausible_year(value.year) else None


def sort_key(published: str | None) -> str:
    """A string that sorts publication values chronologically (UTC when an offset is known)."""
    if not published:
        return ""
    try:
        moment = dt.datetime.fromisoformat(published)
    except ValueError:
        return published
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.isoformat()


def _parse_iso(text: str) -> str | None:
    match = _ISO.fullmatch(text.strip())
    if not match:
        return None
    try:
        day = dt.date.fromisoformat(match.group("date"))
    except ValueError:
        return None
    if not _plausible_year(day.year):
        return None
    if not match.group("time"):
        return day.isoformat()
    clock = match.group("time")
    if len(clock) == 5:
        clock += ":00"
    tz = match.group("tz")
    if tz == "Z":
        tz = "+00:00"
    elif tz and ":" not in tz:
        tz = tz[:3] + ":" + tz[3:]
    try:
        moment = dt.datetime.fromisoformat(f"{day.isoformat()}T{clock}{tz or ''}")
    except ValueError:
        return None
    return _iso_datetime(moment)


def _iso_datetime(moment: dt.datetime) -> str:
    return moment.replace(microsecond=0).isoformat()


def _make_date(year: str, month: str, day: str) -> dt.date | None:
    number = MONTHS.get(month.lower().rstrip("."))
    if number is None:
        return None
    try:
        value = dt.date(int(year), number, int(day))
    except ValueError:
        return None
    return value if _plausible_year(value.year) else None


def _with_time(day: dt.date, match: re.Match[str]) -> str | None:
    hour, minute = int(match.group("h")), int(match.group("m"))
    second = int(match.group("s") or 0)
    ampm = (match.group("ampm") or "").lower().replace(".", "").replace(" ", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        return None
    offset = _zone_offset(match.group("tz"))
    try:
        moment = dt.datetime.fromisoformat(f"{day.isoformat()}T{hour:02d}:{minute:02d}:{second:02d}{offset or ''}")
    except ValueError:
        return None
    return _iso_datetime(moment)


def _zone_offset(zone: str | None) -> str | None:
    if not zone:
        return None
    zone = zone.replace(" ", "").upper()
    if zone in ZONES:
        return ZONES[zone]
    match = re.fullmatch(r"(?:UTC|GMT)?([+-])(\d{1,2}):?(\d{2})?", zone)
    if match:
        return f"{match.group(1)}{int(match.group(2)):02d}:{match.group(3) or '00'}"
    return None


def _near(a: tuple[int, int], b: tuple[int, int]) -> bool:
    gap = max(a[0], b[0]) - min(a[1], b[1])
    return gap <= 12


def _plausible_year(year: int) -> bool:
    return 1900 <= year <= 2100
