"""The catalogue in a real browser: headless Chromium (Debian's ``chromium``) driven by
Playwright, against the app under uvicorn on 127.0.0.1 (``tests/endpoint.running_server``)
with the seed build (``built_settings``).

Each test moves through the pages as a person would (following links, clicking buttons,
typing into the search box), checks what is visible, and saves full-page screenshots in
``tests/artifacts/screenshots/<test-name>.png`` (and ``<test-name>-<step>.png`` for pages
on the way). Every page is watched for console errors, uncaught script errors,
Content-Security-Policy violations, failed requests and HTTP errors: a test with any of
them fails.

Playwright's own browsers are never downloaded (no ``playwright install``): the tests
launch the ``chromium`` on PATH. Without it they fail in CI (``CI`` set; ``.ci/run``
installs it) and are skipped elsewhere, saying how to install it.
"""

from __future__ import annotations

import csv
import http.server
import io
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import unavailable
from tests.endpoint import local_http_server, running_server

try:
    from playwright.sync_api import Browser, Page, expect, sync_playwright
    from playwright.sync_api import Error as PlaywrightError
except ImportError:  # reported by the ``browser`` fixture
    Browser = Page = expect = sync_playwright = None
    PlaywrightError = Exception

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SCREENSHOTS = Path(__file__).parent / "artifacts" / "screenshots"
INSTALL = "apt-get update && apt-get install -y chromium"
TIMEOUT_MS = 15_000

# The indicator followed through the catalogue, as the sources print it.
REMISI = "Persentase narapidana yang mendapatkan hak remisi"
KALBAR_DOC = "KALIMANTAN BARAT"  # in the title of the 2024 IKK decree (002_9c54d10a95a91ac4.txt)
BABEL_DOC = "BANGKA BELITUNG"  # in the title of the 2023 IKU (000_0724a4aaa7b32400.txt)
KALBAR_OFFICE = "Kantor Wilayah Kementerian Hukum dan Hak Asasi Manusia Kalimantan Barat"
BABEL_OFFICE = "Kantor Wilayah Kementerian Hukum dan Hak Asasi Manusia Kepulauan Bangka Belitung"
KALBAR_TARGET = "100 %"  # 002_9c54d10a95a91ac4.txt line 96, verbatim
BABEL_TARGET = "99%"  # 000_0724a4aaa7b32400.txt line 60, verbatim
KALBAR_SOURCE = "/id/sumber/002-9c54d10a95a91ac4#L96"
BABEL_INDICATOR = "/id/dokumen/kemenkumham/kanwil-kepulauan-bangka-belitung/2023/iku/"


# --- fixtures ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def server(built_settings):
    """The app on a real uvicorn on 127.0.0.1, serving the seed build."""
    with running_server(built_settings) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium, started by Playwright."""
    if sync_playwright is None:
        unavailable("the Python package playwright is missing: pip install -e '.[test]'")
    executable = shutil.which("chromium")
    if executable is None:
        unavailable(f"Chromium is not installed (no 'chromium' on PATH): run {INSTALL}")
    with sync_playwright() as p:
        launched = launch(p.chromium)
        try:
            yield launched
        finally:
            launched.close()


def launch(chromium) -> Browser:
    """Debian's Chromium, headless. No sandbox: as root (CI) Chromium refuses to start with
    it ("Running as root without --no-sandbox is not supported"); the only pages it opens are
    our own local server's."""
    return chromium.launch(executable_path=shutil.which("chromium"), chromium_sandbox=False)


