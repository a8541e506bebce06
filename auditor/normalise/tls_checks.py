"""What sslyze and testssl.sh check on a served chain, from the chain already fetched.

Pure: the chain as served (leaf first), the platform root stores, the stapled OCSP
response and the clock in; the failed checks out. No check opens a connection. Each
failed check says whether it breaks clients (tls-endpoint-broken) or only weakens
the endpoint (tls-weak-protocol), and what exactly is wrong.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TypeVar

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import dsa, ec, rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID

from auditor.model.tls import TlsCheck, TlsCheckName, TlsImpact
from auditor.normalise.tls_verify import is_issued_by, is_self_signed, subject_of

MIN_RSA_BITS = 2048          # CA/Browser Forum Baseline Requirements 6.1.5; NIST SP 800-131A
MIN_EC_BITS = 256
WEAK_HASHES = ("sha1", "md5")
_SCT_IN_OCSP = x509.ObjectIdentifier("1.3.6.1.4.1.11129.2.4.5")   # RFC 6962 3.3
_MAX_DEPTH = 10


@dataclass(frozen=True)
class RootIndex:
    """One trust store, indexed by subject so a chain is anchored in a few look-ups."""
    by_subject: Mapping[x509.Name, tuple[x509.Certificate, ...]] = field(default_factory=dict)

    @staticmethod
    def of(roots: Sequence[x509.Certificate]) -> RootIndex:
        index: dict[x509.Name, list[x509.Certificate]] = {}
        with warnings.catch_warnings():   # a few real roots carry over-long attributes
            warnings.simplefilter("ignore", UserWarning)
            for root in roots:
                index.setdefault(root.subject, []).append(root)
        return RootIndex({name: tuple(certs) for name, certs in index.items()})

    def anchors(self, cert: x509.Certificate) -> bool:
        """The store holds `cert` itself or the root that signed it."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            candidates = self.by_subject.get(cert.subject, ()) + self.by_subject.get(cert.issuer, ())
        return any(c == cert or is_issued_by(cert, c) for c in candidates)


def key_facts(cert: x509.Certificate) -> tuple[str, int | None]:
    """("RSA", 2048), ("EC", 256), ("Ed25519", None) ..."""
    try:
        key = cert.public_key()
    except (ValueError, UnsupportedAlgorithm):
        return "unknown", None
    if isinstance(key, rsa.RSAPublicKey):
        return "RSA", key.key_size
    if isinstance(key, ec.EllipticCurvePublicKey):
        return "EC", key.curve.key_size
    if isinstance(key, dsa.DSAPublicKey):
        return "DSA", key.key_size
    return type(key).__name__.removesuffix("PublicKey").lstrip("_"), None


def signature_hash(cert: x509.Certificate) -> str:
    """The hash the issuer signed `cert` with ("" for Ed25519 and the like)."""
    try:
        algorithm = cert.signature_hash_algorithm
    except UnsupportedAlgorithm:
        return "unknown"
    return algorithm.name if algorithm is not None else ""


def chain_checks(
    chain: Sequence[x509.Certificate],
    platforms: Mapping[str, RootIndex],
    ocsp_response: bytes | None,
    as_of: datetime,
) -> tuple[TlsCheck, ...]:
    """Every failed check on `chain` (as served, leaf first). `ocsp_response` is the
    stapled response (b"": none was stapled; None: it was not asked for)."""
    if not chain:
        return ()
    at = as_of.astimezone(UTC) if as_of.tzinfo else as_of.replace(tzinfo=UTC)
    leaf = chain[0]
    found = [*_weak_keys(chain), *_weak_signatures(chain), *_order(chain), *_leaf_usage(leaf)]
    found += _stapling(leaf, chain, ocsp_response, at)
    trusted_by = [name for name, index in sorted(platforms.items()) if _anchored(chain, index)]
    if trusted_by:   # a publicly trusted chain: every platform must take it, and CT applies
        missing = [name for name in sorted(platforms) if name not in trusted_by]
        if missing:
            found.append(TlsCheck(TlsCheckName.PLATFORM_TRUST, TlsImpact.BREAKS_CLIENTS,
                                  f"the chain is trusted by {', '.join(trusted_by)} but not by "
                                  f"{', '.join(missing)}: those clients refuse it"))
        found += _sct(leaf, ocsp_response)
    return tuple(found)


