"""The checks on a served chain, pure: chains from the estate builder's PKI, stores built here.

Sources: RFC 5280 4.2.1.3 and 4.2.1.12 (key usage, EKU), RFC 7633 (must-staple), RFC 6960
(OCSP), RFC 6962 3.3 (SCTs in the OCSP response), CA/Browser Forum BR 6.1.5 (key sizes).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import ExtendedKeyUsageOID

from auditor.estate.builder.pki import IssuedCert, Pki
from auditor.model.tls import TlsCheckName, TlsImpact
from auditor.normalise.tls_checks import RootIndex, chain_checks

NOW = datetime(2025, 9, 10, tzinfo=UTC)


@pytest.fixture(scope="module")
def pki() -> Pki:
    return Pki(NOW)


@pytest.fixture(scope="module")
def issued(pki: Pki) -> IssuedCert:
    return pki.issue(("www.example.test",), NOW - timedelta(days=10), NOW + timedelta(days=80))


def names(checks: tuple) -> list[TlsCheckName]:  # type: ignore[type-arg]
    return [c.check for c in checks]


def test_a_healthy_private_chain_fails_nothing(pki: Pki, issued: IssuedCert) -> None:
    assert chain_checks([issued.cert, *issued.chain], {}, b"", NOW) == ()


def test_a_chain_one_platform_lacks_breaks_those_clients(pki: Pki, issued: IssuedCert) -> None:
    stores = {"Mozilla": RootIndex.of([pki.root]), "Windows": RootIndex.of([]), "Chrome": RootIndex.of([pki.root])}
    checks = chain_checks([issued.cert, *issued.chain], stores, b"", NOW)
    [trust] = [c for c in checks if c.check is TlsCheckName.PLATFORM_TRUST]
    assert trust.impact is TlsImpact.BREAKS_CLIENTS
    assert "trusted by Chrome, Mozilla but not by Windows" in trust.detail


def test_a_chain_no_platform_anchors_is_private_and_needs_no_sct(pki: Pki, issued: IssuedCert) -> None:
    stores = {"Mozilla": RootIndex.of([]), "Windows": RootIndex.of([])}
    assert chain_checks([issued.cert, *issued.chain], stores, b"", NOW) == ()


def test_a_public_leaf_without_scts_is_weak(pki: Pki, issued: IssuedCert) -> None:
    stores = {"Mozilla": RootIndex.of([pki.root])}
    [sct] = chain_checks([issued.cert, *issued.chain], stores, b"", NOW)
    assert (sct.check, sct.impact) == (TlsCheckName.SCT, TlsImpact.WEAK)


def test_a_leaf_whose_key_usage_forbids_signing_breaks_clients(pki: Pki, issued: IssuedCert) -> None:
    usage = x509.KeyUsage(digital_signature=False, key_cert_sign=False, crl_sign=False, content_commitment=True,
                          key_encipherment=False, data_encipherment=False, key_agreement=False,
                          encipher_only=False, decipher_only=False)
    builder = (x509.CertificateBuilder().subject_name(issued.cert.subject).issuer_name(pki.issuing.subject)
               .public_key(issued.key.public_key()).serial_number(7)
               .not_valid_before(issued.not_before).not_valid_after(issued.not_after)
               .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
               .add_extension(usage, critical=True))
    leaf = builder.sign(pki.issuing_key, hashes.SHA256())
    assert names(chain_checks([leaf, pki.issuing], {}, b"", NOW)) == [TlsCheckName.KEY_USAGE]


def test_no_eku_at_all_allows_any_purpose(pki: Pki, issued: IssuedCert) -> None:
    builder = (x509.CertificateBuilder().subject_name(issued.cert.subject).issuer_name(pki.issuing.subject)
               .public_key(issued.key.public_key()).serial_number(8)
               .not_valid_before(issued.not_before).not_valid_after(issued.not_after))
    leaf = builder.sign(pki.issuing_key, hashes.SHA256())
    assert chain_checks([leaf, pki.issuing], {}, b"", NOW) == ()


@pytest.mark.parametrize(("status", "says"), [("revoked", "revoked"), ("expired", "expired")])
def test_a_bad_staple_breaks_clients(pki: Pki, issued: IssuedCert, status: str, says: str) -> None:
    [check] = chain_checks([issued.cert, *issued.chain], {}, pki.ocsp_response(issued, status, NOW), NOW)
    assert check.check is TlsCheckName.OCSP_STAPLE and says in check.detail


def test_a_staple_for_another_certificate_is_named(pki: Pki, issued: IssuedCert) -> None:
    other = pki.issue(("other.example.test",), issued.not_before, issued.not_after)
    [check] = chain_checks([issued.cert, *issued.chain], {}, pki.ocsp_response(other, "good", NOW), NOW)
    assert "not the leaf's" in check.detail


def test_a_good_staple_passes_and_must_staple_only_matters_when_asked(pki: Pki, issued: IssuedCert) -> None:
    staple = pki.reissue(issued, must_staple=True)
    chain = [staple.cert, *staple.chain]
    assert chain_checks(chain, {}, pki.ocsp_response(staple, "good", NOW), NOW) == ()
    assert chain_checks(chain, {}, None, NOW) == ()       # not asked: nothing to judge
    assert names(chain_checks(chain, {}, b"", NOW)) == [TlsCheckName.OCSP_MUST_STAPLE]


def test_weak_rsa_key_and_sha1_intermediate(pki: Pki, issued: IssuedCert) -> None:
    weak = pki.reissue(issued, key="rsa1024", sha1_intermediate=True)
    checks = chain_checks([weak.cert, *weak.chain], {}, b"", NOW)
    assert names(checks) == [TlsCheckName.WEAK_KEY, TlsCheckName.WEAK_SIGNATURE]
    assert "RSA 1024-bit" in checks[0].detail and "SHA1" in checks[1].detail


def test_a_root_sent_along_and_a_chain_out_of_order(pki: Pki, issued: IssuedCert) -> None:
    assert names(chain_checks([issued.cert, *issued.chain, pki.root], {}, b"", NOW)) == [TlsCheckName.ANCHOR_SENT]
    assert names(chain_checks([issued.cert, pki.root, *issued.chain], {}, b"", NOW)) == [
        TlsCheckName.CHAIN_ORDER, TlsCheckName.ANCHOR_SENT]


def test_no_chain_no_checks() -> None:
    assert chain_checks([], {}, None, NOW) == ()

