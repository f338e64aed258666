"""The whole pipeline, in order: load → version → resolve → validate → IR → render → format.

`generate_package` returns the files of one package in memory; only the CLI writes them
(`generator.writer`), so a failure anywhere leaves the disk untouched.
"""

from __future__ import annotations

import hashlib
import keyword
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .build import build_api
from .diagnostics import Reporter
from .format import format_files
from .loader import load_document
from .naming import snake_case
from .render import header_line, render_package
from .resolver import resolve_refs
from .validate import check_version, validate
from .writer import MANIFEST, manifest_text


@dataclass(frozen=True)
class Options:
    strict: bool = False
    validate: bool = True
    # openapi-spec-validator takes 8-10 s on the large specs (GitHub, OpenAI, Stripe): above this
    # size it runs only under --strict or `clientgen validate` (full=True), and an info says so.
    full_validation: bool = False

    def key(self) -> str:
        """What of the options decides the output (for `freshness`)."""
        return f"strict={self.strict} validate={self.validate} full={self.full_validation}"


VALIDATE_LIMIT = 1_000_000  # characters of spec text


def generate_package(
    spec_path: Path, package: str | None, reporter: Reporter, options: Options = Options(),
    display_name: str | None = None, inputs: list[Path] | None = None,
) -> tuple[str, dict[str, str]]:
    """(package name, {relative path: text}) for the spec at `spec_path`; the paths of the spec
    files it loaded are added to `inputs` when given."""
    reporter.strict = options.strict
    document = load_document(spec_path, display_name)
    spec = resolve_refs(document, _attach_lines(reporter, document))
    reporter.line_of = spec.line_of
    family = check_version(spec, reporter)
    reporter.raise_if_errors()
    assert family is not None
    if inputs is not None:
        inputs.extend(d.path for d in spec.documents.values())
    if options.validate:
        size = sum(len(d.text) for d in spec.documents.values())
        if size <= VALIDATE_LIMIT or options.strict or options.full_validation:
            validate(spec, family, reporter)
            reporter.raise_if_errors()
        else:
            reporter.info(spec.root.display_name, "", f"openapi-spec-validator skipped: the spec "
                          f"is over {VALIDATE_LIMIT:,} characters (it takes seconds); run "
                          "`clientgen validate` or use --strict for its findings")
    name = package or package_name_from_title(spec.root.data)
    sha256 = hashlib.sha256(document.text.encode("utf-8")).hexdigest()
    api = build_api(spec, family, reporter, name, sha256)
    header = header_line(api)
    files = {path: header + text if path.endswith(".py") else text
             for path, text in format_files(render_package(api), name).items()}
    files[MANIFEST] = manifest_text(files, __version__, sha256)
    return name, files


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
