"""The outlet an article credits itself to in its own text, when its metadata names none."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsdesk.cli import cli
from newsdesk.extract import extract_document
from newsdesk.extract.outlets import outlet_from_text
from newsdesk.records import KnownMetadata, RawDocument
from newsdesk.store import open_store


@pytest.mark.parametrize(
    ("text", "outlet"),
    [
        ("(Norland Wire) -- The harbour at Osterby reopened on Monday.", "Norland Wire"),
        ("OSTERBY, Norland (Baltic Press) - The harbour reopened on Monday.", "Baltic Press"),
        ("OSTERBY, Norland (BP) _ The harbour reopened on Monday.", "BP"),
        ("OSTERBY, March 3 (Baltic Press) - The harbour reopened.", "Baltic Press"),
        ("Osterby (NTV) - The harbour reopened on Monday.", "NTV"),
        (
            "OSTERBY | Mon Mar 3, 2026 6:52 pm EST OSTERBY, Norland (Baltic Press) - The harbour reopened.",
            "Baltic Press",
        ),
        ("By the NTV Wire Staff Ferries ran again on Monday.", "NTV"),
        ("By NTV Staff Ferries ran again on Monday.", "NTV"),
        # Abbreviations and asides are not credits.
        ("In Norland the Harbour Safety Board (HSB) - an agency of the ministry - said so.", None),
        ("He said (quietly) - that the pier would reopen.", None),
        ("The harbour reopened on Monday, officials said.", None),
    ],
)
def test_outlet_from_the_opening_credit(text: str, outlet: str | None) -> None:
    assert outlet_from_text(text) == outlet


def test_a_credit_late_in_the_text_is_not_the_outlet() -> None:
    text = "The harbour reopened on Monday. " * 20 + "OSTERBY (Baltic Press) - Another report."
    assert outlet_from_text(text) is None


def test_metadata_wins_and_the_origin_is_recorded() -> None:
    body = b"OSTERBY, Norland (Baltic Press) - The harbour at Osterby reopened on Monday after a week of storms."
    credited = extract_document(RawDocument(location="a", data=body, fmt="body"))
    assert (credited.source, credited.source_from) == ("Baltic Press", "text")
    known = KnownMetadata(source="Osterby Herald", date_origin="record")
    named = extract_document(RawDocument(location="b", data=body, fmt="body", known=known, origin="record"))
    assert (named.source, named.source_from) == ("Osterby Herald", "metadata")
    plain = extract_document(RawDocument(location="c", data=b"The harbour at Osterby reopened on Monday.", fmt="body"))
    assert (plain.source, plain.source_from) == (None, None)


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_the_outlets_origin_is_stored(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    db = str(tmp_path / "s.db") if backend == "sqlite" else request.getfixturevalue("pg_schema_url")
    path = tmp_path / "wire.jsonl"
    record = {"text": "OSTERBY, Norland (Baltic Press) - The harbour at Osterby reopened on Monday after storms."}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["ingest", str(path), "--db", db, "--quiet"])
    assert result.exit_code == 0, result.output
    with open_store(db) as store:
        [article] = store.list_articles()
        assert (article.source, article.source_from) == ("Baltic Press", "text")
    shown = CliRunner().invoke(cli, ["article", article.id, "--db", db])
    assert "source:    Baltic Press (from its own credit line)" in shown.stdout


@pytest.mark.parametrize(
    ("raw", "decoded"),
    [
        ("Harbour fund reaches &#163;71.6m", "Harbour fund reaches £71.6m"),
        ("Osterby&#8217;s pier reopens", "Osterby’s pier reopens"),
        ("Osterby&amp;#8217;s pier &amp; quay reopen", "Osterby’s pier & quay reopen"),
        ("Ferries &#x27;back on Monday&#x27;", "Ferries 'back on Monday'"),
        ("R&D budget & the pier", "R&D budget & the pier"),
    ],
)
def test_entities_are_decoded_in_titles_and_bylines(raw: str, decoded: str) -> None:
    record = json.dumps({"title": raw, "author": raw, "text": "The harbour at Osterby reopened on Monday."})
    from newsdesk.sources.records import jsonl_documents

    [doc] = list(jsonl_documents(record, "r.jsonl", lambda _where, _message: None))
    assert isinstance(doc, RawDocument)
    article = extract_document(doc)
    assert article.title == decoded and article.author is not None and "&#" not in article.author


def test_entities_in_a_page_title_are_decoded() -> None:
    page = (
        "<html><head><title>Osterby&amp;#8217;s ferry link reopens</title></head><body><article>"
        + "<p>The ferry link between Osterby and the islands reopened on Monday after a week of repairs.</p>" * 3
        + "</article></body></html>"
    )
    article = extract_document(RawDocument(location="p.html", data=page.encode(), fmt="html"))
    assert article.title is not None and "&" not in article.title and "’" in article.title


def test_a_page_says_how_many_of_its_sources_name_no_outlet() -> None:
    from newsdesk.publish.markdown import story_markdown
    from newsdesk.records import StoryArticle, StoryPage

    def listed(aid: str, family: str, source: str | None, role: str = "origin") -> StoryArticle:
        return StoryArticle(
            id=aid, title=f"Report {aid}", source=source, url=None, published="2026-03-02",
            family=family, role=role, derived_from=None,
        )  # fmt: skip

    articles = (
        listed("a1", "f1", "Osterby Herald"),
        listed("a2", "f1", None, "copy"),  # a copy of a named report: the family has an outlet
        listed("a3", "f2", None),
        listed("a4", "f3", None),
        listed("a5", "f4", None, "digest"),  # a digest is no source
    )
    page = StoryPage(
        id="s1", title="Ferries run again", summary=None, updated="2026-03-02", article_count=5,
        independent_source_count=3, articles=articles,
    )  # fmt: skip
    assert page.sources_without_outlet == 2 and page.to_dict()["sources_without_outlet"] == 2
    assert "(5 articles, 3 independent sources, 2 of them with no known outlet)" in story_markdown(page)
    named = StoryPage(
        id="s2", title="Ferries run again", summary=None, updated="2026-03-02", article_count=1,
        independent_source_count=1, articles=articles[:1],
    )  # fmt: skip
    assert "(1 article, 1 independent source)" in story_markdown(named)


@pytest.mark.parametrize(
    "sentence",
    [
        "Osterby, Norland (Baltic Press) -- Ferries ran again on Monday after a week of storms.",
        "OSTERBY, Norland (BP) _ Ferries ran again on Monday after a week of storms.",
        "(NTV) -- Ferries ran again on Monday after a week of storms.",
        "By the NTV Wire Staff Ferries ran again on Monday after a week of storms.",
    ],
)
def test_a_wire_credit_is_not_part_of_a_claim(sentence: str) -> None:
    from newsdesk.write.compress import claim_span, headline_text

    start, end = claim_span(sentence)
    assert sentence[start:end] == "Ferries ran again on Monday after a week of storms."
    assert headline_text(sentence).startswith("Ferries ran again")
