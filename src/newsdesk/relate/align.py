"""Sentence alignment: which sentences of one text come from which sentences of another.

For every sentence of the derived candidate the best source sentence is found through the content
words they share (a source sentence and its follower count together, because summaries merge
sentences). A pair is *paraphrased* when most of the derived sentence's content words are in the
source sentence, and *verbatim* when most of its word 3-grams are. The features measure how much
of each text is covered, how much is kept word for word, whether the order is kept, and how
compressed the derived text is; :mod:`newsdesk.relate.classify` decides from them.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass, field

from newsdesk.analyse import Sentence, content_words, split_sentences
from newsdesk.analyse.tokens import STOPWORDS, fold_word, raw_words
from newsdesk.records import AlignedPair, Article
from newsdesk.relate.cues import derivation_cues, has_conclusion

# A derived sentence is paraphrased from a source sentence when this share of its content words is there.
PARAPHRASE = 0.5
# ... and verbatim when this share of its word 3-grams is there.
VERBATIM = 0.6
# A weaker bar: the sentence is traceable to the source, as an abstractive summary's sentences are.
TRACEABLE = 0.3
# Fewer shared content words than this is never a match, however short the sentence.
MIN_SHARED = 3
_DIGIT = re.compile(r"\d")
_QUOTE_MARKS = re.compile('["“”«»]')


@dataclass(frozen=True)
class Profile:
    """What alignment needs of one article, computed once."""

    article: Article
    sentences: tuple[Sentence, ...]
    raw_tokens: tuple[tuple[str, ...], ...]
    tokens: tuple[tuple[str, ...], ...]
    content: tuple[frozenset[str], ...]
    trigrams: tuple[frozenset[tuple[str, ...]], ...]
    word_count: int
    key_terms: frozenset[str]
    all_trigrams: frozenset[tuple[str, ...]]
    cues: int
    conclusion: bool
    index: dict[str, tuple[int, ...]] = field(repr=False)


def profile(article: Article) -> Profile:
    sentences = tuple(split_sentences(article.body))
    raw = tuple(tuple(raw_words(s.text)) for s in sentences)
    tokens = tuple(tuple(fold_word(w) for w in r) for r in raw)
    content = tuple(frozenset(content_words(list(t))) for t in tokens)
    trigrams = tuple(frozenset(zip(t, t[1:], t[2:], strict=False)) for t in tokens)
    index: dict[str, list[int]] = defaultdict(list)
    for position, stems in enumerate(content):
        for stem in stems:
            index[stem].append(position)
    return Profile(
        article=article,
        sentences=sentences,
        raw_tokens=raw,
        tokens=tokens,
        content=content,
        trigrams=trigrams,
        word_count=sum(len(t) for t in tokens),
        key_terms=frozenset(_key_terms(raw, tokens)),
        all_trigrams=frozenset().union(*trigrams),
        cues=derivation_cues(article),
        conclusion=has_conclusion(article),
        index={k: tuple(v) for k, v in index.items()},
    )


def _key_terms(raw: tuple[tuple[str, ...], ...], tokens: tuple[tuple[str, ...], ...]) -> set[str]:
    """Numbers and names (capitalised inside a sentence): the facts a text reports."""
    terms: set[str] = set()
    for written, folded in zip(raw, tokens, strict=True):
        for position, word in enumerate(written):
            if (position and word[0].isupper()) or (not word.isalpha() and _DIGIT.search(word)):
                token = folded[position]
                if token not in STOPWORDS:
                    terms.add(token)
    return terms


@dataclass(frozen=True)
class Match:
    derived: int
    source: int
    forward: float  # share of the derived sentence's content words found in the source sentence(s)
    back: float  # share of the source sentence's content words kept in the derived sentence
    verbatim: float  # share of the derived sentence's 3-grams found in the source sentence(s)
    merged: bool  # the derived sentence draws on two consecutive source sentences


@dataclass(frozen=True)
class Alignment:
    matches: tuple[Match, ...]
    features: dict[str, float]

    def evidence(self, derived: Profile, source: Profile) -> tuple[AlignedPair, ...]:
        return tuple(
            AlignedPair(
                derived_start=derived.sentences[m.derived].start,
                derived_end=derived.sentences[m.derived].end,
                source_start=source.sentences[m.source].start,
                source_end=source.sentences[m.source + (1 if m.merged else 0)].end,
                similarity=m.forward,
                verbatim=m.verbatim,
            )
            for m in self.matches
        )


def align(derived: Profile, source: Profile) -> Alignment:
    """How ``derived`` could come from ``source``: matched sentences and summary features."""
    best = [_best_match(derived, source, i) for i in range(len(derived.sentences))]
    matches = [m for m in best if m is not None and m.forward >= PARAPHRASE]
    traceable = [m for m in best if m is not None and m.forward >= TRACEABLE]
    features = _features(derived, source, matches)
    features["traceable"] = sum(len(derived.tokens[m.derived]) for m in traceable) / max(1, derived.word_count)
    traced = sorted({m.source for m in traceable})
    features["spread"] = (traced[-1] - traced[0] + 1) / len(source.sentences) if traced else 0.0
    features["traceable_order"] = (
        _longest_increasing([m.source for m in traceable]) / len(traceable) if traceable else 0.0
    )
    features["identical"] = sum(
        len(derived.tokens[m.derived]) for m in matches if derived.tokens[m.derived] == source.tokens[m.source]
    ) / max(1, derived.word_count)
    quoted = [m for m in matches if _QUOTE_MARKS.search(source.sentences[m.source].text)]
    features["quotes_dropped"] = (
        sum(1 for m in quoted if not _QUOTE_MARKS.search(derived.sentences[m.derived].text)) / len(quoted)
        if quoted
        else 0.0
    )
    features["key_terms"] = float(len(derived.key_terms))
    features["key_containment"] = (
        len(derived.key_terms & source.key_terms) / len(derived.key_terms) if derived.key_terms else 0.0
    )
    return Alignment(matches=tuple(matches), features=features)


def _best_match(derived: Profile, source: Profile, i: int) -> Match | None:
    """The source sentence (or pair) holding most of derived sentence ``i``'s content words."""
    stems = derived.content[i]
    if len(stems) < MIN_SHARED:
        return None
    shared: dict[int, int] = defaultdict(int)
    for stem in stems:
        for j in source.index.get(stem, ()):
            shared[j] += 1
    best: Match | None = None
    for j, count in sorted(shared.items(), key=lambda item: (-item[1], item[0]))[:4]:
        if count < MIN_SHARED:
            break
        candidate = _pair(derived, source, i, j, count)
        if j + 1 < len(source.sentences):
            merged = _pair(derived, source, i, j, count, with_next=True)
            if merged.forward >= candidate.forward + 0.2:
                candidate = merged
        if best is None or (candidate.forward, candidate.verbatim) > (best.forward, best.verbatim):
            best = candidate
    return best


