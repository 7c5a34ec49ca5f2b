"""A real stream end to end: T17 articles ingested as one JSONL file, then every story's page written.

Nothing is called but what the command line calls, with its defaults: ``newsdesk ingest FILE`` (that is
``newsdesk.pipeline.ingest``) into a fresh SQLite store, then ``newsdesk story ID`` (``write_story`` and
``story_markdown``) for every story of 3 or more articles.

1. The stream (``../shared/bench/t17``): the articles of the chosen topics (``--topics``, default all;
   ``--limit`` the earliest N of each), interleaved across topics in publication order, each record only
   ``{"text", "published"}``: T17 gives no titles and no outlets, as many real feeds and dumps do not.
2. What the pages show, per topic (a story's topic is the majority topic of its articles) and overall:
   - furniture: the share of shown sentences (title, summary sentences, key-point headlines and texts,
     timeline entries) that are page furniture, judged here and not by newsdesk: a sentence that occurs
     (lower case, digits as 0, spaces collapsed) in 3 or more stored articles of different families, or a
     line of a generic form (wire dateline, byline, "NEW:", "Follow ...", "Send your ...", "Click here", copyright,
     "Reporting by", "Editing by", photo credit);
   - headlines: the share of key-point headlines that repeat the start of their own text, and their length;
   - titles and outlets: stories and listed sources with no title; articles whose outlet is known;
   - citations: the share of shown sentences whose every citation quotes its article's body at its span,
     and the citations per sentence.
   Beside it, in the same run, a lead baseline page per story (title: the first sentence of the earliest
   article; summary: the first 3 sentences of the latest), scored with the same furniture and title measures.
3. Speed: ingest in articles per second (extract, store, relate, group), pages written per second.

Three pages are saved as Markdown under ``out/stream/`` for reading.

    python bench/stream.py [--topics egypt,libya] [--limit 60] [--write docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import statistics
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from common import ROOT, run_sections, shared_dir
from data import t17_articles
from newsdesk.analyse import split_sentences
from newsdesk.pipeline import ingest
from newsdesk.publish.markdown import story_markdown
from newsdesk.records import INLINE_SOURCES, Article, Citation, CitationRefs, StoryPage
from newsdesk.settings import Settings
from newsdesk.store import Store, open_store
from newsdesk.write import write_story

MIN_ARTICLES = 3  # stories written
REPEATED_IN = 3  # unrelated articles a sentence must occur in to count as furniture
MIN_WORDS = 3  # shorter repeated sentences ("He said.") are language, not furniture
SAMPLES = 3
OUT = ROOT / "out" / "stream"

_FORMS = [
    (
        "dateline",
        re.compile(
            r"^[A-Z][A-Za-z.'-]*(?: [A-Z][A-Za-z.'-]*){0,3}(?:, [A-Z][\w.' ]{1,30})? \([A-Z][\w .&-]{1,30}\) ?[-–—]"
        ),
    ),
    (
        "byline",
        re.compile(
            r"^By (?:the )?(?:[A-Z][\w.'-]*(?: |(?=,)|$)){2,5}(?:,|$)"
            r"|^By (?:the )?(?:[A-Z][\w.'-]* ){0,4}(?:Staff|Writer|Correspondent|Reporter|Editor)s?\b"
        ),
    ),
    ("update note", re.compile(r"^(?:NEW|UPDATE|UPDATED):|^Editor's note:", re.IGNORECASE)),
    ("follow", re.compile(r"^Follow\b")),
    ("send your", re.compile(r"^Send (?:your|us)\b", re.IGNORECASE)),
    ("click here", re.compile(r"\bclick here\b", re.IGNORECASE)),
    ("copyright", re.compile(r"\bcopyright\b|©|\ball rights reserved\b", re.IGNORECASE)),
    ("credit line", re.compile(r"\b(?:reporting|editing|writing|additional reporting) by\b", re.IGNORECASE)),
    (
        "photo credit",
        re.compile(
            r"\b(?:getty|afp|epa) images\b|\b(?:ap|afp|reuters) photo\s*(?:$|[)/])|/(?:getty|afp|ap|reuters)\b"
            r"|\b(?:photo|image|picture)s?(?: by|: | credit| courtesy)",
            re.IGNORECASE,
        ),
    ),
]


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\d", "0", text.lower())).strip()


def form_of(text: str) -> str | None:
    """The generic furniture form ``text`` has (a dateline, a byline ...), or None."""
    text = text.strip()
    for name, pattern in _FORMS:
        if pattern.search(text):
            return name
    return None


# -- the stream ----------------------------------------------------------------------------------------------


def stream_records(shared: Path, topics: list[str] | None, limit: int | None) -> list[tuple[str, dict[str, str]]]:
    """(topic, record) of every chosen article, interleaved across topics in publication order."""
    found = t17_articles(shared, topics)
    if topics and (missing := sorted(set(topics) - set(found))):
        raise SystemExit(f"no such T17 topic: {', '.join(missing)} (found: {', '.join(sorted(found))})")
    keyed = []
    for topic, articles in sorted(found.items()):
        chosen = sorted(articles, key=lambda a: a.published or "")[:limit]
        per_day: collections.Counter[str] = collections.Counter()
        for article in chosen:
            day = article.published or ""
            per_day[day] += 1
            body = article.body.replace("\\/", "/")  # the tokeniser's escaped slash ("Kim Badawi\/Getty")
            keyed.append(((day, per_day[day], topic), topic, {"text": body, "published": day}))
    return [(topic, record) for _, topic, record in sorted(keyed, key=lambda k: k[0])]


@dataclass
class Shown:
    """One sentence a page shows, with what it is and its citations."""

    part: str
    text: str
    citations: tuple[Citation, ...]


def shown_sentences(page: StoryPage) -> list[Shown]:
    out = [Shown("title", page.title, (page.title_citation,) if page.title_citation else ())] if page.title else []
    out += [Shown("summary", s.text, s.citations) for s in page.summary_sentences]
    for point in page.key_points:
        out += [Shown("headline", point.headline, point.citations), Shown("point", point.text, point.citations)]
    out += [Shown("timeline", entry.text, entry.citations) for entry in page.timeline]
    return out


def lead_sentences(articles: list[Article]) -> list[Shown]:
    """The lead baseline's page: the earliest article's first sentence, then the latest's first three."""
    ordered = sorted(articles, key=lambda a: a.published or "")
    first = split_sentences(ordered[0].body)[:1]
    latest = split_sentences(ordered[-1].body)[:3]
    return [Shown("title", s.text, ()) for s in first] + [Shown("summary", s.text, ()) for s in latest]


