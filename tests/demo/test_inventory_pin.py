"""`auditor inventory` on the demo estate: everything it holds, and the unreadable vault as a gap."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(scope="module")
def inventory(demo_estate: Path, tmp_path_factory: pytest.TempPathFactory, auditor: Any) -> dict[str, Any]:
    code, body, _ = auditor("inventory", "--estate", str(demo_estate), "--format", "json", "--quiet",
                            cwd=tmp_path_factory.mktemp("inv"))
    assert code == 3, "the demo's unreadable vault makes coverage incomplete"
    return body


def test_counts(inventory: dict[str, Any]) -> None:
    assert inventory["schema"] == "auditor-inventory/1"
    counts = inventory["counts"]
    assert counts["certificates"] == 21          # 6 Key Vault, 9 App Service, 6 Front Door secrets
    assert counts["custom_domains"] == 15        # 9 App Service, 6 Front Door
    assert counts["endpoints_probed"] == 15
    assert len(inventory["resources"]) >= 20
    assert counts["references"] >= 12


def test_the_unreadable_vault_is_the_only_gap(inventory: dict[str, Any]) -> None:
    assert inventory["coverage"]["complete"] is False
    gaps = [(g["source"], g["target"], g["reason"]) for g in inventory["coverage"]["gaps"]]
    assert gaps == [("keyvault", "kv-secops", "forbidden")]


def test_certificates_sample(inventory: dict[str, Any]) -> None:
    certs = {c["key"]: c for c in inventory["certificates"]}
    wildcard = certs["kv-contoso/wildcard-contoso-legacy-net"]
    assert (wildcard["store"], wildcard["renewal"], wildcard["issuer_provider"]) == ("key-vault", "manual", "Unknown")
    assert wildcard["names"] == ["*.contoso-legacy.net", "contoso-legacy.net"]
    www = certs["kv-contoso/www-contoso-com"]
    assert www["renewal"] == "auto" and len(www["versions"]) == 2   # renewed: current plus the old one
    billing = next(c for k, c in certs.items() if k.endswith("/certificates/billing-contoso-com"))
    assert (billing["store"], billing["renewal"]) == ("app-service", "manual")
    secrets = [c for c in certs.values() if c["store"] == "front-door-secret"]
    assert len(secrets) == 6
    assert not any(k.startswith("kv-secops/") for k in certs), "nothing may be invented for the unreadable vault"


def test_custom_domains_and_bindings_sample(inventory: dict[str, Any]) -> None:
    domains = {d["hostname"]: d for d in inventory["custom_domains"]}
    shop = domains["shop.contoso-legacy.net"]
    assert (shop["service"], shop["certificate_kind"]) == ("front-door", "customer")
    assert shop["expected_targets"][0].endswith(".azurefd.net")
    assert domains["news.contoso.com"]["certificate_kind"] == "managed"
    assert domains["www.contoso.com"]["expected_targets"] == ["contoso-www.azurewebsites.net"]
    bound = {b["hostname"] for b in inventory["bindings"]}
    assert {"www.contoso.com", "billing.contoso.com", "orders.contoso.com", "shop.contoso-legacy.net"} <= bound


def test_references_sample(inventory: dict[str, Any]) -> None:
    refs = {(r["kind"], r["hostname"], r["where"]) for r in inventory["references"]}
    assert ("app-setting", "login.contoso-legacy.net", "appsettings.AUTH_CALLBACK_URL") in refs
    assert any(kind == "frontdoor-origin" and host.endswith(".blob.core.windows.net") for kind, host, _ in refs)
    assert any(kind == "frontdoor-rule" and host == "shop.contoso-legacy.net" for kind, host, _ in refs)


def test_dns_and_tls_observations(inventory: dict[str, Any]) -> None:
    dns = {o["name"]: o for o in inventory["dns"]}
    assert dns["promo.contoso.com"]["chain"][0]["target"] == "contoso-promo.azurewebsites.net"
    assert dns["contoso-promo.azurewebsites.net"]["status"] == "nxdomain"
    assert len(dns["news.contoso.com"]["chain"]) == 2         # the chain that breaks managed renewal
    tls = {(o["hostname"], o["sni"]): o for o in inventory["tls"]}
    assert tls[("www.contoso.com", True)]["verdict"] == "expired"
    assert tls[("orders.contoso.com", True)]["verdict"] == "incomplete-chain"
    assert tls[("orders.contoso.com", True)]["accepts_tls10"] is True
    assert tls[("shop.contoso.com", True)]["verdict"] == "valid"
