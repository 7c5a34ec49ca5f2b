"""Short headlines by deletion: a sub-editor's compression of one sentence that only removes words.

The words of a headline are a subsequence of its sentence's words (:func:`is_deletion` checks it), in the
same order and spelling; only the first letter may be capitalised and punctuation next to a deleted word may
go. Deletions come in the order a sub-editor makes them, until the headline fits:

1. always: a wire dateline or credit, attribution ("officials said that", ", according to ...", ", she said"),
   discourse openers, time words ("on Monday", "yesterday") and a sentence-initial article;
2. while too long: a leading adverbial or subordinate clause ("After ..., "), parentheticals and appositives
   between commas or dashes, relative clauses (", who ...", ", which ..."), auxiliaries before a participle
   ("has resigned" -> "resigned"; "will" stays), articles, trailing sub-clauses and prepositional tails;
3. last: the words past the limit, cut where a word may end a headline.

A deletion never removes a negation ("not", "no", "never"), a number, or the last word that could be the
verb. Rule-based and fast: regular expressions over one sentence, no model.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from newsdesk.extract.outlets import credit_end
from newsdesk.write.compress import _LEADING_ADVERBIAL, _LEADING_SUBORDINATE, _verbless, claim_span

__all__ = ["distinct_headline", "headline", "is_deletion", "repeats_start"]

MIN_WORDS = 4  # a deletion may not leave fewer words than this

_TOKEN = re.compile(r"\S+")
_EDGE = "\"'“”‘’()[]{},.;:!?…-–—_*"
_NEGATION = set("not no never nor none nobody nothing nowhere neither cannot without n't".split())
_NUMBER_WORDS = set(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred hundreds thousand thousands "
    "million millions billion billions trillion dozen dozens half".split()
)
_DAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_PART = r"(?:\s+(?:morning|afternoon|evening|night))?"
# Time words a headline does without; none holds a digit, so no number goes with them.
_TIME = re.compile(
    rf"(?:\b(?:early|late|earlier|later)\s+)?\b(?:on|by|from|until|since|last|this|next)\s+{_DAY}{_PART}\b"
    r"|\b(?:(?:early|late|earlier|later)\s+)?(?:yesterday|today|tonight|this\s+(?:morning|afternoon|evening|week)"
    r"|last\s+(?:night|week)|earlier\s+this\s+(?:week|month|year)|on\s+(?:yesterday|today))\b",
    re.IGNORECASE,
)
_SPEAKER = (
    r"(?:[Hh]e|[Ss]he|[Tt]hey|[Ii]t|[Ww]e|[Pp]olice|officials?|sources?|analysts?|experts?|witnesses|residents|authorities"
    r"|(?:[Tt]he|[Aa]n?)\s+(?:\w+\s+){0,3}?(?:spokes(?:man|woman|person)|ministry|minister|department|office|official"
    r"|police|agency|government|company|statement|report|council|court|army|military|group)"
    r"|[A-Z][\w.'’-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w.'’-]*){0,4})"
)
_SAY = (
    r"(?:said|says|say|told\s+(?:\w+\s+){0,3}?\w+|added|reported|announced|confirmed|claimed|stated|warned|"
    r"explained|noted|insisted|argued|acknowledged|admitted)"
)
_WHEN = r"(?:\s+(?:on|late\s+on|early\s+on)?\s*\w+day(?:\s+(?:morning|afternoon|evening|night))?)?"
# "Police said on Monday that ...", "The ministry said ...": the claim follows.
_LEADING_SAY = re.compile(
    rf"^{_SPEAKER}\s+(?:(?:has|have|had)\s+)?{_SAY}{_WHEN}(?:\s+in\s+a\s+statement)?(?:\s+that\b|\s*[:,]|\s+(?=\S))\s*"
    r"(?!\s*(?:it|he|she|they|we|its|his|her|their|this|that)\b)"
)
# ", the minister said," / ", according to ...," inside the sentence; "said X" after a quote.
_INNER_SAY = re.compile(
    rf",\s+(?:{_SPEAKER}\s+{_SAY}{_WHEN}|{_SAY}\s+{_SPEAKER}|according\s+to\s+[^,;.]{{1,80}}?)\s*(?=,|[.!?]?[\"'”’]?\s*$)"
)
_SPEECH_VERB = re.compile(rf"(?<=[,.!?][\"”’'])\s+(?:{_SAY}\s+{_SPEAKER}|{_SPEAKER}\s+{_SAY}){_WHEN}\s*[.!?]?\s*$")
# A newspaper's time stamp before the text: "Tuesday 8 February 2005 00.02 GMT ".
_STAMP = re.compile(
    rf"^{_DAY}\s+\d{{1,2}}\s+[A-Z][a-z]+\s+\d{{4}}\s+\d{{1,2}}[.:]\d{{2}}\s+(?:GMT|BST|EDT|EST|CET|UTC|ET)\s+(?=[A-Z])"
)
_PARENTHESIS = re.compile(r"\s*\([^()]{1,80}\)")
_DASHES = re.compile(r"\s+[-–—]+\s+[^-–—]{1,90}?\s+[-–—]+(?=\s)")
# ", the former mayor of Tessel," after a name: an appositive. Not ", and ..." or a list.
_APPOSITIVE = re.compile(
    r"(?<=[A-Za-z’'])\s*,\s+(?!(?:and|or|but|who|which)\b)(?:the|a|an|[a-z]\w*)\b[^,;:\"“”]{1,70},"
)
_RELATIVE = re.compile(r",\s+(?:who|which|whose|where|whom)\b[^,;]{1,140}(?:,|(?=[.!?]?\s*$))")
_TRAILING = re.compile(
    r"(?:,\s+(?:which|who|where|when|while|as|after|before|following|amid|with|whilst|though|although|despite|"
    r"including|paving|marking|making|leaving|prompting|raising|adding|saying|but|and)\b|;\s+|\s+[-–—]+\s+)[^;]*$"
)
_PREPOSITION = re.compile(
    r"\s+(?:in|at|on|for|from|to|with|by|over|during|near|into|across|under|after|before|amid|against|among|"
    r"around|through|outside|inside|within|as|since|following|because)\s+[^,;]*$"
)
_PRONOUN = r"(?<!\b[Hh]e )(?<!\b[Ss]he )(?<!\b[Ii]t )(?<!\b[Tt]hey )(?<!\b[Ww]e )(?<!\bI )(?<!\byou )"
_AUXILIARY = re.compile(
    _PRONOUN + r"(?<!\bwho )(?<!\bwhich )(?<!\bthat )"
    r"\b(?:has|have)(?:\s+been)?\s+(?!been\b)(?=(?:\w+(?:ed|ught)|made|said|held|left|led|lost|met|paid|"
    r"put|set|shut|sold|told|won|hit|cut|built|kept|found|fled|fought|struck|spent|sent|brought|bought|caught)\b)"
    r"|" + _PRONOUN + r"(?<!\bwho )(?<!\bwhich )(?<!\bthat )"
    r"\b(?:(?:is|are|was|were)\s+(?:being\s+)?(?=\w+(?:ed|en|wn)\b)|(?:is|are)\s+(?=\w+ing\b))",
    re.IGNORECASE,
)
# Not after a preposition ("at the brink", "one of the") nor before a superlative ("the worst").
_ARTICLE = re.compile(
    r"(?<!\b(?:of|in|at|on|to|by|as) )(?<!\bfor )(?<!\b(?:from|with|into|over|than) )(?<!\b(?:after|under|about) )"
    r"(?<!\bbefore )\b(?:the|a|an)\s+(?=[a-z])(?!\w+est\b|most\b|best\b|worst\b|first\b|last\b|only\b|same\b)"
)
# Headlinese, the last resort against a headline that repeats its text: articles go after prepositions too
# ("on upper Corvane valley"), but not in "one of the", "some of the" nor before a superlative.
_ANY_ARTICLE = re.compile(
    r"(?<!\b(?:one|all|any|two|few) of )(?<!\b(?:some|many|most|much|part|rest|each|none|both) of )"
    r"\b(?:the|a|an)\s+(?=[a-z])(?!\w+est\b|most\b|best\b|worst\b|first\b|last\b|only\b|same\b|other\b)"
)
_INITIAL_ARTICLE = re.compile(r"^(?:[Tt]he|[Aa]n?)\s+(?=[a-z]|[A-Z][\w-]*\s+[a-z])")
_ADVERB = re.compile(
    r"\b(?:also|now|still|just|already|reportedly|recently|allegedly|apparently|finally|currently|officially|"
    r"formally|publicly|initially|eventually|only\s+yet|even|further)\s+",
    re.IGNORECASE,
)
_HONORIFIC = re.compile(r"\b(?:Mr|Mrs|Ms|Dr)\.?\s+(?=[A-Z])")
_THAT = re.compile(r"(?:(?<=\bsaid )|(?<=\bsays )|(?<=\btold )|(?<=\badded ))that\s+")
_COMMA_ADVERB = re.compile(r",\s+\w+ly,(?=\s)")
# Only against a headline that repeats its text (each a deletion inside the sentence, see distinct_headline):
# a sentence-initial opener the claim keeps ("Instead he proposes", "First, the state's framework").
_OPENER = re.compile(
    r"^(?:instead|first(?:ly)?|second(?:ly)?|third(?:ly)?|finally|then|again|similarly|likewise|separately|"
    r"in\s+fact|of\s+course|in\s+addition|additionally)\b,?\s+|^once\b[^,;:]{3,70},\s+",
    re.IGNORECASE,
)
# An adverb before a past verb or participle ("aggressively pushed", "chronically inflamed"), not a hedge or a
# word that turns the meaning ("likely caused", "wrongly accused", "nearly killed").
_HEDGES = (
    "only likely unlikely early nearly hardly barely scarcely partly partially possibly probably supposedly "
    "seemingly wrongly falsely mistakenly wrongfully unfairly unjustly unlawfully illegally narrowly "
    "reportedly allegedly apparently"
).split()
_LY_ADVERB = re.compile(
    "".join(rf"(?!{word}\b)" for word in _HEDGES) + r"\b[a-z]{3,}ly\s+(?=[a-z]+(?:ed|en|wn|ught)\b)"
)
_INTENSIFIER = re.compile(r"\b(?:quite|very|really|truly|extremely|highly|particularly|deeply)\s+(?=[a-z])")
# A long speaker before "said" ("Assistant Special Agent M. F. of the Las Vegas branch of the DEA said ..."):
# ``_LEADING_SAY`` takes a name of five words; here any noun phrase without a verb (checked on deletion).
_LONG_SPEAKER_SAY = re.compile(
    r"^[A-Z][^,;:\"“”]{2,140}?\s+(?:said|says|told\s+(?:\w+\s+){0,3}?\w+)\s+(?:that\s+)?"
    r"(?!\s*(?:it|he|she|they|we|its|his|her|their|this|that)\b)(?=[a-z“\"A-Z])"
)
# A phrase between commas after a word, however long, with its numbers ("The Russians, with world number
# three Zvonareva ... leading the charge, had been"): it all goes, so no figure is falsified.
_LONG_APPOSITIVE = re.compile(
    r"(?<=[A-Za-z’'])\s*,\s+(?!(?:and|or|but|who|which)\b)(?:the|a|an|[a-z]\w*)\b[^,;:\"“”]{1,160},"
)
# Examples inside the subject before its verb ("Health groups like the British Heart Foundation ... have").
_AUXILIARY_AHEAD = r"(?=\s+(?:has|have|had|are|were|is|was|will|would|could|can|may|might|must|should|did|do|does)\b)"
_EXAMPLES = re.compile(r"\s+(?:such\s+as|like|including)\s+[^,;:\"“”]{3,100}?" + _AUXILIARY_AHEAD)
# A participle phrase after a plural noun of the subject ("photographs showing how ... were put").
_PARTICIPLE = re.compile(
    r"(?<=[a-z]s)(?<!ss)(?<!us)(?<!is)\s+(?!(?:during|building|meeting|morning|evening|funding|something|nothing|"
    r"anything|everything|king|thing|spring|ring|wing|string|bring|sing)\b)[a-z]+ing\s+[^,;:\"“”]{3,100}"
    + _AUXILIARY_AHEAD
)
# Words a headline cut short may not end on.
_DANGLING = set(
    "a an the of to in on at for from with by and or but as that which who whose whom where when while is are was "
    "were be been being has have had will would could should may might must can said says his her their its our "
    "my your this these those than into over after before about against between during amid its".split()
)

Span = tuple[int, int]


class _Draft:
    """A sentence's words and which are kept."""

    def __init__(self, sentence: str) -> None:
        self.sentence = sentence
        self.tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(sentence)]
        self.cores = [_core(sentence, s, e) for s, e in self.tokens]
        self.keep = [bool(sentence[s:e].strip(_EDGE)) for s, e in self.cores]

    def copy(self) -> _Draft:
        twin = _Draft.__new__(_Draft)
        twin.sentence, twin.tokens, twin.cores, twin.keep = self.sentence, self.tokens, self.cores, list(self.keep)
        return twin

    def count(self, keep: list[bool] | None = None) -> int:
        return sum(keep if keep is not None else self.keep)

    def inside(self, span: Span) -> list[int]:
        start, end = span
        return [i for i, (s, e) in enumerate(self.cores) if s >= start and e <= end and self.keep[i]]

    def word(self, index: int) -> str:
        s, e = self.cores[index]
        return self.sentence[s:e]

    def delete(self, span: Span, *, check: bool = True, shortest: int = MIN_WORDS, numbers: bool = False) -> bool:
        """Delete the kept words inside ``span`` unless that removes a negation, a number (unless ``numbers``:
        a dateline's, or a whole leading clause's) or the verb."""
        doomed = self.inside(span)
        if not doomed:
            return False
        if any(_protected(self.word(i), numbers=numbers) for i in doomed):
            return False
        keep = list(self.keep)
        for i in doomed:
            keep[i] = False
        if self.count(keep) < shortest:
            return False
        if check and _verbless(self.render(keep)):
            return False
        self.keep = keep
        return True

    def kept_text(self) -> tuple[str, list[int]]:
        """The kept words joined, with each character's position in the sentence (-1 for joins)."""
        parts: list[str] = []
        where: list[int] = []
        for i, (s, e) in enumerate(self.tokens):
            if not self.keep[i]:
                continue
            if parts:
                parts.append(" ")
                where.append(-1)
            parts.append(self.sentence[s:e])
            where.extend(range(s, e))
        return "".join(parts), where

    def spans(self, pattern: re.Pattern[str]) -> Iterator[Span]:
        """Matches of ``pattern`` over the kept words, as spans of the sentence."""
        text, where = self.kept_text()
        for match in pattern.finditer(text):
            if match.end() <= match.start():
                continue
            positions = [p for p in where[match.start() : match.end()] if p >= 0]
            if positions:
                yield positions[0], positions[-1] + 1

    def render(self, keep: list[bool] | None = None) -> str:
        keep = keep if keep is not None else self.keep
        kept = [i for i, k in enumerate(keep) if k]
        words: list[str] = []
        for n, i in enumerate(kept):
            s, e = self.tokens[i]
            cs, ce = self.cores[i]
            text = self.sentence[s:e]
            lead, tail = self.sentence[s:cs], self.sentence[ce:e]
            word = self.sentence[cs:ce]
            follows = n + 1 < len(kept) and kept[n + 1] == i + 1
            precedes = n > 0 and kept[n - 1] == i - 1
            if not precedes:
                lead = lead.lstrip(",;:-–—_.")
            if not follows:
                tail = tail.rstrip(",;:-–—_")
            text = lead + word + tail
            words.append(text)
        out = " ".join(words).strip()
        out = re.sub(r"[\s,;:.…]+$", "", out)
        out = re.sub(r"[,;:]+(?=[”\"’']$)", "", out)
        return _balance(out)


