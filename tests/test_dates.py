"""Publication dates from metadata values, date lines and URLs."""

from __future__ import annotations

import datetime as dt

import pytest

from newsdesk.extract.dates import date_from_url, parse_date, parse_date_line, sort_key


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-02-03", "2026-02-03"),
        ("2026-02-03T00:00:32", "2026-02-03T00:00:32"),
        ("2026-10-08T09:30:00+01:00", "2026-10-08T09:30:00+01:00"),
        ("2026-10-08T09:30:00.123Z", "2026-10-08T09:30:00+00:00"),
        ("2026-10-08 09:30", "2026-10-08T09:30:00"),
        ("Tue, 13 Oct 2026 07:45:00 GMT", "2026-10-13T07:45:00+00:00"),
        ("Tue, 13 Oct 2026 07:45:00 +0200", "2026-10-13T07:45:00+02:00"),
        ("February 3, 2026", "2026-02-03"),
        ("Feb. 3, 2026", "2026-02-03"),
        ("3 February 2026", "2026-02-03"),
        ("Tuesday, 3rd of February 2026", "2026-02-03"),
        ("Sept 14, 2026", "2026-09-14"),
        ("October 14, 2026 at 6:30 p.m. EDT", "2026-10-14T18:30:00-04:00"),
        ("14:05 GMT, 3 February 2026", "2026-02-03T14:05:00+00:00"),
    ],
)
def test_parse_date_keeps_the_precision_given(value: str, expected: str) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["", "Set", "1", "yesterday", "2026-02-30", "13/13/2026", "The year 3026"])
def test_parse_date_refuses_what_is_not_clearly_a_date(value: str) -> None:
    assert parse_date(value) is None


def test_parse_date_accepts_yaml_date_objects() -> None:
    assert parse_date(dt.date(2026, 2, 3)) == "2026-02-03"
    # YAML front matter gives naive datetimes; they stay naive (no zone is invented).
    assert parse_date(dt.datetime(2026, 2, 3, 0, 0, 32)) == "2026-02-03T00:00:32"  # noqa: DTZ001


@pytest.mark.parametrize(
    ("line", "value", "updated"),
    [
        ("February 3, 2026", "2026-02-03", False),
        ("Published: 14 October 2026, 10:15 BST", "2026-10-14T10:15:00+01:00", False),
        ("Updated Oct 15, 2026", "2026-10-15", True),
        ("Wednesday 14 October 2026", "2026-10-14", False),
        ("  2026-10-14  ", "2026-10-14", False),
    ],
)
def test_date_lines(line: str, value: str, updated: bool) -> None:
    found = parse_date_line(line)
    assert found is not None
    assert (found.value, found.updated) == (value, updated)


@pytest.mark.parametrize(
    "line",
    [
        "The strike began on February 3, 2026 and lasted a week.",
        "Colombian President Gustavo Petro emerged from talks on February 3",
        "By Jane Doe",
        "",
    ],
)
def test_sentences_are_not_date_lines(line: str) -> None:
    assert parse_date_line(line) is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://harbour.example/2026/10/08/port-strike", "2026-10-08"),
        ("https://harbour.example/news/2026-10-08-port-strike", "2026-10-08"),
        ("https://harbour.example/20261008/port-strike/", "2026-10-08"),
        ("https://harbour.example/2026/13/40/nonsense", None),
        ("https://harbour.example/port-strike", None),
        (None, None),
    ],
)
def test_dates_in_urls(url: str | None, expected: str | None) -> None:
    assert date_from_url(url) == expected


def test_sort_key_orders_mixed_precision_and_offsets() -> None:
    values = ["2026-02-03T10:00:00+02:00", "2026-02-03", "2026-02-03T09:00:00", None]
    ordered = sorted(values, key=sort_key)
    assert ordered == [None, "2026-02-03", "2026-02-03T10:00:00+02:00", "2026-02-03T09:00:00"]
