"""The inventory query's projection: propertyless types come without properties, every
other type keeps them, and nothing the audit reads is among the propertyless ones."""

import json

from auditor.collect.arg_query import INVENTORY_QUERY, PROPERTYLESS_TYPES
from auditor.collect.azure import COLLECTORS, collect_azure
from auditor.collect.keyvault import COLLECTOR as KEYVAULT
from auditor.collect.traffic import TRAFFIC_TYPES
from auditor.emulator import Emulator
from auditor.emulator.http.resource_graph import ResourceTable
from auditor.model.reference import ReferenceKind
from auditor.normalise.resources import NAME_OWNING_TYPES


def test_no_type_the_audit_reads_loses_its_properties() -> None:
    read = {t.lower() for c in COLLECTORS for t in c.types} | set(NAME_OWNING_TYPES) | set(TRAFFIC_TYPES)
    assert read, "the collectors declare the types they read"
    assert not read & set(PROPERTYLESS_TYPES)
    assert all(t == t.lower() for t in PROPERTYLESS_TYPES)


def _nsg(kit, sub: str, name: str) -> dict:
    # A realistic NSG: its rules are most of its bytes, and name no host.
    rules = [{"name": f"rule{i}", "properties": {"priority": 100 + i, "access": "Allow", "protocol": "Tcp",
                                                  "sourceAddressPrefix": "VirtualNetwork",
                                                  "destinationPortRange": str(8000 + i)}} for i in range(40)]
    return {"id": f"{kit.rg_id(sub, 'rg-net')}/providers/Microsoft.Network/networkSecurityGroups/{name}",
            "name": name, "type": "Microsoft.Network/networkSecurityGroups", "location": "westeurope",
            "tags": {"team": "net"}, "properties": {"securityRules": rules, "note": "see old.contoso.com"}}


async def test_propertyless_rows_come_without_properties_and_others_keep_theirs(estate, serve, kit) -> None:
    sub = kit.SUBS[0]
    for i in range(30):
        estate.add(_nsg(kit, sub, f"nsg{i:02d}"))
    estate.storage_account(sub, "stkept")
    emulator, endpoints = serve(estate)

    result = await collect_azure(kit.context_for(endpoints), collectors=())

    resources = {r.name: r for r in result.partial.resources}
    assert len(resources) == 31 and result.partial.gaps == []
    assert resources["nsg07"].type == "microsoft.network/networksecuritygroups"
    assert resources["nsg07"].tags == {"team": "net"}           # the row is there, only properties are not
    refs = {(r.kind, r.hostname) for r in result.partial.references}
    assert (ReferenceKind.RESOURCE_PROPERTY, "stkept.blob.core.windows.net") in refs
    assert not any(h == "old.contoso.com" for _, h in refs)   # documented: NSG properties are not read
    assert resources["stkept"].default_hostnames[0] == "stkept.blob.core.windows.net"


def test_the_projection_runs_in_resource_graph_so_the_answer_is_smaller(kit) -> None:
    # The bytes that cross the wire are what the 16 MiB limit and the client's parse pay for.
    sub = kit.SUBS[0]
    table = ResourceTable([_nsg(kit, sub, f"nsg{i:02d}") for i in range(30)], [], "tenant")
    try:
        columns, _, projected = table.run(INVENTORY_QUERY, [sub])
        full = INVENTORY_QUERY.replace(
            f"properties = iff(type in~ ({', '.join(repr(t) for t in sorted(PROPERTYLESS_TYPES))}), "
            "dynamic(null), properties)", "properties")
        assert full != INVENTORY_QUERY
        _, _, unprojected = table.run(full, [sub])
    finally:
        table.close()
    assert len(projected) == len(unprojected) == 30
    assert all(row[columns.index("properties")] is None for row in projected)
    size = lambda rows: len(json.dumps([[str(v) for v in row] for row in rows]))  # noqa: E731
    assert size(projected) * 10 < size(unprojected)


def _vaults_and_bulk(estate, kit, bulk_per_subscription: int) -> None:
    for s, sub in enumerate(kit.SUBS):
        estate.vault(sub, f"kv-{s}")
        estate.kv_certificate(f"kv-{s}", "www", [(f"v{s}", kit.AS_OF - kit.days(10), kit.AS_OF + kit.days(80))],
                              [f"www{s}.contoso.com"])
        for i in range(bulk_per_subscription):
            estate.storage_account(sub, f"st{s}x{i:04d}")


async def test_the_collectors_start_while_the_rest_of_the_inventory_is_paged(estate, serve, kit) -> None:
    # The collectors' rows come first, so Key Vault is read during the bulk rows' pages.
    _vaults_and_bulk(estate, kit, 1000)
    emulator = Emulator(estate.write(), latency={"arg": 0.4})
    try:
        endpoints = emulator.start()
        result = await collect_azure(kit.context_for(endpoints), collectors=(KEYVAULT,))
    finally:
        emulator.stop()
    assert result.partial.gaps == []
    assert len(result.partial.resources) == 3003
    assert sorted(c.key for c in result.partial.certificates) == ["kv-0/www", "kv-1/www", "kv-2/www"]
    pages = [e.at for e in emulator.log.entries("arg") if e.status == "200"]
    vault_reads = [e.at for e in emulator.log.entries("keyvault")]
    assert len(pages) >= 4 and vault_reads
    assert min(vault_reads) < max(pages)


async def test_with_one_subscription_a_batch_every_vault_is_still_read(estate, serve, kit) -> None:
    # Early start waits for the last batch: no batch's collector rows can be missed.
    _vaults_and_bulk(estate, kit, 30)
    _, endpoints = serve(estate)
    result = await collect_azure(kit.context_for(endpoints, subscription_batch=1), collectors=(KEYVAULT,))
    assert result.partial.gaps == []
    assert sorted(c.key for c in result.partial.certificates) == ["kv-0/www", "kv-1/www", "kv-2/www"]
    assert len(result.partial.resources) == 93
