"""The dependency graph: one Inventory indexed by host name, certificate and resource.

Nodes are the inventory's own records (host names and their parent domains, custom domains,
bindings, certificates and their versions, Front Door secrets, DNS records, observed CNAME
hops, resources, references, TLS observations); edges are the indexes below. Every host-name
key is lower-case without a trailing dot.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TypeVar

from auditor.graph.indexes import (
    CertificateIndexes,
    by_wildcard,
    certificate_indexes,
    names_covered,
    parsed_refs,
    wildcard_of,
)
from auditor.graph.keyvault_ref import KeyVaultRef, parse_key_vault_ref
from auditor.model import (
    Binding,
    Certificate,
    CertificateStore,
    CnameHop,
    CustomDomain,
    DnsObservation,
    DnsRecord,
    Inventory,
    Reference,
    Resource,
    TlsObservation,
)
from auditor.normalise.hostnames import hostname_of, normalise, parents

# Record types whose values name another host.
_POINTER_TYPES = {"CNAME", "MX", "NS", "SRV", "PTR"}
_ADDRESS_TYPES = {"A", "AAAA", "CNAME"}
T = TypeVar("T")


@dataclass(frozen=True, eq=False)
class Graph:
    inventory: Inventory
    certificates: Mapping[str, Certificate]                      # key -> certificate
    certificates_by_thumbprint: Mapping[str, tuple[Certificate, ...]]
    followers: Mapping[str, tuple[Certificate, ...]]             # Key Vault key -> copies following it
    custom_domains: Mapping[str, tuple[CustomDomain, ...]]       # host -> domains
    bindings_by_host: Mapping[str, tuple[Binding, ...]]
    records_by_name: Mapping[str, tuple[DnsRecord, ...]]
    records_by_target: Mapping[str, tuple[DnsRecord, ...]]       # host named in a record's value
    observations: Mapping[str, DnsObservation]
    observed_hops_to: Mapping[str, tuple[CnameHop, ...]]         # target -> observed hops to it
    observed_hops_from: Mapping[str, tuple[CnameHop, ...]]       # owner -> observed hops from it
    tls: Mapping[str, tuple[TlsObservation, ...]]
    references: Mapping[str, tuple[Reference, ...]]
    resources: Mapping[str, Resource]                            # lower-case id -> resource
    resources_by_hostname: Mapping[str, tuple[Resource, ...]]    # default host name -> resources
    indexes: CertificateIndexes
    served: frozenset[str]                                       # served_names(), computed once
    live_candidates: frozenset[str]                              # served, in Azure DNS, or resolved
    candidates_by_wildcard: Mapping[str, frozenset[str]]         # `*.a.com` -> candidates it covers

    # Only decommission and retired domains ask what is under a domain: built on first use.
    @cached_property
    def names_by_parent(self) -> Mapping[str, frozenset[str]]:
        """Domain -> every known name under it (a wildcard name by its base)."""
        inventory = self.inventory
        known = set(self.custom_domains) | set(self.bindings_by_host) | set(self.records_by_name)
        known |= set(self.records_by_target) | set(self.observations) | set(self.observed_hops_to)
        known |= set(self.observed_hops_from)
        known |= set(self.tls) | set(self.references) | set(self.resources_by_hostname)
        known |= {normalise(n) for c in inventory.certificates for n in c.names}
        under: dict[str, set[str]] = defaultdict(set)
        for name in known:
            for parent in parents(name.removeprefix("*.")):
                under[parent].add(name)
        return {k: frozenset(v) for k, v in under.items()}

    @cached_property
    def _certificates_by_parent(self) -> Mapping[str, tuple[int, ...]]:
        """Domain -> positions of the certificates naming it or a name below it."""
        under: dict[str, list[int]] = defaultdict(list)
        for position, cert in enumerate(self.inventory.certificates):
            for domain in {d for n in cert.names for d in parents(n.removeprefix("*."))}:
                under[domain].append(position)
        return {k: tuple(v) for k, v in under.items()}

    # ---- certificates -------------------------------------------------------------------

    def certificate(self, ref: str | None) -> Certificate | None:
        """A certificate by inventory key, Key Vault URL / ARM id, or `vault/name`."""
        if not ref:
            return None
        direct = self.certificates.get(ref.strip().lower())
        if direct is not None:
            return direct
        kv = self.key_vault_ref(ref)
        return self.certificates.get(kv.key) if kv else None

    def key_vault_ref(self, value: str | None) -> KeyVaultRef | None:
        """A Key Vault reference, parsed once when the graph was built (any other value on demand)."""
        if not value:
            return None
        refs = self.indexes.key_vault_refs
        return refs[value] if value in refs else parse_key_vault_ref(value)

    def key_vault_source(self, cert: Certificate) -> Certificate | None:
        """The Key Vault certificate a copy (App Service, Front Door secret, APIM, AppGW) follows."""
        if cert.store is CertificateStore.KEY_VAULT:
            return None
        kv = self.key_vault_ref(cert.key_vault_id)
        return self.certificates.get(kv.key) if kv else None

    def bindings_of(self, cert: Certificate) -> list[Binding]:
        """Bindings that present this certificate: by key, by Key Vault reference, or by thumbprint
        (only bindings that name no certificate themselves), in inventory order."""
        positions = set(self.indexes.bindings_by_key.get(cert.key.lower(), ()))
        if cert.thumbprint:
            positions.update(self.indexes.bindings_by_thumbprint.get(cert.thumbprint.upper(), ()))
        bindings = self.inventory.bindings
        return [bindings[i] for i in sorted(positions)]

    def certificates_covering(self, host: str) -> list[Certificate]:
        """Certificates one of whose names covers `host` (itself, or the wildcard one label up),
        in inventory order."""
        name = normalise(host)
        by_pattern = self.indexes.certificates_by_pattern
        positions = set(by_pattern.get(name, ()))
        wildcard = wildcard_of(name)
        if wildcard is not None:
            positions.update(by_pattern.get(wildcard, ()))
        return self._certificates_at(positions)

    def certificates_under(self, domain: str) -> list[Certificate]:
        """Certificates naming `domain` or a name below it (a wildcard by its base), inventory order."""
        return self._certificates_at(self._certificates_by_parent.get(normalise(domain), ()))

    def _certificates_at(self, positions: Iterable[int]) -> list[Certificate]:
        certificates = self.inventory.certificates
        return [certificates[i] for i in sorted(set(positions))]

    def is_zone(self, name: str) -> bool:
        """Is `name` an Azure DNS zone some record was read from?"""
        return normalise(name) in self.indexes.zones

    def key_vault_certificates_with_version(self, thumbprint: str) -> tuple[Certificate, ...]:
        """Key Vault certificates one of whose versions (current or older) has this thumbprint."""
        return self.indexes.key_vault_by_version_thumbprint.get(thumbprint.upper(), ())

    def binding_certificate(self, binding: Binding) -> Certificate | None:
        cert = self.certificate(binding.certificate_key) or self.certificate(binding.certificate_ref)
        if cert is None and binding.thumbprint:
            matches = self.certificates_by_thumbprint.get(binding.thumbprint.upper(), ())
            cert = _prefer_copy(matches)
        return cert

    def served_hosts(self, cert: Certificate) -> list[str]:
        """Host names whose live endpoint serves this certificate (current version)."""
        if not cert.thumbprint:
            return []
        return list(self.indexes.served_by_thumbprint.get(cert.thumbprint.upper(), ()))

    def family(self, cert: Certificate) -> list[Certificate]:
        """The certificate and every copy that follows it."""
        return [cert, *self.followers.get(cert.key.lower(), ())]

    def in_use(self, cert: Certificate) -> bool:
        """Bound, served, or followed by a copy that is."""
        return any(self.bindings_of(c) or self.served_hosts(c) for c in self.family(cert))

    def secured_by(self, cert: Certificate) -> set[str]:
        """Host names the certificate secures: its bindings' names and the covered names served with it."""
        hosts: set[str] = set()
        for member in self.family(cert):
            hosts |= {normalise(b.hostname) for b in self.bindings_of(member)}
            hosts |= set(self.served_hosts(member))
        return hosts

    def breaks_if_expired(self, cert: Certificate) -> set[str]:
        """Every name that fails when this certificate expires: what it secures, and the names
        whose DNS leads to those (a CNAME in Azure DNS or an observed chain)."""
        broken = set(self.secured_by(cert))
        frontier = list(broken)
        while frontier:
            name = frontier.pop()
            for pointer in self.pointers_to(name):
                if pointer not in broken:
                    broken.add(pointer)
                    frontier.append(pointer)
        return broken

    # ---- names --------------------------------------------------------------------------

    def names_under(self, domain: str) -> list[str]:
        return sorted(self.names_by_parent.get(normalise(domain), frozenset()))

    def pointers_to(self, name: str) -> set[str]:
        """Names whose CNAME (configured or observed) points directly at `name`."""
        host = normalise(name)
        owners = {r.fqdn for r in self.records_by_target.get(host, ()) if r.type.upper() == "CNAME"}
        owners |= {normalise(h.name) for h in self.observed_hops_to.get(host, ())}
        return owners

    def served_names(self) -> set[str]:
        """Host names some resource is configured to serve, or a TLS endpoint answered for."""
        return set(self.served)

    def covered_names(self, cert: Certificate) -> set[str]:
        """Served, Azure DNS and resolved names any of the certificate's names covers."""
        return names_covered(cert.names, self.live_candidates, self.candidates_by_wildcard)

    def is_live(self, name: str) -> bool:
        """Served, or present in DNS (an address or CNAME record, or an observed answer)."""
        host = normalise(name)
        if host in self.served:
            return True
        if any(r.type.upper() in _ADDRESS_TYPES for r in self.records_by_name.get(host, ())):
            return True
        obs = self.observations.get(host)
        return obs is not None and bool(obs.chain or obs.addresses)

    def live_names_covered(self, cert: Certificate) -> list[str]:
        """Known live names any of the certificate's names covers (wildcards as TLS defines them)."""
        return sorted(n for n in self.covered_names(cert) if not n.startswith("*.") and self.is_live(n))

    def resource(self, resource_id: str) -> Resource | None:
        return self.resources.get(resource_id.strip().lower())


