"""`clientgen`: generate, check and validate clients from the command line.

Exit codes: 0 success, 1 `check` found stale output (or `diff --fail-on` found changes),
2 bad input (located errors printed).
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
import traceback
from pathlib import Path
from typing import Sequence

from . import __version__
from . import freshness
from .config import ProjectConfig, find_pyproject, load_config
from .diagnostics import Diagnostic, GenerationFailed, Reporter, Severity
from . import changes
from .pipeline import Options, build_ir, generate_package
from .surface import SURFACE_FILE, build_surface
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
    generate.add_argument("spec", nargs="*", type=Path, help="a spec, or several documentation "
                          "pages (.md) of one spec to merge")
    generate.add_argument("-o", "--output", type=Path, help="folder to write the package into")
    generate.add_argument("--package", help="package name (default: from the spec's title)")
    generate.add_argument("--overlay", action="append", type=Path, default=[],
                          help="an OpenAPI Overlay 1.0 file to apply first (repeatable)")
    generate.add_argument("--changes", action="store_true", help="also write "
                          "<package>.changes.md next to each package: what changed for callers")
    generate.set_defaults(run=_generate)

    diff = commands.add_parser("diff", parents=[common], help="what changes for callers of the "
                               "generated client between two versions of a spec (Markdown)")
    diff.add_argument("old", type=Path)
    diff.add_argument("new", type=Path)
    diff.add_argument("--fail-on", choices=["breaking", "any"], help="exit 1 when there is a "
                      "breaking change (or any change)")
    diff.set_defaults(run=_diff)

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


Rendered = list[tuple[Path, dict[str, str]]]  # package folder, {relative path: text}


def _render_all(args: argparse.Namespace, skip_fresh: bool = False) -> Rendered:
    """Every package of the run, rendered in memory before anything is written; with
    `skip_fresh`, not the providers whose manifest vouches for the package on disk."""
    specs = getattr(args, "spec", None) or []
    if specs:
        if args.output is None:
            raise GenerationFailed([Diagnostic(Severity.ERROR, _display(specs[0]), "",
                                               "give the output folder with -o DIR")])
        options = Options(strict=args.strict, overlays=tuple(args.overlay))
        reporter = Reporter()
        name, files = generate_package(specs, args.package, reporter, options,
                                       [_display(s) for s in specs])
        _print(reporter.diagnostics)
        return [(args.output / name, files)]
    project = _project(args)
    results = []
    failures: list[Diagnostic] = []
    for provider in project.providers:
        options = Options(strict=args.strict, overlays=provider.overlays)
        if skip_fresh and freshness.is_fresh(project.output / provider.package, provider.specs,
                                             provider.overlays, options.key()):
            continue
        reporter = Reporter()
        try:
            _, files = generate_package(provider.specs, provider.package, reporter, options,
                                        [_display(s) for s in provider.specs])
        except GenerationFailed as failed:
            failures.extend(d for d in reporter.diagnostics if d not in failed.diagnostics)
            failures.extend(failed.diagnostics)
            continue
        _print(reporter.diagnostics)
        results.append((project.output / provider.package, files))
    if failures:
        raise GenerationFailed(failures)
    return results


def _generate(args: argparse.Namespace) -> int:
    packages = _render_all(args)
    reports = [(package_dir, _changes_report(package_dir, files)) for package_dir, files
               in packages] if args.changes else []
    write_packages(packages)
    for package_dir, text in reports:
        path = package_dir.with_name(package_dir.name + ".changes.md")
        path.write_text(text, encoding="utf-8")
        print(f"wrote {_display(path)}")
    for package_dir, files in packages:
        print(f"wrote {_display(package_dir)} ({len(files)} files)")
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    args.spec = None
    stale = False
    for package_dir, files in _render_all(args, skip_fresh=True):
        on_disk = read_tree(package_dir)
        for relative in sorted(set(files) | set(on_disk)):
            expected = files.get(relative)
            actual = on_disk.get(relative)
            if expected == actual:
                continue
            stale = True
            where = _display(package_dir / relative)
            sys.stdout.writelines(difflib.unified_diff(
                (actual or "").splitlines(keepends=True), (expected or "").splitlines(keepends=True),
                fromfile=f"{where} (on disk)" if actual is not None else "/dev/null",
                tofile=f"{where} (generated)" if expected is not None else "/dev/null"))
    if stale:
        print("clientgen check: generated/ is stale; run `clientgen generate`", file=sys.stderr)
        return EXIT_STALE
    print("clientgen check: generated/ is up to date")
    return EXIT_OK


def _changes_report(package_dir: Path, files: dict[str, str]) -> str:
    """What the new package changes for callers of the one on disk (from their surfaces)."""
    try:
        old = json.loads((package_dir / SURFACE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return f"# `{package_dir.name}`\n\nA new package: no earlier version to compare.\n"
    new = json.loads(files[SURFACE_FILE])
    return changes.report(changes.compare(old, new), f"{package_dir.name} (on disk)",
                          f"{package_dir.name} (generated)")


def _diff(args: argparse.Namespace) -> int:
    surfaces = []
    for spec in (args.old, args.new):
        reporter = Reporter()
        api = build_ir(spec, "client", reporter, Options(strict=args.strict), [_display(spec)])
        _print([d for d in reporter.diagnostics if d.severity is not Severity.INFO])
        surfaces.append(build_surface(api))
    found = changes.compare(surfaces[0], surfaces[1])
    sys.stdout.write(changes.report(found, _display(args.old), _display(args.new)))
    breaking = any(c.severity == changes.BREAKING for c in found)
    if args.fail_on == "breaking" and breaking or args.fail_on == "any" and found:
        return EXIT_STALE
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
