"""Typed records passed between pipeline stages.

``RawDocument`` is what the sources stage hands to extraction: bytes plus what is known about them.
``Article`` is what extraction produces and the store keeps; it round-trips through JSON with
:meth:`Article.to_dict` and :meth:`Article.from_dict`. ``Relation`` and ``FamilyMember`` are what the
relate stage finds: which article derives from which, and the families of one origin.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

# Where a publication date came from. ``record`` means the input record (JSONL/JSON) carried it.
DateOrigin = Literal["front-matter", "meta", "json-ld", "url", "text", "feed", "record"]
DATE_ORIGINS: tuple[str, ...] = ("front-matter", "meta", "json-ld", "url", "text", "feed", "record")

# What an article is. ``digest`` pages summarise other reports and are never counted as sources.
ArticleKind = Literal["report", "digest", "opinion"]

# How the input was read.
InputFormat = Literal["html", "markdown", "text", "feed", "record"]


@dataclass(frozen=True)
class KnownMetadata:
    """Metadata a source already knows before extraction (a JSONL record, a feed entry).

    Extraction fills gaps from it; ``date_origin`` says what ``published_from`` becomes when its
    ``published`` value is used.
    """

    title: str | None = None
    published: str | None = None
    author: str | None = None
    source: str | None = None
    url: str | None = None
    excerpt: str | None = None
    date_origin: str = "feed"


@dataclass(frozen=True)
class RawDocument:
    """Bytes read from one place, not yet extracted.

    ``fmt`` says how to read the bytes: ``"auto"`` (sniff), ``"html"``, ``"markdown"``, ``"text"``
    (a page dump or pasted text: furniture is removed), ``"body"`` (clean body text from a record) or
    ``"fragment"`` (an HTML fragment from a record or a feed entry: no boilerplate removal).
    ``origin`` is the article's ``format`` field (``feed`` or ``record`` for those sources).
    ``fallback`` is read instead when these bytes give no article (a feed entry's own text when its
    fetched page turns out unusable).
    """

    location: str
    data: bytes
    fmt: str = "auto"
    url: str | None = None
    content_type: str | None = None
    known: KnownMetadata | None = None
    raw_sha256: str = ""
    encoding: str | None = None
    origin: str | None = None
    fallback: RawDocument | None = None

    def sha256(self) -> str:
        return self.raw_sha256 or hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class DigestMarker:
    """A citation marker such as ``[1][3]`` that stood at ``offset`` of the stored body."""

    offset: int
    refs: tuple[int, ...]


@dataclass(frozen=True)
class DigestInfo:
    """The structure of an aggregator page: its claimed article count and its citation markers."""

    claimed_article_count: int | None = None
    markers: tuple[DigestMarker, ...] = ()
    timeline_offset: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "claimed_article_count": self.claimed_article_count,
            "markers": [{"offset": m.offset, "refs": list(m.refs)} for m in self.markers],
            "timeline_offset": self.timeline_offset,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DigestInfo:
        return cls(
            claimed_article_count=data.get("claimed_article_count"),
            markers=tuple(
                DigestMarker(offset=int(m["offset"]), refs=tuple(int(r) for r in m["refs"]))
                for m in data.get("markers", [])
            ),
            timeline_offset=data.get("timeline_offset"),
        )


@dataclass(frozen=True)
class Article:
    """One extracted article, as stored and as printed by ``newsdesk extract``.

    ``body`` is clean text, paragraphs separated by one blank line; all character offsets elsewhere
    (sentences, citations, digest markers) index into it. ``published`` keeps the precision the
    source gave (``2026-02-03`` or ``2026-02-03T00:00:32`` or with an offset); no time zone is
    invented when the source gave none.
    """

    id: str
    title: str | None
    body: str
    published: str | None
    published_from: str | None
    author: str | None
    source: str | None
    url: str | None
    language: str | None
    kind: str
    location: str
    title_prefix: str | None = None
    excerpt: str | None = None
    # ``metadata`` when the page, record or feed named the outlet; ``text`` when only the article's
    # own credit did ("(Reuters) -", "By the CNN Wire Staff"); None when the outlet is unknown.
    source_from: str | None = None
    # True when the input had no title and ``title`` was taken from the lead (see extract/leads.py);
    # the id is then that of the title-less text.
    title_derived: bool = False
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    format: str = "text"
    raw_sha256: str = ""
    digest: DigestInfo | None = field(default=None)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["categories"] = list(self.categories)
        data["tags"] = list(self.tags)
        data["digest"] = self.digest.to_dict() if self.digest else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        values = dict(data)
        values["categories"] = tuple(values.get("categories") or ())
        values["tags"] = tuple(values.get("tags") or ())
        digest = values.get("digest")
        values["digest"] = DigestInfo.from_dict(digest) if digest else None
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in values.items() if k in known})


def article_id(title: str | None, body: str) -> str:
    """A stable id derived from the content, so re-ingesting the same article changes nothing.

    Whitespace and Unicode normalisation differences do not change the id; metadata does not enter
    it (the same text met at two addresses is one article, stored with both locations).
    """
    canonical = " ".join(unicodedata.normalize("NFC", f"{title or ''}\n{body}").split())
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


# -- the relate stage -----------------------------------------------------------------------------

RelationKind = Literal["duplicate", "copy", "excerpt", "rewrite", "summary", "digest"]
RELATION_KINDS: tuple[str, ...] = ("duplicate", "copy", "excerpt", "rewrite", "summary", "digest")

# The role of an article in its family. A duplicate's role is "copy": it is a verbatim copy.
Role = Literal["origin", "copy", "excerpt", "rewrite", "summary", "digest"]


@dataclass(frozen=True)
class AlignedPair:
    """One sentence of the derived article and the source sentence it comes from (character spans)."""

    derived_start: int
    derived_end: int
    source_start: int
    source_end: int
    similarity: float
    verbatim: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "derived": [self.derived_start, self.derived_end],
            "source": [self.source_start, self.source_end],
            "similarity": round(self.similarity, 3),
            "verbatim": round(self.verbatim, 3),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AlignedPair:
        return cls(
            derived_start=int(data["derived"][0]),
            derived_end=int(data["derived"][1]),
            source_start=int(data["source"][0]),
            source_end=int(data["source"][1]),
            similarity=float(data["similarity"]),
            verbatim=float(data["verbatim"]),
        )


@dataclass(frozen=True)
class Relation:
    """``derived`` comes from ``source`` by ``kind``; ``evidence`` holds the aligned sentences.

    ``features`` are the measurements the decision rested on (coverage, order, length ratio ...),
    kept so a reader can see why.
    """

    derived: str
    source: str
    kind: str
    score: float
    evidence: tuple[AlignedPair, ...] = ()
    features: dict[str, float] = field(default_factory=dict)
    direction: str = "evidence"

    def to_dict(self) -> dict[str, Any]:
        return {
            "derived": self.derived,
            "source": self.source,
            "kind": self.kind,
            "score": round(self.score, 3),
            "direction": self.direction,
            "features": {k: round(v, 3) for k, v in sorted(self.features.items())},
            "evidence": [pair.to_dict() for pair in self.evidence],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Relation:
        return cls(
            derived=data["derived"],
            source=data["source"],
            kind=data["kind"],
            score=float(data["score"]),
            evidence=tuple(AlignedPair.from_dict(p) for p in data.get("evidence", [])),
            features={k: float(v) for k, v in data.get("features", {}).items()},
            direction=data.get("direction", "evidence"),
        )


@dataclass(frozen=True)
class FamilyMember:
    """An article's place in its family: the family's id, its role and what it was derived from."""

    article_id: str
    family_id: str
    role: str
    derived_from: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "article": self.article_id,
            "family": self.family_id,
            "role": self.role,
            "derived_from": self.derived_from,
        }


# -- the group stage -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Story:
    """A story: every article about one real-world event or development.

    ``id`` is stable: derived from the article that founded the story, it survives growth and merges
    (a merged story keeps the older id; the other records where it went in ``merged_into``).
    ``updated`` is when the story last changed in the world: the latest publication among its
    articles, or when it was last touched if none is dated. ``status`` is ``live`` or ``dormant``.
    """

    id: str
    title: str | None
    created_at: str
    updated: str
    first_published: str | None
    last_published: str | None
    status: str
    article_count: int
    merged_into: str | None = None
    seq: int = 0  # the store's creation order (0 before it is saved): smaller is older

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Storyline:
    """The stories of one developing subject over weeks or months ("Haiti earthquake").

    ``id`` is stable: derived from the story that founded it; a merged storyline keeps the older id and the
    other records where it went in ``merged_into``. ``title`` is the title of its most covered story
    (``top_story``). ``updated`` is the latest publication among its stories' articles.
    """

    id: str
    title: str | None
    created_at: str
    updated: str
    first_published: str | None
    last_published: str | None
    story_count: int
    article_count: int
    top_story: str | None = None
    top_count: int = 0
    merged_into: str | None = None
    seq: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class StoryMember:
    article_id: str
    story_id: str
    similarity: float
    how: str  # "founded", "similar", "derived", "merged"
    joined_at: str


@dataclass(frozen=True)
class StoryEvent:
    """Something that happened to a story, and why: created, joined, merged, dormant, woke."""

    story_id: str
    kind: str
    article_id: str | None
    detail: str
    at: str


# -- the write stage -------------------------------------------------------------------------------


@dataclass(frozen=True)
class StoryArticle:
    """One article as a story page lists it: where it is from and what it is in its family."""

    id: str
    title: str | None
    source: str | None
    url: str | None
    published: str | None
    family: str | None
    role: str
    derived_from: str | None
    title_derived: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Citation:
    """The citation contract: ``quote`` is exactly ``body[start:end]`` of article ``article``'s stored body."""

    article: str
    start: int
    end: int
    quote: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def span(self) -> tuple[str, int, int]:
        return (self.article, self.start, self.end)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Citation:
        return cls(str(data["article"]), int(data["start"]), int(data["end"]), str(data["quote"]))


