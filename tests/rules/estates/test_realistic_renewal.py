"""Key Vault certificates mid-renewal, the way a default policy renews them (AutoRenew at 80% of
the lifetime, so the previous version still has about 73 of 365 days left):

- www, renewed 3 days ago, consumed by App Service (following the current version) and Front Door
  (useLatestVersion): both endpoints already serve the new version;
- shop, renewed 20 hours ago, consumed by App Service, whose endpoint still serves the old version;
- edge, renewed 50 hours ago, consumed by Front Door, whose endpoint still serves the old version.

The stragglers' consumers have not synced yet either: their App Service certificate and Front Door
secret still hold the previous version's thumbprint and dates. Both are within the documented sync
lag (App Service 24 h, Front Door 72 h), so no rule may fire. Its twin ages the edge renewal to
80 hours, past Front Door's lag, and must report that edge.fabrikam.com still presents the old
version.

https://learn.microsoft.com/en-us/azure/app-service/configure-ssl-certificate (sync within 24 hours)
https://learn.microsoft.com/en-us/azure/frontdoor/domain (latest version deployed within 72 hours)
https://learn.microsoft.com/en-us/azure/key-vault/certificates/overview-renew-certificate
"""

from __future__ import annotations

import base64
import json
from datetime import UTC
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes

from auditor.core.analyse import analyse
from auditor.core.environment import open_environment
from auditor.core.pipeline import run_audit
from auditor.estate.builder import (
    AppServiceCertificate,
    Endpoint,
    EstateSpec,
    FrontDoor,
    FrontDoorDomain,
    HostName,
    Origin,
    OriginGroup,
    Record,
    Site,
    Validity,
    Vault,
    VaultCertificate,
    Zone,
    build_estate,
)
from auditor.rules.registry import CONTRACT_RULE_IDS

from .pipeline import AuditedEstate

YEAR_HOURS = 365 * 24


def _renewed(name: str, names: tuple[str, ...], hours_ago: int, old_days_left: int) -> VaultCertificate:
    """A one-year certificate whose current version was issued `hours_ago`, beside its predecessor."""
    return VaultCertificate(name, names, not_after=f"+{YEAR_HOURS - hours_ago}h", lifetime="365d",
                            older=(Validity(f"+{old_days_left}d", "365d"),))


def _estate(edge_hours_ago: int) -> EstateSpec:
    return EstateSpec(
        vaults=(Vault("kv-web", certificates=(
            _renewed("www", ("www.fabrikam.com", "cdn.fabrikam.com"), hours_ago=72, old_days_left=70),
            _renewed("shop", ("shop.fabrikam.com",), hours_ago=20, old_days_left=72),
            _renewed("edge", ("edge.fabrikam.com",), hours_ago=edge_hours_ago, old_days_left=71),
        )),),
        app_service_certificates=(AppServiceCertificate("www", key_vault="kv-web/www"),
                                  AppServiceCertificate("shop", key_vault="kv-web/shop")),
        sites=(Site("fabrikam-web", host_names=(HostName("www.fabrikam.com", certificate="www"),
                                                HostName("shop.fabrikam.com", certificate="shop"))),),
        front_doors=(FrontDoor(
            "fd-fabrikam",
            domains=(FrontDoorDomain("cdn.fabrikam.com", certificate="kv-web/www", use_latest=True),
                     FrontDoorDomain("edge.fabrikam.com", certificate="kv-web/edge", use_latest=True)),
            origin_groups=(OriginGroup("og", (Origin("fabrikam-web.azurewebsites.net"),)),)),),
        zones=(Zone("fabrikam.com", records=(Record("@", "CAA", ('0 issue "digicert.com"',)),)),),
        # The stragglers: their live endpoints still present the previous version.
        endpoints=(Endpoint("shop.fabrikam.com", serve="kv-web/shop@1"),
                   Endpoint("edge.fabrikam.com", serve="kv-web/edge@1")),
    )


def _spellings(bundle: dict[str, object]) -> list[str]:
    """How the ARM copies of one Key Vault version write it: thumbprint, version, dates."""
    cert = x509.load_der_x509_certificate(base64.b64decode(str(bundle["cer"])))
    after, before = cert.not_valid_after_utc, cert.not_valid_before_utc
    return [cert.fingerprint(hashes.SHA1()).hex().upper(), str(bundle["id"]).rsplit("/", 1)[-1],
            after.astimezone(UTC).isoformat(), before.astimezone(UTC).isoformat(),
            after.strftime("%Y-%m-%dT%H:%M:%S-00:00")]


def _not_yet_synced(estate: Path, vault: str, name: str) -> None:
    """Turn every ARM copy of the current version back into the previous one."""
    bundles = sorted((json.loads(p.read_text()) for p in (estate / "keyvault" / vault / name).glob("*.json")),
                     key=lambda b: b["attributes"]["created"], reverse=True)
    pairs = list(zip(_spellings(bundles[0]), _spellings(bundles[1]), strict=True))
    for path in (estate / "arm").rglob("*.json"):
        text = original = path.read_text()
        for new, old in pairs:
            text = text.replace(new, old)
        if text != original:
            path.write_text(text)


def _audit(edge_hours_ago: int, out_dir: Path) -> AuditedEstate:
    path = build_estate(_estate(edge_hours_ago), out_dir)
    _not_yet_synced(path, "kv-web", "shop")
    _not_yet_synced(path, "kv-web", "edge")
    with open_environment(estate=path, config_path=None, as_of=None) as env:
        outcome = run_audit(env)
        per_rule = {rule: analyse(outcome.inventory, env.config, env.as_of, rules=[rule])
                    for rule in CONTRACT_RULE_IDS}
        return AuditedEstate(path=path, report=outcome.report, inventory=outcome.inventory,
                             config=env.config, per_rule=per_rule)


@pytest.fixture(scope="module")
def healthy(tmp_path_factory: pytest.TempPathFactory) -> AuditedEstate:
    return _audit(50, tmp_path_factory.mktemp("renewal") / "estate")


@pytest.fixture(scope="module")
def overdue(tmp_path_factory: pytest.TempPathFactory) -> AuditedEstate:
    return _audit(80, tmp_path_factory.mktemp("renewal-late") / "estate")


def test_renewals_within_the_sync_lag_raise_nothing(healthy: AuditedEstate) -> None:
    assert healthy.report.gaps == ()
    assert healthy.all_pairs() == set()


def test_the_stragglers_really_serve_the_previous_version(healthy: AuditedEstate) -> None:
    vault = {c.key: c for c in healthy.inventory.certificates if c.store.value == "key-vault"}
    served = {o.hostname: o.leaf.thumbprint for o in healthy.inventory.tls if o.leaf is not None and o.sni}
    assert served["www.fabrikam.com"] == served["cdn.fabrikam.com"] == vault["kv-web/www"].thumbprint
    copies = {c.key_vault_id: c.thumbprint for c in healthy.inventory.certificates if c.key_vault_id}
    for host, key in (("shop.fabrikam.com", "kv-web/shop"), ("edge.fabrikam.com", "kv-web/edge")):
        previous = vault[key].versions[1]
        assert served[host] == copies[key] == previous.thumbprint != vault[key].thumbprint


def test_past_front_doors_lag_the_straggler_is_reported(overdue: AuditedEstate) -> None:
    assert overdue.all_pairs() == {("cert-rotation-stale", "edge.fabrikam.com")}
    [stale] = overdue.per_rule["cert-rotation-stale"].findings
    assert stale.evidence["sync_lag_hours"] == 72
