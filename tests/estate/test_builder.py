"""A small described estate: the files it produces are consistent with each other and readable."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest

from auditor.errors import EstateError
from auditor.estate.builder import (
    AppServiceCertificate,
    Endpoint,
    EstateSpec,
    Fault,
    FrontDoor,
    FrontDoorDomain,
    HostName,
    Origin,
    OriginGroup,
    Record,
    Site,
    Validity,
    Vault,
    VaultCertificate,
    Zone,
    build_estate,
)
from auditor.estate.load import Estate, load_estate

from .estate_facts import (
    arm_by_id,
    arm_of_type,
    bundle_cert,
    chains_to,
    current_bundle,
    key_matches,
    load_zones,
    lookup,
    read_json,
    read_served,
    resolve,
    thumbprint,
    trust_root,
    x5t_of,
)

AS_OF = datetime(2025, 9, 10, tzinfo=UTC)

SPEC = EstateSpec(
    vaults=(Vault("kv-app", certificates=(
        VaultCertificate("www-example-com", ("www.example.com",), not_after="+200d", older=(Validity("-2d"),)),
        VaultCertificate("legacy", ("*.example.org",), issuer="Unknown", not_after="-3d"),
    )),),
    app_service_certificates=(
        AppServiceCertificate("www-cert", key_vault="kv-app/www-example-com"),
        AppServiceCertificate("api-cert", source="uploaded", names=("api.example.com",), not_after="+10d"),
    ),
    sites=(
        Site("example-www", host_names=(HostName("www.example.com", "www-cert"),)),
        Site("example-api", kind="functionapp", min_tls="1.0", app_settings={"CALLBACK": "https://login.example.org/cb"},
             host_names=(HostName("api.example.com", "api-cert"),)),
    ),
    front_doors=(FrontDoor("fd-example", domains=(
        FrontDoorDomain("shop.example.com"),
        FrontDoorDomain("old.example.org", certificate="kv-app/legacy"),
    ), origin_groups=(OriginGroup("og", (Origin("example-www.azurewebsites.net"),)),)),),
    zones=(
        Zone("example.com", records=(Record("@", "CAA", ('0 issue "digicert.com"',)),
                                     Record("gone", "CNAME", ("example-gone.azurewebsites.net",)))),
        Zone("example.org"),
    ),
    endpoints=(Endpoint("api.example.com", chain="leaf-only", min_version="TLSv1"),),
    faults=(Fault("arm", "example-api", 429, times=2, retry_after=1),),
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_estate(SPEC, tmp_path_factory.mktemp("small") / "estate")


@pytest.fixture(scope="module")
def estate(built: Path) -> Estate:
    return load_estate(built)


def test_output_loads_as_an_estate(estate: Estate) -> None:
    assert estate.as_of == AS_OF
    assert estate.subscription_ids == [SPEC.subscriptions[0].id]
    assert set(estate.keyvault["kv-app"]) == {"www-example-com", "legacy"}
    assert len(estate.keyvault["kv-app"]["www-example-com"]) == 2
    assert [(f.service, f.match, f.status, f.times) for f in estate.faults] == [("arm", "example-api", 429, 2)]


def test_every_child_lives_under_its_parent_and_every_reference_resolves(estate: Estate) -> None:
    objects = arm_by_id(estate.arm)
    sub = SPEC.subscriptions[0].id
    for rid in objects:
        assert rid.startswith(f"/subscriptions/{sub}/resourcegroups/"), rid
    for obj in estate.arm:
        kind = obj["type"].lower()
        if kind.count("/") > 1:   # a child: its parent is in the estate too
            parent = "/".join(obj["id"].lower().split("/")[:9])
            assert parent in objects, obj["id"]
    references: list[str] = []
    for route in arm_of_type(estate.arm, "Microsoft.Cdn/profiles/afdendpoints/routes"):
        references += [d["id"] for d in route["properties"]["customDomains"]]
        references.append(route["properties"]["originGroup"]["id"])
    for domain in arm_of_type(estate.arm, "Microsoft.Cdn/profiles/customdomains"):
        references.append(domain["properties"]["tlsSettings"]["secret"]["id"])
        references.append(domain["properties"]["azureDnsZone"]["id"])
    assert len(references) == 7
    for ref in references:
        assert ref.lower() in objects, ref
    sites = {s["name"]: s for s in arm_of_type(estate.arm, "Microsoft.Web/sites")}
    assert sites["example-api"]["kind"] == "functionapp"
    configs = {o["id"].lower() for o in arm_of_type(estate.arm, "Microsoft.Web/sites/config")}
    site_id = sites["example-api"]["id"].lower()
    assert {f"{site_id}/config/{n}" for n in ("appsettings", "connectionstrings", "web", "authsettingsv2")} <= configs


def test_bound_thumbprints_are_what_the_endpoint_serves(estate: Estate, built: Path) -> None:
    web_certs = {o["properties"]["thumbprint"] for o in arm_of_type(estate.arm, "Microsoft.Web/certificates")}
    checked = 0
    for site in arm_of_type(estate.arm, "Microsoft.Web/sites"):
        for state in site["properties"]["hostNameSslStates"]:
            if state["sslState"] == "SniEnabled":
                served = read_served(built, state["name"])
                assert thumbprint(served.leaf) == state["thumbprint"]
                assert state["thumbprint"] in web_certs
                checked += 1
    for binding in arm_of_type(estate.arm, "Microsoft.Web/sites/hostNameBindings"):
        if binding["properties"]["thumbprint"]:
            host = binding["name"].split("/", 1)[1]
            assert thumbprint(read_served(built, host).leaf) == binding["properties"]["thumbprint"]
    legacy = current_bundle(estate.keyvault["kv-app"]["legacy"])
    secret = next(s for s in arm_of_type(estate.arm, "Microsoft.Cdn/profiles/secrets")
                  if s["properties"]["parameters"]["type"] == "CustomerCertificate")
    assert secret["properties"]["parameters"]["thumbprint"] == thumbprint(bundle_cert(legacy))
    assert secret["properties"]["parameters"]["thumbprint"] == thumbprint(read_served(built, "old.example.org").leaf)
    assert checked == 2


def test_key_vault_bundles_are_self_consistent(estate: Estate) -> None:
    for certs in estate.keyvault.values():
        for versions in certs.values():
            for bundle in versions:
                cert = bundle_cert(bundle)
                assert bundle["x5t"] == x5t_of(cert)
                assert bundle["attributes"]["exp"] == int(cert.not_valid_after_utc.timestamp())
                assert bundle["id"].endswith("/" + bundle["id"].rsplit("/", 1)[1])
    www = estate.keyvault["kv-app"]["www-example-com"]
    current = bundle_cert(current_bundle(www))
    assert current.not_valid_after_utc > AS_OF
    assert min(bundle_cert(b).not_valid_after_utc for b in www) < AS_OF
    legacy = current_bundle(estate.keyvault["kv-app"]["legacy"])
    assert legacy["policy"]["issuer"]["name"] == "Unknown"
    assert [a["action"]["action_type"] for a in legacy["policy"]["lifetime_actions"]] == ["EmailContacts"]


def test_zone_files_parse_and_agree_with_the_record_sets(estate: Estate, built: Path) -> None:
    zones = load_zones(built)
    assert {"example.com", "example.org", "azurewebsites.net", "azurefd.net", "trafficmanager.net",
            "blob.core.windows.net"} <= set(zones)
    chain, addresses = resolve(zones, "www.example.com")
    assert chain == ["example-www.azurewebsites.net"] and addresses
    record_sets = {o["id"].lower(): o for o in arm_of_type(estate.arm, "Microsoft.Network/dnszones/CNAME")}
    www = next(o for rid, o in record_sets.items() if rid.endswith("/cname/www"))
    assert www["properties"]["CNAMERecord"]["cname"] == "example-www.azurewebsites.net"
    assert www["properties"]["fqdn"] == "www.example.com"
    assert lookup(zones, "gone.example.com", "CNAME") == ["example-gone.azurewebsites.net"]
    assert resolve(zones, "gone.example.com") == (["example-gone.azurewebsites.net"], [])
    caa = arm_of_type(estate.arm, "Microsoft.Network/dnszones/CAA")
    assert caa[0]["properties"]["CAARecords"] == [{"flags": 0, "tag": "issue", "value": "digicert.com"}]
    chain, addresses = resolve(zones, "old.example.org")
    assert chain[0].endswith(".z01.azurefd.net") and addresses


def test_every_endpoint_serves_its_key_and_a_trusted_chain_unless_told_otherwise(built: Path) -> None:
    anchor = trust_root(built)
    pems = sorted(p.name[:-4] for p in (built / "tls").glob("*.pem"))
    assert "www.example.com" in pems and "_default" in pems
    for host in pems:
        served = read_served(built, host)
        assert key_matches(served), host
        if host == "api.example.com":
            assert len(served.chain) == 1 and not chains_to(served.chain, anchor)
        else:
            assert chains_to(served.chain, anchor), host
    assert read_json(built / "tls" / "api.example.com.json") == {"min_version": "TLSv1"}


def test_builds_differ_only_in_key_material(built: Path, tmp_path: Path) -> None:
    again = build_estate(SPEC, tmp_path / "again")

    def files(root: Path) -> list[str]:
        return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())

    def shape(root: Path) -> list[tuple[str, str, str]]:
        return sorted((o["id"], o["name"], o["type"]) for o in load_estate(root).arm)

    assert files(built) == files(again)
    assert shape(built) == shape(again)
    for stable in ["estate.json", "faults.json", *[f for f in files(built) if f.startswith("dns/")]]:
        assert (built / stable).read_text() == (again / stable).read_text(), stable


def test_an_earlier_estate_is_replaced_but_other_folders_are_left_alone(tmp_path: Path) -> None:
    small = EstateSpec(zones=(Zone("example.net"),))
    out = build_estate(small, tmp_path / "e")
    (out / "stale.txt").write_text("left from a previous build")
    build_estate(small, out)
    assert not (out / "stale.txt").exists()
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    with pytest.raises(EstateError, match="not empty"):
        build_estate(small, other)
    assert (other / "notes.txt").read_text() == "mine"


@pytest.mark.parametrize(("spec", "message"), [
    (EstateSpec(app_service_certificates=(AppServiceCertificate("c", key_vault="kv/none"),)),
     "no Key Vault certificate 'kv/none'"),
    (EstateSpec(vaults=(Vault("kv", certificates=(VaultCertificate("c", ("a.b",), not_after="soon"),)),)),
     "'soon' is neither"),
    (EstateSpec(zones=(Zone("example.com", subscription="nope"),)), "unknown subscription 'nope'"),
    (EstateSpec(sites=(Site("s", host_names=(HostName("a.example.com", "missing"),)),)),
     "no App Service certificate 'missing'"),
    (EstateSpec(endpoints=(Endpoint("nowhere.example.com", min_version="TLSv1"),)), "nothing is bound"),
    (dataclasses.replace(SPEC, endpoints=(Endpoint("www.example.com", key="rsa512"),)), "key must be one of"),
    (dataclasses.replace(SPEC, endpoints=(Endpoint("www.example.com", eku="emailProtection"),)), "eku must be"),
    (dataclasses.replace(SPEC, endpoints=(Endpoint("www.example.com", ocsp="maybe"),)), "ocsp must be one of"),
    (dataclasses.replace(SPEC, endpoints=(Endpoint("www.example.com", chain="shuffled"),)), "chain must be one of"),
    (EstateSpec(zones=(Zone("example.com", records=(Record("x", "CNAME", ("{site:ghost}",)),)),)),
     "names no site"),
    (EstateSpec(config="[decommission]\nretired = 1\n"), "unknown key 'retired'"),
])
def test_bad_descriptions_fail_with_one_clear_line(spec: EstateSpec, message: str, tmp_path: Path) -> None:
    with pytest.raises(EstateError, match=message) as info:
        build_estate(spec, tmp_path / "e")
    assert "\n" not in str(info.value)
    assert not (tmp_path / "e").exists()




def test_records_can_be_added_to_provided_zones_and_name_generated_hosts(tmp_path: Path) -> None:
    spec = EstateSpec(
        front_doors=(FrontDoor("fd", endpoints=("web",)),),
        zones=(Zone("trafficmanager.net", azure=False,
                    records=(Record("contoso-tm", "CNAME", ("{endpoint:fd/web}",)),)),),
    )
    out = build_estate(spec, tmp_path / "e")
    chain, addresses = resolve(load_zones(out), "contoso-tm.trafficmanager.net")
    assert len(chain) == 1 and chain[0].startswith("web-") and chain[0].endswith(".z01.azurefd.net")
    assert addresses
    assert not arm_of_type(load_estate(out).arm, "Microsoft.Network/dnszones")
