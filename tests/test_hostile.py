"""One bad input never costs the others: bounded work per input, clear errors, no tracebacks.

The hostile corpus (``tests/hostile.py``) is written by the tests into a temporary folder; each input
runs in its own subprocess through ``newsdesk extract`` and ``newsdesk ingest good bad good``, timed in
CPU seconds and measured by peak memory. Hypothesis then fuzzes every reader and ``POST /api/articles``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hostile import HOSTILE, PEAK_MB_SOURCE, PROSE, Hostile
from newsdesk.cli import cli
from newsdesk.errors import InputError, LimitError, TooLargeError
from newsdesk.extract import extract_document
from newsdesk.extract.bounds import check_depth, load_json
from newsdesk.records import RawDocument
from newsdesk.serve.app import create_app
from newsdesk.settings import Settings
from newsdesk.sources.feeds import feed_documents
from newsdesk.sources.records import json_documents, jsonl_documents
from newsdesk.store import open_store

CPU_SECONDS = 2.0
PEAK_MB = 300

# Runs in a fresh interpreter: imports first, then extract and ingest of one hostile input between
# two good ones, timed in CPU seconds of this process and measured by its peak resident memory.
DRIVER = (
    PEAK_MB_SOURCE
    + r"""
import json, sys
from click.testing import CliRunner
from newsdesk.cli import cli
import newsdesk.extract.html, newsdesk.relate, newsdesk.group, feedparser  # imported before the clock starts

bad, good1, good2, db = sys.argv[1:5]
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
runner = CliRunner()
started = cpu()
extracted = runner.invoke(cli, ["extract", bad, "--format", "jsonl", "--offline"])
extract_cpu = cpu() - started
started = cpu()
ingested = runner.invoke(cli, ["ingest", good1, bad, good2, "--db", db, "--offline", "--quiet"])
ingest_cpu = cpu() - started
def crash(result):
    if result.exception is None or isinstance(result.exception, SystemExit):
        return None
    return repr(result.exception)
print(json.dumps({
    "extract": {"code": extracted.exit_code, "stdout": extracted.stdout[-2000:], "stderr": extracted.stderr[-2000:],
                "crash": crash(extracted), "cpu": extract_cpu},
    "ingest": {"code": ingested.exit_code, "stdout": ingested.stdout[-2000:], "stderr": ingested.stderr[-2000:],
               "crash": crash(ingested), "cpu": ingest_cpu},
    "peak_mb": peak_mb(),
}))
"""
)


def _good(folder: Path, name: str, place: str) -> Path:
    path = folder / name
    path.write_text(
        f"---\ntitle: {place} council opens a new library\ndate: 2026-03-02\nsource: {place} Courier\n---\n\n"
        f"The {place} council opened its new library on Monday, with room for forty thousand books.\n\n"
        f"The building, on the old market square of {place}, took two years to finish.\n",
        encoding="utf-8",
    )
    return path


def run_hostile(item: Hostile, folder: Path) -> dict[str, Any]:
    """Write ``item`` into ``folder`` and run the driver on it; the driver's JSON report."""
    folder.mkdir(parents=True, exist_ok=True)
    bad = folder / item.filename
    bad.write_bytes(item.make())
    good1, good2 = _good(folder, "good1.md", "Arnholt"), _good(folder, "good2.md", "Vellby")
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, str(bad), str(good1), str(good2), str(folder / "store.db")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, f"{item.name}: the driver failed: {done.stderr[-3000:]}"
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    report["location"] = str(bad)
    return report


@pytest.fixture(scope="module")
def hostile_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    root = tmp_path_factory.mktemp("hostile")
    with ThreadPoolExecutor(max_workers=2) as pool:
        reports = pool.map(lambda pair: run_hostile(pair[1], root / str(pair[0])), enumerate(HOSTILE))
        return {item.name: report for item, report in zip(HOSTILE, reports, strict=True)}


