"""The HTML report in headless Chromium, at a desktop width (1400 px) and a phone's (390 px):
renders cleanly, asks the network for nothing, runs only its own script, lists each finding once,
links its sections, sorts its timeline, renders remediation Markdown, and stays inert on hostile
estate strings. Screenshots go to test-artifacts/ for a reviewer to look at."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from auditor.history import SqliteHistoryStore
from auditor.report import render

from .factories import AS_OF, HOSTILE, finding, hostile_report, hostile_retired, sample_report, sample_retired

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
WIDE, PHONE = 1400, 390

pytestmark = [pytest.mark.integration,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is installed by `make`")]
sync_api = pytest.importorskip("playwright.sync_api")


@dataclass
class Visit:
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def clean(self, path: Path) -> bool:
        return (self.requests == [path.as_uri()] and not self.console_errors and not self.page_errors
                and not self.dialogs)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()


def _open(browser: Any, path: Path, screenshot: str | None, width: int = WIDE) -> tuple[Any, Visit]:
    visit = Visit()
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.on("request", lambda r: visit.requests.append(r.url))
    # a CSP violation (a blocked script or style) is reported as a console error
    page.on("console", lambda m: visit.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: visit.page_errors.append(str(exc)))

    def on_dialog(dialog: Any) -> None:
        visit.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_timeout(200)   # give anything that would fire late a chance to
    if screenshot:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / screenshot), full_page=True)
    return page, visit


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`auditor demo`'s own HTML report."""
    workdir = tmp_path_factory.mktemp("demo")
    proc = subprocess.run([sys.executable, "-m", "auditor", "demo", "--dir", str(workdir / "demo"), "--quiet"],
                          capture_output=True, text=True, cwd=workdir, timeout=300)
    assert proc.returncode in (1, 3), proc.stderr        # the demo's seeded failures
    return workdir / "demo" / "report.html"


@pytest.fixture(scope="module")
def sample_with_history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("sample")
    store = SqliteHistoryStore(tmp / "h.sqlite")
    store.record(sample_report())
    later = sample_report(AS_OF + timedelta(days=7))
    later = dataclasses.replace(later, findings=(*later.findings[1:], finding(subject="new.contoso.com")))
    diff = store.record(later)
    path = tmp / "report.html"
    path.write_text(render(later, "html", diff=diff, retired=sample_retired()), encoding="utf-8")
    return path


def _finding_ids(page: Any) -> list[str]:
    return list(page.evaluate("[...document.querySelectorAll('details.finding')].map(d => d.id.slice(2))"))


def _text_count(page: Any, needle: str) -> int:
    return int(page.evaluate("n => document.body.textContent.split(n).length - 1", needle))


@pytest.mark.parametrize("width", [WIDE, PHONE])
def test_demo_report_at_desktop_and_phone_width(browser: Any, demo_report: Path, width: int) -> None:
    page, visit = _open(browser, demo_report, f"demo-report-{width}.png", width)
    assert visit.clean(demo_report), visit
    # nothing wider than the viewport: wide tables scroll inside their own box
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # rule ids, severity headings and table headings are never broken across lines
    # (the line boxes of an element's text: tops a line apart mean it wrapped)
    broken = page.evaluate("""[...document.querySelectorAll('.rule, .kind, th, nav.toc a, .when, h3.group')]
        .filter(el => el.offsetParent !== null)
        .filter(el => { const r = document.createRange(); r.selectNodeContents(el);
                        const tops = [...r.getClientRects()].map(x => x.top);
                        const size = parseFloat(getComputedStyle(el).fontSize);
                        return Math.max(...tops) - Math.min(...tops) > 0.6 * size; })
        .map(el => el.textContent)""")
    assert broken == []
    text = page.inner_text("body")
    for expected in ("What breaks first", "login.contoso-legacy.net", "kv-secops", "retired-domain-in-use"):
        assert expected in text, expected
    if width == WIDE:   # findings are one line each until opened: the page stays a page, not a scroll
        assert page.evaluate("document.body.scrollHeight") < 6000
    page.close()


def test_each_finding_appears_exactly_once(browser: Any, demo_report: Path, sample_with_history: Path) -> None:
    for path in (demo_report, sample_with_history):
        page, _ = _open(browser, path, None)
        ids = _finding_ids(page)
        assert ids and len(ids) == len(set(ids))
        for fid in ids:
            assert page.locator(f'[id="f-{fid}"]').count() == 1
            assert _text_count(page, fid) == 1, fid     # its id is printed once, inside it
        page.close()
    page, _ = _open(browser, demo_report, None)
    assert page.locator("details.finding").count() == int(page.inner_text("nav.toc").split("Findings (")[1].split(")")[0])
    page.close()


