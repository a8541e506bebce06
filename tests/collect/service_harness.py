"""Runs one service collector end to end: an estate written to a tmp dir, the emulator
serving it, Resource Graph rows from the real query, and the production SDK plumbing."""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from azure.mgmt.resourcegraph.aio import ResourceGraphClient

from auditor.cloud import AZURE_PUBLIC
from auditor.collect.arg import INVENTORY_QUERY, ResourceGraph
from auditor.collect.base import Collector, CollectRun, Partial
from auditor.collect.clients import ClientFactory
from auditor.collect.context import CollectContext
from auditor.collect.session import make_credential, open_session
from auditor.config import CollectConfig, default_config
from auditor.emulator import Emulator

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
SUB = "00000000-0000-0000-0000-0000000000aa"


def arm_id(provider_type: str, name: str, *, rg: str = "rg-edge", sub: str = SUB) -> str:
    """`Microsoft.Cdn/profiles/customDomains`, `fd1/www` -> the ARM id, spelled as given."""
    namespace, *types = provider_type.split("/")
    path = "/".join(f"{t}/{n}" for t, n in zip(types, name.split("/"), strict=True))
    return f"/subscriptions/{sub}/resourceGroups/{rg}/providers/{namespace}/{path}"


def arm(provider_type: str, name: str, properties: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
    obj: dict[str, Any] = {"id": arm_id(provider_type, name, rg=fields.pop("rg", "rg-edge")),
                           "name": name.split("/")[-1], "type": provider_type}
    if properties is not None:
        obj["properties"] = properties
    obj.update(fields)
    return obj


def write_estate(root: Path, objects: Iterable[dict[str, Any]], faults: list[dict[str, Any]] | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "estate.json").write_text(json.dumps({
        "format": "auditor-estate/1", "tenant_id": TENANT, "as_of": "2025-09-10T00:00:00Z",
        "subscriptions": [{"subscriptionId": SUB, "displayName": "edge"}]}))
    (root / "arm").mkdir(exist_ok=True)
    (root / "arm" / "objects.json").write_text(json.dumps(list(objects)))
    if faults is not None:
        (root / "faults.json").write_text(json.dumps(faults))
    return root


@asynccontextmanager
async def service_run(root: Path, *, graph: bool = True, concurrency: int = 4) -> AsyncIterator[CollectRun]:
    settings = CollectConfig(retries=0, request_timeout_seconds=10.0, graph=graph, concurrency=concurrency)
    config = replace(default_config(), collect=settings)
    with Emulator(root) as endpoints:
        network = endpoints.network()
        async with open_session(network) as session:
            credential = make_credential(network, AZURE_PUBLIC, endpoints.tenant_id, session)
            clients = ClientFactory(cloud=AZURE_PUBLIC, credential=credential, session=session, settings=settings)
            try:
                rows = await _graph_rows(clients, settings)
                context = CollectContext(config=config, cloud=AZURE_PUBLIC, network=network,
                                         as_of=endpoints.as_of, tenant_id=endpoints.tenant_id)
                yield CollectRun(context=context, clients=clients, rows=rows, limit=asyncio.Semaphore(concurrency))
            finally:
                await credential.close()


async def run_collector(root: Path, collector: Collector, **kwargs: Any) -> Partial:
    async with service_run(root, **kwargs) as run:
        return await collector.collect(run)


async def _graph_rows(clients: ClientFactory, settings: CollectConfig) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
    async with clients.mgmt(ResourceGraphClient) as client:
        async for page in ResourceGraph(client, settings).pages(INVENTORY_QUERY, subscriptions=[SUB]):
            for row in page:
                rows[str(row["type"]).lower()].append(row)
    return rows
