"""A served chain, judged at the audit's clock: which checks fail, and which matters most.

Pure: certificates, trusted roots, the host name and the clock in; a verdict out.
Every problem is classified here, so the report can say exactly what is wrong even
when several things are (an expired leaf that also names the wrong host).
"""

from __future__ import annotations

import threading
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.x509 import verification

from auditor.model.tls import TlsVerdict
from auditor.normalise.hostnames import covers, normalise

# Most important first: the verdict is the first problem found in this order.
_ORDER = (TlsVerdict.EXPIRED, TlsVerdict.NAME_MISMATCH, TlsVerdict.INCOMPLETE_CHAIN, TlsVerdict.UNTRUSTED)
_MAX_DEPTH = 10


@dataclass(frozen=True)
class Verification:
    verdict: TlsVerdict
    problems: tuple[TlsVerdict, ...]    # every failed check, most important first
    detail: str = ""                    # one line per problem, "; "-joined


def verify_chain(
    chain: Sequence[x509.Certificate],
    roots: Sequence[x509.Certificate],
    host: str,
    as_of: datetime,
) -> Verification:
    """Judge `chain` (as served, leaf first) for `host` at `as_of` against `roots`.

    - expired: the leaf or any served certificate other than a self-signed root is
      outside its validity at `as_of` (an old client may still take that path);
    - name-mismatch: no subjectAltName DNS name covers `host` (the CN is ignored, as
      browsers do);
    - incomplete-chain: the path from the leaf stops at a certificate whose issuer is
      neither served nor trusted: an intermediate is missing;
    - untrusted: the path ends at a self-signed certificate that is not a trusted root.
    Last, cryptography's own verifier runs at `as_of`; if it still rejects a chain
    these checks passed (key usage, constraints, signature algorithm), that is
    reported as untrusted with its reason.
    """
    if not chain:
        return Verification(TlsVerdict.NOT_CHECKED, (), "no certificate served")
    at = as_of.astimezone(UTC) if as_of.tzinfo else as_of.replace(tzinfo=UTC)
    leaf, served = chain[0], list(chain[1:])
    found: dict[TlsVerdict, str] = {}

    expired = [_describe_validity(c, at) for c in chain if not _is_self_signed(c) or c is leaf]
    expired = [e for e in expired if e]
    if expired:
        found[TlsVerdict.EXPIRED] = "; ".join(expired)

    names = _san_names(leaf)
    if not any(covers(n, host) for n in names):
        shown = ", ".join(names) or "no DNS names"
        found[TlsVerdict.NAME_MISMATCH] = f"{normalise(host)} is not covered by {shown}"

    path_problem = _path_problem(leaf, served, roots)
    if path_problem is not None:
        found[path_problem[0]] = path_problem[1]

    if not found:
        rejection = _library_rejection(leaf, served, roots, host, at)
        if rejection:
            found[TlsVerdict.UNTRUSTED] = rejection

    problems = tuple(p for p in _ORDER if p in found)
    if not problems:
        return Verification(TlsVerdict.VALID, ())
    return Verification(problems[0], problems, "; ".join(found[p] for p in problems))


def _describe_validity(cert: x509.Certificate, at: datetime) -> str:
    who = _subject(cert)
    if at > cert.not_valid_after_utc:
        return f"{who} expired {cert.not_valid_after_utc.isoformat()}"
    if at < cert.not_valid_before_utc:
        return f"{who} not valid before {cert.not_valid_before_utc.isoformat()}"
    return ""


def _path_problem(
    leaf: x509.Certificate, served: list[x509.Certificate], roots: Sequence[x509.Certificate]
) -> tuple[TlsVerdict, str] | None:
    """Walk up from the leaf through served certificates until a trusted root issues one."""
    index = _index(roots)
    current = leaf
    seen = {_key(leaf)}
    for _ in range(_MAX_DEPTH):
        if _key(current) in index.keys or any(_issued_by(current, r) for r in index.issuers_of(current)):
            return None
        parent = next((c for c in served if _key(c) not in seen and _issued_by(current, c)), None)
        if parent is None:
            if _is_self_signed(current):
                return TlsVerdict.UNTRUSTED, f"chains to {_subject(current)}, which is not a trusted root"
            return TlsVerdict.INCOMPLETE_CHAIN, (
                f"issuer {current.issuer.rfc4514_string()} of {_subject(current)} is not served"
            )
        seen.add(_key(parent))
        current = parent
    return TlsVerdict.UNTRUSTED, f"no trusted root within {_MAX_DEPTH} certificates"


