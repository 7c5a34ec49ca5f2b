"""The write stage: cited key points, a latest-state title, a summary, discrepancies, and the optional writer."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from newsdesk.analyse import split_sentences
from newsdesk.analyse.quantities import find_quantities, same_value
from newsdesk.errors import WriterError
from newsdesk.extract.dates import sort_key
from newsdesk.pipeline import ingest
from newsdesk.publish.markdown import story_markdown
from newsdesk.records import Article, Citation, Discrepancy, StoryPage, article_id
from newsdesk.settings import Settings
from newsdesk.store import Store, open_store
from newsdesk.write import compose_page, write_story
from newsdesk.write.compress import claim_span, headline_span, headline_text
from newsdesk.write.discrepancies import find_discrepancies
from newsdesk.write.keypoints import choose_points
from newsdesk.write.llm import rewrite_page
from newsdesk.write.shorten import is_deletion
from newsdesk.write.units import Material
from newsdesk.write.verify import citation_problems, page_sentences, supported

ROOT = Path(__file__).resolve().parent.parent


def _ingest(store: Store, *inputs: str) -> None:
    report = ingest(list(inputs), store, Settings(offline=True))
    assert report.ok, report.failures


def _extractive(text: str, citations: tuple[Citation, ...]) -> bool:
    """Each sentence of ``text`` is part of a cited quote (only a first letter may have been capitalised)."""
    return all(any(s.text[1:] in c.quote for c in citations) for s in split_sentences(text))


def _deletion(headline: str, citations: tuple[Citation, ...]) -> bool:
    """A key-point headline is a deletion of a cited quote: its words are a subsequence of the quote's."""
    return any(is_deletion(headline, c.quote) for c in citations)


def _bodies(store: Store, page: StoryPage) -> dict[str, str]:
    return {a.id: a.body for a in store.get_articles(a.id for a in page.articles)}


@pytest.fixture(scope="module")
def seed_page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[StoryPage, dict[str, str]]]:
    from conftest import SHARED

    if not (SHARED / "seeds").is_dir():
        pytest.fail(f"the shared seeds are missing at {SHARED / 'seeds'}: put ../shared beside the checkout")
    with open_store(str(tmp_path_factory.mktemp("seeds") / "s.db")) as store:
        _ingest(store, str(SHARED / "seeds"))
        stories = store.list_stories()
        assert len(stories) == 1
        page = write_story(store, stories[0].id)
        yield page, _bodies(store, page)


# -- the seeds -------------------------------------------------------------------------------------


@pytest.mark.shared
def test_every_citation_quotes_its_article_exactly(seed_page: tuple[StoryPage, dict[str, str]]) -> None:
    page, bodies = seed_page
    assert page.citations(), "the page cites nothing"
    assert citation_problems(page, bodies) == []


@pytest.mark.shared
def test_every_claim_carries_a_citation_that_contains_it(seed_page: tuple[StoryPage, dict[str, str]]) -> None:
    page, _ = seed_page
    assert 2 <= len(page.summary_sentences) <= 3
    assert 4 <= len(page.key_points) <= 8
    headlines = {p.headline for p in page.key_points}
    for text, citations in page_sentences(page):
        assert citations, text
        assert _extractive(text, citations) or (text in headlines and _deletion(text, citations)), text


@pytest.mark.shared
def test_title_says_the_meeting_happened(seed_page: tuple[StoryPage, dict[str, str]]) -> None:
    page, _ = seed_page
    assert page.title is not None
    assert "meets Trump" in page.title
    assert "about to" not in page.title and not page.title.lower().startswith("big news")
    assert page.independent_source_count == 2 and page.article_count == 5
    # The summary opens with the latest development: the talks happened.
    assert "two hours" in page.summary_sentences[0].text


