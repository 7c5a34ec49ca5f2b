"""The timeline builder: the seeds' timeline (issue 6), its rules on articles written here, and the CLI."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsdesk.cli import cli
from newsdesk.pipeline import ingest
from newsdesk.publish.markdown import timeline_markdown
from newsdesk.records import Article, FamilyMember, TimelineEntry, article_id
from newsdesk.settings import Settings
from newsdesk.store import open_store
from newsdesk.write.timeline import build_timeline


def _article(body: str, published: str | None, *, title: str | None = None, kind: str = "report") -> Article:
    return Article(
        id=article_id(title, body), title=title, body=body, published=published,
        published_from="record" if published else None, author=None, source="Test Wire", url=None,
        language="en", kind=kind, location=f"test:{title or body[:20]}", format="record",
    )  # fmt: skip


def _by_date(entries: Sequence[TimelineEntry]) -> dict[str, list[TimelineEntry]]:
    out: dict[str, list[TimelineEntry]] = {}
    for entry in entries:
        out.setdefault(entry.date, []).append(entry)
    return out


def _first_day(value: str) -> dt.date:
    parts = [int(p) for p in value.removesuffix("s").split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def _assert_cited(entries: Sequence[TimelineEntry], articles: Sequence[Article]) -> None:
    bodies = {a.id: a.body for a in articles}
    for entry in entries:
        assert entry.citations, entry
        for citation in entry.citations:
            assert bodies[citation.article][citation.start : citation.end] == citation.quote
        assert entry.text == entry.citations[0].quote


# -- the seeds ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_story(seeds: Path) -> tuple[list[Article], dict[str, FamilyMember]]:
    with open_store(":memory:") as store:
        report = ingest([str(seeds)], store, Settings(offline=True))
        assert report.ok and len(report.new) == 5
        articles = store.list_articles()
        families = store.families(a.id for a in articles)
    return articles, families


def test_seed_timeline_has_the_story_and_its_background(
    seed_story: tuple[list[Article], dict[str, FamilyMember]],
) -> None:
    articles, families = seed_story
    entries = build_timeline(articles, families)
    dates = _by_date(entries)

    def only(date: str, granularity: str) -> TimelineEntry:
        assert date in dates, f"no entry on {date}: {sorted(dates)}"
        [entry] = dates[date]
        assert entry.granularity == granularity
        return entry

    assert "guerrilla" in only("1960s", "decade").text  # the ELN's founding
    assert "Catatumbo" in only("2025", "year").text
    assert "visa" in only("2025-09", "month").text
    assert "sanctions" in only("2025-10", "month").text
    assert "intelligence sharing" in only("2025-11", "month").text
    seizure = only("2026-01-03", "day")
    assert "Maduro" in seizure.text and seizure.status == "happened" and seizure.support == 2
    meeting = only("2026-02-03", "day")
    assert meeting.status == "happened" and "Petro" in meeting.text and "Trump" in meeting.text
    assert meeting.support >= 1
    end_of_term = only("2026-08", "month")
    assert end_of_term.status == "scheduled" and "term" in end_of_term.text
    assert "2026-02-06" not in dates  # the digest's wrong meeting date
    _assert_cited(entries, articles)
    starts = [_first_day(e.date) for e in entries]
    assert starts == sorted(starts) and entries[0].date == "1960s"


def test_seed_digest_never_adds_support(seed_story: tuple[list[Article], dict[str, FamilyMember]]) -> None:
    articles, families = seed_story
    digest = next(a for a in articles if a.kind == "digest")
    for entry in build_timeline(articles, families):
        if {c.article for c in entry.citations} == {digest.id}:
            assert entry.support == 0


def test_seed_timeline_limits(seed_story: tuple[list[Article], dict[str, FamilyMember]]) -> None:
    articles, families = seed_story
    top = build_timeline(articles, families, max_dates=3)
    assert len({e.date for e in top}) == 3
    assert "2026-02-03" in {e.date for e in top}
    recent = build_timeline(articles, families, since=dt.date(2026, 1, 1), until=dt.date(2026, 2, 28))
    assert {e.date for e in recent} == {"2026-01", "2026-01-03", "2026-01-05", "2026-01-13", "2026-02-02", "2026-02-03"}
    days = build_timeline(articles, families, granularity="day")
    assert days and {e.granularity for e in days} == {"day"}
    assert build_timeline(articles, families) == build_timeline(list(reversed(articles)), families)


# -- rules, on articles written for these tests -------------------------------------------------------

PLAN = "The Eastbrook harbour council will vote on the tram plan on 10 March, after a year of hearings."
VOTE = "The Eastbrook harbour council approved the tram plan on 10 March by 27 votes to 14 after a long session."


def test_a_plan_is_scheduled_until_a_later_report_says_it_happened() -> None:
    plan = _article(PLAN, "2026-03-01", title="Council to vote")
    [entry] = build_timeline([plan])
    assert (entry.date, entry.status, entry.support) == ("2026-03-10", "scheduled", 1)
    vote = _article(VOTE, "2026-03-11", title="Council approves")
    [entry] = build_timeline([plan, vote])
    assert (entry.date, entry.status, entry.support) == ("2026-03-10", "happened", 2)
    assert entry.text == VOTE and {c.article for c in entry.citations} == {plan.id, vote.id}


def test_members_of_one_family_count_once() -> None:
    origin = _article(VOTE, "2026-03-11", title="Council approves")
    copy = _article(VOTE + " Opponents plan an appeal.", "2026-03-11", title="Council approves (copy)")
    families = {
        origin.id: FamilyMember(origin.id, origin.id, "origin", None),
        copy.id: FamilyMember(copy.id, origin.id, "copy", origin.id),
    }
    [entry] = [e for e in build_timeline([origin, copy], families) if e.date == "2026-03-10"]
    assert entry.support == 1 and len(entry.citations) == 2
    [entry] = [e for e in build_timeline([origin, copy]) if e.date == "2026-03-10"]
    assert entry.support == 2


def test_a_digest_may_be_cited_but_its_contradicted_date_is_dropped() -> None:
    first = _article("The Osterby summit opened on 4 May with talks on the fishing quotas.", "2026-05-05", title="a")
    second = _article(
        "Ministers met in Osterby on 4 May to open the summit on fishing quotas.", "2026-05-05", title="b"
    )
    digest = _article(
        "The Osterby summit on fishing quotas opened on 6 May with ministers meeting.\n\n"
        "Fishing quotas were last cut in 2019, the ministers recalled.",
        None,
        title="digest",
        kind="digest",
    )
    entries = build_timeline([first, second, digest])
    dates = _by_date(entries)
    assert "2026-05-06" not in dates
    assert dates["2026-05-04"][0].support == 2
    [background] = dates["2019"]
    assert background.support == 0 and background.citations[0].article == digest.id


def test_a_date_the_text_gets_wrong_is_not_trusted() -> None:
    wrong = _article("The ferry to Varn will sail on Tuesday, March 12, the operator said.", "2026-03-02", title="w")
    assert wrong.body and "2026-03-12" not in {e.date for e in build_timeline([wrong])}


def test_an_undated_article_reads_its_dates_from_its_source() -> None:
    origin = _article("The mayor of Harlow resigned on Monday after the audit.", "2026-02-04", title="origin")
    rewrite = _article("Harlow's mayor quit on Monday following the audit report.", None, title="rewrite")
    families = {
        origin.id: FamilyMember(origin.id, origin.id, "origin", None),
        rewrite.id: FamilyMember(rewrite.id, origin.id, "rewrite", origin.id),
    }
    entries = build_timeline([origin, rewrite], families)
    assert [(e.date, e.support) for e in entries] == [("2026-02-02", 1)]
    assert {c.article for c in entries[0].citations} == {origin.id, rewrite.id}


def test_timestamps_and_week_ranges_are_not_events() -> None:
    page = _article(
        "Posted March 3, 2026 at 10:07 am | Reply\n\nThe dockers walked out last week over pay.",
        "2026-03-04",
        title="t",
    )
    assert build_timeline([page]) == []


def test_reference_words_and_reporting_periods_are_not_entries() -> None:
    page = _article(
        "The Tarn brewery is now the largest employer in Varn. Its third-quarter profit rose to $4 million "
        "from $3 million a year earlier, and it recently hired 40 brewers. Sales in the quarter rose 6%.",
        "2026-11-04",
        title="Tarn results",
    )
    assert build_timeline([page]) == []


def test_entries_trim_a_timeline_heading_and_other_clauses() -> None:
    digest = _article(
        "Timeline\n\n2024 – The Varn bridge closes for repairs after an inspection; traffic moves to the ferry.",
        "2026-01-01",
        title="d",
    )
    [entry] = build_timeline([digest])
    assert entry.text == "The Varn bridge closes for repairs after an inspection"
    _assert_cited([entry], [digest])


def test_a_day_entry_is_the_report_of_what_happened_not_a_preview() -> None:
    preview = _article(
        "Friday's vote on the Lanmoor dam follows months of protests by farmers and fishermen in the Lanmoor valley.",
        "2026-04-10",
        title="preview",
    )
    plan = _article("The Lanmoor council will vote on the dam on Friday.", "2026-04-10", title="plan")
    report = _article(
        "The Lanmoor council rejected the dam on Friday by nine votes to four.", "2026-04-10", title="vote"
    )
    [entry] = build_timeline([preview, plan, report])
    assert (entry.date, entry.status) == ("2026-04-10", "happened")
    assert entry.text == report.body
    # On its own, the preview still dates the vote: a possessive day only ranks below a report of the day.
    [entry] = build_timeline([preview])
    assert entry.date == "2026-04-10" and entry.text == preview.body


def test_a_date_s_entries_do_not_repeat_each_other_and_drop_a_leading_opener() -> None:
    first = _article(
        "Meanwhile, Harwick's tunnel flooded on Sunday after a water main burst under the river.",
        "2026-06-08",
        title="first",
    )
    second = _article(
        "A water main burst under the river and flooded the Harwick tunnel on Sunday, officials said.",
        "2026-06-08",
        title="second",
    )
    third = _article(
        "Officials said that ferries carried twice their usual number of Harwick passengers on Sunday.",
        "2026-06-08",
        title="third",
    )
    entries = build_timeline([first, second, third], per_date=2)
    texts = [e.text for e in entries]
    assert len(texts) == 2 and third.body in texts, texts  # the flood once, then the ferries
    # "Officials said that ferries ..." keeps its attribution: what is left would not read as a sentence.
    assert all(t[0].isupper() for t in texts)
    _assert_cited(entries, [first, second, third])
    [alone] = build_timeline([first])
    assert alone.text == "Harwick's tunnel flooded on Sunday after a water main burst under the river."
    _assert_cited([alone], [first])


FERRY = (
    (
        "2026-03-02",
        "Ferry suspended",
        "The Eastbrook ferry service was suspended on 1 March after a crack was found in the hull of its only "
        "boat. The ferry first sailed in 1998, when the harbour reopened after years of silt.",
    ),
    (
        "2026-03-09",
        "Ferry repairs",
        "Engineers began repairs to the Eastbrook ferry on 6 March. The harbour board said repairs to the ferry "
        "would go on through March. Passenger numbers on the ferry fell in February, before the crack was found.",
    ),
    (
        "2026-03-20",
        "Ferry returns",
        "The Eastbrook ferry returned to service on 19 March, the harbour board said. "
        "The ferry carried fewer passengers in 2026 than in any year since it first sailed.",
    ),
)


def _dates(entries: Sequence[TimelineEntry]) -> list[tuple[str, str]]:
    return [(e.date, e.granularity) for e in entries]


def test_auto_granularity_tells_a_story_of_weeks_by_its_days() -> None:
    articles = [_article(body, published, title=title) for published, title, body in FERRY]
    days = [("2026-03-01", "day"), ("2026-03-06", "day"), ("2026-03-19", "day")]
    everything = _dates(build_timeline(articles))
    assert ("2026-03", "month") in everything and ("2026", "year") in everything
    # Three weeks of reports: March and 2026 hold the story's own days and go; February and 1998,
    # before the first report, are background and stay.
    assert _dates(build_timeline(articles, granularity="auto")) == [("1998", "year"), ("2026-02", "month"), *days]
    assert _dates(build_timeline(articles, granularity="day")) == days
    assert _dates(build_timeline(articles, granularity="month")) == [("2026-02", "month"), ("2026-03", "month")]
    # --since/--until narrow the span: from 5 March, March and 2026 still hold the window's days.
    window = build_timeline(articles, granularity="auto", since=dt.date(2026, 3, 5))
    assert _dates(window) == days[1:]


def test_auto_granularity_keeps_a_month_of_a_long_story_that_no_day_dates() -> None:
    articles = [
        _article("The Eastbrook council approved a new library on 8 January, after a long debate.", "2025-01-10"),
        _article("Builders worked on the Eastbrook library in June, laying its foundations.", "2025-07-02"),
        _article("The Eastbrook library opened on 27 February, the council said. Its costs rose through 2025.", "2026-03-01"),
    ]  # fmt: skip
    assert ("2025", "year") in _dates(build_timeline(articles))
    # Fourteen months with one day inside: June is finer than the spacing and no day dates it; 2025 holds a day.
    auto = _dates(build_timeline(articles, granularity="auto"))
    assert auto == [("2025-01-08", "day"), ("2025-06", "month"), ("2026-02-27", "day")]


def test_bad_arguments_say_what_is_wrong() -> None:
    with pytest.raises(ValueError, match="per_date"):
        build_timeline([], per_date=0)
    with pytest.raises(ValueError, match="max_dates"):
        build_timeline([], max_dates=0)
    with pytest.raises(ValueError, match="granularity"):
        build_timeline([], granularity="week")
    assert build_timeline([]) == []


def test_markdown_numbers_the_cited_sources() -> None:
    plan = _article(PLAN, "2026-03-01", title="Council to vote")
    vote = _article(VOTE, "2026-03-11", title="Council approves")
    text = timeline_markdown(build_timeline([plan, vote]), [plan, vote])
    assert "- **2026-03-10**: The Eastbrook harbour council approved" in text
    assert text.rstrip().endswith(
        "## Sources\n\n1. Council approves: Test Wire, 2026-03-11\n2. Council to vote: Test Wire, 2026-03-01"
    )
    assert "[1][2]" in text


# -- the command ---------------------------------------------------------------------------------------


def _write(path: Path, title: str, date: str, body: str) -> Path:
    path.write_text(f"---\ntitle: {title}\ndate: {date}\nsource: Eastbrook Post\n---\n{body}\n", encoding="utf-8")
    return path


def test_timeline_command(tmp_path: Path) -> None:
    first = _write(tmp_path / "plan.md", "Council to vote", "2026-03-01", PLAN)
    second = _write(tmp_path / "vote.md", "Council approves", "2026-03-11", VOTE)
    runner = CliRunner()
    result = runner.invoke(cli, ["timeline", str(first), str(second), "--format", "json"])
    assert result.exit_code == 0, result.output
    entries = json.loads(result.output)
    assert [(e["date"], e["status"], e["support"]) for e in entries] == [("2026-03-10", "happened", 2)]
    assert entries[0]["text"] == VOTE
    result = runner.invoke(cli, ["timeline", str(first), "--since", "2026-03-11"])
    assert result.exit_code == 0 and "(no dated events found)" in result.output
    result = runner.invoke(cli, ["timeline", str(first), str(second), "--max-dates", "1", "--per-date", "1"])
    assert result.exit_code == 0
    assert result.output.startswith("## Timeline\n\n- **2026-03-10**: The Eastbrook harbour council approved")
    assert (
        "1. Council approves: Eastbrook Post, 2026-03-11\n2. Council to vote: Eastbrook Post, 2026-03-01"
        in result.output
    )


def test_timeline_command_granularity(tmp_path: Path) -> None:
    paths = [_write(tmp_path / f"{n}.md", title, published, body) for n, (published, title, body) in enumerate(FERRY)]
    runner = CliRunner()

    def dates(*options: str) -> list[tuple[str, str]]:
        result = runner.invoke(cli, ["timeline", *map(str, paths), "--format", "json", *options])
        assert result.exit_code == 0, result.output
        return [(e["date"], e["granularity"]) for e in json.loads(result.output)]

    days = [("2026-03-01", "day"), ("2026-03-06", "day"), ("2026-03-19", "day")]
    assert dates() == dates("--granularity", "auto") == [("1998", "year"), ("2026-02", "month"), *days]
    assert dates("--granularity", "day") == days
    assert dates("--granularity", "month") == [("2026-02", "month"), ("2026-03", "month")]
    assert dates("--granularity", "year") == [("1998", "year"), ("2026", "year")]
    result = runner.invoke(cli, ["timeline", str(paths[0]), "--granularity", "week"])
    assert result.exit_code == 2
    assert "Invalid value for '--granularity'" in result.stderr and "'week' is not one of" in result.stderr


def test_timeline_command_names_bad_inputs_and_still_prints(tmp_path: Path) -> None:
    first = _write(tmp_path / "plan.md", "Council to vote", "2026-03-01", PLAN)
    result = CliRunner().invoke(cli, ["timeline", str(first), str(tmp_path / "missing.md")])
    assert result.exit_code == 1
    assert "missing.md" in result.stderr
    assert "- **2026-03-10** (scheduled):" in result.stdout
    result = CliRunner().invoke(cli, ["timeline", str(first), "--until", "March"])
    assert result.exit_code == 2
