"""Frozen records that cross every layer: collect -> inventory -> graph -> rules -> report."""

from auditor.model.availability import NameAvailability
from auditor.model.certificate import Certificate, CertificateStore, CertificateVersion, Renewal
from auditor.model.common import CoverageGap, GapReason, ServiceKind, Severity, Source
from auditor.model.dns import CaaRecord, CnameHop, DnsObservation, DnsRecord, DnsStatus
from auditor.model.domain import Binding, CertificateKind, CustomDomain
from auditor.model.finding import Finding, finding_id
from auditor.model.inventory import Inventory
from auditor.model.reference import Reference, ReferenceKind
from auditor.model.report import DecommissionResult, Dependent, Report
from auditor.model.resource import Resource
from auditor.model.tls import ServedCertificate, TlsObservation, TlsStatus, TlsVerdict
from auditor.model.traffic import TrafficSummary

__all__ = [
    "Binding", "CaaRecord", "DecommissionResult", "Dependent", "Report", "Certificate", "CertificateKind", "CertificateStore",
    "CertificateVersion", "CnameHop", "CoverageGap", "CustomDomain", "DnsObservation",
    "DnsRecord", "DnsStatus", "Finding", "GapReason", "Inventory", "NameAvailability", "Reference",
    "ReferenceKind", "Renewal", "Resource", "ServedCertificate", "ServiceKind", "Severity",
    "Source", "TlsObservation", "TlsStatus", "TlsVerdict", "TrafficSummary", "finding_id",
]