# How a record writes its citations in JSON: plain (``Citation.to_dict``), or with a page's numbering.
CiteDict = Callable[[Citation], dict[str, Any]]


@dataclass(frozen=True)
class TimeExpression:
    """A temporal expression found in a text and resolved against its reference date.

    ``value`` is ISO-like at its granularity: ``2026-02-03`` (day), ``2026-02`` (month), ``2025`` (year),
    ``1960s`` (decade), ``2026-02-03T10:35`` or ``2026-02-03TEV`` (time: a clock time or a part of a day),
    and, with granularity ``reference``, TimeML's ``PRESENT_REF``, ``PAST_REF`` and ``FUTURE_REF`` for words
    that name no date ("now", "recently", "the near future"). ``end`` values of ranges go in ``until``.
    ``status`` is ``happened`` or ``scheduled`` (from tense and modality of the clause). ``conflict``
    describes a contradiction inside the text itself, such as a weekday that does not fit its date
    ("Tuesday, Feb 6" when February 6 is a Friday).
    """

    start: int
    end: int
    text: str
    value: str | None
    granularity: str  # day | month | year | decade | time | reference
    status: str = "happened"
    until: str | None = None
    conflict: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class CitedText:
    """A sentence the page says, with the source spans that support it."""

    text: str
    citations: tuple[Citation, ...]

    def to_dict(self, cite: CiteDict = Citation.to_dict) -> dict[str, Any]:
        return {"text": self.text, "citations": [cite(c) for c in self.citations]}


