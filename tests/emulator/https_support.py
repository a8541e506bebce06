"""Writes small estates and opens the production SDK plumbing against an emulator."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp

from auditor.cloud import AZURE_PUBLIC
from auditor.collect.clients import ClientFactory
from auditor.collect.session import make_credential, open_session
from auditor.config import CollectConfig
from auditor.emulator import EmulatorEndpoints

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
SUB1 = "00000000-0000-0000-0000-000000000001"
SUB2 = "00000000-0000-0000-0000-000000000002"
SUB3 = "00000000-0000-0000-0000-000000000003"


def write_estate(root: Path, *, arm: Iterable[dict[str, Any]] = (),
                 keyvault: dict[str, dict[str, list[dict[str, Any]]]] | None = None,
                 faults: list[dict[str, Any]] | None = None, subscriptions: Iterable[str] = (SUB1,),
                 hidden: Iterable[str] = (), limits: dict[str, int] | None = None,
                 management_groups: list[dict[str, Any]] | None = None) -> Path:
    """`hidden`: subscriptions with "access": "none"; `limits` and `management_groups`: estate.json's."""
    root.mkdir(parents=True, exist_ok=True)
    no_role = set(hidden)
    meta: dict[str, Any] = {
        "format": "auditor-estate/1", "tenant_id": TENANT, "as_of": "2025-09-10T00:00:00Z",
        "subscriptions": [{"subscriptionId": s, "displayName": f"sub {s[-1]}",
                           **({"access": "none"} if s in no_role else {})} for s in subscriptions]}
    if limits is not None:
        meta["limits"] = limits
    if management_groups is not None:
        meta["management_groups"] = management_groups
    (root / "estate.json").write_text(json.dumps(meta))
    (root / "arm").mkdir(exist_ok=True)
    (root / "arm" / "objects.json").write_text(json.dumps(list(arm)))
    for vault, certs in (keyvault or {}).items():
        for cert, bundles in certs.items():
            folder = root / "keyvault" / vault / cert
            folder.mkdir(parents=True, exist_ok=True)
            for i, bundle in enumerate(bundles):
                (folder / f"v{i}.json").write_text(json.dumps(bundle))
    if faults is not None:
        (root / "faults.json").write_text(json.dumps(faults))
    return root


def resource(sub: str, rg: str, provider_type: str, name: str, **fields: Any) -> dict[str, Any]:
    """An ARM object; `provider_type` like Microsoft.Web/sites, child names joined by '/'."""
    namespace, *types = provider_type.split("/")
    names = name.split("/")
    path = "/".join(f"{t}/{n}" for t, n in zip(types, names, strict=True))
    obj: dict[str, Any] = {"id": f"/subscriptions/{sub}/resourceGroups/{rg}/providers/{namespace}/{path}",
                           "name": names[-1], "type": provider_type, "location": "westeurope"}
    obj.update(fields)
    return obj


def bundle(vault: str, name: str, version: str, created: int, *, host: str | None = None,
           policy: bool = True) -> dict[str, Any]:
    base = f"https://{host or vault + '.vault.azure.net'}"
    out: dict[str, Any] = {
        "id": f"{base}/certificates/{name}/{version}", "kid": f"{base}/keys/{name}/{version}",
        "sid": f"{base}/secrets/{name}/{version}", "x5t": "fLi3U52HunIVNXubkEnf8tP6Wbo", "cer": "MIIB",
        "attributes": {"enabled": True, "nbf": created, "exp": created + 86400 * 90, "created": created,
                       "updated": created, "recoveryLevel": "Recoverable+Purgeable"},
    }
    if policy:
        out["policy"] = {"id": f"{base}/certificates/{name}/policy", "issuer": {"name": "Self"},
                         "x509_props": {"subject": f"CN={name}", "validity_months": 3},
                         "lifetime_actions": [{"trigger": {"days_before_expiry": 30},
                                               "action": {"action_type": "AutoRenew"}}],
                         "attributes": {"enabled": True, "created": created, "updated": created}}
    return out


@asynccontextmanager
async def azure(endpoints: EmulatorEndpoints, *, retries: int = 0,
                timeout: float = 10.0) -> AsyncIterator[ClientFactory]:
    """The production session, credential and client factory, pointed at the emulator."""
    network = endpoints.network()
    async with open_session(network) as session:
        credential = make_credential(network, AZURE_PUBLIC, endpoints.tenant_id, session)
        settings = CollectConfig(retries=retries, max_retry_wait_seconds=1.0, request_timeout_seconds=timeout)
        try:
            yield ClientFactory(cloud=AZURE_PUBLIC, credential=credential, session=session, settings=settings)
        finally:
            await credential.close()


async def bearer(factory: ClientFactory, scope: str) -> dict[str, str]:
    token = await factory.credential.get_token(scope)
    return {"Authorization": f"Bearer {token.token}"}


async def fetch(session: aiohttp.ClientSession, method: str, url: str, *,
                headers: dict[str, str] | None = None, json_body: Any = None,
                timeout: float = 10.0) -> tuple[int, dict[str, str], str]:
    async with session.request(method, url, headers=headers, json=json_body,
                               timeout=aiohttp.ClientTimeout(total=timeout)) as response:
        return response.status, dict(response.headers), await response.text()
