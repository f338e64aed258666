#!/usr/bin/env python3
"""clientgen against openapi-python-client, side by side in one run; prints a Markdown table.

    .venv/bin/python benchmarks/run.py                  # five providers + ../shared/corpus/large
    .venv/bin/python benchmarks/run.py --runs 3 --only github spotify

"Cold" = an empty format cache (a fresh CLIENTGEN_CACHE_DIR per run) and a fresh output folder.
openapi-python-client (0.29.1) and pydantic v2 are installed into their own virtualenv under
benchmarks/.cache/ (not committed). Times are medians of --runs runs; memory is the peak RSS of
the process tree (ru_maxrss of the children). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "benchmarks" / ".cache"
OPC_VENV = CACHE / "opc-venv"
LARGE = ROOT.parent / "shared" / "corpus" / "large"
OURS = ROOT / ".venv" / "bin" / "clientgen"


def ensure_opc() -> Path:
    python = OPC_VENV / "bin" / "python"
    if not (OPC_VENV / "bin" / "openapi-python-client").exists():
        subprocess.run([sys.executable, "-m", "venv", str(OPC_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", "openapi-python-client==0.29.1",
                        "pydantic>=2,<3", "httpx"], check=True)
    return OPC_VENV / "bin" / "openapi-python-client"


def timed(command: list[str], env: dict[str, str] | None = None, cwd: Path | None = None
          ) -> tuple[float, float, int]:
    """(seconds, peak MB of the process tree, exit code)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    return seconds, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def lines_of(folder: Path) -> int:
    return sum(p.read_text(errors="replace").count("\n") for p in folder.rglob("*.py"))


def ours_cold(spec: Path, work: Path) -> tuple[float, float, int, Path]:
    out = Path(tempfile.mkdtemp(dir=work))
    env = dict(os.environ, CLIENTGEN_CACHE_DIR=tempfile.mkdtemp(dir=work))
    seconds, mb, code = timed([str(OURS), "generate", str(spec), "-o", str(out), "--package",
                               "client"], env)
    return seconds, mb, code, out / "client"


def theirs_cold(opc: Path, spec: Path, work: Path) -> tuple[float, float, int, Path]:
    out = Path(tempfile.mkdtemp(dir=work)) / "client"
    seconds, mb, code = timed([str(opc), "generate", "--path", str(spec), "--output-path",
                               str(out), "--overwrite"], cwd=work)
    return seconds, mb, code, out


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", nargs="*", help="substrings of spec names")
    parser.add_argument("--no-opc", action="store_true", help="ours alone")
    args = parser.parse_args()
    specs = sorted((ROOT / "specs").glob("*.yaml")) + sorted(LARGE.glob("*"))
    if args.only:
        specs = [s for s in specs if any(o in s.name for o in args.only)]
    opc = None if args.no_opc else ensure_opc()
    work = Path(tempfile.mkdtemp(prefix="clientgen-bench-"))
    print("| spec | ours cold s | ours MB | theirs cold s | theirs MB | ratio | ours lines | "
          "theirs lines | regen after 1-field change s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for spec in specs:
        ours = [ours_cold(spec, work) for _ in range(args.runs)]
        ok = [r for r in ours if r[2] == 0]
        row = [spec.name]
        row += [f"{median([r[0] for r in ok]):.2f}" if ok else f"fails ({ours[0][2]})",
                f"{max((r[1] for r in ok), default=0):.0f}"]
        theirs = []
        if opc is not None:
            theirs = [theirs_cold(opc, spec, work) for _ in range(args.runs)]
            good = [r for r in theirs if r[2] == 0]
            row += [f"{median([r[0] for r in good]):.2f}" if good else "fails",
                    f"{max((r[1] for r in good), default=0):.0f}"]
            row.append(f"{median([r[0] for r in good]) / median([r[0] for r in ok]):.1f}x"
                       if good and ok else "-")
        else:
            row += ["-", "-", "-"]
        row.append(str(lines_of(ok[0][3])) if ok else "-")
        good = [r for r in theirs if r[2] == 0]
        row.append(str(lines_of(good[0][3])) if good else "-")
        row.append(f"{regeneration(spec, work):.2f}" if ok else "-")
        print("| " + " | ".join(row) + " |", flush=True)
    print()
    print(f"check on an unchanged tree (five providers, median of {max(args.runs, 5)}): "
          f"{check_time(max(args.runs, 5)):.2f} s")
    shutil.rmtree(work, ignore_errors=True)
    return 0


def regeneration(spec: Path, work: Path) -> float:
    """Warm cache: generate, add one field to the first component schema with properties,
    generate again (timed). The first run loads the original text, so the YAML is re-dumped
    only for the changed run: the one-field change is a change of the whole text's bytes, as
    an edited spec's is, and the units not touched by the field come from the cache."""
    import yaml

    folder = Path(tempfile.mkdtemp(dir=work))
    copy = folder / spec.name
    shutil.copy(spec, copy)
    env = dict(os.environ, CLIENTGEN_CACHE_DIR=str(folder / "cache"))
    out = folder / "out"
    subprocess.run([str(OURS), "generate", str(copy), "-o", str(out), "--package", "client"],
                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    text = copy.read_text()
    if spec.suffix == ".json":
        data = json.loads(text)
    else:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    schemas = (data.get("components") or {}).get("schemas") or {}
    target = next((s for s in schemas.values() if isinstance(s, dict)
                   and isinstance(s.get("properties"), dict)), None)
    if target is None:
        return float("nan")
    target["properties"]["benchmark_added_field"] = {"type": "string"}
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    copy.write_text(json.dumps(data) if spec.suffix == ".json"
                    else yaml.dump(data, Dumper=dumper, sort_keys=False))
    seconds, _, _ = timed([str(OURS), "generate", str(copy), "-o", str(out), "--package",
                           "client"], env)
    return seconds


def check_time(runs: int) -> float:
    subprocess.run([str(OURS), "generate"], cwd=ROOT, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return median([timed([str(OURS), "check"], cwd=ROOT)[0] for _ in range(runs)])


if __name__ == "__main__":
    sys.exit(main())
