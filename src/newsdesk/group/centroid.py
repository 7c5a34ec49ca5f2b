"""A story's centroid, stored as raw arrays, and its similarity to an article, for many stories at once.

A centroid is the sum of its articles' unit vectors per family, truncated to the strongest
features of each family. It is kept as three key-sorted arrays (keys, values, families) and
stored as their bytes: loading one is a zero-copy view, where parsing the earlier JSON form was
the largest single cost of assigning an article. Stores written before keep working: a JSON
state is read as it is and written back in the binary form when its story next changes.

Scoring a batch of candidates (:class:`Scorer`) concatenates their arrays and finds the article's
keys among them in a few vector operations; the per-family dot products come from ``bincount``.
Each candidate's score depends only on its own arrays, so a story scores the same whichever
other stories are scored beside it: assignments do not depend on the batch.
"""

from __future__ import annotations

import base64
import json
import struct
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from newsdesk.group.features import FAMILIES, FAMILY_WEIGHTS, ArticleVector, feature_key

_MAGIC = b"NDC1"
_HEADER = struct.Struct(f"<4sII{len(FAMILIES)}d")  # magic, number of features, embedding dimensions, norms
_EMBEDDING = "_embedding"  # the key of the embedding in the JSON form of earlier versions
_FAMILY_COUNT = len(FAMILIES)
_BITMAP_SIZE = 1 << 16


@dataclass(frozen=True)
class Centroid:
    """The sum of a story's article vectors (truncated per family) and, optionally, of their embeddings."""

    keys: np.ndarray  # int64, ascending
    values: np.ndarray  # float64
    families: np.ndarray  # uint8
    norms: np.ndarray  # float64, the norm of each family's part
    embedding: np.ndarray | None = None  # float32

    @classmethod
    def empty(cls) -> Centroid:
        return cls(
            np.zeros(0, np.int64), np.zeros(0, np.float64), np.zeros(0, np.uint8), np.zeros(_FAMILY_COUNT, np.float64)
        )

    @classmethod
    def of(
        cls, keys: np.ndarray, values: np.ndarray, families: np.ndarray, embedding: np.ndarray | None = None
    ) -> Centroid:
        norms = np.sqrt(np.bincount(families, weights=values * values, minlength=_FAMILY_COUNT))
        return cls(keys, values, families, norms, embedding)

    def plus(self, other: ArticleVector | Centroid, size: int, embedding: np.ndarray | None = None) -> Centroid:
        """This centroid with ``other`` added, each family cut to its ``size`` largest values (ties by key)."""
        keys = np.concatenate((self.keys, other.keys))
        unique, inverse = np.unique(keys, return_inverse=True)
        values = np.bincount(inverse, weights=np.concatenate((self.values, other.values)), minlength=len(unique))
        families = np.zeros(len(unique), np.uint8)
        families[inverse] = np.concatenate((self.families, other.families))
        order = np.lexsort((unique, -values, families))
        ranked = families[order]
        rank = np.arange(len(order)) - np.searchsorted(ranked, ranked, side="left")
        kept = np.sort(order[rank < size])
        summed = self.embedding
        if embedding is not None:
            summed = embedding.astype(np.float32) if summed is None else summed + embedding
        return Centroid.of(unique[kept], values[kept], families[kept], summed)

    def embedding_similarity(self, vector: np.ndarray) -> float:
        if self.embedding is None:
            return 0.0
        norm = float(np.linalg.norm(self.embedding))
        return float(self.embedding @ vector) / norm if norm else 0.0

    def to_bytes(self) -> bytes:
        dimensions = 0 if self.embedding is None else len(self.embedding)
        parts = [
            _HEADER.pack(_MAGIC, len(self.keys), dimensions, *self.norms.tolist()),
            self.keys.astype("<i8").tobytes(),
            self.values.astype("<f8").tobytes(),
            self.families.astype(np.uint8).tobytes(),
        ]
        if self.embedding is not None:
            parts.append(self.embedding.astype("<f4").tobytes())
        return b"".join(parts)

    @classmethod
    def from_bytes(cls, data: bytes) -> Centroid:
        if data[:1] == b"{":
            return _from_json(data)
        magic, count, dimensions, *norms = _HEADER.unpack_from(data)
        if magic != _MAGIC:
            raise ValueError(
                f"not a story centroid (starts with {data[:4]!r}); regroup with `newsdesk group --rebuild`"
            )
        offset = _HEADER.size
        keys = np.frombuffer(data, "<i8", count, offset)  # little-endian, as written: native on most machines
        offset += 8 * count
        values = np.frombuffer(data, "<f8", count, offset)
        offset += 8 * count
        families = np.frombuffer(data, np.uint8, count, offset)
        offset += count
        embedding = np.frombuffer(data, "<f4", dimensions, offset) if dimensions else None
        return cls(keys, values, families, np.array(norms), embedding)


