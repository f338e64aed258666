#!/usr/bin/env python3
"""Run `clientgen generate` over a corpus of real-world specs and report, per spec, what came out.

    .venv/bin/python scripts/corpus.py                      # edge/ domain/ large/ of ../shared/corpus
    .venv/bin/python scripts/corpus.py edge domain          # only those folders
    .venv/bin/python scripts/corpus.py edge -k discriminator --keep /tmp/out

For each spec: `clientgen generate SPEC -o WORK/<spec>` (timeout per spec), then, when a client
was written, an import check in a fresh interpreter with the output folder on `sys.path`, then
`mypy --strict` on the package in its own output folder (with --keep, `clientgen.txt` and
`mypy.txt` beside the package hold their output). The result is a Markdown table on
stdout (one row per spec) and a summary line; progress goes to stderr.

Outcomes: `client` (exit 0), `error` (exit 2 with located `file:line: pointer: message` lines:
the spec has no sensible client), `crash` (any other exit, a traceback, an internal error, an
error without a location, or the timeout).

Exit status: 1 when any spec crashes, when a client from a gated folder (default `edge`,
`domain`) fails to import or to pass `mypy --strict`, or when a gated spec ends in a clean error
that is not listed in the expected-errors file (`scripts/corpus-expected-errors.txt`, one
`folder/spec  reason` per line); else 0. Standard library only: run it with the project's venv
so that `clientgen`, `mypy` and `httpx` are there.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
DEFAULT_FOLDERS = ("edge", "domain", "large")
DEFAULT_GATED = ("edge", "domain")
EXPECTED_ERRORS = ROOT / "scripts" / "corpus-expected-errors.txt"
SPEC_SUFFIXES = (".yaml", ".yml", ".json")

EXIT_OK, EXIT_BAD_INPUT = 0, 2
# `file[:line]: pointer: message`, where the pointer is `#` or a JSON pointer (see diagnostics.py).
LOCATED = re.compile(r"^(?P<file>.+?)(?::(?P<line>\d+))?: (?P<pointer>#|/[^:]*|#/[^:]*): "
                     r"(?P<level>(?:warning|info): )?(?P<message>.*)$")
MYPY_FOUND = re.compile(r"^Found (\d+) errors? in \d+ files?", re.MULTILINE)


@dataclass
class Result:
    folder: str
    spec: str
    outcome: str = "crash"  # client | error | crash
    exit_code: int | None = None
    seconds: float = 0.0
    warnings: int = 0
    infos: int = 0
    errors: int = 0
    lines: int = 0
    package: str = ""
    imports: bool | None = None  # None: not checked (no client, or --no-import)
    mypy: bool | None = None
    mypy_errors: int = 0
    mypy_seconds: float = 0.0
    reason: str = ""  # first error, or why it counts as a crash / failed a check
    problems: list[str] = field(default_factory=list)  # what makes this row fail the run

    @property
    def key(self) -> str:
        return f"{self.folder}/{self.spec}"


# --------------------------------------------------------------------------------- running


def clientgen_command(override: str | None = None) -> list[str]:
    """The `clientgen` of the interpreter running this script (the project's venv)."""
    if override:
        return override.split()
    script = Path(sys.executable).with_name("clientgen")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "generator"]


def run(command: list[str], timeout: float, cwd: Path | None = None,
        env: dict[str, str] | None = None) -> tuple[int | None, str, str, float]:
    """(exit code or None on timeout, stdout, stderr, seconds)."""
    started = time.monotonic()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=cwd,
                              env=env, errors="replace")
    except subprocess.TimeoutExpired as expired:
        out = expired.stdout or ""
        err = expired.stderr or ""
        return (None, out if isinstance(out, str) else out.decode(errors="replace"),
                err if isinstance(err, str) else err.decode(errors="replace"),
                time.monotonic() - started)
    return done.returncode, done.stdout, done.stderr, time.monotonic() - started


