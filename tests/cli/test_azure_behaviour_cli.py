"""Azure as it really behaves, through `auditor audit` and `auditor decommission check`:
hidden subscriptions, Resource Graph's 16 MiB answer limit and quota, ARM's read bucket,
firewalled and private Key Vaults. Each behaviour's source is cited in the emulator's tests
(tests/emulator/test_azure_limits.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from auditor.config import load_config
from auditor.core.environment import Environment
from auditor.core.pipeline import run_audit
from auditor.emulator import Emulator
from auditor.emulator.requestlog import LoggedRequest
from auditor.estate.builder import (
    EstateSpec,
    Site,
    StorageAccount,
    Subscription,
    Vault,
    VaultCertificate,
    build_estate,
)

SUB1 = "00000000-0000-0000-0000-000000000001"
SUB2 = "00000000-0000-0000-0000-000000000002"
SUB3 = "00000000-0000-0000-0000-000000000003"
SUBS = (Subscription(SUB1, "Production"), Subscription(SUB2, "Shared"), Subscription(SUB3, "Legacy"))


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "auditor", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


def audit_json(estate: Path, cwd: Path) -> tuple[int, dict[str, Any]]:
    proc = cli("audit", "--estate", str(estate), "--format", "json", "--quiet", "--no-history", cwd=cwd)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def gaps_of(report: dict[str, Any]) -> set[tuple[str, str, str]]:
    return {(g["source"], g["target"], g["reason"]) for g in report["coverage"]["gaps"]}


# --- a scope naming a subscription the identity cannot read -----------------------------------

HIDDEN = EstateSpec(
    subscriptions=(Subscription(SUB1, "Production"), Subscription(SUB2, "Finance", access="none")),
    vaults=(Vault("kv-prod", certificates=(VaultCertificate("www", ("www.contoso.com",)),)),
            Vault("kv-finance", subscription=SUB2,
                  certificates=(VaultCertificate("pay", ("pay.contoso.com",), not_after="+5d"),))),
    config=f'[scope]\nsubscriptions = ["{SUB1}", "{SUB2}"]\n',
)


@pytest.fixture(scope="module")
def hidden(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_estate(HIDDEN, tmp_path_factory.mktemp("hidden") / "estate")


def test_a_hidden_subscription_in_scope_is_a_gap_and_the_audit_never_exits_0(hidden: Path, tmp_path: Path) -> None:
    code, report = audit_json(hidden, tmp_path)
    assert code == 3
    assert report["coverage"]["complete"] is False
    assert gaps_of(report) == {("subscription", SUB2, "forbidden")}
    assert report["scope"]["subscriptions"] == [SUB1]          # what was really audited
    assert report["counts"]["certificates"] == 1                # kv-finance is not visible at all


def test_decommission_check_with_a_hidden_subscription_is_never_safe(hidden: Path, tmp_path: Path) -> None:
    proc = cli("decommission", "check", "contoso.com", "--estate", str(hidden), "--format", "json", "--quiet",
               cwd=tmp_path)
    assert "Traceback" not in proc.stderr, proc.stderr
    result = json.loads(proc.stdout)
    assert proc.returncode != 0
    assert result["safe"] is False and result["complete"] is False
    assert {(g["source"], g["target"]) for g in result["gaps"]} == {("subscription", SUB2)}


# --- a management group holding a subscription the identity cannot read ----------------------

UNDER_GROUP = EstateSpec(
    subscriptions=(Subscription(SUB1, "Production"), Subscription(SUB2, "Finance", access="none")),
    vaults=(Vault("kv-prod", certificates=(VaultCertificate("www", ("www.contoso.com",)),)),),
    management_groups=({"name": "mg-corp", "subscriptions": [SUB1, SUB2]},),
    config='[scope]\nmanagement_groups = ["mg-corp"]\n',
)


def test_a_hidden_subscription_under_a_configured_group_is_a_gap_in_audit_and_decommission(tmp_path: Path) -> None:
    estate = build_estate(UNDER_GROUP, tmp_path / "estate")
    code, report = audit_json(estate, tmp_path)
    assert code == 3
    assert gaps_of(report) == {("subscription", SUB2, "forbidden")}
    assert "mg-corp" in report["coverage"]["gaps"][0]["detail"]
    assert report["scope"]["subscriptions"] == [SUB1]
    proc = cli("decommission", "check", "contoso.com", "--estate", str(estate), "--format", "json", "--quiet",
               cwd=tmp_path)
    assert "Traceback" not in proc.stderr, proc.stderr
    result = json.loads(proc.stdout)
    assert proc.returncode != 0 and result["safe"] is False and result["complete"] is False
    assert {(g["source"], g["target"]) for g in result["gaps"]} == {("subscription", SUB2)}


# --- a first Resource Graph page over 16 MiB --------------------------------------------------

def _workflow(i: int) -> dict[str, Any]:
    # Logic Apps carry their whole definition in properties: 450 KB each here.
    rid = f"/subscriptions/{SUB1}/resourceGroups/rg-flows/providers/Microsoft.Logic/workflows/flow{i:02d}"
    steps = {f"step{n:04d}": {"type": "Compose", "inputs": "x" * 440} for n in range(1000)}
    return {"id": rid, "name": f"flow{i:02d}", "type": "Microsoft.Logic/workflows", "location": "westeurope",
            "properties": {"state": "Enabled", "definition": {"actions": steps},
                           "accessEndpoint": f"https://prod-{i:02d}.westeurope.logic.azure.com/workflows/{i}"}}


def test_an_estate_whose_first_page_exceeds_16_mib_audits_completely(tmp_path: Path) -> None:
    flows = tuple(_workflow(i) for i in range(40))
    assert sum(len(json.dumps(f)) for f in flows) > 16 * 1024 * 1024
    estate = build_estate(EstateSpec(arm=flows, storage_accounts=(StorageAccount("stflows"),)), tmp_path / "estate")
    code, report = audit_json(estate, tmp_path)
    assert report["coverage"] == {"complete": True, "gaps": []}
    assert code == 0


# --- firewalled and private vaults ------------------------------------------------------------

VAULTS = EstateSpec(vaults=(
    Vault("kv-fw", network="firewall", certificates=(VaultCertificate("api", ("api.contoso.com",), not_after="+6d"),)),
    Vault("kv-private", network="private",
          certificates=(VaultCertificate("old", ("old.contoso.com",), not_after="-3d"),)),
))


def test_firewalled_and_private_vaults_are_network_blocked_gaps_and_judged_from_metadata(tmp_path: Path) -> None:
    estate = build_estate(VAULTS, tmp_path / "estate")
    code, report = audit_json(estate, tmp_path)
    assert code != 0
    gaps = {g["target"]: g for g in report["coverage"]["gaps"]}
    assert set(gaps) == {"kv-fw", "kv-private"}
    assert gaps["kv-fw"]["reason"] == gaps["kv-private"]["reason"] == "network-blocked"
    assert "ForbiddenByFirewall" in gaps["kv-fw"]["detail"]
    assert "ForbiddenByConnection" in gaps["kv-private"]["detail"]
    found = {(f["rule"], f["subject"]): f for f in report["findings"]}
    expiring = found[("cert-expiring", "kv-fw/api")]
    expired = found[("cert-expired", "kv-private/old")]
    for finding in (expiring, expired):
        assert finding["evidence"]["view"].startswith("metadata only")
    assert expiring["severity"] == "critical" and expiring["evidence"]["days_left"] == pytest.approx(6, abs=0.1)


# --- Azure's default limits, and tightened ones -----------------------------------------------

def _three_subscriptions(**extra: Any) -> EstateSpec:
    return EstateSpec(
        subscriptions=SUBS,
        vaults=tuple(Vault(f"kv-{i}", subscription=s.id, certificates=(
            VaultCertificate(f"c{i}", (f"app{i}.contoso.com",)),)) for i, s in enumerate(SUBS)),
        storage_accounts=tuple(StorageAccount(f"st{i}x{n}", subscription=s.id)
                               for i, s in enumerate(SUBS) for n in range(5)),
        sites=tuple(Site(f"app{i}x{n}", subscription=s.id) for i, s in enumerate(SUBS) for n in range(2)),
        **extra)




def _audit_counting(estate: Path) -> tuple[Any, list[LoggedRequest]]:
    config = load_config(estate / "auditor.toml", required=False)
    emulator = Emulator(estate)
    endpoints = emulator.start()
    try:
        env = Environment(config=config, network=endpoints.network(), as_of=endpoints.as_of,
                          tenant_id=endpoints.tenant_id, estate=estate)
        outcome = run_audit(env)
        served = [e for e in emulator.log.entries() if e.service in ("arm", "arg", "keyvault")]
    finally:
        emulator.stop()
    return outcome.report, served


def test_under_azures_default_limits_three_subscriptions_meet_no_429(tmp_path: Path) -> None:
    estate = build_estate(_three_subscriptions(), tmp_path / "estate")
    report, served = _audit_counting(estate)
    assert report.complete and report.subscriptions == (SUB1, SUB2, SUB3)
    assert served and not [e for e in served if "429" in e.status]


def test_a_subscription_read_past_its_bucket_is_paced_not_throttled(tmp_path: Path) -> None:
    # One subscription asked more than ARM's 250-read burst: the audit waits for tokens
    # (25 a second) on its side instead of emptying the bucket and meeting 429s.
    spec = EstateSpec(subscriptions=SUBS[:1], sites=tuple(Site(f"app{n:02d}", subscription=SUB1) for n in range(60)))
    estate = build_estate(spec, tmp_path / "estate")
    report, served = _audit_counting(estate)
    assert report.complete, report.gaps
    arm = [e for e in served if e.service == "arm"]
    assert len(arm) > 300
    assert not [e for e in arm if e.status == "429"]
    assert arm[-1].at - arm[0].at >= (len(arm) - 250) / 25 - 1.0


def test_under_tightened_limits_the_audit_still_completes(tmp_path: Path) -> None:
    spec = _three_subscriptions(limits={"arg_queries_per_5s": 2, "arm_reads_bucket": 6, "arm_reads_per_second": 3},
                                config="[collect]\nsubscription_batch = 1\n")
    estate = build_estate(spec, tmp_path / "estate")
    report, served = _audit_counting(estate)
    assert report.complete, report.gaps
    assert report.subscriptions == (SUB1, SUB2, SUB3)
    graph = [e for e in served if e.service == "arg"]
    assert [e.status for e in graph] == ["200"] * 3             # paced by the quota headers, never throttled
    assert graph[2].at - graph[0].at >= 3.0                     # the third query waited for the window
    assert [e for e in served if e.service == "arm" and e.status == "429"]   # ARM's bucket ran dry, waited out
