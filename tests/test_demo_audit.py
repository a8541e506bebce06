"""The demo estate through the real command line: exactly the failure modes SEEDED.md plants,
nothing on the healthy majority, and the decommission check on the retired domain."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from auditor.estate.builder import build_estate, load_spec
from auditor.estate.demo import build_demo, demo_description

PROD = "/subscriptions/3f2c8a14-6b1e-4d2a-9c7e-5a1b2c3d4e5f"
WEB = f"{PROD}/resourceGroups/rg-web/providers/Microsoft.Web"
LEGACY_SECRET = f"{PROD}/resourcegroups/rg-edge/providers/Microsoft.Cdn/profiles/fd-contoso/secrets/" \
                "kv-contoso-wildcard-contoso-legacy-net"

# SEEDED.md, table by table. A new false positive, or a lost finding, fails the audit test.
SEEDED: set[tuple[str, str]] = {
    # a. the retired domain
    ("retired-domain-in-use", "login.contoso-legacy.net"),
    ("retired-domain-in-use", "shop.contoso-legacy.net"),
    ("retired-domain-in-use", "api.contoso-legacy.net"),
    ("cert-expired", "kv-contoso/wildcard-contoso-legacy-net"),
    ("cert-expired", LEGACY_SECRET),
    ("cert-unmanaged", "kv-contoso/wildcard-contoso-legacy-net"),
    ("cert-unmanaged", LEGACY_SECRET),
    ("tls-endpoint-broken", "shop.contoso-legacy.net"),
    # b. www pinned to the expired previous version
    ("cert-expired", f"{WEB}/certificates/www-contoso-com"),
    ("cert-rotation-pinned", f"{WEB}/certificates/www-contoso-com"),
    ("cert-rotation-stale", "www.contoso.com"),
    ("tls-endpoint-broken", "www.contoso.com"),
    # c. billing's uploaded certificate
    ("cert-expiring", f"{WEB}/certificates/billing-contoso-com"),
    ("cert-unmanaged", f"{WEB}/certificates/billing-contoso-com"),
    # d. orders: leaf-only chain, TLS 1.0
    ("tls-endpoint-broken", "orders.contoso.com"),
    ("tls-weak-protocol", "orders.contoso.com"),
    # e. takeover risks
    ("dangling-dns", "promo.contoso.com"),
    ("dangling-dns", "contosoassets.blob.core.windows.net"),
    # f. managed certificate behind a CNAME chain
    ("managed-cert-renewal-at-risk", "news.contoso.com"),
    # g. the unreadable vault
    ("coverage-gap", "kv-secops"),
}

HEALTHY_HOSTS = {"shop.contoso.com", "docs.contoso.com", "status.contoso.com", "cdn.contoso.com",
                 "api.contoso.com", "careers.contoso.com", "portal.contoso.com", "help.contoso.com",
                 "partners.contoso.com", "login.contoso.com"}


def auditor(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "auditor", *args], capture_output=True, text=True,
                          timeout=120, check=False)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("demo") / "estate")


@pytest.fixture(scope="module")
def readable_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo with every vault readable: the only coverage gap gone."""
    spec = load_spec(demo_description())
    vaults = tuple(dataclasses.replace(v, readable=True) for v in spec.vaults)
    return build_estate(dataclasses.replace(spec, vaults=vaults), tmp_path_factory.mktemp("readable") / "estate")


@pytest.fixture(scope="module")
def audit(demo: Path) -> tuple[int, dict[str, Any]]:
    result = auditor("audit", "--estate", str(demo), "--format", "json", "--no-history")
    assert result.stderr.count("Traceback") == 0, result.stderr
    return result.returncode, json.loads(result.stdout)


def test_the_audit_reports_exactly_the_seeded_failure_modes(audit: tuple[int, dict[str, Any]]) -> None:
    _, report = audit
    found = [(f["rule"], f["subject"]) for f in report["findings"]]
    assert len(found) == len(set(found)), "one finding per rule and subject"
    assert set(found) == SEEDED


def test_nothing_is_reported_on_the_healthy_majority(audit: tuple[int, dict[str, Any]]) -> None:
    _, report = audit
    named = {f["subject"] for f in report["findings"]}
    named |= {host for f in report["findings"] for host in f["evidence"].get("bound_to", [])}
    assert not HEALTHY_HOSTS & named
    # Key Vault's renewed versions are healthy; only the pinned copy of www is expired.
    assert not named & {"kv-contoso/www-contoso-com", "kv-contoso/careers-contoso-com"}


def test_the_audit_is_incomplete_and_exits_1(audit: tuple[int, dict[str, Any]]) -> None:
    code, report = audit
    assert code == 1
    assert report["coverage"]["complete"] is False
    assert [(g["source"], g["target"], g["reason"]) for g in report["coverage"]["gaps"]] == \
        [("keyvault", "kv-secops", "forbidden")]


