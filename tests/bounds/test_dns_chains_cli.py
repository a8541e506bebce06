"""CNAME loops, self-loops and over-long chains, through the CLI: the custom domain gets a
finding (it resolves for nobody) and the name a gap (where it leads could not be checked);
the audit never says complete."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from auditor.estate.builder.build import build_estate
from auditor.estate.builder.spec import EstateSpec, HostName, Record, Site, Zone

LONG = 15


def _zone() -> Zone:
    records = [Record("loop1", "CNAME", ("loop2.fabrikam.io",)), Record("loop2", "CNAME", ("loop1.fabrikam.io",)),
               Record("self", "CNAME", ("self.fabrikam.io",))]
    records += [Record(f"hop{i}", "CNAME", (f"hop{i + 1}.fabrikam.io",)) for i in range(LONG)]
    records.append(Record(f"hop{LONG}", "CNAME", ("app-chain.azurewebsites.net",)))
    return Zone("fabrikam.io", records=tuple(records))


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    root = tmp_path_factory.mktemp("chains")
    spec = EstateSpec(
        sites=(Site("app-chain", host_names=(HostName("loop1.fabrikam.io", dns=False),
                                             HostName("self.fabrikam.io", dns=False),
                                             HostName("hop0.fabrikam.io", dns=False))),),
        zones=(_zone(),), config="[history]\nenabled = false\n")
    estate = build_estate(spec, root / "estate")
    proc = subprocess.run([sys.executable, "-m", "auditor", "audit", "--estate", str(estate), "-f", "json",
                           "--fail-on", "critical"], capture_output=True, text=True, cwd=root, timeout=180)
    assert proc.returncode == 3, proc.stderr
    result: dict[str, object] = json.loads(proc.stdout)
    return result


@pytest.mark.parametrize(("name", "reason", "words"), [
    ("loop1.fabrikam.io", "malformed", "CNAME loop"),
    ("self.fabrikam.io", "malformed", "CNAME loop"),
    ("hop0.fabrikam.io", "truncated", "longer than"),
])
def test_broken_chain_is_a_finding_and_a_gap(report: dict[str, object], name: str, reason: str, words: str) -> None:
    coverage = report["coverage"]
    assert isinstance(coverage, dict) and coverage["complete"] is False
    gaps = [g for g in coverage["gaps"] if g["source"] == "dns" and g["target"] == name]
    assert [g["reason"] for g in gaps] == [reason], coverage["gaps"]
    assert words in gaps[0]["detail"]
    findings = report["findings"]
    assert isinstance(findings, list)
    assert any(f["rule"] == "stale-custom-domain" and f["subject"] == name and "never ends" in f["title"]
               for f in findings), [(f["rule"], f["subject"]) for f in findings]
