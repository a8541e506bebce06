"""Traffic Manager: profiles carry their endpoints in the Resource Graph row."""

from __future__ import annotations

from functools import partial as partial_call

from auditor.collect.base import Collector, CollectRun, Partial
from auditor.collect.service_helpers import transform
from auditor.normalise.trafficmanager import traffic_manager

PROFILE_TYPE = "microsoft.network/trafficmanagerprofiles"


async def collect(run: CollectRun) -> Partial:
    partial = Partial()
    for row in run.rows_of(PROFILE_TYPE):
        transform(partial, str(row.get("id") or ""), partial_call(traffic_manager, row))
    return partial


COLLECTOR = Collector(name="trafficmanager", types=(PROFILE_TYPE,), collect=collect)
