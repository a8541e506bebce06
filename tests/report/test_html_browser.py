"""The HTML report in headless Chromium: renders cleanly, asks the network for nothing, stays inert."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from auditor.history import SqliteHistoryStore
from auditor.report import render

from .factories import AS_OF, HOSTILE, finding, hostile_report, sample_report, sample_retired

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [pytest.mark.integration,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is installed by `make`")]
sync_api = pytest.importorskip("playwright.sync_api")


@dataclass
class Visit:
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()


def _open(browser: Any, path: Path, screenshot: str) -> tuple[Any, Visit]:
    visit = Visit()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on("request", lambda r: visit.requests.append(r.url))
    page.on("console", lambda m: visit.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: visit.page_errors.append(str(exc)))

    def on_dialog(dialog: Any) -> None:
        visit.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_timeout(200)   # give anything that would fire late a chance to
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / screenshot), full_page=True)
    return page, visit


def test_report_renders_without_errors_or_network(browser: Any, tmp_path: Path) -> None:
    store = SqliteHistoryStore(tmp_path / "h.sqlite")
    first = sample_report()
    store.record(first)
    later = sample_report(AS_OF + timedelta(days=7))
    later = dataclasses.replace(later, findings=(*later.findings[1:], finding(subject="new.contoso.com")))
    diff = store.record(later)
    path = tmp_path / "report.html"
    path.write_text(render(later, "html", diff=diff, retired=sample_retired()), encoding="utf-8")

    page, visit = _open(browser, path, "report.png")
    assert visit.requests == [path.as_uri()]
    assert visit.console_errors == [] and visit.page_errors == []
    for section in ("Summary", "Changes since the previous run", "Findings by severity",
                    "Certificate expiries, next 90 days", "Retired contoso-legacy.net", "Coverage"):
        assert page.get_by_role("heading", name=section).count() >= 1, section
    assert page.locator("#timeline svg circle").count() == 2     # the 5- and 20-day expiries
    assert page.locator("#changes .badge.new").count() == 1
    assert page.locator("#changes .badge.resolved").count() == 1
    assert page.locator(".retired tr.dependent").count() == 3
    page.close()


def test_hostile_estate_strings_render_inert(browser: Any, tmp_path: Path) -> None:
    path = tmp_path / "hostile.html"
    path.write_text(render(hostile_report(), "html"), encoding="utf-8")
    page, visit = _open(browser, path, "report-hostile.png")
    assert visit.dialogs == []
    assert visit.requests == [path.as_uri()]
    assert visit.console_errors == [] and visit.page_errors == []
    assert page.evaluate("document.querySelectorAll('script').length") == 0
    assert page.evaluate("document.querySelectorAll('main img, main a, main iframe').length") == 0
    assert page.evaluate("[...document.querySelectorAll('*')].filter(e => e.getAttributeNames()"
                         ".some(a => a.startsWith('on'))).length") == 0
    text = page.inner_text("main")
    assert "<script>alert(1)</script>" in text and '<img src=x onerror="alert(2)">' in text
    assert HOSTILE in page.inner_text("#findings")
    page.close()


def test_demo_report_renders_in_chromium(browser: Any, tmp_path: Path) -> None:
    """`auditor demo`'s own HTML report, screenshotted as the artefact a reviewer looks at."""
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "auditor", "demo", "--dir", str(tmp_path / "demo"), "--quiet"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert proc.returncode in (1, 3), proc.stderr        # the demo's seeded failures
    path = tmp_path / "demo" / "report.html"
    page, visit = _open(browser, path, "demo-report.png")
    assert visit.requests == [path.as_uri()]
    assert visit.console_errors == [] and visit.page_errors == [] and visit.dialogs == []
    text = page.inner_text("body")
    for expected in ("login.contoso-legacy.net", "www.contoso.com", "kv-secops", "retired-domain-in-use"):
        assert expected in text, expected
