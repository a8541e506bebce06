"""Where each service writes its access logs in Log Analytics, and which diagnostic settings
send them there. Pure: facts from the Azure Monitor references, cited per entry.

A diagnostic setting's `logAnalyticsDestinationType` picks the table: "Dedicated" sends a
category to its resource-specific table, anything else to AzureDiagnostics
(https://learn.microsoft.com/azure/azure-monitor/essentials/resource-logs#send-to-log-analytics-workspace).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

AZURE_DIAGNOSTICS = "AzureDiagnostics"


@dataclass(frozen=True)
class Columns:
    """Where one table keeps a request's host, client, path and status."""

    host: str          # the Host header column; "" when only the URL holds the host
    client: str
    url: str           # the request path, or the whole URL when `url_is_full`
    status: str
    url_is_full: bool = False
    host_fallback: str = ""   # used where `host` is empty (Application Gateway's OriginalHost)


@dataclass(frozen=True)
class AccessLog:
    category: str                    # the diagnostic setting's log category
    dedicated_table: str | None      # resource-specific table, None where only AzureDiagnostics exists
    dedicated: Columns | None        # its columns there
    diagnostics: Columns | None      # its columns in AzureDiagnostics, None where not supported


# Resource type (lower-case) -> its access-log category.
ACCESS_LOGS: dict[str, AccessLog] = {
    # Front Door Standard/Premium: AzureDiagnostics only
    # (https://learn.microsoft.com/azure/azure-monitor/reference/supported-logs/microsoft-cdn-profiles-logs;
    # fields: https://learn.microsoft.com/azure/frontdoor/monitor-front-door#access-log).
    "microsoft.cdn/profiles": AccessLog("FrontDoorAccessLog", None, None,
                                        Columns("hostName_s", "clientIp_s", "requestUri_s", "httpStatusCode_s", True)),
    # Front Door (classic): AzureDiagnostics only; requestUri_s is the whole URL
    # (https://learn.microsoft.com/azure/azure-monitor/reference/supported-logs/microsoft-network-frontdoors-logs).
    "microsoft.network/frontdoors": AccessLog("FrontdoorAccessLog", None, None,
                                              Columns("", "clientIp_s", "requestUri_s", "httpStatusCode_s", True)),
    # App Service: resource-specific only
    # (https://learn.microsoft.com/azure/azure-monitor/reference/tables/appservicehttplogs).
    "microsoft.web/sites": AccessLog("AppServiceHTTPLogs", "AppServiceHTTPLogs",
                                     Columns("CsHost", "CIp", "CsUriStem", "ScStatus"), None),
    "microsoft.web/sites/slots": AccessLog("AppServiceHTTPLogs", "AppServiceHTTPLogs",
                                           Columns("CsHost", "CIp", "CsUriStem", "ScStatus"), None),
    # Application Gateway: AGWAccessLogs or AzureDiagnostics
    # (https://learn.microsoft.com/azure/azure-monitor/reference/tables/agwaccesslogs;
    # https://learn.microsoft.com/azure/application-gateway/application-gateway-diagnostics#access-log).
    "microsoft.network/applicationgateways": AccessLog(
        "ApplicationGatewayAccessLog", "AGWAccessLogs",
        Columns("OriginalHost", "ClientIp", "RequestUri", "HttpStatus", host_fallback="Host"),
        Columns("originalHost_s", "clientIP_s", "requestUri_s", "httpStatus_d", host_fallback="host_s")),
    # API Management: ApiManagementGatewayLogs or AzureDiagnostics; the URL holds the host
    # (https://learn.microsoft.com/azure/azure-monitor/reference/tables/apimanagementgatewaylogs).
    "microsoft.apimanagement/service": AccessLog(
        "GatewayLogs", "ApiManagementGatewayLogs", Columns("", "CallerIpAddress", "Url", "ResponseCode", True),
        Columns("", "callerIpAddress_s", "url_s", "responseCode_d", True)),
}
# Classic CDN profiles log a category of their own to AzureDiagnostics.
CDN_CLASSIC = AccessLog("AzureCdnAccessLog", None, None,
                        Columns("", "clientIp_s", "requestUri_s", "httpStatusCode_s", True))
_ALL_LOGS_GROUPS = {"alllogs"}


@dataclass(frozen=True)
class LogRoute:
    """One resource's access log, sent to one workspace's table."""

    resource_id: str
    workspace_id: str                # ARM id of the Log Analytics workspace
    table: str
    category: str
    columns: Columns


def access_log_of(resource_type: str, sku: str = "") -> AccessLog | None:
    kind = resource_type.lower()
    if kind == "microsoft.cdn/profiles" and sku and not sku.lower().endswith("_azurefrontdoor"):
        return CDN_CLASSIC
    return ACCESS_LOGS.get(kind)


def routes(resource_id: str, log: AccessLog, settings: Iterable[Mapping[str, Any]]) -> list[LogRoute]:
    """The workspaces a resource's access log reaches through its diagnostic settings."""
    out: list[LogRoute] = []
    for setting in settings:
        props = setting.get("properties") or {}
        if not isinstance(props, Mapping):
            raise TypeError(f"diagnostic setting {setting.get('id')!r} has no properties object")
        workspace = props.get("workspaceId")
        if not isinstance(workspace, str) or not workspace or not _sends(props.get("logs"), log.category):
            continue
        dedicated = str(props.get("logAnalyticsDestinationType") or "").lower() == "dedicated"
        if dedicated and log.dedicated_table and log.dedicated:
            out.append(LogRoute(resource_id, workspace, log.dedicated_table, log.category, log.dedicated))
        elif log.diagnostics:
            out.append(LogRoute(resource_id, workspace, AZURE_DIAGNOSTICS, log.category, log.diagnostics))
        elif log.dedicated_table and log.dedicated:
            out.append(LogRoute(resource_id, workspace, log.dedicated_table, log.category, log.dedicated))
    return out


def _sends(logs: Any, category: str) -> bool:
    if not isinstance(logs, list):
        return False
    for entry in logs:
        if not isinstance(entry, Mapping) or entry.get("enabled") is not True:
            continue
        if str(entry.get("category") or "").lower() == category.lower():
            return True
        if str(entry.get("categoryGroup") or "").lower() in _ALL_LOGS_GROUPS:
            return True
    return False
