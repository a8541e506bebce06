from dataclasses import replace

from auditor.rules.tls_weak_protocol import tls_version

from .factories import domain, healthy, probe, site, with_
from .helpers import run


def test_versions_in_every_spelling() -> None:
    assert [tls_version(v) for v in ("1.0", "TLS1_0", "TLS10", "TLSv1", "TLS1_1", "TLS12", "1.2", None, "x")] == [
        (1, 0), (1, 0), (1, 0), (1, 0), (1, 1), (1, 2), (1, 2), None, None]


def test_custom_domain_minimum_and_accepting_endpoint_merge_per_host() -> None:
    inv = with_(healthy(), custom_domains=(domain(min_tls_version="1.0"),),
                tls=(probe(accepts_tls10=True, accepts_tls11=True),))
    [finding] = run("tls-weak-protocol", inv)
    assert finding.subject == "www.contoso.com"
    assert finding.evidence == {"min_tls_version": "1.0", "accepts": ["TLSv1.0", "TLSv1.1"]}


def test_resource_minimum() -> None:
    weak = site(min_tls_version="1.1")
    [finding] = run("tls-weak-protocol", with_(healthy(), resources=(weak,)))
    assert finding.subject == weak.id


def test_modern_settings_pass() -> None:
    inv = with_(healthy(), custom_domains=(domain(min_tls_version="1.2"),),
                resources=(replace(site(), min_tls_version="TLS1_2"),),
                tls=(probe(accepts_tls10=False, accepts_tls11=False),))
    assert run("tls-weak-protocol", inv) == []


def test_weak_checks_on_the_sni_chain_are_named_and_low_ones_stay_low() -> None:
    from auditor.model import Severity
    from auditor.model.tls import TlsCheck, TlsCheckName, TlsImpact

    weak = TlsCheck(TlsCheckName.WEAK_SIGNATURE, TlsImpact.WEAK, "CN=CA is signed with SHA1")
    anchor = TlsCheck(TlsCheckName.ANCHOR_SENT, TlsImpact.WEAK, "the root CN=Root is sent")
    [finding] = run("tls-weak-protocol", with_(healthy(), tls=(probe(checks=(weak, anchor)),)))
    assert finding.title == "www.contoso.com serves a chain with a SHA-1 or MD5 signature, the root sent along"
    assert [c["check"] for c in finding.evidence["checks"]] == ["weak-signature", "anchor-sent"]
    assert finding.severity is Severity.MEDIUM
    [low] = run("tls-weak-protocol", with_(healthy(), tls=(probe(checks=(anchor,)),)))
    assert low.severity is Severity.LOW
    # the listener's default certificate (no SNI) is not the host's chain
    default = replace(probe(checks=(weak,)), sni=False)
    assert run("tls-weak-protocol", with_(healthy(), tls=(probe(), default))) == []
