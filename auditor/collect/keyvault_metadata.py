"""A vault whose data plane the network keeps out: a `network-blocked` gap, and its
certificates judged from the secret metadata ARM still lists to Reader.

Key Vault's firewall answers 403 with inner error code ForbiddenByFirewall, a vault with public
network access disabled ForbiddenByConnection
(https://learn.microsoft.com/en-us/azure/key-vault/general/network-security). Neither is a
missing role, and the management plane is not behind the vault's firewall.
"""

from __future__ import annotations

import json
from typing import Any

from azure.core.exceptions import HttpResponseError
from azure.mgmt.core.tools import parse_resource_id
from azure.mgmt.keyvault.aio import KeyVaultManagementClient

from auditor.collect.attempt import attempt
from auditor.collect.base import CollectRun, Partial
from auditor.model.common import CoverageGap, GapReason, Source
from auditor.normalise.keyvault_secrets import certificate_from_secret

NETWORK_CODES = frozenset({"ForbiddenByFirewall", "ForbiddenByConnection"})


def inner_code(exc: BaseException) -> str | None:
    """The `innererror.code` of a Key Vault error answer, if it names one."""
    if not isinstance(exc, HttpResponseError) or exc.response is None:
        return None
    try:
        body = json.loads(exc.response.text())
    except (ValueError, TypeError):
        return None
    error = body.get("error") if isinstance(body, dict) else None
    inner = error.get("innererror") if isinstance(error, dict) else None
    code = inner.get("code") if isinstance(inner, dict) else None
    return code if isinstance(code, str) else None


def network_blocked(vault: str, code: str, detail: str) -> CoverageGap:
    return CoverageGap(Source.KEYVAULT, vault, GapReason.NETWORK_BLOCKED,
                       f"{code}: the vault's network rules refuse the audit's connection (the view of its "
                       f"certificates is ARM's secret metadata only): {detail}")


async def from_metadata(run: CollectRun, vault: str, vault_resource_id: str) -> Partial:
    """The vault's certificate-backing secrets as certificates (dates and state only)."""
    partial = Partial()
    parts = {k: str(v) for k, v in parse_resource_id(vault_resource_id).items()}
    bodies: list[dict[str, Any]] = []

    def keep(response: Any) -> None:
        http = response.http_response
        if http.status_code == 200:
            body = json.loads(http.text())
            if not isinstance(body, dict):
                raise ValueError("ARM answered the secret list with something other than a JSON object")
            bodies.append(body)

    async def list_secrets() -> None:
        client = run.clients.mgmt(KeyVaultManagementClient, parts["subscription"])
        async with client, run.limit:
            async for _ in client.secrets.list(parts["resource_group"], parts["name"], raw_response_hook=keep):
                pass

    listed = await attempt(Source.ARM, vault, list_secrets())
    if listed.gap is not None:
        gap = listed.gap
        partial.gaps.append(CoverageGap(gap.source, gap.target, gap.reason,
                                        f"secret metadata not listed either: {gap.detail}"))
        return partial
    for item in (i for b in bodies for i in b.get("value") or [] if isinstance(i, dict)):
        cert = certificate_from_secret(item, vault, vault_resource_id)
        if cert is not None:
            partial.certificates.append(cert)
    return partial
