"""Builds an estate directory from a short declarative description (Python or TOML).

    spec = EstateSpec(vaults=(Vault("kv-app", certificates=(VaultCertificate("www", ("www.contoso.com",)),)),))
    build_estate(spec, Path("estate"))

See docs/estate-format.md for every field.
"""

from auditor.estate.builder.build import build_estate
from auditor.estate.builder.spec import (
    AppServiceCertificate,
    Endpoint,
    EstateSpec,
    Fault,
    FrontDoor,
    FrontDoorDomain,
    HostName,
    Origin,
    OriginGroup,
    Record,
    RedirectRule,
    Route,
    Site,
    StorageAccount,
    Subscription,
    Validity,
    Vault,
    VaultCertificate,
    Zone,
)
from auditor.estate.builder.toml_spec import load_spec, spec_from_dict

__all__ = [
    "AppServiceCertificate", "Endpoint", "EstateSpec", "Fault", "FrontDoor", "FrontDoorDomain", "HostName",
    "Origin", "OriginGroup", "Record", "RedirectRule", "Route", "Site", "StorageAccount", "Subscription",
    "Validity", "Vault", "VaultCertificate", "Zone", "build_estate", "load_spec", "spec_from_dict",
]
