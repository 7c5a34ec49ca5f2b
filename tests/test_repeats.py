"""Furniture learned from the store: a sentence repeated in unrelated articles of several stories is never shown."""

from __future__ import annotations

import json
from pathlib import Path

from newsdesk.pipeline import ingest
from newsdesk.records import StoryPage
from newsdesk.relate import key_stored_sentences
from newsdesk.relate.repeats import ACROSS_STORIES, REPEATED_IN, SPAN_DAYS, learned_furniture, repeat_key
from newsdesk.settings import Settings
from newsdesk.store import Store, open_store
from newsdesk.write import write_story

FOOTER = "Send your photos and videos of the scene to the Gazette newsroom today."
FOLLOW = "Follow our reporters on the social networks for the latest updates from the region."
# One story's news, said word for word by three outlets: news, not furniture.
QUOTED = "The harbour master said the ferry would not sail again before the inquiry reports."

FERRY = [
    (
        "Ferry runs aground off Keld Point",
        "Northern Herald",
        "2031-04-02",
        "A passenger ferry ran aground off Keld Point on Tuesday with 140 people aboard. Coastguard boats "
        "took every passenger ashore at Marrowby within four hours. " + QUOTED + " " + FOOTER,
    ),
    (
        "Keld Point ferry grounding: passengers safe",
        "Coastline Daily",
        "2031-04-02",
        "All 140 people on the ferry that hit rocks near Keld Point were brought safely to Marrowby, the "
        "coastguard said. Divers are checking the hull for damage. " + QUOTED + " " + FOLLOW,
    ),
    (
        "Inquiry opens into Keld Point ferry accident",
        "Marrowby Post",
        "2031-04-03",
        "An inquiry into why the Keld Point ferry ran onto the rocks opened in Marrowby on Wednesday. "
        "The operator has withdrawn its two other vessels for checks. " + QUOTED + " " + FOOTER + " " + FOLLOW,
    ),
]
VOTE = [
    (
        "Tessaly council votes to close Varn Street library",
        "Tessaly Courier",
        "2031-04-05",
        "Tessaly council voted by nine to four on Friday to close the Varn Street library in June. Readers "
        "gathered outside the chamber with placards before the vote. " + FOOTER,
    ),
    (
        "Varn Street library to shut after council vote",
        "Valley Voice",
        "2031-04-05",
        "The Varn Street library will close in June after Tessaly councillors approved the plan on Friday. "
        "The council says the building needs repairs it cannot fund. " + FOLLOW,
    ),
    (
        "Campaigners vow to save Varn Street library",
        "Northern Herald",
        "2031-04-06",
        "Campaigners said on Saturday they would challenge the decision to close the Varn Street library in "
        "Tessaly. A petition has gathered four thousand names. " + FOOTER + " " + FOLLOW,
    ),
]


def _write(path: Path, articles: list[tuple[str, str, str, str]]) -> str:
    records = [{"title": t, "source": s, "published": p, "text": x} for t, s, p, x in articles]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return str(path)


def _ingest(store: Store, path: str) -> None:
    report = ingest([path], store, Settings(offline=True))
    assert report.ok, report.failures


def _shown(page: StoryPage) -> list[str]:
    shown = [page.title or ""] + [s.text for s in page.summary_sentences]
    shown += [p.headline for p in page.key_points] + [p.text for p in page.key_points]
    return shown + [e.text for e in page.timeline]


def _repeated(store: Store, *sentences: str) -> set[str]:
    keys = {repeat_key(s): s for s in sentences}
    found = store.repeated_keys([k for k in keys if k is not None], families=REPEATED_IN, stories=ACROSS_STORIES)
    return {keys[k] for k in found}


def test_a_line_repeated_across_stories_is_learned_as_furniture_and_never_shown(store: Store, tmp_path: Path) -> None:
    _ingest(store, _write(tmp_path / "ferry.jsonl", FERRY))
    # Three families say the footer, but all in one story: not yet known to be furniture.
    assert len(set(store.stories_of([a.id for a in store.list_articles()]).values())) == 1
    assert _repeated(store, FOOTER, QUOTED) == set()
    _ingest(store, _write(tmp_path / "vote.jsonl", VOTE))
    stories = {s.id for s in store.list_stories()}
    assert len(stories) >= 2
    # Now the footer and the follow line recur in unrelated articles of two stories; the quote stays in one.
    assert _repeated(store, FOOTER, FOLLOW, QUOTED) == {FOOTER, FOLLOW}
    shown_anywhere = []
    for story_id in stories:
        page = write_story(store, story_id)
        shown = _shown(page)
        shown_anywhere += shown
        assert not any("Gazette newsroom" in s or "social networks" in s for s in shown), shown
    assert any("ferry would not sail again" in s for s in shown_anywhere)