def _library_rejection(
    leaf: x509.Certificate,
    served: list[x509.Certificate],
    roots: Sequence[x509.Certificate],
    host: str,
    at: datetime,
) -> str:
    store = _index(roots).store
    if store is None:
        return "no trusted roots"
    verifier = (
        verification.PolicyBuilder()
        .store(store)
        .time(at)
        .build_server_verifier(x509.DNSName(normalise(host)))
    )
    try:
        verifier.verify(leaf, served)
    except verification.VerificationError as exc:
        return f"rejected by the verifier: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
    return ""


@dataclass(frozen=True)
class _Roots:
    """A trust store indexed once: every endpoint of an audit is judged against the same roots."""
    roots: tuple[x509.Certificate, ...]
    keys: frozenset[bytes]
    by_subject: dict[x509.Name, tuple[x509.Certificate, ...]]
    store: verification.Store | None     # None: no roots (cryptography refuses an empty store)

    def issuers_of(self, cert: x509.Certificate) -> tuple[x509.Certificate, ...]:
        return self.by_subject.get(cert.issuer, ())


_INDEXED: dict[int, _Roots] = {}


def _index(roots: Sequence[x509.Certificate]) -> _Roots:
    """The index of `roots`, built on first use and kept while that same sequence is passed."""
    cached = _INDEXED.get(id(roots))
    if cached is not None and len(cached.roots) == len(roots) and \
            all(a is b for a, b in zip(cached.roots, roots, strict=True)):
        return cached
    by_subject: dict[x509.Name, list[x509.Certificate]] = {}
    with warnings.catch_warnings():   # a few real roots carry over-long attributes
        warnings.simplefilter("ignore", UserWarning)
        for root in roots:
            by_subject.setdefault(root.subject, []).append(root)
    indexed = _Roots(tuple(roots), frozenset(_key(r) for r in roots),
                     {name: tuple(certs) for name, certs in by_subject.items()},
                     verification.Store(list(roots)) if roots else None)
    if len(_INDEXED) > 8:
        _INDEXED.clear()
    _INDEXED[id(roots)] = indexed
    return indexed


# Whether one certificate signed another, by the two certificates' SHA-256 fingerprints. The
# same pairs come back for every endpoint (each intermediate under its root, a front end's one
# default chain behind thousands of names, each trust platform walking the same path), and a
# signature check is most of the CPU of judging a chain. A pure function of the two
# certificates' bytes, so never stale; bounded, the oldest entries dropped first.
_SIGNED: dict[tuple[bytes, bytes], bool] = {}
_SIGNED_LIMIT = 65_536
_SIGNED_LOCK = threading.Lock()


def _issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    if cert.issuer != issuer.subject:
        return False
    pair = (_key(cert), _key(issuer))
    known = _SIGNED.get(pair)
    if known is None:
        known = _signed_by(cert, issuer)
        with _SIGNED_LOCK:
            _SIGNED[pair] = known
            while len(_SIGNED) > _SIGNED_LIMIT:
                del _SIGNED[next(iter(_SIGNED))]
    return known


def _signed_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(issuer)
    except ValueError:
        # A signature cryptography no longer checks (SHA-1, MD5): the names and key ids still
        # place the certificate in the path, so the report names the weak signature rather
        # than a missing issuer; the verifier below still rejects the chain.
        return _weakly_signed(cert) and _key_ids_match(cert, issuer)
    except (TypeError, InvalidSignature):
        return False
    return True


def _weakly_signed(cert: x509.Certificate) -> bool:
    try:
        algorithm = cert.signature_hash_algorithm
    except UnsupportedAlgorithm:
        return False
    return algorithm is not None and algorithm.name in ("sha1", "md5")


def _key_ids_match(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        aki = cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value.key_identifier
        ski = issuer.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
    except x509.ExtensionNotFound:
        return True   # nothing to tell them apart beyond the names
    return aki is None or aki == ski


def _is_self_signed(cert: x509.Certificate) -> bool:
    return _issued_by(cert, cert)


def _san_names(cert: x509.Certificate) -> list[str]:
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return []
    return [normalise(n) for n in san.get_values_for_type(x509.DNSName)]


def _subject(cert: x509.Certificate) -> str:
    return cert.subject.rfc4514_string() or f"serial {cert.serial_number:X}"


def _key(cert: x509.Certificate) -> bytes:
    return cert.fingerprint(hashes.SHA256())


# Shared with auditor.normalise.tls_checks, which walks the same chains.
is_issued_by = _issued_by
is_self_signed = _is_self_signed
subject_of = _subject
