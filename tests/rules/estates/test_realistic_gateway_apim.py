"""A healthy estate whose Key Vault certificates are bound only through Application Gateway
listeners (versionless `keyVaultSecretId`s) and an API Management custom host name (a versionless
`keyVaultId`), with a Traffic Manager profile sending a status name to two external endpoints.
API Management sits behind the gateway, the reference architecture for an internal APIM: its
custom host name's DNS points at the gateway, whose backend pool is APIM's gateway host.
The certificates auto-renew and both consumers follow the latest version, so none of them is
orphaned, unmanaged, pinned or stale, and nothing else fires; nor for a self-signed SAML signing
certificate in the same vault, which names no host and is not a TLS certificate. Its twin pins the gateway to the
current version and must produce exactly that finding.

https://learn.microsoft.com/en-us/azure/application-gateway/key-vault-certs
https://learn.microsoft.com/en-us/azure/api-management/configure-custom-domain
https://learn.microsoft.com/en-us/azure/traffic-manager/traffic-manager-endpoint-types
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, pkcs7

from auditor.core.analyse import analyse
from auditor.core.decommission import decommission
from auditor.core.environment import open_environment
from auditor.core.pipeline import run_audit
from auditor.estate.builder import (
    Endpoint,
    EstateSpec,
    Record,
    Site,
    Vault,
    VaultCertificate,
    Zone,
    build_estate,
)
from auditor.estate.builder.spec import DEFAULT_SUBSCRIPTION
from auditor.graph.shell_command import printed_command
from auditor.rules.registry import CONTRACT_RULE_IDS

from .nameless import assert_nothing_nameless
from .pipeline import AuditedEstate

RG = f"/subscriptions/{DEFAULT_SUBSCRIPTION}/resourceGroups/rg-edge/providers"
GW = f"{RG}/Microsoft.Network/applicationGateways/agw-fabrikam"
PIP = f"{RG}/Microsoft.Network/publicIPAddresses/pip-agw"
APIM = f"{RG}/Microsoft.ApiManagement/service/apim-fabrikam"
TM = f"{RG}/Microsoft.Network/trafficManagerProfiles/tm-status"
# Filled in after the build from the Key Vault bundles the builder minted: {thumbprint|expiry|p7b|version:vault/cert}.
_PLACEHOLDER = re.compile(r"\{(thumbprint|expiry|p7b|version):([a-z0-9-]+/[a-z0-9-]+)\}")


def _child(kind: str, name: str, props: dict[str, Any]) -> dict[str, Any]:
    return {"id": f"{GW}/{kind}/{name}", "name": name, "etag": 'W/"1"', "properties": props}


def _listener(name: str, host: str, certificate: str) -> dict[str, Any]:
    return _child("httpListeners", name, {
        "protocol": "Https", "hostName": host, "requireServerNameIndication": True,
        "frontendIPConfiguration": {"id": f"{GW}/frontendIPConfigurations/public"},
        "frontendPort": {"id": f"{GW}/frontendPorts/https"},
        "sslCertificate": {"id": f"{GW}/sslCertificates/{certificate}"}})


def _rule(name: str, priority: int) -> dict[str, Any]:
    return _child("requestRoutingRules", name, {
        "ruleType": "Basic", "priority": priority,
        "httpListener": {"id": f"{GW}/httpListeners/{name}-https"},
        "backendAddressPool": {"id": f"{GW}/backendAddressPools/{name}"},
        "backendHttpSettings": {"id": f"{GW}/backendHttpSettingsCollection/{name}"}})


def _gateway(secret_id: str) -> dict[str, Any]:
    return {
        "id": GW, "name": "agw-fabrikam", "type": "Microsoft.Network/applicationGateways",
        "location": "westeurope", "tags": {},
        "properties": {
            "provisioningState": "Succeeded", "operationalState": "Running",
            "sku": {"name": "WAF_v2", "tier": "WAF_v2", "capacity": 2},
            "sslPolicy": {"policyType": "Predefined", "policyName": "AppGwSslPolicy20220101"},
            "sslCertificates": [
                _child("sslCertificates", "portal-cert", {"provisioningState": "Succeeded",
                                                          "keyVaultSecretId": secret_id,
                                                          "publicCertData": "{p7b:kv-gw/portal}"}),
                _child("sslCertificates", "api-cert", {"provisioningState": "Succeeded",
                                                       "keyVaultSecretId": "https://kv-gw.vault.azure.net/secrets/api",
                                                       "publicCertData": "{p7b:kv-gw/api}"})],
            "frontendIPConfigurations": [_child("frontendIPConfigurations", "public", {"publicIPAddress": {"id": PIP}})],
            "frontendPorts": [_child("frontendPorts", "https", {"port": 443})],
            "backendAddressPools": [
                _child("backendAddressPools", "portal", {
                    "backendAddresses": [{"fqdn": "fabrikam-portal.azurewebsites.net"}]}),
                _child("backendAddressPools", "api", {"backendAddresses": [{"fqdn": "apim-fabrikam.azure-api.net"}]})],
            "backendHttpSettingsCollection": [
                _child("backendHttpSettingsCollection", "portal", {
                    "port": 443, "protocol": "Https", "pickHostNameFromBackendAddress": True}),
                _child("backendHttpSettingsCollection", "api", {
                    "port": 443, "protocol": "Https", "hostName": "api.fabrikam.com"})],
            "httpListeners": [_listener("portal-https", "portal.fabrikam.com", "portal-cert"),
                              _listener("api-https", "api.fabrikam.com", "api-cert")],
            "requestRoutingRules": [_rule("portal", 100), _rule("api", 110)],
        },
    }


PUBLIC_IP = {
    "id": PIP, "name": "pip-agw", "type": "Microsoft.Network/publicIPAddresses", "location": "westeurope",
    "tags": {}, "sku": {"name": "Standard"},
    "properties": {"ipAddress": "51.105.1.20", "publicIPAllocationMethod": "Static",
                   "dnsSettings": {"domainNameLabel": "fabrikam-agw",
                                   "fqdn": "fabrikam-agw.westeurope.cloudapp.azure.com"}},
}

# Shaped like the REST example ApiManagementServiceGetServiceHavingMsi: a BuiltIn default host
# and a KeyVault custom host with the certificate details APIM reports.
API_MANAGEMENT = {
    "id": APIM, "name": "apim-fabrikam", "type": "Microsoft.ApiManagement/service", "location": "West Europe",
    "tags": {}, "sku": {"name": "Standard", "capacity": 1},
    "properties": {
        "provisioningState": "Succeeded", "gatewayUrl": "https://apim-fabrikam.azure-api.net",
        "developerPortalUrl": "https://apim-fabrikam.developer.azure-api.net",
        "managementApiUrl": "https://apim-fabrikam.management.azure-api.net",
        "hostnameConfigurations": [
            {"type": "Proxy", "hostName": "apim-fabrikam.azure-api.net", "negotiateClientCertificate": False,
             "defaultSslBinding": False, "certificateSource": "BuiltIn"},
            {"type": "Proxy", "hostName": "api.fabrikam.com",
             "keyVaultId": "https://kv-gw.vault.azure.net/secrets/api",
             "negotiateClientCertificate": False, "defaultSslBinding": True, "certificateSource": "KeyVault",
             "certificate": {"expiry": "{expiry:kv-gw/api}", "thumbprint": "{thumbprint:kv-gw/api}",
                             "subject": "CN=api.fabrikam.com"}}],
        "customProperties": {
            "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls10": "False",
            "Microsoft.WindowsAzure.ApiManagement.Gateway.Security.Protocols.Tls11": "False"},
    },
}


def _external(name: str, target: str, priority: int) -> dict[str, Any]:
    return {"id": f"{TM}/externalEndpoints/{name}", "name": name,
            "type": "Microsoft.Network/trafficManagerProfiles/externalEndpoints",
            "properties": {"endpointStatus": "Enabled", "endpointMonitorStatus": "Online", "target": target,
                           "weight": 1, "priority": priority, "endpointLocation": "West Europe"}}


TRAFFIC_MANAGER = {
    "id": TM, "name": "tm-status", "type": "Microsoft.Network/trafficManagerProfiles", "location": "global",
    "tags": {},
    "properties": {
        "profileStatus": "Enabled", "trafficRoutingMethod": "Priority",
        "dnsConfig": {"relativeName": "fabrikam-status", "fqdn": "fabrikam-status.trafficmanager.net", "ttl": 60},
        "monitorConfig": {"profileMonitorStatus": "Online", "protocol": "HTTPS", "port": 443, "path": "/health"},
        "endpoints": [_external("primary", "status-eu.fabrikam.com", 1),
                      _external("secondary", "status-us.fabrikam.com", 2)],
    },
}

HEALTHY = EstateSpec(
    vaults=(Vault("kv-gw", certificates=(VaultCertificate("portal", ("portal.fabrikam.com",)),
                                          VaultCertificate("api", ("api.fabrikam.com",)),
                                          # A self-signed SAML signing certificate: no host, no TLS use.
                                          VaultCertificate("saml-signing", ("fabrikam-saml-signing",),
                                                           issuer="Self"))),),
    sites=(Site("fabrikam-portal"),),
    zones=(
        Zone("fabrikam.com", records=(
            Record("portal", "CNAME", ("fabrikam-agw.westeurope.cloudapp.azure.com",)),
            Record("api", "CNAME", ("fabrikam-agw.westeurope.cloudapp.azure.com",)),
            Record("status", "CNAME", ("fabrikam-status.trafficmanager.net",)),
            Record("status-eu", "A", ("198.51.100.10",)),
            Record("status-us", "A", ("203.0.113.10",)),
            Record("@", "CAA", ('0 issue "digicert.com"',)))),
        Zone("cloudapp.azure.com", azure=False, records=(Record("fabrikam-agw.westeurope", "A", ("51.105.1.20",)),)),
        Zone("azure-api.net", azure=False, records=(Record("apim-fabrikam", "A", ("20.50.2.10",)),)),
        Zone("trafficmanager.net", azure=False, records=(
            Record("fabrikam-status", "CNAME", ("status-eu.fabrikam.com",)),)),
    ),
    endpoints=(Endpoint("portal.fabrikam.com", serve="kv-gw/portal"), Endpoint("api.fabrikam.com", serve="kv-gw/api")),
    arm=(_gateway("https://kv-gw.vault.azure.net/secrets/portal"), PUBLIC_IP, API_MANAGEMENT, TRAFFIC_MANAGER),
)

# The gateway pinned to the version that is current today: the next renewal will not reach it.
PINNED = replace(HEALTHY, arm=(_gateway("https://kv-gw.vault.azure.net/secrets/portal/{version:kv-gw/portal}"),
                               *HEALTHY.arm[1:]))



def _without_child_ids(gateway: dict[str, Any]) -> dict[str, Any]:
    """The gateway as an export or a hand-made estate gives it: children named, not id'd."""
    props = dict(gateway["properties"])
    for collection in ("sslCertificates", "httpListeners", "backendAddressPools", "backendHttpSettingsCollection"):
        props[collection] = [{k: v for k, v in child.items() if k != "id"} for child in props[collection]]
    props["httpListeners"] = [{**listener, "properties": {
        **listener["properties"], "sslCertificate": {"name": listener["properties"]["sslCertificate"]["id"]
                                                     .rsplit("/", 1)[-1]}}} for listener in props["httpListeners"]]
    return {**gateway, "properties": props}


