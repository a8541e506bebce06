"""A small estate whose access logs say more than its configuration: a retired domain served by a
Front Door (AzureDiagnostics), a gateway with a catch-all listener (AGWAccessLogs), an idle App
Service binding (AppServiceHTTPLogs) and an API Management service that logs nowhere."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from collect.service_harness import SUB, arm, arm_id, write_estate

LEGACY = "contoso-legacy.net"
WORKSPACE_CID = "6c7e1f6b-3f0a-4b8e-9d2a-5f3e2a1b0c9d"
WORKSPACE_ID = arm_id("Microsoft.OperationalInsights/workspaces", "law-edge", rg="rg-ops")
FRONT_DOOR = arm_id("Microsoft.Cdn/profiles", "fd-edge")
GATEWAY = arm_id("Microsoft.Network/applicationGateways", "agw-edge")
SITE = arm_id("Microsoft.Web/sites", "signin")
APIM = arm_id("Microsoft.ApiManagement/service", "apim-edge")


def diagnostic(resource_id: str, name: str, *, dedicated: bool, logs: list[dict[str, Any]]) -> dict[str, Any]:
    """As ARM lists it: GET {resource}/providers/Microsoft.Insights/diagnosticSettings
    (https://learn.microsoft.com/rest/api/monitor/diagnostic-settings/list)."""
    return {"id": f"{resource_id}/providers/microsoft.insights/diagnosticSettings/{name}",
            "type": "Microsoft.Insights/diagnosticSettings", "name": name,
            "properties": {"workspaceId": WORKSPACE_ID, "logs": logs, "metrics": [],
                           "logAnalyticsDestinationType": "Dedicated" if dedicated else None}}


def objects() -> list[dict[str, Any]]:
    zone = [arm("Microsoft.Network/dnszones", LEGACY, {"numberOfRecordSets": 5}, location="global")]
    zone += [arm("Microsoft.Network/dnszones/A", f"{LEGACY}/{name}", {"TTL": 300, "ARecords": [{"ipv4Address": ip}]})
             for name, ip in (("shop", "192.0.2.10"), ("login", "192.0.2.11"), ("api", "192.0.2.12"))]
    return zone + [
        arm("Microsoft.OperationalInsights/workspaces", "law-edge", {"customerId": WORKSPACE_CID,
                                                                     "retentionInDays": 30}, rg="rg-ops",
            location="westeurope"),
        arm("Microsoft.Cdn/profiles", "fd-edge", {"provisioningState": "Succeeded"},
            sku={"name": "Standard_AzureFrontDoor"}, location="Global"),
        arm("Microsoft.Cdn/profiles/customDomains", "fd-edge/shop-contoso-legacy-net", {
            "hostName": f"shop.{LEGACY}", "domainValidationState": "Approved",
            "tlsSettings": {"certificateType": "ManagedCertificate", "minimumTlsVersion": "TLS12"}}),
        diagnostic(FRONT_DOOR, "to-law", dedicated=False,
                   logs=[{"category": None, "categoryGroup": "allLogs", "enabled": True}]),
        arm("Microsoft.Network/applicationGateways", "agw-edge", {
            "httpListeners": [{"name": "catch-all", "id": f"{GATEWAY}/httpListeners/catch-all",
                               "properties": {"protocol": "Http", "hostName": None}}]}, location="westeurope"),
        diagnostic(GATEWAY, "to-law", dedicated=True,
                   logs=[{"category": "ApplicationGatewayAccessLog", "enabled": True}]),
        arm("Microsoft.Web/sites", "signin", {"defaultHostName": "signin.azurewebsites.net",
                                              "hostNames": ["signin.azurewebsites.net", f"login.{LEGACY}"],
                                              "httpsOnly": True}, kind="app", location="westeurope"),
        arm("Microsoft.Web/sites/hostNameBindings", f"signin/login.{LEGACY}",
            {"siteName": "signin", "hostNameType": "Verified", "sslState": "Disabled"}),
        diagnostic(SITE, "to-law", dedicated=True, logs=[{"category": "AppServiceHTTPLogs", "enabled": True},
                                                          {"category": "AppServiceConsoleLogs", "enabled": True}]),
        arm("Microsoft.ApiManagement/service", "apim-edge", {
            "gatewayUrl": "https://apim-edge.azure-api.net",
            "hostnameConfigurations": [{"type": "Proxy", "hostName": f"api.{LEGACY}",
                                        "certificateSource": "Managed"}]},
            sku={"name": "Developer", "capacity": 1}, location="westeurope"),
    ]


def rows() -> dict[str, list[dict[str, Any]]]:
    """Log rows with the tables' own columns: AzureDiagnostics for Front Door
    (https://learn.microsoft.com/azure/frontdoor/monitor-front-door#access-log), AGWAccessLogs
    (https://learn.microsoft.com/azure/azure-monitor/reference/tables/agwaccesslogs) and
    AppServiceHTTPLogs (https://learn.microsoft.com/azure/azure-monitor/reference/tables/appservicehttplogs)."""
    fd = FRONT_DOOR.upper()
    front_door = [{"TimeGenerated": f"2025-09-0{d}T1{d}:00:00.1234567Z", "Category": "FrontDoorAccessLog",
                   "ResourceId": fd, "hostName_s": f"shop.{LEGACY}", "clientIp_s": f"203.0.113.{d}",
                   "requestUri_s": f"https://shop.{LEGACY}:443/cart?id={d}", "httpStatusCode_s": "200"}
                  for d in range(4, 10)]
    front_door.append({"TimeGenerated": "2025-08-01T10:00:00Z", "Category": "FrontDoorAccessLog",   # outside the window
                       "ResourceId": fd, "hostName_s": f"old.{LEGACY}", "clientIp_s": "203.0.113.99",
                       "requestUri_s": f"https://old.{LEGACY}:443/", "httpStatusCode_s": "200"})
    gateway = [{"TimeGenerated": "2025-09-09T23:54:00Z", "_ResourceId": GATEWAY.upper(), "ListenerName": "catch-all",
                "Host": f"old-api.{LEGACY}", "OriginalHost": f"old-api.{LEGACY}", "ClientIp": f"198.51.100.{i % 3}",
                "RequestUri": "/v1/orders", "HttpStatus": 404 if i % 2 else 200} for i in range(5)]
    site = [{"TimeGenerated": "2025-09-09T08:00:00Z", "_ResourceId": SITE.upper(), "CsHost": "signin.azurewebsites.net",
             "CIp": "192.0.2.7", "CsUriStem": "/health", "ScStatus": 200}]
    return {"AzureDiagnostics": front_door, "AGWAccessLogs": gateway, "AppServiceHTTPLogs": site}


def write_traffic_estate(root: Path, *, faults: list[dict[str, Any]] | None = None,
                         retired: bool = True) -> Path:
    write_estate(root, objects(), faults)
    folder = root / "logs" / WORKSPACE_CID
    folder.mkdir(parents=True)
    for table, table_rows in rows().items():
        (folder / f"{table}.jsonl").write_text("\n".join(json.dumps(r) for r in table_rows) + "\n")
    (root / "dns").mkdir()
    (root / "dns" / f"{LEGACY}.zone").write_text(
        f"$ORIGIN {LEGACY}.\n$TTL 300\n@ IN SOA ns1 hostmaster 1 3600 600 86400 300\n@ IN NS ns1\n"
        "ns1 IN A 192.0.2.53\nshop IN A 192.0.2.10\nlogin IN A 192.0.2.11\napi IN A 192.0.2.12\n")
    config = "[collect]\nretries = 1\nmax_retry_wait_seconds = 1\ngraph = false\n"
    if retired:
        config += f'[decommission]\nretired_domains = ["{LEGACY}"]\n'
    (root / "auditor.toml").write_text(config)
    return root


__all__ = ["APIM", "FRONT_DOOR", "GATEWAY", "LEGACY", "SITE", "SUB", "WORKSPACE_ID", "write_traffic_estate"]
