"""Numbers and quantities with units, and what they count or measure.

Sources disagree about figures ("a 1,367 mile (2,200km) border" against "the 2,219-kilometre frontier"), so a
quantity is read with its unit, converted to a base unit of its dimension (km, kg, hectares, US dollars are
not converted between currencies) and tied to the noun it measures ("border"), which is what makes two
figures comparable. Years, dates, times, ordinals and list numbers are not quantities.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from newsdesk.analyse.tokens import STOPWORDS, stem

__all__ = ["Quantity", "find_quantities", "same_value"]

# unit word -> (dimension, factor to the dimension's base unit, canonical unit)
_UNITS: dict[str, tuple[str, float, str]] = {}
for _names, _dimension, _factor, _canonical in (
    ("km kms kilometre kilometres kilometer kilometers", "length", 1.0, "km"),
    ("mi mile miles", "length", 1.609344, "km"),
    ("m metre metres meter meters", "length", 0.001, "km"),
    ("ft foot feet", "length", 0.0003048, "km"),
    ("kg kilogram kilograms kilo kilos", "mass", 1.0, "kg"),
    ("t tonne tonnes ton tons", "mass", 1000.0, "kg"),
    ("lb lbs pound pounds", "mass", 0.45359237, "kg"),
    ("ha hectare hectares", "area", 1.0, "ha"),
    ("acre acres", "area", 0.40468564, "ha"),
    ("sq km", "area", 100.0, "ha"),
    ("% percent per cent", "share", 1.0, "%"),
    ("mph", "speed", 1.609344, "km/h"),
    ("km/h kph", "speed", 1.0, "km/h"),
):
    for _name in _names.split(" ") if _names != "sq km" else ["sq km"]:
        _UNITS[_name] = (_dimension, _factor, _canonical)
_UNITS["per cent"] = _UNITS["percent"]

_SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9, "trillion": 1e12}
_CURRENCIES = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}

_UNIT_WORDS = "|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True))
_QUANTITY = re.compile(
    r"(?<![\w.,/:-])(?P<currency>US\$|\$|€|£|¥)?\s?"
    r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<scale>thousand|million|billion|trillion|mn|bn)\b)?"
    rf"(?:[\s\-‐‑–]?(?P<unit>{_UNIT_WORDS})(?![\w]))?",
    re.IGNORECASE,
)
_MONTH_BEFORE = re.compile(
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s*$|(?:\d{1,2}:\s?)$", re.IGNORECASE
)
_MONTH_AFTER = re.compile(
    r"^(?:st|nd|rd|th)?\s*(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|^(?:st|nd|rd|th)\b|^:\d"
    r"|^s\b|^\s?(?:am|pm|a\.\s?m|p\.\s?m|h|hrs|gmt|utc|bst|cet|e[sd]t|[cp][sd]t|et|pt|local\s+time)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z][\w'’-]*")
# Nouns that measure or count the same thing in news text.
_SYNONYMS = {
    "frontier": "border",
    "boundary": "border",
    "soldier": "troop",
    "personnel": "troop",
    "casualti": "death",
    "dead": "death",
    "fatal": "death",
    "person": "people",
}


@dataclass(frozen=True)
class Quantity:
    """A number as written (``text`` at ``start:end``), its value in the base unit, and what it is about."""

    start: int
    end: int
    text: str
    value: float
    dimension: str  # length | mass | area | share | speed | money:USD | count
    unit: str  # the base unit the value is in ("km", "kg", "" for counts)
    noun: str | None  # the stem of the noun it measures or counts ("border", "troop"), when found
    step: float = 0.0  # the precision of the figure as written, in the base unit ("40 miles": 1.609 km)

    @property
    def key(self) -> tuple[str, str | None]:
        return (self.dimension, self.noun)


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity in ``text`` (a sentence), in order; an equivalent in brackets joins its quantity."""
    found: list[Quantity] = []
    for match in _QUANTITY.finditer(text):
        quantity = _quantity(text, match)
        if quantity is None:
            continue
        if found and _is_equivalent(text, found[-1], quantity):
            # "1,367 mile (2,200km) border": the bracket restates the same figure; keep the first, widened.
            previous = found.pop()
            noun = previous.noun or quantity.noun or _noun_after(text, _after_bracket(text, quantity.end))
            end = _after_bracket(text, quantity.end)
            found.append(
                Quantity(
                    previous.start,
                    end,
                    text[previous.start : end],
                    previous.value,
                    previous.dimension,
                    previous.unit,
                    noun,
                    previous.step,
                )
            )
            continue
        found.append(quantity)
    return found