def headline(sentence: str, *, max_words: int = 12) -> str:
    """A headline of at most about ``max_words`` words made from ``sentence`` by deleting words only."""
    draft = _Draft(sentence)
    if not any(draft.keep):
        return sentence.strip()[:1].upper() + sentence.strip()[1:]
    _shorten(draft, max_words)
    return _finish(draft, sentence)


def _shorten(draft: _Draft, max_words: int) -> None:
    """The deletions every headline gets, then those that bring it to ``max_words``."""
    for step in _ALWAYS:
        step(draft)
    for shorten in _WHILE_LONG:
        if draft.count() <= max_words:
            break
        shorten(draft, max_words)
    if draft.count() > max_words:
        _cut(draft, max_words)
    _initial_article(draft)


def distinct_headline(sentence: str, text: str, *, max_words: int = 12) -> str:
    """:func:`headline`, deleting further when it would repeat the start of ``text`` (the point it heads).

    A headline that repeats its text is the sentence's first words: nothing inside them went, only the tail
    was cut. So one more deletion is made inside the sentence *before* the cut to length, where it shows: a
    sentence-initial determiner or opener ("Instead", "First,"), a leading adverbial or subordinate clause, a
    hedge-free adverb ("aggressively pushed"), an intensifier, an auxiliary, an article, a long speaker's
    "said", a phrase between commas, dashes or brackets, a relative clause, examples in the subject ("groups
    like ... have"), a participle phrase in the subject ("photographs showing ... were"). The first single
    deletion that gives a headline with a verb, not repeating the start, is taken; when none does, the
    headline is returned as it is (it may then repeat the start)."""
    result = headline(sentence, max_words=max_words)
    if not repeats_start(result, text):
        return result
    # The deletion is tried on the sentence as every headline has it (then shortened as usual), then on the
    # sentence already shortened to about the length (then only cut).
    first = _Draft(sentence)
    if not any(first.keep):
        return result
    for step in _ALWAYS:
        step(first)
    shortened = first.copy()
    _fit(shortened, max_words, cut=False)
    for base in (first, shortened):
        for pattern, numbers in _DISTINCT:
            for span in list(base.spans(pattern)):
                draft = base.copy()
                if not draft.delete(span, shortest=MIN_WORDS, numbers=numbers):
                    continue
                if pattern in _SUBJECT_PHRASES and not _subject_only(sentence[: span[0]]):
                    continue
                _fit(draft, max_words)
                candidate = _finish(draft, sentence)
                if not repeats_start(candidate, text) and not _verbless(candidate):
                    return candidate
    return result


