"""The measurements the benchmarks judge by can report a breach, not only success."""

from auditor.emulator.requestlog import LoggedRequest
from benchmarks.emulator_host import ServedLog
from benchmarks.inflight import BOUNDED_SERVICES, InFlight
from benchmarks.throttled import waits_after_429


def test_in_flight_counts_the_bounded_services_together() -> None:
    counter = InFlight({"bounded": BOUNDED_SERVICES})
    counter.enter("arm")
    counter.enter("keyvault")
    counter.enter("token")          # not bounded by collect.concurrency
    counter.leave("arm")
    counter.enter("graph")
    assert counter.peaks["bounded"] == 2 and counter.peaks["arm"] == 1 and counter.peaks["token"] == 1
    assert counter.open_now() == {"keyvault": 1, "token": 1, "graph": 1, "bounded": 2}
    for service in ("keyvault", "token", "graph"):
        counter.leave(service)
    assert counter.open_now() == {} and counter.entered == {"arm": 1, "keyvault": 1, "token": 1, "graph": 1}


def test_a_retry_sooner_than_retry_after_shows_as_a_short_wait() -> None:
    log = ServedLog(requests=(
        LoggedRequest("arm", "GET /sites/a", "fault:429", 10.0),
        LoggedRequest("arm", "GET /sites/b", "fault:429", 10.1),
        LoggedRequest("arm", "GET /sites/a", "200", 10.2),     # hammered: 0.2 s after its 429
        LoggedRequest("arm", "GET /sites/c", "200", 10.3),
        LoggedRequest("arm", "GET /sites/b", "200", 11.2),
    ), peak_in_flight={})
    throttled, waited = waits_after_429(log, "arm")
    assert throttled == 2
    assert [round(w, 2) for w in waited] == [0.2, 1.1]


def test_a_429_never_retried_is_counted_but_has_no_wait() -> None:
    log = ServedLog(requests=(LoggedRequest("arg", "POST /resources", "fault:429", 1.0),), peak_in_flight={})
    assert waits_after_429(log, "arg") == (1, [])


def test_the_stage_clock_gives_the_analysis_its_own_cpu_and_the_close_to_tls() -> None:
    import time

    from benchmarks.stages import StageClock

    clock = StageClock()
    clock("resource-graph", 1, 1)
    clock("tls", 3, 3)                       # the last probe
    time.sleep(0.05)                          # the collection closing its connections
    clock("analysis", 0, 1)
    burnt = time.process_time()
    while time.process_time() - burnt < 0.05:  # the analysis: CPU only
        pass
    clock("analysis", 1, 1)
    finished = time.monotonic() - clock.started
    stages = clock.durations(finished)
    assert stages["tls"] >= 0.05                 # the close is TLS's, not the analysis's
    assert 0.05 <= stages["analysis"] < 1.0
    cpu = clock.cpu_of("analysis")
    assert cpu is not None and 0.05 <= cpu < 0.5
    assert clock.cpu_of("dns") is None


def test_a_run_that_reports_no_analysis_is_an_error_not_a_zero() -> None:
    import pytest

    from benchmarks.stages import StageClock

    clock = StageClock()
    clock("tls", 1, 1)
    assert clock.cpu_of("analysis") is None
    with pytest.raises(ValueError, match="no analysis stage"):
        clock.durations(1.0)
