"""What a live endpoint serves, checked from the chain already fetched, through the command line:
`auditor audit` and `auditor inventory` on one built estate served by the emulator.

Every host name is on site contoso-checks with its own Key Vault certificate; `endpoints`
makes each endpoint serve one case:
  good       healthy, and staples a good OCSP response.
  legacy     speaks only TLS 1.1: the expiry and chain must survive the failed TLS 1.2 handshake.
  oldlegacy  speaks only TLS 1.1 and serves a certificate that expired 3 days ago.
  weakkey    RSA 1024 leaf.
  sha1       issued by an intermediate the root signed with SHA-1.
  order      chain sent out of order (root before the intermediate).
  anchor     the root sent along.
  clientonly leaf EKU clientAuth only: no serverAuth.
  revoked    staples a revoked OCSP response.
  staple     must-staple leaf, and the endpoint staples nothing.
  flaky      its first handshake times out (faults.json, times 1): the retry answers, no gap.
  silent     every handshake times out: a gap, and broken with one clear title.
Sources: RFC 5246 7.4.2 (order), RFC 8446 4.4.2 (the root may be omitted), RFC 5280 4.2.1.12
(EKU), RFC 7633 (must-staple), RFC 6960 (OCSP), CA/Browser Forum BR 6.1.5 (RSA >= 2048),
https://nginx.org/en/docs/http/ngx_http_ssl_module.html#ssl_stapling (stapling on request).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from auditor.estate.builder import (
    AppServiceCertificate,
    Endpoint,
    EstateSpec,
    Fault,
    HostName,
    Site,
    Vault,
    VaultCertificate,
    Zone,
    build_estate,
)
from auditor.model.tls import TlsCheckName

HOSTS = ("good", "legacy", "oldlegacy", "weakkey", "sha1", "order", "anchor", "clientonly", "revoked", "staple", "flaky",
         "silent")


def _host(name: str) -> str:
    return f"{name}.checks.example"


SPEC = EstateSpec(
    vaults=(Vault("kv-checks", certificates=(
        *(VaultCertificate(n, (_host(n),), not_after="+200d") for n in HOSTS),
        VaultCertificate("oldlegacy-expired", (_host("oldlegacy"),), not_after="-3d"))),),
    app_service_certificates=tuple(AppServiceCertificate(n, key_vault=f"kv-checks/{n}") for n in HOSTS),
    sites=(Site("contoso-checks", host_names=tuple(HostName(_host(n), certificate=n) for n in HOSTS)),),
    zones=(Zone("checks.example"),),
    endpoints=(
        Endpoint(_host("good"), ocsp="good"),
        Endpoint(_host("legacy"), max_version="TLSv1.1"),
        Endpoint(_host("oldlegacy"), serve="kv-checks/oldlegacy-expired", max_version="TLSv1.1"),
        Endpoint(_host("weakkey"), key="rsa1024"),
        Endpoint(_host("sha1"), sha1_intermediate=True),
        Endpoint(_host("order"), chain="out-of-order"),
        Endpoint(_host("anchor"), chain="with-root"),
        Endpoint(_host("clientonly"), eku="clientAuth"),
        Endpoint(_host("revoked"), ocsp="revoked"),
        Endpoint(_host("staple"), must_staple=True),
    ),
    faults=(Fault("tls", _host("flaky"), "timeout", times=1), Fault("tls", _host("silent"), "timeout")),
    config="[collect]\ntls_timeout_seconds = 1\n",
)


def _cli(*args: str) -> tuple[int, Any]:
    proc = subprocess.run([sys.executable, "-m", "auditor", *args, "--format", "json", "--quiet"],
                          capture_output=True, text=True, timeout=180, check=False)
    assert proc.returncode != 2, proc.stderr
    return proc.returncode, json.loads(proc.stdout)


@pytest.fixture(scope="module")
def estate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_estate(SPEC, tmp_path_factory.mktemp("tls-checks") / "estate")


@pytest.fixture(scope="module")
def report(estate: Path) -> dict[str, Any]:
    return _cli("audit", "--estate", str(estate), "--no-history")[1]


@pytest.fixture(scope="module")
def findings(report: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(f["rule"], f["subject"]): f for f in report["findings"]
            if f["rule"] in ("tls-endpoint-broken", "tls-weak-protocol")}


@pytest.fixture(scope="module")
def inventory(estate: Path) -> dict[str, dict[str, Any]]:
    _, inv = _cli("inventory", "--estate", str(estate))
    return {o["hostname"]: o for o in inv["tls"] if o["sni"]}


def _checks(finding: dict[str, Any]) -> set[str]:
    return {c["check"] for c in finding["evidence"].get("checks", [])}


def test_tls11_only_endpoint_keeps_its_expiry_and_chain_in_the_inventory(
        inventory: dict[str, dict[str, Any]]) -> None:
    legacy = inventory[_host("legacy")]
    assert legacy["status"] == "handshake-failed"
    assert legacy["negotiated_version"] == "TLSv1.1"
    assert legacy["accepts_tls11"] is True
    assert [c["subject"] for c in legacy["chain"]] == [
        f"CN={_host('legacy')},O=Contoso Ltd", "CN=Contoso Estate Issuing CA 01,O=Contoso Ltd"]
    assert legacy["chain"][0]["not_after"]
    assert legacy["verdict"] == "valid"


def test_tls11_only_endpoint_finding_has_one_clear_title_and_the_expiry(
        findings: dict[tuple[str, str], dict[str, Any]], inventory: dict[str, dict[str, Any]]) -> None:
    broken = findings[("tls-endpoint-broken", _host("legacy"))]
    assert broken["title"] == f"https://{_host('legacy')} is broken: only TLSv1.1 is offered"
    assert "handshake handshake" not in broken["title"]
    assert broken["evidence"]["served_not_after"] == inventory[_host("legacy")]["chain"][0]["not_after"]
    assert len(broken["evidence"]["served_chain"]) == 2
    assert ("tls-weak-protocol", _host("legacy")) in findings


def test_an_expired_certificate_behind_tls11_only_is_critical_with_its_expiry(
        findings: dict[tuple[str, str], dict[str, Any]], inventory: dict[str, dict[str, Any]]) -> None:
    broken = findings[("tls-endpoint-broken", _host("oldlegacy"))]
    assert broken["title"] == f"https://{_host('oldlegacy')} is broken: only TLSv1.1 is offered, expired"
    assert broken["severity"] == "critical"
    assert broken["evidence"]["problems"] == ["expired"]
    assert broken["evidence"]["served_not_after"] == inventory[_host("oldlegacy")]["chain"][0]["not_after"]
    assert inventory[_host("oldlegacy")]["verdict"] == "expired"


def test_healthy_stapling_endpoint_is_not_reported(findings: dict[tuple[str, str], dict[str, Any]],
                                                   inventory: dict[str, dict[str, Any]]) -> None:
    assert not [key for key in findings if key[1] == _host("good")]
    assert inventory[_host("good")]["ocsp_stapled"] is True
    assert inventory[_host("weakkey")]["ocsp_stapled"] is False


@pytest.mark.parametrize(("name", "rule", "check"), [
    ("weakkey", "tls-weak-protocol", "weak-key"),
    ("sha1", "tls-weak-protocol", "weak-signature"),
    ("anchor", "tls-weak-protocol", "anchor-sent"),
    ("order", "tls-endpoint-broken", "chain-order"),
    ("clientonly", "tls-endpoint-broken", "server-auth-eku"),
    ("revoked", "tls-endpoint-broken", "ocsp-staple"),
    ("staple", "tls-endpoint-broken", "ocsp-must-staple"),
])
def test_each_served_weakness_is_named_in_the_evidence(
        findings: dict[tuple[str, str], dict[str, Any]], name: str, rule: str, check: str) -> None:
    finding = findings[(rule, _host(name))]
    assert _checks(finding) == {check}
    assert TlsCheckName(check).phrase in finding["title"]


def test_weak_key_and_signature_are_in_the_inventory(inventory: dict[str, dict[str, Any]]) -> None:
    leaf = inventory[_host("weakkey")]["chain"][0]
    assert (leaf["key_type"], leaf["key_bits"]) == ("RSA", 1024)
    assert inventory[_host("sha1")]["chain"][1]["signature_hash"] == "sha1"


def test_a_sha1_signed_intermediate_is_weak_and_untrusted(findings: dict[tuple[str, str], dict[str, Any]]) -> None:
    # current verifiers (cryptography's, browsers') no longer accept a SHA-1 signature in the path
    broken = findings[("tls-endpoint-broken", _host("sha1"))]
    assert broken["evidence"]["problems"] == ["untrusted"]
    assert "not served" not in broken["evidence"]["detail"]   # the path is placed; the signature is the problem


def test_a_weakness_is_reported_once_by_its_rule(findings: dict[tuple[str, str], dict[str, Any]]) -> None:
    # a weak key does not break clients here; EKU and order do not merely weaken
    assert ("tls-endpoint-broken", _host("weakkey")) not in findings
    assert ("tls-weak-protocol", _host("clientonly")) not in findings
    assert findings[("tls-endpoint-broken", _host("order"))]["severity"] == "medium"
    assert findings[("tls-weak-protocol", _host("anchor"))]["severity"] == "low"


def test_a_timeout_is_retried_once_and_a_gap_only_when_it_persists(
        report: dict[str, Any], findings: dict[tuple[str, str], dict[str, Any]]) -> None:
    tls_gaps = {(g["target"], g["reason"]) for g in report["coverage"]["gaps"] if g["source"] == "tls"}
    assert tls_gaps == {(_host("silent"), "timeout")}
    assert not [key for key in findings if key[1] == _host("flaky")]
    assert findings[("tls-endpoint-broken", _host("silent"))]["title"] == \
        f"https://{_host('silent')} is broken: no answer in time"
