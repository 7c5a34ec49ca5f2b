"""The write stage on real news: faithfulness of every page, and the time to write one.

1. Faithfulness (``../shared/seeds`` and ``../shared/bench/ecbplus-train``): every document goes through
   store and relate as ``newsdesk ingest`` does; one page is written per gold ECB+ event (its articles
   taken as one story) and one for the five seeds. For every sentence a page shows (summary, key-point
   headlines and texts, timeline entries) the check is mechanical: it has at least one citation, every
   citation's quote is exactly its article's body at its span, and the sentence is a part of a cited quote
   (the extractive writer only selects and trims). Reported: the share of sentences that pass (goal 100%).
2. Speed (``../shared/bench/t17``): the time to write the page of a 50-article story (articles of one T17
   topic, one week), median of repeated runs, beside the time of a lead baseline (the first sentence of
   each of the three latest articles, cited) on the same material.

3. The optional language-model writer, when a model server is given (``--llm-url``, ``--llm-model``; any
   OpenAI-compatible endpoint, e.g. llama.cpp's server on loopback): the seeds page and the first
   ``--llm-pages`` ECB+ pages are rewritten by the model, every sentence it returns is checked against the
   sentences it cites, and the share dropped for want of support is reported, beside the extractive writer
   (which drops none: it only selects). Without a server this part says so and measures nothing.

    python bench/write.py [--write docs/benchmarks.md] [--llm-url URL --llm-model NAME [--llm-pages 10]]
"""

from __future__ import annotations

import argparse
import collections
import statistics
import time
from pathlib import Path

from common import run_sections, shared_dir
from data import ecb_documents, t17_articles
from newsdesk.analyse import split_sentences
from newsdesk.records import Article, CitedText, Story, StoryPage
from newsdesk.relate import Relater
from newsdesk.settings import Settings
from newsdesk.store import Store, open_store
from newsdesk.write import compose_page
from newsdesk.write.verify import citation_problems, page_sentences

_KINDS = ("number", "date", "weekday", "status", "name")


def _story(story_id: str, articles: list[Article]) -> Story:
    dates = sorted(a.published for a in articles if a.published)
    updated = dates[-1] if dates else "1970-01-01"
    return Story(story_id, None, updated, updated, dates[0] if dates else None, updated, "live", len(articles))


def _related(store: Store, articles: list[Article]) -> None:
    relater = Relater(store)
    for article in articles:
        with store.transaction():
            if store.add_article(article).new:
                relater.relate(article)


def _check(page: StoryPage, bodies: dict[str, str]) -> tuple[int, int, list[str]]:
    """(sentences shown, sentences that pass, problems) for one page."""
    shown = passed = 0
    problems = citation_problems(page, bodies)
    for text, citations in page_sentences(page):
        for sentence in split_sentences(text):
            shown += 1
            quoted = any(sentence.text[1:] in c.quote for c in citations)
            exact = all(bodies.get(c.article, "")[c.start : c.end] == c.quote for c in citations)
            if citations and quoted and exact:
                passed += 1
            else:
                problems.append(f"unsupported: {sentence.text[:80]}")
    return shown, passed, problems