@pytest.mark.shared
def test_key_points_cover_the_story(seed_page: tuple[StoryPage, dict[str, str]]) -> None:
    page, _ = seed_page
    said = " ".join(p.text + " " + " ".join(c.quote for c in p.citations) for p in page.key_points)
    # The summary and the key points never say the same thing twice, so the facts are on the page
    # once: in one or the other.
    said += " " + (page.summary or "")
    for fact in ("30,000", "two hours", "Venezuela", "ELN", "drug trafficking", "sanctions"):
        assert fact in said, fact
    for point in page.key_points:
        assert not any(s.text in point.text or point.text in s.text for s in page.summary_sentences), point.text
    # What an earlier report said was about to happen is out of date once the latest report says it did.
    assert not any("is heading to Washington" in p.text for p in page.key_points)
    # Points that two independent families state are ranked first: the summary takes them, citing both.
    assert page.key_points[0].support >= 1
    family = {a.id: a.family for a in page.articles}
    assert any(len({family[c.article] for c in s.citations}) == 2 for s in page.summary_sentences[1:])
    # Digests are never cited as a key point's own sentence (they are not sources).
    digest = next(a.id for a in page.articles if a.role == "digest")
    assert all(p.citations[0].article != digest for p in page.key_points)


@pytest.mark.shared
def test_border_length_discrepancy_is_shown_with_citations(seed_page: tuple[StoryPage, dict[str, str]]) -> None:
    page, _ = seed_page
    border = [d for d in page.discrepancies if "border" in d.about]
    assert len(border) == 1
    values = [c.value for c in border[0].claims]
    assert any("2,200" in v or "1,367" in v for v in values)
    assert any("2,219" in v for v in values)
    intellinews = next(a.id for a in page.articles if a.source == "Intellinews")
    cited = {c.value: {x.article for x in c.citations} for c in border[0].claims}
    assert any(intellinews in articles for value, articles in cited.items() if "2,219" in value)
    # Agreeing figures are not discrepancies: everyone says 30,000 troops.
    assert not [d for d in page.discrepancies if "troop" in d.about or "soldier" in d.about]


@pytest.mark.shared
def test_the_digests_wrong_meeting_date_is_flagged_not_repeated(seed_page: tuple[StoryPage, dict[str, str]]) -> None:
    page, _ = seed_page
    digest = next(a.id for a in page.articles if a.role == "digest")
    dates = [d for d in page.discrepancies if d.kind == "date"]
    assert dates, "the meeting date discrepancy is missing"
    values = {c.value[:10]: {x.article for x in c.citations} for c in dates[0].claims}
    assert values["2026-02-03"] - {digest}, "an independent report dates the meeting February 3"
    assert digest in values["2026-02-06"]
    weekday = [d for d in page.discrepancies if d.kind == "weekday"]
    assert weekday and "Friday" in weekday[0].about and weekday[0].claims[0].citations[0].article == digest
    # The digest's timeline turns the sanctions its own sources say were imposed into threatened ones.
    status = [d for d in page.discrepancies if d.kind == "status"]
    assert len(status) == 1 and "sanctions" in status[0].about and "Petro" in status[0].about
    imposed, threatened = status[0].claims
    assert imposed.value.startswith("imposed") and {c.article for c in imposed.citations} - {digest}
    assert threatened.value.startswith("threatened") and {c.article for c in threatened.citations} == {digest}
    # Nothing the page says as a claim of its own puts the meeting on February 6.
    for text, _citations in page_sentences(page):
        assert "Feb 6" not in text and "February 6" not in text, text


@pytest.mark.shared
def test_seed_page_renders_in_the_aggregator_shape(seed_page: tuple[StoryPage, dict[str, str]]) -> None:
    page, _ = seed_page
    markdown = story_markdown(page)
    assert "(5 articles, 2 independent sources, 1 of them with no known outlet)" in markdown
    assert re.search(r"^\*\*[^*]+\*\*", markdown, re.MULTILINE), "bold key-point headlines"
    listed = re.findall(r"^(\d+)\. ", markdown, re.MULTILINE)
    assert listed == [str(n) for n in range(1, 6)]
    for number in set(re.findall(r"\[(\d+)\]", markdown)):
        assert 1 <= int(number) <= 5
    assert "summary of [" in markdown and "digest of [" in markdown


