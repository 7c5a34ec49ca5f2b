"""A title from the lead, for an article that arrives with none (pasted text, JSONL exports, wires).

The title is the lead's first sentence after the opening credit and dateline ("RAS LANUF, Libya
(Reuters) - "), skipping sentences that are a date, a byline, a name or page furniture; a sentence of
more than :data:`LEAD_TITLE_WORDS` words is cut at its first clause boundary within reach, or else
after that many words with an ellipsis. Never composed: its words are the lead's, in order. The
article records that its title was derived (``title_derived``), and its id does not depend on it.
"""

from __future__ import annotations

import re

from newsdesk.analyse.sentences import split_sentences
from newsdesk.extract.outlets import credit_end
from newsdesk.extract.plaintext import LineKind, classify

__all__ = ["LEAD_TITLE_WORDS", "title_from_lead"]

LEAD_TITLE_WORDS = 14
_CLAUSE_BREAK = re.compile(r"[,;:]\s|\s[–—-]{1,2}\s")
_NOT_TITLES = (LineKind.FURNITURE, LineKind.DATE, LineKind.BYLINE, LineKind.NAME)


def title_from_lead(body: str) -> str | None:
    """A short title from the first sentences of ``body``, or None when they offer none."""
    first = body.split("\n", 1)[0]
    text = first[credit_end(first) :].strip()
    for candidate in split_sentences(text[:2000])[:3]:
        sentence = candidate.text.strip().rstrip(".").strip()
        words = sentence.split()
        if len(words) < 3 or "|" in sentence or classify(sentence) in _NOT_TITLES:
            continue
        return _shortened(sentence, words)
    return None


def _shortened(sentence: str, words: list[str]) -> str:
    if len(words) <= LEAD_TITLE_WORDS:
        return sentence
    for match in _CLAUSE_BREAK.finditer(sentence):
        taken = len(sentence[: match.start()].split())
        if taken > LEAD_TITLE_WORDS:
            break
        if taken >= 6:
            return sentence[: match.start()].strip()
    return " ".join(words[: LEAD_TITLE_WORDS - 2]).rstrip(",;:") + " …"
