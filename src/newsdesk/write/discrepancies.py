"""Discrepancies: the same fact given different values by different sources, or a text against itself.

- Figures: quantities measuring the same thing (the same dimension and noun, "length of the border") in
  sentences about the same matter, compared after conversion ("1,367 miles" is "2,200 km"; "2,219 km" is not).
- Dates: day-dated mentions of one event ("the meeting") that resolve to different days.
- Weekdays: a text whose weekday does not fit its date ("Tuesday, Feb 6" when February 6 is a Friday).
- Status: a measure reports say was taken ("imposed sanctions on Petro") that a text written from reports
  (a digest, summary or rewrite), no earlier, says was only threatened ("threatening sanctions on Petro").
- Names: one office of one country held by different people in reports a few days apart ("Colombian
  Defence Minister Pedro Sánchez" against "Colombian Defence Minister Iván Velásquez").

Every value carries the citations of the sentences that give it, so a reader sees who says what. Derived
copies repeat their origin's values and are cited with them; digests are checked like everyone else.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from newsdesk.analyse.quantities import Quantity, same_value
from newsdesk.analyse.tokens import STOPWORDS, fold_word, stem
from newsdesk.records import Article, Citation, Claim, Discrepancy
from newsdesk.write.compress import headline_text
from newsdesk.write.timeline import as_calendar_date, publication_day
from newsdesk.write.units import Material, Unit, quantities_of

__all__ = ["find_discrepancies"]

SAME_MATTER = 0.2  # sentences giving a figure are about the same matter above this similarity
# One fact is given two or three values; a noun with more is a statistic of many things ("404 yards",
# "226 yards", ... in a season's games), not a disagreement.
MOST_VALUES = 3
# A sentence of this many figures is a line of statistics ("13 homers and 43 RBIs in 54 games"): each figure
# counts something the next sentence's figures do not, so none is compared.
STAT_LINE = 3
_EVENT_SYNONYMS = {"met": "meet", "meet": "meet", "talk": "meet", "summit": "meet", "visit": "meet", "meeting": "meet"}
_LINK = re.compile(r"https?\s*:|www\s*\.|\w\s*/\s*\w+\s*/\s*\w")
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
    found += list(_statuses(material))
    found += list(_office_holders(material))
    return found


# -- figures ---------------------------------------------------------------------------------------


def _figures(material: Material) -> Iterator[Discrepancy]:
    groups: dict[tuple[str, str], list[tuple[Quantity, Unit]]] = {}
    # Every figure an article gives, whatever it counts, by dimension (figures of two dimensions never agree).
    stated: dict[str, dict[str, list[Quantity]]] = {}
    for unit in material.units:
        if _LINK.search(unit.text):
            continue  # "articles.latimes.com/2005/jun/25/local/...": an address, not a statement
        quantities = quantities_of(unit.text)
        for quantity in quantities:
            stated.setdefault(quantity.dimension, {}).setdefault(unit.article.id, []).append(quantity)
            if quantity.noun and len(quantities) < STAT_LINE:
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
        disputed = _disputed(values, stated[dimension])
        if disputed is None:
            continue
        claims = tuple(Claim(_figure_value(bucket[0][0]), _citations([u for _, u in bucket])) for bucket in disputed)
        word = _surface_noun(disputed[0][0][1].text, disputed[0][0][0])
        what = "number" if dimension == "count" else dimension.split(":")[0]
        yield Discrepancy(about=f"{what} of {word}", claims=claims, kind="number")


def _disputed(
    values: list[list[tuple[Quantity, Unit]]], stated: dict[str, list[Quantity]]
) -> list[list[tuple[Quantity, Unit]]] | None:
    """The value buckets that disagree about one matter: different articles, similar sentences (``stated``:
    the figures each article gives of the buckets' dimension)."""
    # An article that gives both values is making two statements, not disagreeing with itself.
    # Whether an article gives a bucket's value, asked only of the articles compared (not of every article).
    giving: dict[tuple[int, str], bool] = {}

    def gives(bucket: int, article: str) -> bool:
        found = giving.get((bucket, article))
        if found is None:
            value = values[bucket][0][0]
            found = giving[bucket, article] = any(same_value(value, q) for q in stated.get(article, ()))
        return found

    keep: set[int] = set()
    for i, first in enumerate(values):
        for j in range(i + 1, len(values)):
            second = values[j]
            for _, a in first:
                if gives(j, a.article.id):
                    continue
                if any(not gives(i, b.article.id) and a.similarity(b) >= SAME_MATTER for _, b in second):
                    keep.update((i, j))
                    break
    if not 2 <= len(keep) <= MOST_VALUES:
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
        for expression in map(as_calendar_date, material.times()[article.id]):
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
    yield from _date_conflicts(mentions, material.is_digest)


def _date_conflicts(mentions: list[_Mention], digest: Callable[[Article], bool]) -> Iterator[Discrepancy]:
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
    linked: set[tuple[str, str]] = set()  # values given to one event by two directly matching mentions
    for indexes in by_event.values():
        for x, i in enumerate(indexes):
            a = mentions[i]
            for j in indexes[x + 1 :]:
                b = mentions[j]
                if a.unit.article.id == b.unit.article.id and a.value == b.value:
                    continue
                if _same_event(a, b):
                    linked.update(((a.value, b.value), (b.value, a.value)))
                    if root(i) != root(j):
                        parent[root(i)] = root(j)
    components: dict[int, list[_Mention]] = {}
    for i, mention in enumerate(mentions):
        components.setdefault(root(i), []).append(mention)
    for members in components.values():
        by_value: dict[str, list[_Mention]] = {}
        for mention in members:
            by_value.setdefault(mention.value, []).append(mention)
        ranked = sorted(by_value.items(), key=lambda item: (-len({m.unit.family for m in item[1]}), item[0]))
        # Mentions chain from one event to the next ("talks on Friday" ... "talks broke down on 24 September"):
        # only values given to the same event as the best-supported value, mention against mention, disagree.
        leading = ranked[0][0]
        # A report that gives two dates is telling of two events ("pay talks broke down on 24 September",
        # "conciliation talks on Friday"): then only a text that gives one date alone can disagree. A digest
        # giving two dates is checked as it is ("schedules a meeting" on Feb 3, "meets" on Feb 6).
        values_of: dict[str, set[str]] = {}
        for mention in members:
            values_of.setdefault(mention.unit.article.id, set()).add(mention.value)
        several = any(len(values_of[m.unit.article.id]) > 1 and not digest(m.unit.article) for m in members)
        ordered = [
            (value, group)
            for value, group in ranked
            if value == leading
            or (
                (leading, value) in linked
                and (not several or any(len(values_of[m.unit.article.id]) == 1 for m in group))
            )
        ]
        articles = {m.unit.article.id for _, group in ordered for m in group}
        if len(ordered) < 2 or len(articles) < 2:
            continue
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


# -- status: imposed or only threatened ------------------------------------------------------------

# Measures that are threatened before they are taken; the stem each is compared by.
_MEASURE = (
    r"(?P<noun>sanctions?|tariffs?|embargo(?:es)?|bans?|fines?|penalt(?:y|ies)|curfews?|blockades?|surcharges?|"
    r"levy|levies|boycotts?|lockouts?)"
)
_BETWEEN = r"(?:[\w’'‑-]+\s+){0,4}?"  # a few words, never across punctuation
_FURTHER = re.compile(
    r"\b(?:more|further|new|additional|fresh|extra|wider|broader|expand\w*|extend\w*|tighten\w*|toughen\w*|"
    r"step\w* up|secondary|other)\b",
    re.I,
)
_NEGATED = re.compile(r"\b(?:not|never|no|without|yet to)\b[^,;:]{0,30}$", re.I)
_IMPOSED_VERB = r"(?:imposed|slapped|levied|placed|introduced|enacted)"
_TAKEN = re.compile(
    # "imposed sanctions on ...", "hit Petro with sanctions", or the passive "sanctions were imposed on ..."
    rf"\b(?:{_IMPOSED_VERB}|applied|issued|hit\s+[\w\s]{{1,30}}?\s+with)\s+{_BETWEEN}\b{_MEASURE}\b"
    rf"|\b{_MEASURE.replace('noun', 'noun2')}\s+(?:(?:were|was|have\s+been|has\s+been|had\s+been|being)\s+)?"
    rf"{_IMPOSED_VERB}\b",
    re.I,
)
_THREATENED = re.compile(
    r"\b(?P<verb>threat(?:en(?:ed|ing|s)?|s?\s+of)|warn(?:ed|ing|s)?\s+of|consider(?:ed|ing|s)?|weigh(?:ed|ing|s)?|"
    r"mull(?:ed|ing|s)?|propos(?:ed|ing|es)|(?:could|would|may|might|will)\s+impose|plan(?:s|ned)?\s+to\s+impose|"
    r"vow(?:ed|s)?\s+to\s+impose)\s+" + _BETWEEN + r"\b" + _MEASURE + r"\b",
    re.I,
)
_ANY_MEASURE = re.compile(rf"\b{_MEASURE}\b", re.I)
_TARGET = re.compile(r"\s*(?:on|against|targeting)\s+(?P<target>[^.;:()\[\]]{3,90})")
_PROPER = re.compile(r"\b[A-Z][a-z][\w’'-]+")
_CLAUSE = re.compile(r"[;:]|\s[-–—]\s")
_NOT_NAMES = frozenset(
    "the in on at but and a an as for this that these those it its he she they his her their after before while "
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july august "
    "september october november december jan feb mar apr jun jul aug sep sept oct nov dec".split()
)


@dataclass
class _Status:
    unit: Unit
    noun: str  # the measure's stem: "sanction"
    taken: bool
    shown: str  # the words as written: "imposed sanctions"
    target: str  # whom or what the measure is on, as written
    names: frozenset[str]  # the names in the target
    actors: frozenset[str]  # the names before the verb in its clause ("Turkey", "United States"); none for "It"


def _statuses(material: Material) -> Iterator[Discrepancy]:
    """Measures one text says were taken and another (no earlier) says were only threatened, on the same
    target: the aggregator that turns imposed sanctions into threatened ones."""
    mentions = [m for unit in material.units for m in _status_mentions(unit)]
    taken = [m for m in mentions if m.taken]
    # Between independent reports, who threatens and who imposes is too often someone else (Turkey threatens
    # the sanctions the EU has imposed) for words alone to tell; a text written from other reports (a digest,
    # a summary, a rewrite) that weakens what they say is the error readers need to see.
    threatened = [m for m in mentions if not m.taken and _derived(material, m.unit.article)]
    groups: list[tuple[list[_Status], list[_Status]]] = []
    for threat in threatened:
        against = [
            m
            for m in taken
            if m.noun == threat.noun
            and m.unit.article.id != threat.unit.article.id
            and m.names & threat.names
            and (not m.actors or not threat.actors or m.actors & threat.actors)  # Turkey threatens, the EU imposes
            and not _earlier(threat.unit, m.unit)  # threatened, then imposed: the story moved on
        ]
        if not against:
            continue
        for group in groups:
            if any(m in group[0] for m in against):
                group[0].extend(m for m in against if m not in group[0])
                group[1].append(threat)
                break
        else:
            groups.append((against, [threat]))
    for done, threats in groups:
        # A text that says both (a digest whose summary and timeline disagree) is cited on both sides.
        done.extend(
            m
            for m in taken
            if m not in done and m.noun == done[0].noun and m.names & {n for t in threats for n in t.names}
        )
        target = min((m.target for m in done + threats), key=len)
        noun = _surface(done[0].shown, done[0].noun)
        claims = (
            Claim(f"imposed (“{done[0].shown}”)", _citations([m.unit for m in done])),
            Claim(f"threatened (“{threats[0].shown}”)", _citations([m.unit for m in threats])),
        )
        yield Discrepancy(about=f"{noun} on {target}: imposed, or only threatened?", claims=claims, kind="status")


def _status_mentions(unit: Unit) -> Iterator[_Status]:
    text = unit.text
    if not _ANY_MEASURE.search(text):
        return  # both patterns need a measure word: most sentences have none, and the patterns are slow
    for pattern, taken in ((_TAKEN, True), (_THREATENED, False)):
        for match in pattern.finditer(text):
            noun_word = match.group("noun") or match.groupdict().get("noun2") or ""
            words_between = text[match.start() : match.end()]
            if _FURTHER.search(words_between) or (taken and _NEGATED.search(text[: match.start()])):
                continue
            found = _TARGET.match(text, match.end())
            if found is None:
                continue
            target = re.split(r",\s+(?:which|who|citing|after|as|but|and)\b", found.group("target"))[0]
            target = target.strip(" ,\"”’'")
            names = _names(target)
            if names:
                actors = _names(_CLAUSE.split(text[: match.start()])[-1])
                shown = " ".join(match.group(0).split())
                yield _Status(unit, stem(noun_word.lower()), taken, shown, target, names, actors)


def _derived(material: Material, article: Article) -> bool:
    return material.is_digest(article) or material.families[article.id].role != "origin"


def _names(text: str) -> frozenset[str]:
    return frozenset(n for n in (w.lower() for w in _PROPER.findall(text)) if n not in _NOT_NAMES)


def _day(unit: Unit) -> dt.date | None:
    return publication_day(unit.article.published)


def _earlier(first: Unit, second: Unit) -> bool:
    """Whether ``first``'s article was published on an earlier day than ``second``'s (both dated)."""
    a, b = _day(first), _day(second)
    return a is not None and b is not None and a < b


def _surface(shown: str, noun: str) -> str:
    for word in shown.split():
        if stem(word.lower()) == noun:
            return word.lower() if word.lower().endswith("s") else noun
    return noun


# -- names: one office, different holders ------------------------------------------------------------

_OFFICE = re.compile(
    r"(?P<qualifier>\b[A-Z][a-z]+(?:'s|’s)?)\s+"
    r"(?P<office>(?:Foreign|Defen[cs]e|Interior|Finance|Economy|Health|Justice|Energy|Trade|Home|Prime|Labou?r|"
    r"Education|Agriculture|Transport|Environment)\s+(?:Minister|Secretary)|Secretary\s+of\s+State|"
    r"Attorney\s+General|Chancellor|Central\s+Bank\s+Governor|Army\s+Chief|Police\s+Chief)\s+"
    r"(?P<name>[A-Z][\w-]+(?:\s+(?:(?:de|da|del|al|bin|van|von)\s+)?[A-Z][\w-]+){1,2})\b(?!['’])"
)
_FORMER = re.compile(
    r"\b(?:former|ex|then|outgoing|incoming|new|acting|interim|late|previous|deputy|vice)[-\s]*$", re.I
)
NAME_DAYS = 1  # reports a day apart name the office holder of that day (later, a successor may hold it)
NAME_LIKE = 0.6  # names this alike are one name spelt two ways ("Muallem", "Muallim"), not two people


@dataclass
class _Holder:
    unit: Unit
    office: str  # "colombia|defence minister"
    name: str  # as written
    parts: frozenset[str]  # folded name words


def _office_holders(material: Material) -> Iterator[Discrepancy]:
    """The same office given different holders by different reports published within ``NAME_DAYS``."""
    by_office: dict[str, list[_Holder]] = {}
    for unit in material.units:
        matches = list(_OFFICE.finditer(unit.text))
        if not matches or _title_case(unit.text):
            continue  # "Greek Prime Minister Calls Bank Workers' Riot Deaths 'Murder'": a headline's capitals
        for match in matches:
            qualifier_word = match.group("qualifier")
            if (
                _FORMER.search(unit.text[: match.start("qualifier")])
                or _FORMER.match(qualifier_word)
                or (qualifier_word in ("The", "A", "And", "But", "In", "On", "As"))
            ):
                continue
            qualifier = re.sub(r"(?:'s|’s|n|ian|an|ish|ese|i)$", "", qualifier_word.lower())[:5]
            office = f"{qualifier}|{' '.join(match.group('office').lower().split()).replace('defense', 'defence')}"
            name = match.group("name")
            parts = frozenset(fold_word(w) for w in name.split())
            by_office.setdefault(office, []).append(_Holder(unit, office, name, parts))
    for holders in by_office.values():
        # Holders grouped by person: "Rosa Villavicencio" is "Rosa Yolanda Villavicencio".
        people: list[list[_Holder]] = []
        for holder in holders:
            for person in people:
                if _same_person(person[0], holder):
                    person.append(holder)
                    break
            else:
                people.append([holder])
        if len(people) < 2:
            continue
        disputed = [
            p
            for p in people
            if any(_close_in_time(p, q) and _articles(p) != _articles(q) for q in people if q is not p)
        ]
        if len(disputed) < 2:
            continue
        disputed.sort(key=lambda p: (-len({h.unit.family for h in p}), p[0].name))
        claims = tuple(Claim(p[0].name, _citations([h.unit for h in p])) for p in disputed)
        first = disputed[0][0]
        shown = _OFFICE.search(first.unit.text)
        title = f"{shown.group('qualifier')} {' '.join(shown.group('office').split())}" if shown else first.office
        yield Discrepancy(about=f"who is {title}", claims=claims, kind="name")


def _title_case(text: str) -> bool:
    """Whether the words around any office and name are capitalised too, as in a headline."""
    rest = _OFFICE.sub(" ", text)
    letters = [w for w in re.findall(r"[^\W\d_][\w’'-]*", rest) if w.lower() not in STOPWORDS]
    return len(letters) >= 3 and sum(w[0].isupper() for w in letters) / len(letters) >= 0.75


def _same_person(a: _Holder, b: _Holder) -> bool:
    """One person written two ways: the shorter name's words are all in the longer, or the surnames agree."""
    shorter, longer = sorted((a.parts, b.parts), key=len)
    if shorter <= longer or a.name.split()[-1].lower() == b.name.split()[-1].lower():
        return True
    return difflib.SequenceMatcher(None, " ".join(sorted(a.parts)), " ".join(sorted(b.parts))).ratio() >= NAME_LIKE


def _articles(person: list[_Holder]) -> frozenset[str]:
    return frozenset(h.unit.article.id for h in person)


def _close_in_time(p: list[_Holder], q: list[_Holder]) -> bool:
    days_p = {_day(h.unit) for h in p}
    days_q = {_day(h.unit) for h in q}
    if None in days_p or None in days_q:
        return True
    return any(abs((x - y).days) <= NAME_DAYS for x in days_p for y in days_q if x and y)
