"""Inputs of every shape, and bad inputs reported one by one while the batch goes on."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

from conftest import html_page
from newsdesk.errors import InputError
from newsdesk.pipeline import extract_inputs
from newsdesk.records import Article
from newsdesk.settings import Settings

OFFLINE = Settings(offline=True)

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Ridge Courier – Latest news</title><link>https://ridge.example/</link>
<item><title>Pass closed by landslide</title><link>https://ridge.example/2026/10/11/pass-closed</link>
<pubDate>Sun, 11 Oct 2026 08:00:00 +0200</pubDate><dc:creator>Ilse Varga</dc:creator>
<description>The Orvel pass is closed.</description>
<content:encoded><![CDATA[<p>The Orvel pass was closed on Sunday after a landslide buried the road.</p><p>No one was hurt.</p>]]></content:encoded></item>
<item><title>Entry without text</title><link>https://ridge.example/2026/10/12/empty</link></item>
</channel></rss>"""


def _run(
    inputs: list[str], settings: Settings = OFFLINE, stdin: bytes | None = None
) -> tuple[list[Article], list[InputError], list[tuple[str, str]]]:
    notes: list[tuple[str, str]] = []
    stream = io.BytesIO(stdin) if stdin is not None else None
    items = list(extract_inputs(inputs, settings, notify=lambda loc, msg: notes.append((loc, msg)), stdin=stream))
    return (
        [i for i in items if isinstance(i, Article)],
        [i for i in items if isinstance(i, InputError)],
        notes,
    )


def test_folder_is_walked_recursively_in_order_and_hidden_files_skipped(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a.txt").write_text("First Headline Here\nThe first body sentence.\n")
    (tmp_path / "b" / "c.html").write_bytes(html_page())
    (tmp_path / ".hidden.txt").write_text("Hidden Headline\nShould not be read.\n")
    (tmp_path / "picture.png").write_bytes(b"\x89PNG\r\n")
    articles, errors, notes = _run([str(tmp_path)])
    assert [Path(a.location).name for a in articles] == ["a.txt", "c.html"]
    assert errors == []
    assert notes == [(str(tmp_path), "skipped 1 file(s) newsdesk does not read: picture.png")]


def test_unknown_extension_given_explicitly_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(b"%PDF-1.7")
    _, errors, _ = _run([str(path)])
    assert len(errors) == 1
    assert str(errors[0]).startswith(f"{path}: has the extension .pdf, which newsdesk does not read (newsdesk reads ")


def test_missing_path_and_other_schemes(tmp_path: Path) -> None:
    _, errors, _ = _run([str(tmp_path / "nope.txt"), "ftp://example.org/a.txt"])
    assert [str(e) for e in errors] == [
        f"{tmp_path / 'nope.txt'}: no such file or folder (check the path)",
        "ftp://example.org/a.txt: is not a file, a folder or an http(s) URL (download it first)",
    ]


def test_bad_files_are_reported_and_the_batch_goes_on(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Ferry Service Resumes On The Lake\nBoats sailed again on Friday.\n")
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 10)
    (tmp_path / "cut.html.gz").write_bytes(gzip.compress(html_page(), mtime=0)[:200])
    (tmp_path / "broken.md").write_text("---\ntitle: a: b\n---\nText.\n")
    (tmp_path / "big.txt").write_text("Big Headline Line\n" + "word " * 3000)
    articles, errors, _ = _run([str(tmp_path)], Settings(offline=True, max_bytes=10_000))
    assert [a.title for a in articles] == ["Ferry Service Resumes On The Lake"]
    problems = sorted((Path(e.location).name, type(e).__name__) for e in errors)
    assert problems == [
        ("big.txt", "TooLargeError"),
        ("binary.txt", "BinaryInputError"),
        ("broken.md", "FrontMatterError"),
        ("cut.html.gz", "CompressionError"),
        ("empty.txt", "EmptyInputError"),
    ]


def test_gzipped_html_file(tmp_path: Path) -> None:
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(html_page(), mtime=0))
    articles, errors, _ = _run([str(path)])
    assert errors == []
    assert articles[0].title == "Tram line approved after marathon council session"
    assert articles[0].format == "html"


def test_stdin_is_read_with_dash() -> None:
    articles, errors, _ = _run(["-"], stdin=b"Pasted Headline For A Story\nPasted text arrives here.\n")
    assert errors == []
    assert (articles[0].title, articles[0].location) == ("Pasted Headline For A Story", "-")


