"""DNS as Azure DNS configures it (records) and as resolvers answer (observations)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class DnsRecord:
    """A record set in an Azure DNS zone (Microsoft.Network/dnszones/*), or one listed from a zone
    held elsewhere (a zone file or a zone transfer: `listed_from` says which, `resource_id` is empty)."""

    zone: str              # lower-case, no trailing dot
    fqdn: str              # lower-case, no trailing dot
    type: str              # A, AAAA, CNAME, TXT, CAA, NS, MX, ...
    values: tuple[str, ...]
    resource_id: str
    target_resource_id: str | None = None   # alias records
    listed_from: str = ""                    # "" for Azure DNS; "zone file <path>" or "zone transfer from <server>"


class DnsStatus(StrEnum):
    NOERROR = "noerror"
    NXDOMAIN = "nxdomain"
    NODATA = "nodata"
    SERVFAIL = "servfail"
    TIMEOUT = "timeout"
    MALFORMED = "malformed"


@dataclass(frozen=True, slots=True)
class CnameHop:
    name: str       # lower-case, no trailing dot
    target: str


@dataclass(frozen=True, slots=True)
class CaaRecord:
    flags: int
    tag: str        # issue, issuewild, iodef
    value: str


@dataclass(frozen=True, slots=True)
class DnsObservation:
    """What resolving one name gave: the CNAME chain hop by hop, then addresses."""

    name: str
    status: DnsStatus                       # of the final lookup
    chain: tuple[CnameHop, ...] = ()
    addresses: tuple[str, ...] = ()
    caa: tuple[CaaRecord, ...] = ()         # the relevant CAA set (RFC 8659 climb)
    caa_owner: str | None = None            # the name the CAA set was found at
    txt: tuple[tuple[str, str], ...] = ()   # (owner, text) for _dnsauth. and asuid. names
    detail: str = ""
    broken_chain: str = ""                  # "loop" or "too-long": the CNAME chain itself never ends

    @property
    def final_name(self) -> str:
        return self.chain[-1].target if self.chain else self.name
