"""The temporal tagger on TimeBank and AQUAINT (TempEval-3's training data), beside ``dateparser``.

Every ``.tml`` document of ``../shared/bench/timebank/{TimeBank,AQUAINT}`` is read as TimeML: the text of
``<TEXT>`` with its tags stripped (entities unescaped, offsets kept), its ``<TIMEX3>`` expressions as the
gold (type, value, span), and the value of ``<DCT><TIMEX3>`` as the reference date. Two systems tag the
same text with that reference date:

- newsdesk: ``newsdesk.analyse.temporal.tag_times(text, dct)``. Its values are periods; they are written
  in TimeML's vocabulary before comparison, by the period alone (never the text): a decade ``1990s`` is
  ``199``, a Monday-to-Sunday span ``1998-W31``, a Saturday-Sunday span ``1998-W31-WE``, three months from
  January, April, July or October ``1998-Q3``, three months from March, June, September or December a
  season (``1998-SP``, ``-SU``, ``-FA``, ``-WI``). A range keeps the value of its start.
- dateparser: ``dateparser.search.search_dates(text, languages=["en"], add_period=True)`` with the DCT
  (midnight) as ``RELATIVE_BASE`` and ``RETURN_TIME_AS_PERIOD``; each found substring is located in the
  text after the previous one; the value is its date at the period dateparser reports (``time``: minutes,
  ``day``, ``week``: ISO week, ``month``, ``year``).

Measures (TempEval-3): extent precision, recall and F1, strict (the same span) and relaxed (the spans
overlap), matching each gold expression with at most one system expression, in text order; value F1: a
relaxed match counts when the value equals the gold's (so value P = correct values / system expressions,
R = correct values / gold expressions, which is TempEval-3's relaxed F1 x value accuracy). A decade
``199X`` equals ``199``. Two type sets: DATE+TIME (gold DURATION and SET expressions left out, and a system
expression that overlaps only such a gold one is neither right nor wrong) and all types. Then the errors
by kind over all types, with examples given as document, offset and values (the data's text is printed by
the run, never written into the docs).

    python bench/temporal.py [--limit N] [--write docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import re
import statistics
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from common import run_sections, shared_dir
from newsdesk.analyse.temporal import tag_times
from newsdesk.records import TimeExpression

CORPORA = ("TimeBank", "AQUAINT")
DATE_TIME = frozenset(("DATE", "TIME"))
ALL_TYPES = frozenset(("DATE", "TIME", "DURATION", "SET"))
TYPE_SETS = (("DATE+TIME", DATE_TIME), ("all types", ALL_TYPES))
_EXAMPLES = 3  # examples written per error kind
_KINDS = 14  # error kinds written (all are printed)

_TOKEN = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*?)/?>|[^<]+")
_ATTRIBUTE = re.compile(r'([A-Za-z_]+)="([^"]*)"')
_DCT = re.compile(r"<DCT>\s*<TIMEX3\b([^>]*)>", re.DOTALL)
_TEXT = re.compile(r"<TEXT>(.*?)</TEXT>", re.DOTALL)
_WEEKDAY = re.compile(r"\b(mon|tues|wednes|thurs|fri|satur|sun)day\b", re.IGNORECASE)
_WEEKDAY_ALONE = re.compile(r"(?:(?:last|next|this|on|early|late)\s+)?" + _WEEKDAY.pattern, re.IGNORECASE)
_SEASONS = {3: "SP", 6: "SU", 9: "FA", 12: "WI"}


@dataclass(frozen=True)
class Timex:
    """A temporal expression, gold or found: ``text[start:end]`` of its document, TimeML value."""

    start: int
    end: int
    value: str | None
    type: str = "DATE"  # the gold's TIMEX3 type; system expressions keep the default
    text: str = ""


@dataclass(frozen=True)
class Document:
    name: str
    dct: dt.date
    text: str
    gold: tuple[Timex, ...]


@dataclass
class Counts:
    gold: int = 0
    found: int = 0
    strict: int = 0
    relaxed: int = 0
    value: int = 0

    def add(self, other: Counts) -> None:
        self.gold += other.gold
        self.found += other.found
        self.strict += other.strict
        self.relaxed += other.relaxed
        self.value += other.value


def parse_timeml(source: str, name: str = "") -> Document:
    """A TimeML document: the plain text of ``<TEXT>``, its TIMEX3 expressions, and the DCT's date."""
    dct_tag = _DCT.search(source)
    if dct_tag is None:
        raise ValueError(f"{name}: no <DCT><TIMEX3>")
    dct = dt.date.fromisoformat(dict(_ATTRIBUTE.findall(dct_tag.group(1)))["value"][:10])
    body = _TEXT.search(source)
    if body is None:
        raise ValueError(f"{name}: no <TEXT>")
    parts: list[str] = []
    size = 0
    gold: list[Timex] = []
    open_timex: tuple[int, dict[str, str]] | None = None
    for token in _TOKEN.finditer(body.group(1)):
        closing, tag = token.group(1), token.group(2)
        if tag is None:
            chunk = html.unescape(token.group(0))
            parts.append(chunk)
            size += len(chunk)
        elif tag == "TIMEX3" and not closing:
            open_timex = (size, dict(_ATTRIBUTE.findall(token.group(3))))
        elif tag == "TIMEX3" and open_timex is not None:
            start, attributes = open_timex
            text = "".join(parts)[start:size]
            gold.append(Timex(start, size, attributes.get("value"), attributes.get("type", "DATE"), text))
            open_timex = None
    return Document(name, dct, "".join(parts), tuple(gold))


