"""`clientgen`: generate, check and validate clients from the command line.

Exit codes: 0 success, 1 `check` found stale output (or `diff --fail-on` found changes),
2 bad input (located errors printed).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path
from typing import NoReturn, Sequence

from . import __version__
from .config import find_pyproject, load_config
from .diagnostics import GenerationFailed, print_diagnostics
from .validate import VALIDATE_LIMIT, ValidationWorker

EXIT_BAD_INPUT, EXIT_INTERNAL = 2, 3  # 0 and 1: `commands`


def run() -> NoReturn:
    """The `clientgen` command: `main` in a process that ends with it. The cycle collector
    stays off throughout (`generator.collector` says why; the code that leaves cycles collects
    them itself), and what the command made is frozen before the interpreter's teardown, whose
    collection would otherwise walk all of it. A GitHub regeneration spent 29 ms of 1.1 s in
    the one collection that followed the pipeline."""
    gc.disable()
    code = main()
    gc.freeze()
    sys.exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    validator = _start_validator(args)
    try:
        # imported once the validation worker is forked: it need not inherit the generator
        from . import commands

        if args.command == "generate":
            return commands.generate(args, validator)
        return int(getattr(commands, args.command)(args))
    except GenerationFailed as failed:
        print_diagnostics(failed.diagnostics)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("clientgen: interrupted; nothing was written", file=sys.stderr)
        return 130
    except Exception:  # noqa: BLE001 - the last line of defence: never a bare traceback
        if args.debug:
            import traceback  # here: 4 ms of every run's imports, for a failure

            traceback.print_exc()
        else:
            kind, value, _ = sys.exc_info()
            print(f"clientgen: internal error: {kind.__name__ if kind else ''}: {value} "
                  "(run again with --debug for the traceback, and please report it)",
                  file=sys.stderr)
        return EXIT_INTERNAL
    finally:
        if validator is not None:
            validator.close()


def _start_validator(args: argparse.Namespace) -> ValidationWorker | None:
    """For `generate`, a `ValidationWorker` when some spec of the run is small enough to be
    validated (`VALIDATE_LIMIT`; the size in bytes, at least its length in characters).
    Anything this cannot read is left for the command to report."""
    if args.command != "generate" or args.strict:
        return None
    try:
        if args.spec:
            runs = [args.spec]
        else:
            pyproject = args.config or find_pyproject(Path.cwd())
            if pyproject is None:
                return None
            runs = [provider.specs for provider in load_config(pyproject).providers]
        if not any(sum(os.path.getsize(path) for path in specs) <= VALIDATE_LIMIT
                   for specs in runs):
            return None
    except (GenerationFailed, OSError):
        return None
    return ValidationWorker.start()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="clientgen", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"clientgen {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--strict", action="store_true", help="treat warnings as errors")
    common.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    common.add_argument("--config", type=Path, help="the pyproject.toml listing the providers "
                        "(default: the nearest one above the current folder)")
    commands = parser.add_subparsers(dest="command", required=True)

    generate = commands.add_parser("generate", parents=[common], help="generate clients: every "
                                   "provider in the project config, or one SPEC into -o DIR")
    generate.add_argument("spec", nargs="*", type=Path, help="a spec, or several documentation "
                          "pages (.md) of one spec to merge")
    generate.add_argument("-o", "--output", type=Path, help="folder to write the package into")
    generate.add_argument("--package", help="package name (default: from the spec's title)")
    generate.add_argument("--overlay", action="append", type=Path, default=[],
                          help="an OpenAPI Overlay 1.0 file to apply first (repeatable)")
    generate.add_argument("--changes", action="store_true", help="also write "
                          "<package>.changes.md next to each package: what changed for callers")

    diff = commands.add_parser("diff", parents=[common], help="what changes for callers of the "
                               "generated client between two versions of a spec (Markdown)")
    diff.add_argument("old", type=Path)
    diff.add_argument("new", type=Path)
    diff.add_argument("--fail-on", choices=["breaking", "any"], help="exit 1 when there is a "
                      "breaking change (or any change)")

    check = commands.add_parser("check", parents=[common], help="exit 1 with a diff when "
                                "generated/ is not what the specs produce")

    validate = commands.add_parser("validate", parents=[common], help="report a spec's "
                                   "problems without writing anything")
    validate.add_argument("spec", type=Path)
    return parser


if __name__ == "__main__":
    sys.exit(main())
