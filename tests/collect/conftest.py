"""Estates written into a tmp dir (real ARM and Key Vault payload shapes), served by the
real emulator, collected through the real SDK clients."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from rest_examples import REST_EXAMPLES

from auditor.cloud import AZURE_PUBLIC
from auditor.collect.context import CollectContext
from auditor.config import CollectConfig, ScopeConfig, default_config
from auditor.emulator.server import Emulator

EXAMPLES = REST_EXAMPLES
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
SUBS = ("11111111-1111-1111-1111-111111111111", "22222222-2222-2222-2222-222222222222",
        "33333333-3333-3333-3333-333333333333")
AS_OF = datetime(2025, 9, 10, tzinfo=UTC)
_KEY = ec.generate_private_key(ec.SECP256R1())


def example(relative: str) -> dict[str, Any]:
    return json.loads((EXAMPLES / relative).read_text())["responses"]["200"]["body"]


def rg_id(sub: str, group: str = "rg-app") -> str:
    return f"/subscriptions/{sub}/resourceGroups/{group}"


def der_certificate(names: list[str], not_before: datetime, not_after: datetime) -> bytes:
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])])
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(_KEY.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(not_before).not_valid_after(not_after)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False)
            .sign(_KEY, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.DER)


class EstateWriter:
    """Writes an auditor-estate/1 directory from real example payloads."""

    def __init__(self, root: Path, subscriptions: tuple[str, ...] = SUBS) -> None:
        self.root = root
        self.arm: list[dict[str, Any]] = []
        self.faults: list[dict[str, Any]] = []
        self.bundles: list[tuple[str, str, str, dict[str, Any]]] = []
        self.subscriptions = subscriptions
        self.hidden: set[str] = set()             # subscriptions with "access": "none"
        self.limits: dict[str, int] | None = None  # estate.json "limits"; None: Azure's defaults
        self.management_groups: list[dict[str, Any]] = []   # estate.json "management_groups"

    def add(self, obj: dict[str, Any]) -> dict[str, Any]:
        self.arm.append(obj)
        return obj

    def storage_account(self, sub: str, name: str) -> dict[str, Any]:
        return self.add({
            "id": f"{rg_id(sub, 'rg-data')}/providers/Microsoft.Storage/storageAccounts/{name}",
            "name": name, "type": "Microsoft.Storage/storageAccounts", "location": "westeurope",
            "tags": {"env": "test"}, "kind": "StorageV2",
            "properties": {"minimumTlsVersion": "TLS1_2",
                           "primaryEndpoints": {"blob": f"https://{name}.blob.core.windows.net/",
                                                "web": f"https://{name}.z6.web.core.windows.net/"}},
        })

    def public_ip(self, sub: str, name: str) -> dict[str, Any]:
        return self.add({
            "id": f"{rg_id(sub, 'rg-net')}/providers/Microsoft.Network/publicIPAddresses/{name}",
            "name": name, "type": "Microsoft.Network/publicIPAddresses", "location": "westeurope",
            "properties": {"ipAddress": "20.1.2.3",
                           "dnsSettings": {"fqdn": f"{name}.westeurope.cloudapp.azure.com"}},
        })

    def vault(self, sub: str, name: str, *, trailing_slash: bool = True) -> dict[str, Any]:
        body = copy.deepcopy(example("keyvault-mgmt/2025-05-01/getVault.json"))
        uri = f"https://{name}.vault.azure.net" + ("/" if trailing_slash else "")
        body.update(id=f"{rg_id(sub, 'rg-sec')}/providers/Microsoft.KeyVault/vaults/{name}", name=name)
        body["properties"]["vaultUri"] = uri
        return self.add(body)

    def kv_certificate(self, vault: str, name: str, versions: list[tuple[str, datetime, datetime]],
                       names: list[str], *, issuer: str = "Self", action: str = "AutoRenew",
                       enabled: bool = True, tags: dict[str, str] | None = None) -> None:
        """versions: (version id, not_before, not_after), oldest first."""
        base = example("keyvault-dataplane/2026-04-01/GetCertificate-example.json")
        for i, (version, nbf, exp) in enumerate(versions):
            der = der_certificate(names, nbf, exp)
            bundle = copy.deepcopy(base)
            url = f"https://{vault}.vault.azure.net"
            for field, kind in (("id", "certificates"), ("kid", "keys"), ("sid", "secrets")):
                bundle[field] = f"{url}/{kind}/{name}/{version}"
            bundle["cer"] = base64.b64encode(der).decode()
            bundle["x5t"] = base64.urlsafe_b64encode(hashlib.sha1(der).digest()).decode().rstrip("=")  # noqa: S324
            bundle["attributes"].update(nbf=int(nbf.timestamp()), exp=int(exp.timestamp()),
                                        created=int(nbf.timestamp()) + i, updated=int(nbf.timestamp()) + i,
                                        enabled=enabled)
            policy = bundle["policy"]
            policy["id"] = f"{url}/certificates/{name}/policy"
            policy["issuer"]["name"] = issuer
            policy["lifetime_actions"][0]["action"]["action_type"] = action
            policy["x509_props"]["subject"] = f"CN={names[0]}"
            policy["x509_props"]["sans"] = {"dns_names": names}
            if tags:
                bundle["tags"] = tags
            self.bundles.append((vault, name, version, bundle))

    def fault(self, **fault: Any) -> None:
        self.faults.append(fault)

    def write(self) -> Path:
        (self.root / "arm").mkdir(parents=True, exist_ok=True)
        meta: dict[str, Any] = {
            "format": "auditor-estate/1", "tenant_id": TENANT, "as_of": "2025-09-10T00:00:00Z",
            "subscriptions": [{"subscriptionId": s, "displayName": f"sub-{i}",
                               **({"access": "none"} if s in self.hidden else {})}
                              for i, s in enumerate(self.subscriptions)],
        }
        if self.limits is not None:
            meta["limits"] = self.limits
        if self.management_groups:
            meta["management_groups"] = self.management_groups
        (self.root / "estate.json").write_text(json.dumps(meta))
        (self.root / "arm" / "objects.json").write_text(json.dumps(self.arm))
        for vault, name, version, bundle in self.bundles:
            folder = self.root / "keyvault" / vault / name
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{version}.json").write_text(json.dumps(bundle))
        if self.faults:
            (self.root / "faults.json").write_text(json.dumps(self.faults))
        return self.root


def context_for(endpoints: Any, **collect: Any) -> CollectContext:
    scope = collect.pop("scope", ScopeConfig())
    config = replace(default_config(), scope=scope,
                     collect=replace(CollectConfig(retries=2, max_retry_wait_seconds=5,
                                                   request_timeout_seconds=10), **collect))
    return CollectContext(config=config, cloud=AZURE_PUBLIC, network=endpoints.network(), as_of=AS_OF,
                          tenant_id=endpoints.tenant_id)


@pytest.fixture
def estate(tmp_path: Path) -> EstateWriter:
    return EstateWriter(tmp_path / "estate")


@pytest.fixture
def serve() -> Iterator[Any]:
    """serve(writer) -> (emulator, endpoints); stopped at teardown."""
    started: list[Emulator] = []

    def start(writer: EstateWriter) -> tuple[Emulator, Any]:
        emulator = Emulator(writer.write())
        started.append(emulator)
        return emulator, emulator.start()

    yield start
    for emulator in started:
        emulator.stop()


def days(n: float) -> timedelta:
    return timedelta(days=n)


# Captured while this file is being imported: every conftest is registered as module
# "conftest", so looking it up later could return another folder's.
_THIS = sys.modules[__name__]


@pytest.fixture
def kit() -> Any:
    """This module's helpers and constants, for the tests beside it (no package imports)."""
    return _THIS