def _prefer_copy(matches: Iterable[Certificate]) -> Certificate | None:
    """Among certificates sharing a thumbprint, the copy a binding most likely names."""
    ordered = sorted(matches, key=lambda c: (c.store is CertificateStore.KEY_VAULT, c.key))
    return ordered[0] if ordered else None


def build_graph(inventory: Inventory) -> Graph:
    certificates = {c.key.lower(): c for c in inventory.certificates}
    refs = parsed_refs(inventory)
    by_thumbprint: dict[str, list[Certificate]] = defaultdict(list)
    followers: dict[str, list[Certificate]] = defaultdict(list)
    for cert in inventory.certificates:
        if cert.thumbprint:
            by_thumbprint[cert.thumbprint.upper()].append(cert)
        source = _followed(cert, refs)
        if source is not None and source.key in certificates:
            followers[source.key].append(cert)

    custom_domains: dict[str, list[CustomDomain]] = defaultdict(list)
    for domain in inventory.custom_domains:
        custom_domains[normalise(domain.hostname)].append(domain)
    bindings: dict[str, list[Binding]] = defaultdict(list)
    for binding in inventory.bindings:
        bindings[normalise(binding.hostname)].append(binding)

    records_by_name: dict[str, list[DnsRecord]] = defaultdict(list)
    records_by_target: dict[str, list[DnsRecord]] = defaultdict(list)
    for record in inventory.dns_records:
        records_by_name[normalise(record.fqdn)].append(record)
        for target in record_targets(record):
            records_by_target[target].append(record)

    observations = {normalise(o.name): o for o in inventory.dns}
    hops_to: dict[str, list[CnameHop]] = defaultdict(list)
    hops_from: dict[str, list[CnameHop]] = defaultdict(list)
    for obs in inventory.dns:
        for hop in obs.chain:
            hops_to[normalise(hop.target)].append(hop)
            hops_from[normalise(hop.name)].append(hop)

    tls: dict[str, list[TlsObservation]] = defaultdict(list)
    for probe in inventory.tls:
        tls[normalise(probe.hostname)].append(probe)
    references: dict[str, list[Reference]] = defaultdict(list)
    for ref in inventory.references:
        references[normalise(ref.hostname)].append(ref)

    resources = {r.id.lower(): r for r in inventory.resources}
    by_hostname: dict[str, list[Resource]] = defaultdict(list)
    for res in inventory.resources:
        for host in res.default_hostnames:
            by_hostname[normalise(host)].append(res)

    frozen_tls = _frozen(tls)
    served = frozenset(set(custom_domains) | set(bindings)
                       | {h for h, obs in tls.items() if any(o.leaf is not None for o in obs)})
    candidates = served | set(records_by_name) | set(observations)

    return Graph(
        inventory=inventory,
        certificates=certificates,
        certificates_by_thumbprint=_frozen(by_thumbprint),
        followers=_frozen(followers),
        custom_domains=_frozen(custom_domains),
        bindings_by_host=_frozen(bindings),
        records_by_name=_frozen(records_by_name),
        records_by_target=_frozen(records_by_target),
        observations=observations,
        observed_hops_to=_frozen(hops_to),
        observed_hops_from=_frozen(hops_from),
        tls=frozen_tls,
        references=_frozen(references),
        resources=resources,
        resources_by_hostname=_frozen(by_hostname),
        indexes=certificate_indexes(inventory, frozen_tls, refs),
        served=served,
        live_candidates=candidates,
        candidates_by_wildcard=by_wildcard(candidates),
    )


def _followed(cert: Certificate, refs: Mapping[str, KeyVaultRef | None]) -> KeyVaultRef | None:
    if cert.store is CertificateStore.KEY_VAULT or not cert.key_vault_id:
        return None
    return refs[cert.key_vault_id]


def record_targets(record: DnsRecord) -> list[str]:
    """Host names a record's values point at (CNAME, MX, NS, SRV, PTR targets)."""
    if record.type.upper() not in _POINTER_TYPES:
        return []
    targets: list[str] = []
    for value in record.values:
        # MX "10 mail.x.com", SRV "0 5 443 host.x.com": the host is the last field.
        fields = value.split()
        host = hostname_of(fields[-1]) if fields else None
        if host:
            targets.append(host)
    return targets


def _frozen(index: Mapping[str, list[T]]) -> dict[str, tuple[T, ...]]:
    return {k: tuple(v) for k, v in index.items()}