def check_spec(spec: Path, folder: str, work: Path, args: argparse.Namespace) -> Result:
    result = Result(folder, spec.name)
    out = work / folder / spec.name
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    code, _, stderr, seconds = run(
        [*clientgen_command(args.clientgen), "generate", str(spec), "-o", str(out)],
        args.timeout, cwd=ROOT)
    result.exit_code, result.seconds = code, round(seconds, 1)
    (out / "clientgen.txt").write_text(stderr, encoding="utf-8")
    diagnostics = [line for line in stderr.splitlines() if line.strip()]
    located = [LOCATED.match(line) for line in diagnostics]
    result.warnings = sum(1 for m in located if m and m.group("level") == "warning: ")
    result.infos = sum(1 for m in located if m and m.group("level") == "info: ")
    error_lines = [line for line, m in zip(diagnostics, located) if not (m and m.group("level"))]
    result.errors = len(error_lines)
    if code is None:
        result.reason = f"timed out after {args.timeout:.0f} s"
        return result
    internal = [line for line, m in zip(diagnostics, located)
                if line.startswith(("clientgen: internal error", "Traceback"))
                or (m is not None and m.group("message").startswith("internal error"))]
    if internal:
        result.reason = internal[0]
        return result
    if code == EXIT_BAD_INPUT:
        unlocated = [line for line, m in zip(diagnostics, located) if m is None]
        if unlocated or not error_lines:
            result.reason = "exit 2 without a located error: " + (
                unlocated[0] if unlocated else "no message")
            return result
        result.outcome = "error"
        result.reason = _message(error_lines[0])
        return result
    if code != EXIT_OK:
        result.reason = f"exit {code}: " + (diagnostics[-1] if diagnostics else "no message")
        return result
    packages = [p for p in out.iterdir() if p.is_dir() and (p / "__init__.py").exists()]
    if len(packages) != 1:
        result.reason = f"exit 0 but {len(packages)} packages in the output folder"
        return result
    result.outcome = "client"
    package = packages[0]
    result.package = package.name
    result.lines = sum(len(p.read_text(encoding="utf-8").splitlines())
                       for p in package.rglob("*.py"))
    if not args.no_import:
        result.imports = import_check(package, args.timeout)
    if not args.no_mypy:
        result.mypy, result.mypy_errors, result.mypy_seconds, note = mypy_check(
            package, args.mypy_timeout)
        if note and not result.reason:
            result.reason = note
    return result


def _message(line: str) -> str:
    match = LOCATED.match(line)
    return f"{match.group('pointer')}: {match.group('message')}" if match else line


IMPORT_CODE = """\
import importlib, sys
sys.path.insert(0, sys.argv[1])
package = importlib.import_module(sys.argv[2])
for module in ("models", "client", "errors"):
    importlib.import_module(sys.argv[2] + "." + module)
missing = [name for name in package.__all__ if not hasattr(package, name)]
assert not missing, f"__all__ names missing: {missing}"
assert package.Client and package.AsyncClient
"""


def import_check(package: Path, timeout: float) -> bool:
    code, _, _, _ = run([sys.executable, "-I", "-c", IMPORT_CODE, str(package.parent),
                         package.name], timeout, cwd=package.parent)
    return code == 0


def mypy_check(package: Path, timeout: float) -> tuple[bool, int, float, str]:
    """(passed, error count, seconds, note) of `mypy --strict` on the package, in its folder."""
    env = {**os.environ, "MYPYPATH": ""}
    code, stdout, stderr, seconds = run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", os.devnull,
         "--hide-error-context", package.name], timeout, cwd=package.parent, env=env)
    seconds = round(seconds, 1)
    (package.parent / "mypy.txt").write_text(stdout + stderr, encoding="utf-8")
    if code is None:
        return False, 0, seconds, f"mypy timed out after {timeout:.0f} s"
    if code == 0:
        return True, 0, seconds, ""
    found = MYPY_FOUND.search(stdout)
    errors = int(found.group(1)) if found else 0
    first = next((line for line in stdout.splitlines() if ": error:" in line), "")
    if not found:
        first = first or (stderr.strip().splitlines() or ["mypy failed"])[-1]
    return False, errors, seconds, "mypy: " + first.split(package.parent.name + "/", 1)[-1]


