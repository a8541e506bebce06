"""Container Apps: ingress custom domains and environment certificates, all from Resource Graph."""

from __future__ import annotations

from functools import partial as partial_call

from auditor.collect.base import Collector, CollectRun, Partial
from auditor.collect.service_helpers import absorb, transform
from auditor.model import CoverageGap, GapReason, Source
from auditor.normalise.containerapps import container_app, environment_certificate
from auditor.normalise.service_helpers import Extract

APP_TYPE = "microsoft.app/containerapps"
CERTIFICATE_TYPES = ("microsoft.app/managedenvironments/certificates",
                     "microsoft.app/managedenvironments/managedcertificates")


async def collect(run: CollectRun) -> Partial:
    partial = Partial()
    certificates = {}
    for row in run.rows_of(*CERTIFICATE_TYPES):
        try:
            cert = environment_certificate(row)
        except (ValueError, KeyError, TypeError) as exc:
            partial.gaps.append(CoverageGap(Source.ARG, str(row.get("id") or ""), GapReason.MALFORMED,
                                            f"{type(exc).__name__}: {exc}"[:300]))
            continue
        certificates[cert.key] = cert
    absorb(partial, Extract(certificates=tuple(certificates.values())))
    for row in run.rows_of(APP_TYPE):
        transform(partial, str(row.get("id") or ""), partial_call(container_app, row, certificates))
    return partial


COLLECTOR = Collector(name="containerapps", types=(APP_TYPE, *CERTIFICATE_TYPES), collect=collect)