def _weak_keys(chain: Sequence[x509.Certificate]) -> list[TlsCheck]:
    out = []
    for cert in chain:
        kind, bits = key_facts(cert)
        weak = (kind == "RSA" and bits is not None and bits < MIN_RSA_BITS) or \
               (kind == "EC" and bits is not None and bits < MIN_EC_BITS) or kind == "DSA"
        if weak:
            floor = {"RSA": f"RSA needs {MIN_RSA_BITS}", "EC": f"EC needs {MIN_EC_BITS}"}.get(kind, "DSA is retired")
            out.append(TlsCheck(TlsCheckName.WEAK_KEY, TlsImpact.WEAK,
                                f"{subject_of(cert)} has a {kind} {bits}-bit key ({floor})"))
    return out


def _weak_signatures(chain: Sequence[x509.Certificate]) -> list[TlsCheck]:
    # A self-signed root's own signature is never checked by clients: only what a CA signed counts.
    return [TlsCheck(TlsCheckName.WEAK_SIGNATURE, TlsImpact.WEAK,
                     f"{subject_of(c)} is signed with {signature_hash(c).upper()}")
            for c in chain if signature_hash(c) in WEAK_HASHES and not is_self_signed(c)]


def _order(chain: Sequence[x509.Certificate]) -> list[TlsCheck]:
    out = []
    for index in range(1, len(chain)):
        if not is_issued_by(chain[index - 1], chain[index]):
            out.append(TlsCheck(
                TlsCheckName.CHAIN_ORDER, TlsImpact.BREAKS_CLIENTS,
                f"certificate {index + 1} ({subject_of(chain[index])}) did not issue the one before it "
                f"({subject_of(chain[index - 1])}): TLS 1.2 requires each to certify the one before "
                "(RFC 5246 7.4.2), and clients that do not reorder fail"))
            break
    anchors = [c for c in chain[1:] if is_self_signed(c)]
    out += [TlsCheck(TlsCheckName.ANCHOR_SENT, TlsImpact.WEAK,
                     f"the root {subject_of(c)} is sent: clients use their own copy (RFC 8446 4.4.2), "
                     "so it only adds bytes to every handshake") for c in anchors]
    return out


_Ext = TypeVar("_Ext", bound=x509.ExtensionType)


def _extension(cert: x509.Certificate, kind: type[_Ext]) -> _Ext | None:
    """The extension's value; None when absent or when the certificate's extensions cannot be
    parsed (a malformed certificate is judged by what can be read, never crashes the stage)."""
    try:
        return cert.extensions.get_extension_for_class(kind).value
    except (x509.ExtensionNotFound, ValueError):
        return None


def _leaf_usage(leaf: x509.Certificate) -> list[TlsCheck]:
    out = []
    usages = _extension(leaf, x509.ExtendedKeyUsage)   # None: any purpose (RFC 5280 4.2.1.12)
    if usages is not None and not {ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE} \
            & set(usages):
        named = ", ".join(getattr(u, "_name", u.dotted_string) for u in usages) or "none"
        out.append(TlsCheck(TlsCheckName.SERVER_AUTH_EKU, TlsImpact.BREAKS_CLIENTS,
                            f"the leaf's extended key usage ({named}) does not allow TLS server authentication "
                            "(serverAuth): browsers and TLS libraries refuse it"))
    usage = _extension(leaf, x509.KeyUsage)
    if usage is None:
        return out
    kind, _ = key_facts(leaf)
    needs = ("digitalSignature or keyEncipherment" if kind == "RSA" else "digitalSignature")
    allowed = usage.digital_signature or (kind == "RSA" and usage.key_encipherment) or \
        (kind == "EC" and usage.key_agreement)
    if not allowed:
        out.append(TlsCheck(TlsCheckName.KEY_USAGE, TlsImpact.BREAKS_CLIENTS,
                            f"the leaf's key usage does not include {needs}, which a TLS server key needs"))
    return out


