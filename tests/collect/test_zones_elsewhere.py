"""Zones at other DNS providers, through the real command line: supplied by zone file, by zone
transfer (AXFR), or not at all (a `dns-zone` gap, acknowledgeable), a stale export, and Azure's
name-availability answer on every dangling record.

The estate's DNS serves three zones that are not Azure DNS zones (so ARM lists no record of
them): fabrikam.org (a live custom domain, and records nothing in Azure names), fabrikam-old.com
(retired, one CNAME still at the app) and fabrikam.io (a custom domain; its server refuses AXFR,
as most providers do: https://learn.microsoft.com/en-us/azure/dns/dns-faq says Azure DNS has no
zone transfer at all). fab-shop.azurewebsites.net is held by another tenant (names_taken_elsewhere).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from auditor.estate.builder import EstateSpec, HostName, Record, Site, Zone, build_estate

ZONES = ("fabrikam.org", "fabrikam-old.com", "fabrikam.io")
RETIRED = '[decommission]\nretired_domains = ["fabrikam-old.com"]\n'
ESTATE = EstateSpec(
    sites=(Site("fabrikam-web", host_names=(HostName("www.fabrikam.org"), HostName("shop.fabrikam.io"))),),
    zones=(
        Zone("fabrikam.org", azure=False, axfr=True, records=(
            Record("legacy", "CNAME", ("gone-app.azurewebsites.net",)),       # free: anyone can take it
            Record("partner", "CNAME", ("fab-shop.azurewebsites.net",)),      # another tenant holds it
            Record("jobs", "CNAME", ("fab-jobs.azurecontainerapps.io",)),     # no availability check exists
        )),
        Zone("fabrikam-old.com", azure=False, axfr=True, records=(
            Record("portal", "CNAME", ("{site:fabrikam-web}",)),
        )),
        Zone("fabrikam.io", azure=False),
        Zone("azurewebsites.net", azure=False, records=(Record("fab-shop", "A", ("20.7.7.8",)),)),
    ),
    names_taken_elsewhere=("fab-shop.azurewebsites.net",),
    config=RETIRED,
)


def auditor(*args: str) -> tuple[int, dict[str, Any], str]:
    result = subprocess.run([sys.executable, "-m", "auditor", *args], capture_output=True, text=True,
                            timeout=120, check=False)
    assert "Traceback" not in result.stderr, result.stderr
    return result.returncode, json.loads(result.stdout) if result.stdout.strip() else {}, result.stderr


@pytest.fixture(scope="module")
def estate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = build_estate(ESTATE, tmp_path_factory.mktemp("elsewhere") / "estate")
    exports = path.parent / "exports"
    exports.mkdir()
    for zone in ZONES:   # what each provider's export gives: the same master file the zone serves
        shutil.copy(path / "dns" / f"{zone}.zone", exports / f"{zone}.zone")
    return path


def config(estate: Path, name: str, dns: str) -> Path:
    path = estate.parent / f"{name}.toml"
    path.write_text(RETIRED + "[dns]\n" + dns, encoding="utf-8")
    return path


def audit(estate: Path, cfg: Path) -> tuple[int, dict[str, Any]]:
    code, report, _ = auditor("audit", "--estate", str(estate), "--config", str(cfg), "--format", "json",
                              "--no-history")
    return code, report


def decommission(estate: Path, cfg: Path, target: str) -> tuple[int, dict[str, Any]]:
    code, answer, _ = auditor("decommission", "check", target, "--estate", str(estate), "--config", str(cfg),
                              "--format", "json")
    return code, answer


def gaps(report: dict[str, Any]) -> set[tuple[str, str, str]]:
    return {(g["source"], g["target"], g["reason"]) for g in report["coverage"]["gaps"]}


def dangling(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["subject"]: f for f in report["findings"] if f["rule"] == "dangling-dns"}


@pytest.fixture(scope="module")
def by_file(estate: Path) -> Path:
    return config(estate, "by-file", "zone_files = [" + ", ".join(f'"exports/{z}.zone"' for z in ZONES) + "]\n")


@pytest.fixture(scope="module")
def by_file_audit(estate: Path, by_file: Path) -> tuple[int, dict[str, Any]]:
    return audit(estate, by_file)


def test_a_zone_file_makes_its_dangling_records_visible(by_file_audit: tuple[int, dict[str, Any]]) -> None:
    code, report = by_file_audit
    assert code == 1
    assert report["coverage"]["complete"] is True, report["coverage"]
    assert set(dangling(report)) == {"legacy.fabrikam.org", "partner.fabrikam.org", "jobs.fabrikam.org"}
    # the retired domain's CNAME, known only from its export, feeds retired-domain-in-use too
    retired = [f for f in report["findings"] if f["rule"] == "retired-domain-in-use"]
    assert [f["subject"] for f in retired] == ["portal.fabrikam-old.com"]
    assert retired[0]["evidence"]["kinds"] == ["dns-record"]


def test_name_availability_available_taken_elsewhere_and_not_applicable(
        by_file_audit: tuple[int, dict[str, Any]]) -> None:
    found = dangling(by_file_audit[1])
    free, taken, none = found["legacy.fabrikam.org"], found["partner.fabrikam.org"], found["jobs.fabrikam.org"]
    assert (free["severity"], free["evidence"]["available"]) == ("critical", True)
    assert free["evidence"]["availability_check"] == "Microsoft.Web/checkNameAvailability"
    assert "anyone can register it today" in free["title"]
    assert (taken["severity"], taken["evidence"]["available"], taken["evidence"]["owned_elsewhere"]) == \
        ("high", False, True)
    assert "owned elsewhere" in taken["title"] and "AlreadyExists" in taken["evidence"]["availability_detail"]
    assert none["evidence"]["available"] is None and none["evidence"]["availability_check"] is None
    assert none["evidence"]["nxdomain"] is True and none["severity"] == "critical"


def test_decommission_lists_a_record_of_the_retired_domain_from_its_zone_file(estate: Path, by_file: Path) -> None:
    code, answer = decommission(estate, by_file, "fabrikam-old.com")
    assert code == 1 and answer["safe"] is False and answer["complete"] is True
    [record] = [d for d in answer["dependents"] if d["kind"] == "dns-record"]
    assert record["hostname"] == "portal.fabrikam-old.com" and record["resource_id"] == ""
    assert "at the DNS provider that serves fabrikam-old.com" in record["remove"]
    assert "zone file" in record["remove"]


def test_the_same_by_zone_transfer_and_a_refused_transfer_is_a_gap(estate: Path) -> None:
    cfg = config(estate, "by-axfr", 'zone_transfer = ["fabrikam.org", "fabrikam-old.com", "fabrikam.io"]\n')
    code, report = audit(estate, cfg)
    assert set(dangling(report)) == {"legacy.fabrikam.org", "partner.fabrikam.org", "jobs.fabrikam.org"}
    assert gaps(report) == {("dns-zone", "fabrikam.io", "not-listable")}
    [refused] = report["coverage"]["gaps"]
    assert "refused the zone transfer (REFUSED)" in refused["detail"] and code == 1
    code, answer = decommission(estate, cfg, "fabrikam-old.com")
    assert code == 1 and [d["hostname"] for d in answer["dependents"] if d["kind"] == "dns-record"] == \
        ["portal.fabrikam-old.com"]
    assert "zone transfer from 127.0.0.1" in answer["dependents"][0]["remove"] or any(
        "zone transfer from" in d["remove"] for d in answer["dependents"])


def test_neither_is_a_dns_zone_gap_naming_both_ways_to_supply_it(estate: Path) -> None:
    cfg = config(estate, "neither", "")
    code, report = audit(estate, cfg)
    assert code == 3 and report["coverage"]["complete"] is False
    assert gaps(report) == {("dns-zone", z, "not-listable") for z in ZONES}
    org = next(g for g in report["coverage"]["gaps"] if g["target"] == "fabrikam.org")
    assert "www.fabrikam.org" in org["detail"]
    assert "dns.zone_files" in org["detail"] and "dns.zone_transfer" in org["detail"]
    assert not dangling(report)   # what the audit cannot list, it cannot judge: hence the gap
    code, answer = decommission(estate, cfg, "fabrikam-old.com")
    assert code == 3 and answer["safe"] is False and answer["complete"] is False
    # any unlisted zone could hold a record pointing into the target
    assert {g["target"] for g in answer["gaps"]} == set(ZONES)


def test_an_acknowledged_zone_is_listed_but_not_exit_3_and_never_safe(estate: Path) -> None:
    cfg = config(estate, "acknowledged", "unlisted_zones_acknowledged = [" + ", ".join(f'"{z}"' for z in ZONES)
                 + "]\n")
    code, report = audit(estate, cfg)
    assert code == 0 and report["coverage"]["complete"] is True
    assert gaps(report) == {("dns-zone", z, "not-listable") for z in ZONES}
    assert all(g["acknowledged"] is True for g in report["coverage"]["gaps"])
    code, answer = decommission(estate, cfg, "fabrikam-old.com")
    assert code == 3 and answer["safe"] is False and answer["complete"] is False
    assert [g["target"] for g in answer["gaps"]] == ["fabrikam-old.com"]   # the others were accepted


def test_a_stale_zone_file_is_reported(estate: Path) -> None:
    exports = estate.parent / "exports"
    text = (exports / "fabrikam.org.zone").read_text(encoding="utf-8")
    stale = text.replace(" 1 3600 300 2419200 300", " 0 3600 300 2419200 300").replace(
        "gone-app.azurewebsites.net.", "old-app.azurewebsites.net.")
    assert stale != text
    (exports / "stale-fabrikam.org.zone").write_text(stale, encoding="utf-8")
    cfg = config(estate, "stale", 'zone_files = ["exports/stale-fabrikam.org.zone", "exports/fabrikam-old.com.zone",'
                                  ' "exports/fabrikam.io.zone"]\n')
    code, report = audit(estate, cfg)
    assert gaps(report) == {("dns-zone", "fabrikam.org", "stale")}
    [gap] = report["coverage"]["gaps"]
    assert "SOA serial 0 in the file, 1 on the servers" in gap["detail"]
    assert "legacy.fabrikam.org CNAME: file old-app.azurewebsites.net, servers gone-app.azurewebsites.net" \
        in gap["detail"]
    assert code == 1   # the export's records still count: old-app is dangling too


def test_an_unreadable_zone_file_is_one_clear_error(estate: Path) -> None:
    (estate.parent / "exports" / "broken.zone").write_text("$ORIGIN broken.example.\n@ IN SOA nonsense\n")
    cfg = config(estate, "broken", 'zone_files = ["exports/broken.zone"]\n')
    code, _, stderr = auditor("audit", "--estate", str(estate), "--config", str(cfg), "--format", "json",
                              "--no-history")
    assert code == 2 and "broken.zone is not an RFC 1035 zone file" in stderr
    assert len(stderr.strip().splitlines()) == 1
