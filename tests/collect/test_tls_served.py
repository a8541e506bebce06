"""Handshakes -> one observation: which handshake's chain is kept, and a chain that cannot be read."""

from __future__ import annotations

from typing import Any

from test_tls_pki import NOW, make_intermediate, make_leaf, make_root  # sibling helper

from auditor.collect.tls_handshake import Handshake
from auditor.collect.tls_served import observation
from auditor.model.tls import TlsStatus, TlsVerdict


class Unreadable:
    """Stands for a certificate whose DER cryptography rejects once a field is read."""

    def __getattr__(self, name: str) -> Any:
        raise ValueError("error parsing asn1 value")


def test_the_current_handshake_is_preferred_and_a_legacy_chain_is_the_fallback() -> None:
    root = make_root("Root")
    leaf = make_leaf(make_intermediate(root, "CA"), ["a.example.test"])
    failed = Handshake(TlsStatus.HANDSHAKE_FAILED, detail="handshake failed: protocol version")
    tls11 = Handshake(TlsStatus.OK, (leaf.cert,), "TLSv1.1")
    obs = observation("a.example.test", True, failed, (Handshake(TlsStatus.HANDSHAKE_FAILED), tls11),
                      [root.cert], {}, NOW)
    assert (obs.status, obs.negotiated_version, len(obs.chain)) == (TlsStatus.HANDSHAKE_FAILED, "TLSv1.1", 1)
    assert obs.detail.startswith("only TLSv1.1 completes a handshake")
    assert (obs.accepts_tls10, obs.accepts_tls11) == (False, True)
    assert obs.ocsp_stapled is None                 # the staple is only asked on the main handshake
    nothing = observation("a.example.test", True, failed, (None, None), [root.cert], {}, NOW)
    assert nothing.chain == () and nothing.verdict is TlsVerdict.NOT_CHECKED


def test_a_chain_that_cannot_be_read_is_untrusted_not_a_crash() -> None:
    shake = Handshake(TlsStatus.OK, (Unreadable(),), "TLSv1.3", ocsp_response=b"")  # type: ignore[arg-type]
    obs = observation("a.example.test", True, shake, (None, None), [], {}, NOW)
    assert obs.verdict is TlsVerdict.UNTRUSTED
    assert "cannot be read" in obs.detail
