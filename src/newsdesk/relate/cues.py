"""Wording that marks a text as a retelling of someone else's report ("It has been reported that ...")."""

from __future__ import annotations

import re

from newsdesk.records import Article

# Wording that marks a text as a retelling of someone else's report.
_DERIVED_OPENINGS = re.compile(
    r"^(?:it has (?:recently )?been reported that|it (?:was|is) reported that|according to (?:a |recent )?reports?\b|"
    r"reports? (?:say|said|suggest)\b|as reported by\b|(?:the \w+ )?reports? that\b)",
    re.IGNORECASE,
)
_DERIVED_MARKS = re.compile(
    r"(?:^|\n)(?:conclusion|in conclusion|summary|tl;dr|key takeaways?)\s*:|\boriginally (?:published|appeared)\b|"
    r"\bthis (?:article|story) (?:first |originally )?appeared\b|\bsource:\s",
    re.IGNORECASE,
)
_CONCLUSION = re.compile(r"(?:^|\n)(?:conclusion|in conclusion|to conclude)\s*:", re.IGNORECASE)


def derivation_cues(article: Article) -> int:
    """How many marks of a retelling the text carries ("It has been reported that ...", "Conclusion:")."""
    body = article.body
    cues = len(_DERIVED_MARKS.findall(body))
    if _DERIVED_OPENINGS.match(body.lstrip()):
        cues += 1
    if article.title_prefix:
        cues += 1
    return cues


def has_conclusion(article: Article) -> bool:
    """A "Conclusion:" paragraph, which machine rewrites add and reports do not have."""
    return bool(_CONCLUSION.search(article.body))
