"""The relate stage: each relation kind, its direction, families, and independence of reports."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.errors import StoreError
from newsdesk.extract import extract_document
from newsdesk.pipeline import ingest
from newsdesk.records import Article, FamilyMember, RawDocument
from newsdesk.relate import Relater, independent_sources, relate_all
from newsdesk.relate.align import profile
from newsdesk.relate.classify import decide
from newsdesk.settings import Settings
from newsdesk.store import SQLiteStore, Store, open_store
from relate_texts import ORIGINAL, ferry_articles, report

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = ferry_articles()


def _relate(store: Store, articles: list[Article]) -> Relater:
    relater = Relater(store)
    for article in articles:
        with store.transaction():
            if store.add_article(article).new:
                relater.relate(article)
    return relater


def _kinds(store: Store) -> set[tuple[str, str, str]]:
    names = {a.id: a.location for a in store.list_articles()}
    return {(names[r.derived], r.kind, names[r.source]) for r in store.relations()}


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("duplicate", "duplicate"),
        ("repost", "copy"),
        ("excerpt", "excerpt"),
        ("summary", "summary"),
        ("rewrite", "rewrite"),
        ("digest", "digest"),
    ],
)
def test_each_kind_is_recognised_against_its_origin(store: Store, name: str, kind: str) -> None:
    derived = ARTICLES[name]
    _relate(store, [ARTICLES["original"], derived])
    assert _kinds(store) == {(derived.location, kind, "courier.html")}
    (relation,) = store.relations()
    assert relation.evidence, "a relation carries the aligned sentences as evidence"
    for pair in relation.evidence:
        assert 0 <= pair.derived_start < pair.derived_end <= len(derived.body)
        assert 0 <= pair.source_start < pair.source_end <= len(ORIGINAL)


def test_an_independent_report_of_the_same_event_stays_independent(store: Store) -> None:
    _relate(store, [ARTICLES["original"], ARTICLES["independent"]])
    assert store.relations() == []
    members = store.families([a.id for a in store.list_articles()])
    assert independent_sources(members.values()) == 2


def test_direction_follows_dates_whatever_the_arrival_order(store: Store) -> None:
    # The duplicate was published two hours after the original but arrives first.
    _relate(store, [ARTICLES["duplicate"], ARTICLES["original"]])
    (relation,) = store.relations()
    assert (relation.derived, relation.source, relation.direction) == (
        ARTICLES["duplicate"].id,
        ARTICLES["original"].id,
        "date",
    )


def test_direction_follows_wording_without_dates(store: Store) -> None:
    undated_original = replace(ARTICLES["original"], published=None)
    _relate(store, [ARTICLES["repost"], undated_original])
    (relation,) = store.relations()
    assert (relation.derived, relation.kind, relation.direction) == (ARTICLES["repost"].id, "copy", "wording")


def test_direction_falls_back_to_arrival() -> None:
    first = report(ORIGINAL, title="One", published=None, location="a.txt")
    second = report(ORIGINAL, title="Two", published=None, location="b.txt")
    decision = decide(profile(second), profile(first), a_arrived_first=False)
    assert decision is not None
    assert (decision.derived.article.location, decision.kind, decision.direction) == ("b.txt", "duplicate", "arrival")


def test_family_roles_and_independent_sources(store: Store) -> None:
    names = ["original", "repost", "summary", "rewrite", "independent", "digest"]
    _relate(store, [ARTICLES[n] for n in names])
    members = store.families([ARTICLES[n].id for n in names])
    roles = {n: (members[ARTICLES[n].id].role, members[ARTICLES[n].id].derived_from) for n in names}
    origin = ARTICLES["original"].id
    assert roles == {
        "original": ("origin", None),
        "repost": ("copy", origin),
        "summary": ("summary", origin),
        "rewrite": ("rewrite", origin),
        "independent": ("origin", None),
        "digest": ("digest", origin),
    }
    family = members[origin].family_id
    assert {members[ARTICLES[n].id].family_id for n in ["repost", "summary", "rewrite"]} == {family}
    assert members[ARTICLES["independent"].id].family_id != family
    assert independent_sources(members.values()) == 2


def test_an_earlier_original_arriving_later_becomes_the_origin(store: Store) -> None:
    # The blog repost arrives first and founds the family; the original arrives later.
    _relate(store, [ARTICLES["repost"], ARTICLES["summary"], ARTICLES["original"]])
    members = store.families([a.id for a in store.list_articles()])
    repost, original = members[ARTICLES["repost"].id], members[ARTICLES["original"].id]
    assert (original.role, original.derived_from) == ("origin", None)
    assert (repost.role, repost.derived_from) == ("copy", ARTICLES["original"].id)
    # The family keeps the id it was founded with.
    assert original.family_id == repost.family_id == ARTICLES["repost"].id


def test_families_meet_and_the_older_id_survives(store: Store) -> None:
    # Two excerpts of different parts of the original share nothing, so they found separate families;
    # the original, arriving later, connects them.
    paragraphs = ORIGINAL.split("\n\n")
    head = report("\n\n".join(paragraphs[:5]), title="Ferry crash, first part", published=None, location="head.txt")
    tail = report("\n\n".join(paragraphs[-5:]), title="Ferry crash, last part", published=None, location="tail.txt")
    _relate(store, [head, tail])
    before = store.families([head.id, tail.id])
    assert before[head.id].family_id == head.id
    assert before[tail.id].family_id == tail.id
    _relate(store, [ARTICLES["original"]])
    after = store.families([head.id, tail.id, ARTICLES["original"].id])
    assert {m.family_id for m in after.values()} == {head.id}
    assert (after[head.id].role, after[tail.id].role) == ("excerpt", "excerpt")
    assert after[ARTICLES["original"].id].role == "origin"


def test_the_index_version_is_checked(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "v.db") as store:
        _relate(store, [ARTICLES["original"]])
        store.set_meta("relate.index", "minhash-0")
        with pytest.raises(StoreError, match="run `newsdesk relate --rebuild`"):
            Relater(store).relate(ARTICLES["repost"])


def test_relate_all_rebuilds_the_same_relations(store: Store) -> None:
    _relate(store, list(ARTICLES.values()))
    before = _kinds(store)
    store.set_meta("relate.index", "minhash-0")
    relate_all(store)
    assert _kinds(store) == before
    assert store.get_meta("relate.index") != "minhash-0"


_DATED = ["original", "duplicate", "excerpt", "independent"]


@settings(max_examples=12, deadline=None)
@given(st.permutations([*_DATED, "repost", "summary", "rewrite"]))
def test_relating_is_deterministic_and_independent_of_order(order: list[str]) -> None:
    with open_store(":memory:") as reference, open_store(":memory:") as shuffled:
        _relate(reference, [ARTICLES[n] for n in [*_DATED, "repost", "summary", "rewrite"]])
        _relate(shuffled, [ARTICLES[n] for n in order])
        # Which pairs are related, and how, never depends on the order of arrival ...
        assert {(frozenset((d, s)), k) for d, k, s in _kinds(shuffled)} == {
            (frozenset((d, s)), k) for d, k, s in _kinds(reference)
        }
        # ... and where dates decide, neither does the direction.
        dated = {ARTICLES[n].location for n in _DATED}
        assert {t for t in _kinds(shuffled) if {t[0], t[2]} <= dated} == {
            t for t in _kinds(reference) if {t[0], t[2]} <= dated
        }


def test_seed_family(seeds: Path, tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "seeds.db") as store:
        ingest([str(seeds)], store, Settings(offline=True))
        by_prefix = {}
        for path in sorted(seeds.glob("*.txt")):
            article = extract_document(RawDocument(location=str(path), data=path.read_bytes()))
            by_prefix[path.name[:3]] = article.id
        members = store.families(by_prefix.values())
        repost = by_prefix["000"]
        assert (members[repost].role, members[repost].derived_from) == ("origin", None)
        assert (members[by_prefix["001"]].role, members[by_prefix["001"]].derived_from) == ("summary", repost)
        assert (members[by_prefix["002"]].role, members[by_prefix["002"]].derived_from) == ("rewrite", repost)
        assert members[by_prefix["003"]].role == "origin"
        assert members[by_prefix["003"]].family_id != members[repost].family_id
        assert members[by_prefix["004"]].role == "digest"
        assert independent_sources(members.values()) == 2


def test_sample_corpus_relations_match_what_its_authors_wrote(tmp_path: Path) -> None:
    truth = json.loads((ROOT / "examples" / "corpus.truth.json").read_text(encoding="utf-8"))
    with SQLiteStore(tmp_path / "corpus.db") as store:
        ingest([str(ROOT / "examples" / "corpus")], store, Settings(offline=True))
        by_file = {a.location.split("examples/corpus/")[-1]: a for a in store.list_articles()}
        members = store.families([a.id for a in by_file.values()])
        for item in truth["articles"]:
            member = members[by_file[item["file"]].id]
            assert member.role == item["role"], item["file"]
            if item["role"] not in ("origin", "digest"):
                assert member.derived_from == by_file[item["derived_from"]].id, item["file"]
        stories = {t["story"] for t in truth["articles"]}
        for story in stories:
            ids = [by_file[t["file"]].id for t in truth["articles"] if t["story"] == story]
            expected = len({t["file"] for t in truth["articles"] if t["story"] == story and t["role"] == "origin"})
            assert independent_sources(members[i] for i in ids) == expected, story


def test_the_sample_digest_draws_on_the_reports_it_cites(tmp_path: Path) -> None:
    cited = [
        "harbourgazette_valemont-dockworkers-to-strike-from-monday.html",
        "tidewaterpost-strike-shuts-port.txt",
        "meridian-valemont-strike-ships-stack-up.html.gz",
        "lbn-top-stories.rss#3",
    ]
    with SQLiteStore(tmp_path / "corpus.db") as store:
        ingest([str(ROOT / "examples" / "corpus")], store, Settings(offline=True))
        by_file = {a.location.split("examples/corpus/")[-1]: a.id for a in store.list_articles()}
        digest = by_file["story-page-valemont-port.txt"]
        sources = {r.source for r in store.relations(digest) if r.kind == "digest" and r.derived == digest}
        families = store.families([*sources, *(by_file[f] for f in cited)])
        drawn_families = {families[s].family_id for s in sources}
        found = [f for f in cited if families[by_file[f]].family_id in drawn_families]
        assert len(found) >= 3, found
        assert store.family_of(digest) == FamilyMember(digest, digest, "digest", by_file[cited[0]])
