"""`build_api` on GitHub's spec: memo off, and a regeneration (memo on) after one string property
is added to the YAML text of one schema; medians of `--runs`, with the cycle collector paused as
the pipeline builds.

    CLIENTGEN_CACHE_DIR=/tmp/some-cache .venv/bin/python benchmarks/build_memo.py [SCHEMA] [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator import build, collector  # noqa: E402
from generator.build import memo  # noqa: E402
from generator.diagnostics import Reporter  # noqa: E402
from generator.loader import load_document  # noqa: E402
from generator.merge import merge_documents  # noqa: E402
from generator.resolver import resolve_refs  # noqa: E402
from generator.validate import check_version  # noqa: E402

GITHUB = ROOT.parent / "shared" / "corpus" / "large" / "github-api.github.com.yaml"


def timed(path: Path, incremental: bool) -> float:
    reporter = Reporter()
    document = merge_documents([load_document(path, str(path))], reporter)
    spec = resolve_refs(document, reporter)
    family = check_version(spec, reporter) or ""
    with collector.paused():
        start = time.perf_counter()
        build.build_api(spec, family, reporter, "client", "0" * 64, incremental=incremental)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("schema", nargs="?", default="code-of-conduct")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    text = GITHUB.read_text(encoding="utf-8")
    start = text.index(f"\n    {args.schema}:\n")
    at = text.index("      properties:\n", start) + len("      properties:\n")
    edited = text[:at] + "        zz_added:\n          type: string\n" + text[at:]
    counts: list[tuple[int, int]] = []
    writer = memo.writer

    def spy(package: str, journal: memo.Journal) -> Callable[[], None] | None:
        counts.append((journal.reused, len(journal.units)))
        return writer(package, journal)

    memo.writer = spy  # type: ignore[assignment]
    off, on = [], []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "github.yaml"
        for _ in range(args.runs):
            path.write_text(text, encoding="utf-8")
            timed(path, True)
            path.write_text(edited, encoding="utf-8")
            on.append(timed(path, True))
            off.append(timed(path, False))
    reused, units = counts[-1]
    print(f"{args.schema}: memo off {statistics.median(off) * 1000:.0f} ms, regeneration "
          f"{statistics.median(on) * 1000:.0f} ms ({reused} of {units} units replayed)")


if __name__ == "__main__":
    main()
