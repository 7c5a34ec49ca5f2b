"""Markdown posts with front matter."""

from __future__ import annotations

import pytest

from newsdesk.errors import FrontMatterError
from newsdesk.extract.markdown import extract_markdown, markdown_paragraphs

POST = """---
layout: post
title: "Exclusive: Ferry operator orders two electric boats"
date: 2026-10-02T08:15:00
author: "quayside"
categories: [News, Transport]
tags: ferries electric
excerpt: "The boats will enter service in 2028."
image: assets/images/ferry.jpg
canonical_url: https://quayside.example/ferries
---

The **Lakeline** ferry company has ordered [two electric boats](https://example.org/boats) from a yard in Orsund.

![A ferry](ferry.jpg)

{% include share.html %}
## Why now

- Diesel prices rose 30% this year.
- The lake's towns asked for *quieter* crossings.
"""


def test_front_matter_metadata_never_reaches_the_body() -> None:
    post = extract_markdown(POST, "ferry.md")
    assert post.title == "Exclusive: Ferry operator orders two electric boats"
    assert post.published == "2026-10-02T08:15:00"
    assert post.author == "quayside"
    assert post.excerpt == "The boats will enter service in 2028."
    assert post.categories == ["News", "Transport"]
    assert post.tags == ["ferries", "electric"]
    assert post.url == "https://quayside.example/ferries"
    assert post.paragraphs == [
        "The Lakeline ferry company has ordered two electric boats from a yard in Orsund.",
        "Why now",
        "Diesel prices rose 30% this year.",
        "The lake's towns asked for quieter crossings.",
    ]
    assert not any("layout" in p or "include" in p for p in post.paragraphs)


def test_toml_front_matter() -> None:
    post = extract_markdown(
        '+++\ntitle = "Lake freezes early"\ndate = 2026-11-20\n+++\nIce covered the lake.\n', "x.md"
    )
    assert (post.title, post.published, post.paragraphs) == (
        "Lake freezes early",
        "2026-11-20",
        ["Ice covered the lake."],
    )


def test_author_as_list_of_objects() -> None:
    post = extract_markdown("---\nauthor:\n  - name: Ana\n  - name: Bo\n---\nText.\n", "x.md")
    assert post.author == "Ana, Bo"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("---\ntitle: Strike: day two\n---\nBody.\n", "broken YAML front matter at line 2"),
        ("---\n- a\n- b\n---\nBody.\n", "front matter is a list, not a set of key: value pairs"),
        ("---\ntitle: never closed\nBody.\n", "front matter opened with --- is never closed"),
        ('+++\ntitle = "unterminated\n+++\nBody.\n', "broken TOML front matter"),
    ],
)
def test_broken_front_matter_is_a_clear_error(text: str, problem: str) -> None:
    with pytest.raises(FrontMatterError) as info:
        extract_markdown(text, "posts/broken.md")
    assert str(info.value).startswith(f"posts/broken.md: {problem}")


def test_markdown_code_and_html_are_not_article_text() -> None:
    assert markdown_paragraphs("Intro.\n\n```\ncode()\n```\n\n<div>raw</div>\n\nOutro.\n") == [
        "Intro.",
        "Outro.",
    ]
