"""Readers for the shared benchmark data: ECB+ documents and T17 articles, as newsdesk Articles.

The benchmark texts are tokenised one sentence per line ("Petro 's visit ."); :func:`detokenize`
puts them back into ordinary running text so they read like the articles newsdesk meets.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path

from newsdesk.records import Article, article_id

_SPACE_BEFORE = re.compile(r" (?=[.,;:!?%)\]}]|'s\b|'re\b|'ve\b|'ll\b|'d\b|'m\b|n't\b|'')")
_SPACE_AFTER = re.compile(r"(?:(?<=[(\[{$])|(?<=``)) ")


def detokenize(line: str) -> str:
    text = line.strip().replace("-LRB-", "(").replace("-RRB-", ")")
    text = _SPACE_BEFORE.sub("", text)
    text = _SPACE_AFTER.sub("", text)
    text = text.replace("``", "\u201c").replace("''", "\u201d")
    text = re.sub(r" (n't)\b", r"\1", text)
    return re.sub(r"\s+", " ", text)


def make_article(
    body: str,
    *,
    location: str,
    title: str | None = None,
    published: str | None = None,
    source: str | None = None,
    kind: str = "report",
) -> Article:
    return Article(
        id=article_id(title, body), title=title, body=body, published=published,
        published_from="record" if published else None, author=None, source=source, url=None,
        language="en", kind=kind, location=location, format="record",
    )  # fmt: skip


@dataclass(frozen=True)
class EcbDoc:
    doc: str
    topic: int
    event: str
    article: Article


def ecb_documents(shared: Path) -> list[EcbDoc]:
    docs = []
    path = shared / "bench" / "ecbplus-train" / "docs.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        sentences = [detokenize(s) for s in record["text"].split("\n") if s.strip()]
        body = "\n\n".join(sentences)
        article = make_article(body, location=f"ecbplus:{record['doc']}")
        docs.append(EcbDoc(record["doc"], int(record["topic"]), record["event_cluster"], article))
    return docs


def t17_articles(shared: Path, topics: list[str] | None = None) -> dict[str, list[Article]]:
    """Articles of each T17 topic, paragraphs of up to three sentences, dated by publication."""
    csv.field_size_limit(1 << 30)
    out: dict[str, list[Article]] = {}
    root = shared / "bench" / "t17" / "docs"
    for folder in sorted(root.iterdir()):
        if topics and folder.name not in topics:
            continue
        articles = []
        with (folder / "articles.csv").open(encoding="utf-8", newline="") as handle:
            for number, row in enumerate(csv.DictReader(handle)):
                sentences = [detokenize(s) for s in row["text"].split("\n") if s.strip()]
                paragraphs = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
                body = "\n\n".join(paragraphs)
                if not body:
                    continue
                articles.append(make_article(body, location=f"t17:{folder.name}:{number}", published=row["date"]))
        out[folder.name] = articles
    return out
