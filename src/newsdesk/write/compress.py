"""Trimming a source sentence to its claim, as a span of that sentence (so what is shown is still a quote).

Compression only removes: a wire dateline ("SKELMARA, Nov 3 (CPW) – "), attribution ("It has been recently
reported that", ", according to ...", ", she said"),
discourse openers ("But", "Meanwhile,"), and, for headlines, leading adverbials and trailing sub-clauses. What
remains is always a contiguous substring of the sentence, so a reader (or a test) can find it in the source.
"""

from __future__ import annotations

import re

from newsdesk.extract.outlets import credit_end

__all__ = ["claim_span", "headline_span", "headline_text"]

# How far into a sentence a wire credit may end and still be its dateline.
_CREDIT_REACH = 100

# A wire dateline before the lead: "SKELMARA, Nov 3 (CPW) – ", "WASHINGTON (Reuters) - ", "LONDON — ".
_DATELINE = re.compile(
    r"^[A-Z][A-Z'’.-]+(?:[ /][A-Z][A-Z'’.-]+){0,3}(?:,\s*[A-Z][A-Za-z'’. -]{1,30})?"
    r"(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s*(?:\([A-Za-z .&]{2,30}\))?\s*[-–—]+\s+(?=[A-Z“\"])"
)
_LEADING_ATTRIBUTION = re.compile(
    r"^(?:it\s+has\s+(?:also\s+)?been\s+(?:recently\s+|widely\s+)?reported\s+that\s+"
    r"|it\s+is\s+(?:understood|reported|believed)\s+that\s+"
    r"|according\s+to\s+[^,]{1,80},\s+"
    r"|(?:reports?|sources?|officials?)\s+(?:said|say|says)\s+(?:that\s+)?)",
    re.IGNORECASE,
)
_OPENERS = re.compile(
    r"^(?:but|and|so|yet|meanwhile|however|still|indeed|also|now|further(?:more)?|moreover|in turn|"
    r"for (?:his|her|their|its) part|on the (?:\w+ )?side)\b,?\s+",
    re.IGNORECASE,
)
_TRAILING_ATTRIBUTION = re.compile(
    r",?\s+(?:according\s+to\s+[^.;]{1,120}"
    r"|(?:he|she|they|it|officials?|sources?|analysts?|experts?|police|[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})"
    r"\s+(?:said|says|added|told\s+[^.;,]{1,60}|reported|explained|noted)(?:\s+on\s+\w+)?)"
    r"(?=[.!?]?[\"'”’]?\s*$)"
)
_LEADING_ADVERBIAL = re.compile(
    r"^(?:(?:in|on|at|after|before|following|during|despite|amid|ahead\s+of|since|while|with|as|under|"
    r"by|for|in\s+a\s+bid\s+to|last|this|earlier|later)\b[^,]{0,70},\s+)",
    re.IGNORECASE,
)
# A leading subordinate clause ("While the two men were cordial in a phone call after ..., Petro has since
# said ...") can be long; the main clause after it is the headline.
_LEADING_SUBORDINATE = re.compile(
    r"^(?:while|whilst|although|though|after|before|since|when|as|because|despite|even\s+though)\b[^,;:]{10,160},\s+",
    re.IGNORECASE,
)
_TRAILING_CLAUSE = re.compile(
    r"(?:,\s+(?:which|who|where|when|while|as|after|before|following|amid|with|whilst|though|although|"
    r"despite|according|including|paving|marking|making|leaving|prompting|raising|adding|saying)\b"
    r"|,\s+(?:the|a|an)\s+|,\s+\w+(?:ing|ed)\s|\s+[-–—]\s+|;\s+|:\s+)"
)
# Finite verbs without a regular ending ("struck", "will"), for ``_verbless``.
_VERBS = set(
    "am are be can could did do does go had has have held hit is keep kept led left let lost made may meet met "
    "might must paid put ran rang read rise rose run said saw say see sent set shall shot should shut sold spoke "
    "stood struck swept take took told tore was went were will won would wrote fell fled fought found gave got "
    "grew hung knew lay broke brought bought built came caught chose drew drove ate began".split()
)
# Clauses joined without a comma, or coordinated after one: cut only from a headline this much over length.
# Not after a word that makes the conjunction part of a phrase ("shortly before", "four decades after").
_NOT_A_CLAUSE_AFTER = (
    "and but of or even just shortly soon long right minutes hours day days week weeks month months year years "
    "decades".split()
)
_LOOSE_CLAUSE = re.compile(
    "".join(rf"(?<!\b{word})" for word in _NOT_A_CLAUSE_AFTER)
    + r"\s+(?:after|before|when|because|while|whilst|following|amid|despite)\s+"
    r"|,\s+(?:and|but|or|so|yet)\s+"
)
LOOSE_LENGTH = 1.5
_END_PUNCTUATION = re.compile(r"[\s.,;:!?]+$")
_WORD = re.compile(r"\S+")


