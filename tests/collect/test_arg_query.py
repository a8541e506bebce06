"""The inventory query's projection: propertyless types come without properties, every
other type keeps them, and nothing the audit reads is among the propertyless ones."""

import json

from auditor.collect.arg_query import INVENTORY_QUERY, PROPERTYLESS_TYPES
from auditor.collect.azure import COLLECTORS, collect_azure
from auditor.collect.traffic import TRAFFIC_TYPES
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
