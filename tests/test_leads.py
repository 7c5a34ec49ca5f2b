"""A title from the lead for an article that has none, marked as derived; its id stays that of the text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsdesk.cli import cli
from newsdesk.extract import extract_document
from newsdesk.extract.leads import LEAD_TITLE_WORDS, title_from_lead
from newsdesk.records import RawDocument, article_id
from newsdesk.store import open_store

LEAD = "The harbour at Osterby reopened on Monday after a week of storms."


@pytest.mark.parametrize(
    ("body", "title"),
    [
        (LEAD, "The harbour at Osterby reopened on Monday after a week of storms"),
        (
            f"OSTERBY, Norland (Baltic Press) - {LEAD}",
            "The harbour at Osterby reopened on Monday after a week of storms",
        ),
        (f"By the NTV Wire Staff {LEAD}", "The harbour at Osterby reopened on Monday after a week of storms"),
        (
            "The harbour at Osterby, closed for a week by the worst storms in forty years, reopened on Monday "
            "to ferries and fishing boats alike.",
            "The harbour at Osterby, closed for a week by the worst storms …",
        ),
        (
            "Ferries and fishing boats from all over the northern coast of Norland crowded into the harbour at "
            "Osterby on Monday morning.",
            "Ferries and fishing boats from all over the northern coast of Norland …",
        ),
        ("March 3, 2026. " + LEAD, "The harbour at Osterby reopened on Monday after a week of storms"),
        ("Ferries. Run.", None),
    ],
)
def test_title_from_lead(body: str, title: str | None) -> None:
    derived = title_from_lead(body)
    assert derived == title
    if derived:
        words = derived.removesuffix(" …").split()
        assert len(words) <= LEAD_TITLE_WORDS
        assert " ".join(words).rstrip(",") in body  # the lead's own words, in order


def test_a_title_less_record_gets_a_marked_title_and_keeps_its_id() -> None:
    doc = RawDocument(location="r#1", data=LEAD.encode(), fmt="body", origin="record")
    article = extract_document(doc)
    assert article.title == "The harbour at Osterby reopened on Monday after a week of storms"
    assert article.title_derived is True
    assert article.id == article_id(None, LEAD)
    post = f"---\ntitle: Pier reopens\n---\n\n{LEAD}\n".encode()
    titled = extract_document(RawDocument(location="p.md", data=post, fmt="markdown"))
    assert (titled.title, titled.title_derived) == ("Pier reopens", False)


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_a_derived_title_is_stored_and_shown_as_such(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    db = str(tmp_path / "s.db") if backend == "sqlite" else request.getfixturevalue("pg_schema_url")
    path = tmp_path / "export.jsonl"
    path.write_text(json.dumps({"text": LEAD, "source": "Osterby Herald"}) + "\n", encoding="utf-8")
    assert CliRunner().invoke(cli, ["ingest", str(path), "--db", db, "--quiet"]).exit_code == 0
    with open_store(db) as store:
        [article] = store.list_articles()
        assert article.title_derived is True and article.title
        [story] = store.stories_of([article.id]).values()
    shown = CliRunner().invoke(cli, ["article", article.id, "--db", db]).stdout
    assert f"title:     {article.title} (no title: its first words)" in shown
    page = json.loads(CliRunner().invoke(cli, ["story", story, "--db", db, "--format", "json"]).stdout)
    assert page["articles"][0]["title_derived"] is True
    assert "(untitled)" not in CliRunner().invoke(cli, ["story", story, "--db", db]).stdout
