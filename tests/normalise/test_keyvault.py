import copy
import json
from datetime import UTC, datetime

import pytest
from rest_examples import REST_EXAMPLES

from auditor.model.certificate import CertificateStore, Renewal
from auditor.normalise.keyvault import (
    certificate_from_bundle,
    certificate_id_parts,
    renewal_of,
    vault_name_from_uri,
    version_from_item,
)

EXAMPLES = (REST_EXAMPLES / "keyvault-dataplane")
VAULT_ID = "/subscriptions/s/resourceGroups/r/providers/Microsoft.KeyVault/vaults/myvault"


def example(relative: str) -> dict:
    return json.loads((EXAMPLES / relative).read_text())


def bundle() -> dict:
    return example("2026-04-01/GetCertificate-example.json")["responses"]["200"]["body"]


def versions() -> list[dict]:
    return example("2026-04-01/GetCertificateVersions-example.json")["responses"]["200"]["body"]["value"]


def test_get_certificate_example_epoch_dates_x5t_and_the_cer_itself() -> None:
    cert = certificate_from_bundle(bundle(), versions(), VAULT_ID)
    assert cert.key == "myvault/selfsignedcert01"
    assert cert.name == "selfSignedCert01" and cert.store is CertificateStore.KEY_VAULT
    assert cert.resource_id == VAULT_ID
    assert cert.version == "f60f2a4f8ae442cfb41ca2090bd4b769"
    assert cert.not_before == datetime(2015, 4, 29, 21, 53, 41, tzinfo=UTC)
    assert cert.not_after == datetime(2039, 12, 31, 23, 59, 59, tzinfo=UTC)
    assert cert.thumbprint == "7CB8B7539D87BA7215357B9B9049DFF2D3FA59BA"
    assert cert.subject == "CN=KeyVaultTest" and cert.names == ("keyvaulttest",)
    assert cert.issuer == "CN=Root Agency"
    assert cert.issuer_provider == "Unknown" and cert.renewal is Renewal.MANUAL
    assert cert.enabled


def test_versions_are_newest_created_first() -> None:
    cert = certificate_from_bundle(bundle(), list(reversed(versions())), VAULT_ID)
    assert [v.version for v in cert.versions] == ["002ade539442463aba45c0efb42e3e84",
                                                  "7fcb3e9eb8bf43f3a6ff4b9c3740801d"]
    assert cert.versions[0].created == datetime.fromtimestamp(1482189534, UTC)
    assert cert.versions[0].thumbprint == cert.thumbprint


def test_a_cer_that_does_not_parse_falls_back_to_the_policy() -> None:
    imported = example("2026-04-01/ImportCertificate-example.json")["responses"]["200"]["body"]
    cert = certificate_from_bundle(imported, [], VAULT_ID)
    assert cert.subject == "CN=KeyVaultTest" and cert.names == ("keyvaulttest",) and cert.issuer is None
    assert cert.not_after == datetime(2039, 12, 31, 23, 59, 59, tzinfo=UTC)


def test_policy_sans_when_there_is_no_certificate_yet() -> None:
    created = example("2026-04-01/CreateCertificate-example.json")["parameters"]["parameters"]["policy"]
    pending = {"id": "https://myvault.vault.azure.net/certificates/c1/v1", "attributes": {}, "policy": created}
    cert = certificate_from_bundle(pending, [], VAULT_ID)
    assert cert.names == ("onedrive.microsoft.com", "xbox.microsoft.com", "*.microsoft.com")
    assert cert.not_after is None and cert.issuer_provider == "Self"


@pytest.mark.parametrize(("issuer", "action", "expected"), [
    ("Self", "AutoRenew", Renewal.AUTO),
    ("DigiCert", "AutoRenew", Renewal.AUTO),
    ("Unknown", "AutoRenew", Renewal.MANUAL),
    ("Self", "EmailContacts", Renewal.MANUAL),
    ("", "AutoRenew", Renewal.MANUAL),
])
def test_renewal(issuer: str, action: str, expected: Renewal) -> None:
    policy = copy.deepcopy(bundle()["policy"])
    policy["issuer"]["name"] = issuer
    policy["lifetime_actions"][0]["action"]["action_type"] = action
    assert renewal_of(policy) is expected


def test_no_policy_is_unknown_renewal() -> None:
    assert renewal_of(None) is Renewal.UNKNOWN


def test_disabled_version_and_listing_ids() -> None:
    listed = example("7.6/GetCertificates-example.json")["responses"]["200"]["body"]["value"][0]
    assert certificate_id_parts(listed["id"]) == ("myvault", "listCert01", None)
    item = dict(versions()[0], attributes=dict(versions()[0]["attributes"], enabled=False))
    assert version_from_item(item).enabled is False
    with pytest.raises(ValueError):
        certificate_id_parts("https://myvault.vault.azure.net/secrets/x")


@pytest.mark.parametrize("uri", ["https://sample-vault.vault.azure.net/", "https://sample-vault.vault.azure.net",
                                 "https://Sample-Vault.vault.azure.net"])
def test_vault_uri_with_and_without_slash(uri: str) -> None:
    assert vault_name_from_uri(uri) == "sample-vault"
    assert vault_name_from_uri("") is None
