"""Azure Resource Manager: GET by id, collection lists with nextLink paging, and the
POST .../list actions of Microsoft.Web/sites/config.

Every read takes a token from its subscription's read bucket (throttle.py); a subscription
the identity holds no role on answers 403 AuthorizationFailed, as ARM does."""

from __future__ import annotations

from aiohttp import web

from auditor.emulator.http.arm_index import ArmIndex, Lookup, is_collection, is_config, is_secret_config
from auditor.emulator.http.auth import TokenCheck
from auditor.emulator.http.errors import error_response, fault_response, json_response
from auditor.emulator.http.management_groups import handle_management_groups
from auditor.emulator.http.name_availability import TakenNames, handle_name_availability
from auditor.emulator.http.paging import BadSkipToken, fingerprint, make_token, next_link, page, read_token
from auditor.emulator.http.state import HttpState
from auditor.emulator.http.throttle import TokenBuckets

_TENANT_BUCKET = "tenant"
_AUDIENCE_EXTRAS = {"https://management.core.windows.net", "https://management.azure.com"}


def arm_audiences(state: HttpState) -> set[str]:
    return {state.cloud.arm.rstrip("/").lower()} | _AUDIENCE_EXTRAS


def unauthorized(check: TokenCheck) -> web.Response:
    if check is TokenCheck.MISSING:
        code, message = "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing."
    elif check is TokenCheck.WRONG_AUDIENCE:
        code, message = "InvalidAuthenticationTokenAudience", "The access token has been obtained for wrong audience or resource."
    else:
        code, message = "InvalidAuthenticationToken", "The access token is invalid."
    challenge = ('Bearer authorization_uri="https://login.windows.net/", error="invalid_token", '
                 f'error_description="{message}"')
    return error_response("arm", 401, message, code=code, headers={"WWW-Authenticate": challenge})


def _subscription_of(path: str) -> str | None:
    seg = [s for s in path.lower().split("/") if s]
    return seg[1] if len(seg) > 1 and seg[0] == "subscriptions" else None


async def handle_arm(request: web.Request, state: HttpState, index: ArmIndex,
                     taken: TakenNames | None = None, buckets: TokenBuckets | None = None) -> web.Response:
    check = state.tokens.check(request, arm_audiences(state))
    if check is not TokenCheck.OK:
        return unauthorized(check)
    if not any(k.lower() == "api-version" for k in request.query):
        return error_response("arm", 400, "The api-version query parameter (?api-version=) is required for all requests.",
                              code="MissingApiVersionParameter")
    subscription = _subscription_of(request.path)
    admitted, rate = (buckets or TokenBuckets()).take(subscription or _TENANT_BUCKET)
    if not admitted:
        return error_response("arm", 429, f"Number of 'read' requests for subscription '{subscription or ''}' "
                              f"exceeded. Please try again after '{rate['Retry-After']}' seconds.",
                              code="SubscriptionRequestsThrottled", headers=rate)
    faulted = await fault_response(state, "arm", str(request.url))
    if faulted is not None:
        return faulted
    if subscription is not None and subscription in state.estate.hidden_subscription_ids:
        return error_response("arm", 403, f"The client does not have authorization to perform action over scope "
                              f"'{request.path}' or the scope is invalid.", code="AuthorizationFailed",
                              headers=rate)
    response = await _answer(request, state, index, taken)
    response.headers.update(rate)
    return response


async def _answer(request: web.Request, state: HttpState, index: ArmIndex,
                  taken: TakenNames | None) -> web.Response:
    path = request.path.rstrip("/") or "/"
    if taken is not None:
        availability = await handle_name_availability(request, path, taken)
        if availability is not None:
            return availability
    groups = handle_management_groups(request, path, state)
    if groups is not None:
        return groups
    if request.method == "POST" and path.lower().endswith("/list"):
        return _list_action(index, path[: -len("/list")])
    if request.method == "GET" and path.lower().endswith("/list") and _is_config_id(index, path[: -len("/list")]):
        return _list_action(index, path[: -len("/list")])
    if request.method != "GET":
        return error_response("arm", 405, f"The requested resource does not support http method '{request.method}'.",
                              code="MethodNotAllowed")
    if is_collection(path):
        return _collection(request, state, index, path)
    answer = index.get(path)
    item = answer.item or index.default_config(path)
    if item is None:
        return _not_found(answer.lookup, path)
    if is_secret_config(item):
        return error_response("arm", 405, "The requested resource does not support http method 'GET'.",
                              code="MethodNotAllowed")
    return json_response(item)


def _is_config_id(index: ArmIndex, path: str) -> bool:
    found = index.by_id.get(path.lower())
    return found is not None and is_config(found)


def _list_action(index: ArmIndex, config_id: str) -> web.Response:
    found = index.by_id.get(config_id.lower()) or index.default_config(config_id)
    if found is None or not is_config(found):
        return _not_found(Lookup.NOT_FOUND, config_id)
    return json_response(found)


def _collection(request: web.Request, state: HttpState, index: ArmIndex, path: str) -> web.Response:
    answer = index.list(path)
    if answer.lookup is not Lookup.FOUND:
        return _not_found(answer.lookup, path)
    items = list(answer.items)
    scope = fingerprint("arm", path.lower())
    token = next((v for k, v in request.query.items() if k.lower() == "$skiptoken"), None)
    try:
        offset = read_token(token, scope) if token else 0
    except BadSkipToken as exc:
        return error_response("arm", 400, str(exc), code="InvalidSkipToken")
    size = state.arm_page_size
    top = next((v for k, v in request.query.items() if k.lower() == "$top"), None)
    if top is not None and top.isdigit() and int(top) > 0:
        size = min(size, int(top))
    chunk, following = page(items, offset, size)
    body: dict[str, object] = {"value": chunk}
    if following is not None:
        base = f"{request.scheme}://{request.host}{request.raw_path.split('?', 1)[0]}"
        body["nextLink"] = next_link(base, dict(request.query), "$skiptoken", make_token(following, scope))
    return json_response(body)


def _not_found(lookup: Lookup, path: str) -> web.Response:
    if lookup is Lookup.SUBSCRIPTION_NOT_FOUND:
        return error_response("arm", 404, f"The subscription in '{path}' could not be found.", code="SubscriptionNotFound")
    if lookup is Lookup.RESOURCE_GROUP_NOT_FOUND:
        return error_response("arm", 404, f"Resource group in '{path}' could not be found.", code="ResourceGroupNotFound")
    if lookup is Lookup.PARENT_NOT_FOUND:
        return error_response("arm", 404, f"Can not perform requested operation on nested resource. "
                              f"Parent resource of '{path}' not found.", code="ParentResourceNotFound")
    return error_response("arm", 404, f"The Resource '{path}' was not found.", code="ResourceNotFound")