def faithfulness(shared: Path) -> list[str]:
    from newsdesk.pipeline import ingest

    rows = []
    with open_store(":memory:") as store:
        ingest([str(shared / "seeds")], store, Settings(offline=True))
        ids = [a.id for a in store.list_articles()]
        articles = store.get_articles(ids)
        tick = time.perf_counter()
        page = compose_page(_story("seeds", articles), articles, store.families(ids))
        seconds = time.perf_counter() - tick
        shown, passed, problems = _check(page, {a.id: a.body for a in articles})
        kinds = collections.Counter(d.kind for d in page.discrepancies)
        rows.append(("seeds (5 articles, 1 page)", 1, shown, passed, len(problems), seconds, kinds))
    docs = ecb_documents(shared)
    by_event: dict[str, list[Article]] = collections.defaultdict(list)
    for doc in docs:
        by_event[doc.event].append(doc.article)
    with open_store(":memory:") as store:
        _related(store, [d.article for d in docs])
        shown = passed = bad = 0
        seconds = 0.0
        kinds = collections.Counter()
        flagged: list[str] = []
        for event, articles in sorted(by_event.items()):
            stored = store.get_articles(a.id for a in articles)
            families = store.families(a.id for a in stored)
            tick = time.perf_counter()
            page = compose_page(_story(event, stored), stored, families)
            seconds += time.perf_counter() - tick
            s, p, problems = _check(page, {a.id: a.body for a in stored})
            shown, passed, bad = shown + s, passed + p, bad + len(problems)
            kinds.update(d.kind for d in page.discrepancies)
            flagged += [f"{event}: {d.about}: " + " / ".join(c.value for c in d.claims) for d in page.discrepancies]
        name = f"ECB+ ({len(docs)} articles, {len(by_event)} pages)"
        rows.append((name, len(by_event), shown, passed, bad, seconds, kinds))
    lines = [
        "### Faithfulness: every sentence shown carries a citation it is taken from",
        "",
        "| pages | pages written | sentences shown | with a verified citation | share | problems | time |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, pages, shown, passed, bad, seconds, _ in rows:
        share = passed / shown if shown else 0.0
        lines.append(f"| {name} | {pages} | {shown} | {passed} | {share:.1%} | {bad} | {seconds:.2f} s |")
    lines += [
        "",
        "Discrepancies flagged, by kind (the seeds have one of each of the first four, per SEEDS.md and issue 5):",
        "",
        "| pages | " + " | ".join(_KINDS) + " |",
        "|---|" + "---|" * len(_KINDS),
    ]
    for name, *_, kinds in rows:
        lines.append(f"| {name} | " + " | ".join(str(kinds.get(k, 0)) for k in _KINDS) + " |")
    lines += ["", "Every discrepancy flagged on the ECB+ pages, to judge by reading (event: about: values):", ""]
    lines += [f"- {line}" for line in flagged] or ["- none"]
    lines += [
        "",
        "Goal: 100%. The optional language-model writer's sentences are checked the same way; its drop "
        "share is in the last part of this section.",
    ]
    return lines


def _lead_baseline(articles: list[Article]) -> StoryPage:
    latest = sorted(articles, key=lambda a: a.published or "", reverse=True)[:3]
    sentences = []
    for article in latest:
        first = split_sentences(article.body)[0]
        from newsdesk.write.units import cite

        sentences.append(CitedText(first.text, (cite(article, first.start, first.end),)))
    story = _story("lead", articles)
    return StoryPage(story.id, None, " ".join(s.text for s in sentences), story.updated, len(articles), 0, (),
                     summary_sentences=tuple(sentences))  # fmt: skip


def speed(shared: Path, size: int = 50, repeats: int = 5) -> list[str]:
    topics = t17_articles(shared)
    name, articles = max(topics.items(), key=lambda item: len(item[1]))
    by_week: dict[str, list[Article]] = collections.defaultdict(list)
    for article in articles:
        by_week[(article.published or "")[:8]].append(article)  # year-month-first digit of the day
    chosen = max(by_week.values(), key=len)[:size]
    if len(chosen) < size:
        chosen = sorted(articles, key=lambda a: a.published or "")[:size]
    with open_store(":memory:") as store:
        _related(store, chosen)
        stored = store.get_articles(a.id for a in chosen)
        families = store.families(a.id for a in stored)
        story = _story("speed", stored)
        times, baseline = [], []
        for _ in range(repeats):
            tick = time.perf_counter()
            page = compose_page(story, stored, families)
            times.append(time.perf_counter() - tick)
            tick = time.perf_counter()
            _lead_baseline(stored)
            baseline.append(time.perf_counter() - tick)
    words = sum(len(a.body.split()) for a in stored)
    return [
        "### Speed: one page for a 50-article story",
        "",
        f"T17 topic `{name}`, {len(stored)} articles ({words:,} words), median of {repeats} runs after relate:",
        "",
        "| writer | time per page | key points | timeline entries | discrepancies |",
        "|---|---|---|---|---|",
        f"| newsdesk extractive writer | {statistics.median(times):.2f} s | {len(page.key_points)} | "
        f"{len(page.timeline)} | {len(page.discrepancies)} |",
        f"| baseline: lead sentences of the 3 latest articles | {statistics.median(baseline) * 1000:.1f} ms "
        "| - | - | - |",
        "",
        "Goal: under 1 second on 2 cores.",
    ]


def model_writer(shared: Path, url: str | None, model: str | None, pages: int) -> list[str]:
    heading = ["### The optional language-model writer: sentences dropped for want of support", ""]
    if not url or not model:
        return [
            *heading,
            "Not measured in this run: no model server was given (`--llm-url`, `--llm-model`). The check itself "
            "is tested against a scripted server in `tests/test_write.py`.",
        ]
    from newsdesk.errors import WriterError
    from newsdesk.pipeline import ingest
    from newsdesk.write.llm import rewrite_page

    settings = Settings(llm_url=url, llm_model=model, timeout=600.0)
    jobs: list[tuple[str, StoryPage, dict[str, str]]] = []
    with open_store(":memory:") as store:
        ingest([str(shared / "seeds")], store, Settings(offline=True))
        articles = store.get_articles(a.id for a in store.list_articles())
        page = compose_page(_story("seeds", articles), articles, store.families(a.id for a in articles))
        jobs.append(("seeds", page, {a.id: a.body for a in articles}))
    by_event: dict[str, list[Article]] = collections.defaultdict(list)
    for doc in ecb_documents(shared):
        by_event[doc.event].append(doc.article)
    with open_store(":memory:") as store:
        _related(store, [a for event in sorted(by_event)[:pages] for a in by_event[event]])
        for event in sorted(by_event)[:pages]:
            stored = store.get_articles(a.id for a in by_event[event])
            page = compose_page(_story(event, stored), stored, store.families(a.id for a in stored))
            jobs.append((event, page, {a.id: a.body for a in stored}))
    rows, failures = [], []
    written = dropped = problems = 0
    seconds = 0.0
    for name, page, bodies in jobs:
        tick = time.perf_counter()
        try:
            result = rewrite_page(page, settings)
        except WriterError as error:
            failures.append(f"{name}: {str(error)[:160]}")
            continue
        finally:
            seconds += time.perf_counter() - tick
        written += result.written_sentences
        dropped += result.dropped_sentences
        problems += len(citation_problems(result, bodies))
        share = result.dropped_sentences / result.written_sentences if result.written_sentences else 0.0
        rows.append(f"| {name} | {result.written_sentences} | {result.dropped_sentences} | {share:.0%} |")
    answered = len(jobs) - len(failures)
    total = f"{dropped / written:.1%}" if written else "-"
    unusable = ["", "Answers that could not be used:", "", *[f"- {f}" for f in failures]] if failures else []
    return [
        *heading,
        f"Model `{model}` at an OpenAI-compatible endpoint on this machine; {len(jobs)} pages (the seeds and the "
        f"first {pages} ECB+ events), {seconds / max(1, len(jobs)):.1f} s per page. Command: "
        f"`python bench/write.py --llm-url URL --llm-model {model} --llm-pages {pages}`.",
        "",
        "| page | sentences the model wrote | dropped (unsupported by the sentences it cites) | share |",
        "|---|---|---|---|",
        *rows,
        f"| **all** | **{written}** | **{dropped}** | **{total}** |",
        "| extractive writer (baseline, same pages) | every sentence is a cited quote or part of one | 0 | 0% |",
        "",
        f"Pages whose answer could be used: {answered} of {len(jobs)}; citation problems on the rewritten pages: "
        f"{problems}. A page whose answer is not the JSON asked for keeps its extractive text.",
        *unusable,
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", type=Path, help="update this Markdown file's write section")
    parser.add_argument("--llm-url", help="OpenAI-compatible endpoint for the optional writer's drop share")
    parser.add_argument("--llm-model", help="model name to send to that endpoint")
    parser.add_argument("--llm-pages", type=int, default=10, help="ECB+ pages to rewrite (besides the seeds)")
    args = parser.parse_args()
    shared = shared_dir()
    run_sections(
        "write",
        "Write: story pages",
        "write.py",
        [
            lambda: faithfulness(shared),
            lambda: speed(shared),
            lambda: model_writer(shared, args.llm_url, args.llm_model, args.llm_pages),
        ],
        args.write,
    )


if __name__ == "__main__":
    main()