# -- parts -----------------------------------------------------------------------------------------


def test_compression_only_removes_and_keeps_a_substring() -> None:
    sentence = (
        "According to officials in Varnholt, the ferry company has cancelled 40 crossings this week, "
        "which stranded hundreds of lorries at the port, the harbour master said."
    )
    start, end = claim_span(sentence)
    assert sentence[start:end].startswith("the ferry company")
    start, end = headline_span(sentence)
    assert sentence[start:end] == "the ferry company has cancelled 40 crossings this week"
    assert headline_text(sentence) == "The ferry company has cancelled 40 crossings this week"
    untouched = "The bridge reopened on Monday."
    assert headline_text(untouched) == "The bridge reopened on Monday"
    # A long leading subordinate clause gives way to the main clause, but only when the headline is too long.
    long_lead = (
        "While the ferry company and the harbour master argued for most of the week over who should pay "
        "for the repairs to the ramp, hundreds of lorries waited at the port of Varnholt."
    )
    assert headline_text(long_lead) == "Hundreds of lorries waited at the port of Varnholt"
    short_lead = "While they argued, lorries waited."
    assert headline_text(short_lead) == "While they argued, lorries waited"
    # A relative clause inside the subject is not a trailing clause: cutting it would leave a bare name.
    inside_subject = (
        "The Varnholt Chamber of Commerce, which had put the cost of the closure at €2 million a day, "
        "said the ferries were back not a day too soon."
    )
    assert headline_text(inside_subject) == inside_subject.rstrip(".")
    apposition = "The only road into Varnholt, the A9, was closed for most of Tuesday after the harbour wall gave way."
    assert headline_text(apposition) == apposition.rstrip(".")
    # A clause joined without a comma is cut only from a headline far over length, and not after a span of time.
    run_on = (
        "Three people died in a burning bank in Varnholt after hooded youths threw petrol bombs through a window "
        "during a general strike over pay and pensions."
    )
    assert headline_text(run_on) == "Three people died in a burning bank in Varnholt"
    assert headline_text("The ferry sank in 1998 after a storm.") == "The ferry sank in 1998 after a storm"
    decades = (
        "Ada Morrow, the singer whose records found a cult following four decades after she quit the stage, "
        "has died at her home in Varnholt, her family said on Sunday."
    )
    assert "four decades" not in headline_text(decades).split(",")[0]
    assert not headline_text(decades).endswith("four decades")


def test_quantities_convert_units_and_find_what_they_measure() -> None:
    (border,) = find_quantities("The two states share a 1,367 mile (2,200km) border.")
    assert border.noun == "border" and border.dimension == "length"
    (frontier,) = find_quantities("Troops patrol the 2,219-kilometre frontier.")
    assert frontier.noun == "border"  # the same thing under another name
    assert not same_value(border, frontier)
    (miles,) = find_quantities("a 100-mile road")
    (km,) = find_quantities("a 160.9 km road")
    assert same_value(miles, km)
    assert find_quantities("On February 3, 2026 at 11:00, in the 1960s") == []
    (money,) = find_quantities("a $450mn aid package")
    assert money.value == 450e6 and money.dimension == "money:USD"


def test_support_check_needs_the_figures_and_the_words() -> None:
    quote = "The council approved 12 new bus routes for the northern districts on Tuesday."
    assert supported("The council approved 12 new bus routes.", [quote])
    assert not supported("The council approved 14 new bus routes.", [quote])
    assert not supported("The mayor resigned after protests over the routes.", [quote])
    assert not supported("The council approved 12 new bus routes.", [])


