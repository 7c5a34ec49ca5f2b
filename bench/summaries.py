"""What a story page says, against summaries written by people (Multi-News clusters).

For each cluster of ``../shared/bench/multinews-dev`` (2-4 articles and one human summary of them):

1. Every article goes through ``newsdesk ingest`` as it would on the command line (a JSONL record
   ``{"text", "published"}`` per article, into a fresh SQLite store, offline). The data carries no dates,
   so the articles get consecutive days in their order in the cluster (the last is the newest). Every
   story the cluster ends up in is written with ``write_story``; newsdesk's prose is the page's summary
   sentences, then its key-point texts, in order; when the articles split over several stories, the
   largest story's prose comes first, then the others' (largest first).
2. Baselines read the same stored article bodies (what extraction kept): Lead (the newest article's
   sentences from its start), LexRank and TextRank (``sumy``, English stemmer and stop words, sentences by
   rank until there are enough words, shown in document order) and a TF-IDF centroid selector (sentences
   by cosine to the cluster's centroid, skipping one too close to a sentence already taken).
3. Every system's text is cut to N words, for N = 100 and N = the reference's own length, and scored with
   ``rouge-score`` (ROUGE-1, ROUGE-2, ROUGE-L F1, Porter stemming), mean over clusters.

    python bench/summaries.py [--limit N] [--write docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from common import run_sections, shared_dir
from newsdesk.analyse import split_sentences
from newsdesk.records import StoryPage
from newsdesk.settings import Settings
from newsdesk.store import open_store

_WORD = re.compile(r"\w+(?:['’]\w+)*")
_SYSTEMS = ("newsdesk", "Lead", "LexRank", "TextRank", "TF-IDF centroid")
_MEASURES = ("rouge1", "rouge2", "rougeL")
_REDUNDANT = 0.5  # the centroid selector skips a sentence at this cosine or more to one already taken


@dataclass(frozen=True)
class Cluster:
    name: str
    documents: list[str]
    reference: str


@dataclass(frozen=True)
class Result:
    name: str
    reference_words: int
    texts: dict[str, str]  # system -> its whole text, before cutting
    stories: int
    pages: int
    key_points: int
    repeating: int
    failed: int  # documents ingest could not read
    duplicates: int  # documents whose text was already stored (the same article)
    seconds: float  # newsdesk's ingest and write


def load_clusters(shared: Path) -> list[Cluster]:
    path = shared / "bench" / "multinews-dev" / "clusters.jsonl"
    clusters = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            documents = [d["rawDocumentText"] for d in record["documents"]]
            clusters.append(Cluster(record["unique_id"], documents, record["response"]))
    return clusters


class _Tokenizer:
    """What sumy asks of a tokenizer, without nltk's punkt data: newsdesk's sentences and a word regex."""

    language = "english"

    @staticmethod
    def to_sentences(text: str) -> tuple[str, ...]:
        return tuple(s.text for s in split_sentences(text))

    @staticmethod
    def to_words(sentence: str) -> tuple[str, ...]:
        return tuple(_WORD.findall(sentence))


def _words(text: str) -> int:
    return len(text.split())


def _enough(words: int) -> Callable[[list], list]:
    """A sumy sentence count: the best-rated sentences until they hold ``words`` words."""

    def take(infos: list) -> list:
        chosen, total = [], 0
        for info in infos:
            if total >= words:
                break
            chosen.append(info)
            total += _words(str(info.sentence))
        return chosen

    return take


def _sumy(kind: str, bodies: list[str], words: int) -> str:
    from sumy.nlp.stemmers import Stemmer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    document = PlaintextParser.from_string("\n\n".join(bodies), _Tokenizer()).document
    summarizer = (LexRankSummarizer if kind == "LexRank" else TextRankSummarizer)(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    return " ".join(str(s) for s in summarizer(document, _enough(words)))


def _centroid(bodies: list[str], words: int) -> str:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    sentences = [s.text for body in bodies for s in split_sentences(body) if _WORD.search(s.text)]
    if not sentences:
        return ""
    vectors = TfidfVectorizer(stop_words="english", sublinear_tf=True).fit_transform(sentences)
    centroid = vectors.mean(axis=0).A
    scores = cosine_similarity(vectors, centroid).ravel()
    similar = cosine_similarity(vectors)
    chosen: list[int] = []
    total = 0
    for index in sorted(range(len(sentences)), key=lambda i: (-scores[i], i)):
        if total >= words:
            break
        if any(similar[index, j] >= _REDUNDANT for j in chosen):
            continue
        chosen.append(index)
        total += _words(sentences[index])
    return " ".join(sentences[i] for i in chosen)


def _lead(bodies: list[str]) -> str:
    return " ".join(s.text for s in split_sentences(bodies[-1])) if bodies else ""


def _prose(page: StoryPage) -> list[str]:
    return [s.text for s in page.summary_sentences] + [k.text for k in page.key_points]


def run_cluster(cluster: Cluster, work: Path) -> Result:
    from newsdesk.pipeline import ingest
    from newsdesk.write import write_story

    path = work / f"{cluster.name}.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for day, text in enumerate(cluster.documents, start=1):
            out.write(json.dumps({"text": text, "published": f"2024-01-{day:02d}"}, ensure_ascii=False) + "\n")
    tick = time.perf_counter()
    with open_store(":memory:") as store:
        report = ingest([str(path)], store, Settings(offline=True))
        stories = store.list_stories()
        sizes = {s.id: len(store.story_members(s.id)) for s in stories}
        pages = [write_story(store, s.id) for s in sorted(stories, key=lambda s: (-sizes[s.id], s.seq))]
        seconds = time.perf_counter() - tick
        articles = store.list_articles()  # arrival order: by publication, so the newest is last
        bodies = [a.body for a in sorted(articles, key=lambda a: a.published or "")]
    prose = " ".join(text for page in pages for text in _prose(page))
    longest = max(_words(cluster.reference), 100)
    texts = {
        "newsdesk": prose,
        "Lead": _lead(bodies),
        "LexRank": _sumy("LexRank", bodies, longest),
        "TextRank": _sumy("TextRank", bodies, longest),
        "TF-IDF centroid": _centroid(bodies, longest),
    }
    repeating = sum(
        1 for page in pages for k in page.key_points if any(s.text in k.text for s in page.summary_sentences)
    )
    return Result(
        name=cluster.name,
        reference_words=_words(cluster.reference),
        texts=texts,
        stories=len(stories),
        pages=len(pages),
        key_points=sum(len(page.key_points) for page in pages),
        repeating=repeating,
        failed=len(report.failures),
        duplicates=len(report.unchanged),
        seconds=seconds,
    )


def _cut(text: str, words: int) -> str:
    return " ".join(text.split()[:words])


def scores(shared: Path, limit: int | None) -> list[str]:
    from rouge_score import rouge_scorer

    clusters = load_clusters(shared)[:limit]
    scorer = rouge_scorer.RougeScorer(list(_MEASURES), use_stemmer=True)
    tick = time.perf_counter()
    with tempfile.TemporaryDirectory() as work:
        results = [run_cluster(c, Path(work)) for c in clusters]
    elapsed = time.perf_counter() - tick
    table: dict[tuple[str, str], list[float]] = {}
    for cluster, result in zip(clusters, results, strict=True):
        for cut in ("100", "ref"):
            words = 100 if cut == "100" else result.reference_words
            for system in _SYSTEMS:
                found = scorer.score(cluster.reference, _cut(result.texts[system], words))
                for measure in _MEASURES:
                    table.setdefault((system, cut + measure), []).append(found[measure].fmeasure * 100)
    prose_words = [_words(r.texts["newsdesk"]) for r in results]
    split = sum(1 for r in results if r.stories > 1)
    short = sum(1 for r, words in zip(results, prose_words, strict=True) if words < r.reference_words)
    pages = sum(r.pages for r in results)
    key_points = sum(r.key_points for r in results)
    repeating = sum(r.repeating for r in results)
    failed = sum(r.failed for r in results)
    duplicates = sum(r.duplicates for r in results)
    documents = sum(len(c.documents) for c in clusters)
    reference = statistics.mean(r.reference_words for r in results)
    lines = [
        "### ROUGE F1 against the human summaries (Multi-News, via Attribute-First)",
        "",
        f"{len(clusters)} clusters, {documents} articles; reference summaries {reference:.0f} words on average. "
        "Each system's text cut to 100 words, and to the reference's own length; mean over clusters, F1 x 100.",
        "",
        "| system | R-1 @100 | R-2 @100 | R-L @100 | R-1 @ref | R-2 @ref | R-L @ref |",
        "|---|---|---|---|---|---|---|",
    ]
    for system in _SYSTEMS:
        cells = [f"{statistics.mean(table[(system, cut + m)]):.2f}" for cut in ("100", "ref") for m in _MEASURES]
        name = "newsdesk (summary, then key points)" if system == "newsdesk" else f"baseline: {system}"
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "| newsdesk's pages | value |",
        "|---|---|",
        f"| clusters whose articles split over several stories | {split} of {len(clusters)} |",
        f"| pages written | {pages} |",
        f"| articles ingest could not read; identical to one already stored | {failed}; {duplicates} of {documents} |",
        f"| words of prose before cutting (mean; median) | {statistics.mean(prose_words):.0f}; "
        f"{statistics.median(prose_words):.0f} |",
        f"| clusters whose prose is shorter than the reference | {short} of {len(clusters)} |",
        f"| key-point texts per page (mean) | {key_points / max(1, pages):.2f} |",
        f"| key-point texts that hold a summary sentence word for word, per page (mean; total) | "
        f"{repeating / max(1, pages):.2f}; {repeating} |",
        f"| ingest and write, per cluster (mean) | {statistics.mean(r.seconds for r in results):.2f} s |",
        "",
        f"All systems ran in {elapsed:.0f} s. The articles carry no dates: they were given consecutive days in "
        "cluster order. Published on the full Multi-News test set (other lengths, approximate): Hi-MAP R-1/R-2 "
        "43.47/14.89; LexRank, TextRank and Lead-3 around 38-39 R-1. Compare with the baselines of this run.",
    ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", type=Path, help="update this Markdown file's summaries section")
    parser.add_argument("--limit", type=int, help="only the first N clusters")
    args = parser.parse_args()
    shared = shared_dir()
    run_sections(
        "summaries", "Write: pages against human summaries", "summaries.py", [lambda: scores(shared, args.limit)],
        args.write,
    )  # fmt: skip


if __name__ == "__main__":
    main()
