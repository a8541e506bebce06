"""Key Vault data plane for certificates: list, get (current or one version), versions, policy,
behind Key Vault's 401 challenge. Bundles are served as stored, epoch-second dates and all."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

from auditor.emulator.http.auth import TokenCheck
from auditor.emulator.http.errors import error_response, fault_response, json_response
from auditor.emulator.http.paging import BadSkipToken, fingerprint, make_token, next_link, page, read_token
from auditor.emulator.http.state import HttpState
from auditor.emulator.http.vault_access import refusal, refusal_message, vault_name
from auditor.estate.load import Estate

MAX_RESULTS = 25
_ID_FIELDS = ("id", "kid", "sid")


@dataclass(frozen=True)
class StoredCertificate:
    name: str                            # as the stored ids spell it
    versions: tuple[dict[str, Any], ...]  # oldest first; the last is current

    @property
    def current(self) -> dict[str, Any]:
        return self.versions[-1]


def _created(bundle: dict[str, Any]) -> float:
    value = bundle.get("attributes", {}).get("created")
    return float(value) if isinstance(value, int | float) else 0.0


def _id_parts(bundle: dict[str, Any]) -> list[str]:
    return [p for p in urlsplit(str(bundle.get("id", ""))).path.split("/") if p]


def version_of(bundle: dict[str, Any]) -> str:
    parts = _id_parts(bundle)
    return parts[2] if len(parts) > 2 else ""


class VaultStore:
    """Vault name (lower-case) -> certificate name (lower-case) -> its versions."""

    def __init__(self, estate: Estate, keyvault_suffix: str) -> None:
        self.vaults: dict[str, dict[str, StoredCertificate]] = {}
        self.refusals: dict[str, str] = {}     # vault name -> the 403's inner error code
        for obj in estate.arm:
            if str(obj.get("type", "")).lower() == "microsoft.keyvault/vaults":
                name = vault_name(obj)
                if name:
                    self.vaults.setdefault(name, {})
                    code = refusal(obj, estate.hidden_subscription_ids)
                    if code is not None:
                        self.refusals[name] = code
        for vault, certs in estate.keyvault.items():
            stored = self.vaults.setdefault(vault, {})
            for key, bundles in certs.items():
                ordered = tuple(sorted(bundles, key=_created))
                parts = _id_parts(ordered[-1])
                name = parts[1] if len(parts) > 1 else key   # the folder name is only a fallback
                stored[name.lower()] = StoredCertificate(name=name, versions=ordered)


def _rebase(bundle: dict[str, Any], base: str) -> dict[str, Any]:
    """Ids on the vault's own URL; kept as stored when their host already is the vault's."""
    out = copy.deepcopy(bundle)
    targets = [out] + ([out["policy"]] if isinstance(out.get("policy"), dict) else [])
    for target in targets:
        for field in _ID_FIELDS:
            value = target.get(field)
            if isinstance(value, str) and value:
                parts = urlsplit(value)
                if (parts.hostname or "").lower() != urlsplit(base).hostname:
                    target[field] = base + parts.path
    return out


def _item(bundle: dict[str, Any], item_id: str) -> dict[str, Any]:
    item: dict[str, Any] = {"id": item_id}
    for field in ("x5t", "attributes", "tags", "subject"):
        if field in bundle:
            item[field] = bundle[field]
    return item


def unauthorized(state: HttpState, check: TokenCheck) -> web.Response:
    login = state.cloud.login.rstrip("/")
    challenge = (f'Bearer authorization="{login}/{state.estate.tenant_id}", '
                 f'resource="https://{state.cloud.keyvault_suffix}"')
    message = ("AKV10000: Request is missing a Bearer or PoP token." if check is TokenCheck.MISSING
               else "AKV10022: Invalid audience or token.")
    return error_response("keyvault", 401, message, code="Unauthorized", headers={"WWW-Authenticate": challenge})


async def handle_keyvault(request: web.Request, state: HttpState, store: VaultStore) -> web.Response:
    check = state.tokens.check(request, {f"https://{state.cloud.keyvault_suffix}".lower()})
    if check is not TokenCheck.OK:
        return unauthorized(state, check)
    if "api-version" not in request.query:
        return error_response("keyvault", 400, "The request URI contains an invalid or missing api-version.",
                              code="BadParameter")
    faulted = await fault_response(state, "keyvault", str(request.url))
    if faulted is not None:
        return faulted
    host = request.host.split(":")[0].lower()
    vault = store.vaults.get(host.split(".")[0])
    if vault is None:
        return error_response("keyvault", 404, f"Vault {host} not found.", code="VaultNotFound")
    refused = store.refusals.get(host.split(".")[0])
    if refused is not None:
        return error_response("keyvault", 403, refusal_message(refused, host.split(".")[0]), code="Forbidden",
                              innererror={"code": refused})
    if request.method != "GET":
        return error_response("keyvault", 405, f"Method {request.method} is not served by the estate.",
                              code="MethodNotAllowed")
    base = f"https://{host}"
    seg = [s for s in request.path.split("/") if s]
    if not seg or seg[0].lower() != "certificates" or len(seg) > 3:
        return error_response("keyvault", 404, f"{request.path} is not served by the estate.", code="NotFound")
    if len(seg) == 1:
        items = [_item(_rebase(c.current, base), f"{base}/certificates/{c.name}") for c in vault.values()]
        return _paged(request, base, items)
    cert = vault.get(seg[1].lower())
    if cert is None:
        return _not_found(seg[1], host)
    if len(seg) == 2:
        return json_response(_rebase(cert.current, base))
    tail = seg[2]
    if tail.lower() == "versions":
        items = [_item(b, b["id"]) for b in (_rebase(v, base) for v in cert.versions)]
        return _paged(request, base, items)
    if tail.lower() == "policy":
        policy = _rebase(cert.current, base).get("policy")
        if not isinstance(policy, dict):
            return error_response("keyvault", 404, f"Policy for certificate {seg[1]} not found.", code="PolicyNotFound")
        return json_response(policy)
    for bundle in cert.versions:
        if version_of(bundle).lower() == tail.lower():
            return json_response(_rebase(bundle, base))
    return _not_found(f"{seg[1]}/{tail}", host)


def _not_found(what: str, host: str) -> web.Response:
    return error_response("keyvault", 404, f"A certificate with (name/id) {what} was not found in this key vault. "
                          f"If you recently deleted this certificate you may be able to recover it using the correct "
                          f"recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182",
                          code="CertificateNotFound")


def _paged(request: web.Request, base: str, items: list[dict[str, Any]]) -> web.Response:
    size = MAX_RESULTS
    asked = request.query.get("maxresults")
    if asked is not None:
        if not asked.isdigit() or not 1 <= int(asked) <= MAX_RESULTS:
            return error_response("keyvault", 400, f"maxresults must be between 1 and {MAX_RESULTS}.", code="BadParameter")
        size = int(asked)
    scope = fingerprint("keyvault", base, request.path.lower())
    token = request.query.get("$skiptoken")
    try:
        offset = read_token(token, scope) if token else 0
    except BadSkipToken as exc:
        return error_response("keyvault", 400, str(exc), code="BadParameter")
    chunk, following = page(items, offset, size)
    link = None
    if following is not None:
        query = dict(request.query)
        query["maxresults"] = str(size)
        link = next_link(f"{base}{request.path}", query, "$skiptoken", make_token(following, scope))
    return json_response({"value": chunk, "nextLink": link})
