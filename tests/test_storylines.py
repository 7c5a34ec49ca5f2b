"""Storylines: the stories of one developing subject linked over time, online, with stable ids."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsdesk import pipeline
from newsdesk.cli import cli
from newsdesk.group import group_all, storylines_missing
from newsdesk.group.storylines import Storylines
from newsdesk.pipeline import ingest
from newsdesk.settings import Settings
from newsdesk.store import Store, open_store, postgres, sqlite

# One subject, two events ten days apart: cracks found in a dam and a town evacuated; then a national programme.
CRACKS = [
    (
        "Cracks found in Marrowby dam, Lower Keld evacuated",
        "Orsund Herald",
        "2031-03-02",
        "Engineers found deep cracks in the Marrowby dam on the Orsund river on Sunday, and 2,000 residents of "
        "Lower Keld were moved to schools in Tarrow overnight. Water minister Ilse Varga said the reservoir was "
        "being drained as a precaution. The Keld Water Board said the dam, built in 1961, was last inspected "
        "four years ago. Buses took families from Lower Keld to the schools through the night.",
    ),
    (
        "Lower Keld emptied as Marrowby dam cracks",
        "Valley Courier",
        "2031-03-02",
        "About 2,000 people left Lower Keld on Sunday night after engineers reported cracks in the Marrowby dam "
        "above the village. Ilse Varga, the water minister, said the Keld Water Board had begun draining the "
        "reservoir on the Orsund river. Families spent the night in school halls in Tarrow.",
    ),
]
INQUIRY = [
    (
        "Parliament funds a national inspection programme",
        "Orsund Herald",
        "2031-03-12",
        "Parliament voted on Thursday to spend 300 million crowns inspecting the country's 48 largest "
        "reservoirs over three years. Opposition members backed the programme unanimously. Inspectors will "
        "begin with the oldest structures. It was proposed by Ilse Varga after the scare at Marrowby.",
    ),
    (
        "MPs back 300m crown inspection programme",
        "Valley Courier",
        "2031-03-12",
        "Lawmakers unanimously approved a 300 million crown programme to inspect 48 large reservoirs on "
        "Thursday. Engineers will start with structures built before 1970. Ilse Varga drew up the plan after "
        "the Marrowby scare.",
    ),
]
# Another subject altogether.
FINAL = [
    (
        "Tessaly Rovers win the Harbour Cup on penalties",
        "Sports Desk",
        "2031-03-08",
        "Tessaly Rovers beat Caldmouth Athletic 5-4 on penalties to win the Harbour Cup final at the Brannock "
        "stadium on Saturday, after a 1-1 draw. Goalkeeper Ottilie Brand saved the last kick. Rovers captain "
        "Jonas Feld lifted the trophy in front of 31,000 fans.",
    ),
    (
        "Rovers lift Harbour Cup after shoot-out",
        "Coast Sport",
        "2031-03-08",
        "Ottilie Brand saved from Caldmouth's final taker as Tessaly Rovers took the Harbour Cup on penalties "
        "at Brannock. The final had ended 1-1. Jonas Feld, the Rovers captain, dedicated the win to the fans.",
    ),
]


def _write(path: Path, articles: list[tuple[str, str, str, str]]) -> str:
    records = [{"title": t, "source": s, "published": p, "text": x} for t, s, p, x in articles]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return str(path)


def _stream(tmp_path: Path) -> str:
    return _write(tmp_path / "stream.jsonl", sorted(CRACKS + FINAL + INQUIRY, key=lambda a: a[2]))


def _ingest(store: Store, path: str) -> None:
    report = ingest([path], store, Settings(offline=True))
    assert report.ok, report.failures


def _homes(store: Store) -> dict[str, tuple[str, str]]:
    """Each article's title: (its story, its storyline)."""
    articles = store.list_articles()
    stories = store.stories_of(a.id for a in articles)
    lines = store.storylines_of(stories.values())
    return {a.title or a.id: (stories[a.id], lines[stories[a.id]]) for a in articles}


