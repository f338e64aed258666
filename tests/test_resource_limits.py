"""Hostile sizes: bounded time and memory, or a clear refusal.

Each case runs `clientgen` in a child process that reports its own peak memory (VmHWM) and
CPU time as it exits; the limits are the issue's bounds.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT
from generator.diagnostics import GenerationFailed, Reporter
from generator.pipeline import build_ir


CHILD = """
import resource, sys
from generator.cli import main
code = main(sys.argv[1:])
usage = resource.getrusage(resource.RUSAGE_SELF)
# VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec, so it would include the memory of
# the (large) test process this child was forked from.
status = open("/proc/self/status").read()
peak_kb = int(status.split("VmHWM:")[1].split()[0])
print(f"PEAK_KB {peak_kb} CPU_S {usage.ru_utime + usage.ru_stime}", file=sys.stderr)
sys.exit(code)
"""


def run_clientgen(*args: str) -> tuple[subprocess.CompletedProcess[str], float, float]:
    """(result, CPU seconds of the child, its peak MB). CPU time, not wall time: these shared
    machines are loaded by other work, which says nothing about the generator."""
    result = subprocess.run([sys.executable, "-c", CHILD, *args], capture_output=True,
                            text=True, cwd=ROOT, timeout=600)
    stats = result.stderr.rsplit("PEAK_KB ", 1)[1].split()
    return result, float(stats[2]), int(stats[0]) / 1024


def test_a_1kb_alias_bomb_is_refused_quickly_and_small() -> None:
    bomb = ROOT / "tests" / "broken" / "alias-bomb.yaml"
    assert bomb.stat().st_size < 1024
    result, seconds, peak_mb = run_clientgen("validate", str(bomb.relative_to(ROOT)))
    assert result.returncode == 2 and "alias bomb" in result.stderr
    assert "Traceback" not in result.stderr
    assert seconds < 2.0 and peak_mb < 200, (seconds, peak_mb)


def test_many_operations_and_very_long_strings_stay_bounded(tmp_path: Path) -> None:
    paths = {
        f"/things{i}/{{id}}": {"get": {
            "operationId": f"getThing{i}", "description": "d" * 2000,
            "parameters": [{"name": "id", "in": "path", "required": True,
                            "schema": {"type": "string"}}],
            "responses": {"200": {"description": "ok", "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Thing"}}}}}}}
        for i in range(100)
    }
    spec = {"openapi": "3.1.0", "info": {"title": "Big", "version": "1",
                                         "description": "x" * 2_000_000},
            "paths": paths, "components": {"schemas": {"Thing": {
                "type": "object", "description": "y" * 1_000_000,
                "properties": {"id": {"type": "string", "default": 10 ** 4000}}}}}}
    (tmp_path / "big.json").write_text(json.dumps(spec))
    result, seconds, peak_mb = run_clientgen("generate", str(tmp_path / "big.json"), "-o",
                                             str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert peak_mb < 1024, peak_mb
    client = (tmp_path / "out" / "big" / "client.py").read_text()
    assert client.count("    def get_thing") == 100


KINDS = ["schemas", "parameters", "responses", "requestBodies", "headers", "examples",
         "links", "callbacks", "pathItems", "securitySchemes"]


@pytest.mark.parametrize("kind", KINDS)
def test_reference_cycles_through_every_component_kind_terminate(tmp_path: Path,
                                                                 kind: str) -> None:
    spec = {"openapi": "3.1.0", "info": {"title": "Cycles", "version": "1"}, "paths": {},
            "components": {kind: {
                "A": {"$ref": f"#/components/{kind}/B"},
                "B": {"$ref": f"#/components/{kind}/A"}}}}
    (tmp_path / "cycle.json").write_text(json.dumps(spec))
    reporter = Reporter()
    start = time.perf_counter()
    try:
        build_ir(tmp_path / "cycle.json", "cycles", reporter)
    except GenerationFailed as failed:
        assert all(d.line is not None for d in failed.diagnostics)
    assert time.perf_counter() - start < 30
    if kind == "examples":
        return  # example values are data: never followed, so their cycle is never entered
    assert any("cycle of references" in d.message for d in reporter.diagnostics)