# The pinned gateway with its children named but not id'd.
PINNED_BY_NAME = replace(PINNED, arm=(_without_child_ids(PINNED.arm[0]), *PINNED.arm[1:]))


def _current_bundle(estate: Path, ref: str) -> dict[str, Any]:
    vault, name = ref.split("/")
    bundles = [json.loads(p.read_text()) for p in (estate / "keyvault" / vault / name).glob("*.json")]
    return max(bundles, key=lambda b: b["attributes"]["created"])


def _fill(estate: Path) -> None:
    """Give the raw ARM objects the thumbprints and dates of the certificates the build minted."""
    def value(match: re.Match[str]) -> str:
        bundle = _current_bundle(estate, match.group(2))
        cert = x509.load_der_x509_certificate(base64.b64decode(bundle["cer"]))
        return {
            "thumbprint": lambda: hashlib.sha1(cert.public_bytes(Encoding.DER)).hexdigest().upper(),
            "expiry": lambda: cert.not_valid_after_utc.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
            "p7b": lambda: base64.b64encode(pkcs7.serialize_certificates([cert], Encoding.DER)).decode(),
            "version": lambda: str(bundle["id"]).rsplit("/", 1)[-1],
        }[match.group(1)]()
    raw = estate / "arm" / "raw.json"
    raw.write_text(_PLACEHOLDER.sub(value, raw.read_text()))