def _pair(derived: Profile, source: Profile, i: int, j: int, count: int, *, with_next: bool = False) -> Match:
    stems = derived.content[i]
    if with_next:
        target = source.content[j] | source.content[j + 1]
        grams = source.trigrams[j] | source.trigrams[j + 1]
        count = len(stems & target)
    else:
        target, grams = source.content[j], source.trigrams[j]
    own_grams = derived.trigrams[i]
    return Match(
        derived=i,
        source=j,
        forward=count / len(stems),
        back=count / max(1, len(target)),
        verbatim=len(own_grams & grams) / len(own_grams) if own_grams else 0.0,
        merged=with_next,
    )


def _features(derived: Profile, source: Profile, matches: list[Match]) -> dict[str, float]:
    d_words = max(1, derived.word_count)
    s_words = max(1, source.word_count)
    matched_sources = {m.source for m in matches} | {m.source + 1 for m in matches if m.merged}
    verbatim_sources = {m.source for m in matches if m.verbatim >= VERBATIM}
    order = _longest_increasing([m.source for m in matches])
    span = (max(matched_sources) - min(matched_sources) + 1) if matched_sources else 1
    return {
        "ratio": derived.word_count / s_words,
        "derived_sentences": float(len(derived.sentences)),
        "matched": float(len(matches)),
        "coverage": sum(len(derived.tokens[m.derived]) for m in matches) / d_words,
        "verbatim": sum(len(derived.tokens[m.derived]) for m in matches if m.verbatim >= VERBATIM) / d_words,
        "source_coverage": sum(len(source.tokens[j]) for j in matched_sources) / s_words,
        "source_verbatim": sum(len(source.tokens[j]) for j in verbatim_sources) / s_words,
        "order": order / len(matches) if matches else 0.0,
        "contiguity": len(matched_sources) / span if matched_sources else 0.0,
        "verbatim_matches": float(len(verbatim_sources)),
        "verbatim_contiguity": (
            len(verbatim_sources) / (max(verbatim_sources) - min(verbatim_sources) + 1) if verbatim_sources else 0.0
        ),
        "back": sum(m.back for m in matches) / len(matches) if matches else 0.0,
        "merged": sum(1 for m in matches if m.merged) / len(matches) if matches else 0.0,
        "exact": float(derived.tokens == source.tokens),
    }


def _longest_increasing(values: list[int]) -> int:
    """Length of the longest non-decreasing subsequence (how much of the order is kept)."""
    tails: list[int] = []
    for value in values:
        position = bisect.bisect_right(tails, value)
        if position == len(tails):
            tails.append(value)
        else:
            tails[position] = value
    return len(tails)
