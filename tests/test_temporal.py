"""The temporal tagger: the project's own test sentences, and the key expressions of the seeds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from newsdesk.analyse.temporal import tag_times
from newsdesk.extract import extract_document
from newsdesk.records import Article, RawDocument, TimeExpression
from temporal_cases import CASES, parse_case, reference_date


@pytest.mark.parametrize(("reference", "marked"), CASES, ids=[f"{i:03d}" for i in range(len(CASES))])
def test_expressions_in_written_sentences(reference: str | None, marked: str) -> None:
    text, expected = parse_case(marked)
    found = tag_times(text, reference_date(reference))
    got = [(e.text, e.value, e.granularity, e.status, e.until) for e in found]
    want = [(e.text, e.value, e.granularity, e.status, e.until) for e in expected]
    assert got == want
    for expression, wanted in zip(found, expected, strict=True):
        assert (expression.start, expression.end) == (wanted.start, wanted.end)
        assert text[expression.start : expression.end] == expression.text
        if wanted.conflict_word is None:
            assert expression.conflict is None
        else:
            assert expression.conflict is not None and wanted.conflict_word in expression.conflict


def test_the_test_set_is_large_enough() -> None:
    expressions = [e for _, marked in CASES for e in parse_case(marked)[1]]
    negatives = [marked for _, marked in CASES if "[[" not in marked]
    assert len(expressions) >= 200
    assert len(negatives) >= 30
    assert {e.granularity for e in expressions} >= {"day", "month", "year", "decade"}
    assert sum(e.status == "scheduled" for e in expressions) >= 40
    assert sum(e.conflict_word is not None for e in expressions) >= 5


def test_offsets_index_the_text_given() -> None:
    text = "Côte d’Ivoire’s vote — held on 3 January 2026 — was calm; results came two days later."
    found = tag_times(text, dt.date(2026, 1, 10))
    assert [(e.text, e.value) for e in found] == [("3 January 2026", "2026-01-03"), ("two days later", "2026-01-05")]
    assert all(text[e.start : e.end] == e.text for e in found)


def test_empty_and_dateless_text() -> None:
    assert tag_times("", dt.date(2026, 1, 1)) == []
    assert tag_times("Nothing here has a date, only 1,367 miles and 30,000 soldiers.", None) == []


def test_the_same_text_gives_the_same_expressions() -> None:
    text = "The talks began on Monday, collapsed in March 2024 and resumed two weeks ago."
    assert tag_times(text, dt.date(2026, 2, 3)) == tag_times(text, dt.date(2026, 2, 3))


# -- the seeds -----------------------------------------------------------------------------------------


def _seed(seeds: Path, prefix: str) -> Article:
    path = next(seeds.glob(f"{prefix}_*.txt"))
    return extract_document(RawDocument(location=str(path), data=path.read_bytes()))


def _find(expressions: list[TimeExpression], text: str) -> list[TimeExpression]:
    return [e for e in expressions if e.text == text]


def test_seed_report_dates_resolve(seeds: Path) -> None:
    article = _seed(seeds, "000")
    found = tag_times(article.body, dt.date(2026, 2, 3))
    tuesdays = _find(found, "Tuesday")
    assert tuesdays and {e.value for e in tuesdays} == {"2026-02-03"}
    seizure = _find(found, "3 January")
    assert [(e.value, e.status) for e in seizure] == [("2026-01-03", "happened")]
    assert [(e.value, e.granularity) for e in _find(found, "1960s")] == [("1960s", "decade")]
    assert [(e.value, e.status) for e in _find(found, "November")] == [("2025-11", "happened")]
    assert [(e.value, e.status) for e in _find(found, "August")] == [("2026-08", "scheduled")]
    assert [e.value for e in _find(found, "last month")] == ["2026-01"]
    assert not any(e.text in ("Set", "1", "1,367") or "1,367" in e.text for e in found)


def test_seed_meeting_report_dates_resolve(seeds: Path) -> None:
    article = _seed(seeds, "003")
    found = tag_times(article.body, dt.date(2026, 2, 3))
    meeting = _find(found, "February 3")
    assert meeting and all((e.value, e.status) == ("2026-02-03", "happened") for e in meeting)
    assert [e.value for e in _find(found, "September 2025")] == ["2025-09"]
    assert {e.value for e in _find(found, "October")} == {"2025-10"}
    assert [(e.value, e.status) for e in _find(found, "May")] == [("2026-05", "scheduled")]
    assert [e.value for e in _find(found, "January 3")] == ["2026-01-03"]


def test_seed_digest_weekday_contradicts_its_date(seeds: Path) -> None:
    article = _seed(seeds, "004")
    assert article.published is None
    found = tag_times(article.body, None)
    conflicted = [e for e in found if e.conflict]
    assert [e.text for e in conflicted] == ["Tuesday, Feb 6"]
    assert conflicted[0].value == "2026-02-06"
    assert "Friday" in (conflicted[0].conflict or "") and "2026" in (conflicted[0].conflict or "")
    assert [e.value for e in _find(found, "Jan 3, 2026")] == ["2026-01-03"]
    assert [(e.value, e.granularity) for e in _find(found, "1960s")] == [("1960s", "decade")]
    assert not any(e.text.startswith("Set") for e in found)
