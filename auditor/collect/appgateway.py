"""Application Gateway: everything the audit needs is in the Resource Graph row."""

from __future__ import annotations

from functools import partial as partial_call

from auditor.collect.base import Collector, CollectRun, Partial
from auditor.collect.service_helpers import transform
from auditor.normalise.appgateway import app_gateway

GATEWAY_TYPE = "microsoft.network/applicationgateways"


async def collect(run: CollectRun) -> Partial:
    partial = Partial()
    for row in run.rows_of(GATEWAY_TYPE):
        transform(partial, str(row.get("id") or ""), partial_call(app_gateway, row))
    return partial


COLLECTOR = Collector(name="appgateway", types=(GATEWAY_TYPE,), collect=collect)
