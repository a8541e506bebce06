"""`history diff`'s two runs: named ones must be of one tenant and scope; by default the
latest run and the latest earlier run of the same tenant and scope."""

from __future__ import annotations

from auditor.errors import AuditorError
from auditor.history.pairing import describe, key_of_json
from auditor.history.store import HistoryStore


def runs_to_compare(store: HistoryStore, run_a: str | None, run_b: str | None) -> tuple[str, str]:
    if run_a is not None and run_b is not None:
        key_a, key_b = key_of_json(store.get(run_a).report), key_of_json(store.get(run_b).report)
        if key_a != key_b:
            raise AuditorError(f"runs {run_a} ({describe(key_a)}) and {run_b} ({describe(key_b)}) are of "
                               "different tenants or scopes; compare two runs of the same estate")
        return run_a, run_b
    runs = store.runs()
    if len(runs) < 2:
        raise AuditorError("history diff needs two runs; name them or record another audit")
    latest = runs[-1]
    wanted = key_of_json(store.get(latest.run_id).report)
    for earlier in reversed(runs[:-1]):
        if earlier.tenant_id.lower() == wanted[0] and key_of_json(store.get(earlier.run_id).report) == wanted:
            return earlier.run_id, latest.run_id
    raise AuditorError(f"history diff: no earlier run of the same tenant and scope as the latest run "
                       f"{latest.run_id} ({describe(wanted)}); name two runs to compare")