class Visit:
    """Browser pages for one test: each watched for errors, screenshots named for the test."""

    def __init__(self, browser: Browser, base_url: str, name: str):
        self.browser = browser
        self.base_url = base_url
        self.name = re.sub(r"[^\w.-]+", "_", name)
        self.problems: list[tuple[str, str]] = []  # (url, what the browser reported)
        self.downloads: set[str] = set()  # answers sent as attachments
        # Requests that were cut off because their page was left: Chromium aborts what the
        # old document still loads (its icon, say) when a link or a form moves on.
        self.left_behind: set[int] = set()
        # The missing favicon is one bug, reported by test_favicon alone.
        self.ignore_favicon = True
        self.contexts = []
        self.last: Page | None = None

    def page(self, **options) -> Page:
        """A new page in a fresh context (own cookies); ``options`` go to the context."""
        context = self.browser.new_context(base_url=self.base_url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        self.contexts.append(context)
        page = context.new_page()
        self._watch(page)
        self.last = page
        return page

    def _watch(self, page: Page) -> None:
        def console(message) -> None:
            where = message.location.get("url") or page.url
            csp = "Content Security Policy" in message.text  # a warning in some versions
            if message.type in ("error", "assert") or csp:
                self.problems.append((where, f"console {message.type}: {message.text}"))

        # Which document each request was made for: a count of the main frame's navigations.
        # A navigation counts as made for its own document, so one cut off by the next
        # navigation (its body not yet all read) is left behind like the loads it started.
        navigations = [0]
        made_for: dict = {}  # request -> navigations when it was made

        def started(request) -> None:
            if request.is_navigation_request() and request.frame == page.main_frame:
                navigations[0] += 1
            made_for[request] = navigations[0]

        def failed(request) -> None:
            if made_for.get(request, navigations[0]) < navigations[0]:
                self.left_behind.add(len(self.problems))
            self.problems.append((request.url, f"{request.method} failed: {request.failure}"))

        def response(answer) -> None:
            if "attachment" in (answer.headers.get("content-disposition") or ""):
                self.downloads.add(answer.url)
            if answer.status >= 400:
                self.problems.append((answer.url, f"{answer.request.method}: {answer.status}"))

        def csp(source, text: str) -> None:
            self.problems.append((source["frame"].url, f"CSP violation: {text}"))

        page.on("console", console)
        page.on("pageerror", lambda error: self.problems.append((page.url, f"script: {error}")))
        page.on("request", started)
        page.on("requestfailed", failed)
        page.on("response", response)
        page.on("download", lambda download: self.downloads.add(download.url))
        # CSP violations also arrive as DOM events; the binding is called through the devtools
        # protocol, which the page's own policy does not govern.
        page.expose_binding("kinerjaCspViolation", csp)
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation', e => "
            "window.kinerjaCspViolation(e.violatedDirective + ' blocked ' + e.blockedURI));"
        )

    def reported(self) -> list[str]:
        """What the browser reported so far, less the expected: downloads, the favicon, and
        loads of a page that was left before they ended."""
        out = []
        for i, (url, text) in enumerate(self.problems):
            aborted = text.endswith("failed: net::ERR_ABORTED")
            if aborted and url in self.downloads:
                continue  # a navigation that turns into a download ends so
            if aborted and i in self.left_behind:
                continue
            if self.ignore_favicon and urlsplit(url).path == "/favicon.ico":
                continue
            out.append(f"{url}: {text}")
        return out

    def shot(self, page: Page, step: str | None = None) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / (f"{self.name}-{step}.png" if step else f"{self.name}.png")
        page.screenshot(path=path, full_page=True)
        return path

    def assert_clean(self) -> None:
        reported, self.problems, self.left_behind = self.reported(), [], set()
        assert not reported, "the browser reported:\n" + "\n".join(reported)

    def close(self) -> None:
        contexts, self.contexts = self.contexts, []
        for context in contexts:
            context.close()


@pytest.fixture
def visit(request, browser, server) -> Iterator[Visit]:
    """Pages for this test; at the end, a screenshot of the last page and no errors."""
    v = Visit(browser, server.url, request.node.name)
    try:
        yield v
        if v.last is not None and not v.last.is_closed():
            v.shot(v.last)
        v.assert_clean()
    finally:
        v.close()


# --- ways through the catalogue, as a person goes ------------------------------------------
def open_remisi_indicator(page: Page) -> None:
    """Home, the Kalimantan Barat document, the remisi row of its table, its page."""
    page.goto("/")
    documents = page.locator("section[aria-labelledby=dok-h]")
    documents.get_by_role("link", name=re.compile(KALBAR_DOC)).click()
    expect(page.locator("h1")).to_contain_text(KALBAR_DOC)
    table = page.locator("section[aria-labelledby=ind-h] table")
    row = table.locator("tr", has=page.get_by_role("link", name=REMISI, exact=True))
    expect(row).to_have_count(1)
    expect(row.locator("td.target")).to_have_text(KALBAR_TARGET)
    row.get_by_role("link", name=REMISI, exact=True).click()
    expect(page.locator("h1")).to_have_text(REMISI)


