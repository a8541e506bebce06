"""History in Azure Blob Storage, for the Azure Function: one JSON document per run plus an index.

Writers never lose each other's runs: the index is replaced only if its ETag is
unchanged since it was read (or created only if absent), and a writer that loses
the race reads the index again, recomputes its diff against the new previous run
and tries again.
"""

from __future__ import annotations

import json
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from azure.core import MatchConditions
from azure.core.exceptions import (
    AzureError,
    ResourceExistsError,
    ResourceModifiedError,
    ResourceNotFoundError,
)
from azure.storage.blob import BlobServiceClient, ContainerClient, ContentSettings

from auditor.errors import AuditorError
from auditor.history.diff import build_record, diff_runs, new_run_id
from auditor.history.model import RunDiff, RunRecord, RunSummary, TrackedFinding
from auditor.history.pairing import key_of_json, key_of_report
from auditor.model.report import Report

INDEX_SCHEMA = "auditor-history-index/1"
RUN_SCHEMA = "auditor-history-run/1"
_JSON = ContentSettings(content_type="application/json")


@dataclass(frozen=True)
class BlobTarget:
    """Where the history lives. `credential` is what BlobServiceClient accepts:
    a TokenCredential (DefaultAzureCredential), an account-key dict, or None with a SAS URL."""

    account_url: str
    container: str = "auditor-history"
    credential: Any = None
    prefix: str = ""
    max_attempts: int = 20     # index updates lost to concurrent writers before giving up
    retry_total: int = 3       # the SDK's own retries of a failed request


class BlobHistoryStore:
    def __init__(self, target: BlobTarget) -> None:
        self.target = target
        service = BlobServiceClient(account_url=target.account_url, credential=target.credential,
                                    retry_total=target.retry_total)
        self._container: ContainerClient = service.get_container_client(target.container)
        try:
            with suppress(ResourceExistsError):   # already there: the normal case after the first run
                self._container.create_container()
        except AzureError as exc:
            raise AuditorError(f"cannot open history container {target.container!r}: {_short(exc)}") from exc

    def record(self, report: Report, run_id: str | None = None) -> RunDiff:
        run_id = run_id or new_run_id(report)
        for _ in range(self.target.max_attempts):
            index, etag = self._read_index()
            previous = self._previous(index, report)
            record = build_record(run_id, report, previous)
            # The run document first: an index entry never points at a missing run.
            self._upload(self._run_blob(run_id), _run_document(record), overwrite=True)
            if self._replace_index([*index, record.summary.to_json()], etag):
                return diff_runs(previous, record)
        raise AuditorError(f"history index in {self.target.container!r} kept changing; run not recorded")

    def preview(self, report: Report) -> RunDiff:
        index, _ = self._read_index()
        previous = self._previous(index, report)
        return diff_runs(previous, build_record(new_run_id(report), report, previous))

    def _previous(self, index: list[dict[str, Any]], report: Report) -> RunRecord | None:
        """The latest run of the same tenant and scope (newest first; usually the first tried)."""
        wanted = key_of_report(report)
        for entry in reversed(index):
            if entry["tenant_id"] == report.tenant_id:
                candidate = self.get(entry["run_id"])
                if key_of_json(candidate.report) == wanted:
                    return candidate
        return None

    def runs(self) -> list[RunSummary]:
        index, _ = self._read_index()
        return [_summary(r) for r in index]

    def get(self, run_id: str) -> RunRecord:
        try:
            raw = json.loads(self._container.download_blob(self._run_blob(run_id)).readall())
        except ResourceNotFoundError:
            raise AuditorError(f"no run {run_id!r} in history container {self.target.container!r}") from None
        except (AzureError, ValueError) as exc:
            raise AuditorError(f"cannot read run {run_id!r} from history: {_short(exc)}") from exc
        return RunRecord(summary=_summary(raw["summary"]),
                         findings=tuple(TrackedFinding.from_json(f) for f in raw["findings"]),
                         report=raw["report"])

    def diff(self, run_a: str, run_b: str) -> RunDiff:
        return diff_runs(self.get(run_a), self.get(run_b))

    def _index_blob(self) -> str:
        return f"{self.target.prefix}index.json"

    def _run_blob(self, run_id: str) -> str:
        return f"{self.target.prefix}runs/{run_id}.json"

    def _read_index(self) -> tuple[list[dict[str, Any]], str | None]:
        try:
            download = self._container.download_blob(self._index_blob())
            raw = json.loads(download.readall())
        except ResourceNotFoundError:
            return [], None
        except (AzureError, ValueError) as exc:
            raise AuditorError(f"cannot read history index: {_short(exc)}") from exc
        if raw.get("schema") != INDEX_SCHEMA:
            raise AuditorError(f"history index is not {INDEX_SCHEMA}")
        return list(raw["runs"]), download.properties.etag

    def _replace_index(self, runs: list[dict[str, Any]], etag: str | None) -> bool:
        body = json.dumps({"schema": INDEX_SCHEMA, "runs": runs})
        blob = self._container.get_blob_client(self._index_blob())
        try:
            if etag is None:
                blob.upload_blob(body, overwrite=False, content_settings=_JSON)   # If-None-Match: *
            else:
                blob.upload_blob(body, overwrite=True, etag=etag, match_condition=MatchConditions.IfNotModified,
                                 content_settings=_JSON)
        except (ResourceExistsError, ResourceModifiedError):
            return False
        except AzureError as exc:
            raise AuditorError(f"cannot write history index: {_short(exc)}") from exc
        return True

    def _upload(self, name: str, body: str, *, overwrite: bool) -> None:
        try:
            self._container.upload_blob(name, body, overwrite=overwrite, content_settings=_JSON)
        except AzureError as exc:
            raise AuditorError(f"cannot write history blob {name}: {_short(exc)}") from exc


def _run_document(record: RunRecord) -> str:
    return json.dumps({"schema": RUN_SCHEMA, "summary": record.summary.to_json(),
                       "findings": [f.to_json() for f in record.findings], "report": record.report})


def _summary(raw: dict[str, Any]) -> RunSummary:
    return RunSummary(run_id=raw["run_id"], tenant_id=raw["tenant_id"], as_of=datetime.fromisoformat(raw["as_of"]),
                      started=datetime.fromisoformat(raw["started"]),
                      finished=datetime.fromisoformat(raw["finished"]), complete=bool(raw["complete"]),
                      findings=int(raw["findings"]), counts_by_severity=dict(raw["counts_by_severity"]))


def _short(exc: Exception) -> str:
    """The first line of an Azure error: its full text can run to dozens of lines."""
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
