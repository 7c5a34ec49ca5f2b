"""Which way a clause points in time: the tense and modality around a temporal expression.

A year-less "in November" or a bare "on Tuesday" is resolved in the direction the clause's verb
points: back for "Petro ordered a pause in November", ahead for "the vote will be held in November".
The nearest marker to the expression decides; commas count as distance, so a marker in the same
clause outweighs one across a comma. The markers are words, not a parser: past forms (regular
``-ed`` forms and a list of irregular ones, "ago", "since"), future and modal forms ("will",
"is set to", "is scheduled", "could"), and present auxiliaries that make a clause neutral.
"""

from __future__ import annotations

import re
from typing import Literal

from newsdesk.analyse.temporal.calendar import Direction

Marker = Literal["past", "future", "present"]

_WINDOW = 240  # characters looked at on each side of the expression
_REACH = 24  # farthest marker considered, in tokens (commas count extra)
_COMMA_COST = 3
# Words that open what a reporting verb reports: "said (that) it would", "told them of", "announced plans to".
_REPORTED_OPENERS = frozenset("that it he she they we i of to".split())

_BOUNDARY = re.compile(r"[!?;:“”\"\n]|(?<=[a-z]{3})\.\s|[.!?][\"'”’]?\s+(?=[\"'“‘]?[A-Z])")
# Words, but not the "am" of "6am" or the "ended" of "open-ended" (the tail of a compound is no verb).
_TOKEN = re.compile(r"(?<![\d-])[A-Za-z]+(?:['’][a-z]+)?|,")

_IRREGULAR_PAST = frozenset(
    (
        "was were had did said told met made took gave went came began became fell rose saw left held won lost "
        "led sent spent built brought bought caught fought thought found got kept knew paid ran sold stood struck "
        "threw wrote spoke broke chose drove flew grew shot slept stole swore taught tore understood woke withdrew "
        "overthrew sought meant felt heard laid hung sank rang sang swam arose forbade forgave froze hid slid spun "
        "stuck swept swung wept drew dealt fled bled bent bound clung crept dug mistook overcame undertook upheld "
        "withheld rebuilt retook rode shook shone strode wore wove ago previously formerly since didn't wasn't "
        "weren't hadn't been"
    ).split()
)
_PAST_ONLY = frozenset("was were had did ago previously formerly since didn't wasn't weren't hadn't".split())
_FUTURE = frozenset(
    "will shall won't 'll upcoming forthcoming tomorrow could might may would wouldn't couldn't".split()
)
_FUTURE_BEFORE_TO = frozenset(
    "going set due expected scheduled slated planned plans plan aims intends hopes ready poised about likely".split()
)
_FUTURE_ALWAYS = frozenset("scheduled slated".split())
_PRESENT = frozenset("is are am isn't aren't says say does do has have remains remain".split())
_PASSIVE_AUX = frozenset("is are be being am will to 's".split())
_NOT_VERBS = frozenset(
    (
        "alleged armed based related united advanced detailed limited experienced concerned interested supposed "
        "called named skilled talented dedicated sophisticated complicated educated organized organised mixed "
        "fixed tired married retired aged beloved learned need seed speed feed bed red shed bred wed hundred "
        "naked sacred wicked kindred embed proceed exceed succeed indeed breed greed weed deed steed creed "
        "biased coloured colored disabled displaced elected embattled besieged beleaguered wounded injured "
        "unprecedented unexpected unarmed detained red-handed preferred"
    ).split()
)
# Verbs that ask for, agree on or fix something still to come. In the present perfect ("has invited both
# sides to talks on Friday", "have been asked to attend talks on Friday") the request is fresh and the date
# after its "to" lies ahead; in the simple past ("met on Thursday and agreed to return to work on Friday")
# the date may be past too, so the past stands.
_ASKING = frozenset(
    "asked invited called urged summoned agreed decided ordered arranged scheduled set told instructed "
    "requested voted promised pledged vowed threatened planned offered".split()
)
_REPORTING = frozenset("said says told added announced reported confirmed stated noted explained".split())
_PERFECT = frozenset("has have 've been".split())
_CONDITIONAL = frozenset("if unless".split())
_DETERMINERS = frozenset("the a an its his her their our this that these those".split())
# Phrases right before an expression that make it a plan: "scheduled for May", "ahead of Tuesday's visit".
_PLANNED_BEFORE = re.compile(
    r"(?:\b(?:scheduled|slated|set|planned|due|penciled|pencilled|timed)\s+(?:for|on|in)|\bahead\s+of)"
    r"\s+(?:the\s+|next\s+|this\s+|early\s+|late\s+|mid-)?$",
    re.IGNORECASE,
)


# Words right before an expression that make it a term still to run, whatever the tense of the report:
# "payable Dec. 7", "effective Feb. 1", "of record Nov. 22", "expires in May".
_FORWARD_BEFORE = re.compile(
    r"\b(?:payable|effective|due|(?:of|on)\s+record|expir(?:e|es|ing))\s+(?:on\s+|in\s+)?(?:the\s+)?"
    r"(?:early\s+|late\s+|mid-)?$",
    re.IGNORECASE,
)

