"""The material a story page is written from: the story's articles, their families, and their sentences.

Every sentence becomes a ``Unit`` that knows its article, its family and its exact span in the stored body,
so whatever the writer picks can be cited by construction. Sentences are compared through IDF-weighted sets
of content-word stems fitted on the story itself: words every article uses ("Petro", "Trump") weigh little,
the words that distinguish one fact from another weigh much.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from newsdesk.analyse import split_sentences
from newsdesk.analyse.quantities import Quantity, find_quantities
from newsdesk.analyse.temporal import tag_times
from newsdesk.analyse.tokens import content_words, stem, words
from newsdesk.extract.dates import sort_key
from newsdesk.records import Article, Citation, FamilyMember, TimeExpression
from newsdesk.relate.repeats import Repeated, repeat_key_of
from newsdesk.write.timeline import is_digest, reference_dates

__all__ = ["Material", "Unit", "cite", "quantities_of"]

_QUOTE_CHARS = '"“”'
_QUOTE_MARK = re.compile(f"[{_QUOTE_CHARS}]")
_NUMBER = re.compile(r"\d")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
# Words that news outlets use interchangeably for one thing, after stemming.
_SYNONYMS = {
    "soldier": "troop",
    "frontier": "border",
    "boundary": "border",
    "kill": "die",
    "dead": "die",
    "death": "die",
    "talk": "meet",
    "meeting": "meet",
    "summit": "meet",
    "venezuelan": "venezuela",
    "colombian": "colombia",
    "american": "us",
    "u.s": "us",
}
SHARED_FIGURE = 0.15  # a figure (not a year) two sentences share is strong evidence they state one fact
# A page is written from at most this many of a story's articles, of at most this many families, the latest
# first: a long-running story (hundreds of articles) then costs what a large one does, and its page says
# what the latest reports say. The timeline still reads every article.
FOCUS_ARTICLES = 200
FOCUS_FAMILIES = 100


def sentence_stems(text: str) -> frozenset[str]:
    """The content-word stems of a sentence, with common news synonyms and demonyms brought together."""
    return _stems_of(words(text))


def _stems_of(tokens: list[str]) -> frozenset[str]:
    """``sentence_stems`` of a sentence given its folded word tokens."""
    found = set()
    for word in content_words(tokens):
        base = stem(word)
        found.add(_SYNONYMS.get(base, base))
    return frozenset(found)


@functools.lru_cache(maxsize=1 << 15)
def quantities_of(text: str) -> tuple[Quantity, ...]:
    """``find_quantities`` of a sentence, found once: figures and contradictions read the same sentences."""
    return tuple(find_quantities(text))


def cite(article: Article, start: int, end: int) -> Citation:
    """A citation of ``article``'s body at ``start:end``; the quote is that exact span."""
    return Citation(article.id, start, end, article.body[start:end])


@dataclass
class Unit:
    """One sentence of one article, ready to compare and to cite."""

    article: Article
    family: str
    index: int  # position of the sentence in its article
    start: int
    end: int
    text: str
    stems: frozenset[str]
    weights: dict[str, float] = field(default_factory=dict)
    norm: float = 1.0
    repeated: bool = False  # furniture: said alike in unrelated articles of other stories (never shown)
    # The unit's sparse row in a ``Material``'s similarity vocabulary (that vocabulary, columns, values), once
    # worked out; ``weights`` and ``norm`` are not changed after it is.
    _row: tuple[dict[str, int], list[int], list[float]] | None = field(default=None, repr=False, compare=False)
    _quoted: float | None = field(default=None, repr=False, compare=False)  # ``quoted_share``, once worked out

    @property
    def citation(self) -> Citation:
        return cite(self.article, self.start, self.end)

    @property
    def word_count(self) -> int:
        return len(self.text.split())

    @property
    def quoted_share(self) -> float:
        """How much of the sentence is inside quotation marks (quotes make weak key points).

        A closing mark with no opening one ends a quotation that began in an earlier sentence ("To see them
        back on the walls, ticking, is something I will not forget.”): all that comes before it is quoted.
        """
        if self._quoted is not None:
            return self._quoted
        text = self.text
        opening = min((i for i in (text.find("“"), text.find('"')) if i >= 0), default=len(text))
        closing = text.find("”")
        inside = closing if 0 <= closing < opening else 0  # the quotation began in an earlier sentence
        # The characters between one quotation mark and the next, when that mark opens (or a '"' toggles) it.
        depth = False
        marks = [m.start() for m in _QUOTE_MARK.finditer(text)] + [len(text)]
        for here, following in itertools.pairwise(marks):
            char = text[here]
            depth = not depth if char == '"' else char == "“"
            if depth:
                inside += following - here - 1
        self._quoted = inside / max(1, len(text))
        return self._quoted

    def similarity(self, other: Unit) -> float:
        shared = self.stems & other.stems
        if not shared:
            return 0.0
        score = math.fsum(self.weights[s] * other.weights[s] for s in shared) / (self.norm * other.norm)
        if any(_NUMBER.search(s) and not _YEAR.match(s) for s in shared):
            score += SHARED_FIGURE
        return min(1.0, score)