@dataclass(frozen=True)
class KeyPoint:
    headline: str
    text: str
    citations: tuple[Citation, ...]
    support: int = 1  # independent families that say it

    def to_dict(self, cite: CiteDict = Citation.to_dict) -> dict[str, Any]:
        return {
            "headline": self.headline,
            "text": self.text,
            "support": self.support,
            "citations": [cite(c) for c in self.citations],
        }


@dataclass(frozen=True)
class TimelineEntry:
    date: str  # 2026-02-03 | 2026-01 | 2025 | 1960s
    granularity: str  # day | month | year | decade
    status: str  # happened | scheduled
    text: str
    citations: tuple[Citation, ...]
    support: int = 1

    def to_dict(self, cite: CiteDict = Citation.to_dict) -> dict[str, Any]:
        return {
            "date": self.date,
            "granularity": self.granularity,
            "status": self.status,
            "text": self.text,
            "support": self.support,
            "citations": [cite(c) for c in self.citations],
        }


@dataclass(frozen=True)
class Claim:
    value: str
    citations: tuple[Citation, ...]

    def to_dict(self, cite: CiteDict = Citation.to_dict) -> dict[str, Any]:
        return {"value": self.value, "citations": [cite(c) for c in self.citations]}


@dataclass(frozen=True)
class Discrepancy:
    """The same fact given different values by different sources (or by one text against itself)."""

    about: str
    claims: tuple[Claim, ...]
    kind: str = "value"  # date | number | weekday | status | name

    def to_dict(self, cite: CiteDict = Citation.to_dict) -> dict[str, Any]:
        return {"about": self.about, "kind": self.kind, "claims": [c.to_dict(cite) for c in self.claims]}


