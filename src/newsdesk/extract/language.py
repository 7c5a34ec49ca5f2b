"""A small, fast language guess from function words, for text that does not declare its language.

It only answers when the evidence is clear (enough words, one language well ahead); otherwise it
returns ``None`` rather than a guess.
"""

from __future__ import annotations

import re

_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset("the and of to in is that for on with as was by at from has have it be are said his her".split()),
    "es": frozenset("el la de que y en los las del por con una para es se al su lo como más pero".split()),
    "fr": frozenset("le la les de des et est une pour dans que qui sur par au aux du pas avec il elle".split()),
    "de": frozenset("der die das und ist nicht ein eine zu den von mit sich des auf für im dem auch".split()),
    "pt": frozenset("o a os as de do da dos das e em que para com uma por não no na mais foi".split()),
    "it": frozenset("il lo la gli le di che e è per una del della con non sono nel alla anche".split()),
    "nl": frozenset("de het een van en is dat op te in niet met voor zijn aan ook als maar".split()),
}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def detect_language(text: str) -> str | None:
    words = [w.lower() for w in _WORD.findall(text[:5000])]
    if len(words) < 8:
        return None
    scores = {lang: sum(1 for w in words if w in stop) for lang, stop in _STOPWORDS.items()}
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    (best, top), (_, second) = ranked[0], ranked[1]
    if top < 3 or top / len(words) < 0.08 or top < 1.5 * second:
        return None
    return best


def normalize_language(value: str | None) -> str | None:
    """``en-GB`` → ``en``; empty or odd values → None."""
    if not value:
        return None
    match = re.match(r"^\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*$", value)
    return match.group(1).lower() if match else None
