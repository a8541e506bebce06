"""A signature check is made once per pair of certificates, and the memo of it can be fooled
by neither a look-alike issuer nor a forged leaf: it is keyed by both certificates' bytes."""

from __future__ import annotations

import pytest
from test_tls_pki import NOW, make_intermediate, make_leaf, make_root

from auditor.model.tls import TlsVerdict
from auditor.normalise import tls_verify
from auditor.normalise.tls_verify import is_issued_by, verify_chain

HOST = "www.example.test"


@pytest.fixture(autouse=True)
def empty_memo() -> None:
    tls_verify._SIGNED.clear()


def test_one_chain_judged_again_checks_no_signature_twice(monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_root("Memo Root")
    inter = make_intermediate(root, "Memo CA")
    leaf = make_leaf(inter, [HOST])
    checked: list[tuple[str, str]] = []
    real = tls_verify._signed_by

    def counted(cert, issuer):  # type: ignore[no-untyped-def]
        checked.append((cert.subject.rfc4514_string(), issuer.subject.rfc4514_string()))
        return real(cert, issuer)

    monkeypatch.setattr(tls_verify, "_signed_by", counted)
    verdicts = {verify_chain([leaf.cert, inter.cert], [root.cert], host, NOW).verdict
                for host in (HOST, HOST, "other.example.test")}
    assert verdicts == {TlsVerdict.VALID, TlsVerdict.NAME_MISMATCH}
    assert len(checked) == len(set(checked)) and checked   # each pair once, the first time


def test_a_look_alike_issuer_is_no_issuer_after_the_real_one_was_checked() -> None:
    root = make_root("Memo Root")
    real = make_intermediate(root, "Same Name CA")
    impostor = make_intermediate(make_root("Other Root"), "Same Name CA")   # same subject, own key
    leaf = make_leaf(real, [HOST])
    forged = make_leaf(impostor, [HOST])
    assert verify_chain([leaf.cert, real.cert], [root.cert], HOST, NOW).verdict is TlsVerdict.VALID
    assert is_issued_by(leaf.cert, real.cert)
    assert not is_issued_by(forged.cert, real.cert)
    assert not is_issued_by(leaf.cert, impostor.cert)
    assert verify_chain([forged.cert, real.cert], [root.cert], HOST, NOW).verdict is not TlsVerdict.VALID


def test_the_memo_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tls_verify, "_SIGNED_LIMIT", 3)
    root = make_root("Memo Root")
    inter = make_intermediate(root, "Memo CA")
    for i in range(4):
        leaf = make_leaf(inter, [f"h{i}.example.test"])
        assert verify_chain([leaf.cert, inter.cert], [root.cert], f"h{i}.example.test", NOW).verdict \
            is TlsVerdict.VALID
    assert len(tls_verify._SIGNED) <= 3