def column_of(table, header: str) -> int:
    """The 1-based position of the column whose header cell reads ``header``."""
    headers = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    assert header in headers, headers
    return headers.index(header) + 1


def visible_text(page: Page) -> str:
    return page.locator("main").inner_text()


# --- the tests -----------------------------------------------------------------------------
def test_home_page(visit):
    page = visit.page()
    page.goto("/")
    expect(page).to_have_title(re.compile(r"kinerja.*indikator kinerja pemerintah"))
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Indikator kinerja pemerintah Indonesia"
    )
    expect(page.locator("link[rel=stylesheet]")).to_have_attribute("href", "/static/kinerja.css")

    # counts: a number before each kind of thing, two documents among them
    counts = page.locator("ul.counts li")
    expect(counts.first).to_be_visible()
    texts = counts.all_inner_texts()
    assert len(texts) >= 4, texts
    for text in texts:
        assert re.match(r"^[\d.]+\s+\S", text.strip()), f"a count without a number: {text!r}"
    expect(counts.filter(has_text="Dokumen")).to_have_text(re.compile(r"^\s*2\s+Dokumen"))
    expect(counts.filter(has_text=re.compile(r"\d Indikator$"))).to_have_count(1)

    # both documents, each a link to its page
    documents = page.locator("section[aria-labelledby=dok-h]")
    expect(documents.get_by_role("heading", name="Dokumen")).to_be_visible()
    expect(documents.get_by_role("link")).to_have_count(2)
    expect(documents.get_by_role("link", name=re.compile(KALBAR_DOC))).to_be_visible()
    expect(documents.get_by_role("link", name=re.compile(BABEL_DOC))).to_be_visible()

    # the search boxes: one in the header, a big one on the page
    header_box = page.locator("header").get_by_role("searchbox")
    expect(header_box).to_be_visible()
    expect(header_box).to_have_accessible_name("Cari")
    expect(page.get_by_label("Cari indikator, dokumen, peraturan")).to_be_visible()

    # the keyboard: the first Tab reaches the skip link, which then shows and leads to main
    skip = page.get_by_role("link", name="Langsung ke isi")
    page.keyboard.press("Tab")  # from the top of the page, nothing focused yet
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, f"skip link off-screen: {box}"
    visit.shot(page, "skip-link")
    # further Tabs go through the header's links to its search box
    focused = []
    for _ in range(12):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.id || document.activeElement.text"))
        if focused[-1] == "q-top":
            break
    assert focused[0] == "kinerja", focused  # the brand link, home
    assert "Indikator" in focused and "Dokumen" in focused, focused
    assert focused[-1] == "q-top", f"Tab never reached the search box; it went: {focused}"
    expect(header_box).to_be_focused()

    # the skip link works: Enter on it moves to the main content
    page.goto("/")
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/#main$"))
    page.keyboard.press("Tab")  # the next stop is in main, past the header
    in_main = page.evaluate("document.querySelector('main').contains(document.activeElement)")
    assert in_main, page.evaluate("document.activeElement.outerHTML")


