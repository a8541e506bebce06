"""The declarative description of an estate: what a test or the demo writes, in ~10-30 lines.

Every field has a default that gives a healthy, consistent resource, so a description
only names what makes a scenario interesting. Times are relative to `as_of`
("+10d", "-3d", "12h") or absolute ISO-8601. A certificate reference is either
"vault/certificate" (Key Vault, current version), "vault/certificate@1" (one version
older) or the name of an App Service certificate.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

DEFAULT_TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
DEFAULT_SUBSCRIPTION = "00000000-0000-0000-0000-000000000001"


@dataclass(frozen=True)
class Subscription:
    id: str = DEFAULT_SUBSCRIPTION
    name: str = "Production"
    access: str = ""                      # "none": the audit identity holds no role there


@dataclass(frozen=True)
class Validity:
    """One certificate version's lifetime: it ends at `not_after` and lasted `lifetime`."""

    not_after: str = "+300d"
    lifetime: str = "365d"


@dataclass(frozen=True)
class VaultCertificate:
    name: str
    names: tuple[str, ...]
    issuer: str = "DigiCert"              # Self | Unknown | DigiCert | GlobalSign | ...
    auto_renew: bool | None = None        # None: AutoRenew unless the issuer is Unknown
    not_after: str = "+300d"              # the current version
    lifetime: str = "365d"
    older: tuple[Validity, ...] = ()      # previous versions, newest first
    tags: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Vault:
    name: str
    certificates: tuple[VaultCertificate, ...] = ()
    readable: bool = True                  # False: the audit identity gets 403 (faults.json)
    network: str = ""                     # "firewall": networkAcls deny the audit; "private": public access disabled
    subscription: str = ""                # id or display name; empty: the first subscription
    resource_group: str = "rg-security"
    location: str = "westeurope"
    tags: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class AppServiceCertificate:
    """A Microsoft.Web/certificates resource.

    source "uploaded": a PFX uploaded by hand (nothing renews it);
    "keyvault": imported from `key_vault` ("vault/cert"), following the current version
    unless `pinned` (0 current, 1 previous, ...); "managed": an App Service managed
    certificate for `names[0]`.
    """

    name: str
    source: str = "keyvault"
    key_vault: str = ""
    pinned: int | None = None
    names: tuple[str, ...] = ()           # uploaded / managed
    not_after: str = "+120d"              # uploaded / managed
    lifetime: str = "180d"
    subscription: str = ""
    resource_group: str = "rg-web"
    location: str = "westeurope"


@dataclass(frozen=True)
class HostName:
    """A custom host name bound to a site, with SNI TLS when `certificate` is set."""

    name: str
    certificate: str = ""                 # an App Service certificate name; empty: no TLS binding
    dns: bool = True                      # add a CNAME to the site's default host name in its zone


@dataclass(frozen=True)
class Site:
    name: str
    kind: str = "app"                     # app | functionapp
    host_names: tuple[HostName, ...] = ()
    app_settings: Mapping[str, str] = field(default_factory=dict)
    connection_strings: Mapping[str, str] = field(default_factory=dict)
    cors: tuple[str, ...] = ()
    min_tls: str = "1.2"
    auth_redirects: tuple[str, ...] = ()
    openid_issuer: str = ""
    subscription: str = ""
    resource_group: str = "rg-web"
    location: str = "westeurope"
    tags: Mapping[str, str] = field(default_factory=dict)
    # Access restrictions as config/web's ipSecurityRestrictions entries (ipAddress, action,
    # priority, name), the default action for unmatched traffic ("" as ARM leaves it unset),
    # and the site's publicNetworkAccess.
    access_restrictions: tuple[Mapping[str, Any], ...] = ()
    access_default_action: str = ""
    public_network_access: str = "Enabled"


@dataclass(frozen=True)
class FrontDoorDomain:
    host: str
    certificate: str = "managed"          # "managed" or a Key Vault reference "vault/cert"
    use_latest: bool = True               # customer certificate: follow the current version
    pinned: int = 0                       # with use_latest false: the version (0 current, 1 previous)
    validation: str = "Approved"          # domainValidationState
    endpoint: str = ""                    # empty: the profile's first endpoint
    dns: bool = True                      # add a CNAME to the endpoint host name in its zone
    not_after: str = "+120d"              # managed certificate
    lifetime: str = "180d"


@dataclass(frozen=True)
class Origin:
    host: str
    host_header: str = ""                 # empty: the origin host name


@dataclass(frozen=True)
class OriginGroup:
    name: str
    origins: tuple[Origin, ...] = ()


