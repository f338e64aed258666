"""A generated package copied alone into a fresh virtualenv with only httpx works."""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
from pathlib import Path

from conftest import GENERATED
from fake_providers import API_KEY, JOBS, PROVIDERS, FakeProviderServer

SCRIPT = """
import asyncio, sys
import depicta

client = depicta.Client(api_key=sys.argv[2], base_url=sys.argv[1])
ids = [job.job_id for job in client.list_generation_jobs(limit=100)]

async def count() -> int:
    async with depicta.AsyncClient(api_key=sys.argv[2], base_url=sys.argv[1]) as aclient:
        return len([job async for job in aclient.list_generation_jobs(limit=250)])

print(len(ids), len(set(ids)), asyncio.run(count()))
"""


def test_package_alone_with_only_httpx_lists_every_job(tmp_path: Path) -> None:
    environment = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(environment)
    python = environment / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "httpx"], check=True,
                   capture_output=True)
    installed = subprocess.run([str(python), "-m", "pip", "list", "--format=freeze"],
                               capture_output=True, text=True, check=True).stdout
    names = {line.split("==")[0].lower() for line in installed.split()}
    assert names <= {"httpx", "httpcore", "h11", "anyio", "idna", "certifi", "sniffio",
                     "typing-extensions", "typing_extensions", "pip", "setuptools",
                     "exceptiongroup"}, names

    app = tmp_path / "app"
    shutil.copytree(GENERATED / "depicta", app / "depicta",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (app / "main.py").write_text(SCRIPT)
    with FakeProviderServer(PROVIDERS["depicta"]()) as server:
        result = subprocess.run([str(python), "main.py", server.base_url, API_KEY],
                                cwd=app, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(JOBS), str(JOBS), str(JOBS)]
    assert sys.executable not in result.stderr