def _must_staple(leaf: x509.Certificate) -> bool:
    features = _extension(leaf, x509.TLSFeature)
    return features is not None and x509.TLSFeatureType.status_request in features


def _stapling(leaf: x509.Certificate, chain: Sequence[x509.Certificate], response: bytes | None,
              at: datetime) -> list[TlsCheck]:
    if response is None:
        return []
    if not response:
        if _must_staple(leaf):
            return [TlsCheck(TlsCheckName.OCSP_MUST_STAPLE, TlsImpact.BREAKS_CLIENTS,
                             "the leaf requires a stapled OCSP response (must-staple, RFC 7633) and none was "
                             "stapled: Firefox refuses the connection")]
        return []
    problem = _staple_problem(leaf, chain, response, at)
    if problem:
        return [TlsCheck(TlsCheckName.OCSP_STAPLE, TlsImpact.BREAKS_CLIENTS, f"the stapled OCSP response {problem}")]
    return []


def _staple_problem(leaf: x509.Certificate, chain: Sequence[x509.Certificate], data: bytes,
                    at: datetime) -> str:
    try:
        response = ocsp.load_der_ocsp_response(data)
    except ValueError:
        return "cannot be read"
    if response.response_status is not ocsp.OCSPResponseStatus.SUCCESSFUL:
        return f"is an error ({response.response_status.name.lower()})"
    # A response may carry several single responses (RFC 6960 4.2.1): the leaf's is the one that counts.
    singles = list(response.responses)
    single = next((r for r in singles if r.serial_number == leaf.serial_number), None)
    if single is None:
        shown = ", ".join(f"{r.serial_number:X}" for r in singles) or "no certificate"
        return f"is for serial {shown}, not the leaf's {leaf.serial_number:X}"
    if single.certificate_status is ocsp.OCSPCertStatus.REVOKED:
        when = single.revocation_time_utc
        return f"says the leaf is revoked{f' since {when.isoformat()}' if when else ''}"
    next_update = single.next_update_utc
    if next_update is not None and next_update < at:
        return f"expired {next_update.isoformat()}: clients discard it"
    if single.this_update_utc > at:
        return f"is not valid before {single.this_update_utc.isoformat()}"
    return ""


def _sct(leaf: x509.Certificate, response: bytes | None) -> list[TlsCheck]:
    if _extension(leaf, x509.PrecertificateSignedCertificateTimestamps) is not None:
        return []
    if response and _ocsp_has_sct(response):
        return []
    return [TlsCheck(TlsCheckName.SCT, TlsImpact.WEAK,
                     "the publicly trusted leaf carries no SCTs (embedded or stapled): Chrome and Safari "
                     "require Certificate Transparency unless the server sends them in the TLS extension, "
                     "which this probe cannot see")]


def _ocsp_has_sct(data: bytes) -> bool:
    try:
        response = ocsp.load_der_ocsp_response(data)
        return any(e.oid == _SCT_IN_OCSP for e in response.single_extensions)
    except ValueError:
        return False


def _anchored(chain: Sequence[x509.Certificate], index: RootIndex) -> bool:
    """The served path from the leaf reaches a root of `index`."""
    current, served = chain[0], list(chain[1:])
    for _ in range(_MAX_DEPTH):
        if index.anchors(current):
            return True
        parent = next((c for c in served if c is not current and is_issued_by(current, c)), None)
        if parent is None or parent is current:
            return False
        served.remove(parent)
        current = parent
    return False
