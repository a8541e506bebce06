"""dns.zone_transfer: list a zone by AXFR over TCP from its authoritative servers (RFC 5936),
with dnspython's inbound transfer, optionally signed with a TSIG key (RFC 8945).

The key comes from the environment variable named by dns.zone_transfer_tsig_key_env, as
`[algorithm:]name:base64-secret` (dig -y's spelling; algorithm defaults to hmac-sha256). The
secret is never printed or stored.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import dns.asyncquery
import dns.exception
import dns.name
import dns.rcode
import dns.tsig
import dns.tsigkeyring
import dns.xfr
import dns.zone

from auditor.collect.dns_query import Servers
from auditor.config import DnsConfig
from auditor.errors import ConfigError

DEFAULT_ALGORITHM = "hmac-sha256"


@dataclass(frozen=True)
class TsigKey:
    name: dns.name.Name
    algorithm: dns.name.Name
    keyring: dict[dns.name.Name, dns.tsig.Key]


@dataclass(frozen=True)
class Transfer:
    zone: dns.zone.Zone | None
    server: str            # address:port the transfer came from, or was last refused by
    detail: str = ""


def tsig_key(config: DnsConfig) -> TsigKey | None:
    variable = config.zone_transfer_tsig_key_env
    if not variable:
        return None
    value = os.environ.get(variable, "").strip()
    if not value:
        raise ConfigError(f"dns.zone_transfer_tsig_key_env names {variable}, which is not set")
    parts = value.split(":")
    if len(parts) == 2:
        parts = [DEFAULT_ALGORITHM, *parts]
    if len(parts) != 3 or not all(parts):
        raise ConfigError(f"{variable} must hold [algorithm:]name:base64-secret")
    algorithm, name, secret = parts
    try:
        keyring = dns.tsigkeyring.from_text({name: (algorithm, secret)})
        return TsigKey(dns.name.from_text(name), dns.name.from_text(algorithm), keyring)
    except (dns.exception.DNSException, ValueError) as exc:
        raise ConfigError(f"{variable} does not hold a usable TSIG key: {type(exc).__name__}") from None


async def transfer(zone: str, servers: Servers, key: TsigKey | None) -> Transfer:
    """AXFR from each server in turn; the first complete transfer wins."""
    detail, where = "no authoritative server found", ""
    for address in servers.addresses:
        where = f"{address}:{servers.port}"
        target = dns.zone.Zone(dns.name.from_text(zone), relativize=False)
        query, _ = dns.xfr.make_query(
            target, serial=None, keyring=key.keyring if key else None,
            keyname=key.name if key else None,
            keyalgorithm=key.algorithm if key else dns.tsig.default_algorithm)
        try:
            await dns.asyncquery.inbound_xfr(address, target, query=query, port=servers.port,
                                             timeout=servers.timeout, lifetime=servers.timeout * 10)
        except dns.xfr.TransferError as exc:
            detail = f"{where} refused the zone transfer ({_rcode(exc)})"
            continue
        except dns.exception.Timeout:
            detail = f"{where} did not complete the zone transfer within {servers.timeout * 10:g}s"
            continue
        except (dns.exception.DNSException, OSError, EOFError) as exc:
            detail = f"zone transfer from {where} failed: {type(exc).__name__}: {str(exc)[:160]}"
            continue
        return Transfer(target, where)
    return Transfer(None, where, detail)


def _rcode(exc: dns.xfr.TransferError) -> str:
    return dns.rcode.to_text(exc.rcode)
