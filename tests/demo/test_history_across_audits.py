"""Three weekly audits of the demo estate: one failure fixed, then a new one seeded.

The history must show exactly one resolved finding and no new ones after the fix,
and exactly the new failure as new after that.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from auditor.estate.builder import build_estate, load_spec
from auditor.estate.demo import demo_description

PROMO = '  { name = "promo", type = "CNAME", values = ["contoso-promo.azurewebsites.net"] },\n'
BETA = '  { name = "beta", type = "CNAME", values = ["contoso-beta.azurewebsites.net"] },\n'


def build_variant(text: str, folder: Path) -> Path:
    folder.mkdir(parents=True)
    description = folder / "contoso.toml"
    description.write_text(text)
    return build_estate(load_spec(description), folder / "estate")


def audit(auditor: Any, estate: Path, history: Path, cwd: Path) -> dict[str, Any]:
    _, report, _ = auditor("audit", "--estate", str(estate), "--format", "json", "--quiet",
                           "--history", str(history), cwd=cwd)
    return report


def test_fixed_then_new(tmp_path: Path, auditor: Any) -> None:
    original = demo_description().read_text()
    assert PROMO in original, "the demo's dangling promo CNAME moved: update this test"
    history = tmp_path / "history.sqlite"

    first = audit(auditor, build_variant(original, tmp_path / "week1"), history, tmp_path)
    assert first["changes"]["previous_run_id"] is None
    assert ("dangling-dns", "promo.contoso.com") in {(f["rule"], f["subject"]) for f in first["findings"]}

    fixed = original.replace(PROMO, "")
    second = audit(auditor, build_variant(fixed, tmp_path / "week2"), history, tmp_path)
    changes = second["changes"]
    assert changes["previous_run_id"] == first["changes"]["run_id"]
    assert changes["new"] == 0
    assert changes["resolved"] == 1
    resolved = changes["resolved_findings"][0]
    assert (resolved["rule"], resolved["subject"]) == ("dangling-dns", "promo.contoso.com")
    assert changes["still_open"] == len(first["findings"]) - 1

    broken_again = fixed.replace('  { name = "news", type = "CNAME"', BETA + '  { name = "news", type = "CNAME"')
    assert broken_again != fixed
    third = audit(auditor, build_variant(broken_again, tmp_path / "week3"), history, tmp_path)
    statuses = third["changes"]["findings"]
    new = [f for f in third["findings"] if statuses[f["id"]]["status"] == "new"]
    assert [(f["rule"], f["subject"]) for f in new] == [("dangling-dns", "beta.contoso.com")]
    assert third["changes"]["resolved"] == 0
    # First-seen dates survive across runs for findings that stayed open.
    still_open = [f for f in third["findings"] if statuses[f["id"]]["status"] == "open"]
    assert still_open and all(statuses[f["id"]]["first_seen"] for f in still_open)