def test_seeded_severities(audit: tuple[int, dict[str, Any]]) -> None:
    _, report = audit
    severity = {(f["rule"], f["subject"]): f["severity"] for f in report["findings"]}
    assert severity[("cert-expiring", f"{WEB}/certificates/billing-contoso-com")] == "high"
    assert severity[("retired-domain-in-use", "login.contoso-legacy.net")] == "critical"
    assert severity[("retired-domain-in-use", "api.contoso-legacy.net")] == "high"   # a record only
    assert severity[("cert-expired", f"{WEB}/certificates/www-contoso-com")] == "critical"


def test_subjects_follow_the_contract(audit: tuple[int, dict[str, Any]]) -> None:
    _, report = audit
    for finding in report["findings"]:
        subject = finding["subject"]
        if subject.startswith("/subscriptions/"):
            assert subject.lower() == finding["resource_id"].lower()
        elif "/" in subject:
            assert subject == subject.lower() and subject.count("/") == 1    # vault/name
        else:
            assert subject == subject.lower() and not subject.endswith(".")


def test_no_secret_value_reaches_the_report(audit: tuple[int, dict[str, Any]]) -> None:
    _, report = audit
    text = json.dumps(report)
    assert "https://login.contoso-legacy.net/callback" not in text
    assert "AUTH_CALLBACK_URL" in text          # the setting is named, its value is not


def _decommission(estate: Path, target: str) -> tuple[int, dict[str, Any]]:
    result = auditor("decommission", "check", target, "--estate", str(estate), "--format", "json")
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, json.loads(result.stdout)


def test_decommission_of_the_retired_domain_lists_its_dependents(demo: Path) -> None:
    code, answer = _decommission(demo, "contoso-legacy.net")
    assert code == 1
    assert answer["schema"] == "auditor-decommission/1"
    assert answer["target"] == "contoso-legacy.net"
    assert answer["safe"] is False
    assert answer["complete"] is False
    assert [g["target"] for g in answer["gaps"]] == ["kv-secops"]
    found = {(d["kind"], d["hostname"], d["resource_id"].lower().rsplit("/", 1)[-1]) for d in answer["dependents"]}
    assert found == {
        ("app-setting", "login.contoso-legacy.net", "signin"),
        ("custom-domain", "shop.contoso-legacy.net", "shop-contoso-legacy-net"),
        ("dns-record", "api.contoso-legacy.net", "api"),
        ("dns-record", "shop.contoso-legacy.net", "shop"),
        ("dns-record", "_dnsauth.shop.contoso-legacy.net", "_dnsauth.shop"),
        ("certificate", "*.contoso-legacy.net", "kv-contoso"),
        ("certificate", "*.contoso-legacy.net", "kv-contoso-wildcard-contoso-legacy-net"),
        ("frontdoor-rule", "shop.contoso-legacy.net", "legacyshop"),
        ("live-traffic", "shop.contoso-legacy.net", "fd-contoso"),      # the Front Door's access log
    }
    live = {d["hostname"]: d.get("traffic") for d in answer["dependents"] if d["hostname"]}
    assert live["shop.contoso-legacy.net"] == "4 requests in 7 d"
    assert live["login.contoso-legacy.net"] is None      # an app setting serves nothing: no claim
    setting = next(d for d in answer["dependents"] if d["kind"] == "app-setting")
    assert setting["where"] == "appsettings.AUTH_CALLBACK_URL"
    assert "callback" not in json.dumps(answer).replace("AUTH_CALLBACK_URL", "")
    assert all(d["remove"] for d in answer["dependents"])


def test_decommission_of_an_unused_name_on_the_demo_is_never_safe(demo: Path) -> None:
    code, answer = _decommission(demo, "nobody-uses-this.example")
    assert code == 3
    assert answer["dependents"] == [] and answer["safe"] is False and answer["complete"] is False


def test_decommission_of_an_unused_name_with_complete_coverage_is_safe(readable_demo: Path) -> None:
    code, answer = _decommission(readable_demo, "nobody-uses-this.example")
    assert (code, answer["safe"], answer["complete"], answer["dependents"], answer["gaps"]) == (0, True, True, [], [])
    code, answer = _decommission(readable_demo, "contoso-legacy.net")
    assert code == 1 and answer["complete"] is True and answer["safe"] is False


def test_decommission_of_a_certificate_by_vault_name_and_by_id(readable_demo: Path) -> None:
    code, answer = _decommission(readable_demo, "kv-contoso/wildcard-contoso-legacy-net")
    assert (code, answer["target"], answer["complete"]) == (1, "kv-contoso/wildcard-contoso-legacy-net", True)
    assert {(d["kind"], d["hostname"]) for d in answer["dependents"]} == {
        ("certificate", "*.contoso-legacy.net"),          # the Front Door secret that follows it
        ("custom-domain", "shop.contoso-legacy.net"),     # bound there, once
    }
    code, answer = _decommission(readable_demo, "https://kv-contoso.vault.azure.net/certificates/careers-contoso-com")
    assert (code, answer["target"]) == (1, "kv-contoso/careers-contoso-com")
    assert {(d["kind"], d["hostname"]) for d in answer["dependents"]} == {
        ("certificate", "careers.contoso.com"), ("custom-domain", "careers.contoso.com")}
