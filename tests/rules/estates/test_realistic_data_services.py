"""Friendly names for data services: search.fabrikam.com CNAME to an Azure AI Search service
(whose ARM object never writes its host name: it is `<name>.search.windows.net`) and
analytics.fabrikam.com CNAME to an HDInsight cluster (named in its connectivityEndpoints). Both
services exist, so nothing dangles. Its twin deletes the search service, whose name then answers
NXDOMAIN, and must report exactly that takeover risk.

https://learn.microsoft.com/en-us/azure/security/fundamentals/subdomain-takeover
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from auditor.estate.builder import EstateSpec, Record, Zone
from auditor.estate.builder.spec import DEFAULT_SUBSCRIPTION

from .pipeline import AuditedEstate, audit_estate

RG = f"/subscriptions/{DEFAULT_SUBSCRIPTION}/resourceGroups/rg-data/providers"
SEARCH = {
    "id": f"{RG}/Microsoft.Search/searchServices/fabrikam-search", "name": "fabrikam-search",
    "type": "Microsoft.Search/searchServices", "location": "westeurope", "tags": {}, "sku": {"name": "standard"},
    "properties": {"replicaCount": 1, "partitionCount": 1, "status": "running", "hostingMode": "default",
                   "publicNetworkAccess": "enabled", "provisioningState": "succeeded"},
}
HDINSIGHT = {
    "id": f"{RG}/Microsoft.HDInsight/clusters/fabrikam-hdi", "name": "fabrikam-hdi",
    "type": "Microsoft.HDInsight/clusters", "location": "westeurope", "tags": {},
    "properties": {"clusterState": "Running", "connectivityEndpoints": [
        {"name": "SSH", "protocol": "TCP", "location": "fabrikam-hdi-ssh.azurehdinsight.net", "port": 22},
        {"name": "HTTPS", "protocol": "TCP", "location": "fabrikam-hdi.azurehdinsight.net", "port": 443}]},
}
FABRIKAM = Zone("fabrikam.com", records=(
    Record("search", "CNAME", ("fabrikam-search.search.windows.net",)),
    Record("analytics", "CNAME", ("fabrikam-hdi.azurehdinsight.net",)),
))
HDINSIGHT_ZONE = Zone("azurehdinsight.net", azure=False, records=(Record("fabrikam-hdi", "A", ("20.50.7.4",)),))

HEALTHY = EstateSpec(
    zones=(FABRIKAM, HDINSIGHT_ZONE,
           Zone("search.windows.net", azure=False, records=(Record("fabrikam-search", "A", ("20.50.7.3",)),))),
    arm=(SEARCH, HDINSIGHT),
)
# The search service deleted: Azure's DNS no longer knows its name, the CNAME stays behind.
DELETED_SEARCH = replace(HEALTHY, zones=(FABRIKAM, HDINSIGHT_ZONE, Zone("search.windows.net", azure=False)),
                         arm=(HDINSIGHT,))


@pytest.fixture(scope="module")
def healthy(tmp_path_factory: pytest.TempPathFactory) -> AuditedEstate:
    return audit_estate(HEALTHY, tmp_path_factory.mktemp("data") / "estate")


@pytest.fixture(scope="module")
def deleted(tmp_path_factory: pytest.TempPathFactory) -> AuditedEstate:
    return audit_estate(DELETED_SEARCH, tmp_path_factory.mktemp("data-deleted") / "estate")


def test_names_of_existing_search_and_hdinsight_do_not_dangle(healthy: AuditedEstate) -> None:
    assert healthy.report.gaps == ()
    assert healthy.all_pairs() == set()
    owned = {h for r in healthy.inventory.resources for h in r.default_hostnames}
    assert {"fabrikam-search.search.windows.net", "fabrikam-hdi.azurehdinsight.net"} <= owned


def test_a_deleted_search_service_dangles(deleted: AuditedEstate) -> None:
    assert deleted.all_pairs() == {("dangling-dns", "search.fabrikam.com")}
    [finding] = deleted.per_rule["dangling-dns"].findings
    assert finding.evidence["nxdomain"] is True
