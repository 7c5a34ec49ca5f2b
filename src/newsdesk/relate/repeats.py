"""Furniture learned from the store: sentences repeated across unrelated articles and stories.

Outlets wrap their reports in lines no list can hold ahead of time: "Send your video, images to CNN
iReport", "Views expressed in the comments do not represent those of Reuters", a standing background
paragraph ("The UN says about 9,000 people have died since ..."), a numbered plan pasted into every
report of a month. What they share is repetition: the same sentence in articles that are not copies of
each other (different families) and are not about one event (different stories). A story's own news,
said word for word by several outlets, stays inside that story.

Each stored article's sentences are keyed (folded words, digits as 0, punctuation and spacing ignored)
as it is related; at writing time a sentence whose key occurs in at least ``REPEATED_IN`` families,
of at least ``ACROSS_STORIES`` stories or published over at least ``SPAN_DAYS`` days, is furniture: it
is never a title, summary, key point or timeline entry. The span catches what one story's grouping
cannot: a market-data footer or a standing background sentence that reaches one long story from
unrelated articles weeks apart, where a story's news said alike is said within days. The bodies stay
as stored, so citations still point into them. Counting is incremental and learned from the stream:
the tenth "Follow us on ..." is furniture without anyone listing it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from newsdesk.analyse.tokens import fold_word, raw_words

if TYPE_CHECKING:
    from newsdesk.store import Store

__all__ = [
    "ACROSS_STORIES",
    "KEY_CAP",
    "MIN_WORDS",
    "REPEATED_IN",
    "SPAN_DAYS",
    "Repeated",
    "learned_furniture",
    "repeat_key",
    "repeat_key_of",
    "repeat_keys",
]

REPEATED_IN = 3  # families a sentence must occur in to be furniture
ACROSS_STORIES = 2  # ... spread over at least this many stories (one story's news said alike is news)
SPAN_DAYS = 7.0  # ... or over at least this many days (news said alike is said within days; furniture stays)
MIN_WORDS = 3  # shorter sentences ("He said.") are language, not furniture
KEY_CAP = 64  # articles kept per key: enough to count the families, bounded however common the line
# Which of some sentence keys are furniture: ``Store.repeated_keys`` with the bounds above, or a stand-in.
Repeated = Callable[[Iterable[int]], set[int]]
_DIGITS = str.maketrans("0123456789", "0000000000")
_PERSON = b"nd-repeat-1"


def repeat_key_of(tokens: Sequence[str]) -> int | None:
    """The key of a sentence given its folded word tokens; None for a sentence too short to count."""
    if len(tokens) < MIN_WORDS:
        return None
    joined = " ".join(tokens).translate(_DIGITS).encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.blake2b(joined, digest_size=8, person=_PERSON).digest(), "big", signed=True)


def repeat_key(sentence: str) -> int | None:
    """The key of one sentence as written (see :func:`repeat_key_of`)."""
    return repeat_key_of([fold_word(w) for w in raw_words(sentence)])


def repeat_keys(sentences: Iterable[Sequence[str]]) -> list[int]:
    """The distinct keys of an article's sentences (each given as its folded word tokens)."""
    keys = (repeat_key_of(tokens) for tokens in sentences)
    return list(dict.fromkeys(k for k in keys if k is not None))


def learned_furniture(store: Store) -> Repeated:
    """Which sentence keys ``store`` has learned are furniture, with this module's bounds."""

    def repeated(keys: Iterable[int]) -> set[int]:
        return store.repeated_keys(keys, families=REPEATED_IN, stories=ACROSS_STORIES, span_days=SPAN_DAYS)

    return repeated
