"""Static Web Apps (Microsoft.Web/staticSites) and their custom domains."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from auditor.model import Binding, CertificateKind, CustomDomain, ServiceKind
from auditor.normalise.service_helpers import Extract, host, obj, resource_of, text


def static_site(site: Mapping[str, Any], custom_domains: Sequence[Mapping[str, Any]]) -> Extract:
    site_id = str(site.get("id") or "")
    default_host = host(text(site, "properties", "defaultHostname"))
    targets = (default_host,) if default_host else ()
    domains: list[CustomDomain] = []
    bindings: list[Binding] = []
    for raw in custom_domains:
        props = obj(raw, "properties")
        name = host(text(props, "domainName")) or host(text(raw, "name"))
        if name is None:
            continue
        status = text(props, "status")
        domains.append(CustomDomain(
            hostname=name, resource_id=str(raw.get("id") or site_id), service=ServiceKind.STATIC_WEB_APP,
            serving_resource_id=site_id, expected_targets=targets,
            # Static Web Apps always serve custom domains with a platform-managed certificate.
            certificate_kind=CertificateKind.MANAGED, validation_state=status,
        ))
        if (status or "").lower() == "ready":
            bindings.append(Binding(hostname=name, resource_id=str(raw.get("id") or site_id),
                                    service=ServiceKind.STATIC_WEB_APP, certificate_key=None))
    return Extract(resources=(resource_of(site, default_hostnames=targets),),
                   custom_domains=tuple(domains), bindings=tuple(bindings))
