"""The group stage: stories online, merges, dormancy and wake-up, stable ids, determinism."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsdesk.cli import cli
from newsdesk.group import Grouper, GroupSettings, group_all, story_id_for, story_status
from newsdesk.pipeline import ingest
from newsdesk.relate.align import profile
from newsdesk.settings import Settings
from newsdesk.store import SQLiteStore, Store
from newsdesk.write import write_story
from relate_texts import INDEPENDENT, ORIGINAL, REWRITE, report

ROOT = Path(__file__).resolve().parent.parent
MUSEUM = """The Eastbrook railway museum reopened on Saturday after a two-year renovation funded by local donors.

Visitors queued for an hour to see the restored steam locomotive Heron, built in 1911 for the coastal line.

The museum's director, Lotta Vinge, said 3,000 people had booked tickets for the first week."""


def _assign(store: Store, grouper: Grouper, *articles):  # type: ignore[no-untyped-def]
    results = []
    for article in articles:
        with store.transaction():
            store.add_article(article)
            results.append(grouper.assign(article, profile(article)))
    return results


def test_similar_reports_share_a_story_and_other_news_does_not(store: Store) -> None:
    grouper = Grouper(store)
    first = report(ORIGINAL, title="Ferries collide on Lake Orsund", published="2026-09-10", location="a")
    second = report(INDEPENDENT, title="Fog blamed as ferries collide", published="2026-09-10", location="b")
    other = report(MUSEUM, title="Railway museum reopens", published="2026-09-11", location="c")
    a, b, c = _assign(store, grouper, first, second, other)
    assert (a.how, a.story_id) == ("founded", story_id_for(first.id))
    assert (b.how, b.story_id) == ("similar", a.story_id)
    assert c.how == "founded" and c.story_id != a.story_id
    story = store.get_story(a.story_id)
    assert (story.article_count, story.title, story.first_published) == (
        2,
        "Fog blamed as ferries collide",
        "2026-09-10",
    )
    assert [e.kind for e in store.story_events(a.story_id)] == ["created", "joined"]


def test_converging_stories_merge_and_the_older_id_survives(store: Store) -> None:
    # A high join threshold keeps two halves of one report apart; the whole report, close to both, merges them.
    grouper = Grouper(store, GroupSettings(threshold=0.45, merge_threshold=0.5))
    paragraphs = ORIGINAL.split("\n\n")
    head = report("\n\n".join(paragraphs[:6]), title=None, published="2026-09-10", location="head")
    tail = report("\n\n".join(paragraphs[6:]), title=None, published="2026-09-10", location="tail")
    whole = report(ORIGINAL, title="Ferries collide on Lake Orsund", published="2026-09-10", location="whole")
    a, b, c = _assign(store, grouper, head, tail, whole)
    assert a.story_id != b.story_id
    assert c.merged == (b.story_id,) and c.story_id == a.story_id
    assert store.stories_of([head.id, tail.id, whole.id]) == dict.fromkeys([head.id, tail.id, whole.id], a.story_id)
    gone = store.story_states([b.story_id])[b.story_id][0]
    assert (gone.merged_into, gone.status) == (a.story_id, "merged")
    assert store.get_story(b.story_id).id == a.story_id  # an old link still leads to the story
    assert store.count_stories() == 1
    assert "merged" in [e.kind for e in store.story_events(a.story_id)]
    assert store.get_story(a.story_id).article_count == 3


def test_a_dormant_story_wakes_when_a_matching_article_comes(store: Store) -> None:
    grouper = Grouper(store, GroupSettings(quiet_days=14))
    first = report(ORIGINAL, title="Ferries collide on Lake Orsund", published="2026-09-10", location="a")
    museum = report(MUSEUM, title="Railway museum reopens", published="2026-11-01", location="b")
    follow = report(REWRITE, title="Fog ferry crash revisited", published="2026-11-02", location="c")
    a, _, c = _assign(store, grouper, first, museum, follow)
    ferry = store.get_story(a.story_id)
    assert c.story_id == a.story_id and c.woke
    assert [e.kind for e in store.story_events(a.story_id)] == ["created", "woke", "joined"]
    assert story_status(store.get_story(a.story_id), "2026-11-30") == "dormant"
    assert story_status(ferry, "2026-09-12") == "live"


