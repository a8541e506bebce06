"""Reading a built estate back the way a client would: PEMs, bundles, zone files, ARM objects."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dns.name
import dns.rdatatype
import dns.zone
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes


@dataclass(frozen=True)
class Served:
    key: PrivateKeyTypes
    chain: list[x509.Certificate]      # leaf first

    @property
    def leaf(self) -> x509.Certificate:
        return self.chain[0]


def thumbprint(cert: x509.Certificate) -> str:
    return cert.fingerprint(hashes.SHA1()).hex().upper()  # noqa: S303


def read_served(root: Path, host: str) -> Served:
    data = (root / "tls" / f"{host}.pem").read_bytes()
    key = serialization.load_pem_private_key(data, password=None)
    return Served(key=key, chain=x509.load_pem_x509_certificates(data))


def trust_root(root: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate((root / "tls" / "_trust" / "root.pem").read_bytes())


def chains_to(chain: list[x509.Certificate], anchor: x509.Certificate) -> bool:
    """Each certificate is signed by the next, and the last by the trust anchor."""
    try:
        for child, parent in zip(chain, [*chain[1:], anchor], strict=True):
            child.verify_directly_issued_by(parent)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def key_matches(served: Served) -> bool:
    def spki(k: Any) -> bytes:
        return k.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return spki(served.key.public_key()) == spki(served.leaf.public_key())


def bundle_cert(bundle: dict[str, Any]) -> x509.Certificate:
    return x509.load_der_x509_certificate(base64.b64decode(bundle["cer"]))


def x5t_of(cert: x509.Certificate) -> str:
    return base64.urlsafe_b64encode(cert.fingerprint(hashes.SHA1())).decode().rstrip("=")  # noqa: S303


def current_bundle(versions: list[dict[str, Any]]) -> dict[str, Any]:
    return max(versions, key=lambda b: b["attributes"]["created"])


def arm_by_id(objects: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {o["id"].lower(): o for o in objects}


def arm_of_type(objects: list[dict[str, Any]], type_: str) -> list[dict[str, Any]]:
    return [o for o in objects if o["type"].lower() == type_.lower()]


def load_zones(root: Path) -> dict[str, dns.zone.Zone]:
    zones = {}
    for path in sorted((root / "dns").glob("*.zone")):
        zone = dns.zone.from_file(str(path), relativize=False)
        zones[str(zone.origin).rstrip(".")] = zone
    return zones


def _zone_for(zones: dict[str, dns.zone.Zone], name: str) -> dns.zone.Zone | None:
    labels = name.split(".")
    for i in range(len(labels)):
        if ".".join(labels[i:]) in zones:
            return zones[".".join(labels[i:])]
    return None


def lookup(zones: dict[str, dns.zone.Zone], name: str, rtype: str) -> list[str]:
    zone = _zone_for(zones, name)
    if zone is None:
        return []
    rdataset = zone.get_rdataset(dns.name.from_text(name), dns.rdatatype.from_text(rtype))
    return [r.to_text().rstrip(".") for r in rdataset] if rdataset else []


def resolve(zones: dict[str, dns.zone.Zone], name: str) -> tuple[list[str], list[str]]:
    """Follow CNAMEs through the estate's zone files: (the names visited after `name`, addresses)."""
    chain: list[str] = []
    current = name
    for _ in range(10):
        targets = lookup(zones, current, "CNAME")
        if not targets:
            return chain, lookup(zones, current, "A")
        current = targets[0]
        chain.append(current)
    raise AssertionError(f"CNAME loop at {name}")


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))