def test_indicator_page(visit):
    page = visit.page()
    open_remisi_indicator(page)
    assert urlsplit(page.url).path.startswith("/id/peraturan/keputusan-kakanwil/")
    expect(page).to_have_title(f"{REMISI} · kinerja")
    meta = page.locator("table.meta")

    # the target as printed in the source, its value and unit
    target_row = meta.locator("tr", has=page.locator("th", has_text=re.compile("^Target$")))
    expect(target_row.locator("strong.target")).to_have_text(KALBAR_TARGET)
    expect(target_row).to_contain_text("(tertulis)")
    expect(target_row).to_contain_text("Nilai: 100 persen")
    expect(target_row.get_by_role("link", name="persen")).to_have_attribute(
        "href", "/id/satuan/persen"
    )
    for field, text in [
        ("Tahun", "2024"),
        ("Kantor", KALBAR_OFFICE),
        ("Program", "PROGRAM PENEGAKAN DAN PELAYANAN HUKUM PADA PENYELENGGARAAN PEMASYARAKATAN"),
    ]:
        expect(meta.locator("tr", has=page.locator(f"th:text-is('{field}')"))).to_contain_text(
            text
        )

    # another document states the same indicator: Bangka Belitung, 2023, target 99%
    others = page.locator("section[aria-labelledby=other-h]")
    expect(others.get_by_role("heading", level=2)).to_have_text(
        "Dokumen lain yang menyatakan indikator yang sama (1)"
    )
    rows = others.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(BABEL_OFFICE)
    expect(rows.first.locator("td").nth(1)).to_have_text("2023")
    expect(rows.first.locator("td.target")).to_have_text(BABEL_TARGET)
    other = rows.first.get_by_role("link", name=re.compile(REMISI, re.IGNORECASE))
    expect(other).to_have_attribute("href", re.compile("^" + re.escape(BABEL_INDICATOR)))
    visit.shot(page, "indicator")

    # the source line: its link opens the source text at that line, which reads the same
    source_row = meta.locator("tr", has=page.locator("th:text-is('Sumber')"))
    line = source_row.get_by_role("link", name="baris 96")
    expect(line).to_have_attribute("href", KALBAR_SOURCE)
    line.click()
    expect(page).to_have_url(re.compile(re.escape(KALBAR_SOURCE) + "$"))
    source_line = page.locator("li#L96")
    expect(source_line).to_be_in_viewport()
    expect(source_line).to_contain_text(REMISI)
    expect(source_line).to_contain_text(KALBAR_TARGET)


def test_trace_to_legal_bases(visit):
    page = visit.page()
    open_remisi_indicator(page)
    page.get_by_role("link", name="Lacak dasar hukum").click()
    expect(page).to_have_url(re.compile(r"/jejak/peraturan/keputusan-kakanwil/"))
    expect(page.locator("p.kind")).to_have_text("Jejak indikator")
    expect(page.locator("h1")).to_have_text(REMISI)

    # the chain: indicator, sasaran kegiatan, program, document, legal bases
    hops = page.locator("ol.trace > li")
    expect(hops.locator(":scope > .hop-kind")).to_have_text(
        ["Indikator", "Sasaran kegiatan", "Program", "Dokumen", "Dasar hukum"]
    )
    expect(hops.nth(0)).to_contain_text(REMISI)
    expect(hops.nth(1)).to_contain_text("Meningkatnya Pelayanan Pembinaan Kepribadian")
    expect(hops.nth(2)).to_contain_text("PENYELENGGARAAN PEMASYARAKATAN DI WILAYAH")
    expect(hops.nth(3)).to_contain_text(KALBAR_DOC)
    for hop in range(4):  # each step shows its evidence: a source line
        expect(hops.nth(hop).locator(".evidence a.prov")).to_have_text(re.compile(r"^baris \d+$"))
    bases = hops.nth(4).locator("ol.bases > li")
    expect(bases.first).to_be_visible()
    assert bases.count() >= 8, bases.all_inner_texts()
    expect(bases.filter(has_text="Undang-Undang Nomor 25 Tahun 2004")).to_have_count(1)
    expect(bases.filter(has_text="Undang-Undang Nomor 25 Tahun 2004")).to_contain_text(
        "Sistem Perencanaan Pembangunan Nasional"
    )
    expect(page.get_by_text("Dokumen ini tidak menyebutkan dasar hukum apa pun.")).to_have_count(0)
    visit.shot(page, "kalimantan-barat")

    # the same indicator in Bangka Belitung's document, which names no legal basis
    page.go_back()
    others = page.locator("section[aria-labelledby=other-h]")
    others.get_by_role("link", name=re.compile(REMISI, re.IGNORECASE)).click()
    expect(page.locator("p.kind")).to_have_text("Indikator")
    expect(page.locator("table.meta")).to_contain_text(BABEL_OFFICE)
    page.get_by_role("link", name="Lacak dasar hukum").click()
    expect(page).to_have_url(re.compile(r"/jejak/dokumen/kemenkumham/kanwil-kepulauan-bangka"))
    hops = page.locator("ol.trace > li")
    expect(hops.locator(":scope > .hop-kind")).to_have_text(
        ["Indikator", "Sasaran kegiatan", "Dokumen", "Dasar hukum"]  # the IKU names no program
    )
    expect(hops.nth(2)).to_contain_text(BABEL_DOC)
    expect(page.get_by_text("Dokumen ini tidak menyebutkan dasar hukum apa pun.")).to_be_visible()
    expect(hops.last.locator("ol.bases")).to_have_count(0)

    # what the other document gives, under a heading that names that document
    borrowed = page.locator("section[aria-labelledby=borrowed-h]")
    expect(borrowed.get_by_role("heading", level=2)).to_have_text(
        "Dasar hukum yang disebut dokumen lain untuk indikator yang sama"
    )
    group = borrowed.locator("section.borrowed")
    expect(group).to_have_count(1)
    heading = group.get_by_role("heading", level=3)
    expect(heading).to_contain_text("Menurut")
    expect(heading.get_by_role("link")).to_contain_text(KALBAR_DOC)
    expect(heading).to_contain_text(KALBAR_OFFICE)
    expect(group.locator("li", has_text="Undang-Undang Nomor 25 Tahun 2004")).to_be_visible()