def _from_json(data: bytes) -> Centroid:
    """A centroid in the JSON form of earlier versions: ``{family: {feature: value}}``."""
    loaded = json.loads(data.decode("utf-8"))
    encoded = loaded.pop(_EMBEDDING, None)
    entries = sorted(
        (feature_key(family, feature), float(value), FAMILIES.index(family))
        for family, vector in loaded.items()
        if family in FAMILIES
        for feature, value in vector.items()
    )
    keys = np.array([e[0] for e in entries], np.int64)
    values = np.array([e[1] for e in entries], np.float64)
    families = np.array([e[2] for e in entries], np.uint8)
    embedding = None
    if encoded is not None:
        embedding = np.frombuffer(base64.b64decode(encoded), dtype="<f4").astype(np.float32)
    return Centroid.of(keys, values, families, embedding)


class CentroidCache:
    """Centroids read or written lately, each under the tag of the state it came from (least recently used go).

    A story is used again and again while it is news; its state is read from the store only when the
    store's tag for it differs from the cached one. Tags are hashes of the stored bytes, so whatever
    wrote the store (this Grouper, another process, a rolled-back transaction) a matching tag means
    the very state the store holds.
    """

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._entries: OrderedDict[str, tuple[int, Centroid]] = OrderedDict()

    def get(self, story_id: str, tag: int) -> Centroid | None:
        entry = self._entries.get(story_id)
        if entry is None or entry[0] != tag:
            return None
        self._entries.move_to_end(story_id)
        return entry[1]

    def put(self, story_id: str, tag: int, centroid: Centroid) -> None:
        self._entries[story_id] = (tag, centroid)
        self._entries.move_to_end(story_id)
        if len(self._entries) > self.size:
            self._entries.popitem(last=False)


class Scorer:
    """Scores an article against many centroids at once, in buffers it keeps from one article to the next.

    The candidates' keys come to tens of thousands; fresh arrays that size are handed back to the
    operating system when freed and faulted in again on the next article, which cost more than the
    arithmetic. Most centroid keys are not the article's: a bitmap of the low bits of the article's
    keys rules out nearly all of them at once, and only the few that pass are looked up by binary search.
    """

    def __init__(self) -> None:
        self._keys = np.zeros(0, np.int64)
        self._values = np.zeros(0, np.float64)
        self._low = np.zeros(0, np.int64)
        self._flags = np.zeros(0, np.bool_)
        self._bitmap = np.zeros(_BITMAP_SIZE, np.bool_)

    def lexical(
        self, article: ArticleVector, centroids: Sequence[Centroid], weights: np.ndarray = FAMILY_WEIGHTS
    ) -> np.ndarray:
        """The weighted sum over families (``weights``, in ``FAMILIES`` order) of the cosine between ``article``
        and each centroid."""
        if not centroids or not len(article.keys):
            return np.zeros(len(centroids))
        lengths = [len(c.keys) for c in centroids]
        total = sum(lengths)
        if len(self._keys) < total:
            size = max(total, 2 * len(self._keys))
            self._keys, self._low = np.zeros(size, np.int64), np.zeros(size, np.int64)
            self._values, self._flags = np.zeros(size, np.float64), np.zeros(size, np.bool_)
        keys, low, flags = self._keys[:total], self._low[:total], self._flags[:total]
        np.concatenate([c.keys for c in centroids], out=keys)
        np.bitwise_and(keys, _BITMAP_SIZE - 1, out=low)
        probe = article.keys & (_BITMAP_SIZE - 1)
        self._bitmap[probe] = True
        np.take(self._bitmap, low, out=flags)
        self._bitmap[probe] = False
        maybe = np.flatnonzero(flags)
        position = np.minimum(np.searchsorted(article.keys, keys[maybe]), len(article.keys) - 1)
        hit = article.keys[position] == keys[maybe]
        found, matched = maybe[hit], position[hit]
        values = self._values[:total]
        np.concatenate([c.values for c in centroids], out=values)
        owner = np.searchsorted(np.cumsum(lengths), found, side="right")
        bins = owner * _FAMILY_COUNT + article.families[matched]
        count = len(centroids) * _FAMILY_COUNT
        summed = np.bincount(bins, weights=article.values[matched] * values[found], minlength=count)
        dots = summed.astype(np.float64, copy=False).reshape(len(centroids), _FAMILY_COUNT)  # int64 when empty
        norms = np.stack([c.norms for c in centroids])
        cosines = np.divide(dots, norms, out=np.zeros_like(dots), where=norms > 0)
        scores = np.zeros(len(centroids))
        for family, weight in enumerate(weights):  # column by column: no row's sum depends on the batch
            scores += weight * cosines[:, family]
        return scores