def test_same_order_same_stories_and_stable_ids(tmp_path: Path) -> None:
    results = []
    for name in ("one", "two"):
        with SQLiteStore(tmp_path / f"{name}.db") as store:
            ingest([str(ROOT / "examples" / "corpus")], store, Settings(offline=True))
            results.append({a.id: s for a, s in ((a, store.stories_of([a.id])[a.id]) for a in store.list_articles())})
            ingest([str(ROOT / "examples" / "corpus")], store, Settings(offline=True))  # re-ingest changes nothing
            assert store.stories_of(results[-1]) == results[-1]
            group_all(store)  # regrouping from scratch gives the same ids
            assert store.stories_of(results[-1]) == results[-1]
    assert results[0] == results[1]


def test_seeds_form_one_story(seeds: Path, tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "seeds.db") as store:
        ingest([str(seeds)], store, Settings(offline=True))
        (story,) = store.list_stories()
        page = write_story(store, story.id)
        assert (page.article_count, page.independent_source_count) == (5, 2)


def test_sample_corpus_forms_the_stories_it_was_written_to_have(tmp_path: Path) -> None:
    truth = json.loads((ROOT / "examples" / "corpus.truth.json").read_text(encoding="utf-8"))
    with SQLiteStore(tmp_path / "corpus.db") as store:
        ingest([str(ROOT / "examples" / "corpus")], store, Settings(offline=True))
        by_file = {a.location.split("examples/corpus/")[-1]: a.id for a in store.list_articles()}
        home = store.stories_of(by_file.values())
        predicted = {frozenset(f for f in by_file if home[by_file[f]] == s) for s in set(home.values())}
        written = {frozenset(t["file"] for t in truth["articles"] if t["story"] == s) for s in truth["stories"]}
        assert predicted == written


def test_stories_on_the_command_line(tmp_path: Path) -> None:
    runner = CliRunner()
    db = str(tmp_path / "cli.db")
    result = runner.invoke(cli, ["ingest", str(ROOT / "examples" / "corpus"), "--db", db, "--offline"])
    assert "stories: 4 new, 14 articles joined existing stories" in result.stdout
    listed = json.loads(runner.invoke(cli, ["stories", "--db", db, "--format", "json"]).stdout)
    assert [s["article_count"] for s in listed] == [6, 3, 1, 8]
    assert set(listed[0]) == {"id", "title", "updated", "status", "article_count", "independent_source_count"}
    page = json.loads(runner.invoke(cli, ["story", listed[-1]["id"][:6], "--db", db, "--format", "json"]).stdout)
    assert page["independent_source_count"] == 5
    assert {a["role"] for a in page["articles"]} == {"origin", "copy", "rewrite", "digest"}
    assert all(
        {"id", "title", "source", "url", "published", "family", "role", "derived_from"} <= set(a)
        for a in page["articles"]
    )
    markdown = runner.invoke(cli, ["story", listed[-1]["id"], "--db", db]).stdout
    assert markdown.startswith(f"# {page['title']}\n\nUpdated {page['updated']} (8 articles, 5 independent sources)\n")
    assert runner.invoke(cli, ["story", "s000000", "--db", db]).exit_code == 1
    assert runner.invoke(cli, ["group", "--rebuild", "--db", db]).stdout == "grouped 4 stories\n"


def test_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="threshold"):
        GroupSettings(threshold=0.5, merge_threshold=0.4)
    assert replace(GroupSettings(), quiet_days=3).quiet_days == 3
