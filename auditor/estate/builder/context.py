"""The state one build shares between its steps: the clock, the CA, the certificates minted
so far, and the files about to be written."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from auditor.errors import EstateError
from auditor.estate.builder.pki import IssuedCert, Pki
from auditor.estate.builder.spec import AppServiceCertificate, EstateSpec, Vault, VaultCertificate
from auditor.estate.builder.when import moment


@dataclass(frozen=True)
class VaultVersion:
    vault: Vault
    spec: VaultCertificate
    version: str                  # 32 hex, as Key Vault names versions
    issued: IssuedCert
    created: datetime


@dataclass(frozen=True)
class WebCertificate:
    spec: AppServiceCertificate
    resource_id: str
    issued: IssuedCert
    vault_version: VaultVersion | None


@dataclass(frozen=True)
class Serve:
    """What the live TLS endpoint for one host name serves."""

    issued: IssuedCert
    leaf_only: bool = False
    limits: dict[str, str] = field(default_factory=dict)   # min_version / max_version / fail / ocsp_response
    order: str = "full"                   # full | out-of-order | with-root


class BuildContext:
    def __init__(self, spec: EstateSpec) -> None:
        if not spec.subscriptions:
            raise EstateError("an estate needs at least one subscription")
        self.spec = spec
        self.as_of = moment(spec.as_of, datetime.now().astimezone(), "as_of")
        self.pki = Pki(self.as_of)
        # vault (lower) -> certificate (lower) -> versions, newest first
        self.vault_versions: dict[str, dict[str, list[VaultVersion]]] = {}
        self.web_certs: dict[str, WebCertificate] = {}
        self.serve: dict[str, Serve] = {}
        self.platform: dict[str, IssuedCert] = {}       # provided zone -> its wildcard
        # "site:NAME" / "endpoint:PROFILE/ENDPOINT" -> the host name Azure gave it
        self.generated_hosts: dict[str, str] = {}
        self.arm: dict[str, list[dict[str, Any]]] = {}
        self.files: dict[str, str] = {}

    def when(self, text: str, where: str) -> datetime:
        return moment(text, self.as_of, where)

    def subscription(self, ref: str, where: str) -> str:
        if not ref:
            return self.spec.subscriptions[0].id
        for sub in self.spec.subscriptions:
            if ref.lower() in (sub.id.lower(), sub.name.lower()):
                return sub.id
        raise EstateError(f"{where}: unknown subscription {ref!r}")

    def add_arm(self, path: str, *objects: dict[str, Any]) -> None:
        self.arm.setdefault(path, []).extend(objects)

    def add_json(self, path: str, data: Any) -> None:
        self.files[path] = json.dumps(data, indent=2) + "\n"

    def vault_version(self, ref: str, where: str) -> VaultVersion:
        """"vault/cert" (current) or "vault/cert@N" (N versions older)."""
        base, _, back = ref.partition("@")
        vault, _, name = base.partition("/")
        versions = self.vault_versions.get(vault.lower(), {}).get(name.lower())
        if not versions:
            raise EstateError(f"{where}: no Key Vault certificate {base!r}")
        try:
            index = int(back) if back else 0
        except ValueError:
            raise EstateError(f"{where}: {ref!r}: the version after @ must be a number") from None
        if not 0 <= index < len(versions):
            raise EstateError(f"{where}: {base!r} has {len(versions)} version(s), not @{index}")
        return versions[index]

    def certificate(self, ref: str, where: str) -> IssuedCert:
        """A Key Vault reference ("vault/cert[@N]") or an App Service certificate name."""
        if "/" in ref:
            return self.vault_version(ref, where).issued
        web = self.web_certs.get(ref.lower())
        if web is None:
            raise EstateError(f"{where}: no App Service certificate {ref!r}")
        return web.issued

    def serve_host(self, host: str, issued: IssuedCert) -> None:
        self.serve.setdefault(host.lower().rstrip("."), Serve(issued=issued))
