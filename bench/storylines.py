"""Storylines on a real stream: T17 topics as the gold storylines, BCubed of storylines and of stories.

The stream of ``bench/stream.py`` (all T17 topics interleaved in publication order, records of only
``{"text", "published"}``) goes through ``newsdesk.pipeline.ingest`` with default settings into a fresh
SQLite store. Each article's storyline (and, beside it in the same run, its story: the baseline of
storylines = stories) is scored against its T17 topic with BCubed precision, recall and F1, separately on
the topics the storyline threshold was tuned on (egypt, finan, h1n1, haiti) and on the others.

    python bench/storylines.py [--limit N] [--write docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from common import run_sections, shared_dir
from group import bcubed
from newsdesk.pipeline import ingest
from newsdesk.settings import Settings
from newsdesk.store import open_store
from stream import stream_records

TUNED_ON = frozenset({"egypt", "finan", "h1n1", "haiti"})


def measure(shared: Path, limit: int | None) -> list[str]:
    records = stream_records(shared, None, limit)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "stream.jsonl"
        source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for _, r in records), encoding="utf-8")
        with open_store(str(Path(folder) / "newsdesk.db")) as store:
            tick = time.perf_counter()
            ingest([str(source)], store, Settings(offline=True))
            seconds = time.perf_counter() - tick
            articles = store.list_articles()
            topic = {a.id: records[int(a.location.rsplit("#", 1)[1]) - 1][0] for a in articles}
            story = store.stories_of(topic)
            line = store.storylines_of(set(story.values()))
    lines = [
        "### T17 topics as gold storylines",
        "",
        f"Run: `python bench/storylines.py{f' --limit {limit}' if limit else ''}`. {len(topic)} articles of "
        f"{len(set(topic.values()))} topics ingested in {seconds:.0f} s with default settings. The storyline "
        f"threshold was tuned on {', '.join(sorted(TUNED_ON))}; the other topics are held out.",
        "",
        "| topics | grouping | units | BCubed precision | recall | F1 |",
        "|---|---|---|---|---|---|",
    ]
    for name, keep in (("tuned on", True), ("held out", False)):
        ids = [a for a in topic if (topic[a] in TUNED_ON) == keep]
        gold = [topic[a] for a in ids]
        for system, home in (("storylines", lambda a: line[story[a]]), ("stories (baseline)", lambda a: story[a])):
            predicted = [home(a) for a in ids]
            p, r, f = bcubed(predicted, gold)
            lines.append(f"| {name} | {system} | {len(set(predicted))} | {p:.3f} | {r:.3f} | {f:.3f} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, help="the earliest N articles of each topic (default: all)")
    parser.add_argument("--write", type=Path, help="update this Markdown file's storylines section")
    args = parser.parse_args()
    shared = shared_dir()
    run_sections(
        "storylines", "Storylines: stories of one subject linked over time", "storylines.py",
        [lambda: measure(shared, args.limit)], args.write,
    )  # fmt: skip


if __name__ == "__main__":
    main()
