"""What each `clientgen` command does (`cli` parses the command line and calls these).

Kept apart from `cli` so that `clientgen generate` can start its validation worker before
importing the generator: these imports are most of the time a small spec takes.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from pathlib import Path

from . import freshness
from .config import ProjectConfig, find_pyproject, load_config
from .diagnostics import Diagnostic, GenerationFailed, Reporter, Severity, print_diagnostics
from .pipeline import Options, build_ir, generate_package
from .surface import SURFACE_FILE, build_surface
from .validate import ValidationWorker
from .writer import read_tree, write_packages

EXIT_OK, EXIT_STALE = 0, 1


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


def _render_all(args: argparse.Namespace, skip_fresh: bool = False,
                validator: ValidationWorker | None = None) -> Rendered:
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
                                       [_display(s) for s in specs], validator)
        print_diagnostics(reporter.diagnostics)
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
                                        [_display(s) for s in provider.specs], validator)
        except GenerationFailed as failed:
            failures.extend(d for d in reporter.diagnostics if d not in failed.diagnostics)
            failures.extend(failed.diagnostics)
            continue
        print_diagnostics(reporter.diagnostics)
        results.append((project.output / provider.package, files))
    if failures:
        raise GenerationFailed(failures)
    return results


def generate(args: argparse.Namespace, validator: ValidationWorker | None = None) -> int:
    """Write every package of the run (validating in `validator` when given)."""
    packages = _render_all(args, validator=validator)
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


def check(args: argparse.Namespace) -> int:
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
    from . import changes  # here: only `--changes` and `diff` compare surfaces

    return changes.report(changes.compare(old, new), f"{package_dir.name} (on disk)",
                          f"{package_dir.name} (generated)")


def diff(args: argparse.Namespace) -> int:
    from . import changes

    surfaces = []
    for spec in (args.old, args.new):
        reporter = Reporter()
        api = build_ir(spec, "client", reporter, Options(strict=args.strict), [_display(spec)])
        print_diagnostics([d for d in reporter.diagnostics if d.severity is not Severity.INFO])
        surfaces.append(build_surface(api))
    found = changes.compare(surfaces[0], surfaces[1])
    sys.stdout.write(changes.report(found, _display(args.old), _display(args.new)))
    breaking = any(c.severity == changes.BREAKING for c in found)
    if args.fail_on == "breaking" and breaking or args.fail_on == "any" and found:
        return EXIT_STALE
    return EXIT_OK


def validate(args: argparse.Namespace) -> int:
    reporter = Reporter()
    generate_package(args.spec, None, reporter, Options(strict=args.strict, full_validation=True),
                     _display(args.spec))
    print_diagnostics(reporter.diagnostics)
    print(f"{_display(args.spec)}: OK ({len(reporter.diagnostics)} findings)")
    return EXIT_OK