class Material:
    """A story's articles, families and sentence units, with the story-level IDF they are compared by.

    ``articles`` are all of the story's articles; ``focus`` those the page's text is written from (all of
    them, up to ``FOCUS_ARTICLES``; see ``focus_on``). Only the focus is split into sentence units.
    """

    def __init__(
        self,
        articles: Iterable[Article],
        families: Mapping[str, FamilyMember],
        *,
        focus_articles: int = FOCUS_ARTICLES,
        focus_families: int = FOCUS_FAMILIES,
        repeated: Repeated | None = None,
    ) -> None:
        self.articles = sorted(articles, key=lambda a: (sort_key(a.published) or "~", a.id))
        self.by_id = {a.id: a for a in self.articles}
        self.families = {
            a.id: families.get(a.id) or FamilyMember(a.id, a.id, "digest" if a.kind == "digest" else "origin", None)
            for a in self.articles
        }
        self.focus = focus_on(self.articles, self.families, focus_articles, focus_families)
        self._times: dict[str, list[TimeExpression]] | None = None
        self.repeated = repeated
        self.units: list[Unit] = []
        # The columns of stems in ``similarities``' sparse rows, shared by every call (and the figures among them).
        self._vocabulary: dict[str, int] = {}
        self._figure_columns: list[int] = []
        self._figure_count = 0
        self.sentences: dict[str, list[Unit]] = {}
        keys: list[int | None] = []  # the units' repeat keys (``repeat_key`` of their text)
        for article in self.focus:
            own = []
            for index, sentence in enumerate(split_sentences(article.body)):
                tokens = words(sentence.text)
                stems = _stems_of(tokens)
                keys.append(repeat_key_of(tokens))
                unit = Unit(
                    article,
                    self.families[article.id].family_id,
                    index,
                    sentence.start,
                    sentence.end,
                    sentence.text,
                    stems,
                )
                own.append(unit)
            self.sentences[article.id] = own
            self.units.extend(own)
        if repeated is not None:
            furniture = repeated(k for k in keys if k is not None)
            for unit, key in zip(self.units, keys, strict=True):
                unit.repeated = key in furniture
        frequency = Counter(s for u in self.units for s in u.stems)
        total = max(1, len(self.units))
        idf = {s: math.log((1 + total) / (1 + n)) + 1.0 for s, n in frequency.items()}
        for unit in self.units:
            unit.weights = {s: idf[s] for s in unit.stems}
            unit.norm = math.sqrt(math.fsum(w * w for w in unit.weights.values())) or 1.0

    def similarities(self, rows: list[Unit], columns: list[Unit]) -> np.ndarray:
        """``Unit.similarity`` of every row against every column, as one sparse matrix product (a page of
        thousands of candidate sentences has tens of thousands of distinct stems, each in a few of them)."""
        if not rows or not columns:
            return np.zeros((len(rows), len(columns)), dtype=np.float32)
        vocabulary = self._vocabulary
        left_parts, right_parts = _sparse_parts(rows, vocabulary), _sparse_parts(columns, vocabulary)
        left = sparse.csr_matrix(left_parts, shape=(len(rows), len(vocabulary)))
        right = sparse.csr_matrix(right_parts, shape=(len(columns), len(vocabulary)))
        scores = np.asarray((left @ right.T).toarray(), dtype=np.float32)
        figures = self._figures()
        if figures:
            shared_figure = (left[:, figures] != 0).astype(np.float32) @ (right[:, figures] != 0).astype(np.float32).T
            scores += SHARED_FIGURE * (shared_figure.toarray() > 0)
        result: np.ndarray = np.minimum(scores, 1.0)
        return result

    def _figures(self) -> list[int]:
        """The columns of ``_vocabulary`` that are figures (not years), in the order of the vocabulary."""
        if self._figure_count != len(self._vocabulary):
            self._figure_columns = [i for w, i in self._vocabulary.items() if _NUMBER.search(w) and not _YEAR.match(w)]
            self._figure_count = len(self._vocabulary)
        return self._figure_columns

    def join(self, first: Unit, second: Unit) -> Unit:
        """One unit of two consecutive sentences of an article (a span of the body from the first's start to
        the second's end), compared by the union of their stems."""
        weights = {**first.weights, **second.weights}
        return Unit(
            first.article,
            first.family,
            first.index,
            first.start,
            second.end,
            first.article.body[first.start : second.end],
            first.stems | second.stems,
            weights,
            math.sqrt(math.fsum(w * w for w in weights.values())) or 1.0,
            first.repeated or second.repeated,
        )

    def times(self) -> dict[str, list[TimeExpression]]:
        """Every article's time expressions, resolved against its reference date; tagged once per page."""
        if self._times is None:
            references = reference_dates(self.articles, self.families)
            self._times = {a.id: tag_times(a.body, references[a.id]) for a in self.articles}
        return self._times

    def is_digest(self, article: Article) -> bool:
        return is_digest(article, self.families[article.id])

    def representatives(self) -> list[Article]:
        """One article per family of reports, the fullest non-digest member: the one a page cites.

        Derived copies say nothing their origin does not, so they add no weight; digests are never
        sources. With no report at all (a story of digests), the digests stand in.
        """
        best: dict[str, Article] = {}
        for article in self.focus:
            if self.is_digest(article):
                continue
            family = self.families[article.id].family_id
            current = best.get(family)
            if current is None or len(article.body) > len(current.body):
                best[family] = article
        if not best:
            best = {a.id: a for a in self.focus}
        return sorted(best.values(), key=lambda a: (sort_key(a.published) or "~", a.id))

    def latest_first(self) -> list[Article]:
        """The reports, latest first: by publication day, then those that report over those that anticipate.

        Within one day the order of publication is often unknown (a date without a time), so a report that
        says something happened ("Petro meets Trump") is taken as later than one that announces it.
        """
        reports = [a for a in self.focus if not self.is_digest(a)] or list(self.focus)

        def rank(article: Article) -> tuple[str, int, int, str]:
            day = sort_key(article.published)[:10] if article.published else ""
            lead = next((u.text for u in self.sentences[article.id]), "")
            return (day, reports_state(article.title or lead), len(article.body), article.id)

        return sorted(reports, key=rank, reverse=True)

    def recency(self) -> dict[str, float]:
        """Each report's place in time within the story: 1 for the latest (see ``latest_first``), 0 the earliest."""
        ordered = self.latest_first()[::-1]
        rank = {a.id: (i / (len(ordered) - 1) if len(ordered) > 1 else 1.0) for i, a in enumerate(ordered)}
        return {a.id: rank.get(a.id, 0.0) for a in self.articles}


