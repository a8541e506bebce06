"""A dependent on a deployment slot is removed from that slot, not from the production app."""

from __future__ import annotations

from auditor.graph.removal import remove_reference
from auditor.model import Reference, ReferenceKind

SLOT = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/signin/slots/staging"
APP = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/signin"


def test_slot_settings_are_removed_with_the_slot_flag() -> None:
    for kind, where in ((ReferenceKind.APP_SETTING, "appsettings.CALLBACK"),
                        (ReferenceKind.CONNECTION_STRING, "connectionstrings.Db"),
                        (ReferenceKind.CORS_ORIGIN, "siteConfig.cors.allowedOrigins[0]")):
        assert "--slot staging" in remove_reference(Reference(kind, "login.x.net", SLOT, where))
        assert "--slot" not in remove_reference(Reference(kind, "login.x.net", APP, where))