def _audit(spec: EstateSpec, out_dir: Path) -> AuditedEstate:
    path = build_estate(spec, out_dir)
    _fill(path)
    with open_environment(estate=path, config_path=None, as_of=None) as env:
        outcome = run_audit(env)
        per_rule = {rule: analyse(outcome.inventory, env.config, env.as_of, rules=[rule])
                    for rule in CONTRACT_RULE_IDS}
        assert assert_nothing_nameless(outcome.report, outcome.inventory, env.config, env.as_of) > 0
        return AuditedEstate(path=path, report=outcome.report, inventory=outcome.inventory,
                             config=env.config, per_rule=per_rule)


@pytest.fixture(scope="module")
def healthy(tmp_path_factory: pytest.TempPathFactory) -> AuditedEstate:
    return _audit(HEALTHY, tmp_path_factory.mktemp("gateway") / "estate")


@pytest.fixture(scope="module")
def pinned(tmp_path_factory: pytest.TempPathFactory) -> AuditedEstate:
    return _audit(PINNED, tmp_path_factory.mktemp("gateway-pinned") / "estate")


def test_certificates_bound_through_gateway_and_apim_raise_nothing(healthy: AuditedEstate) -> None:
    assert healthy.report.gaps == ()
    assert healthy.all_pairs() == set()
    for rule in CONTRACT_RULE_IDS:
        assert healthy.subjects(rule) == set(), rule


