"""The Function's code as the Functions host loads it, Blob Storage from Azurite, the demo estate."""

from __future__ import annotations

import importlib
import json
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from history.azurite import ACCOUNT, ACCOUNT_KEY, AZURITE, azurite_blob

from auditor.estate.demo import build_demo

FUNCTION_DIR = Path(__file__).resolve().parents[2] / "function"

needs_azurite = pytest.mark.skipif(not AZURITE.exists(), reason="Azurite is installed by `make` under .tools/")


@pytest.fixture(scope="session")
def function_app() -> ModuleType:
    """function/function_app.py, imported from its own folder as the Python worker does."""
    if str(FUNCTION_DIR) not in sys.path:
        sys.path.insert(0, str(FUNCTION_DIR))
    return importlib.import_module("function_app")


@pytest.fixture(scope="session")
def demo_estate(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("demo") / "estate")


@pytest.fixture(scope="module")
def storage_connection_string(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with azurite_blob(tmp_path_factory.mktemp("azurite")) as account_url:
        yield (f"DefaultEndpointsProtocol=http;AccountName={ACCOUNT};AccountKey={ACCOUNT_KEY};"
               f"BlobEndpoint={account_url};")


@dataclass
class WebhookReceiver:
    """A loopback HTTP server standing in for a Teams workflow: records every JSON body posted."""

    url: str = ""
    posts: list[Any] = field(default_factory=list)


@pytest.fixture
def webhook_receiver() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
            length = int(self.headers.get("Content-Length", "0"))
            receiver.posts.append(json.loads(self.rfile.read(length)))
            self.send_response(202)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
            return   # the default writes each request to stderr

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    # The path stands for the secret part of a real webhook URL: it must never show up anywhere.
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/workflows/sig-9f8e7d6c5b4a"
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def functions(function_app: ModuleType) -> dict[str, Any]:
    """The app's functions by name, indexed once, as the Functions worker does at start-up
    (azure-functions refuses a second indexing of the same app)."""
    return {f.get_function_name(): f for f in function_app.app.get_functions()}


def bindings(function: Any) -> list[dict[str, Any]]:
    """The bindings the Functions host reads for one function (its generated function.json)."""
    return list(json.loads(function.get_function_json())["bindings"])


SETTINGS = ("AUDIT_SCHEDULE", "AUDITOR_STORAGE_ACCOUNT_URL", "AUDITOR_STORAGE_CONNECTION_STRING",
            "AUDITOR_REPORT_CONTAINER", "AUDITOR_HISTORY_CONTAINER", "AUDITOR_FAIL_ON", "AUDITOR_CONFIG",
            "AUDITOR_ESTATE_DIR", "AUDITOR_TEAMS_WEBHOOK_URL", "AUDITOR_SLACK_WEBHOOK_URL",
            "AUDITOR_JSON_WEBHOOK_URL")


@pytest.fixture
def app_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """No app setting from the surrounding shell leaks in; the worker's directory is a scratch one,
    so nothing the Function writes can land in the checkout."""
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return monkeypatch