def test_a_line_repeated_in_one_story_over_weeks_is_furniture(store: Store, tmp_path: Path) -> None:
    """One long story can gather a footer from unrelated articles weeks apart: the span shows it is not news."""
    dates = ("2031-04-02", "2031-04-08", "2031-04-14")  # one story, each a few days after the last
    spread = [(t, s, d, x) for (t, s, _, x), d in zip(FERRY, dates, strict=True)]
    _ingest(store, _write(tmp_path / "ferry.jsonl", spread))
    ids = [a.id for a in store.list_articles()]
    assert len(set(store.stories_of(ids).values())) == 1
    assert _repeated(store, FOOTER, FOLLOW, QUOTED) == set()  # one story, counted by stories alone
    keys = {repeat_key(s): s for s in (FOOTER, FOLLOW, QUOTED)}
    learned = {keys[k] for k in learned_furniture(store)([k for k in keys if k is not None])}
    # Said alike in three families twelve days apart, the harbour master's line is now standing text; the
    # footer and the follow line are in two families each, which is not enough.
    assert learned == {QUOTED}
    assert SPAN_DAYS <= 12
    page = write_story(store, next(iter(store.stories_of(ids).values())))
    assert not any("would not sail again" in s for s in _shown(page)), _shown(page)


def test_one_story_said_alike_within_days_is_news(store: Store, tmp_path: Path) -> None:
    _ingest(store, _write(tmp_path / "ferry.jsonl", FERRY))
    keys = {repeat_key(s): s for s in (FOOTER, QUOTED)}
    assert learned_furniture(store)([k for k in keys if k is not None]) == set()


def test_copies_of_one_report_count_once(store: Store, tmp_path: Path) -> None:
    """Wire copies share every sentence; as one family they do not make their sentences furniture."""
    title, _, published, text = VOTE[0]
    copies = [(title, outlet, published, text) for outlet in ("Tessaly Courier", "Valley Voice", "Hill Times")]
    _ingest(store, _write(tmp_path / "copies.jsonl", copies))
    _ingest(store, _write(tmp_path / "ferry.jsonl", FERRY[:1]))
    families = store.families(a.id for a in store.list_articles())
    assert len({families[a.id].family_id for a in store.list_articles() if a.source != "Northern Herald"}) == 1
    assert _repeated(store, FOOTER) == set()


def test_a_store_made_before_sentence_keys_is_keyed_on_its_next_ingest(tmp_path: Path) -> None:
    path = str(tmp_path / "old.db")
    with open_store(path) as store:
        _ingest(store, _write(tmp_path / "ferry.jsonl", FERRY))
        _ingest(store, _write(tmp_path / "vote.jsonl", VOTE[:2]))
        with store.transaction():
            store._x("DELETE FROM sentence_repeats")  # type: ignore[attr-defined]
        assert not store.has_repeat_keys()
        _ingest(store, _write(tmp_path / "more.jsonl", VOTE[2:]))
        assert store.has_repeat_keys()
        assert _repeated(store, FOOTER, FOLLOW) == {FOOTER, FOLLOW}
        assert key_stored_sentences(store) == len(FERRY) + len(VOTE)  # keying again adds nothing twice
        assert _repeated(store, FOOTER, FOLLOW, QUOTED) == {FOOTER, FOLLOW}


def test_a_key_counts_a_bounded_number_of_articles(store: Store, tmp_path: Path) -> None:
    _ingest(store, _write(tmp_path / "ferry.jsonl", FERRY))
    ids = [a.id for a in store.list_articles()]
    key = repeat_key("A sentence that none of these articles has written down.")
    assert key is not None

    def counted() -> int:
        return len(store._rows("SELECT article_id FROM sentence_repeats WHERE key = ?", [key]))  # type: ignore[attr-defined]

    store.add_repeat_keys(ids[0], [key, key], cap=2)
    store.add_repeat_keys(ids[0], [key], cap=2)
    assert counted() == 1  # an article counts once
    store.add_repeat_keys(ids[1], [key], cap=2)
    store.add_repeat_keys(ids[2], [key], cap=2)
    assert counted() == 2  # the key holds two articles: the third is not kept