@dataclass(frozen=True)
class StoryPage:
    """What a reader gets for one story (the story JSON of DESIGN.md)."""

    id: str
    title: str | None
    summary: str | None
    updated: str
    article_count: int
    independent_source_count: int
    articles: tuple[StoryArticle, ...]
    status: str = "live"
    title_citation: Citation | None = None
    summary_sentences: tuple[CitedText, ...] = ()
    key_points: tuple[KeyPoint, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
    discrepancies: tuple[Discrepancy, ...] = ()
    writer: str = "extractive"
    dropped_sentences: int = 0  # sentences of the optional writer dropped for want of support
    written_sentences: int = 0  # sentences the optional writer returned (kept and dropped)
    # How many of the story's articles the title, summary, key points and discrepancies were written from
    # (the latest ones, when a long-running story has more; the timeline reads them all). None: all of them.
    written_from: int | None = None

    @property
    def summary_citations(self) -> tuple[Citation, ...]:
        """Every citation of the summary, in order."""
        return tuple(c for s in self.summary_sentences for c in s.citations)

    def citations(self) -> list[Citation]:
        """Every citation on the page (title, summary, key points, timeline, discrepancies)."""
        found = [self.title_citation] if self.title_citation else []
        found += self.summary_citations
        found += [c for k in self.key_points for c in k.citations]
        found += [c for t in self.timeline for c in t.citations]
        found += [c for d in self.discrepancies for claim in d.claims for c in claim.citations]
        return found

    @property
    def sources_without_outlet(self) -> int:
        """How many of the independent sources (families, digests apart) have no member with a known outlet."""
        known: dict[str, bool] = {}
        for article in self.articles:
            if article.role != "digest":
                family = article.family or article.id
                known[family] = known.get(family, False) or bool(article.source)
        return sum(1 for has_outlet in known.values() if not has_outlet)

    def to_dict(self) -> dict[str, Any]:
        refs = CitationRefs(self)
        cite = refs.cite_dict
        return {
            "id": self.id,
            "title": self.title,
            "title_citation": cite(self.title_citation) if self.title_citation else None,
            "summary": self.summary,
            "summary_sentences": [s.to_dict(cite) for s in self.summary_sentences],
            "updated": self.updated,
            "status": self.status,
            "article_count": self.article_count,
            "independent_source_count": self.independent_source_count,
            "sources_without_outlet": self.sources_without_outlet,
            "articles": [{"number": n, **a.to_dict()} for n, a in enumerate(self.articles, start=1)],
            "key_points": [k.to_dict(cite) for k in self.key_points],
            "timeline": [t.to_dict(cite) for t in self.timeline],
            "discrepancies": [d.to_dict(cite) for d in self.discrepancies],
            "writer": self.writer,
            "dropped_sentences": self.dropped_sentences,
            "written_sentences": self.written_sentences,
            "written_from": self.written_from or self.article_count,
        }


@dataclass(frozen=True)
class StorylineStory:
    """One story as its storyline's page lists it."""

    id: str
    title: str | None
    updated: str
    article_count: int
    status: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class StorylinePage:
    """What a reader gets for one storyline: its stories newest first, a timeline drawn from all of them,
    and the latest development: the summary and key points of its most recently updated story of more than
    one article (``key_points_from``)."""

    id: str
    title: str | None
    updated: str
    story_count: int
    article_count: int
    independent_source_count: int
    stories: tuple[StorylineStory, ...]
    articles: tuple[StoryArticle, ...]  # the articles the page cites, numbered in this order
    latest_summary: tuple[CitedText, ...] = ()  # the summary of the story ``key_points_from``
    key_points: tuple[KeyPoint, ...] = ()
    key_points_from: str | None = None
    timeline: tuple[TimelineEntry, ...] = ()
    first_published: str | None = None

    def citations(self) -> list[Citation]:
        found = [c for s in self.latest_summary for c in s.citations]
        return (
            found + [c for k in self.key_points for c in k.citations] + [c for t in self.timeline for c in t.citations]
        )

    def to_dict(self) -> dict[str, Any]:
        cite = CitationRefs(self).cite_dict
        return {
            "id": self.id,
            "title": self.title,
            "updated": self.updated,
            "first_published": self.first_published,
            "story_count": self.story_count,
            "article_count": self.article_count,
            "independent_source_count": self.independent_source_count,
            "stories": [s.to_dict() for s in self.stories],
            "key_points_from": self.key_points_from,
            "latest_summary": [s.to_dict(cite) for s in self.latest_summary],
            "key_points": [k.to_dict(cite) for k in self.key_points],
            "timeline": [t.to_dict(cite) for t in self.timeline],
            "articles": [{"number": n, **a.to_dict()} for n, a in enumerate(self.articles, start=1)],
        }


# -- one numbering of a page's citations -----------------------------------------------------------

INLINE_SOURCES = 5  # sources a sentence shows inline; the rest are "and N more"

# How strongly an article of a given role stands for what it says: an origin first, verbatim copies late,
# digests (never counted as sources) last.
_ROLE_RANK = {"origin": 0, "rewrite": 1, "summary": 2, "excerpt": 3, "copy": 4, "digest": 5}


@dataclass(frozen=True)
class SourceCitations:
    """The citations one sentence makes of one source: the source's number and its distinct quotes."""

    number: int
    article: StoryArticle
    citations: tuple[Citation, ...]


class CitationRefs:
    """The one numbering of a story page, shared by its Markdown, HTML and JSON.

    Sources are numbered once per page in the order of the page's Sources list (``page.articles``):
    a citation of source 3 is shown as ``[3]``. The distinct quotes (spans) cited from one source are
    its sub-anchors ``3.1``, ``3.2`` ..., in the order they stand in the article's body. Citations of
    articles the page does not list get no number (``None``).
    """

    def __init__(self, page: StoryPage | StorylinePage) -> None:
        self.listed = page.articles
        self.numbers = {a.id: n for n, a in enumerate(page.articles, start=1)}
        distinct: dict[str, dict[tuple[int, int], Citation]] = {}
        for citation in page.citations():
            if citation.article in self.numbers:
                distinct.setdefault(citation.article, {}).setdefault((citation.start, citation.end), citation)
        self._refs: dict[tuple[str, int, int], str] = {}
        self._quotes: dict[int, tuple[Citation, ...]] = {}
        for article, spans in distinct.items():
            number = self.numbers[article]
            ordered = tuple(spans[span] for span in sorted(spans))
            self._quotes[number] = ordered
            for k, citation in enumerate(ordered, start=1):
                self._refs[citation.span] = f"{number}.{k}"

    def source(self, citation: Citation) -> int | None:
        """The number of the citation's source in the page's Sources list."""
        return self.numbers.get(citation.article)

    def ref(self, citation: Citation) -> str | None:
        """The citation's sub-anchor: ``"3.2"`` for the second quote of source 3."""
        return self._refs.get(citation.span)

    def quotes(self, number: int) -> tuple[Citation, ...]:
        """The distinct quotes the page cites from source ``number``, in the order of its body."""
        return self._quotes.get(number, ())

    def cite_dict(self, citation: Citation) -> dict[str, Any]:
        """A citation in the story JSON: the contract's fields plus ``source`` and ``ref``."""
        return {**citation.to_dict(), "source": self.source(citation), "ref": self.ref(citation)}

    def sources(self, citations: Iterable[Citation]) -> list[SourceCitations]:
        """The sources one sentence cites, strongest first, each with its distinct quotes in ref order.

        Strongest first: one source for each independent family (its origin when cited, else its
        strongest member), then the other members (copies and rewrites of a family already shown),
        digests last; ties by source number.
        """
        by_number: dict[int, dict[tuple[int, int], Citation]] = {}
        for citation in citations:
            number = self.numbers.get(citation.article)
            if number is not None:
                by_number.setdefault(number, {}).setdefault((citation.start, citation.end), citation)
        groups = [
            SourceCitations(n, self.listed[n - 1], tuple(spans[s] for s in sorted(spans)))
            for n, spans in by_number.items()
        ]

        def rank(group: SourceCitations) -> tuple[int, int]:
            return (_ROLE_RANK.get(group.article.role, 3), group.number)

        leaders: set[int] = set()
        seen: set[str] = set()
        for group in sorted(groups, key=rank):
            family = group.article.family or group.article.id
            if family not in seen:
                seen.add(family)
                leaders.add(group.number)

        def strength(group: SourceCitations) -> tuple[bool, bool, int, int]:
            return (group.article.role == "digest", group.number not in leaders, *rank(group))

        return sorted(groups, key=strength)