def same_value(gold: str | None, found: str | None) -> bool:
    """TimeML values equal, a decade written ``199X`` or ``199`` alike."""
    if gold is None or found is None:
        return False
    return _decade(gold) == _decade(found)


def _decade(value: str) -> str:
    return re.sub(r"^(\d{2,3})X+$", r"\1", value)


def _overlap(a: Timex, b: Timex) -> bool:
    return a.start < b.end and b.start < a.end


def match(gold: Sequence[Timex], found: Sequence[Timex], strict: bool) -> list[tuple[int, int]]:
    """Pairs (gold index, found index), each expression in at most one, in text order."""
    pairs = []
    used: set[int] = set()
    for g, expected in enumerate(gold):
        for f, got in enumerate(found):
            if f in used:
                continue
            if (got.start, got.end) == (expected.start, expected.end) if strict else _overlap(expected, got):
                pairs.append((g, f))
                used.add(f)
                break
    return pairs


def keep_types(gold: Sequence[Timex], found: Sequence[Timex], types: frozenset[str]) -> tuple[list[Timex], list[Timex]]:
    """Gold of these types, and what was found except expressions that overlap only gold of other types."""
    kept = [g for g in gold if g.type in types]
    other = [g for g in gold if g.type not in types]
    found_kept = [f for f in found if any(_overlap(f, g) for g in kept) or not any(_overlap(f, g) for g in other)]
    return kept, found_kept


def score(gold: Sequence[Timex], found: Sequence[Timex], types: frozenset[str] = ALL_TYPES) -> Counts:
    """TempEval-3's counts for one document: strict and relaxed extent matches, and correct values."""
    gold, found = keep_types(gold, found, types)
    relaxed = match(gold, found, strict=False)
    return Counts(
        gold=len(gold),
        found=len(found),
        strict=len(match(gold, found, strict=True)),
        relaxed=len(relaxed),
        value=sum(1 for g, f in relaxed if same_value(gold[g].value, found[f].value)),
    )


def prf(correct: int, found: int, gold: int) -> tuple[float, float, float]:
    precision = correct / found if found else 0.0
    recall = correct / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


# --- the systems -----------------------------------------------------------------------------------------


def timeml_value(expression: TimeExpression) -> str | None:
    """newsdesk's period value in TimeML's vocabulary (decade, ISO week and weekend, quarter, season)."""
    value = expression.value
    if value is None:
        return None
    if expression.granularity == "decade":
        return value.removesuffix("0s")
    if expression.until is None:
        return value
    if expression.granularity == "day":
        first, last = dt.date.fromisoformat(value), dt.date.fromisoformat(expression.until)
        year, week, weekday = first.isocalendar()
        if weekday == 1 and (last - first).days == 6:
            return f"{year}-W{week:02d}"
        if weekday == 6 and (last - first).days == 1:
            return f"{year}-W{week:02d}-WE"
    if expression.granularity == "month":
        year, month = (int(p) for p in value.split("-"))
        end_year, end_month = (int(p) for p in expression.until.split("-"))
        if (end_year * 12 + end_month) - (year * 12 + month) == 2:
            if month in (1, 4, 7, 10):
                return f"{year}-Q{(month + 2) // 3}"
            return f"{year}-{_SEASONS[month]}"
    return value