def test_the_estate_was_really_seen(healthy: AuditedEstate) -> None:
    inventory = healthy.inventory
    copies = {c.key_vault_id for c in inventory.certificates if c.key_vault_id}
    assert copies == {"kv-gw/portal", "kv-gw/api"}
    kv = {c.key: c.thumbprint for c in inventory.certificates if c.store.value == "key-vault"}
    bound = {(b.hostname, b.service.value): b.thumbprint for b in inventory.bindings}
    assert bound == {("portal.fabrikam.com", "application-gateway"): kv["kv-gw/portal"],
                     ("api.fabrikam.com", "application-gateway"): kv["kv-gw/api"],
                     ("api.fabrikam.com", "api-management"): kv["kv-gw/api"]}
    served = {o.hostname: o.leaf.thumbprint for o in inventory.tls if o.leaf is not None and o.sni}
    assert served["portal.fabrikam.com"] == kv["kv-gw/portal"] and served["api.fabrikam.com"] == kv["kv-gw/api"]
    endpoints = {r.hostname for r in inventory.references if r.kind.value == "traffic-manager-endpoint"}
    assert endpoints == {"status-eu.fabrikam.com", "status-us.fabrikam.com"}


def test_a_gateway_pinned_to_a_version_is_reported(pinned: AuditedEstate) -> None:
    gateway_cert = f"{GW}/sslCertificates/portal-cert".lower()
    [(rule, subject)] = pinned.all_pairs()
    assert rule == "cert-rotation-pinned" and subject.lower() == gateway_cert