class Furniture:
    """Judges shown sentences: repeated across unrelated stored articles, or of a generic furniture form."""

    def __init__(self, store: Store, articles: list[Article]) -> None:
        families = store.families(a.id for a in articles)
        seen: dict[str, set[str]] = collections.defaultdict(set)
        for article in articles:
            family = families[article.id].family_id if article.id in families else article.id
            for sentence in split_sentences(article.body):
                key = normalise(sentence.text)
                if len(key.split()) >= MIN_WORDS:
                    seen[key].add(family)
        self.repeated = {key for key, where in seen.items() if len(where) >= REPEATED_IN}
        self._joined = "\n".join(sorted(self.repeated))

    def reason(self, text: str) -> str | None:
        if form := form_of(text):
            return form
        key = normalise(text)
        parts = [normalise(s.text) for s in split_sentences(text)] or [key]
        if key in self.repeated or any(p in self.repeated for p in parts):
            return "repeated"
        # a headline or a trimmed claim is a part of a source sentence: a part of a repeated one is furniture too
        if len(key) >= 25 and key.rstrip(".…") in self._joined:
            return "repeated"
        return None


# -- the measures --------------------------------------------------------------------------------------------


@dataclass
class Tally:
    stories: int = 0
    articles: int = 0
    majority: int = 0
    shown: int = 0
    furniture: int = 0
    lead_shown: int = 0
    lead_furniture: int = 0
    untitled: int = 0
    lead_untitled: int = 0
    sources: int = 0
    sources_untitled: int = 0
    sources_derived: int = 0
    headlines: int = 0
    headline_repeats: int = 0
    headline_words: list[int] = field(default_factory=list)
    headline_deletions: int = 0
    verified: int = 0
    inline: list[int] = field(default_factory=list)
    citations: list[int] = field(default_factory=list)
    stored: int = 0
    outlet_known: int = 0
    outlet_from_metadata: int = 0

    def add(self, other: Tally) -> None:
        for name, value in vars(other).items():
            setattr(self, name, getattr(self, name) + value)