def test_jsonl_records_with_a_bad_line_in_the_middle(tmp_path: Path) -> None:
    path = tmp_path / "articles.jsonl"
    lines = [
        json.dumps(
            {
                "title": "Vote set for Friday",
                "text": "The council will vote.\n\nIt is close.",
                "url": "https://a.example/1",
                "published": "2026-10-20",
                "source": "Alpha",
            }
        ),
        "{not json",
        json.dumps({"title": "No text here"}),
        json.dumps({"html": "<p>Fragment <b>one</b>.</p><p>Two.</p>", "published": "not a date"}),
    ]
    path.write_text("\n".join(lines) + "\n")
    articles, errors, notes = _run([str(path)])
    assert [str(e) for e in errors] == [
        f"{path}#2: is not valid JSON (Expecting property name enclosed in double quotes at column 2) (write one JSON object per line)",
        f'{path}#3: has no text (each record needs "text" or "html"; optional: "title", "url", "published", "source", "author")',
    ]
    first, second = articles
    assert (first.title, first.body, first.published, first.published_from, first.source, first.url, first.format) == (
        "Vote set for Friday", "The council will vote.\n\nIt is close.", "2026-10-20", "record", "Alpha", "https://a.example/1", "record",
    )  # fmt: skip
    assert (second.title, second.body, second.published, second.location) == (
        None,
        "Fragment one.\n\nTwo.",
        None,
        f"{path}#4",
    )
    assert notes == [(f"{path}#4", "published value 'not a date' is not a date; stored without a date")]


def test_json_array_of_records(tmp_path: Path) -> None:
    path = tmp_path / "batch.json"
    path.write_text(
        json.dumps({"articles": [{"title": "One", "text": "Body one."}, {"title": "Two", "text": "Body two."}]})
    )
    articles, errors, _ = _run([str(path)])
    assert [(a.title, a.location) for a in articles] == [("One", f"{path}#1"), ("Two", f"{path}#2")]
    assert errors == []


def test_feed_file_offline_uses_entry_content_and_reports_empty_entries(tmp_path: Path) -> None:
    path = tmp_path / "ridge.rss"
    path.write_text(RSS)
    articles, errors, _ = _run([str(path)])
    assert len(articles) == 1
    entry = articles[0]
    assert entry.title == "Pass closed by landslide"
    assert (entry.published, entry.published_from) == ("2026-10-11T08:00:00+02:00", "feed")
    assert (entry.author, entry.source, entry.url) == (
        "Ilse Varga",
        "Ridge Courier",
        "https://ridge.example/2026/10/11/pass-closed",
    )
    assert entry.body == "The Orvel pass was closed on Sunday after a landslide buried the road.\n\nNo one was hurt."
    assert entry.format == "feed"
    assert [str(e) for e in errors] == [
        f"https://ridge.example/2026/10/12/empty: entry 2 of {path} has no text and no page that can be fetched "
        "(drop --offline to fetch the entry's page)"
    ]


def test_feed_detected_by_content_in_a_txt_file(tmp_path: Path) -> None:
    path = tmp_path / "saved-feed.txt"
    path.write_text(RSS)
    articles, _, _ = _run([str(path)])
    assert [a.title for a in articles] == ["Pass closed by landslide"]


def test_truncated_feed_is_noted_and_its_entries_still_read(tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_text(
        "<?xml version='1.0'?><rss><channel><item><title>Cut off</title><description>Some text survived.</description></item>"
    )
    articles, errors, notes = _run([str(path)])
    assert errors == []
    assert [a.body for a in articles] == ["Some text survived."]
    assert notes[0][0] == str(path)
    assert notes[0][1].startswith("the feed is malformed (")


def test_xml_that_is_not_a_feed_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "settings.xml"
    path.write_text("<?xml version='1.0'?><config><option>1</option></config>")
    _, errors, _ = _run([str(path)])
    assert len(errors) == 1
    assert str(errors[0]).startswith(f"{path}: is not a readable feed (")


def test_encodings_and_line_ends_give_the_same_article(tmp_path: Path) -> None:
    text = "Café Owners Protest New Rules\r\nOwners say the “rules” will cost €2,000.\r\n\r\n\r\n"
    (tmp_path / "utf8.txt").write_bytes(text.encode("utf-8"))
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    (tmp_path / "cp1252.txt").write_bytes(text.encode("cp1252"))
    (tmp_path / "lf.txt").write_bytes(text.replace("\r\n", "\n").encode("utf-8"))
    articles, errors, _ = _run([str(tmp_path)])
    assert errors == []
    assert len({a.id for a in articles}) == 1
    assert articles[0].body == "Owners say the “rules” will cost €2,000."


def test_nul_characters_never_reach_the_record(tmp_path: Path) -> None:
    path = tmp_path / "nul.jsonl"
    path.write_text(json.dumps({"title": "Tab\u0000le", "text": "Body\u0000 text.", "author": "A\u0000na"}) + "\n")
    (article,) = _run([str(path)])[0]
    assert (article.title, article.body, article.author) == ("Table", "Body text.", "Ana")
