"""Names and time words mentioned in a text, found cheaply from capitalisation and explicit dates.

A *name* is a run of capitalised words ("Tara Reid", "Promises Treatment Center", "Bank of
England"), with the first word of a sentence left out unless a capitalised word follows it. Each
multi-word name also counts its last word ("Reid"), which is how later mentions refer to people.
Weekday names count too: reports of one event name the same day. *When* features are the explicit
dates, months and years a text writes out. This is not a full named-entity recogniser; it is fast,
and for telling one story from another it is what matters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from newsdesk.analyse.tokens import STOPWORDS
from newsdesk.extract.dates import find_date

_CONNECTORS = frozenset("of de la del della van von der al bin ibn the and &".split())
_YEAR = re.compile(r"\b(19[0-9]{2}|20[0-9]{2})\b")


def names(raw_sentences: Iterable[tuple[str, ...]], folded_sentences: Iterable[tuple[str, ...]]) -> set[str]:
    """Lower-cased names (and the last word of multi-word names) in tokenised sentences."""
    found: set[str] = set()
    for raw, folded in zip(raw_sentences, folded_sentences, strict=True):
        # capital[i]: whether word i starts with a capital; one False past the end stands for "no next word"
        capital = [word[0].isupper() for word in raw]
        capital.append(False)
        run: list[str] = []
        for position in range(len(raw)):
            token = folded[position]
            if capital[position] and (position > 0 or (token not in STOPWORDS and capital[1])):
                run.append(token)
                continue
            if run:
                if token in _CONNECTORS and capital[position + 1]:
                    run.append(token)
                    continue
                _close(run, found)
                run = []
        if run:
            _close(run, found)
    return found


def _close(run: list[str], found: set[str]) -> None:
    words = [w[:-2] if w.endswith("'s") else w for w in run]
    while words and words[-1] in _CONNECTORS:
        words.pop()
    if not words:
        return
    found.add(" ".join(words))
    if len(words) > 1:
        found.add(words[-1])


def time_mentions(sentences: Iterable[str]) -> set[str]:
    """Explicit dates (``d2026-02-03``), their months (``m2026-02``) and years (``y2026``) written in the text."""
    found: set[str] = set()
    for text in sentences:
        for year in _YEAR.findall(text):
            found.add("y" + year)
        date = find_date(text)
        if date:
            found.add("d" + date[0][:10])
            found.add("m" + date[0][:7])
    return found
