"""Builds the real Azure SDK clients (async) over the run's shared session.

Every client gets the cloud's endpoints, the run's credential and transport, and
the same retry settings; nothing is built at import time.
"""

from __future__ import annotations

from typing import Any, TypeVar

import aiohttp
from azure.core.credentials_async import AsyncTokenCredential

from auditor.cloud import CloudEndpoints
from auditor.collect.arm_pacing import ArmReadPacing, ReadBuckets
from auditor.collect.bounded import BoundedRetryPolicy
from auditor.collect.session import transport
from auditor.config import CollectConfig

C = TypeVar("C")


class ClientFactory:
    def __init__(self, *, cloud: CloudEndpoints, credential: AsyncTokenCredential,
                 session: aiohttp.ClientSession, settings: CollectConfig) -> None:
        self.cloud = cloud
        self.credential = credential
        self.session = session
        self.settings = settings
        self.read_buckets = ReadBuckets()      # one per run: every ARM client shares them

    def common_kwargs(self) -> dict[str, Any]:
        # azure-core's RetryPolicy honours Retry-After and retry-after-ms on 429/503;
        # the cap keeps one throttled call from holding the run hostage.
        # A Retry-After beyond max_retry_wait_seconds is not waited: it fails the call
        # at once (a `throttled` gap). Timeouts live on the transport, which is shared.
        settings = self.settings
        return {
            "transport": transport(self.session, settings.request_timeout_seconds),
            "retry_policy": BoundedRetryPolicy(
                max_wait=settings.max_retry_wait_seconds, retry_total=settings.retries,
                retry_connect=settings.retries, retry_read=settings.retries, retry_status=settings.retries,
                retry_backoff_factor=0.5),
            "connection_timeout": settings.request_timeout_seconds,
            "read_timeout": settings.request_timeout_seconds,
        }

    def mgmt(self, client_cls: type[C], subscription_id: str | None = None, **extra: Any) -> C:
        """An azure-mgmt-* async client, e.g. mgmt(WebSiteManagementClient, sub)."""
        kwargs = self.common_kwargs()
        kwargs.update(base_url=self.cloud.arm, credential_scopes=[self.cloud.arm_scope],
                      per_retry_policies=[ArmReadPacing(self.read_buckets)])
        kwargs.update(extra)
        if subscription_id is None:
            return client_cls(self.credential, **kwargs)  # type: ignore[call-arg]
        return client_cls(self.credential, subscription_id, **kwargs)  # type: ignore[call-arg]

    def certificates(self, vault_url: str) -> Any:
        """The Key Vault data-plane client for one vault."""
        from azure.keyvault.certificates.aio import CertificateClient

        return CertificateClient(vault_url, self.credential, **self.common_kwargs())
