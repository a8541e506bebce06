"""Everything that still depends on a name, a domain or a certificate, each with how to remove it."""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum

from auditor.graph.gateway_parts import gateway_child
from auditor.graph.graph import Graph
from auditor.graph.removal import (
    describe_domain,
    rebind_certificate,
    remove_certificate,
    remove_custom_domain,
    remove_dns_record,
    remove_observed_record,
    remove_reference,
)
from auditor.graph.traffic import with_traffic
from auditor.model import (
    Binding,
    Certificate,
    CertificateStore,
    CertificateVersion,
    Dependent,
    DnsRecord,
    ReferenceKind,
    ServiceKind,
)
from auditor.normalise.hostnames import is_under, normalise


class DependentKind(StrEnum):
    """CONTRACT section 4's dependent kinds that are not references; every other kind is a
    ReferenceKind value (app-setting, frontdoor-origin, ...), used as it is."""

    CUSTOM_DOMAIN = "custom-domain"
    CERTIFICATE = "certificate"
    DNS_RECORD = "dns-record"


# The zone's own apex NS and SOA records are the zone itself, not something that uses it.
_ZONE_SELF_TYPES = {"NS", "SOA"}
# Values safe and useful to show; TXT values (validation tokens) are left out.
_SHOWN_VALUE_TYPES = {"A", "AAAA", "CNAME", "MX", "NS", "SRV", "PTR", "CAA"}


def dependents_of_name(graph: Graph, target: str) -> list[Dependent]:
    """What depends on `target` or any name below it (a domain, or a single host name)."""
    domain = normalise(target)
    out: list[Dependent] = []
    out += _custom_domains(graph, domain)
    out += _certificates_naming(graph, domain)
    out += _dns_records(graph, domain)
    out += _observed_cnames(graph, domain)
    out = [_held_by_gateway(d) for d in out]
    references = [_held_by_gateway(d) for d in _references(graph, domain)]
    named = {d.resource_id.lower() for d in out + references if d.kind != ReferenceKind.RESOURCE_PROPERTY.value}
    # A property of a resource already listed (a secret's subject, a domain's hostName, a rule's
    # match condition) is that resource.
    out += [d for d in references
            if d.kind != ReferenceKind.RESOURCE_PROPERTY.value or d.resource_id.lower() not in named]
    return _unique(with_traffic(graph, domain, _unique(out)))


def dependents_of_certificate(graph: Graph, cert: Certificate,
                              version: CertificateVersion | None = None) -> list[Dependent]:
    """What presents or follows the certificate, and the names it covers that are still served
    with a certificate the inventory cannot identify (they might be presenting this one).

    With `version` (an older Key Vault version), only what still holds that version counts.
    """
    out: list[Dependent] = []
    if version is not None:
        cert = replace(cert, thumbprint=version.thumbprint, version=version.version)
    members = [m for m in graph.family(cert) + _imported_from_order(graph, cert)
               if m is cert or version is None or _holds(m, version)]
    for copy in members[1:]:
        out.append(Dependent(
            kind=DependentKind.CERTIFICATE.value, hostname=_first_name(copy), resource_id=copy.resource_id,
            where=_certificate_label(copy),
            detail=_follows(cert), remove=remove_certificate(copy)))
    bound: set[str] = set()
    for member in members:
        for binding in graph.bindings_of(member):
            if version is not None and member is cert and not _binding_holds(graph, binding, version):
                continue
            host = normalise(binding.hostname)
            bound.add(host)
            out.append(Dependent(
                kind=_binding_kind(binding), hostname=host, resource_id=binding.resource_id,
                where=f"{binding.service.value} TLS binding", detail=_presents(member, binding),
                remove=rebind_certificate(host, binding.service, binding.resource_id)))
    # Bindings first: a host a copy is bound to is not listed again because the source's bytes are served.
    for member in members:
        for host in graph.served_hosts(member):
            if host not in bound:
                bound.add(host)
                out.append(_served_dependent(graph, host, f"the live endpoint serves {member.key} "
                                                         f"(thumbprint {member.thumbprint})"))
    for host in sorted((graph.covered_names(cert) & graph.served) - bound):
        if _presents_unknown(graph, host):
            out.append(_served_dependent(graph, host, "covered by this certificate; the certificate it "
                                                     "presents could not be identified"))
    return _unique([_held_by_gateway(d) for d in out])


