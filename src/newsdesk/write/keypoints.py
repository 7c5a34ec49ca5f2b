"""Key points: what the story's sources say, grouped across outlets and ranked by independent support.

Candidates are the sentences of one article per family (the fullest report: copies add no weight). A
sentence is linked to the most similar sentence of every other family when the two say the same thing
(IDF-weighted stem overlap); its support is the number of families that say it. Points are chosen greedily
by support, position (news puts what matters first), information (names and figures), recency (what the
later reports add) and novelty against the points already chosen (maximal marginal relevance). The latest
report's lead opens the points (the latest development), and what an earlier report said was about to happen
counts for less once a later report's lead says it did.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from newsdesk.extract.furniture import opens_with_credit
from newsdesk.records import Article, Citation, KeyPoint
from newsdesk.write.agreement import Conflict, conflict
from newsdesk.write.compress import claim_span
from newsdesk.write.shorten import distinct_headline, repeats_start
from newsdesk.write.units import Material, Unit, has_number, reports_state

__all__ = ["Point", "choose_points", "key_points", "lead_unit"]

WEIGHTS = {
    "support": 1.5,  # per other family that says the same
    "position": 1.0,  # news puts what matters first
    "decay": 0.12,
    "information": 0.6,  # names and figures
    "recency": 0.8,  # what the later reports add
    "centrality": 0.5,
    "echo": 1.5,  # what summaries and digests chose to repeat
    "quoted": 0.8,
    "redundancy": 3.0,
    "news": 1.0,  # novelty against the points already chosen
    "pair": 0.5,  # a pair of sentences must be a better match than its first sentence alone
    "superseded": 1.5,  # an earlier report's anticipation of what a later report says happened
}
LINK = 0.30  # two sentences of different families say the same thing above this similarity
REDUNDANT = 0.35
OVERLAP = 0.15  # points may share this much (names, places) before novelty counts against them
PER_ARTICLE = 25  # candidates per report: what matters in news comes early
ECHO = 0.30  # a derived article repeats a sentence above this similarity
SUPERSEDING = 3  # sentences of a later report's lead that can say an anticipated event happened
SUPERSEDED = 0.15  # an anticipating sentence this close to a later report's lead is out of date
PAIR_WORDS = 60  # two consecutive sentences of at most this many words together may make one point
_ANAPHORA = re.compile(r"^(?:It|He|She|They|This|These|That|Those|His|Her|Their|Its|The move|The decision)\b")
_LINK_TEXT = re.compile(r"https?\s*:|www\s*\.|\.\s*(?:com|org|co\s*\.\s*uk)\b", re.IGNORECASE)
# A sentence about the article itself, not the news: "This article first appeared in the print edition of ..."
_ABOUT_ITSELF = re.compile(
    r"^(?:This|The)\s+(?:article|story|report|piece|post|version)\s+(?:\w+\s+){0,2}?"
    r"(?:appeared|was\s+(?:first\s+|originally\s+)?(?:published|updated|amended|corrected)|has\s+been\s+"
    r"(?:updated|amended|corrected))\b",
    re.IGNORECASE,
)
_STAMP_WORD = re.compile(r"[^\W\d_]{2,}")
_STAMP_VOCABULARY = set(
    "posted updated published last modified on at by am pm et est edt gmt bst cet utc pst pdt cst cdt mst "
    "january february march april may june july august september october november december jan feb mar apr jun "
    "jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat "
    "sun".split()
)
_NAME = re.compile(r"(?<!^)(?<![.!?]\s)\b[A-Z][a-z]+")


@dataclass
class Point:
    """A chosen sentence with the sentences of other families that support it."""

    unit: Unit
    support: list[Unit]
    score: float
    follow: Unit | None = None  # the next sentence when it continues the claim ("It has also imposed ...")
    # Sentences of other families about the same matter that say it the other way: no support, a discrepancy.
    contradicted: list[tuple[Unit, Unit, Conflict]] = field(default_factory=list)

    @property
    def families(self) -> int:
        return 1 + len(self.support)

    def citations(self) -> tuple[Citation, ...]:
        own = [self.unit] + ([self.follow] if self.follow else [])
        return tuple(u.citation for u in own + self.support)

    def text(self) -> str:
        start, end = claim_span(self.unit.text)
        first = self.unit.text[start:end].strip()
        first = first[:1].upper() + first[1:]
        if self.follow and first.rstrip("\"'”’)").endswith((".", "!", "?")):
            return f"{first} {self.follow.text.strip()}"
        return first


def eligible(unit: Unit, quotes: bool = False) -> bool:
    count = unit.word_count
    text = unit.text.strip()
    return (
        7 <= count <= 70
        and not unit.repeated
        and (quotes or unit.quoted_share < 0.5)
        and not text.endswith("?")
        and not text.isupper()
        and not _LINK_TEXT.search(text)
        and not _ABOUT_ITSELF.match(text)
        and not opens_with_credit(text)
        and not _stamp(text)
    )


def _stamp(text: str) -> bool:
    """Whether a "sentence" is only a timestamp or a dateline ("Updated: January 6, 2011, 11:34 AM ET",
    "Posted 11/27/2005 7:21 AM"): extraction leaves such lines in, and they say nothing."""
    return len([w for w in _STAMP_WORD.findall(text) if w.lower() not in _STAMP_VOCABULARY]) < 3


def choose_points(material: Material, max_points: int = 8) -> list[Point]:
    """The story's key points, most important first.

    Candidates are single sentences and pairs of consecutive ones (a pair is chosen when it is the better
    match for what other families and the summaries say, and shows as a sentence and its follower).
    """
    representatives = material.representatives()
    recency = material.recency()
    singles = [
        u for a in representatives for u in itertools.islice(filter(eligible, material.sentences[a.id]), PER_ARTICLE)
    ]
    if not singles:
        return []
    # Two consecutive sentences often make one claim ("... a cordial phone call." "Rand Paul was instrumental
    # in setting up the conversation."); summaries fuse them and other outlets say it in one sentence.
    pairs: dict[int, tuple[Unit, Unit]] = {}
    joined_units: list[Unit] = []
    for first, second in itertools.pairwise(singles):
        consecutive = first.article is second.article and second.index == first.index + 1
        if consecutive and first.word_count + second.word_count <= PAIR_WORDS:
            joined = material.join(first, second)
            pairs[id(joined)] = (first, second)
            joined_units.append(joined)
    candidates = singles + joined_units
    similarity = material.similarities(candidates, candidates)
    families = sorted({u.family for u in candidates})
    family_of = np.array([families.index(u.family) for u in candidates])
    columns = {f: np.flatnonzero(family_of == i) for i, f in enumerate(families)}
    echo = _echoes(material, candidates)
    # For every candidate and every family: the family's closest sentence and how close it is.
    best_of = np.zeros((len(candidates), len(families)), dtype=np.int64)
    best_score = np.zeros((len(candidates), len(families)), dtype=np.float32)
    for column, indexes in enumerate(columns.values()):
        within = similarity[:, indexes]
        picks = within.argmax(axis=1)
        best_of[:, column] = indexes[picks]
        best_score[:, column] = within[np.arange(len(candidates)), picks]
    # What a later report leads with supersedes what earlier reports said was about to happen ("hopeful that
    # an agreement could be reached" once a report leads with the deal).
    ordered = material.latest_first()
    lead = lead_unit(material, ordered[0])
    superseded = _superseded(material, candidates, ordered, recency)
    scored: list[Point] = []
    # The other families of each family's candidates (as columns of ``best_score``), in order.
    others_of = [
        np.array([c for c in range(len(families)) if c != own], dtype=np.int64) for own in range(len(families))
    ]
    for row, unit in enumerate(candidates):
        others = others_of[family_of[row]]
        scores_row = best_score[row, others]
        closeness: list[float] = scores_row.tolist()
        linked = [candidates[i] for i in best_of[row, others[scores_row >= LINK]].tolist()]
        # A sentence that says the same matter the other way ("remain suspended" against "resumed") is no
        # support: it is a discrepancy. Only the linked pairs are checked.
        contradicted = [(unit, u, found) for u in linked if (found := conflict(unit, u)) is not None]
        against = {id(u) for _, u, _ in contradicted}
        support = [u for u in linked if id(u) not in against]
        position = 1.0 / (1.0 + WEIGHTS["decay"] * unit.index)
        information = min(1.0, (len(_NAME.findall(unit.text)) + 2 * has_number(unit.text)) / 5)
        centrality = sum(sorted(closeness, reverse=True)[:3]) / 3 if closeness else 0.0
        score = (
            WEIGHTS["support"] * len(support)
            + WEIGHTS["position"] * position
            + WEIGHTS["information"] * information
            + WEIGHTS["recency"] * recency[unit.article.id]
            + WEIGHTS["centrality"] * centrality
            + WEIGHTS["echo"] * min(echo[row], 2.5)
            - WEIGHTS["quoted"] * unit.quoted_share
            - (WEIGHTS["pair"] if id(unit) in pairs else 0.0)
        )
        if recency[unit.article.id] == 1.0 and len(columns) > 1 and max(closeness, default=0.0) < LINK:
            score += WEIGHTS["news"]  # what the latest report adds that no earlier one said
        if superseded[row] >= SUPERSEDED and recency[unit.article.id] < 1.0 and not reports_state(unit.text):
            score -= WEIGHTS["superseded"]  # "is heading to Washington to meet" once a report says they met
        scored.append(Point(unit, support, score, contradicted=contradicted))
    position_of = {id(u): i for i, u in enumerate(candidates)}
    chosen: list[Point] = []
    covered = np.zeros(len(candidates), dtype=np.float32)  # closeness of each candidate to the chosen points
    used: set[int] = set()
    # The latest development opens the points: what the latest report leads with (the summary says it too,
    # but a reader who skips to the points must not miss that the search has ended or the deal was voted).
    opening = position_of.get(id(lead)) if lead is not None else None
    forced = scored[opening] if opening is not None else None  # and it does not count against its article
    while len(chosen) < max_points:
        best_point, best_value = None, float("-inf")
        # The points chosen from each article, and the candidates too close to them (compared as float32).
        per_article = Counter(p.unit.article.id for p in chosen if p is not forced)
        redundant, closeness_now = (covered >= REDUNDANT).tolist(), covered.tolist()
        for row, point in enumerate(scored):
            if opening is not None and row != opening:
                continue
            if id(point.unit) in used or redundant[row]:
                continue
            same_article = per_article[point.unit.article.id]
            value = point.score - WEIGHTS["redundancy"] * max(0.0, closeness_now[row] - OVERLAP) - 0.15 * same_article
            if value > best_value:
                best_point, best_value = point, value
        opening = None
        if best_point is None:
            break
        pair = pairs.get(id(best_point.unit))
        if pair is not None:
            best_point.unit, best_point.follow = pair
            chosen.append(best_point)
            members = [*pair, *best_point.support]
        else:
            members = _single(material, best_point, chosen)
        used.update(id(u) for u in members)
        inside = [position_of[id(u)] for u in members if id(u) in position_of]
        outside = [u for u in members if id(u) not in position_of]
        rows = [similarity[inside].max(axis=0)] if inside else []
        if outside:
            rows.append(material.similarities(outside, candidates).max(axis=0))
        covered = np.maximum(covered, np.max(rows, axis=0))
    return chosen


def _single(material: Material, best_point: Point, chosen: list[Point]) -> list[Unit]:
    """Choose a single-sentence point (taking the sentence before when it starts with an anaphor, or the
    one after when it continues the claim); the sentences it uses."""
    before = _previous(material, best_point.unit)
    if _ANAPHORA.match(best_point.unit.text.strip()) and before is not None and eligible(before):
        # "It has also imposed sanctions ...": the claim starts in the sentence before.
        best_point.follow, best_point.unit = best_point.unit, before
    else:
        best_point.follow = _continuation(material, best_point.unit)
    chosen.append(best_point)
    return [best_point.unit, *best_point.support] + ([best_point.follow] if best_point.follow else [])


def _echoes(material: Material, candidates: list[Unit]) -> np.ndarray:
    """How much the story's summaries and digests repeat each candidate sentence.

    They add no support (they are not independent), but what a selective text chose to repeat is what
    mattered: each of their sentences credits the candidate it is closest to, weighted by how selective
    the text is (a summary a third of the length of what it summarises weighs 0.67; a full rewrite, 0).
    """
    credit = np.zeros(len(candidates))
    sources = {u.article.id for u in candidates}
    longest = max(len(material.by_id[a].body) for a in sources)
    echoes: list[Unit] = []
    weights: list[float] = []
    for article in material.focus:
        selectivity = max(0.0, 1.0 - len(article.body) / max(1, longest))
        if article.id in sources or selectivity < 0.2:
            continue
        echoes += material.sentences[article.id]
        weights += [selectivity] * len(material.sentences[article.id])
    if not echoes:
        return credit
    position_of = {id(u): i for i, u in enumerate(candidates)}
    similarity = material.similarities(echoes, candidates)
    for row, weight in enumerate(weights):
        best = int(np.argmax(similarity[row]))
        if similarity[row, best] < ECHO:
            continue
        credit[best] += weight
        before = _previous(material, candidates[best])
        if before is not None and id(before) in position_of and _ANAPHORA.match(candidates[best].text.strip()):
            credit[position_of[id(before)]] += weight
    return credit


def _superseded(
    material: Material, candidates: list[Unit], ordered: list[Article], recency: dict[str, float]
) -> np.ndarray:
    """For each candidate, how close it is to a sentence in the lead of a later report that says something
    happened."""
    leads = [u for a in ordered for u in material.sentences[a.id][:SUPERSEDING] if reports_state(u.text)]
    if not leads:
        return np.zeros(len(candidates))
    similarity = material.similarities(candidates, leads)
    lead_time = np.array([recency[lead.article.id] for lead in leads])
    later = lead_time[None, :] > np.array([recency[u.article.id] for u in candidates])[:, None]
    closest: np.ndarray = np.where(later, similarity, 0.0).max(axis=1)
    return closest


def lead_unit(material: Material, article: Article) -> Unit | None:
    """The article's first sentence that could be a point (its first sentence that is not furniture, when none
    could)."""
    units = material.sentences.get(article.id, [])
    return next((u for u in units if eligible(u)), next((u for u in units if not u.repeated), None))


def key_points(points: list[Point]) -> tuple[KeyPoint, ...]:
    """The points as shown: each headed by a deletion of one of its cited sentences that does not repeat its
    text's start (the point's own first sentence when it can be cut so; else another family's wording)."""
    shown = []
    for p in points:
        text = p.text()
        headline = first = distinct_headline(p.unit.text, text)
        for other in p.support if repeats_start(first, text) else ():
            headline = distinct_headline(other.text, text)
            if not repeats_start(headline, text):
                break
        else:
            headline = first
        shown.append(KeyPoint(headline=headline, text=text, citations=p.citations(), support=p.families))
    return tuple(shown)


def _previous(material: Material, unit: Unit) -> Unit | None:
    own = material.sentences[unit.article.id]
    return own[unit.index - 1] if unit.index > 0 else None


def _continuation(material: Material, unit: Unit) -> Unit | None:
    """The next sentence of the same article when it goes on with the same claim (starts with "It", "They")."""
    following = material.sentences[unit.article.id]
    if unit.index + 1 >= len(following):
        return None
    nxt = following[unit.index + 1]
    text = nxt.text.strip()
    if _ANAPHORA.match(text) and eligible(nxt) and unit.word_count + nxt.word_count <= 70 and '"' not in text[:1]:
        return nxt
    return None