def test_comparison_grid(visit):
    page = visit.page()
    open_remisi_indicator(page)
    page.get_by_role("link", name="Bandingkan antarkantor dan tahun").click()
    expect(page).to_have_url(re.compile(r"/banding/konsep/"))
    expect(page.locator("p.kind")).to_have_text("Perbandingan konsep indikator")
    expect(page.locator("h1")).to_have_text(re.compile(REMISI, re.IGNORECASE))

    # a row per office; the cell of its year holds the target as the source prints it
    table = page.locator("table.grid")
    expect(table).to_be_visible()
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(2)
    for office, year, target in [
        (KALBAR_OFFICE, "2024", KALBAR_TARGET),
        (BABEL_OFFICE, "2023", BABEL_TARGET),
    ]:
        row = rows.filter(has=page.locator("th", has_text=office))
        expect(row).to_have_count(1)
        cell = row.locator(f"td:nth-child({column_of(table, year)})")
        expect(cell.get_by_role("link").first).to_have_text(target)
        expect(cell.locator("a.prov")).to_have_text(re.compile(r"^baris \d+$"))

    # the chart: two bars, one per target
    chart = page.locator("figure.chart svg")
    expect(chart).to_be_visible()
    bars = chart.locator("rect")
    expect(bars).to_have_count(2)
    for i in range(2):
        box = bars.nth(i).bounding_box()
        assert box is not None and box["width"] > 0 and box["height"] > 0, box
    expect(page.locator("figure.chart figcaption")).to_have_text("Target (persen)")

    # the CSV link downloads text/csv with both targets
    link = page.get_by_role("link", name="Unduh CSV")
    with page.expect_download() as info, page.expect_response(
        lambda r: "format=csv" in r.url
    ) as answer:
        link.click()
    assert answer.value.headers["content-type"].startswith("text/csv"), answer.value.headers
    download = info.value
    assert download.suggested_filename.endswith(".csv"), download.suggested_filename
    text = Path(download.path()).read_text(encoding="utf-8")
    rows_ = list(csv.reader(io.StringIO(text)))
    assert len(rows_) == 3, rows_  # header and two targets
    cells = {cell for row in rows_[1:] for cell in row}
    assert {KALBAR_TARGET, BABEL_TARGET} <= cells, rows_


def test_chart_labels_fit_in_the_chart(visit):
    """Each bar's label is drawn whole, inside the chart (not cut off at its left edge)."""
    page = visit.page()
    open_remisi_indicator(page)
    page.get_by_role("link", name="Bandingkan antarkantor dan tahun").click()
    chart = page.locator("figure.chart svg")
    expect(chart).to_be_visible()
    frame = chart.bounding_box()
    labels = chart.locator("text")
    expect(labels).to_have_count(4)  # a label and a value per bar
    cut = []
    for i in range(labels.count()):
        box = labels.nth(i).bounding_box()
        if box["x"] < frame["x"] - 0.5 or box["x"] + box["width"] > frame["x"] + frame["width"]:
            cut.append(f"{labels.nth(i).text_content()!r}: x {box['x'] - frame['x']:.0f} to "
                       f"{box['x'] + box['width'] - frame['x']:.0f} in 0 to {frame['width']:.0f}")
    assert not cut, "labels drawn outside the chart, so cut off:\n" + "\n".join(cut)


