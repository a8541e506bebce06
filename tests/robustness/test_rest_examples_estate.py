"""Every ARM object and Key Vault bundle of the REST examples in one estate, through the command line.

The examples are used as Azure wrote them. Two additions, each named below: a vault object
for the data-plane examples' vault ("myvault" has no ARM example) and the DNS zone the
record-set examples live in ("zone1"), since ARM cannot hold record sets without their zone.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rest_estate import arm_objects, certificate_bundles, write_estate

from auditor.emulator.http.resource_graph import is_indexed, type_of

MYVAULT = {"id": "/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.KeyVault/vaults/myvault",
           "name": "myvault", "type": "Microsoft.KeyVault/vaults", "location": "westus",
           "properties": {"vaultUri": "https://myvault.vault.azure.net"}}
ZONE1 = {"id": "/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/dnsZones/zone1",
         "name": "zone1", "type": "Microsoft.Network/dnsZones", "location": "global", "properties": {}}

# The estate serves no DNS zone for these names, so its DNS refuses them: the audit could not see them.
UNRESOLVABLE = {"www.contoso.com", "proxy.msitesting.net", "record1.zone1", "contoso.com", "w3.contoso.com",
                "contoso.com.website-us-west-2.othercloud.net", "foobar.contoso.com"}
# The registrable domains of those names: custom domains, a redirect URI and Traffic Manager
# endpoints in zones that are not Azure DNS zones of the estate, and that nothing supplied.
UNLISTED_ZONES = {"contoso.com", "msitesting.net", "someurl.com", "othercloud.net"}


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "auditor", *args], capture_output=True, text=True,
                          timeout=120, check=False)


@pytest.fixture(scope="module")
def estate(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("rest-examples")
    written = write_estate(root, [MYVAULT, ZONE1])
    inventory = _run("inventory", "--estate", str(root), "--format", "json")
    audit = _run("audit", "--estate", str(root), "--format", "json", "--no-history")
    return {"root": root, "written": written, "inventory": inventory, "audit": audit}


def _clean(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode in (0, 1, 3), result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr.lower()
    assert "Warning" not in result.stderr


def test_every_example_is_in_the_estate() -> None:
    ids = {o["id"].lower() for o in arm_objects()}
    assert len(ids) == 26
    assert {b["id"].rsplit("/", 2)[-2] for b in certificate_bundles()} == {"selfSignedCert01", "importCert01"}


def test_both_commands_run_cleanly(estate: dict[str, Any]) -> None:
    _clean(estate["inventory"])
    _clean(estate["audit"])
    assert estate["inventory"].returncode == 3   # the refused DNS names below
    assert json.loads(estate["audit"].stdout)["schema"] == "auditor-report/1"


def test_every_indexed_object_is_in_the_inventory(estate: dict[str, Any]) -> None:
    inventory = json.loads(estate["inventory"].stdout)
    seen = {r["id"].lower() for r in inventory["resources"]}
    wanted = {o["id"].lower() for o in estate["written"]["arm"] if is_indexed(o)}
    assert wanted - seen == set()
    types = {type_of(o) for o in estate["written"]["arm"] if is_indexed(o)}
    assert "microsoft.network/frontdoors" in types


def test_services_read_from_the_examples(estate: dict[str, Any]) -> None:
    inventory = json.loads(estate["inventory"].stdout)
    domains = {(d["hostname"], d["service"]) for d in inventory["custom_domains"]}
    assert domains == {("www.contoso.com", "front-door"), ("www.contoso.com", "front-door-classic"),
                       ("proxy.msitesting.net", "api-management")}
    records = {(r["fqdn"], r["type"], tuple(r["values"])) for r in inventory["dns_records"]}
    assert records == {("record1.zone1", "A", ("127.0.0.1",)), ("record1.zone1", "CNAME", ("contoso.com",)),
                       ("record1.zone1", "TXT", ("string1string2",))}
    refs = {(r["kind"], r["hostname"]) for r in inventory["references"]}
    assert ("traffic-manager-endpoint", "foobar.contoso.com") in refs
    assert ("auth-redirect", "someurl.com") in refs
    assert not any(h.endswith((".htm", ".aspx", ".php")) for _, h in refs)


def test_key_vault_certificates_from_the_bundles(estate: dict[str, Any]) -> None:
    certificates = {c["key"]: c for c in json.loads(estate["inventory"].stdout)["certificates"]}
    for key in ("myvault/selfsignedcert01", "myvault/importcert01"):
        assert certificates[key]["not_after"] == "2039-12-31T23:59:59Z"
        assert certificates[key]["renewal"] == "manual"   # issuer Unknown / EmailContacts only
    masked = [c for c in certificates.values() if c["key"].endswith("/sslcertificates/sslcert")]
    assert [c["not_after"] for c in masked] == [None]   # publicCertData "*****": no invented expiry


def test_the_only_gaps_are_names_the_estate_has_no_zone_for(estate: dict[str, Any]) -> None:
    # sample-vault has no keyvault/ folder: it lists empty, which is not a gap.
    for name in ("inventory", "audit"):
        out = json.loads(estate[name].stdout)
        gaps = out["coverage"]["gaps"]
        assert {(g["source"], g["target"], g["reason"]) for g in gaps} == {
            ("dns", n, "unavailable") for n in UNRESOLVABLE} | {
            ("dns-zone", z, "not-listable") for z in UNLISTED_ZONES}
        assert all("refused" in g["detail"] for g in gaps if g["source"] == "dns")


def test_audit_findings_are_the_ones_the_payloads_justify(estate: dict[str, Any]) -> None:
    findings = json.loads(estate["audit"].stdout)["findings"]
    by_rule: dict[str, set[str]] = {}
    for f in findings:
        by_rule.setdefault(f["rule"], set()).add(f["subject"].lower())
    # APIM's certificate expired 2020-12-18 and its customProperties enable TLS 1.0 and 1.1.
    assert any(s.endswith("/service/apimservice1") for s in by_rule["cert-expired"])
    assert "proxy.msitesting.net" in by_rule["tls-weak-protocol"]
    # The Front Door domain's validation is Pending, so its managed certificate will not renew.
    assert by_rule["managed-cert-renewal-at-risk"] == {"www.contoso.com"}
    assert by_rule["coverage-gap"] == UNRESOLVABLE | UNLISTED_ZONES
    assert not any(s.startswith("microsoft.azure") or s.endswith(".htm") for subjects in by_rule.values()
                   for s in subjects)


def test_root_is_a_real_estate(estate: dict[str, Any]) -> None:
    assert (Path(estate["root"]) / "keyvault" / "myvault" / "importCert01").is_dir()
