"""The analyse stage: sentences with exact offsets, and words for comparison."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdesk.analyse import content_words, split_sentences, stem, words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mr. Brandt spoke first. Then the mayor spoke.", ["Mr. Brandt spoke first.", "Then the mayor spoke."]),
        (
            "John F. Kennedy was shot. Prices rose 3.5 percent.",
            ["John F. Kennedy was shot.", "Prices rose 3.5 percent."],
        ),
        ('"We won." Then they left.', ['"We won."', "Then they left."]),
        ('"Are you sure?" he asked. She nodded.', ['"Are you sure?" he asked.', "She nodded."]),
        ("She waited... and left. It was over... The end.", ["She waited... and left.", "It was over...", "The end."]),
        (
            "He lives in the U.S. He works at No. 10 Downing St. in London.",
            ["He lives in the U.S.", "He works at No. 10 Downing St. in London."],
        ),
        (
            "The U.S. Senate voted on Feb. 3 at 10 a.m. The bill passed.",
            ["The U.S. Senate voted on Feb. 3 at 10 a.m.", "The bill passed."],
        ),
        (
            "Petro will meet U.S. President Donald Trump. U.N. officials said the talks were welcome.",
            ["Petro will meet U.S. President Donald Trump.", "U.N. officials said the talks were welcome."],
        ),
        (
            "Apple Inc. said it would. The firm is Apple Inc. The end.",
            ["Apple Inc. said it would.", "The firm is Apple Inc.", "The end."],
        ),
        (
            "A headline without a full stop\n\nA paragraph. Another one!",
            ["A headline without a full stop", "A paragraph.", "Another one!"],
        ),
    ],
)
def test_sentences(text: str, expected: list[str]) -> None:
    assert [s.text for s in split_sentences(text)] == expected


@given(
    st.lists(
        st.sampled_from(["Mr. Lund said no.", "The U.S. agreed!", "Why?", "3.5 percent rose.", "\n\n", " ", "Done"]),
        max_size=12,
    )
)
def test_sentence_offsets_are_exact(parts: list[str]) -> None:
    body = " ".join(parts)
    for sentence in split_sentences(body):
        assert body[sentence.start : sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip()
        assert "\n" not in sentence.text


def test_words_fold_case_accents_and_apostrophes() -> None:
    assert words("Petro’s 30,000 U.S. soldiers in Bogotá") == ["petro's", "30,000", "u.s", "soldiers", "in", "bogota"]


def test_stems_and_content_words() -> None:
    assert [stem(w) for w in ["meetings", "meeting", "strikes", "strike", "petro's", "cities", "status"]] == [
        "meet", "meet", "strike", "strike", "petro", "city", "status",
    ]  # fmt: skip
    assert content_words(["the", "ferries", "collided", "on", "lake", "orsund", "said", "a"]) == [
        "ferry",
        "collid",
        "lake",
        "orsund",
    ]
