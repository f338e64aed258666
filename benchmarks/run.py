#!/usr/bin/env python3
"""clientgen against openapi-python-client, side by side in one run; prints a Markdown table.

    .venv/bin/python benchmarks/run.py                  # five providers + ../shared/corpus/large
    .venv/bin/python benchmarks/run.py --runs 3 --only github spotify

"Cold" = an empty format cache (a fresh CLIENTGEN_CACHE_DIR per run) and a fresh output folder.
openapi-python-client (0.29.1) and pydantic v2 are installed into their own virtualenv under
benchmarks/.cache/ (not committed). Times are medians of --runs runs, ours and theirs alternating;
memory is the peak RSS of the largest process of the run (ru_maxrss from wait4). The decode table
comes from benchmarks/decode.py. Not part of the test suite: these machines are shared and noisy,
so read the ratios, measured side by side in one run.
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


def compile_ours() -> None:
    """Our generator's bytecode, written before timing. An installed package has it (pip
    compiles on install, as it did for openapi-python-client's virtualenv), but an editable
    checkout run with PYTHONDONTWRITEBYTECODE set (as on these machines) would compile every
    changed module from source on each run: 0.1-0.2 s that no user pays."""
    subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "-m", "compileall", "-q",
                    str(ROOT / "generator")], check=True)


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
    """openapi-python-client with `literal_enums: true`: without it, it stops on GitHub's spec
    (two enum values give the same Python name)."""
    out = Path(tempfile.mkdtemp(dir=work)) / "client"
    config = work / "opc-config.yaml"
    config.write_text("literal_enums: true\n")
    seconds, mb, code = timed([str(opc), "generate", "--path", str(spec), "--output-path",
                               str(out), "--overwrite", "--config", str(config)], cwd=work)
    return seconds, mb, code, out


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", nargs="*", help="substrings of spec names")
    parser.add_argument("--no-opc", action="store_true", help="ours alone")
    parser.add_argument("--no-decode", action="store_true", help="skip the decode table")
    args = parser.parse_args()
    specs = sorted((ROOT / "specs").glob("*.yaml")) + sorted(LARGE.glob("*"))
    if args.only:
        specs = [s for s in specs if any(o in s.name for o in args.only)]
    opc = None if args.no_opc else ensure_opc()
    compile_ours()
    work = Path(tempfile.mkdtemp(prefix="clientgen-bench-"))
    print(f"cold generate: median of {args.runs} runs each, ours and openapi-python-client "
          "alternating; regeneration: median of the same number of runs, warm cache")
    print()
    print("| spec | ours cold s | ours peak MB | opc cold s | opc peak MB | opc/ours | ours lines "
          "| opc lines | regen after 1-field change s | regen/cold |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for spec in specs:
        ours, theirs = [], []
        for _ in range(args.runs):  # alternating, so machine noise falls on both alike
            ours.append(ours_cold(spec, work))
            if opc is not None:
                theirs.append(theirs_cold(opc, spec, work))
        ok = [r for r in ours if r[2] == 0]
        good = [r for r in theirs if r[2] == 0]
        ours_s = median([r[0] for r in ok])
        theirs_s = median([r[0] for r in good])
        row = [spec.name,
               f"{ours_s:.2f}" if ok else f"fails ({ours[0][2]})",
               f"{max((r[1] for r in ok), default=0):.0f}",
               f"{theirs_s:.2f}" if good else ("fails" if theirs else "-"),
               f"{max((r[1] for r in good), default=0):.0f}" if good else "-",
               f"{theirs_s / ours_s:.1f}x" if good and ok else "-",
               str(lines_of(ok[0][3])) if ok else "-",
               str(lines_of(good[0][3])) if good else "-"]
        if ok:
            regen = median([regeneration(spec, work) for _ in range(args.runs)])
            row += [f"{regen:.2f}", f"{regen / ours_s:.0%}"]
        else:
            row += ["-", "-"]
        print("| " + " | ".join(row) + " |", flush=True)
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
    print()
    runs = max(args.runs, 5)
    print(f"check on an unchanged tree, median of {runs}: five providers "
          f"{check_time(ROOT, runs):.2f} s", end="")
    github = LARGE / "github-api.github.com.yaml"
    if github.exists():
        project = github_project(github, work)
        print(f"; GitHub REST {check_time(project, runs):.2f} s")
    else:
        print()
    if not args.no_decode:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        import decode  # benchmarks/decode.py

        print()
        for line in decode.decode_table(max(args.runs, 5)):
            print(line)
    shutil.rmtree(work, ignore_errors=True)
    return 0


def _first_object(node: object) -> dict | None:
    """The first schema with `properties` in the document (components first, then paths)."""
    if isinstance(node, dict):
        if isinstance(node.get("properties"), dict) and node["properties"]:
            return node
        for value in node.values():
            found = _first_object(value)
            if found is not None:
                return found
    elif isinstance(node, list):
        for value in node:
            found = _first_object(value)
            if found is not None:
                return found
    return None


def regeneration(spec: Path, work: Path) -> float:
    """Warm cache: generate, add one field to the first schema with properties, generate again
    (timed). The changed spec is re-dumped (JSON, or YAML with the C dumper), so both runs read
    a whole file as an edited spec's would be; the units the field does not touch come from the
    format cache."""
    import yaml

    folder = Path(tempfile.mkdtemp(dir=work))
    copy = folder / spec.name
    env = dict(os.environ, CLIENTGEN_CACHE_DIR=str(folder / "cache"))
    out = folder / "out"
    text = spec.read_text()
    if spec.suffix == ".json":
        data = json.loads(text)
    else:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

    def dump() -> str:
        return (json.dumps(data) if spec.suffix == ".json"
                else yaml.dump(data, Dumper=dumper, sort_keys=False))

    copy.write_text(dump())
    subprocess.run([str(OURS), "generate", str(copy), "-o", str(out), "--package", "client"],
                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    target = _first_object(data.get("components")) or _first_object(data)
    if target is None:
        return float("nan")
    target["properties"]["benchmark_added_field"] = {"type": "string"}
    copy.write_text(dump())
    seconds, _, _ = timed([str(OURS), "generate", str(copy), "-o", str(out), "--package",
                           "client"], env)
    return seconds


def github_project(spec: Path, work: Path) -> Path:
    """A project folder whose one provider is GitHub's spec, generated once."""
    project = Path(tempfile.mkdtemp(dir=work))
    (project / "pyproject.toml").write_text(
        '[tool.clientgen]\noutput = "generated"\n[tool.clientgen.providers.github]\n'
        f'spec = "{spec}"\npackage = "github"\n')
    subprocess.run([str(OURS), "generate"], cwd=project, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=True)
    return project


def check_time(project: Path, runs: int) -> float:
    """`clientgen check` in `project` after a `generate` (an unchanged tree)."""
    subprocess.run([str(OURS), "generate"], cwd=project, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=True)
    results = [timed([str(OURS), "check"], cwd=project) for _ in range(runs)]
    if any(code != 0 for _, _, code in results):
        return float("nan")
    return median([seconds for seconds, _, _ in results])


if __name__ == "__main__":
    sys.exit(main())
