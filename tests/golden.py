"""How the golden files of the sample corpus are made (shared by the tests and scripts/regen_golden.py)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from newsdesk.errors import InputError
from newsdesk.pipeline import extract_inputs
from newsdesk.records import Article
from newsdesk.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
GOLDEN_ARTICLES = ROOT / "tests" / "golden" / "corpus-articles.json"
GOLDEN_PAGES = ROOT / "tests" / "golden" / "corpus-stories.md"


def corpus_articles() -> list[Article]:
    """Every article of examples/corpus, extracted offline, with locations relative to the repository."""
    folder = ROOT / "examples" / "corpus"
    articles: list[Article] = []
    for item in extract_inputs([str(folder)], Settings(offline=True), notify=lambda *_: None):
        if isinstance(item, InputError):
            raise item
        relative = "examples/corpus/" + item.location.removeprefix(str(folder)).lstrip("/")
        articles.append(replace(item, location=relative))
    return articles


def corpus_pages() -> str:
    """The Markdown page of every story of the sample corpus, ingested in one run, ordered by story id."""
    from newsdesk.pipeline import ingest
    from newsdesk.publish.markdown import story_markdown
    from newsdesk.store import open_store
    from newsdesk.write import write_story

    with open_store(":memory:") as store:
        ingest([str(ROOT / "examples" / "corpus")], store, Settings(offline=True))
        ids = sorted(s.id for s in store.list_stories())
        return "\n---\n\n".join(story_markdown(write_story(store, story_id)) for story_id in ids)
