"""The one KQL query per workspace and table that summarises requests by host name.

Only names under the audit's traffic scope (retired domains, the decommission target) are
kept, so the answer stays small however busy the workspace is. AzureDiagnostics holds many
categories with their own columns, which exist only once something wrote them: those are read
with column_ifexists (https://learn.microsoft.com/azure/data-explorer/kusto/query/column-ifexists-function).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from auditor.normalise.access_logs import AZURE_DIAGNOSTICS, Columns, LogRoute

PATH_SAMPLE = 5
STATUS_SAMPLE = 10


def traffic_query(table: str, routes: Iterable[LogRoute], names: Iterable[str],
                  start: datetime, end: datetime) -> str:
    by_category = {r.category: r.columns for r in routes}
    fuzzy = table == AZURE_DIAGNOSTICS
    lines = [table, f"| where TimeGenerated between (datetime({_iso(start)}) .. datetime({_iso(end)}))"]
    if fuzzy:
        quoted = ", ".join(_string(c) for c in sorted(by_category))
        lines.append(f"| where Category in ({quoted})")
        host, client, path, status = (_by_category(by_category, part, fuzzy) for part in _PARTS)
    else:
        columns = next(iter(by_category.values()), Columns("", "", "", ""))
        host, client, path, status = (part(columns, fuzzy) for part in _PARTS)
    # Names no log table uses: KQL columns are case-sensitive, and AGWAccessLogs has a `Host`.
    lines.append(f"| extend req_host = {host}, req_client = {client}, req_path = {path}, req_status = {status}")
    lines.append("| where " + " or ".join(f"req_host == {_string(n)} or req_host endswith {_string('.' + n)}"
                                           for n in sorted(set(names))))
    resource = "ResourceId" if fuzzy else "_ResourceId"
    lines.append(f"| summarize requests = count(), clients = dcount(req_client), first_seen = min(TimeGenerated), "
                 f"last_seen = max(TimeGenerated), paths = make_set(req_path, {PATH_SAMPLE}), "
                 f"statuses = make_set(req_status, {STATUS_SAMPLE}) by hostname = req_host, "
                 f"resource = tolower({resource})")
    return "\n".join(lines)


def _column(name: str, fuzzy: bool) -> str:
    return f'column_ifexists("{name}", "")' if fuzzy else name


def _host(c: Columns, fuzzy: bool) -> str:
    if not c.host:
        return f"tolower(tostring(parse_url(tostring({_column(c.url, fuzzy)})).Host))"
    host = f"tostring({_column(c.host, fuzzy)})"
    if c.host_fallback:
        host = f"iff(isempty({host}), tostring({_column(c.host_fallback, fuzzy)}), {host})"
    return f"tolower({host})"


def _client(c: Columns, fuzzy: bool) -> str:
    return f"tostring({_column(c.client, fuzzy)})"


def _path(c: Columns, fuzzy: bool) -> str:
    url = f"tostring({_column(c.url, fuzzy)})"
    return f"tostring(parse_url({url}).Path)" if c.url_is_full else url


def _status(c: Columns, fuzzy: bool) -> str:
    # AzureDiagnostics keeps some statuses as numbers (httpStatus_d): 200.0 reads as "200".
    return f"tostring(toint({_column(c.status, fuzzy)}))"


_PARTS = (_host, _client, _path, _status)


def _by_category(by_category: dict[str, Columns], part: object, fuzzy: bool) -> str:
    render = part  # one of _PARTS
    arms = ", ".join(f"Category == {_string(cat)}, {render(cols, fuzzy)}"  # type: ignore[operator]
                     for cat, cols in sorted(by_category.items()))
    return f'case({arms}, "")'


def _iso(ts: datetime) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M:%SZ")


def _string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
