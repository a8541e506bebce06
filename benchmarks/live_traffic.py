"""live-traffic: the logs stage on a million access-log rows across 50 workspaces.

Each workspace receives a Front Door's access log (AzureDiagnostics) and an Application
Gateway's (AGWAccessLogs, resource-specific). The stage must send exactly one query per
workspace and table, never one per host, lose nothing (every retired name's requests in the
window counted exactly), and report its time."""

from __future__ import annotations

import json
import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from auditor.config import parse_config
from auditor.core.environment import Environment
from auditor.core.pipeline import run_audit
from benchmarks.emulator_host import EmulatorProcess
from benchmarks.results import Check, ScenarioResult, rounded
from benchmarks.stages import StageClock

NAME = "live-traffic"
WORKSPACES = 50
FULL_ROWS = 1_000_000
RETIRED = "contoso-legacy.net"
HOSTS_PER_RESOURCE = 4
SUB = "00000000-0000-0000-0000-00000000be01"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
AS_OF = "2025-09-10T00:00:00Z"
_WINDOW_DAYS = 7
_AS_OF = datetime(2025, 9, 10, tzinfo=UTC)


def run(scale: float, workdir: Path) -> ScenarioResult:
    rows = max(int(FULL_ROWS * scale), WORKSPACES * 4)
    estate, expected = _build(workdir / "estate", rows)
    config = parse_config({"history": {"enabled": False}, "decommission": {"retired_domains": [RETIRED]},
                           "collect": {"graph": False}})
    emulator = EmulatorProcess(estate, {})
    with emulator as endpoints:
        env = Environment(config=config, network=endpoints.network(), as_of=endpoints.as_of,
                          tenant_id=endpoints.tenant_id, estate=estate)
        clock = StageClock()
        outcome = run_audit(env, progress=clock, rules=["retired-domain-in-use"])
        seconds = time.monotonic() - clock.started
        log = emulator.served()
    stages = clock.durations(seconds)
    queries = len(log.entries("logs"))
    counted: dict[str, int] = {}
    for summary in outcome.inventory.traffic:
        counted[summary.hostname] = counted.get(summary.hostname, 0) + summary.requests
    logs_gaps = [g for g in outcome.report.gaps if g.source.value == "logs"]
    checks = [
        Check("one query per workspace and table", queries == 2 * WORKSPACES, f"{queries} queries"),
        Check("no logs gaps", not logs_gaps, f"{len(logs_gaps)} gaps"),
        Check("every request in the window counted", bool(expected) and counted == expected,
              f"{sum(counted.values()):,} of {sum(expected.values()):,} requests, {len(counted)} of {len(expected)} names"),
    ]
    line = (f"{rows:,} rows in {WORKSPACES} workspaces: logs stage {stages['logs']:.1f} s, {queries} queries "
               f"({stages['logs'] / max(queries, 1) * 1000:.0f} ms each), audit {seconds:.1f} s")
    return ScenarioResult(NAME, scale, line, checks=tuple(checks), data={
        "rows": rows, "workspaces": WORKSPACES, "queries": queries, "audit_seconds": round(seconds, 3),
        "stages": rounded(stages), "requests": log.counts(),
    })


def _build(root: Path, rows: int) -> tuple[Path, dict[str, int]]:
    """The estate, and the requests per retired host name that fall in the window."""
    rng = random.Random(7)
    root.mkdir(parents=True)
    (root / "estate.json").write_text(json.dumps({
        "format": "auditor-estate/1", "tenant_id": TENANT, "as_of": AS_OF,
        "subscriptions": [{"subscriptionId": SUB, "displayName": "edge"}]}))
    objects: list[dict[str, Any]] = []
    expected: dict[str, int] = {}
    per_table = rows // (2 * WORKSPACES)
    for w in range(WORKSPACES):
        cid = f"00000000-0000-4000-8000-{w:012d}"
        workspace = _id("Microsoft.OperationalInsights/workspaces", f"law-{w}")
        front_door = _id("Microsoft.Cdn/profiles", f"fd-{w}")
        gateway = _id("Microsoft.Network/applicationGateways", f"agw-{w}")
        objects += [
            {"id": workspace, "name": f"law-{w}", "type": "Microsoft.OperationalInsights/workspaces",
             "location": "westeurope", "properties": {"customerId": cid}},
            {"id": front_door, "name": f"fd-{w}", "type": "Microsoft.Cdn/profiles", "location": "Global",
             "sku": {"name": "Premium_AzureFrontDoor"}, "properties": {}},
            {"id": gateway, "name": f"agw-{w}", "type": "Microsoft.Network/applicationGateways",
             "location": "westeurope", "properties": {"httpListeners": []}},
            _diagnostic(front_door, workspace, dedicated=False),
            _diagnostic(gateway, workspace, dedicated=True),
        ]
        folder = root / "logs" / cid
        folder.mkdir(parents=True)
        for table, resource in (("AzureDiagnostics", front_door), ("AGWAccessLogs", gateway)):
            lines = []
            for i in range(per_table):
                retired = i % 2 == 0
                host = (f"h{w}-{i % HOSTS_PER_RESOURCE}.{RETIRED}" if retired
                        else f"www{i % 7}.contoso.com")
                # over 21 days before the clock: two thirds of the rows fall before the 7-day window
                when = _AS_OF - timedelta(seconds=rng.randrange(1, 21 * 86400))
                stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
                if retired and when >= _AS_OF - timedelta(days=_WINDOW_DAYS):
                    expected[host] = expected.get(host, 0) + 1
                lines.append(_row(table, resource, host, stamp, i))
            (folder / f"{table}.jsonl").write_text("\n".join(lines) + "\n")
    (root / "arm").mkdir()
    (root / "arm" / "objects.json").write_text(json.dumps(objects))
    return root, expected


def _row(table: str, resource: str, host: str, stamp: str, i: int) -> str:
    client = f"198.51.{i % 200}.{i % 250}"
    if table == "AzureDiagnostics":
        return json.dumps({"TimeGenerated": stamp, "Category": "FrontDoorAccessLog", "ResourceId": resource.upper(),
                           "hostName_s": host, "clientIp_s": client, "requestUri_s": f"https://{host}:443/p{i % 9}",
                           "httpStatusCode_s": "200"})
    return json.dumps({"TimeGenerated": stamp, "_ResourceId": resource.upper(), "Host": host, "OriginalHost": host,
                       "ClientIp": client, "RequestUri": f"/p{i % 9}", "HttpStatus": 200})


def _id(provider_type: str, name: str) -> str:
    return f"/subscriptions/{SUB}/resourceGroups/rg-edge/providers/{provider_type}/{name}"


def _diagnostic(resource: str, workspace: str, *, dedicated: bool) -> dict[str, Any]:
    return {"id": f"{resource}/providers/Microsoft.Insights/diagnosticSettings/to-law",
            "type": "Microsoft.Insights/diagnosticSettings", "name": "to-law",
            "properties": {"workspaceId": workspace, "logs": [{"categoryGroup": "allLogs", "enabled": True}],
                           "logAnalyticsDestinationType": "Dedicated" if dedicated else None}}
