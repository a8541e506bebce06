"""The certificate and name indexes the graph answers rules from, each built in one pass.

Rules ask, once per certificate or host name, "which bindings present this certificate",
"which hosts serve this thumbprint", "which Key Vault certificates once had this version",
"which live names does this pattern cover". Scanning the inventory for each of those is
quadratic in the estate; these maps make every such question a dictionary look-up.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from auditor.graph.keyvault_ref import KeyVaultRef, parse_key_vault_ref
from auditor.model import Binding, Certificate, CertificateStore, Inventory, TlsObservation
from auditor.normalise.hostnames import normalise


@dataclass(frozen=True)
class CertificateIndexes:
    key_vault_refs: Mapping[str, KeyVaultRef | None]            # raw reference -> parsed, once each
    bindings_by_key: Mapping[str, tuple[int, ...]]              # certificate key -> binding positions
    bindings_by_thumbprint: Mapping[str, tuple[int, ...]]       # thumbprint -> bindings naming no key
    served_by_thumbprint: Mapping[str, tuple[str, ...]]         # leaf thumbprint -> hosts, sorted
    key_vault_by_version_thumbprint: Mapping[str, tuple[Certificate, ...]]  # any version's thumbprint
    certificates_by_pattern: Mapping[str, tuple[int, ...]]      # a name on the certificate -> positions
    zones: frozenset[str]                                       # Azure DNS zones records were read from


def parsed_refs(inventory: Inventory) -> dict[str, KeyVaultRef | None]:
    """Every Key Vault reference the inventory holds, parsed once."""
    raw = {c.key_vault_id for c in inventory.certificates}
    raw |= {b.certificate_ref for b in inventory.bindings}
    raw |= {b.certificate_key for b in inventory.bindings}
    return {value: parse_key_vault_ref(value) for value in raw if value}


def certificate_indexes(inventory: Inventory, tls: Mapping[str, tuple[TlsObservation, ...]],
                        refs: Mapping[str, KeyVaultRef | None]) -> CertificateIndexes:
    by_key: dict[str, list[int]] = defaultdict(list)
    by_thumbprint: dict[str, list[int]] = defaultdict(list)
    for position, binding in enumerate(inventory.bindings):
        for key in _keys_named(binding, refs):
            by_key[key].append(position)
        # A thumbprint names a certificate only when the binding names no certificate itself.
        if binding.certificate_key is None and binding.thumbprint:
            by_thumbprint[binding.thumbprint.upper()].append(position)

    served: dict[str, set[str]] = defaultdict(set)
    for host, probes in tls.items():
        for probe in probes:
            if probe.leaf is not None:
                served[probe.leaf.thumbprint.upper()].add(host)

    by_version: dict[str, dict[int, Certificate]] = defaultdict(dict)
    for cert in inventory.certificates:
        if cert.store is not CertificateStore.KEY_VAULT:
            continue
        for version in cert.versions:
            if version.thumbprint:
                by_version[version.thumbprint.upper()].setdefault(id(cert), cert)

    by_pattern: dict[str, list[int]] = defaultdict(list)
    for position, cert in enumerate(inventory.certificates):
        patterns = {normalise(n) for n in cert.names}
        for pattern in patterns:
            by_pattern[pattern].append(position)

    return CertificateIndexes(
        key_vault_refs=refs,
        bindings_by_key=_tuples(by_key),
        bindings_by_thumbprint=_tuples(by_thumbprint),
        served_by_thumbprint={t: tuple(sorted(hosts)) for t, hosts in served.items()},
        key_vault_by_version_thumbprint={t: tuple(certs.values()) for t, certs in by_version.items()},
        certificates_by_pattern=_tuples(by_pattern),
        zones=frozenset(normalise(r.zone) for r in inventory.dns_records),
    )


def _keys_named(binding: Binding, refs: Mapping[str, KeyVaultRef | None]) -> set[str]:
    """The certificate keys (lower-case) a binding names: its own key, and its Key Vault reference's."""
    keys: set[str] = set()
    if binding.certificate_key:
        keys.add(binding.certificate_key.lower())
    kv = refs.get(binding.certificate_ref) if binding.certificate_ref else None
    if kv is not None:
        keys.add(kv.key)
    return keys


def wildcard_of(name: str) -> str | None:
    """The one wildcard pattern that covers `name` (RFC 6125, one left-most label): `x.a.com` ->
    `*.a.com`; None for a single label."""
    label, dot, rest = name.partition(".")
    return f"*.{rest}" if label and dot else None


def by_wildcard(names: Iterable[str]) -> dict[str, frozenset[str]]:
    """Wildcard pattern -> the names it covers, for names already normalised."""
    covered: dict[str, set[str]] = defaultdict(set)
    for name in names:
        pattern = wildcard_of(name)
        if pattern is not None:
            covered[pattern].add(name)
    return {k: frozenset(v) for k, v in covered.items()}


def names_covered(patterns: Iterable[str], names: frozenset[str],
                  wildcards: Mapping[str, frozenset[str]]) -> set[str]:
    """Which of `names` the certificate names `patterns` cover, as `hostnames.covers` decides."""
    out: set[str] = set()
    for raw in patterns:
        pattern = normalise(raw)
        if pattern.startswith("*."):
            out |= wildcards.get(pattern, frozenset())
        elif pattern in names:
            out.add(pattern)
    return out


def _tuples(index: Mapping[str, list[int]]) -> dict[str, tuple[int, ...]]:
    return {k: tuple(v) for k, v in index.items()}