# -- the sample corpus -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    with open_store(str(tmp_path_factory.mktemp("corpus") / "c.db")) as store:
        _ingest(store, str(ROOT / "examples" / "corpus"))
        yield store


def test_every_corpus_page_keeps_the_citation_contract(corpus_store: Store) -> None:
    stories = corpus_store.list_stories()
    assert len(stories) >= 4
    for story in stories:
        page = write_story(corpus_store, story.id)
        assert citation_problems(page, _bodies(corpus_store, page)) == []
        headlines = {p.headline for p in page.key_points}
        for text, citations in page_sentences(page):
            faithful = _extractive(text, citations) or (text in headlines and _deletion(text, citations))
            assert citations and faithful, (story.id, text)
        assert page.title and page.summary


def test_a_long_story_is_written_from_its_latest_articles(corpus_store: Store) -> None:
    story = max(corpus_store.list_stories(), key=lambda s: s.article_count)
    assert story.article_count >= 4
    members = corpus_store.story_members(story.id)
    articles = corpus_store.get_articles(m.article_id for m in members)
    families = corpus_store.families(a.id for a in articles)
    full = compose_page(story, articles, families)
    assert full.written_from is None and full.to_dict()["written_from"] == story.article_count
    page = compose_page(story, articles, families, focus_articles=2)
    latest = sorted(articles, key=lambda a: (sort_key(a.published) or "", a.id))[-2:]
    assert page.written_from == 2 and page.to_dict()["written_from"] == 2
    assert page.article_count == story.article_count and len(page.articles) == story.article_count
    text_citations = [page.title_citation] if page.title_citation else []
    text_citations += [c for s in page.summary_sentences for c in s.citations]
    text_citations += [c for k in page.key_points for c in k.citations]
    assert text_citations and {c.article for c in text_citations} <= {a.id for a in latest}
    assert citation_problems(page, _bodies(corpus_store, page)) == []
    assert "Written from the latest 2 of the" in story_markdown(page)


def test_writing_is_deterministic(corpus_store: Store) -> None:
    for story in corpus_store.list_stories():
        first = write_story(corpus_store, story.id).to_dict()
        assert write_story(corpus_store, story.id).to_dict() == first


# -- the optional writer, against a scripted OpenAI-compatible server on 127.0.0.1 ---------------------


class _ChatServer(ThreadingHTTPServer):
    answer: dict[str, Any]
    requests: list[dict[str, Any]]


