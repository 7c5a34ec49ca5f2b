"""Derived texts made from real articles in the ways the seed documents show, for the relate benchmark.

Each function takes an article body and a seeded random generator and returns a derived body:
a duplicate (same text under a new title), a repost (new title, a reworded first sentence, a few
sentences cut, a line added), an excerpt (a contiguous part), a sentence-dropping summary (a few
sentences, trimmed), and a machine rewrite (words swapped for synonyms, quote marks dropped, some
sentences moved, a "Conclusion:" paragraph added).
"""

from __future__ import annotations

import random
import re

from newsdesk.analyse import split_sentences

# A small thesaurus of words common in news, written for this benchmark.
SYNONYMS = {
    "said": "stated", "says": "states", "told": "informed", "announced": "declared", "people": "individuals",
    "government": "administration", "officials": "authorities", "president": "leader", "country": "nation",
    "killed": "left dead", "died": "lost their lives", "attack": "assault", "attacks": "assaults",
    "city": "town", "capital": "main city", "army": "military", "troops": "soldiers", "soldiers": "troops",
    "forces": "units", "police": "law enforcement", "protesters": "demonstrators", "protests": "demonstrations",
    "week": "seven days", "meeting": "talks", "talks": "discussions", "agreed": "consented", "asked": "requested",
    "began": "started", "started": "began", "ended": "finished", "large": "big", "big": "large", "small": "minor",
    "important": "significant", "major": "key", "help": "assist", "helped": "assisted", "need": "require",
    "needs": "requires", "also": "additionally", "however": "nevertheless", "but": "yet", "because": "since",
    "about": "roughly", "around": "approximately", "more than": "over", "many": "numerous", "several": "a number of",
    "show": "indicate", "showed": "indicated", "shows": "indicates", "believe": "think", "believed": "thought",
    "expected": "anticipated", "plan": "scheme", "plans": "intends", "warned": "cautioned", "claimed": "asserted",
    "reported": "said", "report": "account", "according to": "as per", "area": "region", "areas": "regions",
    "near": "close to", "after": "following", "before": "prior to", "during": "throughout", "now": "currently",
    "again": "once more", "still": "yet", "quickly": "rapidly", "recent": "latest", "leaders": "chiefs",
    "state": "national", "officers": "agents", "support": "backing", "crisis": "emergency", "fighting": "combat",
    "decision": "ruling", "called": "urged", "called for": "demanded", "increase": "rise", "rose": "climbed",
    "fell": "dropped", "hospital": "medical centre", "doctors": "physicians", "medical": "health", "home": "house",
    "children": "kids", "women": "females", "men": "males", "company": "firm", "money": "funds", "million": "million",
}  # fmt: skip
_SYNONYM_PATTERN = re.compile(r"\b(" + "|".join(sorted(map(re.escape, SYNONYMS), key=len, reverse=True)) + r")\b")
_QUOTES = re.compile(r"[\"“”]")
_ATTRIBUTION = re.compile(r",?\s+(?:he|she|they|officials|police|the \w+)\s+(?:said|says|told \w+)\.?$", re.IGNORECASE)
_REPOST_OPENINGS = ("It has been reported that ", "According to reports, ", "Reports say that ")
_ADDED_LINES = (
    "Follow our live coverage for further updates.",
    "This report has been updated with additional information.",
    "Readers can share their views in the comments below.",
)


def sentences(body: str) -> list[str]:
    return [s.text for s in split_sentences(body)]


def paragraphs(items: list[str], per: int = 2) -> str:
    return "\n\n".join(" ".join(items[i : i + per]) for i in range(0, len(items), per))


def duplicate(body: str, rng: random.Random) -> str:
    return body


def repost(body: str, rng: random.Random) -> str:
    items = sentences(body)
    first = items[0]
    items[0] = rng.choice(_REPOST_OPENINGS) + first[0].lower() + first[1:]
    cuttable = list(range(2, len(items)))
    for index in sorted(rng.sample(cuttable, k=min(len(cuttable) // 8, 3)), reverse=True):
        del items[index]
    items.append(rng.choice(_ADDED_LINES))
    return paragraphs(items)


def excerpt(body: str, rng: random.Random) -> str:
    items = sentences(body)
    size = max(3, round(len(items) * rng.uniform(0.3, 0.5)))
    start = rng.randrange(0, max(1, len(items) - size))
    return paragraphs(items[start : start + size])


def summary(body: str, rng: random.Random) -> str:
    items = sentences(body)
    keep = max(3, round(len(items) * 0.25))
    chosen = [0, *sorted(rng.sample(range(1, len(items)), k=min(keep - 1, len(items) - 1)))]
    trimmed = []
    for index in chosen:
        text = _ATTRIBUTION.sub(".", items[index])
        text = re.sub(r"\s*\([^)]*\)", "", text)
        if text.count(",") >= 2 and len(text.split()) > 25:
            text = text[: text.rfind(",")].rstrip() + "."
        trimmed.append(text)
    return paragraphs(trimmed, per=3)


def rewrite(body: str, rng: random.Random) -> str:
    items = [_reword(s, rng) for s in sentences(body)]
    for _ in range(max(1, len(items) // 6)):
        index = rng.randrange(1, max(2, len(items) - 1))
        if index + 1 < len(items):
            items[index], items[index + 1] = items[index + 1], items[index]
    conclusion = "Conclusion: " + _reword(sentences(body)[0], rng)
    return paragraphs(items) + "\n\n" + conclusion


def _reword(sentence: str, rng: random.Random) -> str:
    text = _QUOTES.sub("", sentence)
    text = _SYNONYM_PATTERN.sub(lambda m: SYNONYMS[m.group(1)] if rng.random() < 0.8 else m.group(1), text)
    return re.sub(r"\s+", " ", text).strip()


DERIVATIONS = {
    "duplicate": duplicate,
    "copy": repost,
    "excerpt": excerpt,
    "summary": summary,
    "rewrite": rewrite,
}
