"""The command line, with exact output and exit statuses."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import html_page
from newsdesk.cli import cli

STORY = "Ferry Strike Called Off At Last\nUnions and the operator agreed late on Sunday.\n"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ferry.txt").write_text(STORY)
    (folder / "tram.html").write_bytes(html_page())
    return folder


def test_extract_text_format(runner: CliRunner, inputs: Path) -> None:
    result = runner.invoke(cli, ["extract", str(inputs / "ferry.txt"), "--format", "text"])
    assert result.exit_code == 0
    assert result.stdout == (
        "title:     Ferry Strike Called Off At Last\n"
        "published: (unknown)\n"
        "language:  en\n"
        "kind:      report\n"
        "id:        cfd50da3db1aef0c\n"
        f"location:  {inputs / 'ferry.txt'}\n"
        "\n"
        "Unions and the operator agreed late on Sunday.\n"
        "\n"
    )


def test_extract_json_and_jsonl_carry_the_article_record(runner: CliRunner, inputs: Path) -> None:
    as_json = runner.invoke(cli, ["extract", str(inputs)])
    assert as_json.exit_code == 0
    records = json.loads(as_json.stdout)
    assert [r["title"] for r in records] == [
        "Ferry Strike Called Off At Last",
        "Tram line approved after marathon council session",
    ]
    required = {
        "id",
        "title",
        "body",
        "published",
        "published_from",
        "author",
        "source",
        "url",
        "language",
        "kind",
        "location",
    }
    assert all(required <= set(r) for r in records)
    as_jsonl = runner.invoke(cli, ["extract", str(inputs), "--format", "jsonl"])
    assert [json.loads(line) for line in as_jsonl.stdout.splitlines()] == records


def test_extract_reports_bad_inputs_and_exits_1(runner: CliRunner, inputs: Path) -> None:
    (inputs / "empty.txt").write_text("")
    result = runner.invoke(cli, ["extract", str(inputs), "--format", "jsonl"])
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 2
    assert result.stderr == f"error: {inputs / 'empty.txt'}: is empty: there is no text to extract (check the file)\n"


def test_ingest_summary_and_idempotence(runner: CliRunner, inputs: Path, tmp_path: Path) -> None:
    db = tmp_path / "cli.db"
    first = runner.invoke(cli, ["ingest", str(inputs), "--db", str(db)])
    assert first.exit_code == 0
    assert re.fullmatch(
        rf"2 new, 0 already stored, 0 failed \(\d+\.\d s\)\nstories: 2 new, 0 articles joined existing stories\n"
        rf"store: {re.escape(str(db))} \(2 articles\)\n",
        first.stdout,
    )
    second = runner.invoke(cli, ["ingest", str(inputs), "--db", str(db)])
    assert second.stdout.startswith("0 new, 2 already stored, 0 failed")


def test_ingest_with_failures_stores_the_rest_and_exits_1(runner: CliRunner, inputs: Path, tmp_path: Path) -> None:
    (inputs / "broken.md").write_text("---\ntitle: [unclosed\n---\nBody.\n")
    db = tmp_path / "cli.db"
    result = runner.invoke(cli, ["ingest", str(inputs), str(tmp_path / "missing.txt"), "--db", str(db)])
    assert result.exit_code == 1
    assert result.stdout.startswith("2 new, 0 already stored, 2 failed")
    errors = result.stderr.splitlines()
    assert errors[0].startswith(f"error: {inputs / 'broken.md'}: broken YAML front matter at line 2")
    assert errors[1] == f"error: {tmp_path / 'missing.txt'}: no such file or folder (check the path)"


def test_ingest_uses_newsdesk_db_from_the_environment(runner: CliRunner, inputs: Path, tmp_path: Path) -> None:
    db = tmp_path / "env.db"
    result = runner.invoke(cli, ["ingest", str(inputs / "ferry.txt")], env={"NEWSDESK_DB": str(db)})
    assert result.exit_code == 0
    assert db.exists()


def test_articles_article_and_search(runner: CliRunner, inputs: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    runner.invoke(cli, ["ingest", str(inputs), "--db", db])
    listing = runner.invoke(cli, ["articles", "--db", db])
    # Within a batch, dated articles are stored first, in publication order.
    assert listing.stdout == (
        "5714192982434476  2026-10-20  Example Evening Post      report  Tram line approved after marathon council session\n"
        "cfd50da3db1aef0c  -           -                         report  Ferry Strike Called Off At Last\n"
    )
    listed = json.loads(runner.invoke(cli, ["articles", "--db", db, "--format", "json"]).stdout)
    assert [a["id"] for a in listed] == ["5714192982434476", "cfd50da3db1aef0c"]

    shown = runner.invoke(cli, ["article", "5714", "--db", db])
    assert shown.exit_code == 0
    assert shown.stdout.startswith(
        "title:     Tram line approved after marathon council session\n"
        "published: 2026-10-20T18:05:00+01:00 (from meta)\n"
        "author:    Mara Lindqvist\n"
        "source:    Example Evening Post\n"
        "url:       https://evening-post.example/2026/10/20/tram-line-approved\n"
    )
    record = json.loads(runner.invoke(cli, ["article", "5714192982434476", "--db", db, "--format", "json"]).stdout)
    assert record["locations"] == [{"location": str(inputs / "tram.html"), "raw_sha256": record["raw_sha256"]}]

    found = runner.invoke(cli, ["search", "operator", "--db", db])
    assert found.stdout == (
        "cfd50da3db1aef0c  Ferry Strike Called Off At Last\n    Unions and the [operator] agreed late on Sunday.\n"
    )


def test_unknown_article_is_an_error_with_status_1(runner: CliRunner, inputs: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    runner.invoke(cli, ["ingest", str(inputs), "--db", db])
    result = runner.invoke(cli, ["article", "abcdef", "--db", db])
    assert result.exit_code == 1
    assert result.stderr == "Error: no article 'abcdef' (see `newsdesk articles` for stored ids)\n"


def test_reading_a_store_that_does_not_exist(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "nothing.db"
    result = runner.invoke(cli, ["articles", "--db", str(db)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: no store at {db}: run `newsdesk ingest INPUT... --db {db}` first\n"
    assert not db.exists()


def test_usage_errors_exit_2(runner: CliRunner) -> None:
    assert runner.invoke(cli, ["extract"]).exit_code == 2
    assert runner.invoke(cli, ["extract", "x", "--format", "xml"]).exit_code == 2
    assert runner.invoke(cli, ["frobnicate"]).exit_code == 2
    bad_env = runner.invoke(cli, ["extract", "x"], env={"NEWSDESK_TIMEOUT": "-1"})
    assert bad_env.exit_code == 2
    assert "timeout must be positive" in bad_env.stderr


def test_settings_lists_every_setting(runner: CliRunner) -> None:
    from newsdesk.settings import SETTINGS

    output = runner.invoke(cli, ["settings"]).stdout
    for setting in SETTINGS:
        assert setting.env in output and setting.help in output


def test_ingest_and_read_back_from_postgresql(runner: CliRunner, inputs: Path, pg_schema_url: str) -> None:
    first = runner.invoke(cli, ["ingest", str(inputs), "--db", pg_schema_url])
    assert first.exit_code == 0, first.stderr
    assert first.stdout.startswith("2 new, 0 already stored, 0 failed")
    assert runner.invoke(cli, ["ingest", str(inputs), "--db", pg_schema_url]).stdout.startswith("0 new, 2 already")
    listed = json.loads(runner.invoke(cli, ["articles", "--db", pg_schema_url, "--format", "json"]).stdout)
    assert [a["id"] for a in listed] == ["5714192982434476", "cfd50da3db1aef0c"]
    found = runner.invoke(cli, ["search", "operator", "--db", pg_schema_url])
    assert (
        found.stdout
        == "cfd50da3db1aef0c  Ferry Strike Called Off At Last\n    Unions and the [operator] agreed late on Sunday.\n"
    )


def test_relations_and_families_on_the_command_line(runner: CliRunner, tmp_path: Path) -> None:
    from relate_texts import ORIGINAL, REPOST

    folder = tmp_path / "ferry"
    folder.mkdir()
    (folder / "a-courier.txt").write_text("Ferries Collide In Fog On Lake Orsund\nSeptember 10, 2026\n\n" + ORIGINAL)
    (folder / "b-blog.txt").write_text("Ferry Crash On Lake Orsund Leaves 14 Hurt\n\n" + REPOST)
    db = str(tmp_path / "ferry.db")
    result = runner.invoke(cli, ["ingest", str(folder), "--db", db])
    assert result.stdout.splitlines()[1] == "related: 1 new relation (1 copy)"
    listed = runner.invoke(cli, ["relations", "--db", db]).stdout.splitlines()
    original, repost = json.loads(runner.invoke(cli, ["articles", "--db", db, "--format", "json"]).stdout)
    assert listed == [
        f"{repost['id']}  copy      of {original['id']}  0.92  by wording",
        "    Ferry Crash On Lake Orsund Leaves 14 Hurt  <-  Ferries Collide In Fog On Lake Orsund",
    ]
    shown = runner.invoke(cli, ["article", repost["id"], "--db", db]).stdout
    assert f"family:    {original['id']} (copy of {original['id']})\n" in shown
    assert f"relation:  copy of {original['id']} (0.92)\n" in shown
    record = json.loads(runner.invoke(cli, ["article", original["id"], "--db", db, "--format", "json"]).stdout)
    assert record["family"] == {
        "article": original["id"],
        "family": original["id"],
        "role": "origin",
        "derived_from": None,
    }
    assert [(r["kind"], r["derived"]) for r in record["relations"]] == [("copy", repost["id"])]
    assert (
        json.loads(runner.invoke(cli, ["relations", "--db", db, "--format", "json", "--kind", "summary"]).stdout) == []
    )
    rebuilt = runner.invoke(cli, ["relate", "--rebuild", "--db", db])
    assert rebuilt.stdout == "related 2 articles: 1 relations\n"
    assert runner.invoke(cli, ["relate", "--db", db]).exit_code == 2
