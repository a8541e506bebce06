"""Access restrictions as ARM's config/web shows them
(learn.microsoft.com/en-us/azure/app-service/app-service-ip-restrictions)."""

from auditor.normalise.access_restrictions import public_access_block

SITE = {"properties": {"publicNetworkAccess": "Enabled"}}
ALLOW_ALL = {"ipAddress": "Any", "action": "Allow", "priority": 2147483647, "name": "Allow all"}
DENY_ALL = {"ipAddress": "Any", "action": "Deny", "priority": 2147483647, "name": "Deny all"}


def web(*rules: dict, default: str | None = None) -> dict:
    props: dict = {"ipSecurityRestrictions": list(rules)}
    if default is not None:
        props["ipSecurityRestrictionsDefaultAction"] = default
    return {"properties": props}


def test_open_apps() -> None:
    assert public_access_block(SITE, web(ALLOW_ALL)) is None
    assert public_access_block(SITE, web({"ipAddress": "198.51.100.0/24", "action": "Deny", "priority": 1},
                                         ALLOW_ALL)) is None
    assert public_access_block(SITE, None) is None                      # not read: not claimed
    # A rule for everyone ahead of the Deny all entry decides first.
    assert public_access_block(SITE, web(DENY_ALL, {"ipAddress": "0.0.0.0/0", "action": "Allow", "priority": 5})) is None


def test_closed_apps() -> None:
    office = {"ipAddress": "203.0.113.0/24", "action": "Allow", "priority": 100, "name": "office"}
    assert public_access_block(SITE, web(office)) == "access restrictions deny unmatched traffic; only office allowed"
    assert public_access_block(SITE, web(office, DENY_ALL)).startswith("access restriction Deny all")  # type: ignore[union-attr]
    assert public_access_block(SITE, web(default="Deny")) == "access restrictions deny unmatched traffic"
    # An Allow rule for a service tag or a subnet is not the internet.
    front_door = {"ipAddress": "AzureFrontDoor.Backend", "tag": "ServiceTag", "action": "Allow", "priority": 100}
    assert public_access_block(SITE, web(front_door, DENY_ALL)) is not None
    assert public_access_block({"properties": {"publicNetworkAccess": "Disabled"}}, web(ALLOW_ALL)) == \
        "publicNetworkAccess is Disabled"
