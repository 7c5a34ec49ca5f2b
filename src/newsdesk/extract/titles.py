"""Titles: click-bait prefixes, what reads like a headline, what reads like a person's name."""

from __future__ import annotations

import re

# Prefixes that sell a headline rather than state it. They are removed from ``title`` and kept in
# ``title_prefix``. "Opinion"/"Analysis" are kept apart too, and also set the article's kind.
CLICKBAIT_PREFIXES = (
    "big news", "breaking news", "breaking", "watch", "video", "just in", "exclusive", "must read",
    "must see", "shocking", "update", "updated", "live", "live updates", "developing", "urgent",
    "revealed", "report", "news", "new", "alert", "news alert", "flash", "confirmed", "official",
    "opinion", "analysis", "explainer", "in pictures", "pictures", "photos", "listen", "podcast",
)  # fmt: skip
OPINION_PREFIXES = frozenset({"opinion"})

_PREFIX_WORDS = "|".join(re.escape(p) for p in sorted(CLICKBAIT_PREFIXES, key=len, reverse=True))
_PREFIX = re.compile(
    rf"^\s*(?:\[(?P<bracketed>{_PREFIX_WORDS})\]|\((?P<parenthesised>{_PREFIX_WORDS})\)"
    rf"|(?P<plain>{_PREFIX_WORDS})\s*(?::|\||[-–—]\s|!+))\s*(?P<rest>.+)$",
    re.IGNORECASE,
)

# Words that are lower case inside English headlines and never part of a person's name.
FUNCTION_WORDS = frozenset(
    (
        "a an the and or but nor of in on at to for from by with as into onto over after before amid "
        "against about is are was were be been has have had will would can could may might must should "
        "this that these those its his her their our your my not no than then so if up out off new"
    ).split()
)
_NAME_PARTICLES = frozenset("de da del della der di du la le van von al bin ibn dos das y st st.".split())
_UPPER, _LOWER = "A-ZÀ-ÖØ-Þ", "a-zß-öø-ÿ"
# "Jane", "McDermott", "O'Neill", "Mary-Jane", "Hernández", and initials such as "J."
_NAME_TOKEN = re.compile(
    rf"^[{_UPPER}][{_LOWER}]*(?:[{_UPPER}][{_LOWER}]+)?(?:['’-][{_UPPER}]?[{_LOWER}]+)*$|^(?:[{_UPPER}]\.)+$"
)


def split_clickbait(title: str | None) -> tuple[str | None, str | None]:
    """``(title, prefix)``: "Big News: Petro is about to meet Trump" gives the prefix "Big News"."""
    if not title:
        return title, None
    cleaned = " ".join(title.split())
    match = _PREFIX.match(cleaned)
    if not match:
        return cleaned, None
    rest = match.group("rest").strip()
    if len(rest.split()) < 2:
        return cleaned, None
    return rest, match.group("bracketed") or match.group("parenthesised") or match.group("plain")


def clean_title(title: str | None) -> str | None:
    if title is None:
        return None
    cleaned = " ".join(title.split()).strip()
    if len(cleaned) >= 2 and cleaned[0] == cleaned[-1] and cleaned[0] in "\"'":
        cleaned = cleaned[1:-1].strip()
    return cleaned or None


def is_headline(line: str) -> bool:
    """Reads like a headline: short, capitalised, no sentence-ending period or trailing comma."""
    text = line.strip()
    words = text.split()
    if not 2 <= len(words) <= 30 or len(text) > 250:
        return False
    if text[-1] in ".,;:" and not text.endswith("..."):
        return False
    first = text.lstrip("\"'“‘(")
    if not first or not (first[0].isupper() or first[0].isdigit()):
        return False
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    # Several sentences on one line are a paragraph, not a headline.
    return len(re.findall(r"[a-z]{2,}[.!?]\s+[A-Z]", text)) == 0


def is_name_like(line: str) -> bool:
    """Looks like a person's name alone on a line ("Cynthia Michelle Aranguren Hernández")."""
    text = line.strip().rstrip(",")
    words = text.split()
    if not 2 <= len(words) <= 6 or len(text) > 60:
        return False
    capitals = 0
    for word in words:
        if word.lower() in _NAME_PARTICLES:
            continue
        if word.lower() in FUNCTION_WORDS or not _NAME_TOKEN.match(word):
            return False
        capitals += 1
    return capitals >= 2


_BYLINE = re.compile(
    r"^(?:written\s+by|words\s+by|reporting\s+by|by|author:|posted\s+by|von|por|par)\s+(?P<names>.+)$",
    re.IGNORECASE,
)


def parse_byline(line: str) -> str | None:
    """The author in a byline line ("By Jane Doe and John Roe | Reuters") or None."""
    match = _BYLINE.match(line.strip())
    if not match:
        return None
    names = re.split(r"\s*[|•·]\s*|\s+[-–—]\s+", match.group("names"))[0]
    names = re.sub(r",?\s+(?:in|for)\s+[A-Z][\w ]+$", "", names).strip(" ,")
    if not names or len(names) > 100 or names.endswith("."):
        return None
    parts = re.split(r"\s*(?:,|\band\b|&)\s*", names)
    if not all(is_name_like(p) or (len(p.split()) == 1 and p[:1].isupper()) for p in parts if p):
        return None
    return names


_ROLE = re.compile(
    r"\b(?:editor|correspondent|reporter|writer|journalist|columnist|staff|contributor|bureau|chief|analyst|"
    r"producer|critic|photographer|desk|team|intern|fellow)s?\b",
    re.IGNORECASE,
)
_SMALL_WORDS = frozenset("a an and at for in of on the to".split())


def clean_author(author: str | None) -> str | None:
    """An author's name without "By" or a job title: "Hélène Marchbank, Arts Editor" → "Hélène Marchbank"."""
    if not author:
        return None
    text = " ".join(author.split())
    text = parse_byline(text) or text
    parts = [p.strip() for p in text.split(",")]
    kept = [p for p in parts if p and not _ROLE.search(p)]
    if not kept or ("@" in text and len(kept) == 1 and "@" in kept[0]):
        return None
    return ", ".join(kept)


def title_case_wordmark(text: str) -> str:
    """A wordmark printed in capitals, in ordinary case: "THE TIDEWATER POST" → "The Tidewater Post"."""
    if not text.isupper():
        return text
    words = text.lower().split()
    return " ".join(w if i and w in _SMALL_WORDS else w[:1].upper() + w[1:] for i, w in enumerate(words))
