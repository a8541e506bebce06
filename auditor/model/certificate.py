"""Certificates wherever they live: Key Vault, App Service, Front Door secrets, APIM,
Application Gateway. The live chains a TLS endpoint serves are in `tls.py`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class CertificateStore(StrEnum):
    KEY_VAULT = "key-vault"
    APP_SERVICE = "app-service"              # Microsoft.Web/certificates (uploaded, KV-imported or managed)
    FRONT_DOOR_SECRET = "front-door-secret"  # Microsoft.Cdn/profiles/secrets
    API_MANAGEMENT = "api-management"
    APP_GATEWAY = "application-gateway"
    CONTAINER_APPS = "container-apps"       # Microsoft.App/managedEnvironments certificates
    # Microsoft.CertificateRegistration/certificateOrders: an App Service Certificate, bought
    # through Azure, whose PFX lives as a Key Vault secret and whose renewal is the order's autoRenew.
    CERTIFICATE_ORDER = "app-service-certificate-order"


class Renewal(StrEnum):
    AUTO = "auto"                  # Key Vault AutoRenew with an issuer that can renew
    MANUAL = "manual"              # nothing renews it: uploaded, issuer Unknown, no AutoRenew action
    PLATFORM = "platform-managed"  # App Service / Front Door managed certificates
    FOLLOWS_KEY_VAULT = "follows-key-vault"  # a copy that follows a Key Vault certificate
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class CertificateVersion:
    """One version of a Key Vault certificate (its lineage)."""

    version: str
    thumbprint: str | None         # upper-case hex SHA-1
    created: datetime | None
    not_before: datetime | None
    not_after: datetime | None
    enabled: bool = True


@dataclass(frozen=True, slots=True)
class Certificate:
    key: str                       # Key Vault: "vault/name"; otherwise the ARM id, lower-case
    store: CertificateStore
    name: str
    resource_id: str               # ARM id of the certificate, or of the vault for Key Vault
    thumbprint: str | None         # upper-case hex SHA-1 of the current version
    subject: str | None
    names: tuple[str, ...]         # DNS names covered (CN and SANs), lower-case, may hold wildcards
    not_before: datetime | None
    not_after: datetime | None
    issuer: str | None             # the issuing CA's name as the certificate says it
    renewal: Renewal
    issuer_provider: str | None = None   # Key Vault policy issuer name: Self, Unknown, DigiCert, ...
    version: str | None = None           # Key Vault: current version id
    versions: tuple[CertificateVersion, ...] = ()  # Key Vault: every version, newest first
    enabled: bool = True
    key_vault_id: str | None = None      # copies (App Service, APIM, AppGW): the Key Vault secret/cert they follow
    pinned_version: str | None = None    # a copy pinned to one Key Vault version
    sync_problem: str | None = None      # a copy that can no longer sync from Key Vault, and why
    tags: Mapping[str, str] = field(default_factory=dict)
    # Judged from ARM's secret metadata alone (a vault whose data plane the audit could not reach):
    # dates and state are known, the certificate itself (names, thumbprint, issuer) is not.
    metadata_only: bool = False
