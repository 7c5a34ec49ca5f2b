"""The outlet an article credits itself to in its own text, when its metadata names none.

Wire and broadcast copy carries its outlet in the opening credit, in forms that do not depend on the
outlet: ``(CNN) -- ...``, ``RAS LANUF, Libya (Reuters) - ...``, ``TRIPOLI, Libya (AP) _ ...``, and the
byline ``By the CNN Wire Staff``. Only the opening of the body is read, and a parenthesised name
counts as a credit only where a credit stands (at the start of a line or sentence, after a dateline,
or before a double dash) and before a sentence that starts as sentences do: "the Disasters Emergency
Committee (DEC) - an umbrella group" is an abbreviation, not a credit.
"""

from __future__ import annotations

import re

__all__ = ["credit_end", "outlet_from_text"]

# How far into the body a credit may stand (a dateline block such as "NEW YORK | Mon Sep 26, 2011
# 6:19 am BST NEW YORK (Reuters Health) -" comes before it).
_HEAD = 400

_NAME = r"[A-Z][A-Za-z&.'’]*(?:[ -][A-Z][A-Za-z&.'’]*){0,3}"
_CREDIT = re.compile(rf"\((?P<outlet>{_NAME})\)\s*(?P<dash>--|—|–|-|_)\s+(?P<next>\S)")
_STAFF = re.compile(r"\bBy (?:the )?(?P<outlet>[A-Z][A-Za-z&.]*(?: [A-Z][A-Za-z&.]*){0,2}?)(?: Wire)? Staff\b")
# What may stand right before a credit: nothing (start of a line or sentence) or a dateline of
# capitalised words and numbers ("WASHINGTON", "RAS LANUF, Libya", "MEXICO CITY, April 24", "Washington").
_START = re.compile(r"(?:^|[.!?\n|)]\s*)$")
_DATELINE = re.compile(r"(?:^|\s)[A-Z][\w'’./\\-]*(?:,? [A-Z0-9][\w'’./\\-]*){0,4},?\s*$")


def outlet_from_text(body: str) -> str | None:
    """The outlet named by the body's opening credit or staff byline, or None."""
    found = _credit(body)
    return found[0] if found else None


def credit_end(body: str) -> int:
    """Where the body's text begins after its opening credit (and the dateline before it); 0 without one."""
    found = _credit(body)
    return found[1] if found else 0


def _credit(body: str) -> tuple[str, int] | None:
    head = body[:_HEAD]
    for match in _CREDIT.finditer(head):
        before = head[: match.start()]
        # What follows a credit is the story's first sentence: "an umbrella group" follows an abbreviation.
        following = match.group("next")[0]
        opens = following.isupper() or following.isdigit() or following in "\"“'‘"
        if opens and (match.group("dash") == "--" or _START.search(before) or _DATELINE.search(before[-60:])):
            return match.group("outlet").strip(), match.start("next")
    staff = _STAFF.search(head)
    if staff:
        return staff.group("outlet").strip(), staff.end()
    return None
