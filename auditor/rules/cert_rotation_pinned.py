"""cert-rotation-pinned: a consumer is pinned to one Key Vault version, so renewals never reach it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from auditor.config import Config
from auditor.graph import Graph
from auditor.graph.gateway_parts import gateway_child
from auditor.model import Certificate, CertificateStore, Finding, Severity
from auditor.rules.common import certificate_subject, describe, make_finding
from auditor.rules.metadata import RuleMetadata

METADATA = RuleMetadata(
    id="cert-rotation-pinned",
    severity=Severity.MEDIUM,
    title="Certificate consumer pinned to one Key Vault version",
    checks="A Front Door secret with `useLatestVersion: false`, or an App Service, API Management or "
           "Application Gateway certificate whose `keyVaultSecretId` / `keyVaultId` names a version.",
    rationale="Key Vault renews by adding a version. A consumer pinned to a version keeps serving the old "
              "one until it expires, however well the renewal went.",
    remediation="Follow the latest version: Portal: Front Door > Secrets > the secret > Certificate version "
                "`Latest` (`az afd secret update --use-latest-version true`); for Application Gateway and "
                "API Management use a versionless secret id (`https://<vault>.vault.azure.net/secrets/<name>`).",
    references=(
        "https://learn.microsoft.com/en-us/azure/frontdoor/standard-premium/how-to-configure-https-custom-domain",
        "https://learn.microsoft.com/en-us/azure/application-gateway/key-vault-certs",
        "https://learn.microsoft.com/en-us/azure/api-management/configure-custom-domain",
    ),
)


def check(graph: Graph, config: Config, as_of: datetime) -> list[Finding]:
    out: list[Finding] = []
    pinned_certs: set[str] = set()
    for cert in graph.inventory.certificates:
        version = _pinned_version(graph, cert)
        if version is None:
            continue
        pinned_certs.add(cert.key.lower())
        out.append(make_finding(
            METADATA, subject=certificate_subject(cert), resource_id=cert.resource_id,
            title=f"{describe(cert)} is pinned to Key Vault version {version}",
            evidence={"pinned_version": version, "key_vault_id": cert.key_vault_id, **_current(graph, cert),
                      **_consumers(graph, cert)},
        ))
    for binding in graph.inventory.bindings:
        version = binding.pinned_version
        ref = graph.key_vault_ref(binding.certificate_ref)
        if version is None and ref is not None:
            version = ref.version
        if version is None and binding.use_latest_version is False:
            version = "(not the latest)"
        if version is None:
            continue
        presented = graph.binding_certificate(binding)
        if presented is not None and presented.key.lower() in pinned_certs:
            continue  # already named through the certificate it presents
        out.append(make_finding(
            METADATA, subject=binding.hostname, resource_id=binding.resource_id,
            title=f"{binding.hostname} presents a certificate pinned to Key Vault version {version}",
            evidence={"pinned_version": version, "certificate_ref": binding.certificate_ref,
                      "service": binding.service.value},
        ))
    return out


def _pinned_version(graph: Graph, cert: Certificate) -> str | None:
    if cert.store is CertificateStore.KEY_VAULT:
        return None
    if cert.pinned_version:
        return cert.pinned_version
    ref = graph.key_vault_ref(cert.key_vault_id)
    return ref.version if ref is not None else None


def _consumers(graph: Graph, cert: Certificate) -> dict[str, Any]:
    """Where the pinned copy is presented: an Application Gateway certificate names its gateway
    and the listeners that present it (its own id is only a child path of the gateway)."""
    child = gateway_child(cert.resource_id) if cert.store is CertificateStore.APP_GATEWAY else None
    if child is None:
        return {}
    listeners = sorted({_child_name(b.resource_id) for b in graph.bindings_of(cert)})
    return {"gateway": child.gateway_id, "certificate": cert.name, "listeners": listeners}


def _child_name(resource_id: str) -> str:
    child = gateway_child(resource_id)
    return child.name if child is not None and child.name else resource_id


def _current(graph: Graph, cert: Certificate) -> dict[str, str | None]:
    source = graph.key_vault_source(cert)
    return {"key_vault_certificate": source.key if source else None,
            "key_vault_current_version": source.version if source else None}
