"""A secret planted in an app setting and a connection string appears nowhere the run writes."""

import dataclasses
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.collect.azure import collect_azure


def plant(estate, kit) -> str:
    secret = kit.SECRET
    kit.web_site(estate, kit.SUBS[0], "vault-app", custom=["app.contoso.com"], thumbprint=None,
                 settings={"API_TOKEN": secret, "CALLBACK": f"https://cb.contoso.com/x?sig={secret}",
                           "MIXED": f"https://login.contoso-legacy.net/{secret}.dotted"},
                 strings={"Db": f"Server=tcp:sql1.database.windows.net;Password={secret}.x;"}, cors=[])
    return secret


def everything_under(folder: Path) -> str:
    texts = []
    for path in folder.rglob("*"):
        if path.is_file():
            texts.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(texts)


async def test_collection_keeps_no_secret_value(estate, serve, kit, caplog, capsys, tmp_path, monkeypatch) -> None:
    secret = plant(estate, kit)
    _, endpoints = serve(estate)
    workdir = tmp_path / "work"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    caplog.set_level(logging.DEBUG)

    result = await collect_azure(kit.context_for(endpoints))

    part = result.partial
    assert part.gaps == [] and any(r.where == "appsettings.CALLBACK" for r in part.references)
    dumped = json.dumps(dataclasses.asdict(result), default=str)
    captured = capsys.readouterr()
    logged = "\n".join(f"{r.getMessage()} {r.args!r}" for r in caplog.records)
    assert caplog.records, "DEBUG logging captured nothing: the check would be empty"
    for where, text in (("result", dumped + repr(result)), ("logs", logged), ("stdout", captured.out),
                        ("stderr", captured.err), ("files", everything_under(workdir))):
        assert secret not in text, f"secret value found in {where}"
        assert secret.lower() not in text.lower(), f"secret value (any case) found in {where}"


def test_inventory_command_prints_and_writes_no_secret_value(estate, kit, tmp_path) -> None:
    secret = plant(estate, kit)
    root = estate.write()
    workdir = tmp_path / "cli-work"
    workdir.mkdir()
    env = dict(os.environ, AZURE_LOG_LEVEL="debug")
    done = subprocess.run([sys.executable, "-m", "auditor", "inventory", "--estate", str(root), "--format", "json"],
                          cwd=workdir, env=env, capture_output=True, text=True, timeout=120)
    if done.returncode == 2 and "ModuleNotFoundError" in done.stderr:
        pytest.skip(f"the CLI is not complete in this tree yet: {done.stderr.strip()[-200:]}")
    assert done.returncode in (0, 3), done.stderr[-2000:]
    inventory = json.loads(done.stdout)
    assert "appsettings.CALLBACK" in json.dumps(inventory)
    for where, text in (("stdout", done.stdout), ("stderr", done.stderr), ("files", everything_under(workdir))):
        assert secret.lower() not in text.lower(), f"secret value found in {where}"