@dataclass(frozen=True)
class Route:
    name: str
    origin_group: str
    domains: tuple[str, ...] = ()         # custom domain host names
    endpoint: str = ""
    patterns: tuple[str, ...] = ("/*",)
    rule_sets: tuple[str, ...] = ()


@dataclass(frozen=True)
class RedirectRule:
    rule_set: str
    name: str
    to_host: str
    match_hosts: tuple[str, ...] = ()
    path: str = ""


@dataclass(frozen=True)
class FrontDoor:
    """A Front Door Standard/Premium profile (Microsoft.Cdn/profiles, kind frontdoor).

    Without routes, one route per endpoint sends its domains to the first origin group.
    """

    name: str
    endpoints: tuple[str, ...] = ("web",)
    domains: tuple[FrontDoorDomain, ...] = ()
    origin_groups: tuple[OriginGroup, ...] = ()
    routes: tuple[Route, ...] = ()
    redirects: tuple[RedirectRule, ...] = ()
    sku: str = "Premium_AzureFrontDoor"
    subscription: str = ""
    resource_group: str = "rg-edge"
    tags: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Record:
    """A record set. `name` is relative to the zone ("www", "@") or a full name under it;
    `values` are master-file data: "10.0.0.4", "target.example.net", '0 issue "digicert.com"'."""

    name: str
    type: str
    values: tuple[str, ...]
    ttl: int = 3600


@dataclass(frozen=True)
class Zone:
    """A DNS zone. `azure` zones are also Microsoft.Network/dnszones in ARM; the others
    exist only in the zone files the estate's DNS serves (external DNS, Azure-provided names)."""

    name: str
    records: tuple[Record, ...] = ()
    azure: bool = True
    subscription: str = ""
    resource_group: str = "rg-dns"
    axfr: bool = False          # its server answers a zone transfer (dns/<zone>.json {"axfr": true})


@dataclass(frozen=True)
class StorageAccount:
    name: str
    subscription: str = ""
    resource_group: str = "rg-data"
    location: str = "westeurope"


@dataclass(frozen=True)
class Endpoint:
    """Overrides what the live TLS endpoint for `host` does (by default it serves what is bound)."""

    host: str
    serve: str = ""                       # another certificate reference to serve
    chain: str = "full"                   # full | leaf-only | out-of-order | with-root
    min_version: str = ""                 # TLSv1 | TLSv1.1 | TLSv1.2 | TLSv1.3
    max_version: str = ""
    fail: str = ""                        # refused | timeout | reset
    live: bool = True                     # False: nothing serves this name
    # The served leaf re-issued with what weakens or breaks TLS (same names and validity):
    key: str = ""                         # ec256 | rsa1024 | rsa2048
    eku: str = ""                         # serverAuth | clientAuth | codeSigning
    sha1_intermediate: bool = False       # issued by an intermediate the root signed with SHA-1
    must_staple: bool = False             # the TLS feature extension (RFC 7633)
    ocsp: str = ""                        # staple an OCSP response: good | revoked | expired


@dataclass(frozen=True)
class Fault:
    service: str
    match: str
    status: int | str
    times: int | None = None
    retry_after: float | None = None


@dataclass(frozen=True)
class LogTable:
    """Rows of one Log Analytics table of one workspace, written to logs/<workspace>/<table>.jsonl."""

    workspace: str                        # the workspace's customerId
    table: str                            # AzureDiagnostics, AppServiceHTTPLogs, AGWAccessLogs, ...
    rows: tuple[Mapping[str, Any], ...] = ()


@dataclass(frozen=True)
class EstateSpec:
    as_of: str = "2025-09-10T00:00:00Z"
    tenant_id: str = DEFAULT_TENANT
    subscriptions: tuple[Subscription, ...] = (Subscription(),)
    vaults: tuple[Vault, ...] = ()
    app_service_certificates: tuple[AppServiceCertificate, ...] = ()
    sites: tuple[Site, ...] = ()
    front_doors: tuple[FrontDoor, ...] = ()
    zones: tuple[Zone, ...] = ()
    storage_accounts: tuple[StorageAccount, ...] = ()
    endpoints: tuple[Endpoint, ...] = ()
    faults: tuple[Fault, ...] = ()
    config: str = ""                      # auditor.toml, verbatim
    names_taken_elsewhere: tuple[str, ...] = ()   # Azure-provided names another tenant holds
    arm: tuple[Mapping[str, Any], ...] = ()   # raw ARM objects, written as given
    limits: Mapping[str, int] | None = None   # estate.json "limits"; None: Azure's defaults
    logs: tuple[LogTable, ...] = ()       # Log Analytics rows, written as given
    management_groups: tuple[Mapping[str, Any], ...] = ()   # estate.json "management_groups", as given
