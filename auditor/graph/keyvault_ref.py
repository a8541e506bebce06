"""Key Vault references in every spelling Azure uses, reduced to (vault, name, version)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

# https://kv.vault.azure.net/{certificates|secrets|keys}/name[/version]
_OBJECT_KINDS = {"certificates", "secrets", "keys"}
# .../providers/Microsoft.KeyVault/vaults/kv/secrets/name[/versions/v]
_ARM = re.compile(
    r"/providers/microsoft\.keyvault/vaults/(?P<vault>[^/]+)/(?:secrets|certificates|keys)/(?P<name>[^/]+)"
    r"(?:/versions/(?P<version>[^/]+))?/?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class KeyVaultRef:
    vault: str            # lower-case vault name
    name: str             # lower-case object name (certificate and secret share it)
    version: str | None   # None: versionless, follows the current version

    @property
    def key(self) -> str:
        """The inventory's key for a Key Vault certificate: `vault/name`."""
        return f"{self.vault}/{self.name}"


def parse_key_vault_ref(value: str | None) -> KeyVaultRef | None:
    """A data-plane URL, an ARM id of a vault secret or certificate, or `vault/name[/version]`."""
    if not value or not value.strip():
        return None
    text = value.strip()
    if "://" in text:
        return _from_url(text)
    arm = _ARM.search(text)
    if arm:
        return KeyVaultRef(arm["vault"].lower(), arm["name"].lower(), _version(arm["version"]))
    if text.startswith("/"):
        return None
    parts = text.strip("/").split("/")
    if len(parts) in (2, 3) and all(parts):
        return KeyVaultRef(parts[0].lower(), parts[1].lower(), _version(parts[2] if len(parts) == 3 else None))
    return None


def _from_url(text: str) -> KeyVaultRef | None:
    try:
        url = urlsplit(text)
    except ValueError:
        return None
    host = (url.hostname or "").lower()
    if not host:
        return None
    segments = [s for s in url.path.split("/") if s]
    if len(segments) < 2 or segments[0].lower() not in _OBJECT_KINDS:
        return None
    version = segments[2] if len(segments) > 2 else None
    return KeyVaultRef(host.split(".", 1)[0], segments[1].lower(), _version(version))


def _version(value: str | None) -> str | None:
    return value.lower() if value and value.strip() else None
