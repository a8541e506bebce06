from pathlib import Path

from service_harness import arm, run_collector, write_estate

from auditor.collect.dnszones import COLLECTOR
from auditor.model import GapReason

ZONE = "Microsoft.Network/dnszones"


def objects() -> list[dict]:
    zone = arm(ZONE, "contoso-legacy.net", {"numberOfRecordSets": 4}, location="global",
               tags={"auditor:retired": "true"})
    return [
        zone,
        arm(f"{ZONE}/CNAME", "contoso-legacy.net/login", {"TTL": 300, "fqdn": "login.contoso-legacy.net.",
                                                          "CNAMERecord": {"cname": "signin-app.azurewebsites.net"}}),
        arm(f"{ZONE}/A", "contoso-legacy.net/@", {"TTL": 300, "fqdn": "contoso-legacy.net.", "ARecords": [],
                                                  "targetResource": {"id": "/subscriptions/x/resourceGroups/r/providers/Microsoft.Network/trafficManagerProfiles/tm1"},
                                                  "ProvisioningState": "Succeeded"}),
        arm(f"{ZONE}/TXT", "contoso-legacy.net/_dnsauth.www", {"TTL": 3600, "TXTRecords": [{"value": ["abc", "def"]}]}),
        arm(f"{ZONE}/CAA", "contoso-legacy.net/@", {"TTL": 3600, "caaRecords": [
            {"flags": 0, "tag": "issue", "value": "digicert.com"}]}),
    ]


async def test_every_record_set(tmp_path: Path) -> None:
    partial = await run_collector(write_estate(tmp_path, objects()), COLLECTOR)
    assert partial.gaps == []
    records = {(r.fqdn, r.type): r for r in partial.dns_records}
    assert records[("login.contoso-legacy.net", "CNAME")].values == ("signin-app.azurewebsites.net",)
    alias = records[("contoso-legacy.net", "A")]
    assert alias.target_resource_id is not None and alias.target_resource_id.endswith("/trafficManagerProfiles/tm1")
    assert records[("_dnsauth.www.contoso-legacy.net", "TXT")].values == ("abcdef",)
    assert records[("contoso-legacy.net", "CAA")].values == ('0 issue "digicert.com"',)
    assert {r.zone for r in partial.dns_records} == {"contoso-legacy.net"}
    [zone] = partial.resources
    assert zone.tags == {"auditor:retired": "true"}


async def test_unreadable_zone_keeps_its_tags(tmp_path: Path) -> None:
    partial = await run_collector(write_estate(tmp_path, objects(), [
        {"service": "arm", "match": "/dnszones/contoso-legacy.net/all", "status": 403}]), COLLECTOR)
    [gap] = partial.gaps
    assert gap.reason is GapReason.FORBIDDEN and gap.detail.startswith("record sets not read")
    assert partial.dns_records == [] and partial.resources[0].tags == {"auditor:retired": "true"}