def newsdesk_system(document: Document) -> list[Timex]:
    return [Timex(e.start, e.end, timeml_value(e), text=e.text) for e in tag_times(document.text, document.dct)]


def _dateparser_value(moment: dt.datetime, period: str | None) -> str:
    if period == "time":
        return moment.strftime("%Y-%m-%dT%H:%M")
    if period == "week":
        year, week, _ = moment.isocalendar()
        return f"{year}-W{week:02d}"
    if period == "month":
        return moment.strftime("%Y-%m")
    if period == "year":
        return f"{moment.year:04d}"
    return moment.date().isoformat()


def dateparser_system(document: Document) -> list[Timex]:
    from dateparser.search import search_dates

    settings = {
        "RELATIVE_BASE": dt.datetime.combine(document.dct, dt.time()),
        "RETURN_TIME_AS_PERIOD": True,
    }
    results = search_dates(document.text, languages=["en"], settings=settings, add_period=True) or []
    found: list[Timex] = []
    cursor = 0
    for result in results:
        substring, moment, period = result[0], result[1], result[2]  # type: ignore[misc]
        start = document.text.find(substring, cursor)
        if start < 0:
            start = document.text.find(substring)
        if start < 0:
            continue
        cursor = start + len(substring)
        found.append(Timex(start, cursor, _dateparser_value(moment, period), text=substring))
    return found


SYSTEMS: dict[str, Callable[[Document], list[Timex]]] = {"newsdesk": newsdesk_system, "dateparser": dateparser_system}


# --- errors ----------------------------------------------------------------------------------------------


def shape(value: str | None) -> str:
    """What kind of TimeML value this is: day, month, quarter, reference word, duration, ..."""
    if value is None:
        return "no value"
    shapes = (
        (r"(PRESENT|PAST|FUTURE)_REF", "reference word"),
        (r"P.*", "duration"),
        (r".*X.*", "underspecified"),
        (r"\d{4}-\d\d-\d\dT.*", "time"),
        (r"\d{4}-\d\d-\d\d", "day"),
        (r"\d{4}-W\d\d-WE", "weekend"),
        (r"\d{4}-W\d\d", "week"),
        (r"\d{4}-\d\d", "month"),
        (r"\d{4}-Q\d", "quarter"),
        (r"\d{4}-H\d", "half year"),
        (r"\d{4}-(SP|SU|FA|WI)", "season"),
        (r"\d{4}", "year"),
        (r"\d{3}", "decade"),
        (r"\d{2}", "century"),
    )
    return next((name for pattern, name in shapes if re.fullmatch(pattern, value)), "other")


def _first_day(value: str) -> dt.date | None:
    """The first day of a day, month, year, week, quarter or season value, or None."""
    try:
        if m := re.fullmatch(r"(\d{4})-W(\d\d)(-WE)?", value):
            return dt.date.fromisocalendar(int(m[1]), int(m[2]), 6 if m[3] else 1)
        if m := re.fullmatch(r"(\d{4})-Q(\d)", value):
            return dt.date(int(m[1]), 3 * int(m[2]) - 2, 1)
        if m := re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", value):
            return dt.date(int(m[1]), {v: k for k, v in _SEASONS.items()}[m[2]], 1)
        if m := re.fullmatch(r"(\d{4})(?:-(\d\d))?(?:-(\d\d))?(?:T.*)?", value):
            return dt.date(int(m[1]), int(m[2] or 1), int(m[3] or 1))
    except ValueError:
        return None
    return None


def value_error(gold: Timex, found: Timex, dct: dt.date) -> str:
    """Why a found value differs from the gold one, as a kind to count."""
    expected, got = shape(gold.value), shape(found.value)
    if got == "no value":
        return "wrong value: no value given"
    if gold.type in ("DURATION", "SET"):
        return f"wrong value: gold is a {gold.type}"
    if expected in ("reference word", "underspecified"):
        return "wrong value: gold is " + (
            "a reference word (PRESENT_REF, ...)" if expected == "reference word" else "underspecified (X)"
        )
    if expected != got:
        return f"wrong granularity: gold {expected}, system {got}"
    first, second = _first_day(gold.value or ""), _first_day(found.value or "")
    if first is None or second is None:
        return f"wrong value: other ({expected})"
    if expected == "day" and abs((first - second).days) == 7 and _WEEKDAY.search(gold.text):
        nearer = "system" if abs((second - dct).days) < abs((first - dct).days) else "gold"
        return f"a weekday a week off, {nearer} nearer the DCT" + (
            " (gold errors exist: read it)" * (nearer == "system")
        )
    if first < dct <= second:
        return "past expression put in the future"
    if second < dct <= first:
        return "future expression put in the past"
    if first.replace(year=2000) == second.replace(year=2000) and abs(first.year - second.year) == 1:
        return "off by one year"
    return f"wrong value: other ({expected})"


