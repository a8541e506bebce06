from datetime import date

import pytest

from auditor.config import Suppression
from auditor.core.analyse import analyse
from auditor.errors import ConfigError

from .factories import AS_OF, config, healthy, kv_cert, with_

ORPHAN = kv_cert("old", names=("old.contoso.com",), thumbprint="C" * 40)


def estate() -> object:
    return with_(healthy(), certificates=(*healthy().certificates, ORPHAN))


def test_active_suppression_moves_the_finding_aside() -> None:
    cfg = config(suppressions=(Suppression("orphaned-certificate", "KV/old", "kept for the DR site", date(2025, 9, 10)),))
    result = analyse(estate(), cfg, AS_OF, rules=["orphaned-certificate"])
    assert result.findings == ()
    [suppressed] = result.suppressed
    assert suppressed.finding.subject == "kv/old"
    assert suppressed.suppression.reason == "kept for the DR site"


def test_expired_suppression_brings_it_back_and_says_so() -> None:
    cfg = config(suppressions=(Suppression("orphaned-certificate", "kv/old", "kept for the DR site", date(2025, 9, 9)),))
    result = analyse(estate(), cfg, AS_OF, rules=["orphaned-certificate"])
    [finding] = result.findings
    assert finding.evidence["suppression_expired"] == {"expires": "2025-09-09", "reason": "kept for the DR site"}
    assert result.suppressed == ()


def test_suppression_for_an_unknown_rule_is_a_config_error() -> None:
    cfg = config(suppressions=(Suppression("cert-expird", "kv/old", "typo", date(2030, 1, 1)),))
    with pytest.raises(ConfigError, match="unknown rule 'cert-expird'"):
        analyse(estate(), cfg, AS_OF)
