"""Storylines: the stories of one developing subject linked over time, online, with stable ids."""

from __future__ import annotations

import json
import re
import sys
import xml.etree.ElementTree as ET
from html import unescape
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

ATOM = "http://www.w3.org/2005/Atom"

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


# -- storylines on the site: the web app's pages and feeds, the static build, the story list ------------------

# A third story of the dam's subject, of one article: the story list folds it under the storyline.
SCHOOLS = [
    (
        "Tarrow schools reopen after the evacuation",
        "Tarrow Post",
        "2031-03-25",
        "Schools in Tarrow reopened on Tuesday after three weeks as shelters. Teachers said pupils from Lower Keld "
        "will stay in Tarrow classes until the summer. The town council thanked volunteers.",
    ),
]


@pytest.fixture(scope="module")
def site_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, tuple[str, str]]]:
    """A store of the dam's storyline (three stories, one of a single article) and a cup final apart."""
    folder = tmp_path_factory.mktemp("storyline-site")
    db = str(folder / "site.db")
    path = _write(folder / "stream.jsonl", sorted(CRACKS + FINAL + INQUIRY + SCHOOLS, key=lambda a: a[2]))
    with open_store(db) as store:
        _ingest(store, path)
        homes = _homes(store)
    lines = {homes[t][1] for t, *_ in CRACKS + INQUIRY + SCHOOLS}
    assert len(lines) == 1, "the schools story must be of the dam's storyline"
    assert len({homes[t][0] for t, *_ in CRACKS + INQUIRY + SCHOOLS}) == 3
    return db, homes


def _hrefs(html: str, within: str | None = None) -> list[str]:
    """The links of ``html`` (of its first element with class ``within`` up to that element's end tag)."""
    if within is not None:
        match = re.search(rf'<(\w+) class="{within}"[^>]*>(.*?)</\1>', html, re.S)
        assert match, f"no element of class {within}"
        html = match.group(2)
    return [unescape(h) for h in re.findall(r'href="([^"]*)"', html)]


def test_storyline_pages_and_feed_in_the_web_app(site_db: tuple[str, dict[str, tuple[str, str]]]) -> None:
    from fastapi.testclient import TestClient

    from newsdesk.serve.app import create_app

    db, homes = site_db
    crack_story, line_id = homes[CRACKS[0][0]]
    inquiry_story, schools_story = homes[INQUIRY[0][0]][0], homes[SCHOOLS[0][0]][0]
    final_story, final_line = homes[FINAL[0][0]]
    with TestClient(create_app(db, warm_stories=0), raise_server_exceptions=False) as client:
        listed = client.get("/storylines")
        assert listed.status_code == 200 and "content-security-policy" in listed.headers
        assert f"/storylines/{line_id}" in _hrefs(listed.text)
        assert f"/storylines/{final_line}" not in _hrefs(listed.text)  # a storyline of one story is not listed
        assert "3 stories" in listed.text and "Tarrow Post" in listed.text  # its count and outlets

        page = client.get(f"/storylines/{line_id}")
        assert page.status_code == 200
        stories = [h for h in _hrefs(page.text, "line-stories") if h.startswith("/stories/")]
        assert stories == [f"/stories/{schools_story}", f"/stories/{inquiry_story}", f"/stories/{crack_story}"]
        assert 'id="timeline"' in page.text and 'id="sources"' in page.text
        assert any(h.startswith("/articles/") for h in _hrefs(page.text))
        assert client.get(f"/storylines/{line_id[:6]}").status_code == 200  # a prefix will do
        assert client.get("/storylines/lzzzz").status_code == 404

        feed = client.get(f"/storylines/{line_id}/feed.atom")
        assert feed.status_code == 200 and feed.headers["content-type"].startswith("application/atom+xml")
        root = ET.fromstring(feed.content)
        entries = root.findall(f"{{{ATOM}}}entry")
        assert [e.findtext(f"{{{ATOM}}}id") for e in entries] == [
            f"urn:newsdesk:story:{s}" for s in (schools_story, inquiry_story, crack_story)
        ]
        link = entries[0].find(f"{{{ATOM}}}link")
        assert link is not None and link.get("href", "").endswith(f"/stories/{schools_story}")

        story = client.get(f"/stories/{crack_story}").text
        assert _hrefs(story, "storyline-of") == [
            f"/storylines/{line_id}",
            f"/stories/{schools_story}",
            f"/stories/{inquiry_story}",
        ]  # its storyline, then its sibling stories newest first, not itself
        assert 'class="storyline-of"' not in client.get(f"/stories/{final_story}").text
        data = client.get(f"/api/stories/{crack_story}").json()["storyline"]  # the story JSON names it too
        assert data["id"] == line_id and [s["id"] for s in data["siblings"]] == [schools_story, inquiry_story]
        assert client.get(f"/api/stories/{final_story}").json()["storyline"] is None


