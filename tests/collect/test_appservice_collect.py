"""App Service through the emulator: sites, bindings, certificates, settings and their gaps."""

from auditor.collect.appservice import COLLECTOR as APP_SERVICE
from auditor.collect.azure import collect_azure
from auditor.model.certificate import Renewal
from auditor.model.common import GapReason, Source
from auditor.model.domain import CertificateKind
from auditor.model.reference import ReferenceKind

THUMB = "AB" * 20


async def test_sites_domains_bindings_certificates_and_references(estate, serve, kit) -> None:
    sub = kit.SUBS[0]
    site_id = kit.web_site(estate, sub, "signin", custom=["login.contoso-legacy.net", "www.contoso.com"],
                           thumbprint=THUMB, settings={"AUTH_CALLBACK_URL": "https://login.contoso-legacy.net/cb",
                                                       "PLAIN": "no host here"},
                           strings={"Db": "Server=tcp:sql1.database.windows.net;Password=p4ss.word"},
                           cors=["https://portal.contoso.com"])
    vault_id = f"{kit.rg_id(sub, 'rg-sec')}/providers/Microsoft.KeyVault/vaults/kv-web"
    cert_id = kit.web_certificate(estate, sub, "signin-cert", THUMB, keyVaultId=vault_id,
                                  keyVaultSecretName="signin-cert", keyVaultSecretStatus="Succeeded")
    kit.web_certificate(estate, sub, "uploaded", "CD" * 20)
    _, endpoints = serve(estate)

    result = await collect_azure(kit.context_for(endpoints), collectors=(APP_SERVICE,))
    part = result.partial

    assert part.gaps == []
    certs = {c.key: c for c in part.certificates}
    assert certs[cert_id.lower()].renewal is Renewal.FOLLOWS_KEY_VAULT
    assert certs[cert_id.lower()].key_vault_id == "kv-web/signin-cert"
    domains = {d.hostname: d for d in part.custom_domains}
    assert set(domains) == {"login.contoso-legacy.net", "www.contoso.com"}
    login = domains["login.contoso-legacy.net"]
    assert login.expected_targets == ("signin.azurewebsites.net",) and login.serving_resource_id == site_id
    assert login.certificate_kind is CertificateKind.CUSTOMER and login.min_tls_version == "1.0"
    assert {(b.hostname, b.certificate_key) for b in part.bindings} == {
        ("login.contoso-legacy.net", cert_id.lower()), ("www.contoso.com", cert_id.lower())}
    refs = {(r.kind, r.hostname, r.where) for r in part.references if r.resource_id == site_id
            and r.kind is not ReferenceKind.RESOURCE_PROPERTY}
    assert refs == {
        (ReferenceKind.APP_SETTING, "login.contoso-legacy.net", "appsettings.AUTH_CALLBACK_URL"),
        (ReferenceKind.CONNECTION_STRING, "sql1.database.windows.net", "connectionstrings.Db"),
        (ReferenceKind.CORS_ORIGIN, "portal.contoso.com", "siteconfig.cors.allowedOrigins[0]"),
        (ReferenceKind.AUTH_REDIRECT, "login.contoso-legacy.net", "authsettingsV2.login.allowedExternalRedirectUrls[0]"),
    }
    site = next(r for r in part.resources if r.id == site_id)
    assert site.min_tls_version == "1.0"
    assert "signin.azurewebsites.net" in site.default_hostnames


async def test_a_forbidden_list_action_is_a_gap_naming_the_site_and_what(estate, serve, kit) -> None:
    sub = kit.SUBS[1]
    locked = kit.web_site(estate, sub, "locked", custom=["shop.contoso.com"], thumbprint=None,
                          settings={"A": "https://a.contoso.com"}, strings={}, cors=[])
    kit.web_site(estate, sub, "open", custom=[], thumbprint=None,
                 settings={"B": "https://b.contoso.com"}, strings={}, cors=[])
    estate.fault(service="arm", match="sites/locked/config/appsettings/list", status=403)
    _, endpoints = serve(estate)

    result = await collect_azure(kit.context_for(endpoints), collectors=(APP_SERVICE,))

    gaps = result.partial.gaps
    assert [(g.source, g.target, g.reason) for g in gaps] == [(Source.ARM, locked, GapReason.FORBIDDEN)]
    assert gaps[0].detail.startswith("app settings not read")
    assert {r.hostname for r in result.partial.references if r.kind is ReferenceKind.APP_SETTING} == {"b.contoso.com"}
    assert [d.hostname for d in result.partial.custom_domains] == ["shop.contoso.com"]
    assert result.partial.custom_domains[0].certificate_kind is CertificateKind.NONE
