"""App Service: sites and slots, their host names and certificates, and every host
name their configuration names (app settings, connection strings, CORS, auth).

Sites, slots and Microsoft.Web/certificates come from Resource Graph; per site the
WebSiteManagementClient reads host-name bindings, config/web, authsettingsV2 and the
POST list actions for app settings and connection strings. Each read that fails is a
gap naming the site and what was not read. Setting values are scanned and dropped.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from azure.mgmt.core.tools import parse_resource_id
from azure.mgmt.web.aio import WebSiteManagementClient

from auditor.collect.arm_pacing import prepaid
from auditor.collect.attempt import attempt
from auditor.collect.base import Collector, CollectRun, Partial
from auditor.collect.service_helpers import wire
from auditor.model.certificate import Certificate
from auditor.model.common import CoverageGap, GapReason, Source
from auditor.normalise import appservice as web
from auditor.normalise.access_restrictions import public_access_block
from auditor.normalise.resources import resource_from_row

SITE_TYPE = "microsoft.web/sites"
SLOT_TYPE = "microsoft.web/sites/slots"
CERTIFICATE_TYPE = "microsoft.web/certificates"
# Site-scoped certificates (an app's own, e.g. from the site's Certificates blade under a
# hosting environment): the same CertificateProperties as Microsoft.Web/certificates
# (learn.microsoft.com/en-us/rest/api/appservice/site-certificates).
SITE_CERTIFICATE_TYPE = "microsoft.web/sites/certificates"


@dataclass(frozen=True)
class SiteRef:
    """Where one site or slot lives, for the per-site ARM calls."""

    id: str
    subscription: str
    resource_group: str
    name: str
    slot: str | None


def site_ref(site_id: str) -> SiteRef:
    parts = parse_resource_id(site_id)
    slot = parts.get("child_name_1")
    return SiteRef(id=site_id, subscription=str(parts["subscription"]), resource_group=str(parts["resource_group"]),
                   name=str(parts["name"]), slot=str(slot) if slot else None)


async def collect_app_service(run: CollectRun) -> Partial:
    partial = Partial()
    by_thumbprint: dict[str, list[Certificate]] = defaultdict(list)
    for row in run.rows_of(CERTIFICATE_TYPE, SITE_CERTIFICATE_TYPE):
        try:
            cert = web.app_service_certificate(row)
        except ValueError as exc:
            partial.gaps.append(CoverageGap(Source.ARG, str(row.get("id", "")), GapReason.MALFORMED, str(exc)))
            continue
        partial.certificates.append(cert)
        if cert.thumbprint:
            by_thumbprint[cert.thumbprint].append(cert)
    sites = run.rows_of(SITE_TYPE, SLOT_TYPE)
    clients: dict[str, WebSiteManagementClient] = {}
    done = 0

    async def one(row: dict[str, Any]) -> Partial:
        nonlocal done
        ref = site_ref(str(row["id"]))
        client = clients.setdefault(ref.subscription.lower(),
                                    run.clients.mgmt(WebSiteManagementClient, ref.subscription))
        result = await _collect_site(run, client, ref, row, by_thumbprint)
        done += 1
        run.context.progress("app-service", done, len(sites))
        return result

    try:
        for result in await asyncio.gather(*(one(row) for row in sites)):
            partial.merge(result)
    finally:
        for client in clients.values():
            await client.close()
    return partial


async def _collect_site(run: CollectRun, client: WebSiteManagementClient, ref: SiteRef,
                        row: dict[str, Any], by_thumbprint: Mapping[str, Sequence[Certificate]]) -> Partial:
    partial = Partial()
    ops = client.web_apps
    read = _Reader(run, ref, partial)
    if ref.slot is None:
        site_args: tuple[str, ...] = (ref.resource_group, ref.name)
        calls: tuple[Any, ...] = (ops.list_host_name_bindings, ops.get_configuration, ops.get_auth_settings_v2_without_secrets,
                 ops.list_application_settings, ops.list_connection_strings)
    else:
        site_args = (ref.resource_group, ref.name, ref.slot)
        calls = (ops.list_host_name_bindings_slot, ops.get_configuration_slot, ops.get_auth_settings_v2_without_secrets_slot,
                 ops.list_application_settings_slot, ops.list_connection_strings_slot)
    list_bindings, get_config, get_auth, list_settings, list_strings = calls

    async def bindings() -> list[dict[str, Any]]:
        return [wire(b) async for b in list_bindings(*site_args)]

    host_bindings, config, auth, settings, strings = await asyncio.gather(
        read("host-name bindings", bindings),
        read("site config", lambda: _payload(get_config(*site_args))),
        read("auth settings", lambda: _payload(get_auth(*site_args))),
        read("app settings", lambda: _payload(list_settings(*site_args))),
        read("connection strings", lambda: _payload(list_strings(*site_args))),
    )
    min_tls = web.site_config_min_tls(config) if config is not None else None
    try:
        resource = resource_from_row(row)
        domains, bound = web.site_domains(row, host_bindings or [], by_thumbprint,
                                          min_tls or resource.min_tls_version)
    except (ValueError, KeyError, TypeError) as exc:
        partial.gaps.append(CoverageGap(Source.ARG, ref.id, GapReason.MALFORMED, f"site not read: {exc}"))
        return partial
    partial.resources.append(replace(resource, min_tls_version=min_tls or resource.min_tls_version,
                                     public_access_block=public_access_block(row, config)))
    partial.custom_domains += domains
    partial.bindings += bound
    if config is not None:
        partial.references += web.cors_references(ref.id, config)
    if auth is not None:
        partial.references += web.auth_references(ref.id, auth)
    if settings is not None:
        partial.references += web.app_setting_references(ref.id, settings)
    if strings is not None:
        partial.references += web.connection_string_references(ref.id, strings)
    return partial


class _Reader:
    """One bounded ARM read for a site; a failure becomes a gap naming the site and what."""

    def __init__(self, run: CollectRun, ref: SiteRef, partial: Partial) -> None:
        self._run, self._ref, self._partial = run, ref, partial

    async def __call__(self, what: str, read: Callable[[], Awaitable[Any]]) -> Any:
        async def bounded() -> Any:
            async with prepaid(self._run.clients.read_buckets, self._ref.id), self._run.limit:
                return await read()

        result = await attempt(Source.ARM, self._ref.id, bounded())
        if result.gap is not None:
            gap = result.gap
            self._partial.gaps.append(CoverageGap(gap.source, gap.target, gap.reason, f"{what} not read: {gap.detail}"))
        return result.value


async def _payload(call: Awaitable[Any]) -> dict[str, Any]:
    """The REST shape of an SDK model, as ARM sent it."""
    return wire(await call)


COLLECTOR = Collector(name="app-service", types=(SITE_TYPE, SLOT_TYPE, CERTIFICATE_TYPE, SITE_CERTIFICATE_TYPE),
                      collect=collect_app_service)
