"""Regenerate the golden files of the sample corpus after a deliberate change in extraction or writing.

    python scripts/regen_golden.py

Review the diff (`git diff tests/golden`) before committing: every change in it is a change in
what users get.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from golden import GOLDEN_ARTICLES, GOLDEN_PAGES, corpus_articles, corpus_pages  # noqa: E402


def main() -> None:
    os.chdir(ROOT)
    records = [article.to_dict() for article in corpus_articles()]
    GOLDEN_ARTICLES.write_text(json.dumps(records, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {len(records)} articles to {GOLDEN_ARTICLES.relative_to(ROOT)}")
    GOLDEN_PAGES.write_text(corpus_pages(), encoding="utf-8")
    print(f"wrote the story pages to {GOLDEN_PAGES.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
