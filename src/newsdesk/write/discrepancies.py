"""Discrepancies: the same fact given different values by different sources, or a text against itself.

- Figures: quantities measuring the same thing (the same dimension and noun, "length of the border") in
  sentences about the same matter, compared after conversion ("1,367 miles" is "2,200 km"; "2,219 km" is not).
- Dates: day-dated mentions of one event ("the meeting") that resolve to different days.
- Weekdays: a text whose weekday does not fit its date ("Tuesday, Feb 6" when February 6 is a Friday).

Every value carries the citations of the sentences that give it, so a reader sees who says what. Derived
copies repeat their origin's values and are cited with them; digests are checked like everyone else.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from newsdesk.analyse.quantities import Quantity, find_quantities, same_value
from newsdesk.analyse.tokens import STOPWORDS, stem
from newsdesk.records import Citation, Claim, Discrepancy
from newsdesk.write.compress import headline_text
from newsdesk.write.units import Material, Unit

__all__ = ["find_discrepancies"]

SAME_MATTER = 0.2  # sentences giving a figure are about the same matter above this similarity
_EVENT_SYNONYMS = {"met": "meet", "meet": "meet", "talk": "meet", "summit": "meet", "visit": "meet", "meeting": "meet"}
_LOWER_WORD = re.compile(r"\b[a-z][a-z'’-]+\b")
_UNIT_NAMES = {"length": "km", "mass": "kg", "area": "ha", "share": "%", "speed": "km/h"}


@dataclass
class _Mention:
    unit: Unit
    value: str  # normalised value: "2200 km", "2026-02-03"
    shown: str  # as written in the source
    start: int  # span of the mention inside the article body
    end: int
    context: frozenset[str]


def find_discrepancies(material: Material) -> list[Discrepancy]:
    found = list(_figures(material))
    found += list(_dates(material))
    return found


# -- figures ---------------------------------------------------------------------------------------


def _figures(material: Material) -> Iterator[Discrepancy]:
    groups: dict[tuple[str, str], list[tuple[Quantity, Unit]]] = {}
    stated: dict[str, list[Quantity]] = {}  # every figure an article gives, whatever it counts
    for unit in material.units:
        for quantity in find_quantities(unit.text):
            stated.setdefault(unit.article.id, []).append(quantity)
            if quantity.noun:
                groups.setdefault((quantity.dimension, quantity.noun), []).append((quantity, unit))
    for (dimension, _noun), mentions in sorted(groups.items()):
        values: list[list[tuple[Quantity, Unit]]] = []
        for quantity, unit in mentions:
            for bucket in values:
                if same_value(bucket[0][0], quantity):
                    bucket.append((quantity, unit))
                    break
            else:
                values.append([(quantity, unit)])
        if len(values) < 2:
            continue
        disputed = _disputed(values, stated)
        if disputed is None:
            continue
        claims = tuple(Claim(_figure_value(bucket[0][0]), _citations([u for _, u in bucket])) for bucket in disputed)
        word = _surface_noun(disputed[0][0][1].text, disputed[0][0][0])
        what = "number" if dimension == "count" else dimension.split(":")[0]
        yield Discrepancy(about=f"{what} of {word}", claims=claims, kind="number")


def _disputed(
    values: list[list[tuple[Quantity, Unit]]], stated: dict[str, list[Quantity]]
) -> list[list[tuple[Quantity, Unit]]] | None:
    """The value buckets that disagree about one matter: different articles, similar sentences."""
    # An article that gives both values is making two statements, not disagreeing with itself.
    giving = [{a for a, qs in stated.items() if any(same_value(bucket[0][0], q) for q in qs)} for bucket in values]
    keep: set[int] = set()
    for i, first in enumerate(values):
        for j in range(i + 1, len(values)):
            second = values[j]
            for _, a in first:
                if a.article.id in giving[j]:
                    continue
                if any(b.article.id not in giving[i] and a.similarity(b) >= SAME_MATTER for _, b in second):
                    keep.update((i, j))
                    break
    if len(keep) < 2:
        return None
    ordered = sorted((values[i] for i in keep), key=lambda bucket: -len({u.family for _, u in bucket}))
    return ordered


def _figure_value(quantity: Quantity) -> str:
    shown = quantity.text
    if quantity.dimension in _UNIT_NAMES:
        unit = _UNIT_NAMES[quantity.dimension]
        converted = f"{quantity.value:,.0f} {unit}" if quantity.value >= 100 else f"{quantity.value:,.2f} {unit}"
        if converted.replace(",", "").replace(" ", "") not in shown.replace(",", "").replace(" ", ""):
            return f"{shown} (= {converted})"
    return shown


def _surface_noun(text: str, quantity: Quantity) -> str:
    for word in _LOWER_WORD.findall(text[quantity.end :]):
        if quantity.noun and stem(word.lower()).startswith(quantity.noun[:4]):
            return str(word)
    return quantity.noun or "figure"


# -- dates -----------------------------------------------------------------------------------------


def _dates(material: Material) -> Iterator[Discrepancy]:
    mentions: list[_Mention] = []
    for article in material.focus:
        units = material.sentences[article.id]
        for expression in material.times()[article.id]:
            unit = next((u for u in units if u.start <= expression.start < u.end), None)
            if unit is None:
                continue
            if expression.conflict:
                citation = Citation(article.id, expression.start, expression.end, expression.text)
                yield Discrepancy(
                    about=f"“{expression.text}”: {expression.conflict}",
                    claims=(Claim(expression.text, (citation, unit.citation)),),
                    kind="weekday",
                )
            if expression.granularity == "day" and expression.value:
                context = _context(article.body, expression.start, expression.end, unit)
                mentions.append(
                    _Mention(unit, expression.value, expression.text, expression.start, expression.end, context)
                )
    yield from _date_conflicts(mentions)


def _date_conflicts(mentions: list[_Mention]) -> Iterator[Discrepancy]:
    parent = list(range(len(mentions)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # Only mentions that share an event word can be of one event.
    by_event: dict[str, list[int]] = {}
    for i, mention in enumerate(mentions):
        for word in mention.context:
            if word.startswith("="):
                by_event.setdefault(word, []).append(i)
    for indexes in by_event.values():
        for x, i in enumerate(indexes):
            a = mentions[i]
            for j in indexes[x + 1 :]:
                b = mentions[j]
                if a.unit.article.id == b.unit.article.id and a.value == b.value:
                    continue
                if root(i) != root(j) and _same_event(a, b):
                    parent[root(i)] = root(j)
    components: dict[int, list[_Mention]] = {}
    for i, mention in enumerate(mentions):
        components.setdefault(root(i), []).append(mention)
    for members in components.values():
        by_value: dict[str, list[_Mention]] = {}
        for mention in members:
            by_value.setdefault(mention.value, []).append(mention)
        articles = {m.unit.article.id for m in members}
        if len(by_value) < 2 or len(articles) < 2:
            continue
        ordered = sorted(by_value.items(), key=lambda item: (-len({m.unit.family for m in item[1]}), item[0]))
        claims = tuple(
            Claim(f"{value} (“{group[0].shown}”)", _citations([m.unit for m in group])) for value, group in ordered
        )
        about = headline_text(ordered[0][1][0].unit.text)
        yield Discrepancy(about=f"date of: {about}", claims=claims, kind="date")


def _same_event(a: _Mention, b: _Mention) -> bool:
    """Two dated mentions of one event: their nearby words share an event word and enough else."""
    shared = a.context & b.context
    if not shared or not any(word.startswith("=") for word in shared):
        return False
    return len(shared) / max(1, min(len(a.context), len(b.context))) >= 0.3


def _context(body: str, start: int, end: int, unit: Unit) -> frozenset[str]:
    """Stems of the words around a date mention (its clause), with event words marked by "="."""
    window = body[max(unit.start, start - 120) : min(unit.end, end + 120)]
    stems = set()
    for word in re.findall(r"[A-Za-z][\w'’-]+", window):
        lowered = word.lower()
        if lowered in STOPWORDS or len(lowered) < 3:
            continue
        base = stem(lowered)
        event = _EVENT_SYNONYMS.get(base) or _EVENT_SYNONYMS.get(lowered)
        stems.add(f"={event}" if event else base)
    return frozenset(stems)


def _citations(units: list[Unit]) -> tuple[Citation, ...]:
    seen: dict[tuple[str, int], Citation] = {}
    for unit in units:
        seen.setdefault((unit.article.id, unit.start), unit.citation)
    return tuple(seen.values())
