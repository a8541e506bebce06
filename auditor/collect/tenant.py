"""The tenant a real-mode run audits: the signed-in token's `tid` claim.

Entra access tokens are JWTs whose payload names the tenant in `tid`
(https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference).
The token is read, never verified: it only names the tenant for the report. A token that is
not a JWT names none, and the caller falls back to ARM's subscription list.
"""

from __future__ import annotations

import base64
import binascii
import json


def tenant_from_token(token: str) -> str | None:
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    tid = payload.get("tid") if isinstance(payload, dict) else None
    return tid if isinstance(tid, str) and tid else None