def _imported_from_order(graph: Graph, cert: Certificate) -> list[Certificate]:
    """An App Service Certificate order keeps its PFX as a Key Vault secret; the App Service
    certificates imported from that secret are its copies."""
    if cert.store is not CertificateStore.CERTIFICATE_ORDER or not cert.key_vault_id:
        return []
    secret = cert.key_vault_id.lower()
    return [c for c in graph.inventory.certificates
            if c is not cert and c.store is CertificateStore.APP_SERVICE and (c.key_vault_id or "").lower() == secret]


def _holds(copy: Certificate, version: CertificateVersion) -> bool:
    same = bool(copy.thumbprint and version.thumbprint and copy.thumbprint.upper() == version.thumbprint.upper())
    return same or (copy.pinned_version or "").lower() == version.version.lower()


def _binding_holds(graph: Graph, binding: Binding, version: CertificateVersion) -> bool:
    if binding.thumbprint and version.thumbprint:
        return binding.thumbprint.upper() == version.thumbprint.upper()
    pinned = binding.pinned_version or (ref.version if (ref := graph.key_vault_ref(binding.certificate_ref)) else None)
    return (pinned or "").lower() == version.version.lower()


def _custom_domains(graph: Graph, domain: str) -> list[Dependent]:
    out: list[Dependent] = []
    names = graph.names_under(domain)
    for host in names:
        for cd in graph.custom_domains.get(host, ()):
            out.append(Dependent(
                kind=DependentKind.CUSTOM_DOMAIN.value, hostname=host, resource_id=cd.resource_id,
                where=f"{cd.service.value} custom domain", detail=describe_domain(cd),
                remove=remove_custom_domain(host, cd.service, cd.resource_id)))
    for host in names:
        if host in graph.custom_domains:
            continue
        for binding in graph.bindings_by_host.get(host, ()):
            out.append(Dependent(
                kind=_binding_kind(binding), hostname=host, resource_id=binding.resource_id,
                where=f"{binding.service.value} TLS binding", detail="serves the host name with TLS",
                remove=remove_custom_domain(host, binding.service, binding.resource_id)))
    return out


def _certificates_naming(graph: Graph, domain: str) -> list[Dependent]:
    out: list[Dependent] = []
    for cert in graph.certificates_under(domain):
        named = [n for n in cert.names if is_under(n.removeprefix("*."), domain)]
        if named:
            out.append(Dependent(
                kind=DependentKind.CERTIFICATE.value, hostname=normalise(named[0]), resource_id=cert.resource_id,
                where=_certificate_label(cert), detail="covers " + ", ".join(named),
                remove=remove_certificate(cert)))
    return out


def _dns_records(graph: Graph, domain: str) -> list[Dependent]:
    out: list[Dependent] = []
    for name in graph.names_under(domain):
        for record in graph.records_by_name.get(name, ()):
            if name == normalise(record.zone) and record.type.upper() in _ZONE_SELF_TYPES:
                continue
            out.append(_record_dependent(record, name, f"{record.type.upper()} record {name}"))
        for record in graph.records_by_target.get(name, ()):
            if not is_under(record.fqdn, domain):
                out.append(_record_dependent(record, name, f"{record.type.upper()} record {record.fqdn}"))
    return out


def _observed_cnames(graph: Graph, domain: str) -> list[Dependent]:
    """CNAMEs seen while resolving, that no Azure DNS record explains (another DNS provider)."""
    out: list[Dependent] = []
    for name in graph.names_under(domain):
        for hop in graph.observed_hops_from.get(name, ()) + graph.observed_hops_to.get(name, ()):
            owner, target = normalise(hop.name), normalise(hop.target)
            if any(r.type.upper() == "CNAME" for r in graph.records_by_name.get(owner, ())):
                continue
            if is_under(target, domain) and not is_under(owner, domain):
                hostname = target
            elif is_under(owner, domain):
                hostname = owner
            else:
                continue
            out.append(Dependent(
                # Not in Azure: the record is held by whoever serves `owner`, named by it.
                kind=DependentKind.DNS_RECORD.value, hostname=hostname, resource_id=owner,
                where=f"CNAME record {owner} (observed)", detail=f"{owner} -> {target}",
                remove=remove_observed_record(owner, target)))
    return out


