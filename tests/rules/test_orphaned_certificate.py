from .factories import healthy, kv_cert, record, with_
from .helpers import run


def test_unbound_certificate_for_a_dead_name() -> None:
    orphan = kv_cert("old", names=("old.contoso.com",), thumbprint="C" * 40)
    [finding] = run("orphaned-certificate", with_(healthy(), certificates=(*healthy().certificates, orphan)))
    assert finding.subject == "kv/old"


def test_wildcard_covering_a_live_name_is_not_orphaned() -> None:
    wildcard = kv_cert("star", names=("*.contoso.com",), thumbprint="C" * 40)
    inv = with_(healthy(), certificates=(*healthy().certificates, wildcard),
                dns_records=(*healthy().dns_records, record("api.contoso.com", "A", "192.0.2.1")))
    assert run("orphaned-certificate", inv) == []


def test_wildcard_depth_and_apex_are_not_covered() -> None:
    wildcard = kv_cert("star", names=("*.contoso.com",), thumbprint="C" * 40)
    inv = with_(healthy(), certificates=(*healthy().certificates, wildcard),
                custom_domains=(), bindings=(), tls=(),
                dns_records=(record("contoso.com", "A", "192.0.2.1"), record("a.b.contoso.com", "A", "192.0.2.2")),
                dns=())
    subjects = {f.subject for f in run("orphaned-certificate", inv)}
    assert "kv/star" in subjects


def test_bound_certificates_are_not_orphaned() -> None:
    assert run("orphaned-certificate", healthy()) == []
