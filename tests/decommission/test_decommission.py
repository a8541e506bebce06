import pytest
from rules.factories import (
    AS_OF,
    OLD_THUMB,
    THUMB,
    app_cert,
    binding,
    config,
    days,
    domain,
    healthy,
    kv_cert,
    record,
    reference,
    resolved,
    with_,
)

from auditor.core.decommission import decommission
from auditor.errors import AuditorError
from auditor.graph.shell_command import printed_command
from auditor.model import (
    CertificateVersion,
    CoverageGap,
    GapReason,
    ReferenceKind,
    ServiceKind,
    Source,
)

LEGACY = "contoso-legacy.net"


def legacy() -> object:
    return with_(
        healthy(),
        custom_domains=(*healthy().custom_domains, domain(f"login.{LEGACY}")),
        certificates=(*healthy().certificates, kv_cert("legacy", names=(f"*.{LEGACY}",), thumbprint="C" * 40)),
        references=(reference(f"login.{LEGACY}", where="appsettings.AUTH_CALLBACK_URL"),
                    reference(f"api.{LEGACY}", ReferenceKind.CONNECTION_STRING, "connectionstrings.Db"),
                    reference(f"login.{LEGACY}", ReferenceKind.ENTRA_REDIRECT_URI, "web.redirectUris[0]",
                              "/applications/11111111-2222")),
        dns_records=(*healthy().dns_records,
                     record(LEGACY, "NS", "ns1-01.azure-dns.com.", zone_name=LEGACY),
                     record(f"login.{LEGACY}", "CNAME", "app.azurewebsites.net", zone_name=LEGACY),
                     record("sso.contoso.com", "CNAME", f"login.{LEGACY}.")),
        dns=(*healthy().dns, resolved("partner.example.org", f"api.{LEGACY}")),
    )


def test_domain_with_dependents_lists_each_with_how_to_remove_it() -> None:
    result = decommission(legacy(), config(), LEGACY.upper() + ".", AS_OF)
    assert result.target == LEGACY and result.complete and not result.safe
    kinds = sorted({d.kind for d in result.dependents})
    assert kinds == ["app-setting", "certificate", "connection-string", "custom-domain", "dns-record",
                     "entra-redirect-uri"]
    where = {(d.kind, d.where) for d in result.dependents}
    assert ("dns-record", "CNAME record sso.contoso.com") in where          # pointing into it
    assert ("dns-record", "CNAME record partner.example.org (observed)") in where
    assert not any(d.where.startswith("NS record") for d in result.dependents)  # the zone's own NS
    setting = next(d for d in result.dependents if d.kind == "app-setting")
    assert printed_command(setting.remove) == ["az", "webapp", "config", "appsettings", "delete", "-g", "rg-web",
                                               "-n", "app", "--setting-names", "AUTH_CALLBACK_URL"]
    assert all(d.remove for d in result.dependents)
    assert len(result.dependents) == len({(d.kind, d.hostname, d.resource_id, d.where) for d in result.dependents})


def test_host_name_target_excludes_siblings_and_parent_wildcard() -> None:
    result = decommission(legacy(), config(), f"api.{LEGACY}", AS_OF)
    assert {d.kind for d in result.dependents} == {"connection-string", "dns-record"}


def test_domain_without_dependents_is_safe() -> None:
    result = decommission(legacy(), config(), "contoso-retired.org", AS_OF)
    assert result.safe and result.complete and result.dependents == ()
    assert result.to_json()["safe"] is True


def test_a_gap_makes_it_unsafe() -> None:
    gapped = with_(legacy(), gaps=(CoverageGap(Source.KEYVAULT, "kv-hidden", GapReason.FORBIDDEN),))
    result = decommission(gapped, config(), "contoso-retired.org", AS_OF)
    assert not result.safe and not result.complete
    assert result.to_json()["gaps"][0]["target"] == "kv-hidden"


def test_an_unrelated_dns_timeout_does_not_count() -> None:
    gapped = with_(legacy(), gaps=(CoverageGap(Source.DNS, "intranet.fabrikam.com", GapReason.TIMEOUT),
                                   CoverageGap(Source.DNS, f"x.{LEGACY}", GapReason.TIMEOUT)))
    assert decommission(gapped, config(), "contoso-retired.org", AS_OF).safe
    assert not decommission(gapped, config(), LEGACY, AS_OF).complete


def test_certificate_target_by_key_vault_id_and_by_vault_name() -> None:
    by_url = decommission(healthy(), config(), "https://kv.vault.azure.net/certificates/web", AS_OF)
    by_name = decommission(healthy(), config(), "kv/web", AS_OF)
    assert by_url.dependents == by_name.dependents and by_url.target == "kv/web"
    kinds = {(d.kind, d.hostname) for d in by_name.dependents}
    assert kinds == {("certificate", "www.contoso.com"), ("custom-domain", "www.contoso.com")}
    assert not by_name.safe


def test_old_certificate_version_nothing_holds_is_safe() -> None:
    versions = (CertificateVersion("v2", THUMB, AS_OF - days(10), AS_OF - days(10), AS_OF + days(300)),
                CertificateVersion("v1", OLD_THUMB, AS_OF - days(400), AS_OF - days(400), AS_OF - days(30)))
    inv = with_(healthy(), certificates=(kv_cert(versions=versions), app_cert()))
    old = decommission(inv, config(), "https://kv.vault.azure.net/certificates/web/v1", AS_OF)
    assert old.target == "kv/web/v1" and old.safe


def test_unused_certificate_is_safe_and_unknown_one_is_an_error() -> None:
    spare = kv_cert("spare", names=("spare.contoso.com",), thumbprint="C" * 40)
    inv = with_(healthy(), certificates=(*healthy().certificates, spare))
    assert decommission(inv, config(), "kv/spare", AS_OF).safe
    with pytest.raises(AuditorError, match="not in the inventory"):
        decommission(inv, config(), "kv/typo", AS_OF)


def test_certificate_in_an_unreadable_vault_is_not_safe() -> None:
    pinned = binding("gw.contoso.com", thumbprint=None, service=ServiceKind.APP_GATEWAY,
                     certificate_ref="https://hidden.vault.azure.net/secrets/gw")
    inv = with_(healthy(), bindings=(*healthy().bindings, pinned),
                gaps=(CoverageGap(Source.KEYVAULT, "hidden", GapReason.FORBIDDEN),))
    result = decommission(inv, config(), "hidden/gw", AS_OF)
    assert not result.safe and not result.complete
    assert [d.hostname for d in result.dependents] == ["gw.contoso.com"]


def test_bad_target_is_one_clear_error() -> None:
    with pytest.raises(AuditorError, match="neither a domain"):
        decommission(healthy(), config(), "not a name!", AS_OF)


def test_a_property_of_a_listed_resource_is_not_listed_twice() -> None:
    cert = kv_cert("legacy", names=(f"*.{LEGACY}",), thumbprint="C" * 40)
    prop = reference(f"*.{LEGACY}", ReferenceKind.RESOURCE_PROPERTY, "properties.subject", cert.resource_id)
    inv = with_(healthy(), certificates=(*healthy().certificates, cert), references=(prop,))
    result = decommission(inv, config(), LEGACY, AS_OF)
    assert [d.kind for d in result.dependents] == ["certificate"]