def test_the_stories_of_one_subject_share_a_storyline(store: Store, tmp_path: Path) -> None:
    _ingest(store, _stream(tmp_path))
    homes = _homes(store)
    cracks = {homes[t] for t, *_ in CRACKS}
    inquiry = {homes[t] for t, *_ in INQUIRY}
    final = {homes[t] for t, *_ in FINAL}
    assert len(cracks) == len(inquiry) == len(final) == 1  # each event is one story
    (crack_story, crack_line), (inquiry_story, inquiry_line) = cracks.pop(), inquiry.pop()
    (_, final_line) = final.pop()
    assert crack_story != inquiry_story  # two events ...
    assert crack_line == inquiry_line  # ... of one subject
    assert final_line != crack_line  # another subject
    line = store.get_storyline(crack_line)
    assert (line.story_count, line.article_count) == (2, 4)
    assert [s.id for s in store.storyline_stories(crack_line)] == [inquiry_story, crack_story]  # newest first
    assert [x.id for x in store.list_storylines(min_stories=2)] == [crack_line]
    assert {x.id for x in store.list_storylines(min_stories=1)} == {crack_line, final_line}


def test_storyline_ids_are_stable_and_a_rebuild_equals_the_online_grouping(tmp_path: Path) -> None:
    path = _stream(tmp_path)
    found = []
    for name in ("one.db", "two.db"):
        with open_store(str(tmp_path / name)) as store:
            _ingest(store, path)
            found.append(_homes(store))
    assert found[0] == found[1]
    with open_store(str(tmp_path / "one.db")) as store:
        group_all(store)
        assert _homes(store) == found[0]


