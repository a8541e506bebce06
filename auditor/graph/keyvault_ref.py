"""Key Vault references as users and services write them.

URLs and ARM ids are parsed by `auditor.normalise.keyvault_ids`, as the collectors
parse them; this adds the short form users type: `vault/name[/version]`.
"""

from __future__ import annotations

from auditor.normalise.keyvault_ids import KeyVaultRef
from auditor.normalise.keyvault_ids import parse_key_vault_ref as parse_service_ref

__all__ = ["KeyVaultRef", "parse_key_vault_ref"]


def parse_key_vault_ref(value: str | None) -> KeyVaultRef | None:
    """A data-plane URL, an ARM id of a vault secret or certificate, or `vault/name[/version]`."""
    ref = parse_service_ref(value)
    if ref is not None or not value or not value.strip():
        return ref
    text = value.strip()
    if "://" in text or text.startswith("/"):
        return None
    parts = text.strip("/").split("/")
    if len(parts) in (2, 3) and all(p.strip() for p in parts):
        version = parts[2].strip() if len(parts) == 3 else None
        return KeyVaultRef(parts[0].strip().lower(), parts[1].strip().lower(), version, "certificates")
    return None
