import copy
import json

from rest_examples import REST_EXAMPLES

from auditor.model.certificate import Renewal
from auditor.model.domain import CertificateKind
from auditor.model.reference import ReferenceKind
from auditor.normalise.appservice import (
    app_service_certificate,
    app_setting_references,
    auth_references,
    connection_string_references,
    cors_references,
    site_config_min_tls,
    site_domains,
)

WEB = (REST_EXAMPLES / "web")
SITE_ID = "/subscriptions/34adfa4f-cedf-4dc0-ba29-b6d1a69ab345/resourceGroups/testrg123/providers/Microsoft.Web/sites/sitef6141"
KV = "/subscriptions/34adfa4f-cedf-4dc0-ba29-b6d1a69ab345/resourceGroups/testrg123/providers/Microsoft.KeyVault/vaults/Shared-KV"


def body(relative: str) -> dict:
    return json.loads((WEB / relative).read_text())["responses"]["200"]["body"]


def test_uploaded_certificate_with_plus_zero_offsets() -> None:
    cert = app_service_certificate(body("2026-03-15/GetCertificate.json"))
    assert cert.key == cert.resource_id.lower()
    assert cert.thumbprint == "FE703D7411A44163B6D32B3AD9B03E175886EBFE"
    assert cert.not_after is not None and cert.not_after.isoformat() == "2039-12-31T23:59:59+00:00"
    assert cert.not_before is not None and cert.not_before.year == 2015
    assert cert.renewal is Renewal.MANUAL and cert.key_vault_id is None and cert.names == ("servercert",)


def test_key_vault_backed_pinned_and_managed_certificates() -> None:
    row = body("2026-03-15/GetCertificate.json")
    kv = copy.deepcopy(row)
    kv["properties"].update(keyVaultId=KV, keyVaultSecretName="www-cert", keyVaultSecretStatus="Succeeded")
    follows = app_service_certificate(kv)
    assert follows.renewal is Renewal.FOLLOWS_KEY_VAULT and follows.key_vault_id == "shared-kv/www-cert"
    assert follows.pinned_version is None
    kv["properties"]["keyVaultSecretName"] = "www-cert/0123abcd"
    assert app_service_certificate(kv).pinned_version == "0123abcd"
    managed = copy.deepcopy(row)
    managed["properties"].update(canonicalName="www.contoso.com", keyVaultId="")
    assert app_service_certificate(managed).renewal is Renewal.PLATFORM


def test_example_site_has_no_custom_domains() -> None:
    domains, bindings = site_domains(body("2025-05-01/GetWebApp.json"), [], {}, "1.2")
    assert domains == [] and bindings == []


def test_custom_host_names_bindings_and_certificate_lookup() -> None:
    site = body("2025-05-01/GetWebApp.json")
    site["properties"]["hostNames"] += ["www.contoso.com", "old.contoso-legacy.net"]
    site["properties"]["hostNameSslStates"] += [
        {"name": "www.contoso.com", "hostType": "Standard", "sslState": "SniEnabled",
         "thumbprint": "fe703d7411a44163b6d32b3ad9b03e175886ebfe"},
        {"name": "old.contoso-legacy.net", "hostType": "Standard", "sslState": "Disabled"},
    ]
    cert = app_service_certificate(body("2026-03-15/GetCertificate.json"))
    domains, bindings = site_domains(site, [], {cert.thumbprint: [cert]}, "1.0")
    by_host = {d.hostname: d for d in domains}
    assert set(by_host) == {"www.contoso.com", "old.contoso-legacy.net"}
    assert by_host["www.contoso.com"].certificate_kind is CertificateKind.CUSTOMER
    assert by_host["www.contoso.com"].expected_targets == ("sitef6141.azurewebsites.net",)
    assert by_host["www.contoso.com"].min_tls_version == "1.0"
    assert by_host["old.contoso-legacy.net"].certificate_kind is CertificateKind.NONE
    assert len(bindings) == 1 and bindings[0].certificate_key == cert.key
    assert bindings[0].thumbprint == "FE703D7411A44163B6D32B3AD9B03E175886EBFE"