# --------------------------------------------------------------------------------- judging


def load_expected(path: Path) -> dict[str, str]:
    """`folder/spec  reason` lines; `#` starts a comment line."""
    expected: dict[str, str] = {}
    if not path.exists():
        return expected
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, _, reason = line.partition(" ")
        expected[key] = reason.strip()
    return expected


def judge(result: Result, gated: set[str], expected: dict[str, str]) -> None:
    if result.outcome == "crash":
        result.problems.append("crash")
        return
    if result.folder not in gated:
        return
    if result.outcome == "error" and result.key not in expected:
        result.problems.append("unexpected clean error")
    if result.imports is False:
        result.problems.append("import fails")
    if result.mypy is False:
        result.problems.append("mypy --strict fails")


# -------------------------------------------------------------------------------- reporting


def _flag(value: bool | None, errors: int = 0) -> str:
    if value is None:
        return "–"
    if value:
        return "OK"
    return f"FAIL ({errors})" if errors else "FAIL"


def _cell(text: str, limit: int = 110) -> str:
    text = " ".join(text.split()).replace("|", "\\|")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def table(results: list[Result]) -> str:
    rows = ["| spec | outcome | warnings | seconds | lines | imports | mypy --strict | note |",
            "|---|---|---:|---:|---:|---|---|---|"]
    for r in results:
        outcome = r.outcome if not r.problems else f"**{r.outcome}**"
        note = r.reason
        if r.problems:
            note = "; ".join(r.problems) + (f": {note}" if note else "")
        rows.append(f"| {r.key} | {outcome} | {r.warnings} | {r.seconds:.1f} | "
                    f"{r.lines or ''} | {_flag(r.imports)} | {_flag(r.mypy, r.mypy_errors)} | "
                    f"{_cell(note)} |")
    return "\n".join(rows)


def summary(results: list[Result], elapsed: float) -> str:
    clients = [r for r in results if r.outcome == "client"]
    count = {o: sum(1 for r in results if r.outcome == o) for o in ("client", "error", "crash")}
    imported = sum(1 for r in clients if r.imports)
    typed = sum(1 for r in clients if r.mypy)
    failing = sum(1 for r in results if r.problems)
    parts = [f"{len(results)} specs: {count['client']} client, {count['error']} clean error, "
             f"{count['crash']} crash",
             f"imports OK {imported}/{len(clients)}",
             f"mypy --strict OK {typed}/{len(clients)}",
             f"{sum(r.warnings for r in results)} warnings",
             f"{sum(r.lines for r in results)} generated lines",
             f"{elapsed:.0f} s wall",
             "PASS" if not failing else f"FAIL ({failing} specs)"]
    return "**Summary:** " + "; ".join(parts)


def folder_summaries(results: list[Result]) -> list[str]:
    lines = []
    for folder in dict.fromkeys(r.folder for r in results):
        rows = [r for r in results if r.folder == folder]
        clients = [r for r in rows if r.outcome == "client"]
        lines.append(
            f"- `{folder}/`: {len(rows)} specs, {len(clients)} client, "
            f"{sum(r.outcome == 'error' for r in rows)} clean error, "
            f"{sum(r.outcome == 'crash' for r in rows)} crash; imports OK "
            f"{sum(bool(r.imports) for r in clients)}/{len(clients)}; mypy --strict OK "
            f"{sum(bool(r.mypy) for r in clients)}/{len(clients)} "
            f"({sum(r.mypy_errors for r in clients)} mypy errors); "
            f"{sum(r.seconds for r in rows):.0f} s generating, "
            f"{sum(r.mypy_seconds for r in rows):.0f} s in mypy")
    return lines


# ------------------------------------------------------------------------------------- main


