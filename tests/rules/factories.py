"""Small builders for hand-made inventories: a healthy estate and the pieces to break it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from auditor.config import Config, default_config
from auditor.model import (
    Binding,
    CaaRecord,
    Certificate,
    CertificateKind,
    CertificateStore,
    CertificateVersion,
    CnameHop,
    CustomDomain,
    DnsObservation,
    DnsRecord,
    DnsStatus,
    Inventory,
    Reference,
    ReferenceKind,
    Renewal,
    Resource,
    ServedCertificate,
    ServiceKind,
    TlsObservation,
    TlsStatus,
    TlsVerdict,
)

AS_OF = datetime(2025, 9, 10, tzinfo=UTC)
SUB = "00000000-0000-0000-0000-000000000001"
RG = f"/subscriptions/{SUB}/resourceGroups/rg-web"
SITE_ID = f"{RG}/providers/Microsoft.Web/sites/app"
VAULT_ID = f"{RG}/providers/Microsoft.KeyVault/vaults/kv"
ZONE_ID = f"{RG}/providers/Microsoft.Network/dnszones/contoso.com"
THUMB = "A" * 40
OLD_THUMB = "B" * 40


def days(n: float) -> timedelta:
    return timedelta(days=n)


def kv_cert(name: str = "web", *, names: tuple[str, ...] = ("www.contoso.com",), thumbprint: str = THUMB,
            not_before: datetime | None = None, not_after: datetime | None = None,
            renewal: Renewal = Renewal.AUTO, issuer_provider: str = "DigiCert",
            versions: tuple[CertificateVersion, ...] | None = None, **kw: Any) -> Certificate:
    nb = not_before or AS_OF - days(60)
    na = not_after or AS_OF + days(305)
    current = CertificateVersion(version="v2", thumbprint=thumbprint, created=nb, not_before=nb, not_after=na)
    return Certificate(
        key=f"kv/{name}", store=CertificateStore.KEY_VAULT, name=name, resource_id=VAULT_ID,
        thumbprint=thumbprint, subject=f"CN={names[0]}", names=names, not_before=nb, not_after=na,
        issuer="DigiCert Global G2", renewal=renewal, issuer_provider=issuer_provider, version="v2",
        versions=versions if versions is not None else (current,), **kw)


def app_cert(name: str = "web-app", *, follows: str | None = "kv/web", thumbprint: str = THUMB,
             names: tuple[str, ...] = ("www.contoso.com",), renewal: Renewal = Renewal.FOLLOWS_KEY_VAULT,
             **kw: Any) -> Certificate:
    rid = f"{RG}/providers/Microsoft.Web/certificates/{name}"
    return Certificate(
        key=rid.lower(), store=CertificateStore.APP_SERVICE, name=name, resource_id=rid, thumbprint=thumbprint,
        subject=f"CN={names[0]}", names=names, not_before=AS_OF - days(60), not_after=AS_OF + days(305),
        issuer="DigiCert Global G2", renewal=renewal, key_vault_id=follows, **kw)


def fd_secret(name: str = "web-secret", *, follows: str = "kv/web", thumbprint: str = THUMB,
              pinned_version: str | None = None) -> Certificate:
    rid = f"{RG}/providers/Microsoft.Cdn/profiles/fd/secrets/{name}"
    return Certificate(
        key=rid.lower(), store=CertificateStore.FRONT_DOOR_SECRET, name=name, resource_id=rid,
        thumbprint=thumbprint, subject="CN=www.contoso.com", names=("www.contoso.com",),
        not_before=None, not_after=AS_OF + days(305), issuer=None, renewal=Renewal.FOLLOWS_KEY_VAULT,
        key_vault_id=follows, pinned_version=pinned_version)


def site(name: str = "app", *, hostnames: tuple[str, ...] = ("app.azurewebsites.net",), **kw: Any) -> Resource:
    return Resource(id=f"{RG}/providers/Microsoft.Web/sites/{name}", type="microsoft.web/sites", name=name,
                    subscription_id=SUB, default_hostnames=hostnames, **kw)


def zone(name: str = "contoso.com", tags: dict[str, str] | None = None) -> Resource:
    return Resource(id=f"{RG}/providers/Microsoft.Network/dnszones/{name}", type="microsoft.network/dnszones",
                    name=name, subscription_id=SUB, tags=tags or {})


def domain(host: str = "www.contoso.com", *, service: ServiceKind = ServiceKind.APP_SERVICE,
           kind: CertificateKind = CertificateKind.CUSTOMER, serving: str = SITE_ID,
           expected: tuple[str, ...] = ("app.azurewebsites.net",), **kw: Any) -> CustomDomain:
    rid = f"{serving}/hostNameBindings/{host}" if service is ServiceKind.APP_SERVICE else serving
    return CustomDomain(hostname=host, resource_id=rid, service=service, serving_resource_id=serving,
                        expected_targets=expected, certificate_kind=kind, **kw)


def binding(host: str = "www.contoso.com", *, cert_key: str | None = None, thumbprint: str | None = THUMB,
            service: ServiceKind = ServiceKind.APP_SERVICE, resource_id: str = SITE_ID, **kw: Any) -> Binding:
    return Binding(hostname=host, resource_id=resource_id, service=service, certificate_key=cert_key,
                   thumbprint=thumbprint, **kw)


def record(fqdn: str, rtype: str, *values: str, zone_name: str = "contoso.com", **kw: Any) -> DnsRecord:
    relative = "@" if fqdn == zone_name else fqdn.removesuffix("." + zone_name)
    return DnsRecord(zone=zone_name, fqdn=fqdn, type=rtype, values=values,
                     resource_id=f"{RG}/providers/Microsoft.Network/dnszones/{zone_name}/{rtype}/{relative}", **kw)


def resolved(name: str, *targets: str, status: DnsStatus = DnsStatus.NOERROR,
             addresses: tuple[str, ...] = ("192.0.2.10",), caa: tuple[CaaRecord, ...] = (),
             txt: tuple[tuple[str, str], ...] = ()) -> DnsObservation:
    """An observation whose CNAME chain goes name -> targets[0] -> targets[1] ..."""
    hops, owner = [], name
    for target in targets:
        hops.append(CnameHop(owner, target))
        owner = target
    if status is not DnsStatus.NOERROR:
        addresses = ()
    return DnsObservation(name=name, status=status, chain=tuple(hops), addresses=addresses, caa=caa, txt=txt)


def leaf(*, thumbprint: str = THUMB, names: tuple[str, ...] = ("www.contoso.com",),
         not_after: datetime | None = None) -> ServedCertificate:
    return ServedCertificate(subject=f"CN={names[0]}", issuer="CN=DigiCert Global G2", names=names,
                             not_before=AS_OF - days(60), not_after=not_after or AS_OF + days(305),
                             thumbprint=thumbprint, serial="01")


def probe(host: str = "www.contoso.com", *, status: TlsStatus = TlsStatus.OK,
          verdict: TlsVerdict = TlsVerdict.VALID, served: ServedCertificate | None = None,
          **kw: Any) -> TlsObservation:
    chain = () if status is not TlsStatus.OK else (served or leaf(),)
    problems = () if verdict in (TlsVerdict.VALID, TlsVerdict.NOT_CHECKED) else (verdict,)
    return TlsObservation(hostname=host, sni=True, status=status, chain=chain, verdict=verdict,
                          problems=problems, negotiated_version="TLSv1.3", **kw)


def reference(host: str, kind: ReferenceKind = ReferenceKind.APP_SETTING, where: str = "appsettings.API_URL",
              resource_id: str = SITE_ID) -> Reference:
    return Reference(kind=kind, hostname=host, resource_id=resource_id, where=where)


def healthy() -> Inventory:
    """www.contoso.com on an App Service, presenting an auto-renewing Key Vault certificate through an
    App Service copy; CNAME straight at the app; TLS valid; CAA allows DigiCert."""
    return Inventory(
        tenant_id="t", subscriptions=(SUB,), collected_at=AS_OF,
        resources=(site(), zone()),
        certificates=(kv_cert(), app_cert()),
        custom_domains=(domain(),),
        bindings=(binding(cert_key=app_cert().key),),
        dns_records=(record("www.contoso.com", "CNAME", "app.azurewebsites.net"),
                     record("contoso.com", "CAA", '0 issue "digicert.com"')),
        dns=(resolved("www.contoso.com", "app.azurewebsites.net",
                      caa=(CaaRecord(0, "issue", "digicert.com"),)),
             resolved("app.azurewebsites.net")),
        tls=(probe(),),
    )


def with_(inv: Inventory, **changes: Any) -> Inventory:
    return replace(inv, **changes)


def config(**sections: Any) -> Config:
    return replace(default_config(), **sections)