class _ChatHandler(BaseHTTPRequestHandler):
    server: _ChatServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append({"path": self.path, "body": body, "auth": self.headers.get("Authorization")})
        content = json.dumps(self.server.answer)
        reply = {"choices": [{"index": 0, "message": {"role": "assistant", "content": content}}]}
        data = json.dumps(reply).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def chat_server() -> Iterator[_ChatServer]:
    server = _ChatServer(("127.0.0.1", 0), _ChatHandler)
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_llm_writer_keeps_supported_sentences_and_drops_invented_ones(
    corpus_store: Store, chat_server: _ChatServer
) -> None:
    story = max(corpus_store.list_stories(), key=lambda s: s.article_count)
    page = write_story(corpus_store, story.id)
    cited = page.key_points[0].citations[0]
    # The writer numbers the page's cited sentences in order of first citation.
    numbered = list(dict.fromkeys((c.article, c.start, c.end) for c in page.citations()))
    n = numbered.index((cited.article, cited.start, cited.end)) + 1
    every = [numbered.index((c.article, c.start, c.end)) + 1 for c in page.key_points[0].citations]
    words = cited.quote.rstrip(".").split()
    faithful = " ".join(words[: max(8, len(words) // 2)]).rstrip(",;:") + "."
    chat_server.answer = {
        "title": page.title,
        "summary": [
            {"text": faithful, "cite": [n]},
            {"text": "The minister later resigned after 45 protesters stormed the building.", "cite": [n]},
        ],
        # The headline may be a deletion of another family's wording of the point: cite all of the point's.
        "key_points": [{"point": 1, "headline": page.key_points[0].headline, "text": faithful, "cite": every}],
    }
    host, port = chat_server.server_address[:2]
    settings = Settings(llm_url=f"http://{host}:{port}/v1", llm_model="scripted", llm_key="secret")
    written = rewrite_page(page, settings)
    assert chat_server.requests[0]["path"] == "/v1/chat/completions"
    assert chat_server.requests[0]["auth"] == "Bearer secret"
    assert chat_server.requests[0]["body"]["model"] == "scripted"
    assert written.dropped_sentences == 1
    # The title, two summary sentences, and the point's headline and text were checked.
    assert written.written_sentences == 5
    assert "1 of the 5 sentences it wrote were dropped" in story_markdown(written)
    assert "resigned" not in (written.summary or "")
    assert written.summary_sentences[0].text == faithful
    assert written.key_points[0].text == faithful
    assert written.writer == "llm:scripted"
    assert citation_problems(written, _bodies(corpus_store, written)) == []


def test_llm_writer_needs_an_endpoint(corpus_store: Store) -> None:
    page = write_story(corpus_store, corpus_store.list_stories()[0].id)
    with pytest.raises(WriterError, match="NEWSDESK_LLM_URL"):
        rewrite_page(page, Settings())
    with pytest.raises(WriterError, match="check NEWSDESK_LLM_URL"):
        rewrite_page(page, Settings(llm_url="http://127.0.0.1:9/v1", llm_model="m", timeout=2))


def test_corpus_pages_match_their_golden_file() -> None:
    from golden import GOLDEN_PAGES, corpus_pages

    assert corpus_pages() == GOLDEN_PAGES.read_text(encoding="utf-8"), "run scripts/regen_golden.py and review the diff"


# -- imposed or only threatened ----------------------------------------------------------------------


def _report(body: str, published: str, source: str, *, kind: str = "report") -> Article:
    return Article(
        id=article_id(source, body), title=None, body=body, published=published, published_from="record",
        author=None, source=source, url=None, language="en", kind=kind, location=f"test:{source}", format="record",
    )  # fmt: skip


def _statuses(*articles: Article) -> list[Discrepancy]:
    material = Material(articles, {})
    return [d for d in find_discrepancies(material) if d.kind == "status"]


_IMPOSED = (
    "The Borsland government imposed sanctions on Vesnian energy minister Ilka Moran and two of her deputies on "
    "Monday, freezing their assets. Officials in Vesnia called the measure hostile."
)


def test_a_later_text_that_calls_imposed_sanctions_threatened_is_flagged() -> None:
    report = _report(_IMPOSED, "2026-03-02", "Borsland Courier")
    digest = _report(
        "Relations between the neighbours soured this spring, with Borsland threatening sanctions on Ilka Moran "
        "over the pipeline dispute.",
        "2026-03-05",
        "Digest Daily",
        kind="digest",
    )
    found = _statuses(report, digest)
    assert len(found) == 1
    flagged = found[0]
    assert "sanctions on" in flagged.about and "Moran" in flagged.about
    imposed, threatened = flagged.claims
    assert imposed.value.startswith("imposed") and {c.article for c in imposed.citations} == {report.id}
    assert threatened.value.startswith("threatened") and {c.article for c in threatened.citations} == {digest.id}
    for claim in flagged.claims:
        for citation in claim.citations:
            body = report.body if citation.article == report.id else digest.body
            assert body[citation.start : citation.end] == citation.quote


@pytest.mark.parametrize(
    ("later", "published"),
    [
        # Threatened first, imposed later: the story moved on, nobody disagrees.
        ("Borsland has threatened sanctions on Ilka Moran, officials said.", "2026-02-20"),
        # More sanctions on top of those imposed: no contradiction.
        ("Borsland threatened further sanctions on Ilka Moran if the pipeline stays shut.", "2026-03-06"),
        # A threat against someone else, or by someone else.
        ("Borsland threatened sanctions on Tovar Kessel, the pipeline's operator.", "2026-03-06"),
        ("Meanwhile Ostrava may impose sanctions on Ilka Moran as well.", "2026-03-06"),
        # Tariffs are not sanctions.
        ("Borsland threatened tariffs on Ilka Moran's ministry suppliers.", "2026-03-06"),
    ],
)
def test_threats_that_do_not_contradict_an_imposed_measure_are_not_flagged(later: str, published: str) -> None:
    report = _report(_IMPOSED, "2026-03-02", "Borsland Courier")
    assert _statuses(report, _report(later, published, "Digest Daily", kind="digest")) == []


def test_an_independent_report_of_a_threat_is_not_taken_for_a_contradiction() -> None:
    # Another outlet's "threatening sanctions" may be someone else's threat: only derived texts are checked.
    report = _report(_IMPOSED, "2026-03-02", "Borsland Courier")
    other = _report(
        "Borsland is threatening sanctions on Ilka Moran, the Herald learned.", "2026-03-05", "Vesnia Herald"
    )
    assert _statuses(report, other) == []


def test_a_measure_said_not_to_be_imposed_is_not_taken_as_imposed() -> None:
    denied = _report(
        "Borsland has not imposed sanctions on Ilka Moran, despite weeks of pressure.", "2026-03-02", "Borsland Courier"
    )
    threat = _report("Borsland is threatening sanctions on Ilka Moran.", "2026-03-03", "Digest Daily", kind="digest")
    assert _statuses(denied, threat) == []


# -- one office, two holders -------------------------------------------------------------------------


def _names(*articles: Article) -> list[Discrepancy]:
    return [d for d in find_discrepancies(Material(articles, {})) if d.kind == "name"]


def test_two_reports_that_name_different_holders_of_one_office_are_flagged() -> None:
    first = _report(
        "Valdorian Defence Minister Marek Oszlo said the border posts would reopen on Friday.", "2026-05-04", "Wire A"
    )
    second = _report(
        "The posts reopen on Friday, Valdorian Defence Minister Teodor Brannick told reporters in the capital.",
        "2026-05-04",
        "Wire B",
    )
    found = _names(first, second)
    assert len(found) == 1 and found[0].about == "who is Valdorian Defence Minister"
    by_name = {c.value: {x.article for x in c.citations} for c in found[0].claims}
    assert by_name == {"Marek Oszlo": {first.id}, "Teodor Brannick": {second.id}}


@pytest.mark.parametrize(
    ("other", "published"),
    [
        ("Valdorian Defence Minister Oszlo said the posts reopen on Friday.", "2026-05-04"),  # one person, shorter
        ("Valdorian Defence Minister Marek Oslzo said the posts reopen on Friday.", "2026-05-04"),  # spelt two ways
        ("Former Valdorian Defence Minister Teodor Brannick said the posts reopen.", "2026-05-04"),  # a predecessor
        ("Valdorian Defence Minister Teodor Brannick said the posts reopen.", "2026-05-20"),  # a successor, later
        ("Ostravan Defence Minister Teodor Brannick said the posts reopen.", "2026-05-04"),  # another country
    ],
)
def test_names_that_can_both_be_right_are_not_flagged(other: str, published: str) -> None:
    first = _report("Valdorian Defence Minister Marek Oszlo said the posts reopen on Friday.", "2026-05-04", "Wire A")
    assert _names(first, _report(other, published, "Wire B")) == []


def test_a_headline_in_title_case_is_not_read_as_naming_an_office_holder() -> None:
    headline = _report(
        "Valdorian Defence Minister Orders Border Posts Closed After Night Of Clashes", "2026-05-04", "A"
    )
    report = _report("Valdorian Defence Minister Marek Oszlo ordered the posts closed.", "2026-05-04", "Wire B")
    assert _names(headline, report) == []


def test_clock_times_codes_and_addresses_are_not_figures() -> None:
    for text in (
        "The shooting occurred about 3: 10 p. m. in the 12200 block of 223rd Street.",
        "Polls close at 0300 GMT and results are due by 11.30 pm local time.",
        "See case 20130606 and file 05 for details.",
    ):
        assert [q.text for q in find_quantities(text) if q.noun] == [], text
    # A figure followed by a name is not a count of that name.
    assert [q.noun for q in find_quantities("He scored 26 Points for the 38 Bulls.")] == [None, None]
    # Rounded conversions agree; different figures do not.
    (miles,) = find_quantities("The town lies 40 miles north of the capital.")
    (km,) = find_quantities("The town lies 64 kilometres north of the capital.")
    assert same_value(miles, km)
    (other,) = find_quantities("The town lies 66 kilometres north of the capital.")
    assert not same_value(miles, other)


def test_lines_of_statistics_are_not_compared_figure_by_figure() -> None:
    first = _report("Marlo hit 13 homers with 43 runs in 54 games for the Harbour Gulls.", "2026-09-01", "Wire A")
    second = _report("Over the season Marlo played 157 games for the Harbour Gulls.", "2026-09-02", "Wire B")
    assert [d for d in find_discrepancies(Material([first, second], {})) if d.kind == "number"] == []
    # One figure each, one matter: a disagreement.
    third = _report("Marlo played 54 games for the Harbour Gulls this season.", "2026-09-01", "Wire C")
    flagged = [d for d in find_discrepancies(Material([third, second], {})) if d.kind == "number"]
    assert len(flagged) == 1 and {c.value for c in flagged[0].claims} == {"54", "157"}


def test_a_sentence_about_the_article_itself_is_never_a_key_point(corpus_store: Store) -> None:
    # The Eastmere Clarion's museum piece ends "This article first appeared in the print edition of ...".
    pages = [write_story(corpus_store, s.id) for s in corpus_store.list_stories()]
    museum = next(p for p in pages if p.title and "museum" in p.title.lower())
    assert museum.key_points
    for page in pages:
        for point in page.key_points:
            assert "first appeared" not in point.text and "first appeared" not in point.headline, point.text


def test_the_tail_of_a_quotation_that_spans_sentences_counts_as_quoted() -> None:
    body = (
        "The curator was close to tears. “We packed every clock away in one night. To see them back on the "
        "walls, ticking, is something I will not forget.” The museum opens on Saturday."
    )
    material = Material([_report(body, "2026-10-22", "Eastmere Wire")], {})
    shares = {u.text: u.quoted_share for u in next(iter(material.sentences.values()))}
    assert shares["To see them back on the walls, ticking, is something I will not forget.”"] > 0.9
    assert shares["The museum opens on Saturday."] == 0.0
    assert shares["The curator was close to tears."] == 0.0


def test_a_wire_dateline_is_not_part_of_the_claim() -> None:
    for sentence, claim in (
        ("SKELMARA, Nov 3 (CPW) – At least four people were killed.", "At least four people were killed."),
        ("WASHINGTON (Reuters) - The Senate approved the bill.", "The Senate approved the bill."),
        ("BEIRUT, Lebanon (AP) - Troops shelled the old town.", "Troops shelled the old town."),
    ):
        start, end = claim_span(sentence)
        assert sentence[start:end] == claim
    # An acronym before a dash opens no dateline when a lower-case aside follows it.
    untouched = "NATO - the alliance - said the strikes would go on."
    assert claim_span(untouched) == (0, len(untouched))


def test_a_report_that_dates_two_rounds_of_talks_is_not_a_date_discrepancy() -> None:
    first = _report(
        "Pay talks between the ferry union and the operators broke down on 24 September after nine rounds. "
        "The conciliation service has invited both sides to fresh talks on Friday at its offices.",
        "2026-10-08",
        "Wire A",
    )
    second = _report(
        "The ferry union said both sides will attend talks at the conciliation service on Friday.",
        "2026-10-07",
        "Wire B",
    )
    assert [d for d in find_discrepancies(Material([first, second], {})) if d.kind == "date"] == []
    # One report alone dating those talks a week later disagrees with the others.
    third = _report(
        "Fresh talks at the conciliation service between the ferry union and the operators are set for "
        "16 October, the operators said.",
        "2026-10-08",
        "Wire C",
    )
    flagged = [d for d in find_discrepancies(Material([first, second, third], {})) if d.kind == "date"]
    assert len(flagged) == 1
    assert {c.value[:10] for c in flagged[0].claims} == {"2026-10-09", "2026-10-16"}


def test_the_latest_development_opens_the_key_points() -> None:
    # Three outlets agree on the background; only the latest report says the strike is over. Support alone
    # would rank the background first and could leave the news out of the points.
    background = (
        "Ferry crews in Varnholt walked out on Monday over pay, cancelling every crossing to the islands. "
        "About 900 lorries were queueing at the port of Varnholt by Tuesday night. "
        "The islands' shops said they would run out of fresh milk within days. "
        "The crews' union says pay has fallen behind prices for three years."
    )
    reports = [
        _report(background, "2026-06-02", "Varnholt Wire"),
        _report(background.replace("About 900 lorries were", "Some 900 lorries were"), "2026-06-02", "Isles Post"),
        _report(background.replace("The islands' shops", "Island shops"), "2026-06-03", "Harbour News"),
        _report(
            "The Varnholt ferry strike ended on Thursday after the crews accepted a 5 per cent pay offer, and the "
            "first sailings left at dawn. The queue of lorries at the port was cleared by the evening.",
            "2026-06-04",
            "Coast Daily",
        ),
    ]
    material = Material(reports, {})
    points = choose_points(material, max_points=4)
    assert points[0].unit.text.startswith("The Varnholt ferry strike ended on Thursday")
    assert len({p.unit.text for p in points}) == len(points)


def test_an_anticipation_that_a_later_report_settles_is_not_a_key_point() -> None:
    # Three outlets quote the mediator's hope; a later report says, in its second sentence, that it came true.
    hope = (
        "The mediator, Ines Tarrow, said she was still hopeful that an agreement could be reached before the weekend."
    )
    early = [
        _report(f"Talks on Varnholt ferry fares resumed on Monday. {hope} The crews want a 7 per cent rise.", day, src)
        for day, src in (("2026-06-01", "Varnholt Wire"), ("2026-06-01", "Isles Post"), ("2026-06-02", "Coast Daily"))
    ]
    settled = _report(
        "Crews were back on the boats on Friday morning. The agreement was reached at 3am after a night of talks "
        "at the conciliation office. It gives the crews a 5 per cent rise. The first sailing left at dawn.",
        "2026-06-05",
        "Harbour News",
    )
    texts = [p.text() for p in choose_points(Material([*early, settled], {}), max_points=3)]
    assert texts[0] == "Crews were back on the boats on Friday morning."
    assert any(t.startswith("The agreement was reached at 3am") for t in texts), texts
    assert not any("hopeful" in t for t in texts), texts
    # Without the later report, the mediator's hope is news.
    assert any("hopeful" in p.text() for p in choose_points(Material(early, {}), max_points=3))


def test_a_timestamp_line_is_never_a_key_point() -> None:
    stamp = "Updated: October 6, 2026, 11:34 AM ET"
    reports = [
        _report(f"{stamp}\n\nThe Varnholt ferry strike ended on Thursday after the crews accepted a pay offer.", day, s)
        for day, s in (("2026-10-06", "Varnholt Wire"), ("2026-10-06", "Isles Post"))
    ]
    texts = [p.text() for p in choose_points(Material(reports, {}), max_points=4)]
    assert texts and not any("11:34" in t for t in texts), texts