def test_storylines_on_the_command_line(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    runner = CliRunner()
    done = runner.invoke(cli, ["ingest", "--db", db, "--offline", _stream(tmp_path)], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    listed = runner.invoke(cli, ["storylines", "--db", db, "--format", "json"], catch_exceptions=False)
    assert listed.exit_code == 0, listed.output
    (line,) = json.loads(listed.output)
    assert line["story_count"] == 2 and "Marrowby" in (line["title"] or "")
    shown = runner.invoke(cli, ["storyline", line["id"][:6], "--db", db, "--format", "json"], catch_exceptions=False)
    page = json.loads(shown.output)
    assert [s["updated"][:10] for s in page["stories"]] == ["2031-03-12", "2031-03-02"]
    assert page["key_points_from"] == page["stories"][0]["id"]
    numbers = {a["number"]: a["id"] for a in page["articles"]}
    cited = [c for part in ("latest_summary", "key_points", "timeline") for x in page[part] for c in x["citations"]]
    assert cited and all(numbers[c["source"]] == c["article"] for c in cited)
    markdown = runner.invoke(cli, ["storyline", line["id"], "--db", db], catch_exceptions=False).output
    assert markdown.startswith("# ") and "## Stories" in markdown and "2 stories, 4 articles" in markdown
    missing = runner.invoke(cli, ["storyline", "lzzz", "--db", db])
    assert missing.exit_code != 0 and "storyline" in missing.output


def test_storylines_in_the_json_api(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from newsdesk.serve.app import create_app

    db = str(tmp_path / "api.db")
    with open_store(db) as store:
        _ingest(store, _stream(tmp_path))
    with TestClient(create_app(db), raise_server_exceptions=False) as client:
        listed = client.get("/api/storylines")
        assert listed.status_code == 200
        body = listed.json()
        assert body["total"] == 1 and body["next"] is None
        (line,) = body["items"]
        page = client.get(f"/api/storylines/{line['id']}")
        assert page.status_code == 200 and page.json()["story_count"] == 2
        assert client.get("/api/storylines/lzzzz").status_code in (404, 422)


def _lines(store: Store) -> list[tuple[str, str | None, int, int, str | None]]:
    """Every storyline as it reads (not when it was made): id, title, stories, articles, top story."""
    found = store.list_storylines(min_stories=0)
    return sorted((x.id, x.title, x.story_count, x.article_count, x.top_story) for x in found)


def test_ingesting_the_same_file_again_keeps_every_id(tmp_path: Path) -> None:
    path = _stream(tmp_path)
    with open_store(str(tmp_path / "once.db")) as store:
        _ingest(store, path)
        once, once_lines = _homes(store), _lines(store)
    with open_store(str(tmp_path / "twice.db")) as store:
        _ingest(store, path)
        report = ingest([path], store, Settings(offline=True))
        assert report.ok and not report.new and len(report.unchanged) == len(once)
        assert (_homes(store), _lines(store)) == (once, once_lines)


def test_group_rebuild_on_the_command_line_rebuilds_stories_and_storylines(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    runner = CliRunner()
    done = runner.invoke(cli, ["ingest", "--db", db, "--offline", "-q", _stream(tmp_path)], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    with open_store(db) as store:
        online, online_lines = _homes(store), _lines(store)
    rebuilt = runner.invoke(cli, ["group", "--rebuild", "--db", db, "-q"], catch_exceptions=False)
    assert rebuilt.exit_code == 0 and rebuilt.stdout == "grouped 3 stories in 2 storylines\n"
    with open_store(db) as store:
        assert (_homes(store), _lines(store)) == (online, online_lines)


def _as_of_schema_6(old: pytest.MonkeyPatch) -> None:
    """Newsdesk as it was at schema 6: no storyline tables, and grouping makes stories only."""
    old.setattr(sqlite, "MIGRATIONS", sqlite.MIGRATIONS[:6])
    old.setattr(postgres, "MIGRATIONS", postgres.MIGRATIONS[:6])
    old.setattr(pipeline, "storylines_missing", lambda store: False)
    old.setattr(Storylines, "place", lambda self, *args, **kwargs: None)


@pytest.mark.parametrize("then", ["ingest", "rebuild"])
def test_a_store_from_schema_6_migrates_keeps_its_data_and_gets_storylines(
    store_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, then: str
) -> None:
    ordered = sorted(CRACKS + FINAL + INQUIRY, key=lambda a: a[2])
    with open_store(str(tmp_path / "fresh.db")) as fresh:  # what a newsdesk with storylines makes of the stream
        _ingest(fresh, _write(tmp_path / "stream.jsonl", ordered))
        expected, expected_lines = _homes(fresh), _lines(fresh)
    earlier = _write(tmp_path / "earlier.jsonl", ordered[:-1])
    with monkeypatch.context() as old:
        _as_of_schema_6(old)
        with open_store(store_url) as store:
            _ingest(store, earlier)
            assert store.schema_version() == 6
            articles = [a.id for a in store.list_articles()]
            stories = store.stories_of(articles)
            events = len(store.story_events(stories[articles[0]]))
    with open_store(store_url) as store:
        assert store.schema_version() == len(sqlite.MIGRATIONS) == len(postgres.MIGRATIONS) == 7
        assert [a.id for a in store.list_articles()] == articles  # kept, in arrival order
        assert store.stories_of(articles) == stories
        assert len(store.story_events(stories[articles[0]])) == events
        assert storylines_missing(store) and not store.storylines_of(stories.values())
        if then == "ingest":  # the next ingest builds the storylines before grouping its new articles
            report = ingest([_write(tmp_path / "later.jsonl", ordered[-1:])], store, Settings(offline=True))
            assert report.ok and len(report.new) == 1
            assert any("storylines" in message for _, message in report.notices)
        else:
            group_all(store)
            assert store.count_articles() == len(ordered) - 1
            _ingest(store, _write(tmp_path / "later.jsonl", ordered[-1:]))
        assert not storylines_missing(store)
        assert (_homes(store), _lines(store)) == (expected, expected_lines)


def test_a_rebuild_equals_the_online_grouping_on_a_real_stream(shared: Path, tmp_path: Path) -> None:
    """Two T17 topics interleaved by date, ingested in batches: ``group_all`` gives the same ids on both levels."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from stream import stream_records

    records = stream_records(shared, ["egypt", "haiti"], 40)
    path = tmp_path / "stream.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for _, r in records), encoding="utf-8")
    with open_store(str(tmp_path / "t17.db")) as store:
        report = ingest([str(path)], store, Settings(offline=True), batch_size=30)
        assert report.ok and len(report.new) > 70
        online, online_lines = _homes_by_id(store), _lines(store)
        assert len({line for _, line in online.values()}) < len({story for story, _ in online.values()}) < len(online)
        group_all(store)
        assert (_homes_by_id(store), _lines(store)) == (online, online_lines)


def _homes_by_id(store: Store) -> dict[str, tuple[str, str]]:
    """Each article's id: (its story, its storyline)."""
    ids = [a.id for a in store.list_articles()]
    stories = store.stories_of(ids)
    lines = store.storylines_of(stories.values())
    return {i: (stories[i], lines[stories[i]]) for i in ids}
