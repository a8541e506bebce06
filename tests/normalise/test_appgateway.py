import base64
import json
from typing import Any

import trustme
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, pkcs7
from rest_examples import REST_EXAMPLES

from auditor.model import CertificateKind, ReferenceKind, Renewal
from auditor.normalise.appgateway import app_gateway, public_cert_facts

EXAMPLE = (REST_EXAMPLES / "network/2025-07-01/ApplicationGatewayGet.json")


def gateway() -> Any:
    return json.loads(EXAMPLE.read_text())["responses"]["200"]["body"]


def test_real_payload_masked_cert_and_bare_string_backends() -> None:
    extract = app_gateway(gateway())
    [cert] = extract.certificates
    assert cert.key.endswith("/sslcertificates/sslcert") and cert.not_after is None   # "*****"
    assert cert.renewal is Renewal.MANUAL and cert.key_vault_id is None
    # Listeners without host names give no custom domains; IP backends give no references.
    assert extract.custom_domains == () and extract.references == ()
    assert extract.resources[0].min_tls_version is None


def test_listener_host_names_key_vault_certificates_and_fqdn_backends() -> None:
    gw = gateway()
    props = gw["properties"]
    props["sslPolicy"] = {"policyType": "Predefined", "policyName": "AppGwSslPolicy20150501"}
    props["sslCertificates"][0]["properties"]["keyVaultSecretId"] = "https://kv1.vault.azure.net/secrets/web/0a1b"
    props["httpListeners"][0]["properties"]["hostNames"] = ["Shop.Contoso.com", "*.contoso-legacy.net"]
    props["httpListeners"][1]["properties"]["hostName"] = "plain.contoso.com"
    props["backendAddressPools"][0]["properties"]["backendAddresses"] = [{"fqdn": "api.contoso-legacy.net"},
                                                                           {"ipAddress": "10.1.1.1"}]
    props["backendHttpSettingsCollection"][0]["properties"]["hostName"] = "origin.contoso.com"
    extract = app_gateway(gw)
    domains = {d.hostname: d for d in extract.custom_domains}
    assert set(domains) == {"shop.contoso.com", "*.contoso-legacy.net", "plain.contoso.com"}
    assert domains["shop.contoso.com"].certificate_kind is CertificateKind.CUSTOMER
    assert domains["shop.contoso.com"].min_tls_version == "1.1"       # the listener's sslProfile
    assert domains["plain.contoso.com"].certificate_kind is CertificateKind.NONE
    assert extract.resources[0].min_tls_version == "1.0"             # the gateway's policy
    [cert] = extract.certificates
    assert (cert.key_vault_id, cert.pinned_version, cert.renewal) == ("kv1/web", "0a1b", Renewal.FOLLOWS_KEY_VAULT)
    bindings = {b.hostname: b for b in extract.bindings}
    assert set(bindings) == {"shop.contoso.com", "*.contoso-legacy.net"}
    assert bindings["shop.contoso.com"].certificate_key == cert.key
    assert bindings["shop.contoso.com"].pinned_version == "0a1b"
    by_kind = {(r.kind, r.hostname) for r in extract.references}
    assert (ReferenceKind.GATEWAY_LISTENER, "*.contoso-legacy.net") in by_kind
    assert (ReferenceKind.GATEWAY_BACKEND, "api.contoso-legacy.net") in by_kind
    assert (ReferenceKind.GATEWAY_BACKEND, "origin.contoso.com") in by_kind


def test_public_cert_data_as_pkcs7() -> None:
    ca = trustme.CA()
    leaf = ca.issue_cert("gw.contoso.com")
    certs = [x509.load_pem_x509_certificate(b.bytes()) for b in leaf.cert_chain_pems]
    data = base64.b64encode(pkcs7.serialize_certificates(certs + [x509.load_pem_x509_certificate(ca.cert_pem.bytes())],
                                                         Encoding.DER)).decode()
    parsed = public_cert_facts(data)
    assert parsed is not None and parsed.names == ("gw.contoso.com",)
    assert public_cert_facts("*****") is None
    assert public_cert_facts("not base64!") is None


def test_children_without_ids_get_the_gateways_id_and_their_name() -> None:
    gw = gateway()
    props = gw["properties"]
    for collection in ("sslCertificates", "httpListeners"):
        for child in props[collection]:
            child.pop("id")
    props["httpListeners"][0]["properties"]["sslCertificate"] = {"name": "sslcert"}
    props["httpListeners"][0]["properties"]["hostName"] = "shop.contoso.com"
    extract = app_gateway(gw)
    [cert] = extract.certificates
    assert cert.resource_id == f"{gw['id']}/sslCertificates/sslcert" and cert.key == cert.resource_id.lower()
    [binding] = extract.bindings
    assert binding.resource_id == f"{gw['id']}/httpListeners/appgwhl" and binding.certificate_key == cert.key