def repeats_start(headline: str, text: str) -> bool:
    """Whether the headline is the start of its text, word for word (its first letter may be capitalised)."""
    head, text = headline.strip().rstrip(".…,;:"), text.strip()
    return bool(head) and text[:1].lower() == head[:1].lower() and text[1 : len(head)] == head[1:]


def _folded(text: str) -> list[str]:
    return re.findall(r"\w+(?:['’.]\w+)*", text.lower())


def deletion(headline: str, sentence: str) -> bool:
    """Whether the headline's words are a subsequence of the sentence's words (case aside)."""
    remaining = iter(_folded(sentence))
    return all(word in remaining for word in _folded(headline))


def percentile(values: Iterable[int], share: float) -> int | None:
    ordered = sorted(values)
    return ordered[max(0, round(share * len(ordered) + 0.5) - 1)] if ordered else None


def median(values: list[int]) -> str:
    return f"{statistics.median(values):g}" if values else "-"


def share(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "-"


def stream(shared: Path, topics: list[str] | None, limit: int | None) -> list[str]:
    records = stream_records(shared, topics, limit)
    chosen = sorted({t for t, _ in records})
    examples: dict[str, tuple[str, str, str]] = {}
    tallies: dict[str, Tally] = collections.defaultdict(Tally)
    samples: list[tuple[str, int, StoryPage]] = []
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "stream.jsonl"
        with source.open("w", encoding="utf-8") as handle:
            for _, record in records:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        db = Path(folder) / "newsdesk.db"
        settings = Settings(db=str(db))
        with open_store(str(db)) as store:
            tick = time.perf_counter()
            report = ingest([str(source)], store, settings)
            ingest_seconds = time.perf_counter() - tick
            stored = store.list_articles()
            topic_of = {a.id: records[int(a.location.rsplit("#", 1)[1]) - 1][0] for a in stored}
            for article in stored:
                tally = tallies[topic_of[article.id]]
                tally.stored += 1
                tally.outlet_known += bool(article.source)
                tally.outlet_from_metadata += article.source_from == "metadata"
            furniture = Furniture(store, stored)
            stories = [s for s in store.list_stories() if s.article_count >= MIN_ARTICLES]
            pages, write_seconds = [], 0.0
            for story in stories:
                tick = time.perf_counter()
                page = write_story(store, story.id)
                write_seconds += time.perf_counter() - tick
                pages.append(page)
            for page in pages:
                refs = CitationRefs(page)
                articles = store.get_articles(a.id for a in page.articles)
                bodies = {a.id: a.body for a in articles}
                votes = collections.Counter(topic_of[a.id] for a in articles)
                topic, majority = min(votes.items(), key=lambda kv: (-kv[1], kv[0]))
                tally = tallies[topic]
                tally.stories += 1
                tally.articles += len(articles)
                tally.majority += majority
                tally.untitled += not page.title
                tally.sources += len(page.articles)
                tally.sources_untitled += sum(1 for a in page.articles if not a.title)
                tally.sources_derived += sum(1 for a in page.articles if a.title and a.title_derived)
                for item in shown_sentences(page):
                    tally.shown += 1
                    if reason := furniture.reason(item.text):
                        tally.furniture += 1
                        examples.setdefault(normalise(item.text), (topic, f"{item.part}, {reason}", item.text))
                    exact = all(bodies.get(c.article, "")[c.start : c.end] == c.quote for c in item.citations)
                    tally.verified += bool(item.citations) and exact
                    tally.citations.append(len(item.citations))
                    tally.inline.append(min(INLINE_SOURCES, len(refs.sources(item.citations))))
                for point in page.key_points:
                    tally.headlines += 1
                    tally.headline_repeats += repeats_start(point.headline, point.text)
                    tally.headline_words.append(len(point.headline.split()))
                    tally.headline_deletions += any(deletion(point.headline, c.quote) for c in point.citations)
                lead = lead_sentences(articles)
                tally.lead_untitled += not any(item.part == "title" for item in lead)
                tally.lead_shown += len(lead)
                tally.lead_furniture += sum(1 for item in lead if furniture.reason(item.text))
                samples.append((topic, len(articles), page))
            repeated = len(furniture.repeated)
    saved = save_samples(samples)
    every = Tally()
    for tally in tallies.values():
        every.add(tally)
    rows = [(topic, tallies[topic]) for topic in chosen] + [("**all**", every)]
    lead_sources = every.sources  # the baseline lists the same articles under their input titles: T17 has none
    limit_note = f", the earliest {limit} of each" if limit else ""
    args = (f" --topics {','.join(topics)}" if topics else "") + (f" --limit {limit}" if limit else "")
    lines = [
        "### The stream: T17 ingested as one JSONL file, every story of 3 or more articles written",
        "",
        f"Run: `python bench/stream.py{args}`. Data: `../shared/bench/t17`, topics {', '.join(chosen)}"
        f"{limit_note}: {len(records)} records `{{text, published}}` (no title, no outlet), interleaved in "
        f"publication order, through `newsdesk.pipeline.ingest` with default settings into a fresh SQLite store, "
        f"then `write_story` for each of the {len(pages)} stories of {MIN_ARTICLES} or more articles (of "
        f"{sum(1 for a in report.stories if a.how == 'founded')} stories founded).",
        "",
        "| | value |",
        "|---|---|",
        f"| ingest | {len(report.new)} articles in {ingest_seconds:.1f} s: **{len(report.new) / ingest_seconds:.1f} "
        f"articles/s** ({len(report.unchanged)} already stored, {len(report.failures)} failed) |",
        f"| write | {len(pages)} pages in {write_seconds:.1f} s: **{len(pages) / write_seconds:.1f} pages/s** |"
        if write_seconds
        else "| write | no story of 3 or more articles |",
        "",
        "Stories per topic (a story's topic is the majority topic of its articles; purity: the share of its "
        "articles in that topic):",
        "",
        "| topic | articles stored | stories written | articles in them | purity |",
        "|---|---|---|---|---|",
        *[f"| {n} | {t.stored} | {t.stories} | {t.articles} | {share(t.majority, t.articles)} |" for n, t in rows],
        "",
        "#### Furniture: shown sentences that are page furniture, not news",
        "",
        f"Judged by this benchmark: a sentence of {MIN_WORDS} or more words occurring (lower case, digits as 0) in "
        f"{REPEATED_IN} or more stored articles of different families ({repeated} such sentences in this store), "
        "or a part of one, or a line of a generic form (dateline, byline, NEW:/Editor's note:, Follow, Send "
        "your, Click here, copyright, Reporting/Editing by, photo credit). Shown sentences: title, summary, "
        "key-point headlines and texts, timeline entries; the lead baseline shows a title and 3 summary sentences.",
        "",
        "| topic | newsdesk: shown | furniture | share | lead baseline: shown | furniture | share |",
        "|---|---|---|---|---|---|---|",
        *[
            f"| {n} | {t.shown} | {t.furniture} | {share(t.furniture, t.shown)} | {t.lead_shown} | "
            f"{t.lead_furniture} | {share(t.lead_furniture, t.lead_shown)} |"
            for n, t in rows
        ],
        "",
        "Examples of furniture shown by newsdesk (topic; part, why):",
        "",
        *[f"- {topic}; {why}: {text[:160]}" for topic, why, text in list(examples.values())[:10]],
        *(["- none"] if not examples else []),
        "",
        "#### Headlines, titles, outlets",
        "",
        "| topic | key points | headline = start of its text | headline a deletion of a cited sentence | "
        "headline words median | p90 | untitled stories (newsdesk / lead) | listed sources untitled "
        "(newsdesk / lead) | of them titled from the lead |",
        "|---|---|---|---|---|---|---|---|---|",
        *[
            f"| {n} | {t.headlines} | {share(t.headline_repeats, t.headlines)} | "
            f"{share(t.headline_deletions, t.headlines)} | {median(t.headline_words)} | "
            f"{percentile(t.headline_words, 0.9) or '-'} | {t.untitled} / {t.lead_untitled} of {t.stories} | "
            f"{t.sources_untitled} / {t.sources if n != '**all**' else lead_sources} of {t.sources} | "
            f"{t.sources_derived} |"
            for n, t in rows
        ],
        "",
        "Outlets of the stored articles (the records name none: newsdesk can only find an outlet's credit in the "
        "text; the lead baseline knows only what the records say):",
        "",
        "| topic | articles | outlet known (newsdesk) | unknown | known from the record (baseline) |",
        "|---|---|---|---|---|",
        *[
            f"| {n} | {t.stored} | {t.outlet_known} ({share(t.outlet_known, t.stored)}) | "
            f"{t.stored - t.outlet_known} | {t.outlet_from_metadata} |"
            for n, t in rows
        ],
        "",
        "#### Citations: every shown sentence quotes its articles exactly",
        "",
        f"Citations per sentence are what the page records (the JSON); sources shown inline are what a reader "
        f'sees beside the sentence (at most {INLINE_SOURCES}, then "and N more").',
        "",
        "| topic | shown sentences | verified (every quote is its article's body at its span) | citations per "
        "sentence median | max | sources shown inline median | max |",
        "|---|---|---|---|---|---|---|",
        *[
            f"| {n} | {t.shown} | {share(t.verified, t.shown)} | "
            f"{median(t.citations)} | {max(t.citations, default='-')} | {median(t.inline)} | "
            f"{max(t.inline, default='-')} |"
            for n, t in rows
        ],
        "",
        f"Pages to read: {', '.join(f'`{p}`' for p in saved) or 'none'} (not kept in the repository).",
    ]
    return lines


def save_samples(samples: list[tuple[str, int, StoryPage]]) -> list[str]:
    """The largest page of each topic in turn (then the next largest), as Markdown under ``out/stream``."""
    ranked = sorted(samples, key=lambda s: (-s[1], s[0], s[2].id))
    picked, topics = [], set()
    for sample in ranked:
        if sample[0] not in topics and len(picked) < SAMPLES:
            picked.append(sample)
            topics.add(sample[0])
    picked += [s for s in ranked if s not in picked][: SAMPLES - len(picked)]
    OUT.mkdir(parents=True, exist_ok=True)
    saved = []
    for number, (topic, _, page) in enumerate(picked, start=1):
        path = OUT / f"sample-{number}.md"
        path.write_text(f"<!-- T17 topic {topic}, story {page.id} -->\n\n{story_markdown(page)}", encoding="utf-8")
        saved.append(str(path.relative_to(ROOT)))
    return saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--topics", help="comma-separated T17 topics (default: every topic with articles)")
    parser.add_argument("--limit", type=int, help="the earliest N articles of each topic (default: all)")
    parser.add_argument("--write", type=Path, help="update this Markdown file's stream section")
    args = parser.parse_args()
    topics = [t.strip() for t in args.topics.split(",") if t.strip()] if args.topics else None
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be positive")
    shared = shared_dir()
    run_sections(
        "stream", "Stream: real news in, story pages out", "stream.py", [lambda: stream(shared, topics, args.limit)],
        args.write,
    )  # fmt: skip


if __name__ == "__main__":
    main()