def _fit(draft: _Draft, max_words: int, *, cut: bool = True) -> None:
    """The deletions that bring a headline to ``max_words`` (and, with ``cut``, the cut and the article)."""
    for shorten in _WHILE_LONG:
        if draft.count() <= max_words:
            break
        shorten(draft, max_words)
    if cut:
        if draft.count() > max_words:
            _cut(draft, max_words)
        _initial_article(draft)


def _subject_only(before: str) -> bool:
    """Whether the words before a deletion inside a subject (examples, a participle phrase) are a noun phrase:
    two or more words, none a verb, not ending on a function word."""
    words = [w.strip(_EDGE) for w in before.split()]
    if len(words) < 2 or words[-1].lower() in _DANGLING:
        return False
    return not any(w.lower() in _SUBJECT_VERBS or (w.islower() and w.endswith("ed")) for w in words)


def repeats_start(headline: str, text: str) -> bool:
    """Whether the headline is the start of ``text`` word for word (its first letter may be capitalised)."""
    head, text = headline.strip().rstrip(".…,;:"), text.strip()
    return bool(head) and text[:1].lower() == head[:1].lower() and text[1 : len(head)] == head[1:]


def is_deletion(headline: str, sentence: str) -> bool:
    """Whether the headline's words are a subsequence of the sentence's words (punctuation attached to a word
    and the case of a word's first letter aside)."""
    wanted = _normal_words(headline)
    if not wanted:
        return False
    position = 0
    have = _normal_words(sentence)
    for word in wanted:
        while position < len(have) and have[position] != word:
            position += 1
        if position == len(have):
            return False
        position += 1
    return True


