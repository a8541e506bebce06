"""The login host: the client-credentials token endpoint and the discovery documents
azure-identity may ask for. Only the emulator's own client id and secret get a token."""

from __future__ import annotations

import hmac
import time
import uuid
from dataclasses import dataclass

from aiohttp import web

from auditor.emulator.http.auth import audience_of
from auditor.emulator.http.errors import json_response
from auditor.emulator.http.state import HttpState

TOKEN_LIFETIME = 3599


@dataclass(frozen=True)
class ClientCredentials:
    client_id: str
    client_secret: str


def _aad_error(status: int, error: str, code: int, description: str) -> web.Response:
    return json_response({
        "error": error, "error_description": f"AADSTS{code}: {description}",
        "error_codes": [code], "timestamp": time.strftime("%Y-%m-%d %H:%M:%SZ", time.gmtime()),
        "trace_id": str(uuid.uuid4()), "correlation_id": str(uuid.uuid4()),
    }, status)


async def handle_token(request: web.Request, state: HttpState, client: ClientCredentials) -> web.Response:
    parts = [p for p in request.path.split("/") if p]
    tenant = parts[0].lower() if parts else ""
    login = state.cloud.login.rstrip("/")
    if request.method == "GET" and parts[1:] in (["v2.0", ".well-known", "openid-configuration"],
                                                 [".well-known", "openid-configuration"]):
        return json_response(_openid_configuration(login, state.estate.tenant_id))
    if request.method != "POST" or parts[1:] != ["oauth2", "v2.0", "token"]:
        return _aad_error(404, "invalid_request", 900561, f"The endpoint {request.path} is not served here.")
    if tenant not in (state.estate.tenant_id.lower(), "organizations"):
        return _aad_error(400, "invalid_tenant", 90002, f"Tenant '{tenant}' not found.")
    form = await request.post()
    if form.get("grant_type") != "client_credentials":
        return _aad_error(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.")
    given_id, given_secret = str(form.get("client_id", "")), str(form.get("client_secret", ""))
    if not (hmac.compare_digest(given_id, client.client_id)
            and hmac.compare_digest(given_secret, client.client_secret)):
        return _aad_error(401, "invalid_client", 7000215, "Invalid client secret provided.")
    scope = str(form.get("scope", ""))
    if not scope:
        return _aad_error(400, "invalid_scope", 1002012, "The provided value for scope is not valid.")
    token = state.tokens.issue(audience_of(scope))
    return json_response({"token_type": "Bearer", "expires_in": TOKEN_LIFETIME,
                          "ext_expires_in": TOKEN_LIFETIME, "access_token": token})


def _openid_configuration(login: str, tenant: str) -> dict[str, object]:
    base = f"{login}/{tenant}"
    return {
        "token_endpoint": f"{base}/oauth2/v2.0/token",
        "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
        "issuer": f"{base}/v2.0",
        "jwks_uri": f"{login}/{tenant}/discovery/v2.0/keys",
        "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
        "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
        "tenant_region_scope": "WW",
    }