@pytest.fixture(scope="module")
def pinned_by_name(tmp_path_factory: pytest.TempPathFactory) -> AuditedEstate:
    return _audit(PINNED_BY_NAME, tmp_path_factory.mktemp("gateway-by-name") / "estate")


@pytest.mark.parametrize("estate", ["pinned", "pinned_by_name"])
def test_a_pinned_gateway_certificate_names_the_gateway_and_its_listeners(
        estate: str, request: pytest.FixtureRequest) -> None:
    audited: AuditedEstate = request.getfixturevalue(estate)
    [finding] = audited.per_rule["cert-rotation-pinned"].findings
    assert finding.subject == finding.resource_id == f"{GW}/sslCertificates/portal-cert"
    assert finding.evidence["gateway"] == GW and finding.evidence["certificate"] == "portal-cert"
    assert finding.evidence["listeners"] == ["portal-https"]


@pytest.mark.parametrize("estate", ["pinned", "pinned_by_name"])
def test_decommission_by_certificate_names_the_gateway_listener_and_certificate(
        estate: str, request: pytest.FixtureRequest) -> None:
    audited: AuditedEstate = request.getfixturevalue(estate)
    result = decommission(audited.inventory, audited.config, "kv-gw/portal", audited.report.as_of)
    on_gateway = {(d.kind, d.where): d for d in result.dependents if d.resource_id == GW}
    assert set(on_gateway) == {("certificate", "application-gateway certificate portal-cert"),
                               ("gateway-listener", "listener portal-https: application-gateway TLS binding")}
    listener = on_gateway[("gateway-listener", "listener portal-https: application-gateway TLS binding")]
    assert "gateway certificate portal-cert" in listener.detail and listener.hostname == "portal.fabrikam.com"
    assert printed_command(listener.remove) == [
        "az", "network", "application-gateway", "http-listener", "update", "-g", "rg-edge",
        "--gateway-name", "agw-fabrikam", "-n", "portal-https", "--ssl-cert", "<other-certificate>"]
    cert = on_gateway[("certificate", "application-gateway certificate portal-cert")]
    assert printed_command(cert.remove) == ["az", "network", "application-gateway", "ssl-cert", "delete", "-g",
                                            "rg-edge", "--gateway-name", "agw-fabrikam", "-n", "portal-cert"]


def test_decommission_by_domain_names_the_gateway_with_each_listener(pinned_by_name: AuditedEstate) -> None:
    result = decommission(pinned_by_name.inventory, pinned_by_name.config, "fabrikam.com",
                          pinned_by_name.report.as_of)
    on_gateway = {(d.kind, d.hostname, d.where) for d in result.dependents if d.resource_id == GW}
    assert {("custom-domain", "portal.fabrikam.com", "listener portal-https: application-gateway custom domain"),
            ("custom-domain", "api.fabrikam.com", "listener api-https: application-gateway custom domain"),
            ("gateway-listener", "api.fabrikam.com", "listener api-https: properties.hostName"),
            ("gateway-backend", "api.fabrikam.com", "backend settings api: properties.hostName"),
            ("certificate", "portal.fabrikam.com", "application-gateway certificate portal-cert")} <= on_gateway
    # The listener's hostName is that listener, not a second, anonymous property of the gateway.
    assert not [d for d in result.dependents if d.kind == "resource-property" and d.resource_id == GW]
    assert all("<gateway>" not in d.remove and " on  " not in d.remove for d in result.dependents)
    listener = next(d for d in result.dependents if d.kind == "custom-domain" and d.resource_id == GW
                    and d.hostname == "api.fabrikam.com")
    assert printed_command(listener.remove) == [
        "az", "network", "application-gateway", "http-listener", "delete", "-g", "rg-edge",
        "--gateway-name", "agw-fabrikam", "-n", "api-https"]
