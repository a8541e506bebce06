"""`dig` against a loopback server, its answer reduced to what two servers must agree on."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass

from realservers.process import binary

_STATUS = re.compile(r"status: (\w+)")
_FLAGS = re.compile(r";; flags: ([a-z ]*);")
_CASE_SENSITIVE = {"TXT", "CAA", "SPF", "HINFO"}
_SECTIONS = {"ANSWER": "answer", "AUTHORITY": "authority", "ADDITIONAL": "additional"}


@dataclass(frozen=True)
class DigAnswer:
    rcode: str                       # NOERROR, NXDOMAIN, REFUSED, ...
    flags: frozenset[str]            # qr, aa, tc, ...
    answer: frozenset[str]           # "owner ttl class type rdata", names lower-cased
    authority: frozenset[str]
    additional: frozenset[str]       # without the OPT pseudo-record


def dig(port: int, name: str, rdtype: str = "A", tcp: bool = False, *extra: str) -> DigAnswer:
    argv = [binary("dig"), "@127.0.0.1", "-p", str(port), name, rdtype, "+norec", "+time=2", "+tries=1",
            "+noall", "+comments", "+answer", "+authority", "+additional", *extra]
    if tcp:
        argv.append("+tcp")
    result = subprocess.run(argv, capture_output=True, text=True, timeout=15)
    if result.returncode != 0:
        raise RuntimeError(f"dig {name} {rdtype} on port {port} failed: {result.stdout}{result.stderr}")
    return parse_dig(result.stdout)


def parse_dig(text: str) -> DigAnswer:
    status = _STATUS.search(text)
    flags = _FLAGS.search(text)
    if status is None or flags is None:
        raise RuntimeError(f"dig printed no header:\n{text}")
    sections: dict[str, set[str]] = {"answer": set(), "authority": set(), "additional": set()}
    current = None
    for line in text.splitlines():
        if line.startswith(";;") and line.rstrip().endswith("SECTION:"):
            current = _SECTIONS.get(line.split()[1])
            continue
        if not line.strip() or line.startswith(";") or current is None:
            continue
        owner, ttl, rdclass, rdtype, *rdata = line.split()
        if rdtype not in _CASE_SENSITIVE:  # names compare case-insensitively, wherever they are
            rdata = [field.lower() for field in rdata]
        sections[current].add(" ".join([owner.lower(), ttl, rdclass, rdtype, *rdata]))
    return DigAnswer(rcode=status.group(1), flags=frozenset(flags.group(1).split()),
                     answer=frozenset(sections["answer"]), authority=frozenset(sections["authority"]),
                     additional=frozenset(sections["additional"]))
