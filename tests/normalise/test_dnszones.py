import json
from typing import Any

from rest_examples import REST_EXAMPLES

from auditor.normalise.dnszones import dns_record, dns_zone

EXAMPLES = (REST_EXAMPLES / "dns/2018-05-01")


def body(name: str, status: str = "200") -> Any:
    return json.loads((EXAMPLES / f"{name}.json").read_text())["responses"][status]["body"]


def test_real_record_sets() -> None:
    a = dns_record("zone1", body("GetARecordset"))
    assert a is not None and (a.fqdn, a.type, a.values) == ("record1.zone1", "A", ("127.0.0.1",))
    cname = dns_record("zone1", body("GetCNAMERecordset"))
    assert cname is not None and cname.values == ("contoso.com",) and cname.type == "CNAME"
    [txt] = body("ListTXTRecordset")["value"]
    record = dns_record("zone1", txt)
    assert record is not None and record.values == ("string1string2",)
    alias = dns_record("zone1", body("CreateOrUpdateARecordsetAlias"))
    assert alias is not None and alias.values == ()
    assert alias.target_resource_id is not None and alias.target_resource_id.endswith("/trafficManagerProfiles/testpp2")
    assert alias.resource_id.endswith("/dnsZones/zone1/A/record1")


def test_sdk_serialised_shapes_and_mixed_case() -> None:
    base = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/dnszones/contoso.com"
    sets = [
        {"id": base + "/CAA/@", "name": "@", "type": "Microsoft.Network/dnszones/CAA",
         "properties": {"TTL": 3600, "fqdn": "Contoso.com.", "caaRecords": [{"flags": 0, "tag": "issue", "value": "letsencrypt.org"}]}},
        {"id": base + "/CNAME/www", "name": "www", "type": "microsoft.network/dnsZones/cname",
         "properties": {"CNAMERecord": {"cname": "Shop.AzureFD.net."}, "targetResource": {"id": ""}}},
        {"id": base + "/MX/@", "name": "@", "type": "Microsoft.Network/dnszones/MX",
         "properties": {"MXRecords": [{"preference": 10, "exchange": "mail.contoso.com."}]}},
        {"id": base + "/SOA/@", "name": "@", "type": "Microsoft.Network/dnszones/SOA", "properties": {"SOARecord": {}}},
    ]
    zone = {"id": base, "name": "Contoso.com", "type": "Microsoft.Network/dnszones", "tags": {"auditor:retired": "true"}}
    extract = dns_zone(zone, sets)
    records = {r.type: r for r in extract.dns_records}
    assert set(records) == {"CAA", "CNAME", "MX"}
    assert records["CAA"].fqdn == "contoso.com" and records["CAA"].values == ('0 issue "letsencrypt.org"',)
    assert records["CNAME"].fqdn == "www.contoso.com" and records["CNAME"].values == ("shop.azurefd.net",)
    assert records["CNAME"].target_resource_id is None          # "" is no alias
    assert records["MX"].values == ("10 mail.contoso.com",)
    assert extract.resources[0].tags == {"auditor:retired": "true"}
    assert {r.zone for r in extract.dns_records} == {"contoso.com"}
