"""The emulator's Log Analytics query API, through azure-monitor-query's LogsQueryClient.

Shapes follow https://learn.microsoft.com/rest/api/loganalytics/dataaccess/query/execute: an
answer is `tables[]` of `columns` (name, type) and `rows`; a query naming a table or column
the workspace does not have answers 400 BadArgumentError with an inner SemanticError
(https://learn.microsoft.com/azure/azure-monitor/logs/api/errors).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from azure.core.exceptions import HttpResponseError
from azure.monitor.query import LogsQueryStatus
from azure.monitor.query.aio import LogsQueryClient
from collect.service_harness import service_run
from traffic.traffic_estate import WORKSPACE_CID, write_traffic_estate

AS_OF = datetime.fromisoformat("2025-09-10T00:00:00+00:00")
WEEK = (AS_OF - timedelta(days=7), AS_OF)


@pytest.fixture(scope="module")
def estate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_traffic_estate(tmp_path_factory.mktemp("la") / "estate")


async def _query(estate: Path, query: str, workspace: str = WORKSPACE_CID,
                 timespan: tuple[datetime, datetime] = WEEK) -> list[dict[str, object]]:
    async with service_run(estate) as run, LogsQueryClient(
            run.clients.credential, endpoint="https://api.loganalytics.io", **run.clients.common_kwargs()) as client:
        answer = await client.query_workspace(workspace, query, timespan=timespan)
    assert answer.status is LogsQueryStatus.SUCCESS
    table = answer.tables[0]
    return [dict(zip(table.columns, row, strict=True)) for row in table.rows]


async def test_a_resource_specific_table_answers_typed_columns(estate: Path) -> None:
    rows = await _query(estate, "AGWAccessLogs | summarize n = count(), latest = max(TimeGenerated) by OriginalHost")
    assert rows == [{"OriginalHost": "old-api.contoso-legacy.net", "n": 5,
                     "latest": datetime.fromisoformat("2025-09-09T23:54:00+00:00")}]


async def test_the_timespan_bounds_every_table(estate: Path) -> None:
    week = await _query(estate, "AzureDiagnostics | summarize n = count()")
    quarter = await _query(estate, "AzureDiagnostics | summarize n = count()",
                           timespan=(AS_OF - timedelta(days=90), AS_OF))
    assert week == [{"n": 6}] and quarter == [{"n": 7}]


async def test_column_ifexists_falls_back_where_azurediagnostics_never_got_the_column(estate: Path) -> None:
    rows = await _query(estate, 'AzureDiagnostics | extend h = tostring(column_ifexists("originalHost_s", "none")), '
                                'f = tostring(column_ifexists("hostName_s", "none")) | distinct h, f')
    assert rows == [{"h": "none", "f": "shop.contoso-legacy.net"}]


async def test_a_resource_specific_table_nothing_wrote_to_is_empty(estate: Path) -> None:
    assert await _query(estate, "ApiManagementGatewayLogs | summarize n = count()") == [{"n": 0}]


async def test_an_unknown_table_is_a_semantic_error(estate: Path) -> None:
    with pytest.raises(HttpResponseError) as raised:
        await _query(estate, "NoSuchTable | take 1")
    assert raised.value.status_code == 400
    assert "SemanticError" in str(raised.value) or "BadArgumentError" in str(raised.value)


async def test_an_unknown_workspace_is_not_found(estate: Path) -> None:
    with pytest.raises(HttpResponseError) as raised:
        await _query(estate, "AzureDiagnostics | take 1", workspace="00000000-0000-0000-0000-00000000beef")
    assert raised.value.status_code == 404
