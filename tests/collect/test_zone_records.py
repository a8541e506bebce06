"""Pure parts of the zones-elsewhere support: reading exports with dnspython, the records they
give (spelled as Azure DNS record sets are), which zones matter, and the [dns] config keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.collect.zone_records import read_zone_file, records_of, soa_serial, zone_origin
from auditor.collect.zones_that_matter import delegation_candidates, hosts_by_domain, zone_of
from auditor.config import DecommissionConfig, parse_config
from auditor.errors import ConfigError
from auditor.model import ReferenceKind
from tests.rules.factories import binding, config, domain, healthy, reference, with_

# As Cloudflare exports a zone: absolute names, no $ORIGIN, ";;" comments and cf_tags.
# https://developers.cloudflare.com/dns/manage-dns-records/how-to/import-and-export/
CLOUDFLARE = """\
;;
;; Domain:     fabrikam.org.
;; Exported:   2025-09-01 10:00:00
;;
fabrikam.org.	3600	IN	SOA	abby.ns.cloudflare.com. dns.cloudflare.com. 2051234567 10000 2400 604800 3600
fabrikam.org.	86400	IN	NS	abby.ns.cloudflare.com.
www.fabrikam.org.	1	IN	CNAME	fabrikam-web.azurewebsites.net. ; cf_tags=cf-proxied:false
fabrikam.org.	1	IN	MX	10 mx.fabrikam.org.
fabrikam.org.	1	IN	TXT	"v=spf1 " "-all"
fabrikam.org.	1	IN	CAA	0 issue "digicert.com"
_sip._tls.fabrikam.org.	1	IN	SRV	100 1 443 sip.fabrikam.org.
api.fabrikam.org.	1	IN	A	192.0.2.10
"""


def test_a_cloudflare_export_without_origin_reads_from_its_soa(tmp_path: Path) -> None:
    path = tmp_path / "fabrikam.org.txt"
    path.write_text(CLOUDFLARE)
    zone = read_zone_file(path)
    assert zone_origin(zone) == "fabrikam.org" and soa_serial(zone) == 2051234567
    records = {(r.fqdn, r.type): r.values for r in records_of(zone, f"zone file {path}")}
    assert records[("www.fabrikam.org", "CNAME")] == ("fabrikam-web.azurewebsites.net",)
    assert records[("fabrikam.org", "MX")] == ("10 mx.fabrikam.org",)
    assert records[("fabrikam.org", "TXT")] == ("v=spf1 -all",)
    assert records[("fabrikam.org", "CAA")] == ('0 issue "digicert.com"',)
    assert records[("_sip._tls.fabrikam.org", "SRV")] == ("100 1 443 sip.fabrikam.org",)
    assert ("fabrikam.org", "SOA") not in records
    assert all(r.resource_id == "" and r.listed_from == f"zone file {path}" for r in records_of(zone, f"zone file {path}"))


def test_a_relative_bind_file_with_origin(tmp_path: Path) -> None:
    path = tmp_path / "db.corp"
    path.write_text("$ORIGIN corp.fabrikam.org.\n$TTL 300\n@ IN SOA ns1 host 3 1 1 1 1\nwww IN CNAME app\n"
                    "app IN A 10.0.0.4\n")
    records = {(r.fqdn, r.type): r.values for r in records_of(read_zone_file(path), "")}
    assert records[("www.corp.fabrikam.org", "CNAME")] == ("app.corp.fabrikam.org",)


@pytest.mark.parametrize(("text", "message"), [
    ("www IN CNAME app\n", r"has neither \$ORIGIN nor an SOA record"),
    ("$ORIGIN x.example.\n@ IN SOA broken\n", "is not an RFC 1035 zone file"),
    ("$ORIGIN x.example.\n$INCLUDE /etc/passwd\n", "is not an RFC 1035 zone file"),
])
def test_an_unusable_file_is_one_config_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.zone"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        read_zone_file(path)
    with pytest.raises(ConfigError, match="cannot read"):
        read_zone_file(tmp_path / "missing.zone")


def test_zones_that_matter_by_the_public_suffix_list() -> None:
    inv = with_(healthy(), custom_domains=(domain("www.shop.fabrikam.co.uk"), domain("old.azurewebsites.net")),
                bindings=(binding("api.fabrikam.org"),),
                references=(reference("origin.partner.example", ReferenceKind.FRONTDOOR_ORIGIN),
                            reference("api.stripe.com", ReferenceKind.APP_SETTING),
                            reference("login.fabrikam.org", ReferenceKind.APP_SETTING),
                            reference("myvault.vault.azure.net", ReferenceKind.APIM_BACKEND)))
    hosts = hosts_by_domain(inv, config(decommission=DecommissionConfig(retired_domains=("fabrikam-old.com",))))
    assert hosts["fabrikam.co.uk"] == ["www.shop.fabrikam.co.uk"]
    assert hosts["fabrikam.org"] == ["api.fabrikam.org", "login.fabrikam.org"]
    assert hosts["partner.example"] == ["origin.partner.example"]
    assert hosts["fabrikam-old.com"] == ["fabrikam-old.com"]
    assert "stripe.com" not in hosts and "azure.net" not in hosts and "old.azurewebsites.net" not in hosts
    assert set(delegation_candidates({"fabrikam.co.uk": ["www.shop.fabrikam.co.uk"]})) == {
        "www.shop.fabrikam.co.uk", "shop.fabrikam.co.uk"}
    assert zone_of("www.shop.fabrikam.co.uk", {"fabrikam.co.uk", "shop.fabrikam.co.uk"}) == "shop.fabrikam.co.uk"


def test_dns_config_keys() -> None:
    cfg = parse_config({"dns": {"zone_files": ["zones/a.zone"], "zone_transfer": ["Corp.Fabrikam.org."],
                                "zone_transfer_tsig_key_env": "AUDITOR_TSIG_KEY",
                                "unlisted_zones_acknowledged": ["Fabrikam.IO"]}})
    assert cfg.dns.zone_files == ("zones/a.zone",) and cfg.dns.zone_transfer == ("corp.fabrikam.org",)
    assert cfg.dns.unlisted_zones_acknowledged == ("fabrikam.io",)
    with pytest.raises(ConfigError, match="unknown key 'zone_file'"):
        parse_config({"dns": {"zone_file": []}})
    with pytest.raises(ConfigError, match="dns.zone_files has the wrong type"):
        parse_config({"dns": {"zone_files": "a.zone"}})
