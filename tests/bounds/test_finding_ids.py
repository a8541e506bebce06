"""Finding ids come from stable keys: rule, subject and the owning resource as the
inventory names it, whichever child of it (binding, custom domain) could be read."""

from __future__ import annotations

from auditor.model.common import Severity
from auditor.model.finding import Finding, finding_id, owning_resource

SITE = "/subscriptions/s1/resourceGroups/rg-web/providers/Microsoft.Web/sites/shop"


def _finding(resource_id: str, subject: str = "shop.fabrikam.io") -> Finding:
    return Finding(rule="tls-endpoint-broken", severity=Severity.HIGH, subject=subject, resource_id=resource_id,
                   title="t", remediation="r")


def test_binding_or_site_gives_the_same_id() -> None:
    binding = f"{SITE}/hostNameBindings/shop.fabrikam.io"
    assert _finding(binding).id == _finding(SITE).id == _finding(SITE.upper()).id
    assert _finding(binding).resource_id == binding        # the report still names the binding


def test_distinct_owners_stay_distinct() -> None:
    slot = f"{SITE}/slots/staging"
    other = SITE.replace("/shop", "/shop2")
    ids = {_finding(SITE).id, _finding(f"{slot}/hostNameBindings/x").id, _finding(other).id,
           _finding(SITE, subject="www.fabrikam.io").id}
    assert len(ids) == 4
    assert owning_resource(f"{slot}/hostNameBindings/x") == slot.lower()


def test_non_arm_keys_are_kept_whole() -> None:
    assert owning_resource("kv-a/web") == "kv-a/web"
    assert finding_id("cert-expiring", "kv-a/web", "") != finding_id("cert-expiring", "kv-b/web", "")
