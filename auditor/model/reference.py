"""A host name named somewhere: an app setting, an origin, a redirect URI, any property."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ReferenceKind(StrEnum):
    """The contract's decommission dependent kinds, for references."""

    APP_SETTING = "app-setting"
    CONNECTION_STRING = "connection-string"
    CORS_ORIGIN = "cors-origin"
    AUTH_REDIRECT = "auth-redirect"
    FRONTDOOR_ORIGIN = "frontdoor-origin"
    FRONTDOOR_RULE = "frontdoor-rule"
    GATEWAY_BACKEND = "gateway-backend"
    GATEWAY_LISTENER = "gateway-listener"
    TRAFFIC_MANAGER_ENDPOINT = "traffic-manager-endpoint"
    APIM_BACKEND = "apim-backend"
    ENTRA_REDIRECT_URI = "entra-redirect-uri"
    RESOURCE_PROPERTY = "resource-property"


@dataclass(frozen=True, slots=True)
class Reference:
    kind: ReferenceKind
    hostname: str          # lower-case, no trailing dot
    resource_id: str
    where: str             # "appsettings.AUTH_CALLBACK_URL", "properties.origins[0].hostName"
    detail: str = ""       # never a secret value
