"""The five seed documents (read from ../shared/seeds by path; their absence is a failure)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.extract import extract_document
from newsdesk.pipeline import ingest
from newsdesk.records import Article, RawDocument, article_id
from newsdesk.settings import Settings
from newsdesk.store import SQLiteStore


def _extract(seeds: Path, prefix: str) -> Article:
    path = next(seeds.glob(f"{prefix}_*.txt"))
    return extract_document(RawDocument(location=str(path), data=path.read_bytes()))


def test_jekyll_repost(seeds: Path) -> None:
    article = _extract(seeds, "000")
    assert article.title == "After months of acrimony, Colombia's Petro is about to meet Trump"
    assert article.title_prefix == "Big News"
    assert (article.published, article.published_from) == ("2026-02-03T00:00:32", "front-matter")
    assert article.author == "badely"
    assert article.format == "markdown"
    assert article.body.startswith("It has been recently reported that Colombian President Gustavo Petro")
    assert "layout:" not in article.body and "excerpt:" not in article.body


def test_bare_summary_has_no_title_and_no_date(seeds: Path) -> None:
    article = _extract(seeds, "001")
    # It has no title of its own: the one shown is its first words, marked, and not part of its id.
    assert article.title_derived and (article.title or "").startswith("Colombian President Gustavo Petro")
    assert article.id == article_id(None, article.body)
    assert (article.published, article.published_from) == (None, None)
    assert article.body.startswith("Colombian President Gustavo Petro is set to meet")
    assert article.kind == "report"


def test_rewrite_title_is_its_first_line(seeds: Path) -> None:
    article = _extract(seeds, "002")
    assert article.title == "High-Stakes Meeting: Colombia's Petro Set to Meet Trump Amid Tensions"
    assert article.body.startswith("Colombian President Gustavo Petro is heading to Washington")
    assert article.body.rstrip().endswith("international partnerships.")
    assert article.body == article.body.strip()


def test_intellinews_page_dump(seeds: Path) -> None:
    article = _extract(seeds, "003")
    assert article.title == "Colombia's Petro meets Trump at White House in bid to mend strained relations"
    assert article.author == "Cynthia Michelle Aranguren Hernández"
    assert (article.published, article.published_from) == ("2026-02-03", "text")
    assert article.body.startswith("Colombian President Gustavo Petro emerged")
    paragraphs = article.body.split("\n\n")
    furniture = {"Log In", "Try PRO", "AD", "Most Read", "About Us", "Contact Us", "Advertising", "Cookie Policy",
                 "Privacy Policy", "INTELLINEWS", "Already have a PRO account?"}  # fmt: skip
    assert not furniture & set(paragraphs)
    assert "Unlock premium news" not in article.body
    assert article.title not in article.body
    assert paragraphs[-1].startswith("At home,")


def test_aggregator_page_is_a_digest_with_markers_as_structure(seeds: Path) -> None:
    article = _extract(seeds, "004")
    assert article.kind == "digest"
    assert article.title == "Colombian President Gustavo Petro to Meet Donald Trump at White House on Feb 6"
    assert article.digest is not None
    assert article.digest.claimed_article_count == 3
    assert len(article.digest.markers) >= 10
    assert "[1]" not in article.body and "Updated (3 articles)" not in article.body
    assert {ref for marker in article.digest.markers for ref in marker.refs} == {1, 2, 3}
    for marker in article.digest.markers:
        assert 0 < marker.offset <= len(article.body)


def test_ingesting_the_folder_twice_stores_five_articles(seeds: Path, tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "seeds.db") as store:
        first = ingest([str(seeds)], store, Settings(offline=True))
        second = ingest([str(seeds)], store, Settings(offline=True))
        assert (len(first.new), len(first.unchanged), first.failures) == (5, 0, [])
        assert (len(second.new), len(second.unchanged), second.failures) == (0, 5, [])
        assert store.count_articles() == 5


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_every_seed_is_english(seeds: Path, prefix: str) -> None:
    assert _extract(seeds, prefix).language == "en"