def same_value(a: Quantity, b: Quantity, tolerance: float = 0.002) -> bool:
    """Whether two quantities of one dimension give the same figure, after conversion.

    Figures within 0.2% agree; so do figures in different units that agree to the precision they are written
    in ("40 miles" is 64.4 km, and "64 kilometres" says the same thing rounded; "1,367 miles" is 2,200 km,
    and "2,219 km" does not).
    """
    if a.dimension != b.dimension:
        return False
    largest = max(abs(a.value), abs(b.value))
    difference = abs(a.value - b.value)
    if largest == 0 or difference / largest <= tolerance:
        return True
    converted = a.step > 0 and b.step > 0 and not math.isclose(a.step, b.step)
    return converted and difference <= max(a.step, b.step) / 2


def _quantity(text: str, match: re.Match[str]) -> Quantity | None:
    number_text = match.group("number")
    currency, scale, unit = match.group("currency"), match.group("scale"), match.group("unit")
    before, after = text[: match.start("number")], text[match.end("number") :]
    if _MONTH_BEFORE.search(before) or (not unit and not scale and _MONTH_AFTER.match(after)):
        return None  # a date or a time of day, not a quantity
    value = float(number_text.replace(",", ""))
    step = 10.0 ** -len(number_text.partition(".")[2])
    bare = not currency and not unit and not scale and "," not in number_text and "." not in number_text
    if bare and (1900 <= value <= 2100 or value < 2):
        return None  # a year, or "1" that is more often an article than a figure
    if bare and (number_text.startswith("0") or len(number_text) >= 5):
        return None  # "0300 GMT", "05", "20130606", "12200 block": codes, clock times, ids and addresses
    if scale:
        value *= _SCALES[scale.lower()]
        step *= _SCALES[scale.lower()]
    end = match.end()
    if unit:
        dimension, factor, canonical = _UNITS[unit.lower()]
        if unit.lower() == "m" and not scale and currency:
            # "5m" is five million in news money, five metres elsewhere: money only after a currency sign.
            dimension, factor, canonical = "money", 1e6, ""
        value *= factor
        step *= factor
    elif currency:
        dimension, canonical = "money", ""
    else:
        dimension, canonical = "count", ""
    if currency:
        dimension = f"money:{_CURRENCIES[currency.lower()]}"
        canonical = _CURRENCIES[currency.lower()]
    if text[end:].startswith(("mn", "bn")):
        return None
    noun = _noun_after(text, end)
    start = match.start("currency") if currency else match.start("number")
    return Quantity(start, end, text[start:end], value, dimension, canonical, noun, step)


def _noun_after(text: str, position: int) -> str | None:
    """The stem of the noun a figure measures: the last of up to three words before a function word."""
    taken: list[str] = []
    written: list[str] = []
    for word in _WORD.finditer(text, position):
        gap = text[position : word.start()]
        if any(c in gap for c in ".,;:!?()") or len(gap) > 3:
            break
        lowered = word.group().lower()
        if lowered == "of" and not taken:
            position = word.end()  # "3,001 tonnes of cocaine"
            continue
        if lowered in STOPWORDS or lowered in {"of", "to", "in", "on", "at", "across", "along", "from"}:
            break
        if taken and lowered.endswith(("ing", "ed", "ally", "ously", "ately")):
            break  # "the 2,219-kilometre frontier following ...": a participle starts the next phrase
        taken.append(lowered)
        written.append(word.group())
        position = word.end()
        if len(taken) == 3:
            break
    if not taken:
        return None
    # After a count the noun is usually the first plural ("6,000 members operate"), else the last word taken.
    plural = next((w for w in taken if w.endswith("s") and not w.endswith("ss")), None)
    chosen = plural or taken[-1]
    if written[taken.index(chosen)][:1].isupper():
        return None  # "the 26 Williams ...", "38 Paris": a name follows the figure, not what it counts
    head = stem(re.sub(r"['’]s$", "", chosen))
    return _SYNONYMS.get(head, head)


def _after_bracket(text: str, position: int) -> int:
    closing = re.match(r"\s*\)", text[position:])
    return position + closing.end() if closing else position


def _is_equivalent(text: str, first: Quantity, second: Quantity) -> bool:
    between = text[first.end : second.start]
    return (
        first.dimension == second.dimension
        and first.dimension != "count"
        and re.fullmatch(r"\s*\(\s*(?:about|around|or|some|roughly)?\s*", between) is not None
    )
