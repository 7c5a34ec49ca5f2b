"""The group stage: stories online, merges, dormancy and wake-up, stable ids, determinism."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from newsdesk.cli import cli
from newsdesk.group import Grouper, GroupSettings, group_all, story_id_for, story_status
from newsdesk.group.centroid import Centroid, Scorer
from newsdesk.group.features import FAMILIES, NORMALISED, ArticleVector, article_features, feature_key, weighted
from newsdesk.group.frequencies import DocumentFrequencies
from newsdesk.pipeline import ingest
from newsdesk.records import Article
from newsdesk.relate import Relater
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
    assert runner.invoke(cli, ["group", "--rebuild", "--db", db]).stdout == "grouped 4 stories in 3 storylines\n"


def test_closeness_in_time_decides_what_content_alone_leaves_open(tmp_path: Path) -> None:
    """Two halves of one report, too far apart in content for the threshold alone: published the same day
    they share a story; a month apart, or with no date, they do not."""
    paragraphs = ORIGINAL.split("\n\n")
    halves = ("\n\n".join(paragraphs[:6]), "\n\n".join(paragraphs[6:]))

    def second_half(name: str, published: str | None, settings: GroupSettings) -> tuple[bool, float]:
        with SQLiteStore(tmp_path / f"{name}.db") as store:
            first = report(halves[0], title=None, published="2026-09-10", location="one")
            later = report(halves[1], title=None, published=published, location="two")
            a, b = _assign(store, Grouper(store, settings), first, later)
            assert b.how == ("similar" if b.story_id == a.story_id else "founded")
            return b.story_id == a.story_id, b.similarity

    joined, similarity = second_half("probe", "2026-09-10", GroupSettings(threshold=0.01, merge_threshold=0.99))
    assert joined and 0.05 < similarity < 0.9
    settings = GroupSettings(threshold=similarity + 0.03, merge_threshold=0.99, recency_bonus=0.08, recency_days=3)
    assert not second_half("content alone", "2026-09-10", replace(settings, recency_bonus=0.0))[0]
    # The whole bonus the same day; half of it three days on; a month on, a tiny part of it; none undated.
    outcomes = {
        label: second_half(label, published, settings)
        for label, published in (
            ("same day", "2026-09-10"),
            ("three days on", "2026-09-13"),
            ("a month on", "2026-10-10"),
            ("undated", None),
        )
    }
    assert {label: joined for label, (joined, _) in outcomes.items()} == {
        "same day": True,
        "three days on": True,
        "a month on": False,
        "undated": False,
    }
    for joined, reported in outcomes.values():
        if joined:  # the similarity reported is the content's own, without the bonus
            assert abs(reported - similarity) < 1e-9


def test_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="threshold"):
        GroupSettings(threshold=0.5, merge_threshold=0.4)
    assert replace(GroupSettings(), quiet_days=3).quiet_days == 3
    with pytest.raises(ValueError, match="recency"):
        GroupSettings(recency_days=0)


class _Undo(Exception):
    """Raised inside a transaction to roll it back."""


def _replay(
    store: Store,
    articles: list[Article],
    grouper_for: Callable[[int], Grouper],
    between: Callable[[int], None] = lambda number: None,
) -> None:
    """Store, relate and group ``articles`` in order, as ingest does, with the grouper chosen per article."""
    relater = Relater(store)
    for number, article in enumerate(articles):
        between(number)
        with store.transaction():
            store.add_article(article)
            relations = relater.relate(article).relations
            grouper_for(number).assign(article, relater.profile(article), relations)


def _decisions(store: Store) -> dict[str, tuple[str, str, float]]:
    """Each article's story, how it joined and the similarity that decided it."""
    return {
        m.article_id: (m.story_id, m.how, m.similarity) for s in store.list_stories() for m in store.story_members(s.id)
    }


