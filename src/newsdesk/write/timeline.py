"""The timeline of a story: what happened when, in the articles' own words, every entry cited.

News dates its events relative to its own publication ("on Tuesday", "last month", "the 1960s"), so
the timeline is built from the dates the text resolves to, not from publication dates:

1. Every sentence of every article is tagged with :func:`newsdesk.analyse.temporal.tag_times`,
   against the article's publication date (an undated article borrows the date of the article it
   derives from, else the latest date in the set). A sentence that carries a resolved date is an
   event sentence for that date. Timestamps ("April 8, 2011 at 10:07 am", a dateline with a clock
   time) are not events; a date written as a reference point ("since 2019", "after 3 January")
   counts for less than one written as the time of the event ("in 2019", "on 3 January").
2. A date a text contradicts ("Tuesday, Feb 6" when 6 February is a Friday) is not trusted
   anywhere in that text. A digest may be cited but adds no support, and its dated claim is dropped
   when a report gives the same event another date close by.
3. Dates are ranked by support (independent families: the members of one family count once, a
   family counts more when a report written after the date still mentions it, and less when its
   article strays from the set's subject) and by how often and how firmly they are mentioned; the
   timeline keeps the ``max_dates`` best that have an entry.
4. For each date the event sentences are merged by content across articles (a digest's sentence
   joins the report it retells). The groups are ranked by centrality, the words they share with the
   date's other sentences and with the story as a whole: for a day, among the sentences a report
   written on or after it tells as having happened; for a month, year or decade (mentioned in
   passing as often as not), after the families whose main clause the date dates. The best
   ``per_date`` that do not repeat each other become entries with all their citations.
   An entry's text is its best sentence, trimmed to the clause that holds the date (an exact
   substring of the article body, as the citation contract requires). An entry is ``scheduled``
   until a report says it happened.
5. Granularity: ``granularity="auto"`` (what ``newsdesk timeline`` uses unless told otherwise) tells
   the story at the finest scale its dated mentions support, given how long the story is. The
   story's span is the first..last publication (reference) date of its articles, within
   ``since``/``until``. The timeline's spacing is that span in days over the number of day dates it
   can show inside the span (the day dates mentioned there, at most ``max_dates``). Every day date
   is kept. A month, year or decade wholly outside the span is background and is kept. One that
   overlaps the span is kept only when its period is no longer than the spacing (a story of three
   weeks gets days, not "March"; a story of three years told in twenty dates may keep months) and
   no day date falls within it (a period the reports date by its days is told by its days). With no
   day date in the span there is nothing finer to tell it with, and every date is kept.

Centrality alone beat every newsroom rule tried on T17 (lead position, explicit dates, firmness of
the date for day entries all lowered AR1-F); see ``docs/benchmarks.md``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from newsdesk.analyse import content_words, split_sentences, words
from newsdesk.analyse.sentences import Sentence
from newsdesk.analyse.temporal import tag_times
from newsdesk.analyse.tokens import STOPWORDS, fold_word, raw_words
from newsdesk.extract.furniture import opens_with_credit
from newsdesk.extract.outlets import credit_end
from newsdesk.records import Article, Citation, FamilyMember, TimeExpression, TimelineEntry
from newsdesk.relate.repeats import Repeated, repeat_key
from newsdesk.write.compress import claim_span

__all__ = ["AUTO", "GRANULARITIES", "build_timeline", "is_digest", "publication_day", "reference_dates"]

_MONTH_NAME = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b|\b(?:spring|summer|autumn|fall|winter)\b",
    re.IGNORECASE,
)
GRANULARITIES = ("day", "month", "year", "decade")
AUTO = "auto"  # the finest granularity the story's span and its dated mentions support (see module docstring)
MERGE = 0.6  # two event sentences of one date say the same thing above this similarity (overlap)
RETOLD = 0.3  # a digest's sentence retells a report's above this similarity (overlap)
SAME_EVENT = 0.3  # a digest's or plan's claim and a report's claim are one event above this (cosine)
NEARBY_DAYS = 10
LOOKING_BACK = 0.5  # extra weight of a family that mentions a date in a later report
TOPIC_NAMES = 12  # the set's most common names say what it is about
ON_TOPIC_NAMES = 3  # an article that uses this many of them is on topic
LONGEST_RANGE_DAYS = 3  # "last week" spans seven days: too vague for a dated entry
REFERENCE_POINT_WEIGHT = 0.5  # "since 2019": the date marks when something else began
SUBORDINATE_WEIGHT = 0.6  # "the group, which was founded in the 1960s, controls ...": not the main event
REPEATS = 0.5  # a date's second entry must say something its first does not (cosine below this)
TOPIC_WEIGHT = 0.7  # an entry says what its date's sentences say, in the words of the story as a whole

_REFERENCE_POINT = re.compile(
    r"\b(?:since|after|following|before|until|till|by|through|throughout|ahead\s+of|as\s+of|from|into|"
    r"prior\s+to|up\s+to|preceded|followed)\s+(?:the\s+|early\s+|late\s+|mid-)?$",
    re.IGNORECASE,
)
_SUBORDINATOR = re.compile(
    r"\b(?:which|who|whom|whose|where|while|whilst|although|though|because|whereas|if|unless|when|as|that)\b",
    re.IGNORECASE,
)
_REPORTING_VERB = re.compile(
    r"\b(?:said|says|say|told|tells|announced|announces|reported|reports|added|confirmed|believes?|believed|"
    r"warned|stated|claimed|argued|insisted|noted|showed|shows|found|thinks?|thought|knew|know|hoped|hopes)"
    r"(?:\s+\w+){0,3}\s+$",
    re.IGNORECASE,
)
_CLAUSE_START = re.compile(r"[;:–—]\s|\s-\s")
_TIMESTAMP_AFTER = re.compile(r"\s*(?:,|at|;|\|)?\s*\d{1,2}[:.]\d{2}\b|\s*\|")
_TIMESTAMP_BEFORE = re.compile(r"\|\s*$")
# A dateline before the story: "DERAA, Syria | Sat Mar 26, 2011 11:08pm GMT DERAA (Reuters) - ".
_DATELINE = re.compile(
    r".{0,160}?(?:\(\s*(?:Reuters|AP|AFP|CNN|Bloomberg|dpa|UPI)\s*\)\s*[-–—]+\s*"
    r"|\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?\s*(?:GMT|BST|EST|EDT|CET|IST|UTC|ET)\b\s*(?:\|\s*|\)\s*(?:[-–—]+\s*)?)?)"
)
_HEADING = re.compile(r"\s*[-–—:]\s+")
_CLAUSE_BREAK = re.compile(r";\s+")


@dataclass
class _Sentence:
    """An event sentence: where it is, what it says (stems), and the dates it carries."""

    article: Article
    span: Sentence
    stems: frozenset[str]
    family: str
    counts: bool  # whether it adds support (digests do not)
    order: int  # publication order of its article: later reports say what happened
    relevance: float  # 1 for an article on the story's topic, less for one that strayed into the set
    reference: dt.date | None  # the date its article speaks from


@dataclass
class _Mention:
    sentence: _Sentence
    expression: TimeExpression
    weight: float
    main: bool = True  # no other date dates the sentence more firmly ("2025 – ... heading into 2026")


@dataclass
class _Date:
    value: str
    granularity: str
    first: dt.date
    mentions: list[_Mention] = field(default_factory=list)

    def score(self) -> float:
        """Support (one per family), then how often the date is mentioned.

        A date written as a reference point ("after the 3 January operation") attests an event on
        it as much as any. A family that still mentions the date in a report written after it
        counts extra: events that later reports look back on are the ones that mattered.
        """
        best: dict[str, float] = {}
        looking_back: dict[str, float] = {}
        for mention in self.mentions:
            sentence = mention.sentence
            if sentence.counts:
                best[sentence.family] = max(best.get(sentence.family, 0.0), sentence.relevance)
                if sentence.reference is not None and sentence.reference > _last_day(self):
                    looking_back[sentence.family] = max(looking_back.get(sentence.family, 0.0), sentence.relevance)
        mentioned = math.fsum(m.weight * m.sentence.relevance for m in self.mentions if m.sentence.counts)
        digest_only = 0.01 * max((m.weight for m in self.mentions), default=0.0) if not best else 0.0
        return (
            math.fsum(best.values())
            + LOOKING_BACK * math.fsum(looking_back.values())
            + 0.1 * math.log1p(mentioned)
            + digest_only
        )


def build_timeline(
    articles: Sequence[Article],
    families: Mapping[str, FamilyMember] | None = None,
    *,
    max_dates: int | None = None,
    per_date: int = 1,
    since: dt.date | None = None,
    until: dt.date | None = None,
    granularity: str | None = None,
    tagged: Mapping[str, Sequence[TimeExpression]] | None = None,
    repeated: Repeated | None = None,
) -> list[TimelineEntry]:
    """The dated entries of the story told by ``articles``, in chronological order.

    ``families`` maps article ids to their family (articles not in it are their own family);
    ``max_dates`` keeps the best-supported dates, ``per_date`` entries each; ``since``/``until``
    keep dates that overlap that span; ``granularity`` keeps only dates of that granularity (``None``:
    all), or with ``"auto"`` the dates at the story's own scale: every day, and a month, year or decade
    only when it is background outside the span of the articles' publication dates, or when it is no
    longer than the spacing of the timeline's days over that span and holds no day date (rule 5 of the
    module docstring).
    ``tagged`` gives each article's time expressions when the caller has them already (tagged against
    ``reference_dates``), so a page tags its articles once. ``repeated`` tells which sentence keys are
    furniture (see ``relate.repeats``): their sentences are never entries.
    """
    if per_date < 1:
        raise ValueError(f"per_date must be at least 1, got {per_date}")
    if max_dates is not None and max_dates < 1:
        raise ValueError(f"max_dates must be at least 1, got {max_dates}")
    if granularity is not None and granularity not in (*GRANULARITIES, AUTO):
        raise ValueError(f"granularity must be one of {', '.join((*GRANULARITIES, AUTO))}, got {granularity!r}")
    families = families or {}
    dates = _collect_dates(articles, families, tagged or {})
    if repeated is not None:
        _drop_repeated(dates, repeated)
    _drop_contradicted_digest_claims(dates)
    chosen = [
        d
        for d in dates.values()
        if d.mentions and granularity in (None, AUTO, d.granularity) and _overlaps(d, since, until)
    ]
    if granularity == AUTO:
        chosen = _at_story_scale(chosen, _story_span(articles, families, since, until), max_dates)
    chosen.sort(key=lambda d: (-d.score(), d.first, d.value))
    topic = _topic(dates.values())
    used: set[tuple[str, int]] = set()
    entries: list[TimelineEntry] = []
    dated = 0
    for date in chosen:
        found = _entries_for(date, per_date, used, topic)
        entries.extend(found)
        dated += bool(found)
        if max_dates is not None and dated == max_dates:
            break
    order = {g: i for i, g in enumerate(reversed(GRANULARITIES))}
    entries.sort(key=lambda e: (_first_day(e.date, e.granularity), order[e.granularity], -e.support))
    return entries


# -- granularity --------------------------------------------------------------------------------------


def _story_span(
    articles: Sequence[Article],
    families: Mapping[str, FamilyMember],
    since: dt.date | None,
    until: dt.date | None,
) -> tuple[dt.date, dt.date] | None:
    """The first..last reference date of the articles, within ``since``/``until`` (None when there is none)."""
    known = [d for d in reference_dates(articles, families).values() if d is not None]
    if not known:
        return None
    first, last = min(known), max(known)
    if since is not None:
        first = max(first, since)
    if until is not None:
        last = min(last, until)
    return (first, last) if first <= last else None


def _at_story_scale(dates: list[_Date], span: tuple[dt.date, dt.date] | None, max_dates: int | None) -> list[_Date]:
    """Every day; a coarser date only as background outside ``span``, or when it is no longer than the
    spacing of the timeline's days over the span (the span's days over the day dates it can show) and no
    day date falls within it."""
    if span is None:
        return dates
    first, last = span
    inside = sum(1 for d in dates if d.granularity == "day" and first <= d.first <= last)
    shown = min(inside, max_dates) if max_dates is not None else inside
    if not shown:
        return dates
    spacing = ((last - first).days + 1) / shown
    days = sorted(d.first for d in dates if d.granularity == "day")

    def kept(date: _Date) -> bool:
        if date.granularity == "day" or not _overlaps(date, first, last):
            return True
        end = _last_day(date)
        told_by_days = bisect.bisect_right(days, end) > bisect.bisect_left(days, date.first)
        return (end - date.first).days + 1 <= spacing and not told_by_days

    return [d for d in dates if kept(d)]


# -- event sentences ----------------------------------------------------------------------------------


def _drop_repeated(dates: dict[str, _Date], repeated: Repeated) -> None:
    """Forget the mentions in sentences that are furniture, and the dates left with none."""
    keys = {id(m.sentence): repeat_key(m.sentence.span.text) for d in dates.values() for m in d.mentions}
    furniture = repeated(k for k in set(keys.values()) if k is not None)
    if not furniture:
        return
    for value, date in list(dates.items()):
        date.mentions = [m for m in date.mentions if keys[id(m.sentence)] not in furniture]
        if not date.mentions:
            del dates[value]


def _collect_dates(
    articles: Sequence[Article],
    families: Mapping[str, FamilyMember],
    tagged: Mapping[str, Sequence[TimeExpression]],
) -> dict[str, _Date]:
    references = reference_dates(articles, families)
    publication = sorted(articles, key=lambda a: (references[a.id] or dt.date.min, a.id))
    order = {a.id: i for i, a in enumerate(publication)}
    relevance = _relevance(articles)
    dates: dict[str, _Date] = {}
    for article in articles:
        family = families.get(article.id)
        counts = not is_digest(article, family)
        family_id = family.family_id if family else article.id
        spans = split_sentences(article.body)
        starts = [s.start for s in spans]
        expressions = tagged.get(article.id)
        if expressions is None:
            expressions = tag_times(article.body, references[article.id])
        expressions = [as_calendar_date(e) for e in expressions]
        # A date the text gets wrong somewhere ("Tuesday, Feb 6" on a Friday) is trusted nowhere in it,
        # and a sentence that gets a date wrong is trusted for none of its dates.
        # A date in the opening dateline ("DAMASCUS, March 21 (Reuters) - ") is when the report was filed.
        opening = credit_end(article.body)
        distrusted = {e.value for e in expressions if e.conflict}
        wrong_sentences = {bisect.bisect_right(starts, e.start) - 1 for e in expressions if e.conflict}
        sentences: dict[int, _Sentence] = {}
        in_sentence: dict[int, list[_Mention]] = {}
        for expression in expressions:
            if not _usable(expression, article.body) or expression.value in distrusted or expression.value is None:
                continue
            index = bisect.bisect_right(starts, expression.start) - 1
            if index < 0 or spans[index].end < expression.end or index in wrong_sentences:
                continue
            if expression.start < opening or opens_with_credit(spans[index].text):
                continue
            sentence = sentences.get(index)
            if sentence is None:
                span = spans[index]
                stems = frozenset(content_words(words(span.text)))
                sentence = _Sentence(
                    article, span, stems, family_id, counts, order[article.id], relevance[article.id],
                    references[article.id],
                )  # fmt: skip
                sentences[index] = sentence
            key = f"{expression.granularity}:{expression.value}"
            if key not in dates:
                dates[key] = _Date(
                    expression.value, expression.granularity, _first_day(expression.value, expression.granularity)
                )
            mention = _Mention(sentence, expression, _weight(article.body, sentence.span.start, expression.start))
            dates[key].mentions.append(mention)
            in_sentence.setdefault(index, []).append(mention)
        for mentions in in_sentence.values():
            firmest = max(m.weight for m in mentions)
            for mention in mentions:
                mention.main = mention.weight >= firmest
    return dates


def _relevance(articles: Sequence[Article]) -> dict[str, float]:
    """How much each article is about what the set is about: 1 for most, less for strays.

    A set gathered by keywords holds articles on other subjects (a football result in a set about
    Syria); their dates and sentences should not outweigh the story's. A story is its names: an
    article that uses at least three of the set's most common names is fully on topic.
    """
    if len(articles) < 3:
        return {a.id: 1.0 for a in articles}
    names = {a.id: _names(f"{'' if a.title_derived else a.title or ''} {a.body}") for a in articles}
    frequency: Counter[str] = Counter()
    for found in names.values():
        frequency.update(found)
    common = {name for name, _ in sorted(frequency.items(), key=lambda item: (-item[1], item[0]))[:TOPIC_NAMES]}
    return {article_id: min(1.0, len(found & common) / ON_TOPIC_NAMES) for article_id, found in names.items()}


def _names(text: str) -> set[str]:
    """Capitalised words that are not stop words: "Petro", "Damascus", "Treasury"."""
    return {w for w in (fold_word(t) for t in raw_words(text) if t[0].isupper() and len(t) > 1) if w not in STOPWORDS}


def reference_dates(articles: Sequence[Article], families: Mapping[str, FamilyMember]) -> dict[str, dt.date | None]:
    """Each article's reference date: its publication day, else its source's, else the latest in the set.

    An undated digest was written after all the reports it digests, not only the one it is filed under: it
    takes the latest date in the set.
    """
    own = {a.id: publication_day(a.published) for a in articles}
    known = [d for d in own.values() if d is not None]
    latest = max(known) if known else None
    out: dict[str, dt.date | None] = {}
    for article in articles:
        day = own[article.id]
        family = families.get(article.id)
        if day is None and not is_digest(article, family):
            source = family.derived_from or family.family_id if family else None
            day = own.get(source) if source else None
        out[article.id] = day or latest
    return out


def is_digest(article: Article, family: FamilyMember | None) -> bool:
    """Whether ``article`` digests other reports (its own kind, or the role relate gave it in its family)."""
    return article.kind == "digest" or (family is not None and family.role == "digest")


def publication_day(published: str | None) -> dt.date | None:
    """The day of a stored publication date ("2026-02-03T00:00:32" gives 2026-02-03), when it has one."""
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published[:10])
    except ValueError:
        return None


def as_calendar_date(expression: TimeExpression) -> TimeExpression:
    """A clock time or part of a day as the day it is on ("10 p.m. Wednesday", "Friday evening")."""
    if expression.granularity == "time" and expression.value is not None:
        return replace(expression, value=expression.value[:10], granularity="day")
    return expression


def _usable(expression: TimeExpression, body: str) -> bool:
    """Resolved to a calendar date, precise enough, and not a timestamp ("April 8, 2011 at 10:07 am | Reply").

    Reference words ("now", "recently": granularity ``reference``) name no date and are never entries;
    nor is a reporting period ("the third quarter", "third-quarter profit", "the first half", "the
    year-ago quarter"): it is the background of a report, not the date of an event, and its first month
    is not it. A clock time or part of a day ("10:35 a.m. Tuesday", "Friday evening") dates its day.
    """
    if expression.value is None or expression.conflict or expression.granularity not in GRANULARITIES:
        return False
    if expression.granularity == "month" and expression.until and _reporting_period(expression):
        return False
    if expression.granularity == "day" and expression.until:
        first = dt.date.fromisoformat(expression.value)
        last = dt.date.fromisoformat(expression.until)
        if (last - first).days >= LONGEST_RANGE_DAYS:
            return False
    if _TIMESTAMP_AFTER.match(body, expression.end):
        return False
    return not _TIMESTAMP_BEFORE.search(body, max(0, expression.start - 4), expression.start)


def _reporting_period(expression: TimeExpression) -> bool:
    """A quarter or half year not written as months ("third-quarter", "a year earlier" after a quarter)."""
    assert expression.value is not None and expression.until is not None
    first_year, first_month = (int(p) for p in expression.value.split("-"))
    last_year, last_month = (int(p) for p in expression.until.split("-"))
    months = (last_year - first_year) * 12 + last_month - first_month + 1
    aligned = (months == 3 and first_month in (1, 4, 7, 10)) or (months == 6 and first_month in (1, 7))
    return aligned and not _MONTH_NAME.search(expression.text)


def _weight(body: str, sentence_start: int, start: int) -> float:
    """How firmly a date dates its sentence's event: 1 when it is the time of the main clause.

    Less when it is a reference point ("since 2019", "after the 3 January operation") or when it
    sits in a subordinate clause ("the group, which was founded in the 1960s, controls ...",
    "while the two men were cordial in a call on 3 January, Petro has since said ..."); a clause
    after "said that" is the reported event itself, not a subordinate one.
    """
    weight = 1.0
    if _REFERENCE_POINT.search(body, max(0, start - 24), start):
        weight *= REFERENCE_POINT_WEIGHT
    clause_start = sentence_start
    for found in _CLAUSE_START.finditer(body, sentence_start, start):
        clause_start = found.end()
    for found in _SUBORDINATOR.finditer(body, clause_start, start):
        if found.group().lower() == "that" and _REPORTING_VERB.search(body, max(0, found.start() - 40), found.start()):
            continue
        weight *= SUBORDINATE_WEIGHT
        break
    return weight


def _first_day(value: str, granularity: str) -> dt.date:
    if granularity == "day":
        return dt.date.fromisoformat(value)
    if granularity == "month":
        return dt.date(int(value[:4]), int(value[5:7]), 1)
    return dt.date(int(value[:4]), 1, 1)


def _last_day(date: _Date) -> dt.date:
    first = date.first
    if date.granularity == "day":
        return first
    if date.granularity == "month":
        following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    span = 1 if date.granularity == "year" else 10
    return dt.date(first.year + span - 1, 12, 31)


def _overlaps(date: _Date, since: dt.date | None, until: dt.date | None) -> bool:
    if since is not None and _last_day(date) < since:
        return False
    return until is None or date.first <= until


# -- digests ------------------------------------------------------------------------------------------


def _drop_contradicted_digest_claims(dates: dict[str, _Date]) -> None:
    """A digest's dated claim goes when a report dates the same event differently, close by.

    The seeds' aggregator puts the Petro-Trump meeting on 6 February; the reports say 3 February.
    """
    reported: list[tuple[_Date, _Mention]] = [
        (d, m) for d in dates.values() if d.granularity == "day" for m in d.mentions if m.sentence.counts
    ]
    for date in dates.values():
        if date.granularity != "day":
            continue
        kept = []
        for mention in date.mentions:
            if not mention.sentence.counts and any(
                other is not date
                and abs((other.first - date.first).days) <= NEARBY_DAYS
                and _cosine(mention.sentence.stems, report.sentence.stems) >= SAME_EVENT
                for other, report in reported
            ):
                continue
            kept.append(mention)
        date.mentions = kept


# -- entries ------------------------------------------------------------------------------------------


@dataclass
class _Group:
    """Event sentences of one date that say the same thing."""

    members: list[_Mention]

    @property
    def families(self) -> set[str]:
        return {m.sentence.family for m in self.members if m.sentence.counts}


def _topic(dates: Iterable[_Date]) -> dict[str, float]:
    """What the story is about: the share of each content stem among all its event sentences."""
    sentences = {(m.sentence.article.id, m.sentence.span.start): m.sentence.stems for d in dates for m in d.mentions}
    return _shares(stem for stems in sentences.values() for stem in stems)


def _shares(stems: Iterable[str]) -> dict[str, float]:
    counts = Counter(stems)
    total = sum(counts.values()) or 1
    return {stem: count / total for stem, count in counts.items()}


@dataclass(frozen=True)
class _Centroid:
    """The words of one date's sentences blended with the words of the whole story."""

    own: Mapping[str, float]
    topic: Mapping[str, float]

    def get(self, stem: str, default: float = 0.0) -> float:
        return (1 - TOPIC_WEIGHT) * self.own.get(stem, default) + TOPIC_WEIGHT * self.topic.get(stem, default)


def _entries_for(
    date: _Date, per_date: int, used: set[tuple[str, int]], topic: Mapping[str, float]
) -> list[TimelineEntry]:
    """The best ``per_date`` groups of the date's event sentences, each an entry with all its citations.

    A sentence is central when it uses the words the date's sentences use and the words of the story
    as a whole (``TOPIC_WEIGHT``): the date's own words alone favour a stray article's detail, the
    story's alone a sentence that could stand at any date.
    """
    mentions = _one_per_sentence(m for m in date.mentions if m.main)
    centroid = _Centroid(_shares(stem for mention in mentions for stem in mention.sentence.stems), topic)
    groups = _group(mentions)
    ranked = sorted(groups, key=lambda g: _group_rank(g, centroid), reverse=True)
    entries = []
    chosen: list[frozenset[str]] = []
    for group in ranked:
        best = max(group.members, key=lambda m: _member_rank(m, centroid))
        key = (best.sentence.article.id, best.sentence.span.start)
        if key in used or any(_cosine(best.sentence.stems, stems) >= REPEATS for stems in chosen):
            continue
        chosen.append(best.sentence.stems)
        used.add(key)
        entries.append(_entry(date, group, best, mentions))
        if len(entries) == per_date:
            break
    return entries


def _one_per_sentence(mentions: Iterable[_Mention]) -> list[_Mention]:
    """A sentence that mentions the date twice is one event sentence (its firmest mention)."""
    best: dict[tuple[str, int], _Mention] = {}
    for mention in mentions:
        key = (mention.sentence.article.id, mention.sentence.span.start)
        if key not in best or mention.weight > best[key].weight:
            best[key] = mention
    return sorted(
        best.values(), key=lambda m: (not m.sentence.counts, -m.weight, m.sentence.order, m.sentence.span.start)
    )


def _group(mentions: list[_Mention]) -> list[_Group]:
    """Sentences that say the same thing, and what a digest says joined to the report it retells."""
    groups: list[_Group] = []
    for mention in mentions:
        for group in groups:
            if _similarity(mention.sentence.stems, group.members[0].sentence.stems) >= MERGE:
                group.members.append(mention)
                break
        else:
            groups.append(_Group([mention]))
    reports = [g for g in groups if g.families]
    kept = list(reports)
    for group in groups:
        if group.families:
            continue
        stems = group.members[0].sentence.stems
        closest = max(reports, key=lambda r: _similarity(stems, r.members[0].sentence.stems), default=None)
        if closest is not None and _similarity(stems, closest.members[0].sentence.stems) >= RETOLD:
            closest.members.extend(group.members)
        else:
            kept.append(group)
    return kept


def _centrality(stems: frozenset[str], centroid: _Centroid) -> float:
    if not stems:
        return 0.0
    return math.fsum(centroid.get(s, 0.0) for s in stems) / (len(stems) + 5)


def _group_rank(group: _Group, centroid: _Centroid) -> tuple[float, ...]:
    """The order of a date's groups: the entry is the group whose best sentence a reader needs most.

    A day is specific: a sentence that mentions it speaks of what happened that day, so the most central
    sentence wins among those a report written on or after the day tells as having happened (not the
    plan for it, not "Tuesday's meeting follows months of ...", where the day only names the event).
    A month, year or decade is mentioned in passing ("relations soured through 2025"): a group wins
    when reports date their main clause with it ("in 2025, an offensive displaced ..."), then centrality.
    """
    if group.members[0].expression.granularity == "day":
        return max(
            (_reported_after(m), not _names_event(m), _centrality(m.sentence.stems, centroid)) for m in group.members
        )
    central = max(_centrality(m.sentence.stems, centroid) for m in group.members)
    firm: dict[str, float] = {}
    for m in group.members:
        if m.sentence.counts and m.weight >= 1.0:
            firm[m.sentence.family] = max(firm.get(m.sentence.family, 0.0), m.sentence.relevance)
    return (round(math.fsum(firm.values()), 2), max(m.weight for m in group.members), central)


def _reported_after(mention: _Mention) -> bool:
    """A report, written on or after the date, that says the event happened."""
    sentence, expression = mention.sentence, mention.expression
    return (
        sentence.counts
        and expression.status == "happened"
        and sentence.reference is not None
        and expression.value is not None
        and sentence.reference >= _first_day(expression.value, expression.granularity)
    )


def _names_event(mention: _Mention) -> bool:
    """A possessive date names an event rather than dating the sentence's: "Tuesday's meeting follows ..."."""
    end = mention.expression.end
    return mention.sentence.article.body[end : end + 2] in ("'s", "\u2019s")


def _member_rank(mention: _Mention, centroid: _Centroid) -> tuple[float, ...]:
    """Within one event: a report before a digest, what happened before the plan, then centrality."""
    happened = mention.expression.status == "happened"
    return (mention.sentence.counts, happened, _centrality(mention.sentence.stems, centroid))


def _entry(date: _Date, group: _Group, best: _Mention, mentions: list[_Mention]) -> TimelineEntry:
    citations = [_trimmed_citation(best)]
    seen = {(best.sentence.article.id, best.sentence.span.start)}
    for member in sorted(group.members, key=lambda m: (m.sentence.order, m.sentence.article.id, m.sentence.span.start)):
        key = (member.sentence.article.id, member.sentence.span.start)
        if key not in seen:
            seen.add(key)
            span = member.sentence.span
            citations.append(Citation(member.sentence.article.id, span.start, span.end, span.text))
    return TimelineEntry(
        date=date.value,
        granularity=date.granularity,
        status=_status(group, best, mentions),
        text=citations[0].quote,
        citations=tuple(citations),
        support=len(group.families),
    )


def _status(group: _Group, best: _Mention, mentions: list[_Mention]) -> str:
    """Happened when any report of the event says so (a later report overrides the plan)."""
    witnesses = [m for m in group.members if m.sentence.counts] or group.members
    if any(m.expression.status == "happened" for m in witnesses):
        return "happened"
    stems = best.sentence.stems
    reported = [m for m in mentions if m.sentence.counts and m.expression.status == "happened"]
    if any(_cosine(stems, m.sentence.stems) >= SAME_EVENT for m in reported):
        return "happened"
    return "scheduled"


def _trimmed_citation(mention: _Mention) -> Citation:
    """The clause of the sentence that holds the date: no timeline heading, no other ';' clauses, no
    leading opener or attribution ("Meanwhile, ...", "According to the police, ...") when the date
    stays inside what remains and what remains starts as a sentence does. A closing "..., she said"
    stays: a quote keeps its speaker."""
    sentence = mention.sentence
    body = sentence.article.body
    start, end = sentence.span.start, sentence.span.end
    at, to = mention.expression.start, mention.expression.end
    heading = _HEADING.match(body, to) if at == start else None
    if heading is not None and heading.end() < end:
        start = at = to = heading.end()  # "Jan 3, 2026 – U.S. forces launch ...": the event follows the date
    dateline = _DATELINE.match(body, start, min(end, start + 200))
    if dateline is not None and dateline.end() <= at and dateline.end() < end:
        start = dateline.end()  # "DERAA, Syria | Sat Mar 26, 2011 11:08pm GMT DERAA (Reuters) - "
    clause_start, clause_end = start, end
    for found in _CLAUSE_BREAK.finditer(body, start, end):
        if found.end() <= at:
            clause_start = found.end()
        elif found.start() >= to:
            clause_end = found.start()
            break
    if len(body[clause_start:clause_end].split()) >= 6:
        start, end = clause_start, clause_end
    claim_start, claim_end = (start + offset for offset in claim_span(body[start:end]))
    first = body[claim_start : claim_start + 1]
    reads = first.isupper() or first.isdigit()  # "Meanwhile, Egyptian troops ...", not "that the tunnel ..."
    if reads and (at == to or (claim_start <= at and to <= claim_end)):
        start, end = claim_start, claim_end
    return Citation(sentence.article.id, start, end, body[start:end])


def _similarity(first: frozenset[str], second: frozenset[str]) -> float:
    """Shared content stems over the smaller set (a short sentence inside a long one counts as the same)."""
    if not first or not second:
        return 0.0
    return len(first & second) / min(len(first), len(second))


def _cosine(first: frozenset[str], second: frozenset[str]) -> float:
    if not first or not second:
        return 0.0
    return len(first & second) / math.sqrt(len(first) * len(second))


# -- the timeline on its own, as the ``timeline`` command prints it ---------------------------------------