def test_in_page_links_all_land_somewhere(browser: Any, demo_report: Path, sample_with_history: Path) -> None:
    for path in (demo_report, sample_with_history):
        page, _ = _open(browser, path, None)
        targets = page.evaluate("[...document.querySelectorAll('a[href^=\"#\"]')].map(a => a.getAttribute('href'))")
        assert {"#summary", "#findings", "#timeline", "#coverage"} <= set(targets)
        missing = [t for t in targets if page.locator(f'[id="{t[1:]}"]').count() != 1]
        assert missing == []
        page.click('nav.toc a[href="#coverage"]')
        assert page.evaluate("location.hash") == "#coverage"
        page.close()


def test_sections_and_changes(browser: Any, sample_with_history: Path) -> None:
    page, visit = _open(browser, sample_with_history, "report.png")
    assert visit.clean(sample_with_history), visit
    for section in ("What breaks first", "Certificate expiries, next 90 days (2)", "Retired contoso-legacy.net",
                    "Findings (8)", "Coverage", "Changes since the previous run"):
        assert page.get_by_role("heading", name=section).count() == 1, section
    assert page.locator("#timeline svg circle").count() == 2     # the 5- and 20-day expiries
    assert page.locator("#expiries tbody a").count() == 2         # each row links to its finding
    assert page.locator("details.finding .badge.new").count() == 1
    assert page.locator("#changes tbody tr").count() == 1         # the resolved one, listed nowhere else
    assert page.locator(".retired tr.dependent").count() == 3
    page.close()


def test_the_timeline_sorts_by_any_column(browser: Any, tmp_path: Path) -> None:
    from .factories import expiring, report

    path = tmp_path / "sorting.html"
    path.write_text(render(report([expiring("kv/b-cert", 40), expiring("kv/a-cert", 70), expiring("kv/c-cert", 5)]),
                           "html"), encoding="utf-8")
    page, visit = _open(browser, path, None)
    assert visit.clean(path), visit

    def column(index: int) -> list[str]:
        return list(page.eval_on_selector_all(f"#expiries tbody tr td:nth-child({index})",
                                              "cells => cells.map(c => c.textContent)"))

    assert column(1) == ["kv/c-cert", "kv/b-cert", "kv/a-cert"]            # soonest first, without a click
    page.click("#expiries th:nth-child(1) button")
    assert column(1) == ["kv/a-cert", "kv/b-cert", "kv/c-cert"]
    page.click("#expiries th:nth-child(3) button")
    assert column(3) == ["5", "40", "70"]
    page.click("#expiries th:nth-child(3) button")
    assert column(3) == ["70", "40", "5"]
    assert page.get_attribute("#expiries th:nth-child(3)", "aria-sort") == "descending"
    page.close()


def test_remediation_markdown_is_rendered_and_the_full_id_is_one_click_away(browser: Any, demo_report: Path) -> None:
    page, _ = _open(browser, demo_report, None)
    first = page.locator("details.finding").first
    assert not first.locator(".remedy").is_visible()
    first.locator("> summary").click()
    assert first.locator(".remedy").is_visible()
    remedies = page.eval_on_selector_all(".remedy", "els => els.map(e => e.textContent)")
    assert remedies and not any("`" in r for r in remedies)
    assert page.locator(".remedy code").count() > 0
    rid = first.locator("details.rid")
    short = rid.locator("summary").inner_text()
    assert not short.startswith("/subscriptions/")
    rid.locator("summary").click()
    assert rid.locator("code.rid").inner_text().startswith("/subscriptions/")
    page.close()


def test_hostile_estate_strings_render_inert(browser: Any, tmp_path: Path) -> None:
    path = tmp_path / "hostile.html"
    path.write_text(render(hostile_report(), "html", retired=hostile_retired()), encoding="utf-8")
    page, visit = _open(browser, path, "report-hostile.png")
    assert visit.clean(path), visit
    assert page.evaluate("document.querySelectorAll('script').length") == 1      # the sorting script only
    assert page.evaluate("document.querySelectorAll('main img, main iframe, main object').length") == 0
    hrefs = page.evaluate("[...document.querySelectorAll('a')].map(a => a.getAttribute('href'))")
    assert all(h.startswith(("#", "https://")) for h in hrefs), hrefs
    assert page.evaluate("[...document.querySelectorAll('*')].filter(e => e.getAttributeNames()"
                         ".some(a => a.startsWith('on'))).length") == 0
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    text = page.inner_text("main")
    assert "<script>alert(1)</script>" in text and '<img src=x onerror="alert(2)">' in text
    assert HOSTILE.replace("`code`", "code") in page.inner_text("#findings")
    page.close()
