"""The emulator's DNS answers as Knot and NSD answer the same zone files, over UDP and TCP.

The two reference servers differ in two documented ways, and the emulator is
held to whichever one it follows:
- a CNAME chain that leaves its zone: NSD follows it through the other zones it
  serves, as the emulator does; Knot stops at the zone's edge, so its answer is
  the start of the emulator's.
- extra addresses for MX targets: Knot adds them, as the emulator does; NSD with
  minimal-responses (needed to match the others' authority sections) adds extra
  data to referrals only.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from realservers import dig, start_knot, start_nsd

from auditor.emulator.dns_server import DnsServer
from auditor.emulator.faults import FaultPlan
from auditor.emulator.requestlog import RequestLog
from integration.dns_estate import CROSS_ZONE, QUESTIONS, write_zones

pytestmark = pytest.mark.integration
TRANSPORTS = pytest.mark.parametrize("tcp", [False, True], ids=["udp", "tcp"])


@pytest.fixture(scope="module")
def zones(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_zones(tmp_path_factory.mktemp("zones"))


@pytest.fixture(scope="module")
def emulator(zones: list[Path]) -> Iterator[int]:
    server = DnsServer(zones, FaultPlan([]), RequestLog())
    yield server.start()
    server.stop()


@pytest.fixture(scope="module")
def knot(zones: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    with start_knot(zones, tmp_path_factory.mktemp("knot")) as port:
        yield port


@pytest.fixture(scope="module")
def nsd(zones: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    with start_nsd(zones, tmp_path_factory.mktemp("nsd")) as port:
        yield port


@TRANSPORTS
def test_answers_match_knot(emulator: int, knot: int, tcp: bool) -> None:
    differences = []
    for name, rdtype in QUESTIONS:
        ours, theirs = dig(emulator, name, rdtype, tcp), dig(knot, name, rdtype, tcp)
        if (name, rdtype) in CROSS_ZONE:
            same = ours.flags == theirs.flags and theirs.answer < ours.answer
        else:
            same = ours == theirs
        if not same:
            differences.append(f"{name} {rdtype}:\n  emulator: {ours}\n  knot:     {theirs}")
    assert not differences, "\n".join(differences)


@TRANSPORTS
def test_answers_match_nsd(emulator: int, nsd: int, tcp: bool) -> None:
    differences = []
    for name, rdtype in QUESTIONS:
        ours, theirs = dig(emulator, name, rdtype, tcp), dig(nsd, name, rdtype, tcp)
        referral = "aa" not in theirs.flags
        same = (ours.rcode, ours.flags, ours.answer, ours.authority) == (
            theirs.rcode, theirs.flags, theirs.answer, theirs.authority)
        if not same or (referral and ours.additional != theirs.additional):
            differences.append(f"{name} {rdtype}:\n  emulator: {ours}\n  nsd:      {theirs}")
    assert not differences, "\n".join(differences)


def test_the_comparison_covers_every_answer_shape(emulator: int) -> None:
    """Guards the question list: each kind of answer must stay in it."""
    rcodes = {dig(emulator, name, rdtype).rcode for name, rdtype in QUESTIONS}
    assert rcodes == {"NOERROR", "NXDOMAIN", "REFUSED"}
    referral = dig(emulator, "www.partner.contoso.com", "A")
    assert "aa" not in referral.flags and referral.additional
    nodata = dig(emulator, "ent.contoso.com", "A")
    assert nodata.rcode == "NOERROR" and not nodata.answer and nodata.authority
