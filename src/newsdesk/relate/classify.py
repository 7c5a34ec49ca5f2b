"""Deciding the relation between two articles from their sentence alignment, and its direction.

Verbatim kinds come first (duplicate, copy, excerpt), then the paraphrase kinds (rewrite, summary),
which also require that the derived text's facts (its numbers and names) come from the source: two
independent reports of one event share many facts, but each brings its own. Digests are pages that
summarise other reports; they relate to every report they draw on and are never a source.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from newsdesk.extract.dates import sort_key
from newsdesk.records import Article
from newsdesk.relate.align import Alignment, Profile, align

# Texts shorter than this (in words) are too short to call a copy, rewrite or summary of anything.
MIN_WORDS = 25


@dataclass(frozen=True)
class Decision:
    derived: Profile
    source: Profile
    kind: str
    score: float
    alignment: Alignment
    direction: str


def classify(derived: Profile, source: Profile, alignment: Alignment) -> tuple[str, float] | None:
    """The kind of relation by which ``derived`` would come from ``source``, with a score; or None."""
    f = alignment.features
    if f["exact"]:
        return "duplicate", 1.0
    if _dated_before(derived.article, source.article):
        return None  # nothing is derived from a text published after it
    if derived.article.kind == "digest":
        if source.article.kind != "digest" and f["matched"] >= 2 and f["traceable"] >= 0.2:
            return "digest", f["traceable"]
        return None
    if source.article.kind == "digest" or derived.word_count < MIN_WORDS or f["matched"] < 2:
        return None
    ratio = f["ratio"]
    # A duplicate is the same body: every sentence identical word for word, nothing added or cut.
    same_shape = f["derived_sentences"] == len(source.sentences) and 0.98 <= ratio <= 1.02
    if same_shape and f["identical"] >= 0.98 and f["source_verbatim"] >= 0.98:
        return "duplicate", f["identical"]
    machine_rewritten = f["quotes_dropped"] >= 0.5 or (derived.conclusion and not source.conclusion)
    # A verbatim copy does not come from a text that itself reads like a retelling.
    verbatim_allowed = not machine_rewritten and source.cues <= derived.cues
    if f["verbatim"] >= 0.7 and f["source_verbatim"] >= 0.5 and ratio >= 0.6 and verbatim_allowed:
        return "copy", (f["verbatim"] + f["source_verbatim"]) / 2
    # An excerpt is a contiguous run of the source's sentences, quoted word for word, perhaps with a
    # few lines of its own around it.
    excerpt = (
        f["verbatim"] >= 0.5
        and f["verbatim_matches"] >= 3
        and f["verbatim_contiguity"] >= 0.75
        and f["source_verbatim"] < 0.8
        and ratio < 0.8
    )
    if excerpt and verbatim_allowed:
        return "excerpt", f["verbatim"]
    facts = f["key_containment"] if f["key_terms"] >= 4 else 0.0
    if facts < 0.8 or f["matched"] < 3:
        return None
    if ratio > 0.4 or (machine_rewritten and ratio > 0.3):
        # A rewrite retells its source sentence by sentence. When it is much shorter, each of its
        # sentences must still keep nearly all of one source sentence; otherwise it is a summary.
        whole_sentences = f["back"] >= 0.6 if ratio >= 0.6 else f["back"] >= 0.8 and f["merged"] < 0.15
        rewrite = (
            f["coverage"] >= 0.7
            and whole_sentences
            and f["order"] >= 0.7
            and f["source_coverage"] >= 0.4
            and not (source.conclusion and not derived.conclusion)
        )
        if rewrite:
            return "rewrite", min(1.0, (f["coverage"] + facts) / 2)
    if ratio > 0.6:
        return None
    # A summary keeps its source's sentences (an extractive summary) or retells most of them in
    # order with no fact of its own (an abstractive one). A short independent report that happens
    # to share the lede's facts does neither: it matches a few sentences and no more.
    extractive = f["coverage"] >= 0.7 and f["order"] >= 0.7
    abstractive = (
        f["matched"] >= max(3.0, 0.4 * f["derived_sentences"])
        and f["traceable"] >= 0.8
        and f["traceable_order"] >= 0.8
        and f["spread"] >= 0.8
        and facts >= 0.9
    )
    if extractive or abstractive:
        return "summary", min(1.0, (max(f["coverage"], f["traceable"]) + facts) / 2)
    return None


def _dated_before(derived: Article, source: Article, *, days: int = 1) -> bool:
    """``derived`` is dated more than ``days`` before ``source``."""
    if not derived.published or not source.published:
        return False
    try:
        first = dt.date.fromisoformat(sort_key(derived.published)[:10])
        second = dt.date.fromisoformat(sort_key(source.published)[:10])
    except ValueError:
        return False
    return (second - first).days > days


def plausible(a: Profile, b: Profile) -> bool:
    """Cheap necessary conditions: either text could be a verbatim kind or a retelling of the other.

    Verbatim kinds need most of the shorter text's 3-grams in the longer one; retellings need most of
    the derived text's facts (numbers, names) in its source. Digests are always aligned.
    """
    if a.article.kind == "digest" or b.article.kind == "digest":
        return True
    shared = len(a.all_trigrams & b.all_trigrams)
    if shared >= 0.5 * max(1, min(len(a.all_trigrams), len(b.all_trigrams))):
        return True
    common = len(a.key_terms & b.key_terms)
    return any(len(p.key_terms) >= 4 and common >= 0.8 * len(p.key_terms) for p in (a, b))


def decide(a: Profile, b: Profile, *, a_arrived_first: bool) -> Decision | None:
    """The relation between two articles in whichever direction the evidence supports, or None."""
    if not plausible(a, b):
        return None
    ab, ba = align(a, b), align(b, a)
    forward, backward = classify(a, b, ab), classify(b, a, ba)
    if forward is None and backward is None:
        return None
    if forward is not None and backward is not None:
        # Both directions fit (duplicates, copies, close rewrites): the evidence of who came first decides.
        first = _earlier(a, b, a_arrived_first=a_arrived_first)
        if first[0] is a:
            return Decision(b, a, backward[0], backward[1], ba, first[1])
        return Decision(a, b, forward[0], forward[1], ab, first[1])
    if forward is not None:
        return Decision(a, b, forward[0], forward[1], ab, "evidence")
    assert backward is not None
    return Decision(b, a, backward[0], backward[1], ba, "evidence")


def _earlier(a: Profile, b: Profile, *, a_arrived_first: bool) -> tuple[Profile, str]:
    """Which of two versions of one text is the source, and on what grounds."""
    date_a, date_b = a.article.published, b.article.published
    if date_a and date_b and sort_key(date_a)[:10] != sort_key(date_b)[:10]:
        return (a, "date") if sort_key(date_a) < sort_key(date_b) else (b, "date")
    cues_a, cues_b = a.cues, b.cues
    if cues_a != cues_b:
        return (a, "wording") if cues_a < cues_b else (b, "wording")
    if date_a and date_b and sort_key(date_a) != sort_key(date_b):
        return (a, "date") if sort_key(date_a) < sort_key(date_b) else (b, "date")
    if abs(a.word_count - b.word_count) > 0.05 * max(a.word_count, b.word_count):
        return (a, "fuller") if a.word_count > b.word_count else (b, "fuller")
    return (a, "arrival") if a_arrived_first else (b, "arrival")
