"""Host-name references scanned from real payloads: no file names, no OData type names."""

from __future__ import annotations

import json
import warnings
from typing import Any

from rest_examples import REST_EXAMPLES

from auditor.collect.references import property_references
from auditor.normalise.x509 import from_base64_der


def _body(relative: str) -> dict[str, Any]:
    body: dict[str, Any] = json.loads((REST_EXAMPLES / relative).read_text(encoding="utf-8"))["responses"]["200"]["body"]
    return body


def test_default_documents_are_not_host_names() -> None:
    hosts = {r.hostname for r in property_references(_body("web/2025-05-01/GetWebApp.json"))}
    assert hosts == {"sitef6141.azurewebsites.net", "sitef6141.scm.azurewebsites.net"}


def test_odata_discriminators_are_not_host_names_but_backends_are() -> None:
    refs = property_references(_body("frontdoor-classic/2026-04-01/FrontdoorGet.json"))
    hosts = {r.hostname for r in refs}
    assert not any(h.startswith("microsoft.azure.frontdoor") for h in hosts)
    assert {"w3.contoso.com", "contoso.com.website-us-west-2.othercloud.net", "www.contoso.com",
            "frontdoor1.azurefd.net", "www.bing.com"} <= hosts


def test_traffic_manager_probe_path_is_not_a_host_name() -> None:
    refs = property_references(_body("trafficmanager/2022-04-01/Profile-GET-WithTrafficViewEnabled.json"))
    assert "testpath.aspx" not in {r.hostname for r in refs}
    assert "foobar.contoso.com" in {r.hostname for r in refs}


def test_key_vault_example_certificate_reads_without_warnings() -> None:
    # The example's certificate has a negative serial: cryptography warns on stderr for each read.
    cer = _body("keyvault-dataplane/2026-04-01/GetCertificate-example.json")["cer"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        facts = from_base64_der(cer)
    assert facts.names == ("keyvaulttest",) and caught == []
