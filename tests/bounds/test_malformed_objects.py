"""Validation at the boundary, through the CLI: an ARM or Key Vault object with a wrong type
or an unparseable value is a `malformed` gap naming the object and the field, never
findings from half-parsed data. One estate holds every defect, each in its own object;
the healthy rest must still be audited."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from auditor.estate.builder.build import build_estate
from auditor.estate.builder.spec import (
    AppServiceCertificate,
    EstateSpec,
    FrontDoor,
    FrontDoorDomain,
    HostName,
    Site,
    Vault,
    VaultCertificate,
    Zone,
)

BAD_EXP: dict[str, Any] = {"kv-neg": -1e12, "kv-huge": 1e400, "kv-soon": "soon"}


def _spec() -> EstateSpec:
    vaults = [Vault(name, certificates=(VaultCertificate("web", (f"{name}.fabrikam.io",)),)) for name in BAD_EXP]
    vaults += [Vault("kv-cer", certificates=(VaultCertificate("web", ("cer.fabrikam.io",)),)),
               Vault("kv-ok", certificates=(VaultCertificate("web", ("ok.fabrikam.io",), not_after="+5d"),))]
    return EstateSpec(
        vaults=tuple(vaults),
        app_service_certificates=(AppServiceCertificate("cert-date", source="uploaded", names=("date.fabrikam.io",)),),
        sites=(Site("app-oops", host_names=(HostName("oops.fabrikam.io"),)), Site("app-ok")),
        front_doors=(FrontDoor("fd-seven", domains=(FrontDoorDomain("seven.fabrikam.io"),)),),
        zones=(Zone("fabrikam.io"),),
        config="[history]\nenabled = false\n",
    )


def _edit_arm(estate: Path, id_suffix: str, change: Callable[[dict[str, Any]], None]) -> None:
    for path in (estate / "arm").rglob("*.json"):
        data = json.loads(path.read_text())
        items = data if isinstance(data, list) else [data]
        hit = [i for i in items if i["id"].lower().endswith(id_suffix.lower())]
        for item in hit:
            change(item)
        if hit:
            path.write_text(json.dumps(data))
            return
    raise AssertionError(f"no ARM object ending {id_suffix}")


def _edit_bundles(estate: Path, vault: str, change: Callable[[dict[str, Any]], None]) -> None:
    paths = list((estate / "keyvault" / vault).rglob("*.json"))
    assert paths
    for path in paths:
        bundle = json.loads(path.read_text())
        change(bundle)
        # json.dumps writes 1e400 as Infinity; the literal is what a hostile server would send.
        path.write_text(json.dumps(bundle).replace("Infinity", "1e400"))


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("malformed")
    estate = build_estate(_spec(), root / "estate")
    _edit_arm(estate, "/sites/app-oops", lambda o: o.__setitem__("properties", "oops"))
    _edit_arm(estate, "/certificates/cert-date", lambda o: o["properties"].__setitem__("expirationDate", "not a date"))
    _edit_arm(estate, "/customdomains/seven-fabrikam-io", lambda o: o["properties"].__setitem__("hostName", 7))
    for vault, exp in BAD_EXP.items():
        _edit_bundles(estate, vault, lambda b, exp=exp: b["attributes"].__setitem__("exp", exp))
    _edit_bundles(estate, "kv-cer", lambda b: b.__setitem__("cer", "aGVsbG8sIEkgYW0gbm8gY2VydGlmaWNhdGU="))
    proc = subprocess.run([sys.executable, "-m", "auditor", "audit", "--estate", str(estate), "-f", "json"],
                          capture_output=True, text=True, cwd=root, timeout=180)
    assert proc.returncode in (1, 3), proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def _malformed(report: dict[str, Any], target_part: str) -> list[dict[str, Any]]:
    return [g for g in report["coverage"]["gaps"]
            if target_part in g["target"].lower() and g["reason"] == "malformed"]


@pytest.mark.parametrize(("target", "field"), [
    ("/sites/app-oops", "properties must be an object"),
    ("/certificates/cert-date", "properties.expirationDate"),
    ("fd-seven", "properties.hostName"),
    ("kv-neg/web", "attributes.exp"),
    ("kv-huge/web", "attributes.exp"),
    ("kv-soon/web", "attributes.exp"),
    ("kv-cer/web", "cer is not"),
])
def test_malformed_object_is_a_named_gap(report: dict[str, Any], target: str, field: str) -> None:
    gaps = _malformed(report, target)
    assert gaps, [(g["source"], g["target"], g["reason"], g["detail"]) for g in report["coverage"]["gaps"]]
    assert any(field in g["detail"] for g in gaps), [g["detail"] for g in gaps]
    assert report["coverage"]["complete"] is False


def test_no_findings_from_half_parsed_data(report: dict[str, Any]) -> None:
    subjects = {(f["rule"], f["subject"]) for f in report["findings"] if f["rule"] != "coverage-gap"}
    bad = ("oops", "app-oops", "cert-date", "seven", "kv-neg", "kv-huge", "kv-soon", "kv-cer")
    assert not [s for s in subjects if any(b in s[1] for b in bad)], subjects
    # The healthy rest is still audited.
    assert ("cert-expiring", "kv-ok/web") in subjects
