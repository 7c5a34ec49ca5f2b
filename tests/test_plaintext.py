"""The plain-text line classifier: page dumps, bare text, titles never invented."""

from __future__ import annotations

import pytest

from newsdesk.extract.furniture import opens_with_credit
from newsdesk.extract.plaintext import LineKind, classify, extract_plaintext, split_lines

DUMP = """Sign in

Subscribe

AD
Tomasz Orlen

Valemont dockers vote to end nine-day strike

Dockworkers at the Port of Valemont voted on Monday to accept a new pay offer, ending a nine-day strike.
Valemont dockers vote to end nine-day strike
The deal raises wages by 6% over two years, the union said.
October 19, 2026

Dockworkers at the Port of Valemont voted on Monday to accept a new pay offer, ending a nine-day strike that had left more than 40 ships waiting offshore.

The deal raises wages by 6% over two years and limits night shifts to four a week, the union said in a statement.
AD
"It is not everything we asked for, but it is a fair deal," said union secretary Halina Brest.

Cranes were moving again by Monday evening, and the port authority expects the backlog to clear within a week.

Subscribe to keep reading: unlock unlimited articles for 1 euro.
Already a subscriber? Sign in
Most Read
About Us
Contact
Cookie Policy
Privacy Policy

HARBOUR LEDGER

the port city's daily paper since 1911
"""


def test_page_dump_header_body_and_footer() -> None:
    result = extract_plaintext(DUMP)
    assert result.title == "Valemont dockers vote to end nine-day strike"
    assert result.author == "Tomasz Orlen"
    assert result.published == "2026-10-19"
    assert result.source == "Harbour Ledger"
    assert result.excerpt is not None and result.excerpt.startswith("Dockworkers at the Port of Valemont voted")
    assert result.paragraphs[0].startswith("Dockworkers at the Port of Valemont voted on Monday")
    assert result.paragraphs[-1].startswith("Cranes were moving again")
    joined = "\n".join(result.paragraphs)
    for furniture in (
        "Sign in",
        "Subscribe",
        "AD",
        "Most Read",
        "Cookie Policy",
        "HARBOUR LEDGER",
        "since 1911",
    ):
        assert furniture not in result.paragraphs, furniture
    assert "unlock unlimited" not in joined
    assert joined.count("Valemont dockers vote to end nine-day strike") == 0
    assert len(result.paragraphs) == 4


def test_bare_text_without_headline_has_no_title() -> None:
    text = (
        "Rescue teams reached the village of Orvel on Thursday, two days after a landslide cut the only road.\n"
        "Officials said 14 homes were destroyed.\n\n\n"
    )
    result = extract_plaintext(text)
    assert result.title is None
    assert result.published is None
    assert result.paragraphs == [
        "Rescue teams reached the village of Orvel on Thursday, two days after a landslide cut the only road.",
        "Officials said 14 homes were destroyed.",
    ]


def test_first_line_is_the_title_when_it_reads_like_a_headline() -> None:
    text = "Landslide Cuts Off Mountain Village of Orvel\nRescue teams reached the village on Thursday.\n\n\n\n"
    result = extract_plaintext(text)
    assert result.title == "Landslide Cuts Off Mountain Village of Orvel"
    assert result.paragraphs == ["Rescue teams reached the village on Thursday."]


def test_byline_with_by_and_a_date_line() -> None:
    text = "Museum reopens after a decade of repairs\nBy Ana Ferreira\nPublished: 2 November 2026\n\nThe doors opened at nine.\n"
    result = extract_plaintext(text)
    assert (result.title, result.author, result.published) == (
        "Museum reopens after a decade of repairs",
        "Ana Ferreira",
        "2026-11-02",
    )
    assert result.paragraphs == ["The doors opened at nine."]


def test_hard_wrapped_paragraphs_are_joined() -> None:
    text = (
        "The council met for seven hours before the vote on the tram line, which\n"
        "opponents said would cost too much and take too long to build.\n\n"
        "Supporters cheered.\n"
    )
    assert split_lines(text) == [
        "The council met for seven hours before the vote on the tram line, which opponents said would "
        "cost too much and take too long to build.",
        "Supporters cheered.",
    ]


def test_classifier_kinds() -> None:
    assert classify("Log In") is LineKind.FURNITURE
    assert classify("We use cookies to give you the best experience on our website.") is LineKind.FURNITURE
    assert classify("February 3, 2026") is LineKind.DATE
    assert classify("By Jane Doe") is LineKind.BYLINE
    assert classify("Jane Doe") is LineKind.NAME
    assert classify("Port strike enters its second week") is LineKind.HEADLINE
    assert classify("The strike entered its second week.") is LineKind.PROSE
    assert classify("global business news") is LineKind.SHORT


def test_a_short_sign_off_in_the_middle_is_kept() -> None:
    text = "Tram vote delayed again\nThe vote was delayed.\nWhy?\nBecause the budget was not ready.\n"
    assert extract_plaintext(text).paragraphs == [
        "The vote was delayed.",
        "Why?",
        "Because the budget was not ready.",
    ]


def test_outlet_from_a_print_edition_sign_off() -> None:
    text = "Clock Museum Reopens Its Doors\nThe doors opened at ten.\n\nThis article first appeared in the print edition of The Lakeside Bugle.\n"
    assert extract_plaintext(text).source == "The Lakeside Bugle"


def test_copyright_owner_is_the_outlet_when_no_wordmark_is_printed() -> None:
    text = "Clock Museum Reopens Its Doors\nThe doors opened at ten.\nPrivacy Policy\n© 2026 Lakeside Media Ltd. All rights reserved.\n"
    assert extract_plaintext(text).source == "Lakeside Media Ltd"


@pytest.mark.parametrize(
    "sentence",
    [
        "(XN Photo/Mara Quill) Villagers carried sandbags to the river wall on Sunday.",
        "Photograph: Tomas Erlin/XNA Ministers met in Halden to discuss the strike.",
        "Mara Quill/Lumen Images for the Courier A volunteer hands out water in Varn.",
        "The mayor grew up in Keld (photo: Harbour Archive) and moved to Marrowby in 1990.",
        "For the full list of closed roads, click here.",
        "Follow the latest posts from our correspondents in Halden.",
        "Send your pictures of the flood to the Courier desk.",
        "Sign Up Be sure to give your name and town.",
    ],
)
def test_a_caption_credit_or_a_link_prompt_is_page_text(sentence: str) -> None:
    assert opens_with_credit(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "The AFL/CIO said on Monday it would join the strike.",
        "Trade between the US/EU blocs grew by 4 percent.",
        "Talks in Halden/Varn ended without a deal.",
        "The photo showed the damage to the harbour wall.",
        "Services run 24/7 from the new terminal.",
        "Following the vote, the council closed the library.",
        "Sending troops was ruled out on Monday.",
    ],
)
def test_news_with_a_slash_or_a_photo_is_not_page_text(sentence: str) -> None:
    assert not opens_with_credit(sentence)
