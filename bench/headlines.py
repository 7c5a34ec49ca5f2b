"""Key-point headlines by deletion on real sentences: the first three sentences of T17 articles.

    PYTHONPATH=src:bench python bench/headlines.py [--articles 300] [--examples 25]

Articles are split into a dev half and a held-out test half by a hash of their id. Reports, per half: the
share of headlines that are deletions of their sentence (must be 100%), the share that repeat the sentence's
start, and headline length (median, p10, p90 words); then random examples from the test half.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import statistics
import time

from common import shared_dir
from data import t17_articles
from newsdesk.analyse import split_sentences
from newsdesk.write.compress import claim_span
from newsdesk.write.shorten import distinct_headline, is_deletion, repeats_start


def half(article_id: str) -> str:
    return "test" if int(hashlib.sha1(article_id.encode()).hexdigest(), 16) % 2 else "dev"


def percentile(values: list[int], share: float) -> int:
    ordered = sorted(values)
    return ordered[max(0, round(share * len(ordered) + 0.5) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--examples", type=int, default=25)
    args = parser.parse_args()
    topics = t17_articles(shared_dir())
    every = [a for name in sorted(topics) for a in topics[name]]
    chosen = random.Random(17).sample(every, min(args.articles, len(every)))
    rows: dict[str, list[tuple[str, str]]] = {"dev": [], "test": []}
    started = time.perf_counter()
    for article in chosen:
        for sentence in split_sentences(article.body)[:3]:
            text = sentence.text
            start, end = claim_span(text)
            shown = text[start:end].strip()
            rows[half(article.id)].append((text, distinct_headline(text, shown[:1].upper() + shown[1:])))
    elapsed = time.perf_counter() - started
    for name, pairs in rows.items():
        words = [len(h.split()) for _, h in pairs]
        deletions = sum(is_deletion(h, s) for s, h in pairs)
        repeats = 0
        for s, h in pairs:
            start, end = claim_span(s)
            repeats += repeats_start(h, s[start:end].strip())
        print(
            f"{name}: {len(pairs)} sentences; deletions {deletions / len(pairs):.1%}; repeat the start "
            f"{repeats / len(pairs):.1%}; words median {statistics.median(words):g}, p10 {percentile(words, 0.1)}, "
            f"p90 {percentile(words, 0.9)}"
        )
    total = sum(len(p) for p in rows.values())
    print(f"{total} headlines in {elapsed:.2f} s ({1000 * elapsed / max(1, total):.2f} ms each)")
    for sentence, head in random.Random(5).sample(rows["test"], min(args.examples, len(rows["test"]))):
        print(f"\n- {sentence}\n  => {head}")


if __name__ == "__main__":
    main()
