"""HTML pages: metadata from the page's markup, and the main text without page furniture."""

from __future__ import annotations

import json

from conftest import html_page
from newsdesk.extract.html import extract_html, fragment_paragraphs


def test_page_metadata_and_clean_body() -> None:
    page = extract_html(html_page().decode(), "https://evening-post.example/tram")
    assert page.title == "Tram line approved after marathon council session"
    assert page.published == "2026-10-20T18:05:00+01:00"
    assert page.published_from == "meta"
    assert page.author == "Mara Lindqvist"
    assert page.source == "Example Evening Post"
    assert page.url == "https://evening-post.example/2026/10/20/tram-line-approved"
    assert page.language == "en"
    assert page.paragraphs[0].startswith("The Eastbrook city council approved")
    assert page.paragraphs[-1].startswith("Construction is scheduled")
    text = "\n".join(page.paragraphs)
    for furniture in ("Log in", "Advertisement", "We use cookies", "Most read", "Privacy policy", "By Mara"):
        assert furniture not in text


def test_json_ld_wins_and_says_so() -> None:
    ld = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "Ridge Courier"},
            {
                "@type": "NewsArticle",
                "headline": "Pass reopens after landslide",
                "datePublished": "2026-10-12T06:00:00Z",
                "author": [
                    {"@type": "Person", "name": "Ilse Varga"},
                    {"@type": "Person", "name": "Tom Berg"},
                ],
                "publisher": {"@type": "Organization", "name": "Ridge Courier"},
            },
        ],
    }
    html = (
        html_page(published=None, author=None, site=None)
        .decode()
        .replace("</head>", f'<script type="application/ld+json">{json.dumps(ld)}</script></head>')
    )
    page = extract_html(html, None)
    assert page.title == "Pass reopens after landslide"
    assert (page.published, page.published_from) == ("2026-10-12T06:00:00+00:00", "json-ld")
    assert page.author == "Ilse Varga, Tom Berg"
    assert page.source == "Ridge Courier"


def test_date_from_the_url_when_the_page_has_none() -> None:
    html = (
        html_page(published=None)
        .decode()
        .replace('<link rel="canonical" href="https://evening-post.example/2026/10/20/tram-line-approved">', "")
    )
    page = extract_html(html, "https://evening-post.example/2026/10/21/tram")
    assert (page.published, page.published_from) == ("2026-10-21", "url")


def test_date_from_a_time_element() -> None:
    html = (
        html_page(published=None)
        .decode()
        .replace('<p class="byline">', '<time datetime="2026-10-22T07:00:00+02:00">22 Oct</time><p class="byline">')
    )
    page = extract_html(html.replace("/2026/10/20/", "/"), None)
    assert (page.published, page.published_from) == ("2026-10-22T07:00:00+02:00", "text")


def test_undated_page_stays_undated() -> None:
    html = html_page(published=None).decode().replace("/2026/10/20/", "/")
    page = extract_html(html, None)
    assert (page.published, page.published_from) == (None, None)


def test_site_name_suffix_is_removed_from_the_title_tag() -> None:
    html = "<html><head><title>Harbour reopens | Quay Times</title><meta property='og:site_name' content='Quay Times'></head><body><p>The harbour reopened today after repairs to the sea wall.</p></body></html>"
    assert extract_html(html, None).title == "Harbour reopens"


def test_fragment_keeps_every_paragraph() -> None:
    assert fragment_paragraphs("<p>One.</p><p>Two <b>bold</b> words.</p><ul><li>Item</li></ul>") == [
        "One.",
        "Two bold words.",
        "Item",
    ]


def test_script_and_style_never_reach_the_text() -> None:
    paragraphs = fragment_paragraphs("<p>Kept.</p><script>alert(1)</script><style>p{}</style>")
    assert paragraphs == ["Kept."]
