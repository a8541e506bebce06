"""Key Vault through the emulator: the real CertificateClient, its 401 challenge, paging."""

from auditor.collect.azure import collect_azure
from auditor.collect.keyvault import COLLECTOR as KEYVAULT
from auditor.model.certificate import Renewal
from auditor.model.common import GapReason, Source


async def test_every_certificate_with_versions_renewal_and_a_forbidden_vault(estate, serve, kit) -> None:
    SUBS, AS_OF, days = kit.SUBS, kit.AS_OF, kit.days
    estate.vault(SUBS[0], "kv-open")
    estate.vault(SUBS[1], "kv-noslash", trailing_slash=False)
    estate.vault(SUBS[2], "kv-locked")
    estate.kv_certificate("kv-open", "www-cert", [
        ("0aaa", AS_OF - days(400), AS_OF - days(35)),
        ("1bbb", AS_OF - days(30), AS_OF + days(60)),
    ], ["www.contoso.com", "contoso.com"], tags={"owner": "web"})
    estate.kv_certificate("kv-open", "legacy", [("9ccc", AS_OF - days(300), AS_OF + days(5))],
                          ["login.contoso-legacy.net"], issuer="Unknown", enabled=False)
    estate.kv_certificate("kv-noslash", "api", [("2ddd", AS_OF - days(10), AS_OF + days(80))],
                          ["api.contoso.com"], issuer="DigiCert", action="EmailContacts")
    estate.kv_certificate("kv-locked", "hidden", [("3eee", AS_OF - days(10), AS_OF + days(80))], ["x.contoso.com"])
    estate.fault(service="keyvault", match="kv-locked", status=403)
    _, endpoints = serve(estate)

    result = await collect_azure(kit.context_for(endpoints), collectors=(KEYVAULT,))

    certs = {c.key: c for c in result.partial.certificates}
    assert set(certs) == {"kv-open/www-cert", "kv-open/legacy", "kv-noslash/api"}
    www = certs["kv-open/www-cert"]
    assert www.version == "1bbb" and [v.version for v in www.versions] == ["1bbb", "0aaa"]
    assert www.renewal is Renewal.AUTO and www.issuer_provider == "Self"
    assert www.names == ("www.contoso.com", "contoso.com") and www.tags == {"owner": "web"}
    assert www.not_after is not None and www.not_after.date() == (AS_OF + days(60)).date()
    assert www.thumbprint == www.versions[0].thumbprint != www.versions[1].thumbprint
    assert www.resource_id.endswith("/vaults/kv-open")
    assert certs["kv-open/legacy"].renewal is Renewal.MANUAL and not certs["kv-open/legacy"].enabled
    assert certs["kv-noslash/api"].renewal is Renewal.MANUAL
    gaps = [g for g in result.partial.gaps if g.source is Source.KEYVAULT]
    assert [(g.target, g.reason) for g in gaps] == [("kv-locked", GapReason.FORBIDDEN)]
    assert result.subscriptions == SUBS


async def test_a_run_loads_the_trust_store_once_however_many_vaults(estate, serve, kit, monkeypatch) -> None:
    # Every vault is a host with a session of its own; building each one's SSLContext from
    # the system trust store cost ~50 ms of CPU per vault, minutes at thousands of vaults.
    import ssl

    SUBS, AS_OF, days = kit.SUBS, kit.AS_OF, kit.days
    for n in range(6):
        estate.vault(SUBS[n % len(SUBS)], f"kv-{n}")
        estate.kv_certificate(f"kv-{n}", "c", [(f"{n}abc", AS_OF - days(10), AS_OF + days(80))], [f"h{n}.contoso.com"])
    _, endpoints = serve(estate)
    built = []
    real = ssl.create_default_context
    monkeypatch.setattr(ssl, "create_default_context", lambda *a, **k: built.append(1) or real(*a, **k))

    result = await collect_azure(kit.context_for(endpoints), collectors=(KEYVAULT,))

    assert len(result.partial.certificates) == 6 and not result.partial.gaps
    assert len(built) == 2           # the run's shared session, and the one every vault's session shares
