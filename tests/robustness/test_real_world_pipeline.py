"""Real-world payload situations through the whole pipeline and the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from scenario_estate import LEGACY, NULL_PROPS, PROFILE, SLOT, WEB, write_scenarios


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, "-m", "auditor", *args], capture_output=True, text=True,
                            timeout=120, check=False)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr.lower(), result.stderr
    return result


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = str(write_scenarios(tmp_path_factory.mktemp("scenarios") / "estate"))
    inventory = _run("inventory", "--estate", root, "--format", "json")
    audit = _run("audit", "--estate", root, "--format", "json", "--no-history")
    check = _run("decommission", "check", LEGACY, "--estate", root, "--format", "json")
    return {"codes": (inventory.returncode, audit.returncode, check.returncode),
            "inventory": json.loads(inventory.stdout), "audit": json.loads(audit.stdout),
            "check": json.loads(check.stdout), "text": inventory.stdout + audit.stdout + check.stdout}


def _findings(outcome: dict[str, Any], subject: str) -> set[str]:
    return {f["rule"] for f in outcome["audit"]["findings"] if f["subject"] == subject}


def test_nothing_went_unread(outcome: dict[str, Any]) -> None:
    assert outcome["codes"] == (0, 1, 1)
    assert outcome["inventory"]["coverage"] == {"complete": True, "gaps": []}
    assert outcome["check"]["complete"] is True and outcome["check"]["gaps"] == []
    assert "hunter2" not in outcome["text"]


def test_a_slot_is_collected_and_listed_by_the_decommission_check(outcome: dict[str, Any]) -> None:
    dependents = {(d["kind"], d["hostname"], d["where"]) for d in outcome["check"]["dependents"]
                  if d["resource_id"].lower() == SLOT.lower()}
    assert dependents == {
        ("custom-domain", f"staging.{LEGACY}", "app-service custom domain"),
        ("app-setting", f"login.{LEGACY}", "appsettings.AUTH_CALLBACK_URL"),
        ("connection-string", f"db.{LEGACY}", "connectionstrings.Legacy"),
    }
    assert outcome["check"]["safe"] is False
    assert f"db.{LEGACY}" in {f["subject"] for f in outcome["audit"]["findings"]
                              if f["rule"] == "retired-domain-in-use"}


def test_a_managed_domain_with_empty_secret_and_expiry_invents_nothing(outcome: dict[str, Any]) -> None:
    (domain,) = [d for d in outcome["inventory"]["custom_domains"] if d["hostname"] == "shop.contoso.com"]
    assert domain["certificate_kind"] == "managed" and domain["validation_expires"] is None
    assert domain["expected_targets"] == ["web-h3d9c2a1b0e8f7g6.z01.azurefd.net"]
    (binding,) = [b for b in outcome["inventory"]["bindings"] if b["hostname"] == "shop.contoso.com"]
    assert binding["certificate_key"] is None and binding["certificate_ref"] is None
    assert binding["resource_id"].lower().startswith(PROFILE.lower())
    assert _findings(outcome, "shop.contoso.com") == set()


def test_odd_key_vault_certificates_keep_only_the_dates_they_have(outcome: dict[str, Any]) -> None:
    certs = {c["key"]: c for c in outcome["inventory"]["certificates"]}
    assert certs["kv-edge/disabled-current"]["enabled"] is False
    assert certs["kv-edge/disabled-current"]["not_after"] == "2026-03-29T00:00:00Z"   # the current version's exp
    assert certs["kv-edge/no-policy"]["renewal"] == "unknown"
    assert certs["kv-edge/no-policy"]["not_after"] == "2025-12-19T00:00:00Z"
    assert certs["kv-edge/pending"]["not_after"] is None and certs["kv-edge/pending"]["thumbprint"] is None
    flagged = {f["subject"] for f in outcome["audit"]["findings"] if f["rule"].startswith("cert-")}
    assert flagged.isdisjoint({"kv-edge/pending", "kv-edge/disabled-current", "kv-edge/no-policy"})


def test_rows_with_null_properties_are_inventoried_without_gaps(outcome: dict[str, Any]) -> None:
    resources = {r["id"].lower() for r in outcome["inventory"]["resources"]}
    assert {rid.lower() for rid in NULL_PROPS.values()} <= resources


def test_scm_host_names_are_not_custom_domains(outcome: dict[str, Any]) -> None:
    hosts = {d["hostname"] for d in outcome["inventory"]["custom_domains"]}
    assert hosts == {"api.contoso.com", f"login.{LEGACY}", "tools.contoso.com", f"staging.{LEGACY}",
                     "shop.contoso.com"}
    tools = [d for d in outcome["inventory"]["custom_domains"] if d["serving_resource_id"] == f"{WEB}/tools"]
    assert [d["hostname"] for d in tools] == ["tools.contoso.com"]


def test_upper_case_binding_names_match_lower_case_dns(outcome: dict[str, Any]) -> None:
    for host in ("api.contoso.com", "tools.contoso.com"):
        assert _findings(outcome, host) == set()
        (domain,) = [d for d in outcome["inventory"]["custom_domains"] if d["hostname"] == host]
        assert domain["expected_targets"] == [host.split(".")[0] + ".azurewebsites.net"]
    names = {n["name"] for n in outcome["inventory"]["dns"]}
    assert "api.contoso.com" in names and not any(n != n.lower() or n.endswith(".") for n in names)
