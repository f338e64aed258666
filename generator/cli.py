"""`clientgen`: generate, check and validate clients from the command line.

Exit codes: 0 success, 1 `check` found stale output, 2 bad input (located errors printed).
"""

from __future__ import annotations

import argparse
import difflib
import sys
import traceback
from pathlib import Path
from typing import Sequence

from . import __version__
from . import freshness
from .config import ProjectConfig, find_pyproject, load_config
from .diagnostics import Diagnostic, GenerationFailed, Reporter, Severity
from .pipeline import Options, generate_package
from .writer import read_tree, write_packages

EXIT_OK, EXIT_STALE, EXIT_BAD_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args))
    except GenerationFailed as failed:
        _print(failed.diagnostics)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("clientgen: interrupted; nothing was written", file=sys.stderr)
        return 130
    except Exception:  # noqa: BLE001 - the last line of defence: never a bare traceback
        if args.debug:
            traceback.print_exc()
        else:
            kind, value, _ = sys.exc_info()
            print(f"clientgen: internal error: {kind.__name__ if kind else ''}: {value} "
                  "(run again with --debug for the traceback, and please report it)",
                  file=sys.stderr)
        return EXIT_INTERNAL


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
    generate.add_argument("spec", nargs="?", type=Path)
    generate.add_argument("-o", "--output", type=Path, help="folder to write the package into")
    generate.add_argument("--package", help="package name (default: from the spec's title)")
    generate.set_defaults(run=_generate)

    check = commands.add_parser("check", parents=[common], help="exit 1 with a diff when "
                                "generated/ is not what the specs produce")
    check.set_defaults(run=_check)

    validate = commands.add_parser("validate", parents=[common], help="report a spec's "
                                   "problems without writing anything")
    validate.add_argument("spec", type=Path)
    validate.set_defaults(run=_validate)
    return parser


def _print(diagnostics: list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        print(diagnostic.format(), file=sys.stderr)


def _project(args: argparse.Namespace) -> ProjectConfig:
    pyproject = args.config or find_pyproject(Path.cwd())
    if pyproject is None:
        raise GenerationFailed([Diagnostic(
            Severity.ERROR, "pyproject.toml", "", "no pyproject.toml with [tool.clientgen] found; run "
            "inside the project or pass --config, or give a SPEC and -o DIR")])
    return load_config(pyproject)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


Rendered = list[tuple[Path, dict[str, str], list[Path]]]  # package folder, files, spec files


def _render_all(args: argparse.Namespace, skip_fresh: bool = False) -> Rendered:
    """Every package of the run, rendered in memory before anything is written; with
    `skip_fresh`, not the providers whose package `freshness` vouches for."""
    options = _options(args)
    if getattr(args, "spec", None) is not None:
        if args.output is None:
            raise GenerationFailed([Diagnostic(Severity.ERROR, _display(args.spec), "",
                                               "give the output folder with -o DIR")])
        reporter = Reporter()
        inputs: list[Path] = []
        name, files = generate_package(args.spec, args.package, reporter, options,
                                       _display(args.spec), inputs)
        _print(reporter.diagnostics)
        return [(args.output / name, files, inputs)]
    project = _project(args)
    results = []
    failures: list[Diagnostic] = []
    for provider in project.providers:
        if skip_fresh and freshness.is_fresh(project.output / provider.package, provider.package,
                                             options.key()):
            continue
        reporter = Reporter()
        inputs = []
        try:
            _, files = generate_package(provider.spec, provider.package, reporter, options,
                                        _display(provider.spec), inputs)
        except GenerationFailed as failed:
            failures.extend(d for d in reporter.diagnostics if d not in failed.diagnostics)
            failures.extend(failed.diagnostics)
            continue
        _print(reporter.diagnostics)
        results.append((project.output / provider.package, files, inputs))
    if failures:
        raise GenerationFailed(failures)
    return results


def _options(args: argparse.Namespace) -> Options:
    return Options(strict=args.strict)


def _generate(args: argparse.Namespace) -> int:
    packages = _render_all(args)
    write_packages([(package_dir, files) for package_dir, files, _ in packages])
    for package_dir, files, inputs in packages:
        freshness.record(package_dir, package_dir.name, _options(args).key(), files, inputs)
        print(f"wrote {_display(package_dir)} ({len(files)} files)")
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    args.spec = None
    stale = False
    for package_dir, files, inputs in _render_all(args, skip_fresh=True):
        on_disk = read_tree(package_dir)
        package_stale = False
        for relative in sorted(set(files) | set(on_disk)):
            expected = files.get(relative)
            actual = on_disk.get(relative)
            if expected == actual:
                continue
            stale = package_stale = True
            where = _display(package_dir / relative)
            sys.stdout.writelines(difflib.unified_diff(
                (actual or "").splitlines(keepends=True), (expected or "").splitlines(keepends=True),
                fromfile=f"{where} (on disk)" if actual is not None else "/dev/null",
                tofile=f"{where} (generated)" if expected is not None else "/dev/null"))
        if not package_stale:
            freshness.record(package_dir, package_dir.name, _options(args).key(), files, inputs)
    if stale:
        print("clientgen check: generated/ is stale; run `clientgen generate`", file=sys.stderr)
        return EXIT_STALE
    print("clientgen check: generated/ is up to date")
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    reporter = Reporter()
    generate_package(args.spec, None, reporter, Options(strict=args.strict, full_validation=True),
                     _display(args.spec))
    _print(reporter.diagnostics)
    print(f"{_display(args.spec)}: OK ({len(reporter.diagnostics)} findings)")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
