"""Resource Graph through the emulator: real KQL, $skipToken paging, quota, 429 and 403."""

import asyncio
import time

from azure.mgmt.resourcegraph.aio import ResourceGraphClient

from auditor.collect.arg import INVENTORY_QUERY, InventoryScan, ResourceGraph
from auditor.collect.azure import collect_azure
from auditor.collect.clients import ClientFactory
from auditor.collect.keyvault import COLLECTOR as KEYVAULT
from auditor.collect.session import make_credential, open_session
from auditor.config import ScopeConfig
from auditor.model.common import GapReason, Source
from auditor.model.reference import ReferenceKind


def big_estate(estate, kit, per_subscription: int) -> None:
    for s, sub in enumerate(kit.SUBS):
        for i in range(per_subscription):
            if i % 2:
                estate.public_ip(sub, f"pip{s}x{i:04d}")
            else:
                estate.storage_account(sub, f"st{s}x{i:04d}")


async def test_2500_resources_across_3_subscriptions_are_all_collected(estate, serve, kit) -> None:
    big_estate(estate, kit, 833)
    estate.vault(kit.SUBS[0], "kv-one")                 # 2,500 with the vault
    emulator, endpoints = serve(estate)

    result = await collect_azure(kit.context_for(endpoints), collectors=())

    resources = result.partial.resources
    assert len(resources) == 2500 and len({r.id.lower() for r in resources}) == 2500
    assert {r.subscription_id for r in resources} == set(kit.SUBS)
    assert result.partial.gaps == []
    storage = next(r for r in resources if r.name == "st0x0000")
    assert storage.default_hostnames == ("st0x0000.blob.core.windows.net", "st0x0000.z6.web.core.windows.net")
    assert storage.min_tls_version == "1.2" and storage.tags == {"env": "test"}
    pip = next(r for r in resources if r.name == "pip2x0001")
    assert pip.default_hostnames == ("pip2x0001.westeurope.cloudapp.azure.com",)
    pages = [e for e in emulator.log.entries("arg") if e.status == "200"]
    assert len(pages) >= 3                               # at most 1000 rows a page
    refs = [r for r in result.partial.references if r.kind is ReferenceKind.RESOURCE_PROPERTY]
    assert any(r.where == "properties.primaryEndpoints.blob" and r.hostname == "st1x0002.blob.core.windows.net"
               for r in refs)


async def test_subscription_batches_each_page_to_the_end(estate, serve, kit) -> None:
    big_estate(estate, kit, 40)
    emulator, endpoints = serve(estate)
    context = kit.context_for(endpoints, subscription_batch=1)
    result = await collect_azure(context, collectors=())
    assert len(result.partial.resources) == 120 and result.partial.gaps == []
    assert len([e for e in emulator.log.entries("arg") if e.status == "200"]) == 3


async def test_a_429_with_retry_after_is_waited_out(estate, serve, kit) -> None:
    big_estate(estate, kit, 10)
    estate.fault(service="arg", match="Resources", status=429, times=1, retry_after=1)
    emulator, endpoints = serve(estate)
    started = time.monotonic()
    result = await collect_azure(kit.context_for(endpoints), collectors=())
    assert time.monotonic() - started >= 1.0
    assert len(result.partial.resources) == 30 and result.partial.gaps == []
    statuses = [e.status for e in emulator.log.entries("arg")]
    assert statuses[:2] == ["fault:429", "200"]


async def test_a_forbidden_subscription_and_vault_are_gaps_and_the_rest_is_collected(estate, serve, kit) -> None:
    big_estate(estate, kit, 10)
    estate.vault(kit.SUBS[0], "kv-open")
    estate.vault(kit.SUBS[1], "kv-locked")
    estate.kv_certificate("kv-open", "a", [("v1", kit.AS_OF - kit.days(1), kit.AS_OF + kit.days(90))], ["a.contoso.com"])
    estate.kv_certificate("kv-locked", "b", [("v1", kit.AS_OF - kit.days(1), kit.AS_OF + kit.days(90))], ["b.contoso.com"])
    estate.fault(service="arg", match=kit.SUBS[2], status=403)
    estate.fault(service="keyvault", match="kv-locked", status=403)
    _, endpoints = serve(estate)

    result = await collect_azure(kit.context_for(endpoints), collectors=(KEYVAULT,))

    gaps = {(g.source, g.target, g.reason) for g in result.partial.gaps}
    assert gaps == {(Source.ARG, kit.SUBS[2], GapReason.FORBIDDEN), (Source.KEYVAULT, "kv-locked", GapReason.FORBIDDEN)}
    assert {r.subscription_id for r in result.partial.resources} == {kit.SUBS[0], kit.SUBS[1]}
    assert len(result.partial.resources) == 22
    assert [c.key for c in result.partial.certificates] == ["kv-open/a"]
    assert result.subscriptions == kit.SUBS


