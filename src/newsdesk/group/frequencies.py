"""Document frequencies of features, counted cheaply: a journal of recent articles, folded in now and then.

Counting an article's few hundred features straight into ``feature_counts`` touches as many of its
pages, at random, and writing those pages back at every commit was the largest cost of grouping an
article. Instead each article appends one row to the journal (its feature keys, packed), and about
one article in ``fold_every`` adds the journal to ``feature_counts`` in one pass. A feature's
frequency is always its folded count plus its count in the journal, so when folds happen changes
nothing: a Grouper started afresh on a store computes exactly what a running one does. Which
articles fold is decided by a hash of their id, not by their position, so no point in the stream
(such as a round number of articles) makes every next article pay for a fold.

The journal's counts are kept in memory, and counts read from ``feature_counts`` are cached. Both
belong to one :class:`DocumentFrequencies` and are checked against the store before every article
with one query (the journal's newest row): when a transaction was rolled back the rows it added
are taken back out, and when another process has written the journal is read again.
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Iterable
from operator import add

import numpy as np

from newsdesk.store import Store

FOLD_EVERY = 1000
_CACHE_LIMIT = 500_000  # cached folded counts (some 50 MB); past this the cache starts over


class DocumentFrequencies:
    """How many stored articles have each feature, for one Grouper."""

    def __init__(self, store: Store, fold_every: int = FOLD_EVERY) -> None:
        if fold_every < 1:
            raise ValueError(f"fold_every must be positive, got {fold_every}")
        self.store = store
        self.fold_every = fold_every
        self._rows: list[tuple[int, str, np.ndarray]] | None = None  # the journal, as the store holds it
        self._journal: Counter[int] = Counter()  # how many journal rows have each key
        self._folded: dict[int, int] = {}  # counts read from feature_counts since the last fold

    def count(self, article_id: str, keys: Iterable[int]) -> dict[int, int]:
        """Count an article in (in the caller's transaction); the frequency of each of its keys, itself included."""
        rows = self._synced()
        listed = sorted(set(keys))
        unique = np.array(listed, "<i8")
        seq = self.store.add_feature_journal(article_id, unique.tobytes())
        rows.append((seq, article_id, unique))
        journal = self._journal
        journal.update(listed)
        folded = self._folded_counts(listed)
        summed = map(add, map(folded.__getitem__, listed), map(journal.__getitem__, listed))
        frequencies = dict(zip(listed, summed, strict=True))
        if self._folds(article_id, len(rows)):
            self._fold(rows)
        return frequencies

    def _folds(self, article_id: str, rows: int) -> bool:
        """Whether this article folds the journal: one in ``fold_every`` by its id, or when the journal is long."""
        if rows < 2:
            return False
        return rows > 2 * self.fold_every or zlib.crc32(article_id.encode("utf-8")) % self.fold_every == 0

    def _synced(self) -> list[tuple[int, str, np.ndarray]]:
        """The journal in memory, made to match the store's."""
        head = self.store.feature_journal_head()
        rows = self._rows
        if rows is not None:
            if (rows[-1][:2] if rows else None) == head:
                return rows
            for depth in range(len(rows) - 2, -1, -1):  # our newest rows were rolled back
                if rows[depth][:2] == head:
                    for _, _, keys in rows[depth + 1 :]:
                        self._forget(keys)
                    del rows[depth + 1 :]
                    return rows
        return self._reload()

    def _reload(self) -> list[tuple[int, str, np.ndarray]]:
        rows = [(seq, article, np.frombuffer(data, "<i8")) for seq, article, data in self.store.feature_journal()]
        self._journal = Counter()
        if rows:
            keys, counts = np.unique(np.concatenate([keys for _, _, keys in rows]), return_counts=True)
            self._journal = Counter(dict(zip(keys.tolist(), counts.tolist(), strict=True)))
        self._folded = {}
        self._rows = rows
        return rows

    def _forget(self, keys: np.ndarray) -> None:
        journal = self._journal
        journal.subtract(keys.tolist())
        for key in keys.tolist():
            if not journal[key]:
                del journal[key]

    def _folded_counts(self, keys: list[int]) -> dict[int, int]:
        cache = self._folded
        missing = [key for key in keys if key not in cache]
        if missing:
            if len(cache) + len(missing) > _CACHE_LIMIT:
                cache.clear()
                missing = keys
            found = self.store.feature_counts(missing)
            for key in missing:
                cache[key] = found.get(key, 0)
        return cache

    def _fold(self, rows: list[tuple[int, str, np.ndarray]]) -> None:
        """Add all but the newest journal row to ``feature_counts``; the newest stays as the journal's head."""
        folding = rows[:-1]
        keys, counts = np.unique(np.concatenate([keys for _, _, keys in folding]), return_counts=True)
        pairs = list(zip(keys.tolist(), counts.tolist(), strict=True))
        self.store.fold_feature_journal(pairs, [seq for seq, _, _ in folding])
        cache = self._folded
        journal = self._journal
        for key, count in pairs:
            if key in cache:
                cache[key] += count
            left = journal[key] - count
            if left:
                journal[key] = left
            else:
                del journal[key]
        del rows[:-1]