@pytest.mark.parametrize("item", HOSTILE, ids=[h.filename for h in HOSTILE])
def test_a_hostile_input_is_answered_in_bounded_time_and_memory(
    item: Hostile, hostile_reports: dict[str, dict[str, Any]]
) -> None:
    report = hostile_reports[item.name]
    location = report["location"]
    for command in ("extract", "ingest"):
        run = report[command]
        assert run["crash"] is None, f"{item.name}: {command} raised {run['crash']}"
        assert "Traceback" not in run["stderr"], run["stderr"]
        assert run["cpu"] < CPU_SECONDS, f"{item.name}: {command} took {run['cpu']:.2f} CPU seconds"
        for line in run["stderr"].splitlines():
            if line.startswith("error:"):
                assert location in line or Path(location).name in line, line  # the error names the input
    assert report["peak_mb"] < PEAK_MB, f"{item.name}: peak memory {report['peak_mb']:.0f} MB"
    extract, ingest = report["extract"], report["ingest"]
    if item.expect == "error":
        assert extract["code"] == 1 and f"error: {location}" in extract["stderr"], extract
    elif item.expect == "article":
        assert extract["code"] == 0 and extract["stdout"].strip(), extract
    else:
        assert extract["code"] in (0, 1), extract
        assert extract["code"] == 0 or f"error: {location}" in extract["stderr"], extract
    # Both good inputs around the hostile one are stored, whatever it did.
    stored = int(ingest["stdout"].split(" new,")[0])
    produced = extract["stdout"].count("\n") if extract["code"] == 0 else 0
    assert stored >= 2, ingest
    assert ingest["code"] == (0 if extract["code"] == 0 else 1), ingest
    if item.expect != "error":
        assert stored <= 2 + max(produced, 1)


