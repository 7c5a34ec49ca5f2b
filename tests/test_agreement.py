"""Agreement: a sentence that says a point the other way is no support for it, and becomes a discrepancy."""

from __future__ import annotations

import pytest

from newsdesk.publish.markdown import story_markdown
from newsdesk.records import Article, Story, article_id
from newsdesk.write import compose_page
from newsdesk.write.agreement import conflict, contradiction
from newsdesk.write.keypoints import choose_points
from newsdesk.write.units import Material

_POINT = "Ferry crossings between Marrow Point and Kestlewick resumed on Tuesday after the storm."


@pytest.mark.parametrize(
    "other",
    [
        "Ferry crossings between Marrow Point and Kestlewick remain suspended after the storm.",
        "Ferry crossings between Marrow Point and Kestlewick were suspended on Tuesday.",
        "Ferry crossings between Marrow Point and Kestlewick have been halted since the storm.",
        "Ferry crossings between Marrow Point and Kestlewick did not resume on Tuesday.",
        "Ferry crossings between Marrow Point and Kestlewick have failed to resume after the storm.",
    ],
)
def test_a_sentence_saying_the_point_the_other_way_is_a_polarity_contradiction(other: str) -> None:
    assert contradiction(_POINT, other) == "polarity"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("The Dunmore council approved the bypass plan on Thursday.", "The Dunmore council rejected the bypass plan."),
        ("Police in Tarrow have named the driver of the lorry.", "Police in Tarrow have not named the lorry driver."),
        ("The Halvern mill reopened its gates to workers this week.", "The Halvern mill closed its gates to workers."),
        ("Grain prices in Ostreval rose sharply in March.", "Grain prices in Ostreval fell sharply in March."),
    ],
)
def test_opposite_states_and_negations_contradict(first: str, second: str) -> None:
    assert contradiction(first, second) == "polarity"


def test_the_contradicting_words_are_shown_as_written() -> None:
    found = conflict(_POINT, "Ferry crossings between Marrow Point and Kestlewick remain suspended, officials said.")
    assert found is not None and (found.said, found.against) == ("resumed", "remain suspended")


def test_different_figures_for_the_same_count_contradict() -> None:
    first = "About 2,000 passengers were stranded at Kestlewick harbour overnight."
    assert contradiction(first, "Some 3,500 passengers were stranded at Kestlewick harbour.") == "figure"


@pytest.mark.parametrize(
    "other",
    [
        # Paraphrases that agree.
        "Ferry crossings between Marrow Point and Kestlewick restarted on Tuesday after the storm.",
        "Ferries between Marrow Point and Kestlewick were sailing again on Tuesday.",
        # A negation about another predicate.
        "Ferry crossings between Marrow Point and Kestlewick resumed on Tuesday, though the operator did not say "
        "when the timetable would be normal.",
        # The same state told twice in one sentence says nothing against it.
        "Ferry crossings between Marrow Point and Kestlewick resumed on Tuesday after being suspended for days.",
    ],
)
def test_agreement_is_kept_as_agreement(other: str) -> None:
    assert contradiction(_POINT, other) is None


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # The same figure written two ways.
        ("About 2,000 passengers were stranded at Kestlewick harbour.", "Some 2000 passengers were stranded there."),
        # Different figures counting different things.
        ("Three people were killed in the Tarrow depot fire.", "Five people were injured in the Tarrow depot fire."),
        # Opposite verbs with different subjects: one side won, the other lost.
        ("Vella Brand won the Ostreval mayoral race on Sunday.", "Tomas Orrin lost the Ostreval mayoral race."),
    ],
)
def test_what_only_looks_like_a_contradiction_is_not_one(first: str, second: str) -> None:
    assert contradiction(first, second) is None


# -- end to end --------------------------------------------------------------------------------------


def _article(source: str, body: str, published: str) -> Article:
    return Article(
        id=article_id(source, body), title=None, body=body, published=published, published_from="record",
        author=None, source=source, url=None, language="en", kind="report", location=f"test:{source}", format="record",
    )  # fmt: skip


_SAY = (
    "Rail services between Brackenford and Ulverly resumed on Monday after engineers repaired the flooded line. ",
    "Rail services between Brackenford and Ulverly resumed on Monday once engineers had repaired the flooded line. ",
)
_DENY = (
    "Rail services between Brackenford and Ulverly remain suspended after the flooding of the line. ",
    "Rail services between Brackenford and Ulverly were suspended on Monday after the line flooded. ",
)
_REST = (
    "The Vale Transit Authority said the storm dropped a month of rain on the valley in two days. "
    "Bus companies laid on extra coaches for commuters heading to the coast. "
    "Farmers near Ulverly counted losses to their winter crops as the water slowly receded."
)


def test_contradicting_sources_are_no_support_and_become_a_discrepancy() -> None:
    outlets = ("Brackenford Herald", "Ulverly Post", "Vale Wire", "Coastline Daily")
    bodies = [_DENY[0] + _REST, _DENY[1] + _REST, _SAY[0] + _REST, _SAY[1] + _REST]
    articles = [
        _article(o, b, f"2026-05-0{i + 4}T08:00:00Z") for i, (o, b) in enumerate(zip(outlets, bodies, strict=True))
    ]
    denying, saying = {a.id for a in articles[:2]}, {a.id for a in articles[2:]}
    story = Story("s1", None, "2026-05-07T08:00:00Z", "2026-05-07T08:00:00Z", "2026-05-04T08:00:00Z",
                  "2026-05-07T08:00:00Z", "live", 4)  # fmt: skip
    page = compose_page(story, articles, {})
    said = [p for p in page.key_points if "resumed" in p.text]
    resumed = said[0] if said else None
    cited = {c.article for c in resumed.citations} if resumed else set()
    summary = [s for s in page.summary_sentences if "resumed" in s.text]
    if resumed is None:  # the point opens the summary instead
        assert summary
        cited = {c.article for c in summary[0].citations}
    else:
        assert resumed.support == len(cited & saying) <= 2
    assert cited & saying and not cited & denying
    polarity = [d for d in page.discrepancies if d.kind == "polarity"]
    assert len(polarity) == 1
    sides = [{c.article for c in claim.citations} for claim in polarity[0].claims]
    assert sides[0] <= saying and set().union(*sides[1:]) == denying
    for claim in polarity[0].claims:
        for citation in claim.citations:
            body = next(a.body for a in articles if a.id == citation.article)
            assert body[citation.start : citation.end] == citation.quote
    assert "Where sources disagree" in story_markdown(page)
    # The point's support is the other outlet that says it; the two that say it the other way are set apart.
    point = next(p for p in choose_points(Material(articles, {})) if "resumed" in p.unit.text)
    assert {u.article.id for u in [point.unit, *point.support]} == saying
    assert {other.article.id for _, other, _ in point.contradicted} == denying
