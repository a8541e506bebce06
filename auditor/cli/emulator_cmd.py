"""`auditor emulator --estate DIR`: serve an estate on loopback for other tools."""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from typing import Annotated

import typer


def emulator(
    estate: Annotated[Path, typer.Option("--estate", help="The estate directory to serve.", metavar="DIR",
                                         file_okay=False)],
) -> None:
    """Serve an estate over Azure's wire protocols on 127.0.0.1 and print its endpoints."""
    from auditor.emulator import Emulator

    server = Emulator(estate)
    endpoints = server.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        print(f"ARM, Resource Graph, Key Vault, token: https://127.0.0.1:{endpoints.https_port} "
              f"(send the Azure host name: e.g. curl --connect-to ::127.0.0.1:{endpoints.https_port} "
              f"--cacert {endpoints.ca_file} https://management.azure.com/subscriptions?api-version=2022-12-01)")
        print(f"DNS: 127.0.0.1 port {endpoints.dns_port} (UDP and TCP): dig @127.0.0.1 -p {endpoints.dns_port} NAME")
        print(f"TLS by SNI: 127.0.0.1:{endpoints.tls_port}: openssl s_client -connect 127.0.0.1:{endpoints.tls_port} -servername HOST")
        print(f"CA certificate: {endpoints.ca_file}")
        print(f"tenant {endpoints.tenant_id}, client id {endpoints.client_id}, client secret {endpoints.client_secret}")
        print(f"a token: curl --connect-to ::127.0.0.1:{endpoints.https_port} --cacert {endpoints.ca_file} "
              f"-d grant_type=client_credentials -d client_id={endpoints.client_id} "
              f"-d client_secret={endpoints.client_secret} -d scope=https://management.azure.com/.default "
              f"https://login.microsoftonline.com/{endpoints.tenant_id}/oauth2/v2.0/token")
        print("Ctrl-C to stop.", flush=True)
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