async def test_scope_and_exclusions_come_from_config(estate, serve, kit) -> None:
    big_estate(estate, kit, 4)
    _, endpoints = serve(estate)
    scope = ScopeConfig(subscriptions=kit.SUBS, exclude_subscriptions=(kit.SUBS[1].upper(),))
    result = await collect_azure(kit.context_for(endpoints, scope=scope), collectors=())
    assert result.subscriptions == (kit.SUBS[0], kit.SUBS[2])
    assert {r.subscription_id for r in result.partial.resources} == {kit.SUBS[0], kit.SUBS[2]}


async def test_used_up_quota_is_waited_for_and_never_exceeded(estate, serve, kit) -> None:
    # Resource Graph's quota: x-ms-user-quota-remaining / -resets-after on every answer, 429 without
    # Retry-After past it (learn.microsoft.com/en-us/azure/governance/resource-graph/concepts/
    # guidance-for-throttled-requests). Tightened to 3 queries per 5 s so one reset is met.
    big_estate(estate, kit, 2)
    estate.limits = {"arg_queries_per_5s": 3}
    emulator, endpoints = serve(estate)
    context = kit.context_for(endpoints, max_retry_wait_seconds=6)
    waits: list[float] = []

    async def record(seconds: float) -> None:
        waits.append(seconds)
        await asyncio.sleep(seconds)

    async with open_session(context.network) as session:
        credential = make_credential(context.network, context.cloud, context.tenant_id, session)
        clients = ClientFactory(cloud=context.cloud, credential=credential, session=session,
                                settings=context.config.collect)
        async with clients.mgmt(ResourceGraphClient) as client:
            graph = ResourceGraph(client, context.config.collect, sleep=record)
            for _ in range(4):
                rows = [r async for page in graph.pages("Resources | project id | order by id asc",
                                                        subscriptions=kit.SUBS) for r in page]
                assert len(rows) == 6
        await credential.close()
    assert len(waits) == 1 and 0 < waits[0] <= 5
    assert [e.status for e in emulator.log.entries("arg")] == ["200"] * 4   # paced: no 429 met


async def test_a_throttled_query_is_asked_again_not_split(estate, serve, kit) -> None:
    # A 429 from Resource Graph carries no Retry-After, which azure-core needs to retry a POST
    # (github.com/Azure/azure-sdk-for-python/issues/16623): the collector waits for the quota
    # reset and asks the same three-subscription query again, never one query per subscription.
    big_estate(estate, kit, 3)
    estate.fault(service="arg", match="Resources", status=429, times=1, retry_after=None)
    emulator, endpoints = serve(estate)
    result = await collect_azure(kit.context_for(endpoints, max_retry_wait_seconds=0.2), collectors=())
    assert result.partial.gaps == [] and len(result.partial.resources) == 9
    inventory = [e for e in emulator.log.entries("arg")]
    assert [e.status for e in inventory][-2:] == ["fault:429", "200"]


async def test_a_hidden_configured_subscription_is_a_gap_and_not_audited(estate, serve, kit) -> None:
    # Resource Graph silently leaves out subscriptions the caller cannot read; ARM's subscription
    # list does not name them (CONTRACT: "access": "none").
    big_estate(estate, kit, 2)
    estate.hidden = {kit.SUBS[2]}
    _, endpoints = serve(estate)
    result = await collect_azure(kit.context_for(endpoints, scope=ScopeConfig(subscriptions=kit.SUBS)),
                                 collectors=())
    assert [(g.source, g.target, g.reason) for g in result.partial.gaps] == [
        (Source.SUBSCRIPTION, kit.SUBS[2], GapReason.FORBIDDEN)]
    assert result.subscriptions == kit.SUBS[:2]
    assert {r.subscription_id for r in result.partial.resources} == set(kit.SUBS[:2])


async def test_no_valid_subscriptions_is_a_subscription_gap(estate, serve, kit) -> None:
    # ARG answers 400 NoValidSubscriptionsInQueryRequest when no subscription asked for is readable
    # (github.com/Azure/aztfexport/issues/331). Without ARM's list to check against, scope is trusted
    # and Resource Graph's answer is the only word.
    big_estate(estate, kit, 1)
    estate.hidden = {kit.SUBS[1]}
    _, endpoints = serve(estate)
    context = kit.context_for(endpoints, subscription_batch=1)
    async with open_session(context.network) as session:
        credential = make_credential(context.network, context.cloud, context.tenant_id, session)
        clients = ClientFactory(cloud=context.cloud, credential=credential, session=session,
                                settings=context.config.collect)
        async with clients.mgmt(ResourceGraphClient) as client:
            graph = ResourceGraph(client, context.config.collect)
            scan = InventoryScan([])
            gaps = await graph.scan(INVENTORY_QUERY, kit.SUBS, scan)
        await credential.close()
    assert [(g.source, g.target, g.reason) for g in gaps] == [(Source.SUBSCRIPTION, kit.SUBS[1], GapReason.FORBIDDEN)]
    assert "NoValidSubscriptionsInQueryRequest" in gaps[0].detail
    assert graph.unreadable == {kit.SUBS[1]}
    assert len(scan.resources) == 2


