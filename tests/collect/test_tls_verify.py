"""The verdict on a served chain at the audit's clock, from generated chains."""

from __future__ import annotations

from datetime import timedelta

import pytest
from test_tls_pki import (  # sibling helper: pytest puts this folder on sys.path
    EXPIRED,
    NOW,
    make_intermediate,
    make_leaf,
    make_root,
    make_self_signed_leaf,
)

from auditor.model.tls import TlsVerdict
from auditor.normalise.tls_verify import verify_chain

HOST = "www.example.test"


@pytest.fixture(scope="module")
def root():  # type: ignore[no-untyped-def]
    return make_root("Trusted Root")


@pytest.fixture(scope="module")
def inter(root):  # type: ignore[no-untyped-def]
    return make_intermediate(root, "Issuing CA 1")


def test_valid_chain(root, inter) -> None:  # type: ignore[no-untyped-def]
    leaf = make_leaf(inter, [HOST])
    result = verify_chain([leaf.cert, inter.cert], [root.cert], HOST, NOW)
    assert result.verdict is TlsVerdict.VALID
    assert result.problems == ()


def test_valid_chain_with_the_root_served_too(root, inter) -> None:  # type: ignore[no-untyped-def]
    leaf = make_leaf(inter, [HOST])
    result = verify_chain([leaf.cert, inter.cert, root.cert], [root.cert], HOST, NOW)
    assert result.verdict is TlsVerdict.VALID


def test_expired_leaf_is_judged_at_the_audit_clock(root, inter) -> None:  # type: ignore[no-untyped-def]
    leaf = make_leaf(inter, [HOST], EXPIRED)
    result = verify_chain([leaf.cert, inter.cert], [root.cert], HOST, NOW)
    assert result.verdict is TlsVerdict.EXPIRED
    assert result.problems == (TlsVerdict.EXPIRED,)
    assert "expired" in result.detail
    # The same chain a year earlier was fine: the clock is the audit's, not the machine's.
    assert verify_chain([leaf.cert, inter.cert], [root.cert], HOST, NOW - timedelta(days=200)).verdict \
        is TlsVerdict.VALID


def test_not_yet_valid_leaf_counts_as_expired(root, inter) -> None:  # type: ignore[no-untyped-def]
    leaf = make_leaf(inter, [HOST], (NOW + timedelta(days=1), NOW + timedelta(days=90)))
    result = verify_chain([leaf.cert, inter.cert], [root.cert], HOST, NOW)
    assert result.verdict is TlsVerdict.EXPIRED
    assert "not valid before" in result.detail


def test_expired_intermediate(root) -> None:  # type: ignore[no-untyped-def]
    old = make_intermediate(root, "Old Issuing CA", (NOW - timedelta(days=900), NOW - timedelta(days=1)))
    leaf = make_leaf(old, [HOST])
    result = verify_chain([leaf.cert, old.cert], [root.cert], HOST, NOW)
    assert result.verdict is TlsVerdict.EXPIRED
    assert "Old Issuing CA" in result.detail


def test_wrong_name(root, inter) -> None:  # type: ignore[no-untyped-def]
    leaf = make_leaf(inter, ["other.example.test"])
    result = verify_chain([leaf.cert, inter.cert], [root.cert], HOST, NOW)
    assert result.verdict is TlsVerdict.NAME_MISMATCH
    assert "other.example.test" in result.detail


@pytest.mark.parametrize(("host", "verdict"), [
    ("www.example.test", TlsVerdict.VALID),
    ("WWW.Example.Test.", TlsVerdict.VALID),
    ("a.www.example.test", TlsVerdict.NAME_MISMATCH),   # the wildcard is one label deep
    ("example.test", TlsVerdict.NAME_MISMATCH),         # and does not cover the apex
])
def test_wildcard_depth(root, inter, host: str, verdict: TlsVerdict) -> None:  # type: ignore[no-untyped-def]
    leaf = make_leaf(inter, ["*.example.test"])
    assert verify_chain([leaf.cert, inter.cert], [root.cert], host, NOW).verdict is verdict


def test_missing_intermediate(root, inter) -> None:  # type: ignore[no-untyped-def]
    leaf = make_leaf(inter, [HOST])
    result = verify_chain([leaf.cert], [root.cert], HOST, NOW)
    assert result.verdict is TlsVerdict.INCOMPLETE_CHAIN
    assert "Issuing CA 1" in result.detail


def test_missing_second_intermediate(root) -> None:  # type: ignore[no-untyped-def]
    upper = make_intermediate(root, "Upper CA")
    lower = make_intermediate(upper, "Lower CA")
    leaf = make_leaf(lower, [HOST])
    assert verify_chain([leaf.cert, lower.cert], [root.cert], HOST, NOW).verdict is TlsVerdict.INCOMPLETE_CHAIN
    assert verify_chain([leaf.cert, lower.cert, upper.cert], [root.cert], HOST, NOW).verdict is TlsVerdict.VALID


def test_unknown_root(root) -> None:  # type: ignore[no-untyped-def]
    other_root = make_root("Someone Else's Root")
    other_inter = make_intermediate(other_root, "Their CA")
    leaf = make_leaf(other_inter, [HOST])
    result = verify_chain([leaf.cert, other_inter.cert, other_root.cert], [root.cert], HOST, NOW)
    assert result.verdict is TlsVerdict.UNTRUSTED
    assert "Someone Else's Root" in result.detail


def test_self_signed_leaf(root) -> None:  # type: ignore[no-untyped-def]
    leaf = make_self_signed_leaf([HOST])
    result = verify_chain([leaf.cert], [root.cert], HOST, NOW)
    assert result.verdict is TlsVerdict.UNTRUSTED


def test_a_trusted_self_signed_leaf_is_accepted_only_by_its_own_checks(root) -> None:  # type: ignore[no-untyped-def]
    # Trusting the leaf itself makes the path complete; the verifier still judges its profile.
    leaf = make_self_signed_leaf([HOST])
    result = verify_chain([leaf.cert], [leaf.cert], HOST, NOW)
    assert TlsVerdict.INCOMPLETE_CHAIN not in result.problems
    assert TlsVerdict.NAME_MISMATCH not in result.problems


def test_every_problem_is_listed_most_important_first(root) -> None:  # type: ignore[no-untyped-def]
    stranger = make_root("Stranger Root")
    leaf = make_leaf(stranger, ["other.example.test"], EXPIRED)
    result = verify_chain([leaf.cert, stranger.cert], [root.cert], HOST, NOW)
    assert result.problems == (TlsVerdict.EXPIRED, TlsVerdict.NAME_MISMATCH, TlsVerdict.UNTRUSTED)
    assert result.verdict is TlsVerdict.EXPIRED


def test_expired_and_incomplete(root, inter) -> None:  # type: ignore[no-untyped-def]
    leaf = make_leaf(inter, [HOST], EXPIRED)
    result = verify_chain([leaf.cert], [root.cert], HOST, NOW)
    assert result.problems == (TlsVerdict.EXPIRED, TlsVerdict.INCOMPLETE_CHAIN)


def test_nothing_served() -> None:
    result = verify_chain([], [], HOST, NOW)
    assert result.verdict is TlsVerdict.NOT_CHECKED


def test_no_roots_at_all_leaves_the_chain_incomplete(inter) -> None:  # type: ignore[no-untyped-def]
    leaf = make_leaf(inter, [HOST])
    result = verify_chain([leaf.cert, inter.cert], [], HOST, NOW)
    assert result.verdict is TlsVerdict.INCOMPLETE_CHAIN
