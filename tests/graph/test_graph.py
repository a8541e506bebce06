from rules.factories import SITE_ID, app_cert, healthy, kv_cert, record, resolved, with_

from auditor.graph import build_graph, parse_key_vault_ref
from auditor.graph.resource_ids import id_parts


def _ref(value: str) -> tuple[str, str, str | None] | None:
    ref = parse_key_vault_ref(value)
    return (ref.vault, ref.name, ref.version.lower() if ref.version else None) if ref else None


def test_key_vault_refs_in_every_spelling() -> None:
    assert _ref("https://KV.vault.azure.net/certificates/Web/ABC") == ("kv", "web", "abc")
    assert _ref("https://kv.vault.azure.net/secrets/web/") == ("kv", "web", None)
    arm = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/KV/secrets/web"
    assert _ref(arm) == ("kv", "web", None)
    assert _ref("kv/web") == ("kv", "web", None)
    assert _ref("kv/web/abc") == ("kv", "web", "abc")
    assert parse_key_vault_ref("") is None
    assert parse_key_vault_ref("https://www.contoso.com/") is None


def test_id_parts() -> None:
    parts = id_parts(SITE_ID + "/slots/stage")
    assert (parts["resourcegroups"], parts["sites"], parts["slots"]) == ("rg-web", "app", "stage")


def test_certificate_family_bindings_and_what_breaks_on_expiry() -> None:
    inv = with_(healthy(), dns_records=(*healthy().dns_records, record("shop.contoso.com", "CNAME", "www.contoso.com.")),
                dns=(*healthy().dns, resolved("promo.contoso.org", "shop.contoso.com", "www.contoso.com")))
    graph = build_graph(inv)
    kv = graph.certificate("https://kv.vault.azure.net/certificates/web")
    assert kv is not None and kv.key == "kv/web"
    assert [c.key for c in graph.family(kv)] == ["kv/web", app_cert().key]
    assert graph.secured_by(kv) == {"www.contoso.com"}
    assert graph.breaks_if_expired(kv) == {"www.contoso.com", "shop.contoso.com", "promo.contoso.org"}


def test_names_under_a_domain_with_case_and_trailing_dots() -> None:
    inv = with_(healthy(), dns_records=(record("API.Contoso.com.", "A", "192.0.2.1"),))
    graph = build_graph(inv)
    assert "api.contoso.com" in graph.names_under("CONTOSO.com.")
    assert "api.contoso.com" not in graph.names_under("www.contoso.com")


def test_live_names_covered_follow_tls_wildcard_rules() -> None:
    inv = with_(healthy(), dns_records=(record("contoso.com", "A", "192.0.2.1"),
                                        record("a.b.contoso.com", "A", "192.0.2.2"),
                                        record("api.contoso.com", "A", "192.0.2.3")))
    graph = build_graph(inv)
    wildcard = kv_cert("star", names=("*.contoso.com",))
    assert graph.live_names_covered(wildcard) == ["api.contoso.com", "www.contoso.com"]
