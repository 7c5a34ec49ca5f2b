"""Golden tests on the bundled sample corpus (fiction written for this project)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from golden import GOLDEN_ARTICLES, ROOT, corpus_articles
from newsdesk.pipeline import ingest
from newsdesk.records import Article
from newsdesk.settings import Settings
from newsdesk.store import SQLiteStore

TRUTH = json.loads((ROOT / "examples" / "corpus.truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def extracted() -> list[Article]:
    return corpus_articles()


def test_corpus_matches_its_golden_file(extracted: list[Article]) -> None:
    """Regenerate with `python scripts/regen_golden.py` after a deliberate change, and review the diff."""
    golden = json.loads(GOLDEN_ARTICLES.read_text(encoding="utf-8"))
    assert [a.to_dict() for a in extracted] == golden


def _instant(value: str | None) -> object:
    if value is None or "T" not in value:
        return value
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def test_corpus_metadata_matches_what_its_authors_wrote(extracted: list[Article]) -> None:
    by_file = {a.location.removeprefix("examples/corpus/"): a for a in extracted}
    assert sorted(by_file) == sorted(t["file"] for t in TRUTH["articles"])
    for truth in TRUTH["articles"]:
        article = by_file[truth["file"]]
        got = (
            None if article.title_derived else article.title,  # the authors gave it none
            article.title_prefix,
            article.author,
            _instant(article.published),
            article.kind,
            article.source,
        )
        want = (
            truth["title"],
            truth["title_prefix"],
            truth["author"],
            _instant(truth["published"]),
            truth["kind"],
            truth["outlet"],
        )
        assert got == want, truth["file"]


def test_corpus_has_the_promised_variety(extracted: list[Article]) -> None:
    assert len(extracted) >= 15
    assert len({t["story"] for t in TRUTH["articles"]}) >= 3
    assert len({t["outlet"] for t in TRUTH["articles"] if t["outlet"]}) >= 6
    formats = {a.format for a in extracted}
    assert formats == {"html", "markdown", "text", "feed", "record"}
    locations = {Path(a.location.split("#")[0]).name for a in extracted}
    assert any(name.endswith(".html.gz") for name in locations)
    assert {"copy", "rewrite", "summary", "digest", "excerpt"} <= {t["role"] for t in TRUTH["articles"]}
    assert any(a.kind == "digest" and a.digest and a.digest.markers for a in extracted)
    assert any(a.title_prefix for a in extracted)


def test_corpus_ingests_cleanly_and_only_once(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "corpus.db") as store:
        report = ingest([str(ROOT / "examples" / "corpus")], store, Settings(offline=True))
        assert report.failures == []
        assert len(report.new) == len(TRUTH["articles"])
        again = ingest([str(ROOT / "examples" / "corpus")], store, Settings(offline=True))
        assert (len(again.new), len(again.unchanged)) == (0, len(TRUTH["articles"]))
