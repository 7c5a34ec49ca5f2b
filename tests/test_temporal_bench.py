"""The TimeBank bench's scoring (bench/temporal.py): TimeML reading, strict and relaxed extents, value F1."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from newsdesk.records import TimeExpression

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from temporal import (
    DATE_TIME,
    Counts,
    Timex,
    evaluate,
    match,
    parse_timeml,
    prf,
    score,
    timeml_value,
    value_error,
)

# Written for this test: a DCT, an entity before the first expression, an EVENT inside the text, and
# one expression of each kind the scoring treats apart (DATE, DURATION, TIME).
TIMEML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>TEST1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2001-03-14" functionInDocument="CREATION_TIME">March 14, 2001</TIMEX3></DCT>
<TEXT>
Smith &amp; Co <EVENT eid="e1" class="OCCURRENCE">said</EVENT> <TIMEX3 tid="t1" type="DATE" value="2001-03-13">Tuesday</TIMEX3> that sales rose for <TIMEX3 tid="t2" type="DURATION" value="P3M">three months</TIMEX3> until <TIMEX3 tid="t3" type="TIME" value="2001-03-13T10:00">10 a.m. yesterday</TIMEX3>.
</TEXT>
</TimeML>
"""


def test_timeml_is_read_with_plain_text_offsets_and_the_dct() -> None:
    document = parse_timeml(TIMEML, "TEST1")
    assert document.dct == dt.date(2001, 3, 14)
    assert "&amp;" not in document.text and "<" not in document.text
    assert [(t.type, t.value, document.text[t.start : t.end]) for t in document.gold] == [
        ("DATE", "2001-03-13", "Tuesday"),
        ("DURATION", "P3M", "three months"),
        ("TIME", "2001-03-13T10:00", "10 a.m. yesterday"),
    ]
    assert all(t.text == document.text[t.start : t.end] for t in document.gold)


def _at(text: str, phrase: str, value: str | None) -> Timex:
    start = text.index(phrase)
    return Timex(start, start + len(phrase), value, text=phrase)


def test_strict_needs_the_same_span_and_relaxed_an_overlap() -> None:
    document = parse_timeml(TIMEML)
    text = document.text
    found = [
        _at(text, "Tuesday", "2001-03-13"),  # exact span, right value
        _at(text, "10 a.m.", "2001-03-14T10:00"),  # overlaps the TIME, wrong day
        _at(text, "sales", "2001"),  # spurious
    ]
    assert match(document.gold, found, strict=True) == [(0, 0)]
    assert match(document.gold, found, strict=False) == [(0, 0), (2, 1)]
    assert score(document.gold, found) == Counts(gold=3, found=3, strict=1, relaxed=2, value=1)
    precision, recall, f1 = prf(1, 3, 3)
    assert (precision, recall) == (pytest.approx(1 / 3), pytest.approx(1 / 3)) and f1 == pytest.approx(1 / 3)


def test_one_found_expression_matches_one_gold_expression_only() -> None:
    gold = [Timex(0, 5, "2001"), Timex(6, 10, "2002")]
    found = [Timex(0, 10, "2001")]  # overlaps both
    assert score(gold, found) == Counts(gold=2, found=1, strict=0, relaxed=1, value=1)


def test_date_time_leaves_out_durations_and_what_overlaps_only_them() -> None:
    document = parse_timeml(TIMEML)
    text = document.text
    found = [_at(text, "three months", "2000-12"), _at(text, "sales", "2001")]
    counts = score(document.gold, found, DATE_TIME)
    # The expression on the DURATION counts for nothing; the spurious one still counts against precision.
    assert counts == Counts(gold=2, found=1, strict=0, relaxed=0, value=0)
    assert score(document.gold, found) == Counts(gold=3, found=2, strict=1, relaxed=1, value=0)


def test_a_decade_written_either_way_has_the_same_value() -> None:
    counts = score([Timex(0, 9, "199X", text="the 1990s")], [Timex(4, 9, "199")])
    assert counts.value == 1


def _expression(value: str, granularity: str, until: str | None = None) -> TimeExpression:
    return TimeExpression(0, 1, "x", value, granularity, until=until)


def test_newsdesk_periods_are_written_in_timeml_vocabulary() -> None:
    assert timeml_value(_expression("1990s", "decade")) == "199"
    assert timeml_value(_expression("1998-07-27", "day", "1998-08-02")) == "1998-W31"
    assert timeml_value(_expression("1998-08-01", "day", "1998-08-02")) == "1998-W31-WE"
    assert timeml_value(_expression("1997-10", "month", "1997-12")) == "1997-Q4"
    assert timeml_value(_expression("1999-03", "month", "1999-05")) == "1999-SP"
    assert timeml_value(_expression("1998-05", "month", "1998-06")) == "1998-05"  # a range keeps its start
    assert timeml_value(_expression("1998-08-07", "day")) == "1998-08-07"


def test_wrong_values_are_told_apart_by_kind() -> None:
    dct = dt.date(1998, 1, 8)
    october = Timex(0, 7, "1997-10", text="October")
    assert value_error(october, Timex(0, 7, "1998-10"), dct) == "past expression put in the future"
    assert value_error(Timex(0, 4, "1998-03", text="March"), Timex(0, 4, "1997-03"), dct) == (
        "future expression put in the past"
    )
    assert value_error(Timex(0, 4, "1996-03"), Timex(0, 4, "1995-03"), dct) == "off by one year"
    assert value_error(october, Timex(0, 7, "1997-10-01"), dct) == "wrong granularity: gold month, system day"
    friday = Timex(0, 6, "1998-01-02", text="Friday")
    assert value_error(friday, Timex(0, 6, "1997-12-26"), dct) == "a weekday a week off, gold nearer the DCT"
    assert value_error(Timex(0, 6, "1997-12-26", text="Friday"), Timex(0, 6, "1998-01-02"), dct).startswith(
        "a weekday a week off, system nearer the DCT"
    )


@pytest.mark.shared
def test_the_bench_runs_on_a_few_timebank_documents(shared: Path) -> None:
    timebank = shared / "bench" / "timebank"
    assert (timebank / "TimeBank").is_dir() and (timebank / "AQUAINT").is_dir(), timebank
    lines = evaluate(shared, 2, systems=("newsdesk",))
    rows = [line for line in lines if line.startswith("| newsdesk | ")]
    assert [row.split(" | ")[1] for row in rows[:2]] == ["DATE+TIME", "all types"]
    assert "1 TimeBank and 1 AQUAINT documents" in "\n".join(lines)