def test_a_fresh_grouper_decides_as_a_running_one(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "reference.db") as reference:
        ingest([str(ROOT / "examples" / "corpus")], reference, Settings(offline=True))
        articles = reference.list_articles()
        expected = _decisions(reference)
    assert len({story for story, _, _ in expected.values()}) == 4 and len(expected) == len(articles)

    # A new Grouper for every article, with the frequency journal folded every other article.
    with SQLiteStore(tmp_path / "fresh.db") as store:
        _replay(store, articles, lambda number: Grouper(store, fold_every=2))
        assert _decisions(store) == expected

    # One Grouper that sees rolled-back ingests and, now and then, another writer on the same store.
    with SQLiteStore(tmp_path / "running.db") as store:
        running, other = Grouper(store, fold_every=3), Grouper(store, fold_every=3)
        stray = report(MUSEUM, title="Railway museum reopens", published="2026-10-30", location="stray")

        def roll_back_a_stray_article(number: int) -> None:
            with pytest.raises(_Undo), store.transaction():
                store.add_article(stray)
                running.assign(stray, profile(stray))
                raise _Undo

        _replay(store, articles, lambda number: other if number % 4 == 3 else running, roll_back_a_stray_article)
        assert _decisions(store) == expected
        assert store.count_articles() == len(articles)


def test_document_frequencies_survive_folds_rollbacks_and_other_writers(store: Store) -> None:
    keysets = [[1, 2, 3], [2, 3, 4], [3, 4, 5, 6], [1, 6], [7], [2, 7, 8], [1, 2, 3, 4, 5, 6, 7, 8], [9]]
    # Ours folds the journal with every article (rolled-back ones too); theirs about one article in three.
    ours, theirs = DocumentFrequencies(store, fold_every=1), DocumentFrequencies(store, fold_every=3)
    expected: Counter[int] = Counter()
    for number, keys in enumerate(keysets, start=1):
        with pytest.raises(_Undo), store.transaction():  # counted, folded, then rolled back
            ours.count(f"undone{number}", [99, *keys])
            raise _Undo
        counter = theirs if number % 3 == 0 else ours
        with store.transaction():
            counted = counter.count(f"article{number}", keys)
        expected.update(keys)
        assert counted == {key: expected[key] for key in keys}, number
    journal = Counter(key for _, _, packed in store.feature_journal() for key in np.frombuffer(packed, "<i8").tolist())
    folded = store.feature_counts(range(1, 100))
    assert {key: folded.get(key, 0) + journal[key] for key in range(1, 10)} == {k: expected[k] for k in range(1, 10)}
    assert 0 < sum(journal.values()) < sum(expected.values()) and 99 not in folded
    with store.transaction():
        fresh = DocumentFrequencies(store).count("last", [1, 9, 99])
    assert fresh == {1: expected[1] + 1, 9: 2, 99: 1}


def _vector(entries: dict[str, dict[str, float]]) -> ArticleVector:
    rows = sorted(
        (feature_key(f, name), value, FAMILIES.index(f)) for f, vec in entries.items() for name, value in vec.items()
    )
    return ArticleVector(
        np.array([r[0] for r in rows], np.int64),
        np.array([r[1] for r in rows]),
        np.array([r[2] for r in rows], np.uint8),
    )


def _cosines(article: dict[str, dict[str, float]], story: dict[str, dict[str, float]]) -> float:
    """The similarity as defined: the weighted sum over families of plain cosines."""
    score = 0.0
    for family, vector in story.items():
        norm = sum(v * v for v in vector.values()) ** 0.5
        mine = article.get(family, {})
        mine_norm = sum(v * v for v in mine.values()) ** 0.5
        if norm and mine_norm:
            score += NORMALISED[family] * sum(v * vector.get(k, 0.0) for k, v in mine.items()) / norm / mine_norm
    return score


def test_centroids_score_as_cosines_whatever_else_is_scored_beside_them() -> None:
    article = {"names": {"lotta vinge": 0.8, "eastbrook": 0.6}, "lead": {"museum": 1.0}}
    stories = [
        {"names": {"eastbrook": 2.0, "heron": 1.0}, "lead": {"museum": 1.5, "reopen": 0.5}},
        {"terms": {"ferry": 3.0}, "names": {"orsund": 1.0}},
        {"names": {"lotta vinge": 1.0}, "when": {"y2026": 1.0}},
    ]
    centroids = [Centroid.empty().plus(_vector(story), 200) for story in stories]
    scorer = Scorer()
    together = scorer.lexical(_vector(article), centroids)
    assert together.tolist() == pytest.approx([_cosines(article, story) for story in stories])
    assert together[1] == 0.0 and together[0] > together[2] > 0
    alone = [scorer.lexical(_vector(article), [centroid])[0] for centroid in reversed(centroids)]
    assert alone[::-1] == together.tolist()  # exactly: a story's score never depends on its neighbours


