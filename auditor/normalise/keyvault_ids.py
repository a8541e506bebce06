"""Key Vault references as the services spell them, reduced to vault, name and version.

Accepted forms:
  https://kv.vault.azure.net/secrets/name[/version]      (also /certificates/, :443, trailing /)
  /subscriptions/../providers/Microsoft.KeyVault/vaults/kv/secrets/name[/version]
  a vault ARM id or URL plus a separate secret name and version (Front Door classic, CDN)
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

_OBJECT_KINDS = {"secrets", "certificates", "keys"}


@dataclass(frozen=True)
class KeyVaultRef:
    vault: str                 # vault name, lower-case
    name: str                  # secret / certificate name, lower-case
    version: str | None        # None: versionless, follows the current version
    kind: str = "secrets"      # secrets | certificates | keys

    @property
    def key(self) -> str:
        """The Key Vault certificate's inventory key: `vault/name`."""
        return f"{self.vault}/{self.name}"

    @property
    def pinned(self) -> bool:
        return self.version is not None


def parse_key_vault_ref(value: str | None) -> KeyVaultRef | None:
    """A secret/certificate URL or ARM id -> KeyVaultRef; None when it is not one."""
    if not value or not value.strip():
        return None
    raw = value.strip()
    if raw.lower().startswith(("https://", "http://")):
        return _from_url(raw)
    if raw.startswith("/"):
        return _from_arm_id(raw)
    return None


def key_vault_ref(vault: str | None, name: str | None, version: str | None = None) -> KeyVaultRef | None:
    """From parts: `vault` is a vault name, URL or ARM id; empty version means versionless."""
    if not vault or not name or not name.strip():
        return None
    vault_name = vault_name_of(vault)
    if vault_name is None:
        return None
    clean_version = version.strip() if version and version.strip() else None
    return KeyVaultRef(vault_name, name.strip().lower(), clean_version)


def vault_name_of(value: str) -> str | None:
    """`kv`, `https://kv.vault.azure.net/`, or `/subscriptions/../vaults/kv` -> `kv`."""
    raw = value.strip()
    if not raw:
        return None
    if raw.lower().startswith(("https://", "http://")):
        host = urlsplit(raw).hostname
        return host.split(".", 1)[0].lower() if host else None
    if raw.startswith("/"):
        parts = [p for p in raw.split("/") if p]
        for i in range(len(parts) - 1):
            if parts[i].lower() == "vaults":
                return parts[i + 1].lower()
        return None
    return raw.lower() if "/" not in raw else None


def _from_url(raw: str) -> KeyVaultRef | None:
    try:
        parts = urlsplit(raw)
    except ValueError:
        return None
    if not parts.hostname:
        return None
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) not in (2, 3) or segments[0].lower() not in _OBJECT_KINDS:
        return None
    version = segments[2] if len(segments) == 3 else None
    return KeyVaultRef(parts.hostname.split(".", 1)[0].lower(), segments[1].lower(), version,
                       segments[0].lower())


def _from_arm_id(raw: str) -> KeyVaultRef | None:
    parts = [p for p in raw.split("/") if p]
    lowered = [p.lower() for p in parts]
    if "vaults" not in lowered:
        return None
    at = lowered.index("vaults")
    tail = parts[at + 1:]
    if len(tail) < 3 or tail[1].lower() not in _OBJECT_KINDS:
        return None
    version = None
    if len(tail) >= 5 and tail[3].lower() == "versions":
        version = tail[4]
    elif len(tail) == 4:
        version = tail[3]
    return KeyVaultRef(tail[0].lower(), tail[2].lower(), version, tail[1].lower())