async def test_an_answer_over_the_size_limit_is_asked_for_in_smaller_pages(estate, serve, kit) -> None:
    # ResponsePayloadTooLarge past 16 MiB (github.com/microsoft/ARI/issues/199); tightened here.
    big_estate(estate, kit, 40)
    estate.limits = {"arg_max_response_bytes": 20_000}
    emulator, endpoints = serve(estate)
    result = await collect_azure(kit.context_for(endpoints), collectors=())
    assert len(result.partial.resources) == 120 and result.partial.gaps == []
    assert any(e.status == "400" for e in emulator.log.entries("arg"))


async def test_one_row_too_large_is_a_too_large_gap(estate, serve, kit) -> None:
    big_estate(estate, kit, 1)
    estate.limits = {"arg_max_response_bytes": 200}
    _, endpoints = serve(estate)
    result = await collect_azure(kit.context_for(endpoints, scope=ScopeConfig(subscriptions=kit.SUBS[:1])),
                                 collectors=())
    assert [(g.source, g.reason) for g in result.partial.gaps] == [(Source.ARG, GapReason.TOO_LARGE)]


async def test_a_management_group_with_nothing_readable_is_a_gap_saying_so(estate, serve, kit) -> None:
    # Every subscription hidden: Resource Graph's NoValidSubscriptionsInQueryRequest, not "unavailable",
    # and each subscription the group's descendants name is a gap of its own.
    big_estate(estate, kit, 1)
    estate.hidden = set(kit.SUBS)
    estate.management_groups = [{"name": "mg-platform", "subscriptions": list(kit.SUBS)}]
    _, endpoints = serve(estate)
    scope = ScopeConfig(management_groups=("mg-platform",))
    result = await collect_azure(kit.context_for(endpoints, scope=scope), collectors=())
    gaps = [(g.source, g.target, g.reason) for g in result.partial.gaps]
    assert gaps[0] == (Source.ARG, "mg-platform", GapReason.FORBIDDEN)
    assert "NoValidSubscriptionsInQueryRequest" in result.partial.gaps[0].detail
    assert sorted(gaps[1:]) == sorted((Source.SUBSCRIPTION, s, GapReason.FORBIDDEN) for s in kit.SUBS)
    assert result.subscriptions == ()


async def test_a_hidden_subscription_under_a_nested_group_is_a_gap_naming_it(estate, serve, kit) -> None:
    big_estate(estate, kit, 2)
    estate.hidden = {kit.SUBS[2]}
    estate.management_groups = [{"name": "mg-corp", "subscriptions": [kit.SUBS[0]]},
                                {"name": "mg-legacy", "parent": "mg-corp", "subscriptions": kit.SUBS[1:]}]
    emulator, endpoints = serve(estate)
    scope = ScopeConfig(management_groups=("mg-corp",))
    result = await collect_azure(kit.context_for(endpoints, scope=scope), collectors=())
    assert [(g.source, g.target, g.reason) for g in result.partial.gaps] == [
        (Source.SUBSCRIPTION, kit.SUBS[2], GapReason.FORBIDDEN)]
    assert "mg-corp" in result.partial.gaps[0].detail
    assert sorted(result.subscriptions) == sorted(kit.SUBS[:2])
    assert len(result.partial.resources) == 4
    assert any("/managementGroups/mg-corp/descendants" in e.key for e in emulator.log.entries("arm"))


async def test_a_group_the_identity_may_not_read_is_a_gap_saying_what_to_grant(estate, serve, kit) -> None:
    big_estate(estate, kit, 1)
    estate.management_groups = [{"name": "mg-platform", "subscriptions": list(kit.SUBS), "access": "none"}]
    _, endpoints = serve(estate)
    scope = ScopeConfig(management_groups=("mg-platform",))
    result = await collect_azure(kit.context_for(endpoints, scope=scope), collectors=())
    assert [(g.source, g.target, g.reason) for g in result.partial.gaps] == [
        (Source.ARM, "mg-platform", GapReason.FORBIDDEN)]
    assert "Management Group Reader" in result.partial.gaps[0].detail
    assert len(result.partial.resources) == 3        # what Resource Graph could read is still audited