def test_search_marks_a_misspelt_source_word(visit):
    page = visit.page()
    page.goto("/")
    box = page.locator("header").get_by_role("searchbox")
    box.click()
    page.keyboard.type("disiplin")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/cari\?q=disiplin$"))
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"q": ["disiplin"]}, page.url
    expect(page.locator("header").get_by_role("searchbox")).to_have_value("disiplin")
    expect(page.locator("p.summary")).to_contain_text("disiplin")

    # results grouped by type: a section per group with a heading, hits as links
    groups = page.locator("main section")
    expect(groups.first).to_be_visible()
    assert groups.count() >= 2, groups.all_inner_texts()
    for i in range(groups.count()):
        section = groups.nth(i)
        expect(section.get_by_role("heading", level=2)).to_have_count(1)
        expect(section.get_by_role("link").first).to_be_visible()
    heading = page.get_by_role("heading", level=2, name=re.compile("^Indikator"))
    expect(groups.filter(has=heading).first).to_be_visible()

    # the source's misspelling "Displin" found and marked, as well as "disiplin"
    marked = page.locator("main mark")
    expect(marked.filter(has_text=re.compile("^Displin$")).first).to_be_visible()
    expect(marked.filter(has_text=re.compile("^disiplin$", re.IGNORECASE)).first).to_be_visible()
    hit = page.get_by_role("link").filter(has=page.locator("mark", has_text="Displin")).first
    expect(hit).to_contain_text("Sadar, Patuh dan Displin")
    href = hit.get_attribute("href")
    assert href and href.startswith("/id/"), href
    visit.shot(page, "results")
    hit.click()
    expect(page.locator("h1")).to_contain_text("Displin")
    page.go_back()
    expect(page.locator("main mark").first).to_be_visible()


def test_english_toggle_keeps_the_page(visit):
    page = visit.page()
    open_remisi_indicator(page)
    path = urlsplit(page.url).path
    nav = page.locator("header nav")
    expect(nav.get_by_role("link")).to_contain_text(["Indikator", "Dokumen"])

    page.locator("header").get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert urlsplit(page.url).path == path, (page.url, path)
    expect(nav.get_by_role("link", name="Indicators", exact=True)).to_be_visible()
    expect(nav.get_by_role("link", name="Documents", exact=True)).to_be_visible()
    expect(page.locator("h1")).to_have_text(REMISI)  # source text is never translated
    expect(page.get_by_role("link", name="Trace to legal bases")).to_be_visible()
    expect(page.get_by_role("link", name="Skip to content")).to_have_count(1)
    visit.shot(page, "english")

    # the choice stays while browsing on
    nav.get_by_role("link", name="Indicators", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Indicators")

    page.locator("header").get_by_role("link", name="Bahasa Indonesia").click()
    expect(page.locator("html")).to_have_attribute("lang", "id")
    assert urlsplit(page.url).path == "/daftar/indikator", page.url
    expect(nav.get_by_role("link", name="Indikator", exact=True)).to_be_visible()
    expect(page.locator("h1")).to_have_text("Indikator")


def result_count(page: Page) -> int:
    summary = page.locator("p.summary").inner_text()
    found = re.match(r"\s*([\d.]+) hasil", summary)
    assert found, summary
    return int(found.group(1).replace(".", ""))


def test_without_javascript(visit):
    page = visit.page(java_script_enabled=False)
    assert page.evaluate("1 + 1") == 2  # the test's own scripts still run; the page's do not

    # an indicator page, reached through links
    open_remisi_indicator(page)
    expect(page.locator("table.meta strong.target")).to_have_text(KALBAR_TARGET)
    expect(page.locator("section[aria-labelledby=other-h] tbody tr")).to_have_count(1)
    expect(page.get_by_role("link", name="Lacak dasar hukum")).to_be_visible()
    visit.shot(page, "indicator")

    # a listing and its facets: choosing one narrows the results, choosing it again undoes it
    page.locator("header nav").get_by_role("link", name="Indikator", exact=True).click()
    expect(page.locator("h1")).to_have_text("Indikator")
    total = result_count(page)
    assert total > 0
    facets = page.locator("aside.facets")
    year = facets.locator("section.facet", has=page.locator("h3:text-is('Tahun')"))
    choice = year.locator("li", has=page.get_by_role("link", name="2024", exact=True))
    expected = int(choice.locator(".count").inner_text().replace(".", ""))
    choice.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"tahun=2024"))
    narrowed = result_count(page)
    assert 0 < narrowed < total, (narrowed, total)
    assert narrowed == expected, (narrowed, expected)
    expect(facets.locator("a[aria-current=true]")).to_have_text(re.compile("2024"))
    rows = page.locator("table.results tbody tr")
    years = rows.locator(f"td:nth-child({column_of(page.locator('table.results'), 'Tahun')})")
    assert set(years.all_inner_texts()) == {"2024"}, years.all_inner_texts()
    visit.shot(page, "listing-2024")

    facets.locator("a[aria-current=true]").click()
    assert result_count(page) == total

    # the language toggle is a plain link: it works without scripts too
    page.locator("header").get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Indicators")