def focus_on(
    articles: list[Article], families: Mapping[str, FamilyMember], most: int, most_families: int
) -> list[Article]:
    """The articles a page is written from: all of them, or the latest ``most`` of the latest ``most_families``
    families (in the order of ``articles``)."""
    if len(articles) <= most:
        return list(articles)
    kept: set[str] = set()
    picked: set[str] = set()
    for article in sorted(articles, key=lambda a: (sort_key(a.published) or "", a.id), reverse=True):
        family = families[article.id].family_id
        if family not in kept:
            if len(kept) >= most_families:
                continue
            kept.add(family)
        picked.add(article.id)
        if len(picked) >= most:
            break
    return [a for a in articles if a.id in picked]


def _sparse_parts(units: list[Unit], vocabulary: dict[str, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The units' normalised stem weights as the (values, columns, row pointers) of sparse rows; new stems
    join ``vocabulary``."""
    pointers, columns, values = [0], [], []
    for unit in units:
        row = unit._row
        if row is None or row[0] is not vocabulary:
            row = unit._row = (
                vocabulary,
                [vocabulary.setdefault(word, len(vocabulary)) for word in unit.weights],
                [weight / unit.norm for weight in unit.weights.values()],
            )
        columns += row[1]
        values += row[2]
        pointers.append(len(columns))
    return np.asarray(values, dtype=np.float32), np.asarray(columns, dtype=np.int64), np.asarray(pointers)


# Wording that announces rather than reports: superseded once a report says the thing happened.
_AHEAD = re.compile(
    r"\b(?:will|would|set to|about to|expected to|plans? to|poised to|ready to|due to|could|may|might|upcoming|"
    r"ahead of|prepares? to|preparing to|heads? to|heading to|scheduled|is to|are to)\b"
    r"|(?<!bid )(?<!order )(?<!effort )(?<!attempt )\bto (?:meet|visit|hold|sign|travel|attend|face|launch|"
    r"begin|start|vote|decide|announce|unveil|host|open)\b",
    re.IGNORECASE,
)


def reports_state(text: str) -> int:
    """1 for wording that reports what happened, 0 for wording that anticipates it ("is about to meet")."""
    return 0 if _AHEAD.search(text) else 1


def has_number(text: str) -> bool:
    return bool(_NUMBER.search(text))
