"""Checking what a page says against what it cites.

Two checks, both mechanical:

- ``citation_problems``: every citation's quote is exactly its article's body at its span (the contract);
- ``supported``: a sentence is supported by the quotes it cites when every figure in it appears in them and
  nearly all its content words do (after stemming, with the same synonyms the writer compares by). The
  optional language-model writer keeps only sentences that pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from newsdesk.records import Citation, StoryPage
from newsdesk.write.units import sentence_stems

__all__ = ["citation_problems", "page_sentences", "supported", "unsupported_words"]

_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")
COVERAGE = 0.8  # share of a sentence's content words its citations must contain


def citation_problems(page: StoryPage, bodies: Mapping[str, str]) -> list[str]:
    """What is wrong with the page's citations (empty when every quote is its article's body at its span)."""
    problems = []
    for citation in page.citations():
        body = bodies.get(citation.article)
        if body is None:
            problems.append(f"citation of unknown article {citation.article}")
        elif body[citation.start : citation.end] != citation.quote:
            problems.append(f"quote of {citation.article} at {citation.start}:{citation.end} is not the body there")
    return problems


def page_sentences(page: StoryPage) -> list[tuple[str, tuple[Citation, ...]]]:
    """Every claim the page makes, with its citations: summary sentences, key points, timeline entries."""
    claims: list[tuple[str, tuple[Citation, ...]]] = [(s.text, s.citations) for s in page.summary_sentences]
    for point in page.key_points:
        claims += [(point.headline, point.citations), (point.text, point.citations)]
    claims += [(entry.text, entry.citations) for entry in page.timeline]
    return claims


def unsupported_words(sentence: str, quotes: Iterable[str]) -> list[str]:
    """The figures and content words of ``sentence`` that its quotes do not contain."""
    quotes = list(quotes)
    joined = " ".join(quotes)
    figures = {_figure(f) for f in _FIGURE.findall(joined)}
    missing = [f for f in _FIGURE.findall(sentence) if _figure(f) not in figures]
    available = sentence_stems(joined)
    words = sentence_stems(sentence)
    absent = sorted(w for w in words if w not in available and not _FIGURE.fullmatch(w))
    if words and (len(words) - len(absent)) / len(words) < COVERAGE:
        missing += absent
    return missing


def supported(sentence: str, quotes: Sequence[str]) -> bool:
    """Whether ``sentence`` says nothing its ``quotes`` do not (figures exactly, content words nearly all)."""
    return bool(quotes) and not unsupported_words(sentence, quotes)


def _figure(text: str) -> str:
    return text.replace(",", "").rstrip(".")
