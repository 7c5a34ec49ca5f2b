"""What an article is about, as five families of features, and how similar it is to a story.

The families, and the weights with which their TF-IDF cosines add up, were fitted on ECB+ (a
logistic regression on pairs of documents about the same or different events; see
``bench/group.py``), then the join threshold was tuned by clustering in random orders:

- ``terms``: content-word stems of the whole text (sublinear TF × IDF);
- ``names``: names mentioned (capitalised runs, present or not × IDF), which tell one earthquake
  or one trial from another of the same kind;
- ``numbers``: tokens with digits that are not years (counts, scores, magnitudes);
- ``when``: dates, months and years written out in the text;
- ``lead``: content-word stems of the title and the first three sentences, where a report states
  what happened. It carries the most weight.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from newsdesk.analyse import content_words
from newsdesk.analyse.entities import names, time_mentions
from newsdesk.analyse.tokens import fold_word, raw_words
from newsdesk.relate.align import Profile

FAMILIES = ("terms", "names", "numbers", "when", "lead")
WEIGHTS = {"terms": 5.5, "names": 7.2, "numbers": 3.9, "when": 4.7, "lead": 11.3}
_TOTAL = sum(WEIGHTS.values())
NORMALISED = {family: weight / _TOTAL for family, weight in WEIGHTS.items()}
LEAD_SENTENCES = 3

Vector = dict[str, float]


@dataclass(frozen=True)
class ArticleFeatures:
    """Raw feature counts per family (before weighting)."""

    counts: dict[str, Counter[str]]

    def pairs(self) -> list[tuple[str, str]]:
        """Every ``(family, feature)`` the article has."""
        return [(family, feature) for family in FAMILIES for feature in self.counts[family]]


def article_features(profile: Profile) -> ArticleFeatures:
    article = profile.article
    terms: Counter[str] = Counter()
    for stems in profile.content:
        terms.update(stems)
    title_stems: list[str] = []
    if article.title:
        title_stems = content_words([fold_word(w) for w in raw_words(article.title)])
        terms.update(title_stems)
    lead: Counter[str] = Counter(title_stems)
    for stems in profile.content[:LEAD_SENTENCES]:
        lead.update(stems)
    numbers: Counter[str] = Counter(
        token for sentence in profile.tokens for token in sentence if any(c.isdigit() for c in token)
    )
    when = time_mentions(s.text for s in profile.sentences)
    for mention in when:
        numbers.pop(mention[1:], None)  # a year is a date, not a count
    named = names(profile.raw_tokens, profile.tokens)
    return ArticleFeatures(
        counts={
            "terms": terms,
            "names": Counter(dict.fromkeys(named, 1)),
            "numbers": numbers,
            "when": Counter(dict.fromkeys(when, 1)),
            "lead": lead,
        }
    )


def feature_key(family: str, feature: str) -> int:
    """A signed 64-bit key for one feature of one family (document frequencies are kept by key)."""
    digest = hashlib.blake2b(f"{family}\x1f{feature}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def weighted(features: ArticleFeatures, df: Mapping[int, int], documents: int) -> dict[str, Vector]:
    """Unit TF-IDF vectors per family, with IDF = ln((N + 1) / (df + 1)) + 1."""
    vectors: dict[str, Vector] = {}
    for family in FAMILIES:
        vector = {
            feature: (1 + math.log(count))
            * (math.log((documents + 1) / (df.get(feature_key(family, feature), 0) + 1)) + 1)
            for feature, count in features.counts[family].items()
        }
        norm = math.sqrt(sum(v * v for v in vector.values()))
        vectors[family] = {f: v / norm for f, v in vector.items()} if norm else {}
    return vectors


def similarity(article: Mapping[str, Vector], centroid: Mapping[str, Vector], norms: Mapping[str, float]) -> float:
    """Weighted sum of the cosines between an article's unit vectors and a story's centroid."""
    score = 0.0
    for family in FAMILIES:
        norm = norms.get(family, 0.0)
        if not norm:
            continue
        sums = centroid.get(family, {})
        dot = sum(value * sums.get(feature, 0.0) for feature, value in article[family].items())
        score += NORMALISED[family] * dot / norm
    return score
