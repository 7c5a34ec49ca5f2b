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

Features are kept by a 64-bit key (a hash of family and feature) in key-sorted NumPy arrays, so a
story's centroid is stored as raw arrays and compared with many candidates in a few vector
operations (:mod:`newsdesk.group.centroid`) instead of being parsed into dictionaries.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import chain, repeat

import numpy as np

from newsdesk.analyse import content_words
from newsdesk.analyse.entities import names, time_mentions
from newsdesk.analyse.tokens import fold_word, raw_words
from newsdesk.relate.align import Profile

FAMILIES = ("terms", "names", "numbers", "when", "lead")
WEIGHTS = {"terms": 5.5, "names": 7.2, "numbers": 3.9, "when": 4.7, "lead": 11.3}
_TOTAL = sum(WEIGHTS.values())
NORMALISED = {family: weight / _TOTAL for family, weight in WEIGHTS.items()}
FAMILY_WEIGHTS = np.array([NORMALISED[family] for family in FAMILIES])
LEAD_SENTENCES = 3
# IDF is computed as if the store held at least this many documents (see ``weighted``); from then on
# the floor changes nothing. The smallest value that joined as many Multi-News dev clusters as any.
MIN_DOCUMENTS = 100
# Keys computed so far, per family, up to this many each.
_KEYS: dict[str, dict[str, int]] = {family: {} for family in FAMILIES}
_KEYS_KEPT = 1 << 17
# Every written date and year has four digits in a row; sentences without them are not searched.
_FOUR_DIGITS = re.compile(r"\d{4}")


@dataclass(frozen=True)
class ArticleFeatures:
    """Raw feature counts per family (before weighting)."""

    counts: dict[str, Counter[str]]

    def pairs(self) -> list[tuple[str, str]]:
        """Every ``(family, feature)`` the article has."""
        return [(family, feature) for family in FAMILIES for feature in self.counts[family]]

    @functools.cached_property
    def keyed(self) -> tuple[list[int], list[int], list[int]]:
        """``(keys, family indexes, counts)`` of every ``(family, feature)``, in the order of :meth:`pairs`."""
        keys: list[int] = []
        families: list[int] = []
        counts: list[int] = []
        for index, family in enumerate(FAMILIES):
            counted = self.counts[family]
            known = _KEYS[family]
            keys.extend([known.get(feature) or feature_key(family, feature) for feature in counted])
            families.extend([index] * len(counted))
            counts.extend(counted.values())
        return keys, families, counts


def article_features(profile: Profile) -> ArticleFeatures:
    article = profile.article
    terms: Counter[str] = Counter(chain.from_iterable(profile.content))  # one count, not one per sentence
    title_stems: list[str] = []
    if article.title and not article.title_derived:  # a derived title repeats the lead
        title_stems = content_words([fold_word(w) for w in raw_words(article.title)])
        terms.update(title_stems)
    lead: Counter[str] = Counter(title_stems)
    lead.update(chain.from_iterable(profile.content[:LEAD_SENTENCES]))
    numbers: Counter[str] = Counter(
        token
        for sentence in profile.tokens
        for token in sentence
        if not token.isalpha() and any(c.isdigit() for c in token)  # isalpha: a quick no
    )
    when = time_mentions(s.text for s in profile.sentences if _FOUR_DIGITS.search(s.text))
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
    """A signed 64-bit key for one feature of one family (document frequencies are kept by key).

    Remembered per family: the same stems and names recur in article after article, and hashing
    them again was a good part of the cost of weighing an article.
    """
    known = _KEYS[family]
    key = known.get(feature)
    if key is None:
        if len(known) >= _KEYS_KEPT:
            known.clear()
        digest = hashlib.blake2b(f"{family}\x1f{feature}".encode(), digest_size=8).digest()
        known[feature] = key = int.from_bytes(digest, "big", signed=True)
    return key


@dataclass(frozen=True)
class ArticleVector:
    """An article's unit TF-IDF vector per family, all families in one array sorted by key."""

    keys: np.ndarray  # int64, ascending
    values: np.ndarray  # float64; each family's values have unit length
    families: np.ndarray  # uint8: the index in FAMILIES of each key

    def strongest(self, family: str, count: int, among: np.ndarray | None = None) -> list[int]:
        """The keys of ``family``'s ``count`` largest values (ties by key), only where ``among`` when given."""
        wanted = self.families == FAMILIES.index(family)
        mine = np.flatnonzero(wanted if among is None else wanted & among)
        order = np.lexsort((self.keys[mine], -self.values[mine]))[:count]
        return [int(key) for key in self.keys[mine][order]]


def weighted(features: ArticleFeatures, df: Mapping[int, int], documents: int) -> ArticleVector:
    """Unit TF-IDF vectors per family, with IDF = ln((N + 1) / (df + 1)) + 1 and sublinear TF.

    N is at least :data:`MIN_DOCUMENTS`: on a nearly empty store every feature is rare, and without
    the floor a feature two articles share (df 2 of N = 2: IDF 1.0) weighs less than one the
    newcomer alone has (IDF 1.4), so that what makes two reports one story counts against them.
    """
    keys, families, counts = features.keyed
    key_array = np.array(keys, dtype=np.int64)
    family_array = np.array(families, dtype=np.uint8)
    frequency = np.fromiter(map(df.get, keys, repeat(0, len(keys))), np.float64, len(keys))
    documents = max(documents, MIN_DOCUMENTS)
    values = (1 + np.log(np.array(counts, dtype=np.float64))) * (np.log((documents + 1) / (frequency + 1)) + 1)
    norms = np.sqrt(np.bincount(family_array, weights=values * values, minlength=len(FAMILIES)))
    values = values / norms[family_array] if len(values) else values
    order = np.argsort(key_array, kind="stable")
    return ArticleVector(key_array[order], values[order], family_array[order])