def test_centroids_keep_the_strongest_features_and_read_back_exactly() -> None:
    first = _vector({"terms": {"a": 0.5, "b": 0.4, "c": 0.3}, "names": {"x": 1.0}})
    second = _vector({"terms": {"c": 0.3, "d": 0.1}, "names": {"y": 1.0}})
    centroid = Centroid.empty().plus(first, 3).plus(second, 2, embedding=np.ones(4, np.float32))
    kept = dict(zip(centroid.keys.tolist(), centroid.values.tolist(), strict=True))
    assert kept == {feature_key("terms", "a"): 0.5, feature_key("terms", "c"): 0.6,
                    feature_key("names", "x"): 1.0, feature_key("names", "y"): 1.0}  # fmt: skip
    again = Centroid.from_bytes(centroid.to_bytes())
    for name in ("keys", "values", "families", "norms", "embedding"):
        assert np.array_equal(getattr(again, name), getattr(centroid, name)), name


def test_a_centroid_stored_as_json_by_an_earlier_version_still_reads() -> None:
    legacy = json.dumps({"names": {"lotta vinge": 2.0}, "lead": {"museum": 1.5, "reopen": 2.0}}).encode()
    centroid = Centroid.from_bytes(legacy)
    assert dict(zip(centroid.keys.tolist(), centroid.values.tolist(), strict=True)) == {
        feature_key("names", "lotta vinge"): 2.0, feature_key("lead", "museum"): 1.5,
        feature_key("lead", "reopen"): 2.0,
    }  # fmt: skip
    assert centroid.norms[FAMILIES.index("lead")] == pytest.approx(2.5)
    with pytest.raises(ValueError, match="group --rebuild"):
        Centroid.from_bytes(b"XXXX" + bytes(60))


def test_a_store_grouped_by_the_previous_version_is_upgraded_and_keeps_its_stories(tmp_path: Path) -> None:
    path = tmp_path / "earlier.db"
    first = report(ORIGINAL, title="Ferries collide on Lake Orsund", published="2026-09-10", location="a")
    second = report(INDEPENDENT, title="Fog blamed as ferries collide", published="2026-09-10", location="b")
    with SQLiteStore(path) as store:
        (founded,) = _assign(store, Grouper(store), first)
    from newsdesk.store.sqlite import MIGRATIONS as SQLITE_MIGRATIONS

    # Make it what schema version 3 left: a JSON centroid, postings without times, every frequency counted.
    features = article_features(profile(first))
    counts, keys = features.counts, features.keyed[0]
    legacy = {family: {feature: 1.0 for feature in counts[family]} for family in FAMILIES}
    db = sqlite3.connect(path)
    db.execute("UPDATE stories SET state = ?", (json.dumps(legacy).encode(),))
    db.executemany("INSERT INTO feature_counts (key, df) VALUES (?, 1)", [(key,) for key in keys])
    db.executescript(
        """
        ALTER TABLE story_postings RENAME TO postings_now;
        CREATE TABLE story_postings (key INTEGER NOT NULL, story_id TEXT NOT NULL, PRIMARY KEY (key, story_id))
            WITHOUT ROWID;
        CREATE INDEX story_postings_story ON story_postings (story_id);
        INSERT INTO story_postings SELECT key, story_id FROM postings_now;
        DROP TABLE postings_now;
        ALTER TABLE stories DROP COLUMN state_tag;
        DROP TABLE feature_journal;
        ALTER TABLE articles DROP COLUMN source_from;
        ALTER TABLE articles DROP COLUMN title_derived;
        DROP TABLE sentence_repeats;
        DROP TABLE storylines;
        DROP TABLE storyline_stories;
        DROP TABLE storyline_postings;
        DROP TABLE feed_entries;
        DROP TABLE feeds;
        DROP TABLE leases;
        PRAGMA user_version = 3;
        """
    )
    db.close()
    with SQLiteStore(path) as store:
        assert store.schema_version() == len(SQLITE_MIGRATIONS)
        (joined,) = _assign(store, Grouper(store), second)
        assert (joined.how, joined.story_id) == ("similar", founded.story_id)
        assert store.story_states([founded.story_id])[founded.story_id][1].startswith(b"NDC1")  # written anew
        assert store.feature_counts(keys) == dict.fromkeys(keys, 1)  # the second is still in the journal


