"""The whole pipeline, in order: load → version → resolve → validate → IR → render → format.

`generate_package` returns the files of one package in memory; only the CLI writes them
(`generator.writer`), so a failure anywhere leaves the disk untouched.
"""

from __future__ import annotations

import hashlib
import keyword
from dataclasses import dataclass
from pathlib import Path

from . import __version__, ir
from .build import build_api
from .diagnostics import Reporter
from .format import format_files
from .loader import load_document
from .naming import snake_case
from .render import render_package
from .resolver import resolve_refs
from .validate import check_version, validate
from .writer import MANIFEST, manifest_text


@dataclass(frozen=True)
class Options:
    strict: bool = False
    validate: bool = True


def generate_package(
    spec_path: Path, package: str | None, reporter: Reporter, options: Options = Options(),
    display_name: str | None = None,
) -> tuple[str, dict[str, str]]:
    """(package name, {relative path: text}) for the spec at `spec_path`."""
    api = build_ir(spec_path, package, reporter, options, display_name)
    files = format_files(render_package(api), api.package)
    files[MANIFEST] = manifest_text(files, __version__, api.spec_sha256)
    return api.package, files


def build_ir(
    spec_path: Path, package: str | None, reporter: Reporter, options: Options = Options(),
    display_name: str | None = None,
) -> ir.Api:
    """The stages up to the frozen IR: what the renderers (and the contract tests) start from."""
    reporter.strict = options.strict
    document = load_document(spec_path, display_name)
    spec = resolve_refs(document, _attach_lines(reporter, document))
    reporter.line_of = spec.line_of
    family = check_version(spec, reporter)
    reporter.raise_if_errors()
    assert family is not None
    if options.validate:
        validate(spec, family, reporter)
        reporter.raise_if_errors()
    name = package or package_name_from_title(spec.root.data)
    sha256 = hashlib.sha256(document.text.encode("utf-8")).hexdigest()
    return build_api(spec, family, reporter, name, sha256)


def _attach_lines(reporter: Reporter, document: object) -> Reporter:
    from .loader import Document

    assert isinstance(document, Document)
    reporter.line_of = lambda file, pointer: (
        document.line_of(pointer) if file == document.display_name else None)
    return reporter


def package_name_from_title(data: dict[str, object]) -> str:
    info = data.get("info")
    title = info.get("title") if isinstance(info, dict) else None
    name = snake_case(title) if isinstance(title, str) else ""
    if not name:
        name = "client"
    if name[0].isdigit():
        name = "api_" + name
    if keyword.iskeyword(name):
        name += "_"
    return name
