"""JUnit XML so Azure DevOps and GitHub show findings as test results: failures at or above fail_on."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from auditor.model.common import Severity
from auditor.model.report import Report
from auditor.report.escape import xml_text
from auditor.report.ordering import ordered


def _text(value: object) -> str:
    return xml_text(value)


def render_junit(report: Report, fail_on: Severity = Severity.HIGH) -> str:
    findings = ordered(report.findings)
    suite = ET.Element("testsuite", name="auditor", timestamp=report.started.strftime("%Y-%m-%dT%H:%M:%S"),
                       time=f"{max(0.0, (report.finished - report.started).total_seconds()):.1f}")
    failures = 0
    for finding in findings:
        case = ET.SubElement(suite, "testcase", classname=f"auditor.{finding.rule}",
                             name=_text(f"{finding.subject} [{finding.severity.value}] {finding.id}"))
        details = _text(f"{finding.title}\nresource: {finding.resource_id}\nremediation: {finding.remediation}")
        if finding.severity.at_least(fail_on):
            failures += 1
            failure = ET.SubElement(case, "failure", message=_text(finding.title), type=finding.severity.value)
            failure.text = details
        else:
            ET.SubElement(case, "system-out").text = details
    coverage = ET.SubElement(suite, "testcase", classname="auditor.coverage", name="every source in scope was read")
    if report.gaps:
        failures += 1
        failure = ET.SubElement(coverage, "failure", message=f"{len(report.gaps)} coverage gap(s)",
                                type="coverage-gap")
        failure.text = _text("\n".join(f"{g.source.value} {g.target}: {g.reason.value} {g.detail}".rstrip()
                                       for g in report.gaps))
    if not findings:
        ET.SubElement(suite, "testcase", classname="auditor.findings", name="no findings")
    tests = len(suite.findall("testcase"))
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    suites = ET.Element("testsuites", name="auditor", tests=str(tests), failures=str(failures), errors="0")
    suites.append(suite)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