@dataclass
class Errors:
    """Error kinds of one system: counts and the first examples (document, gold, found)."""

    counts: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[tuple[str, Timex | None, Timex | None]]] = field(default_factory=lambda: defaultdict(list))

    def add(self, kind: str, document: Document, gold: Timex | None, found: Timex | None) -> None:
        self.counts[kind] += 1
        if len(self.examples[kind]) < _EXAMPLES:
            self.examples[kind].append((document.name, gold, found))


def collect_errors(errors: Errors, document: Document, found: Sequence[Timex]) -> None:
    gold = document.gold
    pairs = match(gold, found, strict=False)
    matched_gold = {g for g, _ in pairs}
    matched_found = {f for _, f in pairs}
    for g, expected in enumerate(gold):
        if g not in matched_gold:
            errors.add(f"missed {expected.type} ({shape(expected.value)})", document, expected, None)
    for f, got in enumerate(found):
        if f not in matched_found:
            errors.add(f"spurious ({shape(got.value)})", document, None, got)
    for g, f in pairs:
        expected, got = gold[g], found[f]
        if (expected.start, expected.end) != (got.start, got.end):
            longer = got.start <= expected.start and got.end >= expected.end
            shorter = got.start >= expected.start and got.end <= expected.end
            kind = "longer than gold" if longer else "shorter than gold" if shorter else "shifted from gold"
            errors.add(f"extent {kind} (relaxed match only)", document, expected, got)
        if not same_value(expected.value, got.value):
            errors.add(value_error(expected, got, document.dct), document, expected, got)


def gold_weekday_mismatches(documents: Iterable[Document]) -> list[tuple[str, Timex]]:
    """Gold day values of a weekday alone ("Tuesday", "last Tuesday") that fall on another weekday."""
    names = {"mon": 0, "tues": 1, "wednes": 2, "thurs": 3, "fri": 4, "satur": 5, "sun": 6}
    wrong = []
    for document in documents:
        for timex in document.gold:
            named = _WEEKDAY_ALONE.fullmatch(timex.text)
            if named and timex.value and re.fullmatch(r"\d{4}-\d\d-\d\d", timex.value):
                day = _first_day(timex.value)
                if day is not None and day.weekday() != names[named.group(1).lower()]:
                    wrong.append((document.name, timex))
    return wrong


# --- the run ---------------------------------------------------------------------------------------------