# A year-less month or date a term runs to: "extended the offer to Nov. 20", "closed until January",
# "must be returned by Jan. 14",
# "until mid-November" (not "this year through August", a total to date; not weekdays: "the talks lasted
# until Tuesday" is past).
_TERM_BEFORE = re.compile(r"\b(?:extended(?:\s+\w+){0,2}\s+to|until|till|[Bb]y)\s+(?:early\s+|late\s+|mid-?)?$")
_PAST_PERFECT_AFTER = re.compile(r"[^.;!?]*\bhad\b")  # "By March 3, the rebels had taken the town"
_MONTH_START = re.compile(
    r"(?:mid-?)?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)|(?:early|late)\s|\d{1,2}(?:st|nd|rd|th)?\s+[A-Z]"
)


def clause_direction(text: str, start: int, end: int) -> Direction:
    """``past``, ``future`` or ``neutral``: where the clause holding ``text[start:end]`` points."""
    left_edge = max(0, start - _WINDOW)
    before = text[left_edge:start]
    if _PLANNED_BEFORE.search(before[-40:]) or _FORWARD_BEFORE.search(before[-30:]):
        return "future"
    if (
        _TERM_BEFORE.search(before[-30:])
        and _MONTH_START.match(text, start)
        and not _PAST_PERFECT_AFTER.match(text, end, end + 120)
    ):
        return "future"
    cuts = list(_BOUNDARY.finditer(before))
    if cuts:
        before = before[cuts[-1].end() :]
    after = text[end : end + _WINDOW]
    cut = _BOUNDARY.search(after)
    if cut:
        after = after[: cut.start()]
    left = _TOKEN.findall(before)
    right = _TOKEN.findall(after)
    best: tuple[tuple[int, int], Marker] | None = None
    for side, tokens in ((1, list(reversed(left))), (0, right)):
        distance = 0
        passed_to = False  # walking leftwards, a "to" lies between the marker and the expression
        passed_comma = False
        opened = False  # walking leftwards, a reported clause begins between the marker and the expression
        for index, token in enumerate(tokens):
            if token == ",":
                distance += _COMMA_COST
                passed_comma = True
                continue
            distance += 1
            passed_to = passed_to or (side == 1 and token.lower() == "to")
            if distance > _REACH:
                break
            if side:  # walking leftwards: the neighbours of tokens[index] are reversed
                previous = tokens[index + 1] if index + 1 < len(tokens) else ""
                following = tokens[index - 1] if index > 0 else ""
            else:
                previous = tokens[index - 1] if index > 0 else (left[-1] if left else "")
                following = tokens[index + 1] if index + 1 < len(tokens) else ""
            if side == 0 and passed_comma and token.lower() in _REPORTING:
                continue  # "... talks on Friday, the union said.": the attribution does not date the talks
            if side == 1 and token.lower() in _REPORTING and opened:
                # "said it would cut supply in September", "told companies of a cut in September": the
                # report is past, what it reports need not be; "told customers on Tuesday" is the telling's.
                continue
            opened = opened or (side == 1 and token.lower() in _REPORTED_OPENERS)
            marker = _marker(token, previous, following)
            if marker is None:
                continue
            if marker == "past" and passed_to and token.lower() in _ASKING and previous.lower() in _PERFECT:
                marker = "future"
            key = (distance, -side)  # ties go to the left: "said on Thursday it would ..."
            if best is None or key < best[0]:
                best = (key, marker)
            break
    if best is None or best[1] == "present":
        # A condition in the present points ahead: "If the gates close on Monday, ...".
        clause = list(reversed(left))
        clause = clause[: clause.index(",")] if "," in clause else clause
        return "future" if any(t.lower() in _CONDITIONAL for t in clause) else "neutral"
    return best[1]


def _marker(token: str, previous: str, following: str) -> Marker | None:
    lowered = token.lower().replace("’", "'")
    previous = previous.lower()
    following = following.lower()
    known = lowered in _FUTURE or lowered in _IRREGULAR_PAST or lowered in _PRESENT
    if token != lowered and token[0].isupper() and not known:
        return None  # a name: "Ted", "Mohammed"
    if lowered in _FUTURE_ALWAYS:
        return "future"
    if lowered in _FUTURE_BEFORE_TO and following == "to":
        return "future"
    if lowered in ("expected", "planned", "due", "set") and previous in ("is", "are", "be"):
        return "future"
    if lowered in _FUTURE:
        if lowered == "may" and token == "May":
            return None
        return "future"
    if lowered in _IRREGULAR_PAST:
        # "will be paid", "is held", "to be sold": a participle after an auxiliary is no past tense.
        return None if previous in _PASSIVE_AUX and lowered not in _PAST_ONLY else "past"
    if lowered in _PRESENT:
        if lowered in ("has", "have") and (following.endswith("ed") or following in _IRREGULAR_PAST):
            return "past"
        return "present"
    if (
        len(lowered) > 4
        and lowered.endswith("ed")
        and lowered not in _NOT_VERBS
        and previous not in _PASSIVE_AUX
        and previous not in _DETERMINERS
    ):
        return "past"
    return None