def test_postings_are_read_latest_first_and_merges_keep_the_later_one(store: Store) -> None:
    with store.transaction():
        store.add_story_postings("skeep", [1, 2, 3], 10)
        store.add_story_postings("sgone", [3, 4], 20)
        store.add_story_postings("sgone", [2], 5)
        store.add_story_postings("sother", [3], 15)
        assert store.find_stories([3], posting_cap=2, limit=5) == [("sgone", 1), ("sother", 1)]
        store.move_story_members("sgone", "skeep")
    assert store.find_stories([1, 2, 3, 4], posting_cap=10, limit=5) == [("skeep", 4), ("sother", 1)]
    assert store.find_stories([3], posting_cap=1, limit=5) == [("skeep", 1)]  # key 3 kept gone's posting at 20
    with store.transaction():
        store.add_story_postings("sother", [3], 30, refresh_after=100)  # posted at 15: recent enough, stays
        assert store.find_stories([3], posting_cap=1, limit=5) == [("skeep", 1)]
        store.add_story_postings("sother", [3], 200, refresh_after=100)  # now old: moves up
        assert store.find_stories([3], posting_cap=1, limit=5) == [("sother", 1)]
    assert store.find_stories([3], posting_cap=5, limit=5) == [("skeep", 1), ("sother", 1)]  # one posting each


FLOOD_FIRST = """Floodwater closed the Marrow Bridge in Kessington on Tuesday after the river Tavel rose overnight.

Engineers from the Kessington council said the bridge would stay shut while divers checked its piers.

Shops along Quay Street were sandbagged and the ferry to Olmhurst was suspended until the river falls."""

FLOOD_SECOND = """Divers from Norrvik Salvage, hired by mayor Edda Quist, inspected the Marrow Bridge piers on Wednesday.

Councillor Petra Anselm told the Tavel Valley Courier that Greyhaven Insurance and the Ostmark Rail trust would share repairs.

Harbourmaster Ide Lorrens, speaking beside Bertil Vann of the Lantern Cafe, said Olmhurst ferries would run by Sunday.

Kessington council expects the bridge to reopen once the river Tavel falls."""


def test_a_second_report_finds_the_first_on_a_new_store(store: Store) -> None:
    # On a new store the second report's strongest features were the names only it has (Petra Anselm, the
    # Courier, Ide Lorrens...), which found no candidate, and what it shared with the first weighed least.
    grouper = Grouper(store)
    first = report(FLOOD_FIRST, title="Flood shuts Marrow Bridge", published="2026-03-03", location="first")
    second = report(FLOOD_SECOND, title="Marrow Bridge to reopen", published="2026-03-04", location="second")
    a, b = _assign(store, grouper, first, second)
    assert (b.how, b.story_id) == ("similar", a.story_id), b


def test_idf_on_a_nearly_empty_store_does_not_count_sharing_against_two_articles() -> None:
    # Two articles in the store: a feature both have weighs nearly what a feature only one has does.
    features = article_features(profile(report(FLOOD_SECOND, title=None, published="2026-03-04", location="x")))
    keys = features.keyed[0]
    shared, alone = keys[0], keys[1]
    vector = weighted(features, {shared: 2, alone: 1} | {k: 1 for k in keys[2:]}, 2)
    values = dict(zip(vector.keys.tolist(), vector.values.tolist(), strict=True))
    assert values[shared] / values[alone] > 0.9


def test_candidates_are_looked_up_under_features_an_earlier_article_had(store: Store) -> None:
    grouper = Grouper(store)
    first = report(FLOOD_FIRST, title="Flood shuts Marrow Bridge", published="2026-03-03", location="first")
    second = report(FLOOD_SECOND, title="Marrow Bridge to reopen", published="2026-03-04", location="second")
    sought: list[list[int]] = []
    find = store.find_stories

    def recording(keys, **caps):  # type: ignore[no-untyped-def]
        sought.append(list(keys))
        return find(keys, **caps)

    store.find_stories = recording  # type: ignore[method-assign]
    _assign(store, grouper, first, second)
    earlier = set(article_features(profile(first)).keyed[0])
    assert sought[0] == []  # nothing stored before the first: nothing to look up
    assert sought[1] and set(sought[1]) <= earlier