def test_an_unexpected_crash_in_one_input_costs_only_that_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever a reader raises, the batch goes on; the traceback is kept for the debug log."""
    import newsdesk.pipeline

    real = newsdesk.pipeline.extract_document

    def fragile(doc: RawDocument, **kwargs: Any) -> Any:
        if "bad" in doc.location:
            raise ZeroDivisionError("a reader bug")
        return real(doc, **kwargs)

    monkeypatch.setattr(newsdesk.pipeline, "extract_document", fragile)
    good1, good2 = _good(tmp_path, "good1.md", "Arnholt"), _good(tmp_path, "good2.md", "Vellby")
    bad = _good(tmp_path, "bad.md", "Kessel")
    db = str(tmp_path / "s.db")
    result = CliRunner().invoke(cli, ["ingest", str(good1), str(bad), str(good2), "--db", db, "--quiet"])
    assert result.exit_code == 1, result.output
    assert f"error: {bad}: could not be read (ZeroDivisionError: a reader bug)" in result.stderr
    assert result.stdout.startswith("2 new, 0 already stored, 1 failed")
    with open_store(db) as store:
        assert store.count_articles() == 2
    assert "Traceback" not in result.stderr
    debug = CliRunner().invoke(cli, ["--log-level", "debug", "ingest", str(bad), "--db", db, "--quiet"])
    assert debug.exit_code == 1
    assert "Traceback (most recent call last)" in debug.stderr and "ZeroDivisionError: a reader bug" in debug.stderr


def test_a_crash_while_storing_one_article_rolls_it_back_and_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsdesk.relate

    real = newsdesk.relate.Relater.relate

    def fragile(self: Any, article: Any) -> Any:
        if "Kessel" in (article.title or ""):
            raise ValueError("a relate bug")
        return real(self, article)

    monkeypatch.setattr(newsdesk.relate.Relater, "relate", fragile)
    paths = [_good(tmp_path, f"{name}.md", name) for name in ("Arnholt", "Kessel", "Vellby")]
    db = str(tmp_path / "s.db")
    result = CliRunner().invoke(cli, ["ingest", *map(str, paths), "--db", db, "--quiet"])
    assert result.exit_code == 1
    assert "Kessel.md: could not be read (ValueError: a relate bug)" in result.stderr
    with open_store(db) as store:
        titles = sorted(a.title or "" for a in store.list_articles())
        assert titles == ["Arnholt council opens a new library", "Vellby council opens a new library"]
        assert sum(len(store.stories_of([a.id])) for a in store.list_articles()) == 2


# -- caps belong to each record; a file of records has its own ------------------------------------------------


def _records(count: int, words: int) -> str:
    lines = []
    for number in range(count):
        text = " ".join([f"Ferry{number}", *(PROSE.split() * (words // 30 + 1))[:words]])
        lines.append(json.dumps({"title": f"Ferry report {number}", "text": text, "source": "Norrvik Post"}))
    return "\n".join(lines) + "\n"


def test_the_byte_cap_applies_to_each_record_not_to_the_file(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text(_records(40, 600), encoding="utf-8")
    assert path.stat().st_size > 100_000
    db = str(tmp_path / "s.db")
    result = CliRunner().invoke(cli, ["ingest", str(path), "--db", db, "--quiet", "--max-bytes", "20000"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("40 new")


def test_a_record_over_the_cap_is_refused_alone(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text(_records(3, 100) + _records(1, 6000).replace("Ferry0", "Huge") + _records(2, 100), encoding="utf-8")
    db = str(tmp_path / "s.db")
    result = CliRunner().invoke(cli, ["ingest", str(path), "--db", db, "--quiet", "--max-bytes", "20000"])
    assert result.exit_code == 1
    assert f"error: {path}#4: is a record larger than the 20.0 kB cap for one article" in result.stderr
    assert "--max-bytes" in result.stderr
    assert result.stdout.startswith("3 new, 2 already stored, 1 failed")  # records 5 and 6 repeat 1 and 2


def test_a_file_of_records_has_its_own_cap(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text(_records(40, 100), encoding="utf-8")
    db = str(tmp_path / "s.db")
    result = CliRunner().invoke(cli, ["ingest", str(path), "--db", db, "--quiet", "--max-file-bytes", "10000"])
    assert result.exit_code == 1
    assert "cap for a file of records" in result.stderr and "--max-file-bytes" in result.stderr
    stored = int(result.stdout.split(" new")[0])
    assert 0 < stored < 40  # what came before the cap is kept


def test_gzipped_jsonl_is_read_as_a_stream(tmp_path: Path) -> None:
    import gzip

    path = tmp_path / "export.jsonl.gz"
    path.write_bytes(gzip.compress(_records(5, 100).encode()))
    db = str(tmp_path / "s.db")
    result = CliRunner().invoke(cli, ["ingest", str(path), "--db", db, "--quiet"])
    assert result.exit_code == 0 and result.stdout.startswith("5 new"), result.output


def test_max_words_is_a_setting_that_names_itself(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("Ferry link to reopen\n\n" + (PROSE + " ") * 40, encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(path), "--max-words", "500"])
    assert result.exit_code == 1
    assert f"error: {path}: has more than 500 words" in result.stderr and "--max-words" in result.stderr
    assert CliRunner().invoke(cli, ["extract", str(path), "--max-words", "5000"]).exit_code == 0
    assert Settings.from_env({"NEWSDESK_MAX_WORDS": "123"}).max_words == 123


def test_bounds_on_json_are_explicit() -> None:
    with pytest.raises(LimitError, match="nests lists or objects more than 64 levels"):
        load_json("[" * 65 + "]" * 65, "x.json")
    assert load_json("[" * 64 + "]" * 64, "x.json") is not None
    with pytest.raises(LimitError, match="number of 101 digits"):
        load_json("1" * 101, "x.json")
    assert load_json("1" * 100, "x.json") == int("1" * 100)
    with pytest.raises(LimitError):
        check_depth({"a": [{"b": [[[1]]]}]}, "x", limit=4)


# -- fuzzing every reader -------------------------------------------------------------------------------------

FUZZ = settings(max_examples=60, deadline=2000, suppress_health_check=[HealthCheck.too_slow], derandomize=True)

_fragments = st.sampled_from(
    [
        "---\n", "+++\n", "title: x\n", "<p>", "</p>", "<html>", "<article>", "<h1>", "&#8217;", "&amp;", "\n\n",
        "\n", "# ", "[a](b)", "*", "AD", "Updated (3 articles)", "[1]", "By Ana Ruiz", "March 3, 2026",
        "(Reuters) - ", ". ", "Mr. ", "\u00a0", "\ufeff", "\x00", "\ud7ff", "\u200b", "{{ x }}", "{% y %}", "<!--",
        PROSE,
    ]
)  # fmt: skip
_texts = st.lists(st.one_of(_fragments, st.text(max_size=40)), max_size=30).map("".join)


def _extracts_or_refuses(doc: RawDocument) -> None:
    try:
        article = extract_document(doc)
    except InputError as exc:
        assert exc.location == doc.location and exc.problem
        return
    assert article.body and article.id


@FUZZ
@given(text=_texts, fmt=st.sampled_from(["auto", "html", "markdown", "text", "body", "fragment"]))
def test_fuzz_every_article_reader(text: str, fmt: str) -> None:
    _extracts_or_refuses(RawDocument(location="fuzz", data=text.encode("utf-8", "surrogatepass"), fmt=fmt))


@FUZZ
@given(data=st.binary(max_size=400))
def test_fuzz_article_readers_on_bytes(data: bytes) -> None:
    _extracts_or_refuses(RawDocument(location="fuzz", data=data, fmt="auto"))


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20) | _texts,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["title", "text", "html", "url", "published", "date", "source", "author", "x"]),
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@FUZZ
@given(values=st.lists(_json_values, max_size=4))
def test_fuzz_records(values: list[Any]) -> None:
    lines = "\n".join(json.dumps(v) for v in values)
    for reader in (jsonl_documents, json_documents):
        source = lines if reader is jsonl_documents else json.dumps(values)
        for item in reader(source, "fuzz.jsonl", lambda _where, _message: None):
            if isinstance(item, InputError):
                assert item.location.startswith("fuzz.jsonl") and item.problem
            else:
                _extracts_or_refuses(item)


@FUZZ
@given(title=_texts, body=_texts, raw=st.binary(max_size=200))
def test_fuzz_feeds(title: str, body: str, raw: bytes) -> None:
    escaped = body.replace("&", "&amp;").replace("<", "&lt;")
    feeds = [
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title><item><title>{title}</title>'
        f"<description>{escaped}</description></item></channel></rss>".encode("utf-8", "surrogatepass"),
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">' + raw,
    ]
    for data in feeds:
        for item in feed_documents(data, "fuzz.rss", None, lambda _where, _message: None):
            if isinstance(item, InputError):
                assert item.problem
            else:
                _extracts_or_refuses(item)


# -- the API never answers 500 ------------------------------------------------------------------------------

TOKEN = "fuzz token"


@pytest.fixture(scope="module")
def writing_client(tmp_path_factory: pytest.TempPathFactory) -> Any:
    db = str(tmp_path_factory.mktemp("post") / "w.db")
    app = create_app(db, token=TOKEN, refresh_seconds=0, settings=Settings(db=db, offline=True))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def _post(client: Any, body: bytes) -> Any:
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    return client.post("/api/articles", content=body, headers=headers)


def _assert_answer(response: Any) -> None:
    assert response.status_code in (200, 201, 400, 413, 422), (response.status_code, response.text[:500])
    assert "Traceback" not in response.text
    if response.status_code >= 400:
        error = response.json()["error"]
        assert set(error) == {"status", "code", "message", "details"} and error["message"]


@pytest.mark.parametrize(
    "body",
    [
        b'{"text": ' + b"9" * 5000 + b"}",
        b'{"title": "x", "text": "y", "n": ' + b"9" * 5000 + b"}",
        b'{"text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        b"[" * 100_000 + b"]" * 100_000,
        b'{"text": "' + PROSE.encode() + b' \\ud800 end"}',
        b'{"text": "' + b"word " * 60_000 + b'"}',
        b"\xff\xfe{}",
        b"",
    ],
    ids=[
        "big-number-field",
        "big-number-extra",
        "deep-field",
        "deep-body",
        "surrogate",
        "too-many-words",
        "utf16",
        "empty",
    ],
)
def test_posting_a_hostile_body_is_a_clear_error_never_a_500(writing_client: Any, body: bytes) -> None:
    response = _post(writing_client, body)
    _assert_answer(response)
    if b"ud800" in body:
        assert response.status_code == 201, response.text
        article = writing_client.get(f"/api/articles/{response.json()['articles'][0]['id']}").json()
        assert "\ufffd" in article["body"]


@settings(
    max_examples=40,
    deadline=5000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    derandomize=True,
)
@given(value=_json_values)
def test_fuzz_posting(writing_client: Any, value: Any) -> None:
    _assert_answer(_post(writing_client, json.dumps(value).encode()))


def test_a_too_large_record_names_its_option() -> None:
    doc = RawDocument(location="big.txt", data=b"x " * 600, fmt="text")
    with pytest.raises(TooLargeError, match="--max-bytes"):
        extract_document(doc, max_bytes=1000)


def test_a_raised_word_bound_lets_a_long_text_in_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("Ferry link to reopen\n\n" + "\n\n".join([PROSE] * 2200), encoding="utf-8")
    refused = CliRunner().invoke(cli, ["extract", str(path)])
    assert refused.exit_code == 1 and "more than 50,000 words" in refused.stderr
    db = str(tmp_path / "s.db")
    result = CliRunner().invoke(cli, ["ingest", str(path), "--db", db, "--max-words", "100000"])
    assert result.exit_code == 0, result.output
    assert "words, over the default bound of 50,000" in result.stderr


def test_one_broken_feed_entry_costs_only_that_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    import newsdesk.sources.feeds as feeds

    real = feeds.parse_date

    def fragile(value: Any) -> Any:
        if "1999" in str(value):
            raise OverflowError("a date bug")
        return real(value)

    monkeypatch.setattr(feeds, "parse_date", fragile)
    items = "".join(
        f"<item><title>Entry {n}</title><pubDate>Mon, 0{n} Mar {1999 if n == 2 else 2026} 10:00:00 GMT</pubDate>"
        f"<description>{PROSE} Entry {n}.</description></item>"
        for n in (1, 2, 3)
    )
    data = f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>{items}</channel></rss>'.encode()
    out = list(feed_documents(data, "f.rss", None, lambda _where, _message: None))
    assert [type(o).__name__ for o in out] == ["RawDocument", "FeedError", "RawDocument"]
    assert isinstance(out[1], InputError) and "OverflowError: a date bug" in out[1].problem


def test_a_truncated_gzipped_jsonl_keeps_the_records_before_the_break(tmp_path: Path) -> None:
    import gzip

    data = gzip.compress(_records(30, 100).encode())
    path = tmp_path / "export.jsonl.gz"
    path.write_bytes(data[: len(data) * 2 // 3])
    db = str(tmp_path / "s.db")
    result = CliRunner().invoke(cli, ["ingest", str(path), "--db", db, "--quiet"])
    assert result.exit_code == 1
    assert "corrupt gzip data" in result.stderr or "truncated" in result.stderr, result.stderr
    stored = int(result.stdout.split(" new")[0])
    assert 0 < stored < 30