def load_documents(shared: Path, limit: int | None) -> list[Document]:
    root = shared / "bench" / "timebank"
    paths = [p for corpus in CORPORA for p in sorted((root / corpus).glob("*.tml"))]
    if not paths:
        raise SystemExit(f"no TimeML documents under {root}")
    if limit is not None:  # a few of each corpus, so a short run still sees both
        timebank = [p for p in paths if p.parent.name == "TimeBank"]
        aquaint = [p for p in paths if p.parent.name == "AQUAINT"]
        paths = timebank[: (limit + 1) // 2] + aquaint[: limit // 2]
    return [parse_timeml(p.read_text(encoding="utf-8"), f"{p.parent.name}/{p.stem}") for p in paths]


def _describe(timex: Timex | None) -> str:
    return "-" if timex is None else f"{timex.value} @{timex.start}"


def _show(timex: Timex | None) -> str:
    return "-" if timex is None else f"{timex.text!r} {timex.value}"


def evaluate(shared: Path, limit: int | None, systems: Sequence[str] = tuple(SYSTEMS)) -> list[str]:
    """The section's lines: scores per system and type set, times, errors by kind, the gold check."""
    run_systems = {name: SYSTEMS[name] for name in systems}
    documents = load_documents(shared, limit)
    counts = {(s, t): Counts() for s in run_systems for t, _ in TYPE_SETS}
    seconds: dict[str, list[float]] = {s: [] for s in run_systems}
    errors = {s: Errors() for s in run_systems}
    for document in documents:
        for system, run in run_systems.items():
            tick = time.perf_counter()
            found = run(document)
            seconds[system].append(time.perf_counter() - tick)
            for name, types in TYPE_SETS:
                counts[(system, name)].add(score(document.gold, found, types))
            collect_errors(errors[system], document, found)
    gold_types = Counter(t.type for d in documents for t in d.gold)
    per_corpus = Counter(d.name.split("/")[0] for d in documents)
    lines = [
        "### TempEval-3 measures on TimeBank 1.2 and AQUAINT (TBAQ-cleaned)",
        "",
        f"Data: `../shared/bench/timebank`, {per_corpus['TimeBank']} TimeBank and {per_corpus['AQUAINT']} AQUAINT "
        f"documents, {sum(gold_types.values())} gold TIMEX3 ("
        + ", ".join(f"{t} {gold_types[t]}" for t in sorted(ALL_TYPES))
        + "); each document's creation time (DCT) is the reference date. newsdesk: `tag_times(text, dct)`, "
        "values written in TimeML's vocabulary (decade, ISO week, quarter, season); dateparser "
        "`search_dates` (languages en, DCT as `RELATIVE_BASE`, `add_period`). Extent: strict = same span, "
        "relaxed = overlap (one-to-one); value F1 = relaxed matches whose value equals the gold's. "
        "F1 x 100, precision/recall in brackets.",
        "",
        "| system | types | gold | found | strict F1 (P/R) | relaxed F1 (P/R) | value F1 (P/R) |",
        "|---|---|---|---|---|---|---|",
    ]
    for system in run_systems:
        for name, _ in TYPE_SETS:
            c = counts[(system, name)]
            cells = []
            for correct in (c.strict, c.relaxed, c.value):
                p, r, f = prf(correct, c.found, c.gold)
                cells.append(f"{f * 100:.1f} ({p * 100:.1f}/{r * 100:.1f})")
            lines.append(f"| {system} | {name} | {c.gold} | {c.found} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "| system | total | per document (mean; median; max) |",
        "|---|---|---|",
    ]
    for system, times in seconds.items():
        lines.append(
            f"| {system} | {sum(times):.2f} s | {statistics.mean(times) * 1000:.1f} ms; "
            f"{statistics.median(times) * 1000:.1f} ms; {max(times) * 1000:.0f} ms |"
        )
    lines += [
        "",
        "Published on TempEval-3's own test set (all types, value F1): HeidelTime 77.61, SUTime 67.38 "
        "(a different, smaller test set: approximate). Neither system here tags durations or sets, so "
        "DATE+TIME is the fair column for them.",
    ]
    for system, found_errors in errors.items():
        lines += [
            "",
            f"#### {system}: errors by kind (all types, relaxed matching)",
            "",
            "Examples: document, gold value @ offset, found value @ offset (the text is in the run's output).",
            "",
            "| kind | count | examples |",
            "|---|---|---|",
        ]
        print(f"\n{system}: error examples with their text")
        for kind, count in found_errors.counts.most_common():
            shown = found_errors.examples[kind]
            print(f"  {kind} ({count}): " + "; ".join(f"{d}: gold {_show(g)} / found {_show(f)}" for d, g, f in shown))
        for kind, count in found_errors.counts.most_common(_KINDS):
            shown = found_errors.examples[kind]
            cells = "; ".join(f"`{d}` {_describe(g)} / {_describe(f)}" for d, g, f in shown)
            lines.append(f"| {kind} | {count} | {cells} |")
        rest = sum(found_errors.counts.values()) - sum(n for _, n in found_errors.counts.most_common(_KINDS))
        if rest:
            lines.append(f"| other kinds ({len(found_errors.counts) - _KINDS}) | {rest} | |")
    mismatched = gold_weekday_mismatches(documents)
    print("\ngold weekdays that do not fit their value:")
    for name, timex in mismatched:
        print(f"  {name}: {_show(timex)}")
    lines += [
        "",
        f"Gold annotation check: {len(mismatched)} gold day values whose weekday is not the one the expression "
        "names (" + ", ".join(f"`{n}` {t.value} @{t.start}" for n, t in mismatched[:8]) + "); left as they are, "
        "so a system that resolves those weekdays right loses them.",
    ]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", type=Path, help="update this Markdown file's temporal section")
    parser.add_argument("--limit", type=int, help="only N documents (half from each corpus)")
    args = parser.parse_args()
    shared = shared_dir()
    run_sections(
        "temporal", "Temporal expressions: TimeBank and AQUAINT (TempEval-3)", "temporal.py",
        [lambda: evaluate(shared, args.limit)], args.write,
    )  # fmt: skip


if __name__ == "__main__":
    main()