def claim_span(sentence: str, *, drop_trailing_attribution: bool = False) -> tuple[int, int]:
    """The span of ``sentence`` that states its claim without leading attribution or a discourse opener.

    With ``drop_trailing_attribution``, a closing ", according to ..." or ", she said" goes too.
    """
    start, end = 0, len(sentence)
    # A wire credit and the dateline before it ("Cairo, Egypt (CNN) -- ", "TRIPOLI, Libya (AP) _ "), found
    # as the extract stage finds the outlet in it.
    credit = credit_end(sentence)
    if 0 < credit <= _CREDIT_REACH and _words(sentence[credit:]) >= 5:
        start = len(sentence) - len(sentence[credit:].lstrip())
    for pattern in (_DATELINE, _LEADING_ATTRIBUTION, _OPENERS, _LEADING_ATTRIBUTION):
        match = pattern.match(sentence, start)
        if match and _words(sentence[match.end() : end]) >= 5:
            start = match.end()
    if drop_trailing_attribution:
        trailing = _TRAILING_ATTRIBUTION.search(sentence, start)
        if (
            trailing
            and _words(sentence[start : trailing.start()]) >= 5
            and not _inside_quote(sentence, trailing.start())
        ):
            end = trailing.start()
    return start, end


def headline_span(sentence: str, max_words: int = 14) -> tuple[int, int]:
    """A short headline inside ``sentence``: its claim, without a leading adverbial or trailing sub-clauses."""
    start, end = claim_span(sentence, drop_trailing_attribution=True)
    adverbial = _LEADING_ADVERBIAL.match(sentence, start)
    if adverbial is None and _words(sentence[start:end]) > max_words:
        adverbial = _LEADING_SUBORDINATE.match(sentence, start)
    if adverbial and _words(sentence[adverbial.end() : end]) >= 5 and not _inside_quote(sentence, adverbial.end()):
        start = adverbial.end()
    for clause, shortest in ((_TRAILING_CLAUSE, 5), (_LOOSE_CLAUSE, 6)):
        # A clause the sentence opens with a comma goes first; one joined without a comma ("died in a burning
        # bank as tens of thousands ...") only when the headline would otherwise run on.
        limit = max_words if clause is _TRAILING_CLAUSE else round(max_words * LOOSE_LENGTH)
        while _words(sentence[start:end]) > limit:
            cuts = [
                m.start()
                for m in clause.finditer(sentence, start, end)
                if _words(sentence[start : m.start()]) >= (10 if m.group().endswith("ed ") else shortest)
                and not _inside_quote(sentence, m.start())
                and not _in_dash_pair(sentence, m, start, end)
                and not _verbless(sentence[start : m.start()])
            ]
            if not cuts:
                break
            end = cuts[-1]
    trimmed = _END_PUNCTUATION.search(sentence, start, end)
    if trimmed and trimmed.start() > start:
        end = trimmed.start()
    return start, end


def headline_text(sentence: str, max_words: int = 14) -> str:
    """The headline of ``sentence`` with its first letter capitalised (the only change to the quoted words)."""
    start, end = headline_span(sentence, max_words)
    text = sentence[start:end].strip()
    return text[:1].upper() + text[1:]


def _in_dash_pair(sentence: str, match: re.Match[str], start: int, end: int) -> bool:
    """A dash that opens or closes a parenthetical (" - Rand Paul, US Senator - ") does not end a clause."""
    dash = match.group().strip()
    if dash not in {"-", "–", "—"}:
        return False
    pattern = rf"\s{re.escape(dash)}\s"
    return bool(re.search(pattern, sentence[match.end() : end]) or re.search(pattern, sentence[start : match.start()]))


def _verbless(text: str) -> bool:
    """Whether ``text`` has no word that could be its verb: a name or a noun phrase ("The Valemont Chamber of
    Commerce", "The only road into Skelmara"), left when the clause cut after it (", which had put the cost
    at ...,", ", the R14, was cut") was inside the subject. Loose on purpose: a plural noun passes for a verb."""
    for word in _WORD.findall(text):
        word = word.strip("\"'“”‘’,.;:()")
        if not word or word[:1].isupper() or not word.isalpha():
            continue
        lower = word.lower()
        if lower in _VERBS or lower == "to" or lower.endswith(("ed", "en")):
            return False
        if lower.endswith("s") and not lower.endswith(("ss", "us", "is")):
            return False
    return True


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _inside_quote(sentence: str, position: int) -> bool:
    """Whether ``position`` falls inside an open quotation (cutting there would break a quote)."""
    before = sentence[:position]
    straight = before.count('"') % 2 == 1
    curly = before.count("“") > before.count("”")
    return straight or curly
