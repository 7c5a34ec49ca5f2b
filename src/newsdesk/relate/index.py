"""MinHash signatures and LSH band keys, for finding candidate relatives without comparing all pairs.

Three indexes share one table of band keys:

- the whole text: MinHash over word 3-shingles (128 permutations, 32 bands of 4 rows: pairs above a
  Jaccard similarity of about 0.4 collide), which finds duplicates and copies;
- each sentence: MinHash over its content-word stems (24 permutations, 8 bands of 3 rows), which finds
  the sentences that summaries, excerpts and rewrites took from a longer text;
- the facts: MinHash over the text's numbers and names (32 permutations, 16 bands of 2 rows, about
  0.25), which finds abstractive retellings, such as digests, that keep the facts but not the words.

Hashing is seeded and uses only stable functions (CRC-32, BLAKE2b, fixed multipliers), so the keys
are the same on every machine and in every process, and can be stored.
"""

from __future__ import annotations

import hashlib
import json
import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

DOC_PERMUTATIONS, DOC_BANDS = 128, 32
SENTENCE_PERMUTATIONS, SENTENCE_BANDS = 12, 4
FACT_PERMUTATIONS, FACT_BANDS = 32, 16
# Texts with fewer distinct names and numbers than this are not indexed by their facts.
MIN_FACTS = 8
SEED = 20_261_123
# Sentences with fewer distinct content words than this say too little to index.
MIN_SENTENCE_WORDS = 5
# The version of everything above: stored with the index, so a change is noticed.
INDEX_VERSION = "minhash-2"
DOCUMENT = -1
FACTS = -2


class MinHasher:
    """MinHash with multiply-shift hashing over 32-bit element hashes, vectorised with NumPy."""

    def __init__(self, permutations: int, seed: int) -> None:
        if permutations <= 0:
            raise ValueError(f"permutations must be positive, got {permutations}")
        rng = np.random.default_rng(seed)
        self.a = rng.integers(1, 2**63, size=permutations, dtype=np.uint64) | np.uint64(1)
        self.b = rng.integers(0, 2**63, size=permutations, dtype=np.uint64)

    def signature(self, hashes: Iterable[int]) -> np.ndarray:
        values = np.fromiter(hashes, dtype=np.uint64)
        if values.size == 0:
            return np.full(self.a.shape, np.iinfo(np.uint32).max, dtype=np.uint32)
        mixed = (self.a[:, None] * values[None, :] + self.b[:, None]) >> np.uint64(32)
        result: np.ndarray = mixed.min(axis=1).astype(np.uint32)
        return result


_DOC_HASHER = MinHasher(DOC_PERMUTATIONS, SEED)
_SENTENCE_HASHER = MinHasher(SENTENCE_PERMUTATIONS, SEED + 1)
_FACT_HASHER = MinHasher(FACT_PERMUTATIONS, SEED + 2)


def band_keys(signature: np.ndarray, bands: int, namespace: bytes) -> list[int]:
    """One signed 64-bit key per band (fits SQLite and PostgreSQL integers)."""
    rows = len(signature) // bands
    keys = []
    for band in range(bands):
        chunk = signature[band * rows : (band + 1) * rows].tobytes()
        digest = hashlib.blake2b(chunk, digest_size=8, person=namespace + band.to_bytes(2, "big")).digest()
        keys.append(int.from_bytes(digest, "big", signed=True))
    return keys


def shingles(tokens: list[str], size: int = 3) -> set[int]:
    if len(tokens) < size:
        return {zlib.crc32(" ".join(tokens).encode())} if tokens else set()
    return {zlib.crc32(" ".join(tokens[i : i + size]).encode()) for i in range(len(tokens) - size + 1)}


def document_signature(shingle_set: set[int]) -> np.ndarray:
    """The whole text's MinHash signature, from :func:`shingles` of its words."""
    return _DOC_HASHER.signature(shingle_set)


def document_keys(signature: np.ndarray) -> list[int]:
    return band_keys(signature, DOC_BANDS, b"doc")


@dataclass(frozen=True)
class Sketch:
    """What a pair of articles needs to rule a relation out without aligning them: stored per article."""

    signature: np.ndarray
    shingle_count: int
    key_terms: frozenset[str]
    digest: bool

    def to_bytes(self) -> bytes:
        terms = json.dumps(sorted(self.key_terms), ensure_ascii=False).encode("utf-8")
        return struct.pack(">IB", self.shingle_count, self.digest) + self.signature.astype(">u4").tobytes() + terms

    @classmethod
    def from_bytes(cls, data: bytes) -> Sketch:
        count, digest = struct.unpack(">IB", data[:5])
        end = 5 + 4 * DOC_PERMUTATIONS
        signature = np.frombuffer(data[5:end], dtype=">u4").astype(np.uint32)
        return cls(signature, count, frozenset(json.loads(data[end:].decode("utf-8"))), bool(digest))


def could_relate(a: Sketch, b: Sketch) -> bool:
    """Necessary conditions for any relation, from sketches alone (no alignment).

    Verbatim kinds need most of the shorter text's word 3-shingles in the longer one (estimated from the
    MinHash signatures); retellings need most of one text's names and numbers in the other. Digests
    are always worth aligning.
    """
    if a.digest or b.digest:
        return True
    jaccard = float(np.mean(a.signature == b.signature))
    shared = jaccard / (1 + jaccard) * (a.shingle_count + b.shingle_count)
    if shared >= 0.35 * max(1, min(a.shingle_count, b.shingle_count)):
        return True
    common = len(a.key_terms & b.key_terms)
    return any(len(s.key_terms) >= 4 and common >= 0.8 * len(s.key_terms) for s in (a, b))


def fact_keys(key_terms: frozenset[str]) -> list[int]:
    """Band keys of a text's names and numbers (none when it has too few to say anything)."""
    if len(key_terms) < MIN_FACTS:
        return []
    signature = _FACT_HASHER.signature(zlib.crc32(term.encode()) for term in key_terms)
    return band_keys(signature, FACT_BANDS, b"fct")


def sentence_keys(sentence_stems: Iterable[frozenset[str]]) -> list[list[int]]:
    """Band keys of each sentence, from its content-word stems (none for sentences too short to index)."""
    out: list[list[int]] = []
    for stems in sentence_stems:
        if len(stems) < MIN_SENTENCE_WORDS:
            out.append([])
            continue
        signature = _SENTENCE_HASHER.signature(zlib.crc32(s.encode()) for s in stems)
        out.append(band_keys(signature, SENTENCE_BANDS, b"sen"))
    return out
