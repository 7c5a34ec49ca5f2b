"""Agreement: whether a sentence that says nearly the same thing as a point says it the other way.

Key points count as support the closest sentence of every other family; two sentences about one matter can
still disagree ("services resumed on Monday" against "services remain suspended"). ``contradiction`` tells
the kind of disagreement, checked only on sentences already known to be about the same matter:

- polarity: one sentence negates a predicate the other asserts (a negation cue, "not", "never", "n't",
  "failed to", "unable to", reaching the first content word after it, never a name), or the two use verbs
  of opposite state from a small lexicon of general antonym classes (resume/suspend, open/close,
  lift/impose, approve/reject, ...), a forecast ("could rise") being no state,
  with a negation flipping the verb's pole ("did not resume" is on the side of "suspended");
- figure: the same quantity (dimension and noun, in the same context: "passengers were stranded at")
  given values that differ after conversion ("2,000" and "2000" are the same figure).

Both checks need the two sentences to share the subject of the disputed word (a content word in the few
words before it), so "Vell won" and "Orsk lost" agree. Dates are not compared here: different day dates for
one event are the date discrepancies of ``discrepancies.py``, checked over the whole story.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from newsdesk.analyse.quantities import Quantity, same_value
from newsdesk.analyse.tokens import STOPWORDS, fold_word, stem
from newsdesk.records import Citation, Claim, Discrepancy
from newsdesk.write.compress import headline_text
from newsdesk.write.units import Unit, quantities_of

if TYPE_CHECKING:
    from newsdesk.write.keypoints import Point

__all__ = ["Conflict", "conflict", "contradiction", "contradiction_discrepancies"]

# Opposite states or changes: each class has two poles of light stems (see ``_base``). Only general
# classes, none for one story; a sentence using both poles of a class ("resumed after being suspended")
# says nothing about that class.
ANTONYMS: tuple[tuple[frozenset[str], frozenset[str]], ...] = tuple(
    (frozenset(on.split()), frozenset(off.split()))
    for on, off in (
        ("resum restart reopen restor", "suspend suspension halt stop cancel"),
        ("open reopen", "clos closure shut"),
        ("lift scrap", "impos reimpos"),
        ("accept approv endors ratif", "reject veto block refus"),
        ("confirm admit acknowledg", "deny deni refut"),
        ("ris rose risen increas climb soar", "fall fell fallen drop decreas plung slump"),
        ("win won", "los lost"),
        ("releas freed", "detain arrest jail imprison"),
        ("convict", "acquit"),
        ("surviv aliv", "die dead kill"),
    )
)
_POLE: dict[str, list[tuple[int, int]]] = {}
for _number, _poles_of in enumerate(ANTONYMS):
    for _pole, _group in enumerate(_poles_of):
        for _word in _group:
            _POLE.setdefault(_word, []).append((_number, _pole))
# A negation and how far (in words) it reaches; "failed to", "denied" and "refused to" negate what follows.
_CUES = frozenset("not no never without cannot".split())
_CUE_PAIRS = frozenset({("failed", "to"), ("fails", "to"), ("refused", "to"), ("yet", "to"), ("unable", "to")})
_CUE_WORDS: frozenset[str] = frozenset()  # "denied" is a pole of confirm/deny: "denies the charge" is "accused of" it
# A forecast is not a state: "prices could rise" says nothing against "prices fell".
_MODALS = frozenset("could would may might should expected likely set".split())
_NOT_NEGATION = frozenset({("not", "only"), ("no", "doubt"), ("not", "least"), ("no", "matter")})
SCOPE = 4  # words a negation reaches
SUBJECT = 8  # words before a disputed word where its subject is looked for
CONTEXT = 4  # words either side of a figure that tell what it counts
# Words of that context two figures must share: what is counted and what happened to it ("passengers ...
# stranded at the harbour"); one shared word ("the crews want a 7 per cent rise", "gives the crews 5") is not.
FIGURE_CONTEXT = 2
STAT_LINE = 3  # a sentence of this many figures is a line of statistics, not compared
_TOKEN = re.compile(r"\w+(?:['’]\w+)*|[,;:.!?()\"“”]")
_BREAK = frozenset(';:.!?()"“”')


@dataclass(frozen=True)
class Conflict:
    """How two sentences disagree: the kind and the words of each side as written."""

    kind: str  # polarity | figure
    said: str  # the point's words ("resumed")
    against: str  # the other sentence's words ("remain suspended")


class _Token(NamedTuple):  # a tuple: a page reads tens of thousands of tokens
    word: str  # folded
    base: str  # the light stem matched against the lexicon
    start: int
    end: int
    clause: int  # tokens of one clause share this number
    negated: bool


@dataclass(frozen=True)
class _Reading:
    text: str
    tokens: tuple[_Token, ...]
    quantities: tuple[Quantity, ...]
    # Worked out once per sentence (readings are cached), not once per pair compared:
    poles: dict[int, list[tuple[int, int]]] = field(compare=False, repr=False)  # see ``_poles``
    uses: dict[str, list[int]] = field(compare=False, repr=False)  # token indexes of each content stem
    negations: dict[str, frozenset[bool]] = field(compare=False, repr=False)  # negated in its uses or not


def contradiction(point: Unit | str, other: Unit | str) -> str | None:
    """The kind of contradiction between two sentences about the same matter ("polarity", "figure"), or None."""
    found = conflict(point, other)
    return found.kind if found else None


def conflict(point: Unit | str, other: Unit | str) -> Conflict | None:
    first = point.text if isinstance(point, Unit) else point
    second = other.text if isinstance(other, Unit) else other
    glance_a, glance_b = _glance(first), _glance(second)
    shared_class = bool(glance_a.classes & glance_b.classes)
    figures = bool(glance_a.quantities and glance_b.quantities)
    if not (shared_class or glance_a.cue or glance_b.cue or figures):
        return None  # no shared antonym class, no negation, no figure on both sides: nothing to contradict
    a, b = _read(first), _read(second)
    return _polarity(a, b) or _figure(a, b)


class _Glance(NamedTuple):
    """What a sentence could contradict another with, found cheaply: a pair with none of it needs no reading."""

    classes: frozenset[int]  # the antonym classes its words belong to (before modals are set aside)
    cue: bool  # whether it has a negation cue (without one no word of it is negated)
    quantities: tuple[Quantity, ...]  # its figures, none for a line of statistics (as ``_Reading``)


_CUE_FIRST = frozenset(first for first, _ in _CUE_PAIRS)
_CUE_ANY = _CUES | _CUE_FIRST | _CUE_WORDS


@functools.lru_cache(maxsize=4096)
def _glance(text: str) -> _Glance:
    folds = _TOKEN.findall(text.lower()) if text.isascii() else [fold_word(word) for word in _TOKEN.findall(text)]
    distinct = set(folds)  # classes and cues are sets: each distinct word is looked at once
    classes = frozenset(number for f in distinct for number, _ in (_POLE.get(_base(f)) or _POLE.get(f) or ()))
    cue = not distinct.isdisjoint(_CUE_ANY) or any(f.endswith(("n't", "n’t")) for f in distinct)
    quantities = quantities_of(text)
    return _Glance(classes, cue, quantities if len(quantities) < STAT_LINE else ())


@functools.lru_cache(maxsize=1 << 16)
def _base(word: str) -> str:
    """A light stem without a final "e" or a doubled consonant: "stopped", "stops" and "stop" give "stop"."""
    base = stem(word)
    if base.endswith("e") and len(base) > 3:
        base = base[:-1]
    if len(base) > 3 and base[-1] == base[-2] and base[-1] not in "aeiousl":
        base = base[:-1]
    return base


@functools.lru_cache(maxsize=4096)
def _read(text: str) -> _Reading:
    raw = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    # Each token folded once ("" after the last); an ASCII text folds by lower-casing, all of it at once.
    folds = _TOKEN.findall(text.lower()) if text.isascii() else [fold_word(word) for word, _, _ in raw]
    folds.append("")
    tokens: list[_Token] = []
    clause = 0
    reach = 0  # words the current negation still covers
    for i, (word, start, end) in enumerate(raw):
        if word in _BREAK or word == ",":
            clause += word in _BREAK
            reach = 0
            continue
        folded = folds[i]
        following = folds[i + 1]
        cue = (
            ((folded in _CUES or folded.endswith(("n't", "n’t"))) and (folded, following) not in _NOT_NEGATION)
            or (folded, following) in _CUE_PAIRS
            or folded in _CUE_WORDS
        )
        # A negation reaches the predicate: the first content word after it (past an adverb), never a name.
        content = folded not in STOPWORDS and not cue
        negated = reach > 0 and content and word[:1].islower()
        tokens.append(_Token(folded, _base(folded), start, end, clause, negated))
        if cue:
            reach = SCOPE + (1 if (folded, following) in _CUE_PAIRS else 0)
        elif content:
            reach = reach if folded.endswith("ly") and reach else 0
        elif reach:
            reach -= 1
    uses: dict[str, list[int]] = {}
    for index, token in enumerate(tokens):
        word = token.word
        if word not in STOPWORDS and len(word) > 2 and not word.isdigit():  # ``_content``
            uses.setdefault(token.base, []).append(index)
    negations = {base: frozenset(tokens[i].negated for i in indexes) for base, indexes in uses.items()}
    return _Reading(text, tuple(tokens), _glance(text).quantities, _poles(tokens), uses, negations)


def _content(token: _Token) -> bool:
    return token.word not in STOPWORDS and len(token.word) > 2 and not token.word.isdigit()


def _subject(reading: _Reading, index: int) -> set[str]:
    """Content stems in the words before token ``index`` (its subject and what it is about)."""
    before = reading.tokens[max(0, index - SUBJECT) : index]
    return {stem(t.word) for t in before if _content(t) and t.base not in _POLE}


def _shown(reading: _Reading, index: int) -> str:
    """The disputed word as written, with the negation or auxiliary before it ("remain suspended")."""
    token = reading.tokens[index]
    first = index
    for j in range(index - 1, max(-1, index - SCOPE - 1), -1):
        previous = reading.tokens[j]
        if previous.clause != token.clause:
            break
        if not previous.negated and (
            previous.word in _CUES or previous.word.endswith(("n't", "n’t")) or previous.word in _CUE_WORDS
        ):
            first = j
            break
    if first == index and index > 0:
        previous = reading.tokens[index - 1]
        if previous.clause == token.clause and reading.text[previous.start].islower():  # not a name
            first = index - 1
    return reading.text[reading.tokens[first].start : token.end]


def _poles(tokens: Sequence[_Token]) -> dict[int, list[tuple[int, int]]]:
    """For every antonym class the sentence uses: (pole after negation, token index) of each use."""
    found: dict[int, list[tuple[int, int]]] = {}
    for index, token in enumerate(tokens):
        classes = _POLE.get(token.base) or _POLE.get(token.word)
        if not classes or any(t.word in _MODALS for t in tokens[max(0, index - 2) : index]):
            continue
        for number, pole in classes:
            found.setdefault(number, []).append((pole ^ token.negated, index))
    return found


def _polarity(a: _Reading, b: _Reading) -> Conflict | None:
    # Opposite verbs of one class (a negation flips a verb to the other pole).
    poles_a, poles_b = a.poles, b.poles
    for number in poles_a.keys() & poles_b.keys():
        sides_a = {pole for pole, _ in poles_a[number]}
        sides_b = {pole for pole, _ in poles_b[number]}
        if len(sides_a) != 1 or len(sides_b) != 1 or sides_a == sides_b:
            continue
        i, j = poles_a[number][0][1], poles_b[number][0][1]
        if _subject(a, i) & _subject(b, j):
            return Conflict("polarity", _shown(a, i), _shown(b, j))
    # One sentence negates a word the other asserts.
    stems_a = a.uses
    for j, token in enumerate(b.tokens):
        if token.base not in stems_a or token.base in _POLE or not _content(token):
            continue  # lexicon words were compared by their poles above
        negations_a = a.negations[token.base]
        negations_b = b.negations[token.base]
        if len(negations_a) != 1 or len(negations_b) != 1 or negations_a == negations_b:
            continue
        i = stems_a[token.base][0]
        if _subject(a, i) & _subject(b, j) - {token.base}:
            return Conflict("polarity", _shown(a, i), _shown(b, j))
    return None


def _figure(a: _Reading, b: _Reading) -> Conflict | None:
    """The same quantity, counted in the same context, given different values."""
    for first in a.quantities:
        if not first.noun:
            continue
        others = [q for q in b.quantities if q.key == first.key]
        if not others or any(same_value(first, q) for q in others):
            continue
        if any(same_value(q, o) for q in a.quantities if q.key == first.key for o in others):
            continue  # the sentence gives both values
        around = _around(a, first)
        for second in others:
            if len(around & _around(b, second)) >= FIGURE_CONTEXT:
                return Conflict("figure", first.text, second.text)
    return None


def _around(reading: _Reading, quantity: Quantity) -> set[str]:
    """Content stems of the few words before a figure and after its noun (what is counted and what happened)."""
    tokens = reading.tokens
    before = [t for t in tokens if t.end <= quantity.start][-CONTEXT:]
    after = [t for t in tokens if t.start >= quantity.end]
    if after and quantity.noun and stem(after[0].word).startswith(quantity.noun[:4]):
        after = after[1:]
    words = before + after[:CONTEXT]
    return {t.base for t in words if _content(t) and t.base != quantity.noun and not any(c.isdigit() for c in t.word)}


def contradiction_discrepancies(points: Sequence[Point], existing: Sequence[Discrepancy] = ()) -> list[Discrepancy]:
    """One discrepancy per point and kind of contradiction: the point (with its support) on one side, each
    way the contradicting sentences put it on the others. A pair of sentences an ``existing`` discrepancy
    already sets against each other (a figure or a date) is not flagged twice."""
    flagged = {_key(a, b) for d in existing for i, x in enumerate(d.claims) for y in d.claims[i + 1 :]
               for a in x.citations for b in y.citations}  # fmt: skip
    found: list[Discrepancy] = []
    seen: set[tuple[tuple[str, int], tuple[str, int]]] = set()
    for point in points:
        by_kind: dict[str, list[tuple[Unit, Unit, Conflict]]] = {}
        for own, other, found_conflict in point.contradicted:
            pair = _key(own.citation, other.citation)
            if pair in flagged or pair in seen:
                continue
            seen.add(pair)
            by_kind.setdefault(found_conflict.kind, []).append((own, other, found_conflict))
        for kind, conflicts in by_kind.items():
            own = conflicts[0][0]
            said = conflicts[0][2].said
            claims = [Claim(f"“{said}”", _cited([own, *point.support]))]
            ways: dict[str, list[Unit]] = {}
            for _, other, item in conflicts:
                ways.setdefault(item.against, []).append(other)
            claims += [Claim(f"“{words}”", _cited(units)) for words, units in ways.items()]
            shown_kind = "number" if kind == "figure" else kind  # as the figures of discrepancies.py
            found.append(Discrepancy(about=headline_text(own.text), claims=tuple(claims), kind=shown_kind))
    return found


def _key(a: Citation, b: Citation) -> tuple[tuple[str, int], tuple[str, int]]:
    first, second = sorted(((a.article, a.start), (b.article, b.start)))
    return first, second


def _cited(units: Sequence[Unit]) -> tuple[Citation, ...]:
    seen: dict[tuple[str, int], Citation] = {}
    for unit in units:
        seen.setdefault((unit.article.id, unit.start), unit.citation)
    return tuple(seen.values())
