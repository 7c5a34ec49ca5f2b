"""Key-point headlines by deletion (newsdesk.write.shorten): fictional sentences only."""

from __future__ import annotations

import itertools

from newsdesk.write.shorten import distinct_headline, headline, is_deletion, repeats_start

CASES = [
    "TESSEL, March 3 (Wirepost) - The Tessel council has voted to close the old harbour bridge, officials said on Monday.",
    "Jorin Vale, the former mayor of Tessel, resigned on Thursday after a row over the harbour budget.",
    "After three days of talks that ran late into the night, the ferry union agreed to end its strike.",
    "The ministry has announced that the bridge will reopen in May, a spokesman said.",
    "Mara Quell, who led the strike for a month, has been arrested by police in Varnholt following a protest.",
    "Residents of Tessel have never been told why the water supply was cut for most of the week.",
    "“We will not give up,” said Ilsa Brandt.",
]


def test_each_deletion_kind() -> None:
    assert headline(CASES[0]) == "Tessel council has voted to close the old harbour bridge"  # dateline, attribution
    assert headline(CASES[1]) == "Jorin Vale resigned after a row over the harbour budget"  # appositive, time
    assert headline(CASES[2]) == "Ferry union agreed to end its strike"  # leading clause, article
    assert headline(CASES[3]) == "Bridge will reopen in May"  # attribution, "will" kept
    assert "who led" not in headline(CASES[4])  # relative clause
    assert headline(CASES[6]) == "“We will not give up”"  # speech verb


def test_negation_and_numbers_are_kept() -> None:
    assert "never" in headline(CASES[5]).split()
    assert "not" in headline(CASES[6]).split()
    sentence = "The Varnholt ferry company has cancelled 40 crossings and will not run a service before the spring."
    result = headline(sentence)
    assert "40" in result.split() and "not" in result.split()


def test_is_deletion() -> None:
    assert is_deletion("Ferry union agreed to end strike", CASES[2])
    assert not is_deletion("Strike ended", CASES[2])
    assert not is_deletion("Union the ferry agreed", CASES[2])


def test_always_a_short_deletion_over_varied_sentences() -> None:
    subjects = ["The Tessel council", "Jorin Vale, the mayor,", "Police in Varnholt", "A ferry operator", "Officials"]
    verbs = ["has closed", "said on Monday that it would not reopen", "was told to shut", "rejected", "sold"]
    objects = ["the harbour bridge", "two of its 12 ferries", "a plan, which critics called rushed,", "its offices"]
    tails = ["", " after a storm on Tuesday", ", the minister said", " in the town of Brell (population 4,000)"]
    openers = ["", "On Monday, ", "BRELL (Wirepost) - ", "According to the harbour master, "]
    count = 0
    for opener, subject, verb, obj, tail in itertools.product(openers, subjects, verbs, objects, tails):
        sentence = f"{opener}{subject} {verb} {obj}{tail}."
        result = headline(sentence)
        assert result and is_deletion(result, sentence), (sentence, result)
        assert len(result.split()) <= 12
        for kept in ("not", "12", "two"):
            if kept in sentence.split() and sentence.index(kept) > len(opener):
                assert kept in result.split() or len(sentence.split()) > 12, (sentence, result)
        count += 1
    assert count >= 300


def test_distinct_headline_differs_from_the_text_start() -> None:
    sentence = "Residents of Tessel have already been told that the water supply will be cut for a week."
    result = distinct_headline(sentence, sentence)
    assert is_deletion(result, sentence)
    assert not repeats_start(result, sentence)


def _corpus_points() -> list[tuple[str, str, list[str]]]:
    from golden import ROOT, Settings
    from newsdesk.pipeline import ingest
    from newsdesk.store import open_store
    from newsdesk.write import write_story

    shown = []
    with open_store(":memory:") as store:
        ingest([str(ROOT / "examples" / "corpus")], store, Settings(offline=True))
        for story in store.list_stories():
            page = write_story(store, story.id)
            shown += [(p.headline, p.text, [c.quote for c in p.citations]) for p in page.key_points]
    return shown


def test_key_point_headlines_are_short_deletions_of_their_text() -> None:
    shown = _corpus_points()
    assert shown
    for head, _, quotes in shown:
        assert any(is_deletion(head, quote) for quote in quotes), (head, quotes)
        assert 1 <= len(head.split()) <= 14


def test_key_point_headlines_do_not_repeat_their_text_start() -> None:
    shown = _corpus_points()
    repeats = sum(repeats_start(head, text) for head, text, _ in shown)
    assert repeats <= len(shown) // 10, f"{repeats} of {len(shown)} headlines repeat their text's start"


# Sentences whose headline used to be their first words, cut short (the tail went, nothing inside it).
REPEATING = [
    "Ferry crews, with the union's two senior negotiators leading the talks, had rejected the offer.",
    "Instead Mayor Vale proposes that harbour workers put at least 10 percent of their pay into a fund.",
    "Harbour groups like the Tessel Boatmen's Guild and the Varnholt Pilots have largely stayed away from the talks.",
    "Ferry crews aggressively pushed back, accusing Mayor Vale of failing to understand the costs of the strike.",
    "Chief Inspector Ilsa Brandt of the Varnholt division of the harbour police said the bridge would stay shut.",
    "Inspection photographs showing how cables had rusted through over many years were put before councillors.",
]


def test_distinct_headline_deletes_inside_the_sentence() -> None:
    for sentence in REPEATING:
        result = distinct_headline(sentence, sentence)
        assert not repeats_start(result, sentence), result
        assert is_deletion(result, sentence), result
        assert 4 <= len(result.split()) <= 12, result
    assert distinct_headline(REPEATING[4], REPEATING[4]) == "Bridge would stay shut"
    assert distinct_headline(REPEATING[5], REPEATING[5]) == "Inspection photographs were put before councillors"


def test_distinct_headline_keeps_hedges_and_numbers() -> None:
    sentence = "The Tessel harbour master wrongly blamed the pilots for the collision of the two ferries last spring."
    result = distinct_headline(sentence, sentence)
    assert "wrongly" in result.split() or repeats_start(result, sentence)
    sentence = "Vinci lost 6-4 6-2 to Vera Zvonareva as Russia powered to their first cup final in three years."
    assert {"6-4", "6-2"} <= set(distinct_headline(sentence, sentence).split())
