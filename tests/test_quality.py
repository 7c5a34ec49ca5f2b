"""Quality gates on real benchmark data: pinned floors that a change may not silently lower.

The figures and the baseline beside them are in docs/benchmarks.md (`make bench`); these tests only
keep newsdesk from sliding below what was measured there.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

from newsdesk.extract import extract_document
from newsdesk.records import RawDocument

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from extract_aeb import evaluate

# Measured 0.966 (P 0.954, R 0.978) on 2026-11-23; trafilatura's default settings give 0.953.
AEB_F1_FLOOR = 0.960


def test_article_body_extraction_on_aeb_stays_above_its_floor(shared: Path) -> None:
    aeb = shared / "bench" / "aeb"
    truth = {key: value["articleBody"] for key, value in json.loads((aeb / "ground-truth.json").read_text()).items()}
    outputs: dict[str, str] = {}
    for key in truth:
        data = gzip.decompress((aeb / "html" / f"{key}.html.gz").read_bytes())
        outputs[key] = extract_document(RawDocument(location=f"{key}.html", data=data, fmt="html")).body
    precision, recall, f1 = evaluate(outputs, truth)
    assert f1 >= AEB_F1_FLOOR, (precision, recall, f1)


def test_independent_reports_stay_independent_on_ecbplus(shared: Path) -> None:
    """Measured 2026-11-23: 10 of 3324 same-event pairs related without a shared passage (0.30%)."""
    from relate import false_relations

    _, figures = false_relations(shared, passage=25)
    assert figures["false"] / figures["pairs"] < 0.01, figures


def test_derived_texts_are_recognised_on_a_t17_topic(shared: Path) -> None:
    """Measured 2026-11-23 on all of T17: precision and recall 0.97-1.00 for every kind."""
    from relate import precision_recall

    _, figures = precision_recall(shared, count=30, seed=5, topics=["mj", "finan"])
    floors = {"duplicate": 0.95, "copy": 0.95, "excerpt": 0.95, "summary": 0.90, "rewrite": 0.90}
    for kind, (precision, recall) in figures["scores"].items():
        assert precision >= floors[kind] and recall >= floors[kind], (kind, precision, recall)


def test_stories_on_ecbplus_stay_above_their_floor(shared: Path) -> None:
    """Measured 2026-12-07: BCubed F1 0.909 ± 0.013 over 5 orders, min 0.893 (baseline tuned on the data: 0.888).

    The floor was 0.92 until the data changed on 2026-12-07: the ``ecbplus`` documents had begun with a
    URL line that gave their sub-topic away, and without it the same code measures 0.909 (see
    docs/benchmarks.md). The floor now sits under the lowest order measured on the new data.
    """
    from group import ecb_quality

    for run in ecb_quality(shared, orders=2, settings=None):
        assert run.stories[2] >= 0.88, run.stories
        assert run.storylines[1] >= run.stories[1], run  # a storyline holds whole stories: recall cannot fall
