"""Prism, the OpenAPI mock server (`@stoplight/prism-cli`, from package-lock.json), for tests.

`PrismServer(spec)` runs `prism mock SPEC` on a free port of 127.0.0.1 (static examples, or
`dynamic=True` for schema-valid random bodies from a fixed seed), waits until it answers and
stops it, with anything it started, on exit. `Recorder` gives the generated clients httpx
clients that refuse any host but 127.0.0.1 and keep every exchange with Prism's
`sl-violations` header: Prism answers a request that breaks the spec with 400 or 422 and names
the broken rule there.
"""

from __future__ import annotations

import atexit
import json
import os
import signal
import socket
import ssl
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from conftest import ROOT

PRISM = ROOT / "node_modules" / ".bin" / "prism"
START_TIMEOUT = 90.0  # seconds; a big spec takes a few seconds on two cores


# The clients only talk plain HTTP to 127.0.0.1: an empty TLS context spares httpx loading the
# CA bundle for every client it builds (~45 ms each, most of a call's time).
_PLAIN_HTTP_ONLY = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


class PrismError(RuntimeError):
    pass


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PrismServer:
    def __init__(self, spec: Path, *, dynamic: bool = False, seed: int = 1) -> None:
        if not PRISM.exists():
            raise PrismError("Prism is missing: run `npm ci` (the README's test command does)")
        self.spec = spec
        self.dynamic = dynamic
        self.seed = seed
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0
        self._log = tempfile.NamedTemporaryFile(prefix="prism-", suffix=".log", delete=False)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def mode(self) -> str:
        return "dynamic" if self.dynamic else "static"

    def log_tail(self, lines: int = 30) -> str:
        text = Path(self._log.name).read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def __enter__(self) -> PrismServer:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
        self._log.close()
        Path(self._log.name).unlink(missing_ok=True)

    def start(self) -> None:
        for _ in range(3):  # another process may take the free port before Prism does
            self.port = _free_port()
            command = [str(PRISM), "mock", str(self.spec), "--host", "127.0.0.1",
                       "--port", str(self.port), "--verboseLevel", "warn"]
            if self.dynamic:
                command += ["--dynamic", "--seed", str(self.seed)]
            self.process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT,
                cwd=ROOT, start_new_session=True,
                env={**os.environ, "NO_COLOR": "1", "FORCE_COLOR": "0"},
            )
            atexit.register(self.stop)  # even if pytest never reaches the fixture's teardown
            if self._wait_until_ready():
                return
            self.stop()
            if "EADDRINUSE" not in self.log_tail():
                break
        raise PrismError(f"Prism did not start for {self.spec.name}:\n{self.log_tail()}")

    def _wait_until_ready(self) -> bool:
        assert self.process is not None
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                httpx.get(self.base_url + "/", timeout=1.0)  # any answer (404) means it is up
                return True
            except httpx.TransportError:
                time.sleep(0.1)
        return False

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        atexit.unregister(self.stop)
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)  # its own session: Prism and its children
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


@dataclass
class Exchange:
    method: str
    url: str
    status: int
    violations: list[dict[str, Any]]
    body: bytes

    @property
    def request_violations(self) -> list[dict[str, Any]]:
        """What Prism finds wrong with the request the client sent."""
        return [v for v in self.violations if v.get("location", [""])[0] == "request"]

    @property
    def response_violations(self) -> list[dict[str, Any]]:
        """What Prism finds wrong with its own answer: a spec example that breaks its schema."""
        return [v for v in self.violations if v.get("location", [""])[0] == "response"]

    def describe(self) -> str:
        return f"{self.method} {self.url} -> {self.status} {json.dumps(self.violations)}"


@dataclass
class Recorder:
    """httpx clients for the generated clients that keep every exchange."""

    exchanges: list[Exchange] = field(default_factory=list)

    def sync_client(self) -> httpx.Client:
        return httpx.Client(verify=_PLAIN_HTTP_ONLY, event_hooks={
            "request": [_loopback_only], "response": [self._record]})

    def async_client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(verify=_PLAIN_HTTP_ONLY, event_hooks={
            "request": [_async_loopback_only], "response": [self._arecord]})

    def _record(self, response: httpx.Response) -> None:
        response.read()
        self._keep(response)

    async def _arecord(self, response: httpx.Response) -> None:
        await response.aread()
        self._keep(response)

    def _keep(self, response: httpx.Response) -> None:
        header = response.headers.get("sl-violations")
        violations = json.loads(header) if header else []
        self.exchanges.append(Exchange(response.request.method, str(response.request.url),
                                       response.status_code, violations, response.content))

    def violations(self) -> list[Exchange]:
        """The exchanges whose request Prism found in breach of the spec."""
        return [exchange for exchange in self.exchanges if exchange.request_violations]


def _loopback_only(request: httpx.Request) -> None:
    if request.url.host != "127.0.0.1":
        raise PrismError(f"refusing to send {request.method} {request.url}: tests only talk to "
                         "127.0.0.1")


async def _async_loopback_only(request: httpx.Request) -> None:
    _loopback_only(request)