def test_favicon(visit):
    """Browsers ask a site for /favicon.ico; a 404 is an error in the console.

    Chromium asks once per browser, so this test starts its own."""
    browser = launch(visit.browser.browser_type)
    try:
        visit.browser = browser
        visit.ignore_favicon = False
        page = visit.page()
        page.goto("/")
        expect(page.locator("h1")).to_be_visible()
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(300)  # the icon is asked for after the page has loaded
        visit.shot(page)
        visit.assert_clean()
    finally:
        visit.close()
        browser.close()


# --- the watcher itself ----------------------------------------------------------------------
def test_a_failed_load_of_the_page_shown_is_reported(visit):
    """The watcher is not deaf to aborts: an icon that fails while its page stays is an error."""
    page = visit.page()
    page.route("**/static/favicon.svg", lambda route: route.abort("aborted"))
    page.goto("/")
    expect(page.locator("h1")).to_be_visible()
    page.wait_for_load_state("networkidle")
    reported = visit.reported()
    visit.problems = []
    assert reported == [f"{visit.base_url}/static/favicon.svg: GET failed: net::ERR_ABORTED"]


def test_an_aborted_navigation_nothing_cut_off_is_reported(visit):
    """Only a later navigation excuses an aborted one: a page that fails to load by itself
    is an error."""
    page = visit.page()
    page.route("**/daftar/indikator", lambda route: route.abort("aborted"))
    with pytest.raises(PlaywrightError, match="ERR_ABORTED"):
        page.goto("/daftar/indikator")
    reported = visit.reported()
    visit.problems = []
    assert reported == [f"{visit.base_url}/daftar/indikator: GET failed: net::ERR_ABORTED"]


def test_a_load_cut_off_by_leaving_the_page_is_not_an_error(visit):
    """Chromium aborts what a page still loads when the person moves on; that is no failure.

    The page left is another local server's: it sends the start of its document, which asks
    for an image, and never the rest nor the image (its handler waits 10 s, then returns).
    Leaving it cuts off both the document and the image."""

    class Slow(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            if self.path == "/":
                start = b'<!doctype html><title>slow</title><img src="/slow.png" alt="">'
                rest = b"<p>" + b"x" * 4096 + b"</p>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(start) + len(rest)))
                self.end_headers()
                self.wfile.write(start)
                self.wfile.flush()
            threading.Event().wait(10)

        def log_message(self, *args):
            pass

    with local_http_server(Slow) as site:
        page = visit.page()
        with page.expect_request(f"{site}/slow.png"):
            page.goto(site, wait_until="commit")
        with (page.expect_event("requestfailed", lambda r: r.url == f"{site}/slow.png"),
              page.expect_event("requestfailed", lambda r: r.url == f"{site}/")):
            page.goto("/")
        expect(page.locator("h1")).to_be_visible()
        assert (f"{site}/slow.png", "GET failed: net::ERR_ABORTED") in visit.problems
        assert (f"{site}/", "GET failed: net::ERR_ABORTED") in visit.problems
        assert visit.reported() == []