SECRET = "Zq7-unique-s3cret-9f1c"


def web_site(writer: EstateWriter, sub: str, name: str, *, custom: list[str], thumbprint: str | None,
             settings: dict[str, str], strings: dict[str, str], cors: list[str]) -> str:
    """A site from GetWebApp.json with its hostNameBindings and config objects."""
    site = copy.deepcopy(example("web/2025-05-01/GetWebApp.json"))
    site_id = f"{rg_id(sub)}/providers/Microsoft.Web/sites/{name}"
    props = site["properties"]
    site.update(id=site_id, name=name)
    props["defaultHostName"] = f"{name}.azurewebsites.net"
    props["hostNames"] = [f"{name}.azurewebsites.net"] + custom
    props["enabledHostNames"] = props["hostNames"] + [f"{name}.scm.azurewebsites.net"]
    props["hostNameSslStates"] = [{"name": h, "hostType": "Standard",
                                   "sslState": "SniEnabled" if thumbprint else "Disabled",
                                   **({"thumbprint": thumbprint} if thumbprint else {})} for h in custom]
    props["siteConfig"] = None
    writer.add(site)
    for host in props["hostNames"]:
        writer.add({"id": f"{site_id}/hostNameBindings/{host}", "name": f"{name}/{host}",
                    "type": "Microsoft.Web/sites/hostNameBindings",
                    "properties": {"siteName": name, "hostNameType": "Verified",
                                   "sslState": "SniEnabled" if thumbprint and host in custom else "Disabled",
                                   **({"thumbprint": thumbprint} if thumbprint and host in custom else {})}})
    config = copy.deepcopy(example("web/2026-03-15/GetSiteConfig.json"))
    config["id"] = f"{site_id}/config/web"
    config["properties"]["minTlsVersion"] = "1.0"
    config["properties"]["cors"] = {"allowedOrigins": cors, "supportCredentials": False}
    auth = copy.deepcopy(example("web/2026-03-15/GetAuthSettingsV2WithoutSecrets.json"))
    auth.update(id=f"{site_id}/config/authsettingsV2", name="authsettingsV2", type="Microsoft.Web/sites/config")
    auth["properties"]["login"]["allowedExternalRedirectUrls"] = ["https://login.contoso-legacy.net/signin"]
    app_settings = copy.deepcopy(example("web/2026-03-15/ListAppSettings.json"))
    app_settings.update(id=f"{site_id}/config/appsettings", properties=settings)
    conn = {"id": f"{site_id}/config/connectionstrings", "name": "connectionstrings",
            "type": "Microsoft.Web/sites/config",
            "properties": {k: {"value": v, "type": "SQLAzure"} for k, v in strings.items()}}
    for obj in (config, auth, app_settings, conn):
        writer.add(obj)
    return site_id


def web_certificate(writer: EstateWriter, sub: str, name: str, thumbprint: str, **extra: Any) -> str:
    cert = copy.deepcopy(example("web/2026-03-15/GetCertificate.json"))
    cert_id = f"{rg_id(sub)}/providers/Microsoft.Web/certificates/{name}"
    cert.update(id=cert_id, name=name)
    cert["properties"].update(thumbprint=thumbprint, **extra)
    writer.add(cert)
    return cert_id
