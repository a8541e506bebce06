"""The emulator in a process of its own, so the audit being measured does not share a
Python interpreter (and its lock) with the servers it talks to, as with real Azure.

`python -m benchmarks.emulator_host ESTATE LATENCY_JSON` prints its endpoints as one JSON
line, serves until a line arrives on stdin, then prints what it was asked (the request
log and the requests in flight) as one JSON line and stops.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from auditor.emulator import Emulator, EmulatorEndpoints
from auditor.emulator.requestlog import LoggedRequest
from auditor.errors import AuditorError
from benchmarks.inflight import BOUNDED_SERVICES, HTTPS_SERVICES, CountingLatency, CountingLog, InFlight

START_TIMEOUT = 60.0


@dataclass(frozen=True)
class ServedLog:
    """What the emulator process answered, and the most HTTPS requests it served at once."""

    requests: tuple[LoggedRequest, ...]
    peak_in_flight: dict[str, int]     # service, or "bounded" (ARM + Key Vault + Graph)

    def entries(self, service: str) -> list[LoggedRequest]:
        return [e for e in self.requests if e.service == service]

    def counts(self) -> dict[str, int]:
        return dict(Counter(e.service for e in self.requests))


class EmulatorProcess:
    """The emulator host as a child process: `with EmulatorProcess(...) as endpoints:`, then
    `served()` for what it answered (which also stops it)."""

    def __init__(self, estate: Path, latency: dict[str, float]) -> None:
        self._args = [sys.executable, "-m", "benchmarks.emulator_host", str(estate), json.dumps(latency)]
        self._process: subprocess.Popen[str] | None = None
        self._stderr: IO[str] | None = None

    def __enter__(self) -> EmulatorEndpoints:
        # A file, not a pipe: a chatty child can never block on a pipe nobody reads yet.
        self._stderr = tempfile.TemporaryFile("w+")  # noqa: SIM115 - closed by _stop
        self._process = subprocess.Popen(self._args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                         stderr=self._stderr, text=True,
                                         cwd=Path(__file__).resolve().parent.parent)
        try:
            return _endpoints(json.loads(self._line()))
        except BaseException:
            self._stop()
            raise

    def served(self) -> ServedLog:
        process = self._process
        assert process is not None and process.stdin is not None, "served() needs a running emulator"
        process.stdin.write("report\n")
        process.stdin.flush()
        return _served(json.loads(self._line()))

    def __exit__(self, *exc_info: object) -> None:
        self._stop()

    def _line(self) -> str:
        process = self._process
        assert process is not None and process.stdout is not None and self._stderr is not None
        line = process.stdout.readline()
        if not line:
            process.wait(START_TIMEOUT)
            self._stderr.seek(0)
            error = self._stderr.read().strip().splitlines()
            raise AuditorError(f"the emulator process ended (exit {process.returncode}): "
                               f"{error[-1] if error else 'no output'}")
        return line

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            assert process.stdin is not None
            process.stdin.close()      # the host stops at the end of its input
            try:
                process.wait(START_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None


def _endpoints(raw: dict[str, Any]) -> EmulatorEndpoints:
    return EmulatorEndpoints(
        https_port=raw["https_port"], dns_port=raw["dns_port"], tls_port=raw["tls_port"],
        ca_file=Path(raw["ca_file"]), tenant_id=raw["tenant_id"], subscriptions=tuple(raw["subscriptions"]),
        as_of=datetime.fromisoformat(raw["as_of"]), client_id=raw["client_id"],
        client_secret=raw["client_secret"], tls_trust_files=tuple(Path(p) for p in raw["tls_trust_files"]))


def _served(raw: dict[str, Any]) -> ServedLog:
    return ServedLog(requests=tuple(LoggedRequest(*e) for e in raw["requests"]),
                     peak_in_flight=dict(raw["peak_in_flight"]))


def serve(estate: Path, latency: dict[str, float]) -> None:
    in_flight = InFlight({"bounded": BOUNDED_SERVICES})
    emulator = Emulator(estate, latency=latency)
    log = CountingLog(in_flight)
    emulator.log = log
    emulator.latency = CountingLatency(emulator.latency, in_flight)
    with emulator as endpoints:
        fields = asdict(endpoints)
        fields.update(ca_file=str(endpoints.ca_file), as_of=endpoints.as_of.isoformat(),
                      tls_trust_files=[str(p) for p in endpoints.tls_trust_files])
        print(json.dumps(fields), flush=True)
        sys.stdin.readline()
        requests = log.entries()
    logged = dict(Counter(e.service for e in requests if e.service in HTTPS_SERVICES))
    if logged != in_flight.entered or in_flight.open_now():
        # The counts mean something only if the probe saw every HTTPS request arrive and leave.
        raise AuditorError(f"the in-flight probe lost track of the emulator's requests: logged {logged}, "
                           f"seen arriving {in_flight.entered}, still open {in_flight.open_now()}")
    print(json.dumps({"requests": [[e.service, e.key, e.status, e.at] for e in requests],
                      "peak_in_flight": in_flight.peaks}), flush=True)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m benchmarks.emulator_host ESTATE LATENCY_JSON", file=sys.stderr)
        return 2
    try:
        serve(Path(argv[0]), json.loads(argv[1]))
    except AuditorError as exc:
        print(f"emulator: error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
