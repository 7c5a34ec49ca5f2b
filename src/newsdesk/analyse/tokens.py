"""Words for comparing texts: folded tokens, stop words, and light stems of content words."""

from __future__ import annotations

import functools
import re
import unicodedata

# A word, with inner periods, commas and apostrophes: "U.S", "30,000", "Petro's".
WORD_PATTERN = re.compile(r"\w+(?:[.,'’]\w+)*")

_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")

STOPWORDS = frozenset(
    (
        "a about above after again against all also am an and any are as at be because been before being "
        "below between both but by can could did do does doing down during each few for from further had has "
        "have having he her here hers herself him himself his how i if in into is it its itself just me more "
        "most my myself no nor not now of off on once only or other our ours ourselves out over own same she "
        "should so some such than that the their theirs them themselves then there these they this those "
        "through to too under until up very was we were what when where which while who whom why will with "
        "would you your yours yourself yourselves s t don didn doesn isn wasn weren won wouldn couldn "
        "shouldn ve ll re d m said says say told according also would could may might must shall one two "
        "new year years mr mrs ms per cent percent just like well even still much many"
    ).split()
)


def words(text: str) -> list[str]:
    """Folded word tokens: "Petro's 30,000 soldiers" gives ["petro's", "30,000", "soldiers"]."""
    if text.isascii():  # folding is lower-casing, which keeps every token's boundaries: one call for the text
        return WORD_PATTERN.findall(text.lower())
    return [fold_word(w) for w in WORD_PATTERN.findall(text)]


def raw_words(text: str) -> list[str]:
    """Word tokens as written (same boundaries as :func:`words`)."""
    return WORD_PATTERN.findall(text)


def fold_word(word: str) -> str:
    """A word in lower case without diacritics, with a typographic apostrophe made plain."""
    if word.isascii():
        return word.lower()
    return _COMBINING.sub("", unicodedata.normalize("NFKD", word)).replace("’", "'").lower()


@functools.lru_cache(maxsize=1 << 16)  # a page stems the same few thousand words hundreds of thousands of times
def stem(word: str) -> str:
    """A light stem, enough to match "meetings"/"meeting", "strikes"/"strike", "Petro's"/"Petro"."""
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) <= 4 or not word.isalpha():
        return word
    if word.endswith("ies"):
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def content_words(tokens: list[str]) -> list[str]:
    """Stems of the tokens that carry meaning (no stop words, no single letters)."""
    return [stem(t) for t in tokens if t not in STOPWORDS and (len(t) > 1 or t.isdigit())]
