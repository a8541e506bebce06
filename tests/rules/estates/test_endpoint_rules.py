"""Rules about live endpoints and coverage on one estate through the real pipeline:
tls-endpoint-broken, tls-weak-protocol and coverage-gap, and the same rule through
`auditor audit --rule ID`."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from auditor.estate.builder import (
    AppServiceCertificate,
    Endpoint,
    EstateSpec,
    Fault,
    HostName,
    Record,
    Site,
    Vault,
    VaultCertificate,
    Zone,
)

from .pipeline import AuditedEstate, audit_estate

SITES = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-web/providers/Microsoft.Web/sites"


def _cert(name: str, *names: str) -> VaultCertificate:
    return VaultCertificate(name, names)


# example.net (CAA DigiCert), every host name on site contoso-tls unless said otherwise:
#   www        *.example.net wildcard, full chain: healthy.
#   apex       example.net bound to its own certificate, but the endpoint serves the wildcard,
#              which does not cover the apex: wrong name.
#   chain      served leaf-only (the issuing CA missing): incomplete chain.
#   down       the endpoint refuses connections.
#   legacy     on site contoso-legacy-tls, whose minimum TLS is 1.1: weak (configured).
#   old        the endpoint accepts TLS 1.0: weak (accepted).
#   Site contoso-internal has minimum TLS 1.0 and no custom host name: named by its resource id.
# kv-locked cannot be read (403); DNS for flaky.example.net answers SERVFAIL.
ENDPOINTS = EstateSpec(
    vaults=(Vault("kv-tls", certificates=(
        _cert("wild", "*.example.net"), _cert("apex", "example.net"), _cert("chain", "chain.example.net"),
        _cert("down", "down.example.net"), _cert("legacy", "legacy.example.net"), _cert("old", "old.example.net"))),
        Vault("kv-locked", readable=False, certificates=(_cert("vpn", "vpn.example.net"),))),
    app_service_certificates=tuple(AppServiceCertificate(n, key_vault=f"kv-tls/{n}")
                                   for n in ("wild", "apex", "chain", "down", "legacy", "old")),
    sites=(
        Site("contoso-tls", host_names=(
            HostName("www.example.net", certificate="wild"),
            HostName("example.net", certificate="apex", dns=False),
            HostName("chain.example.net", certificate="chain"),
            HostName("down.example.net", certificate="down"),
            HostName("old.example.net", certificate="old"))),
        Site("contoso-legacy-tls", min_tls="1.1", host_names=(HostName("legacy.example.net", certificate="legacy"),)),
        Site("contoso-internal", min_tls="1.0"),
    ),
    zones=(Zone("example.net", records=(
        Record("@", "CAA", ('0 issue "digicert.com"',)),
        Record("@", "A", ("20.105.1.1",)),
        Record("flaky", "CNAME", ("{site:contoso-tls}",)),
    )),),
    endpoints=(
        Endpoint("example.net", serve="kv-tls/wild"),
        Endpoint("chain.example.net", chain="leaf-only"),
        Endpoint("down.example.net", fail="refused"),
        Endpoint("old.example.net", min_version="TLSv1"),
    ),
    faults=(Fault("dns", "flaky.example.net", "servfail"),),
)


@pytest.fixture(scope="module")
def endpoints(tmp_path_factory: pytest.TempPathFactory) -> AuditedEstate:
    return audit_estate(ENDPOINTS, tmp_path_factory.mktemp("endpoints") / "estate")


def test_tls_endpoint_broken(endpoints: AuditedEstate) -> None:
    assert endpoints.subjects("tls-endpoint-broken") == {"example.net", "chain.example.net", "down.example.net"}
    problems = {f.subject: f.evidence.get("problems") for f in endpoints.per_rule["tls-endpoint-broken"].findings}
    assert problems["example.net"] == ["name-mismatch"]      # *.example.net does not cover the apex
    assert problems["chain.example.net"] == ["incomplete-chain"]


def test_tls_weak_protocol(endpoints: AuditedEstate) -> None:
    assert endpoints.subjects("tls-weak-protocol") == {
        "legacy.example.net", "old.example.net", f"{SITES}/contoso-internal"}


def test_coverage_gap(endpoints: AuditedEstate) -> None:
    assert endpoints.subjects("coverage-gap") == {"kv-locked", "flaky.example.net"}
    assert {(g.source.value, g.target) for g in endpoints.report.gaps} == {
        ("keyvault", "kv-locked"), ("dns", "flaky.example.net")}


def test_nothing_else_fires(endpoints: AuditedEstate) -> None:
    assert {rule for rule, _ in endpoints.all_pairs()} == {
        "tls-endpoint-broken", "tls-weak-protocol", "coverage-gap"}


def test_the_command_line_filters_to_one_rule(endpoints: AuditedEstate) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "auditor", "audit", "--estate", str(endpoints.path), "--rule", "tls-weak-protocol",
         "--format", "json", "--no-history"], capture_output=True, text=True, timeout=120, check=False)
    report = json.loads(result.stdout)
    assert {(f["rule"], f["subject"]) for f in report["findings"]} == {
        ("tls-weak-protocol", s) for s in ("legacy.example.net", "old.example.net", f"{SITES}/contoso-internal")}
    assert result.returncode == 3    # medium findings under --fail-on high, and coverage is incomplete
