"""The TOML form of a description reads into the same dataclasses the Python API builds."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.errors import EstateError
from auditor.estate.builder import (
    AppServiceCertificate,
    EstateSpec,
    Fault,
    FrontDoor,
    FrontDoorDomain,
    HostName,
    Origin,
    OriginGroup,
    Record,
    Site,
    Subscription,
    Validity,
    Vault,
    VaultCertificate,
    Zone,
    build_estate,
    load_spec,
)

TOML = '''
as_of = "2025-09-10T00:00:00Z"
config = """
[decommission]
retired_domains = ["example.org"]
"""

[[subscriptions]]
id = "11111111-1111-1111-1111-111111111111"
name = "Prod"

[[vaults]]
name = "kv-app"
readable = false
[[vaults.certificates]]
name = "www"
names = ["www.example.com"]
not_after = "+200d"
older = [{ not_after = "-2d" }]
tags = { team = "web" }

[[app_service_certificates]]
name = "www"
key_vault = "kv-app/www"
pinned = 1

[[sites]]
name = "example-www"
host_names = [{ name = "www.example.com", certificate = "www" }]
app_settings = { CALLBACK = "https://login.example.org/cb" }

[[front_doors]]
name = "fd"
domains = [{ host = "shop.example.com", validation = "Pending" }]
origin_groups = [{ name = "og", origins = [{ host = "example-www.azurewebsites.net" }] }]

[[zones]]
name = "example.com"
records = [{ name = "@", type = "CAA", values = ['0 issue "digicert.com"'] }]

[[faults]]
service = "dns"
match = "example.com"
status = "servfail"
times = 1
'''

EXPECTED = EstateSpec(
    as_of="2025-09-10T00:00:00Z",
    config='[decommission]\nretired_domains = ["example.org"]\n',
    subscriptions=(Subscription("11111111-1111-1111-1111-111111111111", "Prod"),),
    vaults=(Vault("kv-app", readable=False, certificates=(
        VaultCertificate("www", ("www.example.com",), not_after="+200d", older=(Validity("-2d"),),
                         tags={"team": "web"}),)),),
    app_service_certificates=(AppServiceCertificate("www", key_vault="kv-app/www", pinned=1),),
    sites=(Site("example-www", host_names=(HostName("www.example.com", "www"),),
                app_settings={"CALLBACK": "https://login.example.org/cb"}),),
    front_doors=(FrontDoor("fd", domains=(FrontDoorDomain("shop.example.com", validation="Pending"),),
                           origin_groups=(OriginGroup("og", (Origin("example-www.azurewebsites.net"),)),)),),
    zones=(Zone("example.com", records=(Record("@", "CAA", ('0 issue "digicert.com"',)),)),),
    faults=(Fault("dns", "example.com", "servfail", times=1),),
)


def test_toml_reads_into_the_same_description(tmp_path: Path) -> None:
    path = tmp_path / "estate.toml"
    path.write_text(TOML)
    assert load_spec(path) == EXPECTED


def test_a_toml_description_builds(tmp_path: Path) -> None:
    path = tmp_path / "estate.toml"
    path.write_text(TOML)
    out = build_estate(load_spec(path), tmp_path / "estate")
    assert (out / "auditor.toml").read_text().strip().endswith('retired_domains = ["example.org"]')
    faults = (out / "faults.json").read_text()
    assert '"servfail"' in faults and '"kv-app"' in faults


@pytest.mark.parametrize(("text", "message"), [
    ('[[sites]]\nname = "a"\nhostnames = []\n', "sites\\[0\\] \\(a\\): unknown key 'hostnames'"),
    ('[[sites]]\nkind = "app"\n', "missing key 'name'"),
    ('[[vaults]]\nname = "kv"\nreadable = "no"\n', "readable: 'no' must be bool"),
    ('[[zones]]\nname = "a.com"\nrecords = "www"\n', "records: must be a list"),
    ('as_of = \n', "not valid TOML"),
])
def test_bad_toml_fails_with_one_clear_line(text: str, message: str, tmp_path: Path) -> None:
    path = tmp_path / "estate.toml"
    path.write_text(text)
    with pytest.raises(EstateError, match=message) as info:
        load_spec(path)
    assert "\n" not in str(info.value)


def test_a_missing_description_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EstateError, match="cannot read estate description"):
        load_spec(tmp_path / "nope.toml")


def test_the_command_line_builds_or_says_why_not(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from auditor.estate.builder.__main__ import main

    path = tmp_path / "estate.toml"
    path.write_text(TOML)
    assert main([str(path), str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "estate.json").is_file()
    assert main([str(tmp_path / "missing.toml"), str(tmp_path / "out2")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot read estate description" in err
