"""Builds the real Azure SDK clients (async) over the run's shared session.

Every client gets the cloud's endpoints, the run's credential and transport, and
the same retry settings; nothing is built at import time.
"""

from __future__ import annotations

import ssl
from contextlib import AbstractAsyncContextManager, nullcontext
from typing import Any, TypeVar

import aiohttp
from azure.core.credentials_async import AsyncTokenCredential

from auditor.cloud import CloudEndpoints
from auditor.collect.arm_pacing import ArmReadPacing, ReadBuckets
from auditor.collect.bounded import BoundedRetryPolicy
from auditor.collect.context import Network
from auditor.collect.session import open_session, ssl_context, transport
from auditor.config import CollectConfig

C = TypeVar("C")


class ClientFactory:
    def __init__(self, *, cloud: CloudEndpoints, credential: AsyncTokenCredential,
                 session: aiohttp.ClientSession, settings: CollectConfig, network: Network | None = None,
                 read_buckets: ReadBuckets | None = None) -> None:
        self.cloud = cloud
        self.credential = credential
        self.session = session
        self.settings = settings
        self.network = network           # to open a session of a host's own (Key Vault)
        # The run's copy of ARM's read buckets (CollectContext.read_buckets): a factory of its
        # own would start full while ARM's bucket is already drained by the stage before.
        self.read_buckets = read_buckets if read_buckets is not None else ReadBuckets()
        self._trust: ssl.SSLContext | None = None      # built on the first host session, then shared

    def host_session(self, limit: int) -> AbstractAsyncContextManager[aiohttp.ClientSession]:
        """A session of its own for one host, whose connections close with it: every Key Vault
        is a host, and a pooled idle TLS connection keeps a 128 KiB buffer, so with thousands
        of vaults the shared pool's idle connections were most of an audit's memory."""
        if self.network is None:
            return nullcontext(self.session)
        if self._trust is None:
            self._trust = ssl_context(self.network)
        return open_session(self.network, limit=limit, trust=self._trust)

    def common_kwargs(self, session: aiohttp.ClientSession | None = None) -> dict[str, Any]:
        # azure-core's RetryPolicy honours Retry-After and retry-after-ms on 429/503;
        # the cap keeps one throttled call from holding the run hostage.
        # A Retry-After beyond max_retry_wait_seconds is not waited: it fails the call
        # at once (a `throttled` gap). Timeouts live on the transport, which is shared.
        settings = self.settings
        return {
            "transport": transport(session or self.session, settings.request_timeout_seconds),
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

    def certificates(self, vault_url: str, session: aiohttp.ClientSession | None = None) -> Any:
        """The Key Vault data-plane client for one vault (over `session`, else the shared one)."""
        from azure.keyvault.certificates.aio import CertificateClient

        return CertificateClient(vault_url, self.credential, **self.common_kwargs(session))
