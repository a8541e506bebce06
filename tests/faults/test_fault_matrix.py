"""Every service x fault kind on one small estate, through the production pipeline and SDKs.

One run per fault kind injects that kind into every service at once, each at its own
part of the estate (ARM: site app-a; Resource Graph: the second subscription; Key
Vault: kv-a; Graph: the applications list; DNS: a.fabrikam.io; TLS: t.fabrikam.io; Log
Analytics: the workspace app-l's access log goes to). Each
(service, kind) case then asserts on that run:

- the exit code the CLI would give (audit_exit_code on the report);
- the gap, named with its source, target and reason (TLS failures other than a timeout
  are answers: a tls-endpoint-broken finding on the name, not a gap);
- the findings on the reachable rest are the clean run's, id for id, none missing, none added;
- the wall time, measured, under a bound derived from the config.

Kinds a service cannot have are left out: servfail is DNS's (HTTPS services answer it as
500, covered); HTTP statuses mean nothing to DNS or TLS; UDP DNS has no connection to reset.
"""

from __future__ import annotations

import pytest

from auditor.config import CollectConfig
from auditor.estate.load import Fault
from auditor.model.common import GapReason, Source
from tests.faults.conftest import Matrix, Outcome
from tests.faults.estate import SUB2, WORKSPACE, WORKSPACE_CID, on_faulted_part

HTTP_KINDS = ("403", "404", "429", "429-no-retry-after", "429-long", "500", "503", "timeout", "malformed",
              "reset", "refused")
DNS_KINDS = ("servfail", "timeout", "malformed", "refused")
TLS_KINDS = ("timeout", "reset", "refused", "malformed")
KINDS = tuple(dict.fromkeys(HTTP_KINDS + DNS_KINDS + TLS_KINDS))
LONG_WAIT = 300.0

# Where each service's fault lands, and the gap target it must name.
TARGETS = {
    Source.ARM: ("arm", "sites/app-a", "/providers/Microsoft.Web/sites/app-a"),
    Source.ARG: ("arg", SUB2, SUB2),
    Source.KEYVAULT: ("keyvault", "kv-a", "kv-a"),
    Source.GRAPH: ("graph", "/v1.0/applications", "applications"),
    Source.DNS: ("dns", "a.fabrikam.io", "a.fabrikam.io"),
    Source.TLS: ("tls", "t.fabrikam.io", "t.fabrikam.io"),
    # The query URL names the workspace's customerId; the gap names its ARM id and table.
    Source.LOGS: ("logs", WORKSPACE_CID, WORKSPACE),
}

EXPECTED_REASON = {
    "403": GapReason.FORBIDDEN, "404": GapReason.NOT_FOUND, "429": GapReason.THROTTLED,
    "429-no-retry-after": GapReason.THROTTLED, "429-long": GapReason.THROTTLED,
    "500": GapReason.UNAVAILABLE, "503": GapReason.UNAVAILABLE, "timeout": GapReason.TIMEOUT,
    "malformed": GapReason.MALFORMED, "reset": GapReason.UNAVAILABLE, "refused": GapReason.UNAVAILABLE,
    "servfail": GapReason.UNAVAILABLE,
}


def _fault(service: str, match: str, kind: str) -> Fault:
    if kind == "429-long":
        return Fault(service, match, 429, retry_after=LONG_WAIT)
    if kind == "429-no-retry-after":
        return Fault(service, match, 429, retry_after=-1)
    if kind == "429":
        return Fault(service, match, 429, retry_after=0.2)
    status: int | str = int(kind) if kind.isdigit() else kind
    return Fault(service, match, status)


def faults_for(kind: str) -> list[Fault]:
    faults = []
    for source, (service, match, _) in TARGETS.items():
        kinds = DNS_KINDS if source is Source.DNS else TLS_KINDS if source is Source.TLS else HTTP_KINDS
        if kind in kinds:
            faults.append(_fault(service, match, kind))
    return faults


def cases() -> list[tuple[Source, str]]:
    out = []
    for source in TARGETS:
        kinds = DNS_KINDS if source is Source.DNS else TLS_KINDS if source is Source.TLS else HTTP_KINDS
        out += [(source, kind) for kind in kinds]
    return out