def _normal_words(text: str) -> list[str]:
    out = []
    for token in text.split():
        word = token.strip(_EDGE)
        if word:
            out.append(word[:1].lower() + word[1:])
    return out


def _core(sentence: str, start: int, end: int) -> Span:
    text = sentence[start:end]
    stripped = text.strip(_EDGE)
    if not stripped:
        return start, end
    offset = text.index(stripped)
    return start + offset, start + offset + len(stripped)


def _protected(word: str, *, numbers: bool = False) -> bool:
    lower = word.lower().strip(_EDGE)
    negation = lower in _NEGATION or lower.endswith(("n't", "n’t"))
    number = any(c.isdigit() for c in word) or lower in _NUMBER_WORDS or lower.rstrip("s") in _NUMBER_WORDS
    return negation or (number and not numbers)


def _balance(text: str) -> str:
    """Drop quotation marks and brackets left without their partner by a deletion."""
    if text.count('"') % 2 or text.count("“") != text.count("”"):
        text = re.sub(r"[\"“”]", "", text)
    if text.count("(") != text.count(")"):
        text = re.sub(r"[()]", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _finish(draft: _Draft, sentence: str) -> str:
    text = draft.render()
    if not text:
        text = sentence.strip()
    return text[:1].upper() + text[1:]


# --- the deletions ------------------------------------------------------------------------------------------


def _claim(draft: _Draft) -> None:
    credit = credit_end(draft.sentence)
    if credit > 0 and len(draft.sentence[credit:].split()) >= 5:
        draft.delete((0, credit), check=False, numbers=True)
    for span in draft.spans(_STAMP):
        draft.delete(span, check=False, numbers=True)
    start, end = claim_span(draft.sentence, drop_trailing_attribution=True)
    if start > 0:
        draft.delete((0, start), check=False, numbers=True)
    if end < len(draft.sentence):
        draft.delete((end, len(draft.sentence)), check=False)


def _attribution(draft: _Draft) -> None:
    for pattern in (_LEADING_SAY, _INNER_SAY, _SPEECH_VERB):
        for span in list(draft.spans(pattern)):
            draft.delete(span)


def _time(draft: _Draft) -> None:
    for span in list(draft.spans(_TIME)):
        draft.delete(span)


def _initial_article(draft: _Draft) -> None:
    for span in draft.spans(_INITIAL_ARTICLE):
        draft.delete(span)
        break


_ALWAYS: list[Callable[[_Draft], None]] = [_claim, _attribution, _time, _initial_article]


def _leading(draft: _Draft, max_words: int) -> None:
    for pattern in (_LEADING_ADVERBIAL, _LEADING_SUBORDINATE):
        for span in draft.spans(pattern):
            draft.delete(span, numbers=True)
            break


def _each(pattern: re.Pattern[str]) -> Callable[[_Draft, int], None]:
    def step(draft: _Draft, max_words: int) -> None:
        for span in list(draft.spans(pattern)):
            if draft.count() <= max_words:
                return
            draft.delete(span)

    return step


def _tail(pattern: re.Pattern[str]) -> Callable[[_Draft, int], None]:
    """Delete the sentence's tail from ``pattern``'s match, the shortest tail first, until the headline fits."""

    def step(draft: _Draft, max_words: int) -> None:
        for _ in range(8):
            if draft.count() <= max_words:
                return
            text, where = draft.kept_text()
            starts = sorted({m.start() for m in _overlapping(pattern, text)}, reverse=True)
            done = False
            for start in starts:
                positions = [p for p in where[start:] if p >= 0]
                if positions and draft.delete((positions[0], positions[-1] + 1), shortest=5):
                    done = True
                    break
            if not done:
                return

    return step


def _overlapping(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    position = 0
    while True:
        match = pattern.search(text, position)
        if match is None:
            return
        yield match
        position = match.start() + 1


_WHILE_LONG: list[Callable[[_Draft, int], None]] = [
    _leading,
    _each(_PARENTHESIS),
    _each(_DASHES),
    _each(_APPOSITIVE),
    _each(_RELATIVE),
    _each(_ADVERB),
    _each(_AUXILIARY),
    _tail(_TRAILING),
    _each(_ARTICLE),
    _tail(_PREPOSITION),
]


def _cut(draft: _Draft, max_words: int) -> None:
    """Keep the first ``max_words`` kept words or fewer: up to the last clause boundary (a comma, a dash)
    when that leaves six words, else before the last function word, else less any that may not end it."""
    kept = [i for i, k in enumerate(draft.keep) if k]
    sentence = draft.sentence
    boundaries = [
        n + 1
        for n in range(5, max_words)
        if sentence[draft.cores[kept[n]][1] : draft.tokens[kept[n]][1]][:1] in {",", ";", ":"}
    ]
    before_function = [n for n in range(6, max_words + 1) if draft.word(kept[n]).lower() in _DANGLING]
    # The preferred cut first; one that would leave no verb (a subject cut before it: "The SEC's investigation
    # of Fannie Mae and Freddie Mac") gives way to the next, and the first stays when every cut would.
    choices = boundaries[-1:] + before_function[::-1] + [max_words]
    ends = []
    for choice in choices:
        while choice > MIN_WORDS and draft.word(kept[choice - 1]).lower() in _DANGLING:
            choice -= 1
        ends.append(choice)
    last = next((end for end in ends if not _verbless(_kept_words(draft, kept[:end]))), ends[0])
    for i in kept[last:]:
        draft.keep[i] = False


def _kept_words(draft: _Draft, indexes: list[int]) -> str:
    return " ".join(draft.word(i) for i in indexes)


# The deletions against a headline that repeats its text, in order, and whether they may take a number with them.
_SUBJECT_PHRASES = (_EXAMPLES, _PARTICIPLE)
_SUBJECT_VERBS = set(
    "am are be been being can could did do does had has have is may might must shall should was were will would "
    "said says say told".split()
)
_DISTINCT: list[tuple[re.Pattern[str], bool]] = [
    (re.compile(r"^(?:The|A|An|the|a|an)\s+"), False),
    (_OPENER, True),
    (_LEADING_ADVERBIAL, True),
    (_LEADING_SUBORDINATE, True),
    (_LONG_SPEAKER_SAY, False),
    (_ADVERB, False),
    (_LY_ADVERB, False),
    (_INTENSIFIER, False),
    (_AUXILIARY, False),
    (_ARTICLE, False),
    (_HONORIFIC, False),
    (_THAT, False),
    (_COMMA_ADVERB, False),
    (_PARENTHESIS, True),
    (_DASHES, True),
    (_APPOSITIVE, False),
    (_LONG_APPOSITIVE, True),
    (_RELATIVE, True),
    (_EXAMPLES, False),
    (_PARTICIPLE, False),
    (_ANY_ARTICLE, False),
]