def specs_in(corpus: Path, folders: list[str]) -> list[tuple[str, Path]]:
    found = []
    for folder in folders:
        directory = corpus / folder
        if not directory.is_dir():
            raise SystemExit(f"corpus.py: no folder {directory}")
        found.extend((folder, p) for p in sorted(directory.iterdir())
                     if p.suffix.lower() in SPEC_SUFFIXES and p.is_file())
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", default=list(DEFAULT_FOLDERS),
                        help=f"folders of the corpus to run (default: {' '.join(DEFAULT_FOLDERS)})")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                        help="the corpus folder (default: ../shared/corpus)")
    parser.add_argument("-k", dest="match", default="", help="only specs whose name contains this")
    parser.add_argument("-j", "--jobs", type=int, default=2, help="parallel workers (default 2)")
    parser.add_argument("--timeout", type=float, default=300,
                        help="seconds per `clientgen generate` and per import (default 300)")
    parser.add_argument("--mypy-timeout", type=float, default=900,
                        help="seconds per mypy run (default 900)")
    parser.add_argument("--gate", action="append", default=None,
                        help="folder whose clients must import and pass mypy --strict "
                        f"(repeatable; default: {' '.join(DEFAULT_GATED)})")
    parser.add_argument("--expected-errors", type=Path, default=EXPECTED_ERRORS,
                        help="specs allowed to end in a clean error")
    parser.add_argument("--no-mypy", action="store_true", help="skip mypy --strict")
    parser.add_argument("--no-import", action="store_true", help="skip the import check")
    parser.add_argument("--keep", type=Path, help="write the clients here and keep them "
                        "(default: a temporary folder, removed at the end)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON here")
    parser.add_argument("--clientgen", help="the command to run instead of the venv's "
                        "`clientgen` (words split on spaces)")
    args = parser.parse_args(argv)

    specs = [(f, p) for f, p in specs_in(args.corpus, args.folders) if args.match in p.name]
    if not specs:
        raise SystemExit("corpus.py: no specs to run")
    gated = set(args.gate if args.gate is not None else DEFAULT_GATED)
    expected = load_expected(args.expected_errors)
    work = args.keep or Path(tempfile.mkdtemp(prefix="clientgen-corpus-"))
    work.mkdir(parents=True, exist_ok=True)
    # Big specs first, so that two workers finish together.
    order = sorted(specs, key=lambda fp: -fp[1].stat().st_size)
    results: dict[str, Result] = {}
    lock = threading.Lock()
    started = time.monotonic()
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
            futures = {pool.submit(check_spec, path, folder, work, args): (folder, path)
                       for folder, path in order}
            for future in concurrent.futures.as_completed(futures):
                folder, path = futures[future]
                try:
                    result = future.result()
                except Exception as exc:  # noqa: BLE001 - a runner bug is one crashed row
                    result = Result(folder, path.name, reason=f"runner: {exc!r}")
                judge(result, gated, expected)
                with lock:
                    results[result.key] = result
                    print(f"[{len(results)}/{len(specs)}] {result.key}: {result.outcome} "
                          f"{result.seconds:.1f}s imports={_flag(result.imports)} "
                          f"mypy={_flag(result.mypy, result.mypy_errors)}"
                          + (f" -- {'; '.join(result.problems)}" if result.problems else ""),
                          file=sys.stderr, flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    elapsed = time.monotonic() - started
    ordered = [results[f"{f}/{p.name}"] for f, p in specs]
    print(table(ordered))
    print()
    for line in folder_summaries(ordered):
        print(line)
    print()
    print(summary(ordered, elapsed))
    errors = [r for r in ordered if r.outcome == "error"]
    if errors:
        print("\nClean errors (exit 2):\n")
        for r in errors:
            listed = expected.get(r.key)
            print(f"- {r.key}: {_cell(r.reason, 200)}"
                  + (f" — expected: {listed}" if listed else " — NOT in the expected list"))
    unexpected = [key for key in expected if key in results and results[key].outcome != "error"]
    if unexpected:
        print("\nListed as expected errors but now generate (update the list): "
              + ", ".join(unexpected))
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in ordered], indent=1), encoding="utf-8")
    return 1 if any(r.problems for r in ordered) else 0


if __name__ == "__main__":
    sys.exit(main())