def wall_bound(collect: CollectConfig, clean_seconds: float) -> float:
    """The most a run with every service faulted may take beyond a clean one. Stages run one
    after another (Resource Graph; the collectors, concurrently; DNS; TLS), and a failing read
    costs at most its tries, each cut at the request timeout, plus the waits between them."""
    http = (collect.retries + 1) * collect.request_timeout_seconds + collect.retries * collect.max_retry_wait_seconds
    graph_stage = 2 * http                  # the batch, then the failing subscription alone
    collectors = 2 * http                   # a listing, then one read behind it
    logs = http                             # the logs stage follows the collectors: one query a workspace
    dns = 2 * 3 * collect.dns_timeout_seconds + 1   # UDP, UDP, TCP; a transient failure asked twice
    tls = 2 * collect.tls_timeout_seconds
    return 2 * clean_seconds + graph_stage + collectors + logs + dns + tls + 5


_RUNS: dict[str, Outcome] = {}


def run_kind(matrix: Matrix, kind: str) -> Outcome:
    if kind not in _RUNS:
        _RUNS[kind] = matrix.run(faults_for(kind))
    return _RUNS[kind]


def rest(outcome: Outcome) -> dict[str, tuple[str, str]]:
    return {f.id: (f.rule, f.subject) for f in outcome.report.findings
            if f.rule != "coverage-gap" and not on_faulted_part(f.rule, f.subject, f.resource_id)}


@pytest.mark.parametrize(("source", "kind"), cases(), ids=[f"{s.value}-{k}" for s, k in cases()])
def test_fault(matrix: Matrix, source: Source, kind: str) -> None:
    outcome = run_kind(matrix, kind)
    report = outcome.report
    _, _, target = TARGETS[source]

    tls_answer = source is Source.TLS and kind != "timeout"
    if tls_answer:
        # Refused, reset or garbage on the wire is what the endpoint answers: broken for users.
        broken = [f for f in report.findings if f.rule == "tls-endpoint-broken" and f.subject == target]
        assert broken, [(f.rule, f.subject) for f in report.findings]
        assert not [g for g in report.gaps if g.source is Source.TLS]
    else:
        named = [g for g in report.gaps if g.source is source and target.lower() in g.target.lower()]
        assert named, [(g.source.value, g.target, g.reason.value, g.detail) for g in report.gaps]
        assert {g.reason for g in named} == {EXPECTED_REASON[kind]}, [(g.reason, g.detail) for g in named]
        if kind == "429-long":
            assert all(f"{LONG_WAIT:g} s" in g.detail for g in named), [g.detail for g in named]

    assert not report.complete
    # The rest of the estate still has its critical expiries: findings win over gaps.
    assert outcome.exit_code == 1
    assert rest(outcome) == rest(matrix.clean)
    assert rest(matrix.clean), "the clean run must have findings on the rest for this to mean anything"
    bound = wall_bound(matrix.config.collect, matrix.clean.seconds)
    assert outcome.seconds < bound, f"{kind}: {outcome.seconds:.1f}s, bound {bound:.1f}s"


def test_hung_vault_costs_its_tries_not_more(matrix: Matrix) -> None:
    """The example bound: a hung vault costs (retries + 1) request timeouts over a clean run."""
    collect = matrix.config.collect
    outcome = matrix.run([Fault("keyvault", "kv-a", "timeout")])
    [gap] = outcome.report.gaps
    assert (gap.source, gap.target, gap.reason) == (Source.KEYVAULT, "kv-a", GapReason.TIMEOUT)
    extra = (collect.retries + 1) * collect.request_timeout_seconds + collect.retries * 1.0 + 2
    assert outcome.seconds < matrix.clean.seconds * 1.5 + extra, (outcome.seconds, matrix.clean.seconds)


def test_one_transient_failure_is_retried_not_a_gap(matrix: Matrix) -> None:
    outcome = matrix.run([Fault("keyvault", "kv-a", "malformed", times=1),
                          Fault("arm", "sites/app-a", "malformed", times=1),
                          Fault("dns", "a.fabrikam.io", "servfail", times=1)])
    assert outcome.report.complete, outcome.report.gaps
    assert outcome.finding_ids == matrix.clean.finding_ids
