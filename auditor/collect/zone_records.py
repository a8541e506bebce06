"""Zones held outside Azure DNS, read with dnspython: an RFC 1035 export from disk, and the
records of a zone (from a file or a transfer) as the same DnsRecord an Azure DNS record set gives,
so every rule and the decommission check treat them alike."""

from __future__ import annotations

from pathlib import Path

import dns.exception
import dns.name
import dns.rdatatype
import dns.tokenizer
import dns.zone

from auditor.errors import ConfigError
from auditor.model.dns import DnsRecord
from auditor.normalise.hostnames import normalise

# The types Azure DNS record sets give the audit (SOA and the rest are of no use to a rule).
_KEPT = {"A", "AAAA", "CNAME", "NS", "MX", "TXT", "CAA", "SRV", "PTR"}


def read_zone_file(path: Path) -> dns.zone.Zone:
    """One export. Its origin is its $ORIGIN, else the owner of its SOA (Cloudflare's exports give
    absolute names and no $ORIGIN). Anything unreadable is a config error naming the file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"dns.zone_files: cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        try:
            return _parse(text, None)
        except dns.zone.UnknownOrigin:
            return _parse(text, _soa_owner(text, path))
    except (dns.exception.DNSException, ValueError) as exc:   # ValueError: an SOA not at the origin
        raise ConfigError(f"dns.zone_files: {path} is not an RFC 1035 zone file: {exc}") from None


def _parse(text: str, origin: dns.name.Name | None) -> dns.zone.Zone:
    return dns.zone.from_text(text, origin=origin, relativize=False, check_origin=False, allow_include=False)


def _soa_owner(text: str, path: Path) -> dns.name.Name:
    """The owner of the file's first record, read with dnspython's tokenizer: RFC 1035 puts the
    SOA first, and an export without $ORIGIN spells it as an absolute name."""
    tokens = dns.tokenizer.Tokenizer(text)
    while True:
        token = tokens.get(want_leading=True)
        if token.is_eof():
            break
        if token.is_eol() or token.is_whitespace():
            continue
        if token.value.startswith("$"):
            _skip_line(tokens)
            continue
        owner = dns.name.from_text(token.value, origin=None)
        if owner.is_absolute() and owner != dns.name.root:
            return owner
        break
    raise ConfigError(f"dns.zone_files: {path} has neither $ORIGIN nor an SOA record at an absolute name; "
                      f"add a line `$ORIGIN <zone>.` at its top")


def _skip_line(tokens: dns.tokenizer.Tokenizer) -> None:
    while not tokens.get().is_eol_or_eof():
        continue


def zone_origin(zone: dns.zone.Zone) -> str:
    assert zone.origin is not None  # every zone here is read or transferred with its origin
    return normalise(zone.origin.to_text())


def soa_serial(zone: dns.zone.Zone) -> int | None:
    assert zone.origin is not None
    soa = zone.get_rdataset(zone.origin, dns.rdatatype.SOA)
    return int(next(iter(soa)).serial) if soa else None


def records_of(zone: dns.zone.Zone, listed_from: str) -> list[DnsRecord]:
    """Every kept RRset of the zone, values spelled as the Azure DNS normaliser spells them."""
    origin = zone_origin(zone)
    out: list[DnsRecord] = []
    for name, node in zone.nodes.items():
        fqdn = normalise(name.derelativize(zone.origin).to_text())  # type: ignore[arg-type]
        for rdataset in node.rdatasets:
            rtype = dns.rdatatype.to_text(rdataset.rdtype)
            if rtype not in _KEPT:
                continue
            values = tuple(sorted(_value(rtype, rdata) for rdata in rdataset))
            out.append(DnsRecord(zone=origin, fqdn=fqdn, type=rtype, values=values, resource_id="",
                                 listed_from=listed_from))
    return out


def _value(rtype: str, rdata: object) -> str:
    r: object = rdata
    if rtype in ("A", "AAAA"):
        return str(r.address)  # type: ignore[attr-defined]
    if rtype == "CNAME" or rtype == "NS" or rtype == "PTR":
        return normalise(r.target.to_text())  # type: ignore[attr-defined]
    if rtype == "MX":
        return f"{r.preference} {normalise(r.exchange.to_text())}"  # type: ignore[attr-defined]
    if rtype == "SRV":
        return f"{r.priority} {r.weight} {r.port} {normalise(r.target.to_text())}"  # type: ignore[attr-defined]
    if rtype == "TXT":
        return b"".join(r.strings).decode("utf-8", "replace")  # type: ignore[attr-defined]
    # CAA: flags tag "value", as Azure DNS record sets are printed
    return f'{r.flags} {r.tag.decode("ascii", "replace")} "{r.value.decode("utf-8", "replace")}"'  # type: ignore[attr-defined]