def test_host_name_binding_listing_adds_names_and_unknown_thumbprints_stay_named() -> None:
    site = body("2025-05-01/GetWebApp.json")
    listing = [{"id": SITE_ID + "/hostNameBindings/api.contoso.com", "name": "sitef6141/api.contoso.com",
                "properties": {"sslState": "SniEnabled", "thumbprint": "AB" * 20}}]
    domains, bindings = site_domains(site, listing, {}, None)
    assert [d.resource_id for d in domains] == [SITE_ID + "/hostNameBindings/api.contoso.com"]
    assert bindings[0].certificate_key is None and bindings[0].thumbprint == "AB" * 20


def test_app_settings_keep_names_never_values() -> None:
    payload = body("2026-03-15/ListAppSettings.json")
    payload["properties"]["AUTH_CALLBACK_URL"] = "https://login.contoso-legacy.net/cb?k=s3cr3t-value"
    refs = app_setting_references(SITE_ID, payload)
    assert [(r.kind, r.hostname, r.where) for r in refs] == [
        (ReferenceKind.APP_SETTING, "login.contoso-legacy.net", "appsettings.AUTH_CALLBACK_URL")]
    assert "s3cr3t" not in repr(refs)


def test_connection_strings() -> None:
    payload = {"properties": {"Db": {"value": "Server=tcp:db1.database.windows.net,1433;Password=p4ss.word",
                                     "type": "SQLAzure"}}}
    refs = connection_string_references(SITE_ID, payload)
    assert [(r.kind, r.hostname, r.where) for r in refs] == [
        (ReferenceKind.CONNECTION_STRING, "db1.database.windows.net", "connectionstrings.Db")]


def test_site_config_min_tls_and_cors() -> None:
    config = body("2026-03-15/GetSiteConfig.json")
    assert site_config_min_tls(config) == "1.2"
    assert cors_references(SITE_ID, config) == []
    config["properties"]["cors"] = {"allowedOrigins": ["https://portal.contoso-legacy.net", "*"]}
    refs = cors_references(SITE_ID, config)
    assert [(r.kind, r.hostname, r.where) for r in refs] == [
        (ReferenceKind.CORS_ORIGIN, "portal.contoso-legacy.net", "siteconfig.cors.allowedOrigins[0]")]


def test_auth_settings_redirects_and_issuers() -> None:
    auth = body("2026-03-15/GetAuthSettingsV2WithoutSecrets.json")
    auth["properties"]["identityProviders"]["azureActiveDirectory"] = {
        "registration": {"openIdIssuer": "https://sts.contoso-legacy.net/tenant/v2.0", "clientId": "x"}}
    refs = auth_references(SITE_ID, auth)
    assert {(r.kind, r.hostname, r.where) for r in refs} == {
        (ReferenceKind.AUTH_REDIRECT, "someurl.com", "authsettingsV2.login.allowedExternalRedirectUrls[0]"),
        (ReferenceKind.AUTH_REDIRECT, "sts.contoso-legacy.net",
         "authsettingsV2.identityProviders.azureActiveDirectory.registration.openIdIssuer"),
    }


def test_no_piece_of_a_secret_comes_out_as_a_host_name() -> None:
    payload = {"properties": {
        "DB_PASSWORD": "p4ss.word",
        "Storage": "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=abc.def==;EndpointSuffix=core.windows.net",
        "SAS_URL": "https://acct.blob.core.windows.net/c?sv=1&sig=zz.yy&se=2",
        "ClientSecret": "https://idp.contoso.com/?x=1 and s3.cret",
    }}
    refs = app_setting_references(SITE_ID, payload)
    # Storage's AccountName + EndpointSuffix name the account's service endpoints; a setting whose
    # name says secret is not read at all, whatever it looks like.
    assert {(r.hostname, r.where) for r in refs} == {
        *((f"a.{service}.core.windows.net", "appsettings.Storage") for service in ("blob", "queue", "table", "file")),
        ("acct.blob.core.windows.net", "appsettings.SAS_URL"),
    }


def test_url_paths_and_user_info_are_not_scanned() -> None:
    payload = {"properties": {
        "HOOK": "https://user:pa.ss@hooks.contoso.com/t0ken.part/x?next=https://n.contoso.com#frag.ment",
    }}
    assert [r.hostname for r in app_setting_references(SITE_ID, payload)] == ["hooks.contoso.com"]
