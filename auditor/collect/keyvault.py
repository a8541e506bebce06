"""Key Vault certificates: every certificate of every vault Resource Graph lists.

The data-plane CertificateClient does the wire work (the 401 challenge, paging,
retries); the JSON it received is handed to `auditor.normalise.keyvault`, which reads
the REST shape exactly as the examples show it. A vault that cannot be listed, or a
certificate whose bundle or versions cannot be read, is a named gap.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from azure.core.exceptions import HttpResponseError
from azure.core.pipeline import PipelineResponse

from auditor.collect.attempt import attempt
from auditor.collect.base import Collector, CollectRun, Partial
from auditor.collect.keyvault_metadata import NETWORK_CODES, from_metadata, inner_code, network_blocked
from auditor.collect.limits import PER_VAULT_IN_FLIGHT, vaults_at_once
from auditor.model.certificate import Certificate
from auditor.model.common import CoverageGap, GapReason, Source
from auditor.normalise.keyvault import certificate_from_bundle, certificate_id_parts, vault_name_from_uri

VAULT_TYPE = "microsoft.keyvault/vaults"


class _NetworkBlocked(Exception):
    """The vault's firewall or private endpoint refused the data-plane call."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(code)
        self.code = code
        self.detail = detail


class RawBodies:
    """A `raw_response_hook` that keeps the JSON of every 200 answer of one call.

    Malformed JSON raises ValueError inside the call, which becomes a gap."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []

    def __call__(self, response: PipelineResponse[Any, Any]) -> None:
        http = response.http_response
        if http.status_code == 200:
            body = json.loads(http.text())
            if not isinstance(body, dict):
                raise ValueError("Key Vault answered with something other than a JSON object")
            self.bodies.append(body)

    def items(self) -> list[dict[str, Any]]:
        return [i for b in self.bodies for i in b.get("value") or [] if isinstance(i, dict)]


@dataclass(frozen=True)
class Vault:
    name: str            # lower-case
    url: str
    resource_id: str


def vault_of(row: Mapping[str, Any], vault_url: Any) -> Vault:
    props = row.get("properties")
    props = props if isinstance(props, Mapping) else {}
    uri = str(props.get("vaultUri") or "")
    name = vault_name_from_uri(uri) or str(row.get("name", "")).lower()
    return Vault(name=name, url=uri.rstrip("/") or vault_url(name), resource_id=str(row["id"]))


async def collect_key_vault(run: CollectRun) -> Partial:
    vaults = [vault_of(row, run.clients.cloud.vault_url) for row in run.rows_of(VAULT_TYPE)]
    partial = Partial()
    done = 0
    vault_slots = asyncio.Semaphore(vaults_at_once(run.in_flight))

    async def one(vault: Vault) -> Partial:
        nonlocal done
        async with vault_slots:
            result = await _collect_vault(run, vault, asyncio.Semaphore(PER_VAULT_IN_FLIGHT))
        done += 1
        run.context.progress("keyvault", done, len(vaults))
        return result

    for result in await asyncio.gather(*(one(v) for v in vaults)):
        partial.merge(result)
    return partial


async def _collect_vault(run: CollectRun, vault: Vault, vault_limit: asyncio.Semaphore) -> Partial:
    partial = Partial()
    async with run.clients.host_session(PER_VAULT_IN_FLIGHT) as session, \
            run.clients.certificates(vault.url, session) as client:
        listing = RawBodies()

        async def list_names() -> list[str]:
            async with vault_limit, run.limit:
                try:
                    return [p.name async for p in client.list_properties_of_certificates(raw_response_hook=listing)]
                except HttpResponseError as exc:
                    code = inner_code(exc) if exc.status_code == 403 else None
                    if code in NETWORK_CODES:
                        raise _NetworkBlocked(str(code), str(exc.message or exc).splitlines()[0]) from None
                    raise

        try:
            listed = await attempt(Source.KEYVAULT, vault.name, list_names())
        except _NetworkBlocked as blocked:
            partial.gaps.append(network_blocked(vault.name, blocked.code, blocked.detail))
            partial.merge(await from_metadata(run, vault.name, vault.resource_id))
            return partial
        if listed.gap is not None:
            partial.gaps.append(listed.gap)
            return partial
        items = {_listed_name(i): i for i in listing.items()}
        results = await asyncio.gather(*(_certificate(run, client, vault, name, items.get(name.lower()), vault_limit)
                                         for name in listed.value or []))
    for cert, gap in results:
        if cert is not None:
            partial.certificates.append(cert)
        if gap is not None:
            partial.gaps.append(gap)
    return partial


async def _certificate(run: CollectRun, client: Any, vault: Vault, name: str,
                       listed_item: dict[str, Any] | None,
                       vault_limit: asyncio.Semaphore) -> tuple[Certificate | None, CoverageGap | None]:
    target = f"{vault.name}/{name}"
    versions = RawBodies()

    async def read_versions() -> list[dict[str, Any]]:
        async with vault_limit, run.limit:
            async for _ in client.list_properties_of_certificate_versions(name, raw_response_hook=versions):
                pass
        return versions.items()

    got_versions = await attempt(Source.KEYVAULT, target, read_versions())
    if got_versions.gap is not None:
        return None, _named(got_versions.gap, "versions")
    bundle = RawBodies()

    async def read_bundle() -> dict[str, Any]:
        async with vault_limit, run.limit:
            await client.get_certificate(name, raw_response_hook=bundle)
        if not bundle.bodies:
            raise ValueError("Key Vault answered the certificate without a body")
        return bundle.bodies[-1]

    got_bundle = await attempt(Source.KEYVAULT, target, read_bundle())
    if got_bundle.gap is not None:
        if _disabled(listed_item):
            # A disabled certificate's bundle may be refused; its listing and versions still tell its dates.
            return certificate_from_bundle(listed_item or {}, got_versions.value or [], vault.resource_id), None
        return None, _named(got_bundle.gap, "current version and policy")
    try:
        return certificate_from_bundle(got_bundle.value or {}, got_versions.value or [], vault.resource_id), None
    except ValueError as exc:
        return None, CoverageGap(Source.KEYVAULT, target, GapReason.MALFORMED, f"unreadable certificate bundle: {exc}")


def _listed_name(item: Mapping[str, Any]) -> str:
    try:
        return certificate_id_parts(str(item.get("id")))[1].lower()
    except ValueError:
        return ""


def _disabled(item: Mapping[str, Any] | None) -> bool:
    attributes = item.get("attributes") if item else None
    return isinstance(attributes, Mapping) and attributes.get("enabled") is False


def _named(gap: CoverageGap, what: str) -> CoverageGap:
    return CoverageGap(gap.source, gap.target, gap.reason, f"{what} not read: {gap.detail}")


COLLECTOR = Collector(name="keyvault", types=(VAULT_TYPE,), collect=collect_key_vault)
