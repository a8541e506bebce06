"""The bundled demo estate builds quickly and holds every planted failure mode, and a healthy majority."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from auditor.config import load_config
from auditor.estate.demo import build_demo
from auditor.estate.load import Estate, load_estate

from .estate_facts import (
    arm_of_type,
    bundle_cert,
    chains_to,
    current_bundle,
    key_matches,
    load_zones,
    lookup,
    read_json,
    read_served,
    resolve,
    thumbprint,
    trust_root,
)

AS_OF = datetime(2025, 9, 10, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float]:
    started = time.perf_counter()
    root = build_demo(tmp_path_factory.mktemp("demo") / "estate")
    return root, time.perf_counter() - started


@pytest.fixture(scope="module")
def root(demo: tuple[Path, float]) -> Path:
    return demo[0]


@pytest.fixture(scope="module")
def estate(root: Path) -> Estate:
    return load_estate(root)


def _one(objects: list[dict[str, Any]], **match: str) -> dict[str, Any]:
    found = [o for o in objects if all(str(o.get(k, "")).lower() == v.lower() for k, v in match.items())]
    assert len(found) == 1, match
    return found[0]


def _domain(estate: Estate, host: str) -> dict[str, Any]:
    domains = arm_of_type(estate.arm, "Microsoft.Cdn/profiles/customdomains")
    return next(d for d in domains if d["properties"]["hostName"] == host)


def _endpoint_hosts(estate: Estate) -> set[str]:
    return {e["properties"]["hostName"] for e in arm_of_type(estate.arm, "Microsoft.Cdn/profiles/afdendpoints")}


def test_builds_fast_and_loads(demo: tuple[Path, float], estate: Estate) -> None:
    assert demo[1] < 5
    assert estate.as_of == AS_OF
    assert len(estate.subscriptions) == 2
    assert estate.config_path is not None
    assert load_config(estate.config_path).decommission.retired_domains == ("contoso-legacy.net",)


def test_every_endpoint_serves_its_own_key_and_only_orders_has_a_broken_chain(root: Path) -> None:
    anchor = trust_root(root)
    for pem in (root / "tls").glob("*.pem"):
        served = read_served(root, pem.name[:-4])
        assert key_matches(served), pem.name
        assert chains_to(served.chain, anchor) == (pem.name != "orders.contoso.com.pem"), pem.name


def test_a_healthy_majority(estate: Estate, root: Path) -> None:
    zones = load_zones(root)
    targets = {s["properties"]["defaultHostName"] for s in arm_of_type(estate.arm, "Microsoft.Web/sites")}
    targets |= _endpoint_hosts(estate)
    custom = [d["properties"]["hostName"] for d in arm_of_type(estate.arm, "Microsoft.Cdn/profiles/customdomains")]
    for site in arm_of_type(estate.arm, "Microsoft.Web/sites"):
        custom += [h for h in site["properties"]["hostNames"] if not h.endswith(".azurewebsites.net")]
    anchor = trust_root(root)
    healthy = []
    for host in custom:
        served = read_served(root, host)
        leaf = served.leaf
        left = leaf.not_valid_after_utc - AS_OF
        lifetime = leaf.not_valid_after_utc - leaf.not_valid_before_utc
        chain, addresses = resolve(zones, host)
        if (left > timedelta(days=30) and left > lifetime / 3 and chains_to(served.chain, anchor)
                and len(chain) == 1 and chain[0] in targets and addresses
                and not (root / "tls" / f"{host}.json").exists()):
            healthy.append(host)
    assert len(healthy) >= 8, healthy
    assert lookup(zones, "contoso.com", "CAA") == ['0 issue "digicert.com"', '0 iodef "mailto:security@contoso.com"']


def test_a_retired_domain_with_an_expired_certificate_and_hidden_dependents(estate: Estate, root: Path) -> None:
    legacy = estate.keyvault["kv-contoso"]["wildcard-contoso-legacy-net"]
    current = current_bundle(legacy)
    assert current["policy"]["issuer"]["name"] == "Unknown"
    assert "AutoRenew" not in {a["action"]["action_type"] for a in current["policy"]["lifetime_actions"]}
    assert bundle_cert(current).not_valid_after_utc < AS_OF
    assert current["policy"]["x509_props"]["sans"]["dns_names"][0] == "*.contoso-legacy.net"

    signin = _one(arm_of_type(estate.arm, "Microsoft.Web/sites"), name="signin")
    settings = _one(arm_of_type(estate.arm, "Microsoft.Web/sites/config"),
                    id=f"{signin['id']}/config/appsettings")
    assert settings["properties"]["AUTH_CALLBACK_URL"] == "https://login.contoso-legacy.net/callback"

    shop = _domain(estate, "shop.contoso-legacy.net")
    routes = arm_of_type(estate.arm, "Microsoft.Cdn/profiles/afdendpoints/routes")
    assert any(ref["id"].lower() == shop["id"].lower()
               for r in routes for ref in r["properties"]["customDomains"])
    assert thumbprint(read_served(root, "shop.contoso-legacy.net").leaf) == thumbprint(bundle_cert(current))

    zones = load_zones(root)
    chain, addresses = resolve(zones, "api.contoso-legacy.net")
    sites = {s["properties"]["defaultHostName"] for s in arm_of_type(estate.arm, "Microsoft.Web/sites")}
    assert chain[0] in sites and addresses
    assert "contoso-legacy.net" in {z["name"] for z in arm_of_type(estate.arm, "Microsoft.Network/dnszones")}


def test_www_serves_an_expired_certificate_while_key_vault_holds_the_renewal(estate: Estate, root: Path) -> None:
    versions = estate.keyvault["kv-contoso"]["www-contoso-com"]
    current = current_bundle(versions)
    older = next(b for b in versions if b is not current)
    assert bundle_cert(current).not_valid_after_utc > AS_OF + timedelta(days=300)
    assert bundle_cert(older).not_valid_after_utc < AS_OF
    served = read_served(root, "www.contoso.com").leaf
    assert served.not_valid_after_utc < AS_OF
    assert thumbprint(served) == thumbprint(bundle_cert(older)) != thumbprint(bundle_cert(current))
    web_cert = _one(arm_of_type(estate.arm, "Microsoft.Web/certificates"), name="www-contoso-com")
    assert web_cert["properties"]["thumbprint"] == thumbprint(served)
    assert web_cert["properties"]["keyVaultId"].lower().endswith("/providers/microsoft.keyvault/vaults/kv-contoso")
    assert web_cert["properties"]["keyVaultSecretName"] == "www-contoso-com/" + older["id"].rsplit("/", 1)[1]
    assert AS_OF - datetime.fromtimestamp(current["attributes"]["created"], UTC) > timedelta(hours=24)


def test_billing_function_has_an_uploaded_certificate_expiring_within_two_weeks(estate: Estate, root: Path) -> None:
    site = _one(arm_of_type(estate.arm, "Microsoft.Web/sites"), name="contoso-billing")
    assert site["kind"] == "functionapp"
    assert "billing.contoso.com" in site["properties"]["hostNames"]
    cert = _one(arm_of_type(estate.arm, "Microsoft.Web/certificates"), name="billing-contoso-com")
    assert "keyVaultId" not in cert["properties"] and "canonicalName" not in cert["properties"]
    served = read_served(root, "billing.contoso.com").leaf
    assert thumbprint(served) == cert["properties"]["thumbprint"]
    assert AS_OF < served.not_valid_after_utc < AS_OF + timedelta(days=14)


def test_orders_serves_a_leaf_only_chain_and_allows_tls_1_0(estate: Estate, root: Path) -> None:
    served = read_served(root, "orders.contoso.com")
    assert len(served.chain) == 1 and served.leaf.issuer != served.leaf.subject
    assert read_json(root / "tls" / "orders.contoso.com.json") == {"min_version": "TLSv1"}
    site = _one(arm_of_type(estate.arm, "Microsoft.Web/sites"), name="contoso-orders")
    web = _one(arm_of_type(estate.arm, "Microsoft.Web/sites/config"), id=f"{site['id']}/config/web")
    assert web["properties"]["minTlsVersion"] == "1.0"


def test_dangling_names_point_at_deleted_azure_resources(estate: Estate, root: Path) -> None:
    zones = load_zones(root)
    origins = [o["properties"]["hostName"] for o in arm_of_type(estate.arm, "Microsoft.Cdn/profiles/origingroups/origins")]
    assert "contosoassets.blob.core.windows.net" in origins
    assert resolve(zones, "contosoassets.blob.core.windows.net") == ([], [])
    assert resolve(zones, "contosodata.blob.core.windows.net")[1]      # the live account does resolve
    accounts = {a["name"] for a in arm_of_type(estate.arm, "Microsoft.Storage/storageAccounts")}
    assert "contosoassets" not in accounts and "contosodata" in accounts

    assert resolve(zones, "promo.contoso.com") == (["contoso-promo.azurewebsites.net"], [])
    sites = {s["name"] for s in arm_of_type(estate.arm, "Microsoft.Web/sites")}
    assert "contoso-promo" not in sites


def test_news_managed_certificate_sits_behind_a_cname_chain(estate: Estate, root: Path) -> None:
    news = _domain(estate, "news.contoso.com")
    assert news["properties"]["tlsSettings"]["certificateType"] == "ManagedCertificate"
    chain, addresses = resolve(load_zones(root), "news.contoso.com")
    assert chain[0] == "news-edge.contoso.net" and chain[1] in _endpoint_hosts(estate) and len(chain) == 2
    assert addresses
    assert "contoso.net" not in {z["name"] for z in arm_of_type(estate.arm, "Microsoft.Network/dnszones")}


def test_the_secops_vault_is_forbidden(estate: Estate) -> None:
    assert [(f.service, f.match, f.status) for f in estate.faults] == [("keyvault", "kv-secops", 403)]
    _one(arm_of_type(estate.arm, "Microsoft.KeyVault/vaults"), name="kv-secops")
    assert estate.keyvault["kv-secops"]
