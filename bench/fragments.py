"""Why stories fragment: each Multi-News cluster ingested alone, and every article that did not join.

For each cluster of ``../shared/bench/multinews-dev`` the articles go through ``newsdesk ingest`` as in
``bench/summaries.py`` (a fresh in-memory store, consecutive days). Every article the grouper sees is
scored against every live story already in the store (not only the candidates its postings found),
family by family, and for each article that founded a story while one existed the report prints its
best similarity beside the join threshold, each family's cosine and share of the score, whether the
story was among the posted candidates, and the article's length in words and sentences.

    python bench/fragments.py [--limit N] [--verbose]
"""

from __future__ import annotations

import argparse
import collections
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from common import shared_dir
from newsdesk.group import Grouper
from newsdesk.group.centroid import Centroid
from newsdesk.group.features import FAMILIES, NORMALISED
from newsdesk.settings import Settings
from newsdesk.store import open_store
from summaries import load_clusters


@dataclass
class Seen:
    """One article as the grouper saw it, against the best live story before it."""

    article_id: str
    words: int
    sentences: int
    how: str
    similarity: float  # to the best story, as scored
    threshold: float
    cosines: dict[str, float]  # per family, to the best story
    candidate: bool  # the best story was among the posted candidates
    stories: int  # live stories before it
    empty: list[str]  # families the article or the story has no feature of (their cosine is 0)


def _cosines(vector: object, centroid: Centroid) -> dict[str, float]:
    keys, values, families = vector.keys, vector.values, vector.families  # type: ignore[attr-defined]
    position = np.minimum(np.searchsorted(centroid.keys, keys), max(len(centroid.keys) - 1, 0))
    hit = centroid.keys[position] == keys if len(centroid.keys) else np.zeros(len(keys), bool)
    dots = np.bincount(families[hit], weights=values[hit] * centroid.values[position[hit]], minlength=len(FAMILIES))
    norms = centroid.norms
    return {f: float(dots[i] / norms[i]) if norms[i] else 0.0 for i, f in enumerate(FAMILIES)}


def _watch(seen: list[Seen]) -> None:
    """Wrap ``Grouper._decide`` so that every decision is recorded against every live story."""
    original = Grouper._decide

    def decide(self, arrival, relations):  # type: ignore[no-untyped-def]
        store = self.store
        live = [s for s in store.list_stories() if not s.merged_into]
        states = store.story_centroids([s.id for s in live])
        found = {i for i, _ in store.find_stories(arrival.posted, posting_cap=10**6, limit=10**6)}
        best: tuple[float, dict[str, float], str] | None = None
        empty: list[str] = []
        for story in live:
            centroid = Centroid.from_bytes(states[story.id][1])
            cosines = _cosines(arrival.vector, centroid)
            score = sum(NORMALISED[f] * c for f, c in cosines.items())
            if best is None or score > best[0]:
                best = (score, cosines, story.id)
                present = set(arrival.vector.families.tolist())
                empty = [f for i, f in enumerate(FAMILIES) if i not in present or not centroid.norms[i]]
        assignment, loaded = original(self, arrival, relations)
        article = arrival.article
        seen.append(
            Seen(
                article.id, len(article.body.split()), len(article.body.splitlines()), assignment.how,
                best[0] if best else 0.0, self.settings.threshold, best[1] if best else {},
                bool(best) and best[2] in found, len(live), empty,
            )
        )  # fmt: skip
        return assignment, loaded

    Grouper._decide = decide  # type: ignore[method-assign]


def run(limit: int | None, verbose: bool) -> None:
    from newsdesk.analyse import split_sentences
    from newsdesk.pipeline import ingest

    clusters = load_clusters(shared_dir())[:limit]
    seen: list[Seen] = []
    _watch(seen)
    causes: collections.Counter[str] = collections.Counter()
    split = 0
    with tempfile.TemporaryDirectory() as work:
        for number, cluster in enumerate(clusters):
            path = Path(work) / f"{cluster.name}.jsonl"
            with path.open("w", encoding="utf-8") as out:
                for day, text in enumerate(cluster.documents, start=1):
                    out.write(json.dumps({"text": text, "published": f"2024-01-{day:02d}"}) + "\n")
            seen.clear()
            with open_store(":memory:") as store:
                ingest([str(path)], store, Settings(offline=True))
                stories = [s for s in store.list_stories() if not s.merged_into]
                bodies = {a.id: a.body for a in store.list_articles()}
            for item in seen:
                item.sentences = len(split_sentences(bodies[item.article_id]))
            half = "dev" if number < len(clusters) // 2 else "test"
            lengths = "/".join(str(s.words) for s in seen)
            print(f"{number:2d} {half:4s} {cluster.name[:28]:28s} stories {len(stories)}  words {lengths}")
            if len(stories) > 1:
                split += 1
            for item in seen:
                if item.stories == 0:
                    continue
                weak = [f for f in FAMILIES if item.cosines.get(f, 0) < 0.15]
                share = " ".join(
                    f"{f} {item.cosines.get(f, 0):.2f}({NORMALISED[f] * item.cosines.get(f, 0):.3f})" for f in FAMILIES
                )
                if item.how == "founded":
                    cause = "not a candidate" if not item.candidate else "below threshold"
                    causes[cause] += 1
                    print(
                        f"     FOUNDED {item.words:5d}w {item.sentences:3d}s best {item.similarity:.3f} < "
                        f"{item.threshold:.2f} cand={item.candidate} weak={','.join(weak)} "
                        f"empty={','.join(item.empty)}\n       {share}"
                    )
                elif verbose:
                    print(f"     {item.how:8s} {item.words:5d}w best {item.similarity:.3f}  {share}")
    print(f"\nclusters split: {split} of {len(clusters)}; founding articles by cause: {dict(causes)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, help="only the first N clusters")
    parser.add_argument("--verbose", action="store_true", help="also print the articles that joined")
    args = parser.parse_args()
    run(args.limit, args.verbose)


if __name__ == "__main__":
    main()