def test_the_story_list_gathers_a_storyline_and_folds_its_one_article_stories(
    site_db: tuple[str, dict[str, tuple[str, str]]],
) -> None:
    from fastapi.testclient import TestClient

    from newsdesk.serve.app import create_app

    db, homes = site_db
    crack_story, line_id = homes[CRACKS[0][0]]
    inquiry_story, schools_story = homes[INQUIRY[0][0]][0], homes[SCHOOLS[0][0]][0]
    final_story = homes[FINAL[0][0]][0]
    with TestClient(create_app(db, warm_stories=0), raise_server_exceptions=False) as client:
        home = client.get("/").text
        entries = re.findall(r'<li class="(storyline-entry|story-item)">\s*(?:<p class="kicker">\w+</p>\s*)?<h(\d)>'
                             r'<a href="([^"]+)"', home)  # fmt: skip
        assert entries == [
            ("storyline-entry", "2", f"/storylines/{line_id}"),  # updated last (the schools story)
            ("story-item", "3", f"/stories/{inquiry_story}"),
            ("story-item", "3", f"/stories/{crack_story}"),
            ("story-item", "2", f"/stories/{final_story}"),
        ]
        assert _hrefs(home, "folded") == [f"/stories/{schools_story}", f"/storylines/{line_id}"]
        assert "and 1 more story" in home
        assert "4 stories." in home  # the count still counts stories
        filtered = client.get("/", params={"outlet": "Sports Desk"}).text  # filters still work
        assert f"/stories/{final_story}" in _hrefs(filtered) and f"/storylines/{line_id}" not in _hrefs(filtered)
        assert "1 story match" in filtered


def test_the_static_site_has_the_storyline_pages_and_feed(
    site_db: tuple[str, dict[str, tuple[str, str]]], tmp_path: Path
) -> None:
    from newsdesk.publish.site import build_site

    db, homes = site_db
    crack_story, line_id = homes[CRACKS[0][0]]
    out = tmp_path / "site"
    with open_store(db, readonly=True) as store:
        build_site(store, out)
    listed = (out / "storylines.html").read_text(encoding="utf-8")
    assert f"storylines/{line_id}.html" in _hrefs(listed)
    page = out / "storylines" / f"{line_id}.html"
    for target in _hrefs(page.read_text(encoding="utf-8")):
        path = target.split("#")[0]
        if path and not path.startswith(("http", "data:")):
            assert (page.parent / path).resolve().exists(), target
    entries = ET.parse(out / "storylines" / f"{line_id}.atom").getroot().findall(f"{{{ATOM}}}entry")
    assert len(entries) == 3
    story = (out / "stories" / f"{crack_story}.html").read_text(encoding="utf-8")
    assert _hrefs(story, "storyline-of")[0] == f"../storylines/{line_id}.html"
    assert f"storylines/{line_id}.html" in _hrefs((out / "index.html").read_text(encoding="utf-8"))
    shown = CliRunner().invoke(cli, ["storyline", line_id, "--db", db, "--format", "html"], catch_exceptions=False)
    assert shown.exit_code == 0 and shown.output.startswith("<!doctype html>")
    assert f'href="../stories/{crack_story}.html"' in shown.output and "<style>" in shown.output
    markdown = CliRunner().invoke(cli, ["story", crack_story, "--db", db], catch_exceptions=False).output
    named = next(line for line in markdown.splitlines() if line.startswith("Part of the storyline"))
    assert f"(`{line_id}`, 3 stories)" in named and crack_story not in named
    assert all(homes[t][0] in named for t in (INQUIRY[0][0], SCHOOLS[0][0]))
    final = CliRunner().invoke(cli, ["story", homes[FINAL[0][0]][0], "--db", db], catch_exceptions=False).output
    assert "Part of the storyline" not in final


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
        assert store.schema_version() == len(sqlite.MIGRATIONS) == len(postgres.MIGRATIONS) == 8
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
