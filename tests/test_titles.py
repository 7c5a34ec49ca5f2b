"""Titles: click-bait prefixes, headline-likeness, names and bylines."""

from __future__ import annotations

import pytest

from newsdesk.extract.titles import (
    clean_author,
    is_headline,
    is_name_like,
    parse_byline,
    split_clickbait,
    title_case_wordmark,
)


@pytest.mark.parametrize(
    ("title", "clean", "prefix"),
    [
        ("Big News: Dockworkers walk out in Valemont", "Dockworkers walk out in Valemont", "Big News"),
        ("BREAKING: Landslide closes mountain pass", "Landslide closes mountain pass", "BREAKING"),
        ("WATCH – the moment the bridge opened", "the moment the bridge opened", "WATCH"),
        ("[Video] Museum reopens its doors", "Museum reopens its doors", "Video"),
        ("Opinion: The port deal is a bad bargain", "The port deal is a bad bargain", "Opinion"),
        ("High-Stakes Meeting: Ministers set to meet", "High-Stakes Meeting: Ministers set to meet", None),
        ("Breaking Bad star opens bakery", "Breaking Bad star opens bakery", None),
        ("Live: Updates", "Live: Updates", None),
        ("  Spaces   everywhere  ", "Spaces everywhere", None),
    ],
)
def test_clickbait_prefixes_are_kept_apart(title: str, clean: str, prefix: str | None) -> None:
    assert split_clickbait(title) == (clean, prefix)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Colombia's Petro meets Trump at White House in bid to mend strained relations", True),
        ("High-Stakes Meeting: Colombia's Petro Set to Meet Trump Amid Tensions", True),
        ("Will the strike end soon?", True),
        ("The strike ended on Friday.", False),
        ("the strike ended", False),
        ("Strike", False),
        ("First sentence here. Second sentence follows here", False),
    ],
)
def test_headlines(line: str, expected: bool) -> None:
    assert is_headline(line) is expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Cynthia Michelle Aranguren Hernández", True),
        ("Ludwig van Beethoven", True),
        ("Mary-Jane O'Neill", True),
        ("Port strike ends", False),
        ("Tram Line Approved After Vote", False),
        ("Madonna", False),
    ],
)
def test_name_like_lines(line: str, expected: bool) -> None:
    assert is_name_like(line) is expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("By Jane Doe", "Jane Doe"),
        ("By Jane Doe and Omar Haddad | Harbour Gazette", "Jane Doe and Omar Haddad"),
        ("Written by Lina Park, in Valemont", "Lina Park"),
        ("By the time the ships arrived, the port was closed.", None),
        ("By train", None),
    ],
)
def test_bylines(line: str, expected: str | None) -> None:
    assert parse_byline(line) == expected


@pytest.mark.parametrize(
    ("author", "expected"),
    [
        ("Hélène Marchbank, Arts Editor", "Hélène Marchbank"),
        ("By Ana Ferreira", "Ana Ferreira"),
        ("Staff Reporter", None),
        ("Ana Ferreira, Tom Berg", "Ana Ferreira, Tom Berg"),
        (None, None),
    ],
)
def test_authors_lose_job_titles(author: str | None, expected: str | None) -> None:
    assert clean_author(author) == expected


def test_wordmarks_in_capitals_get_ordinary_case() -> None:
    assert title_case_wordmark("THE TIDEWATER POST") == "The Tidewater Post"
    assert title_case_wordmark("HARBOUR OF THE NORTH") == "Harbour of the North"
    assert title_case_wordmark("IntelliNews") == "IntelliNews"