def _references(graph: Graph, domain: str) -> list[Dependent]:
    out: list[Dependent] = []
    for name in graph.names_under(domain):
        for ref in graph.references.get(name, ()):
            out.append(Dependent(
                kind=ref.kind.value, hostname=name, resource_id=ref.resource_id, where=ref.where,
                detail=ref.detail, remove=remove_reference(ref)))
    return out


def _record_dependent(record: DnsRecord, hostname: str, where: str) -> Dependent:
    shown = record.type.upper() in _SHOWN_VALUE_TYPES
    detail = ", ".join(record.values) if shown else f"{len(record.values)} value(s)"
    if record.target_resource_id:
        detail = f"alias to {record.target_resource_id}"
    return Dependent(kind=DependentKind.DNS_RECORD.value, hostname=hostname, resource_id=record.resource_id,
                     where=where, detail=detail, remove=remove_dns_record(record))


def _served_dependent(graph: Graph, host: str, detail: str) -> Dependent:
    domains = graph.custom_domains.get(host, ())
    if domains:
        cd = domains[0]
        return Dependent(kind=DependentKind.CUSTOM_DOMAIN.value, hostname=host, resource_id=cd.resource_id,
                         where=f"{cd.service.value} custom domain", detail=detail,
                         remove=rebind_certificate(host, cd.service, cd.resource_id))
    bindings = graph.bindings_by_host.get(host, ())
    holder = bindings[0].resource_id if bindings and bindings[0].resource_id else host
    return Dependent(kind=DependentKind.CUSTOM_DOMAIN.value, hostname=host, resource_id=holder,
                     where="live TLS endpoint", detail=detail,
                     remove=f"Find what serves {host} and give it another certificate")


def _presents_unknown(graph: Graph, host: str) -> bool:
    """Is `host` served with a certificate the inventory cannot name?"""
    for binding in graph.bindings_by_host.get(host, ()):
        if graph.binding_certificate(binding) is None:
            return True
    for probe in graph.tls.get(host, ()):
        leaf = probe.leaf
        if leaf is not None and leaf.thumbprint.upper() not in graph.certificates_by_thumbprint:
            return True
    return False


def _held_by_gateway(dep: Dependent) -> Dependent:
    """A gateway's listener, certificate or pool is held by the gateway: name the gateway's id,
    and the child in `where`."""
    child = gateway_child(dep.resource_id)
    if child is None or child.kind is None:
        return dep
    where = dep.where if child.label in dep.where else f"{child.label}: {dep.where}"
    return replace(dep, resource_id=child.gateway_id, where=where)


def _follows(cert: Certificate) -> str:
    if cert.store is CertificateStore.CERTIFICATE_ORDER:
        return f"imported from Key Vault secret {cert.key_vault_id} of App Service Certificate order {cert.name}"
    return f"follows Key Vault certificate {cert.key}"


def _presents(member: Certificate, binding: Binding) -> str:
    """A gateway listener presents one of the gateway's certificates: name it."""
    child = gateway_child(binding.certificate_key or "") if binding.service is ServiceKind.APP_GATEWAY else None
    if child is None or child.kind != "certificate":
        return f"presents {member.key}"
    follows = f" (follows {member.key})" if member.store is CertificateStore.KEY_VAULT else ""
    return f"presents gateway certificate {child.name}{follows}"


def _binding_kind(binding: Binding) -> str:
    if binding.service is ServiceKind.APP_GATEWAY:
        return ReferenceKind.GATEWAY_LISTENER.value
    return DependentKind.CUSTOM_DOMAIN.value


def _certificate_label(cert: Certificate) -> str:
    """`key-vault certificate vault/name`, or the store and name (the resource id is beside it)."""
    label = cert.key if cert.store is CertificateStore.KEY_VAULT else cert.name
    return f"{cert.store.value} certificate {label}"


def _first_name(cert: Certificate) -> str:
    return normalise(cert.names[0]) if cert.names else ""


def _unique(dependents: list[Dependent]) -> list[Dependent]:
    seen: dict[tuple[str, str, str, str], Dependent] = {}
    for dep in dependents:
        seen.setdefault((dep.kind, dep.hostname, dep.resource_id.lower(), dep.where), dep)
    return sorted(seen.values(), key=lambda d: (d.kind, d.hostname, d.resource_id.lower(), d.where))
