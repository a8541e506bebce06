"""Real mode names the tenant: from the access token's `tid` claim
(https://learn.microsoft.com/en-us/entra/identity-platform/access-token-claims-reference), else
from ARM's subscription list (each subscription names its tenantId)."""

import base64
import json

from azure.mgmt.resource.subscriptions.aio import SubscriptionClient
from azure.mgmt.resourcegraph.aio import ResourceGraphClient

from auditor.collect.arg import ResourceGraph, subscriptions_in_scope
from auditor.collect.clients import ClientFactory
from auditor.collect.session import make_credential, open_session
from auditor.collect.tenant import tenant_from_token
from auditor.config import ScopeConfig


def _jwt(payload: dict) -> str:
    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'RS256', 'typ': 'JWT'})}.{part(payload)}.c2lnbmF0dXJl"


def test_the_tenant_is_the_tokens_tid() -> None:
    assert tenant_from_token(_jwt({"tid": "72f988bf-86f1-41af-91ab-2d7cd011db47", "aud": "x"})) \
        == "72f988bf-86f1-41af-91ab-2d7cd011db47"


def test_a_token_that_is_no_jwt_or_has_no_tid_names_none() -> None:
    assert tenant_from_token("opaque-token") is None
    assert tenant_from_token(_jwt({"aud": "x"})) is None
    assert tenant_from_token("a.!!!.c") is None


async def test_arms_subscription_list_names_the_tenant(estate, serve, kit) -> None:
    # The fallback when the token names none: each subscription's tenantId.
    estate.storage_account(kit.SUBS[0], "stone")
    _, endpoints = serve(estate)
    context = kit.context_for(endpoints)
    async with open_session(context.network) as session:
        credential = make_credential(context.network, context.cloud, context.tenant_id, session)
        clients = ClientFactory(cloud=context.cloud, credential=credential, session=session,
                                settings=context.config.collect)
        async with clients.mgmt(ResourceGraphClient) as arg, clients.mgmt(SubscriptionClient) as subs:
            scope = await subscriptions_in_scope(ResourceGraph(arg, context.config.collect), ScopeConfig(), subs)
        await credential.close()
    assert scope.tenant_id == kit.TENANT and scope.subscriptions == kit.SUBS
