"""App Service Certificate orders: everything the audit needs is in the Resource Graph row."""

from __future__ import annotations

from functools import partial as partial_call

from auditor.collect.base import Collector, CollectRun, Partial
from auditor.collect.service_helpers import transform
from auditor.normalise.certificate_orders import certificate_order

ORDER_TYPE = "microsoft.certificateregistration/certificateorders"


async def collect(run: CollectRun) -> Partial:
    partial = Partial()
    for row in run.rows_of(ORDER_TYPE):
        transform(partial, str(row.get("id") or ""), partial_call(certificate_order, row))
    return partial


COLLECTOR = Collector(name="certificate-orders", types=(ORDER_TYPE,), collect=collect)
