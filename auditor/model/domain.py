"""Custom domains and the bindings that tie a served host name to a certificate."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from auditor.model.common import ServiceKind


class CertificateKind(StrEnum):
    MANAGED = "managed"      # platform-managed (App Service managed, Front Door managed)
    CUSTOMER = "customer"    # bring your own: uploaded or from Key Vault
    NONE = "none"            # the host name is bound without TLS


@dataclass(frozen=True, slots=True)
class CustomDomain:
    """A host name a resource is configured to serve."""

    hostname: str                    # lower-case, no trailing dot
    resource_id: str                 # the custom-domain resource, or the serving resource
    service: ServiceKind
    serving_resource_id: str         # the site, profile, gateway or service that serves it
    expected_targets: tuple[str, ...] = ()  # what its CNAME should point at (endpoint or default host)
    certificate_kind: CertificateKind = CertificateKind.NONE
    validation_state: str | None = None     # Front Door domainValidationState, as ARM says it
    min_tls_version: str | None = None      # "1.0", "1.2", ...
    tags: Mapping[str, str] = field(default_factory=dict)
    # Front Door validationProperties: the _dnsauth TXT token and when it stops being accepted.
    validation_token: str | None = None
    validation_expires: datetime | None = None


@dataclass(frozen=True, slots=True)
class Binding:
    """A served host name and the certificate it presents."""

    hostname: str
    resource_id: str                 # the serving resource (site, custom domain, listener, ...)
    service: ServiceKind
    certificate_key: str | None      # Certificate.key when the certificate is in the inventory
    thumbprint: str | None = None    # what the binding names, upper-case hex
    certificate_ref: str | None = None  # the raw reference (secret id, keyVaultId, ...)
    pinned_version: str | None = None   # the Key Vault version it is pinned to, if any
    use_latest_version: bool | None = None
