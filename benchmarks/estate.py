"""The benchmark estate, described with the estate builder and sized by one scale factor.

At scale 1: 3 subscriptions, 2,500 bulk Resource Graph resources, 50 vaults x 10
certificates x 3 versions, 100 sites each with a bound custom domain, 2 Front Door
profiles with 100 custom domains, Azure DNS zones for every name, and a live TLS
endpoint for every bound name.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from auditor.estate.builder import (
    AppServiceCertificate,
    EstateSpec,
    Fault,
    FrontDoor,
    FrontDoorDomain,
    HostName,
    Origin,
    OriginGroup,
    Site,
    Subscription,
    Validity,
    Vault,
    VaultCertificate,
    Zone,
    build_estate,
)
from benchmarks.bulk import bulk_resources

SUBSCRIPTIONS = (
    Subscription("6a1f0c2e-0b1d-4c55-9e10-000000000001", "Bench Production"),
    Subscription("6a1f0c2e-0b1d-4c55-9e10-000000000002", "Bench Platform"),
    Subscription("6a1f0c2e-0b1d-4c55-9e10-000000000003", "Bench Shared"),
)
CERTIFICATES_PER_VAULT = 10
OLDER_VERSIONS = (Validity("-60d", "365d"), Validity("-425d", "365d"))   # 3 versions per certificate


@dataclass(frozen=True)
class EstateSize:
    bulk_resources: int
    vaults: int
    sites: int
    front_door_domains: int
    zones: int

    @classmethod
    def at_scale(cls, scale: float, bulk_scale: float | None = None) -> EstateSize:
        """`bulk_scale` sizes the bulk resources on their own (default: `scale`): most of a real
        100k-resource estate is disks, NICs and VNets around a few hundred certificates."""
        bulk = scale if bulk_scale is None else bulk_scale
        if scale <= 0 or bulk < 0:
            raise ValueError("scale must be positive and bulk scale not negative")
        return cls(
            bulk_resources=round(2500 * bulk),
            vaults=max(1, round(50 * scale)),
            sites=max(1, round(100 * scale)),
            front_door_domains=max(2, round(100 * scale)),
            zones=max(1, round(10 * scale)),
        )

    @property
    def certificates(self) -> int:
        return self.vaults * CERTIFICATES_PER_VAULT

    @property
    def bound_names(self) -> int:
        return self.sites + self.front_door_domains


def _zone(i: int) -> str:
    return f"fabrikam{i:02d}.com"


def _sub(i: int) -> str:
    return SUBSCRIPTIONS[i % len(SUBSCRIPTIONS)].id


def large_estate_spec(size: EstateSize, *, faults: tuple[Fault, ...] = ()) -> EstateSpec:
    """Every site and Front Door domain is served with a Key Vault certificate (or, for
    half the Front Door domains, a managed one); the remaining vault certificates cover
    names nothing binds, as in a real tenant."""
    if size.certificates < size.bound_names:
        raise ValueError(f"{size.vaults} vaults hold too few certificates for {size.bound_names} bound names")
    hosts = [f"app{i:03d}.{_zone(i % size.zones)}" for i in range(size.sites)]
    hosts += [f"edge{i:03d}.{_zone(i % size.zones)}" for i in range(size.front_door_domains)]
    hosts += [f"spare{i:03d}.{_zone(i % size.zones)}" for i in range(size.certificates - len(hosts))]
    # certificate i lives in vault i % vaults, so every vault holds bound and spare ones
    refs = [f"kv-bench-{i % size.vaults:02d}/cert-{i:04d}" for i in range(size.certificates)]
    vaults = tuple(
        Vault(f"kv-bench-{v:02d}", subscription=_sub(v), certificates=tuple(
            VaultCertificate(f"cert-{i:04d}", (hosts[i],), not_after=f"+{120 + i % 240}d",
                             older=OLDER_VERSIONS)
            for i in range(v, size.certificates, size.vaults)))
        for v in range(size.vaults))
    web_certs = tuple(AppServiceCertificate(f"app{i:03d}", key_vault=refs[i], subscription=_sub(i))
                      for i in range(size.sites))
    sites = tuple(Site(f"bench-app{i:03d}", subscription=_sub(i),
                       host_names=(HostName(hosts[i], certificate=f"app{i:03d}"),),
                       app_settings={"API_BASE_URL": f"https://{hosts[(i + 1) % size.sites]}/v1"})
                  for i in range(size.sites))
    return EstateSpec(
        subscriptions=SUBSCRIPTIONS,
        vaults=vaults,
        app_service_certificates=web_certs,
        sites=sites,
        front_doors=_front_doors(size, hosts, refs),
        zones=tuple(Zone(_zone(z), subscription=_sub(z)) for z in range(size.zones)),
        faults=faults,
        arm=bulk_resources(tuple(s.id for s in SUBSCRIPTIONS), size.bulk_resources),
    )


def _front_doors(size: EstateSize, hosts: list[str], refs: list[str]) -> tuple[FrontDoor, ...]:
    first = size.sites
    domains = [FrontDoorDomain(hosts[first + i], certificate="managed" if i % 2 else refs[first + i])
               for i in range(size.front_door_domains)]
    half = (len(domains) + 1) // 2
    return tuple(
        FrontDoor(f"fd-bench-{p}", subscription=_sub(p), domains=tuple(part),
                  origin_groups=(OriginGroup("og-apps", (Origin(f"bench-app{p % size.sites:03d}.azurewebsites.net"),)),))
        for p, part in enumerate((domains[:half], domains[half:])) if part)


def build_large_estate(size: EstateSize, out_dir: Path, *, faults: tuple[Fault, ...] = ()) -> Path:
    return build_estate(large_estate_spec(size, faults=faults), out_dir)
