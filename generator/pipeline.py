"""The whole pipeline, in order: load → version → resolve → validate → IR → render → format.

`generate_package` returns the files of one package in memory; only the CLI writes them
(`generator.writer`), so a failure anywhere leaves the disk untouched.
"""

from __future__ import annotations

import hashlib
import keyword
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from . import __version__, collector, freshness, ir
from .build import build_api
from .cache import pack_path, read_pack, write_pack
from .diagnostics import GenerationFailed, Reporter
from .digests import KnownDigests
from .forked import start_in_fork
from .format import available_workers, format_files
from .loader import load_document
from .merge import merge_documents
from .overlay import apply_overlays
from .naming import snake_case
from .render import FILE_ORDER, RENDER_PARTS, SPEC_INDEPENDENT_FILES, header_line, render_part
from .render.views import ViewBuilder, list_item_models
from .resolver import resolve_refs
from .surface import SURFACE_FILE, surface_file
from .validate import VALIDATE_LIMIT, ValidationWorker, check_version, validate_alongside
from .writer import MANIFEST, manifest_text


@dataclass(frozen=True)
class Options:
    strict: bool = False
    validate: bool = True
    overlays: tuple[Path, ...] = ()
    # above `VALIDATE_LIMIT` openapi-spec-validator runs only under --strict or `clientgen
    # validate` (full=True), and an info says so
    full_validation: bool = False

    def key(self) -> str:
        """What of the options decides the output (recorded in the manifest for `check`)."""
        return f"strict={self.strict} validate={self.validate} full={self.full_validation}"


def build_ir(
    spec_paths: Path | Sequence[Path], package: str | None, reporter: Reporter,
    options: Options = Options(), display_names: Sequence[str] | None = None,
    inputs: list[Path] | None = None, unfinished: list[Callable[[], None]] | None = None,
    validator: ValidationWorker | None = None,
    save_later: list[Callable[[], None]] | None = None,
    digests: KnownDigests | None = None,
) -> ir.Api:
    """Every stage up to the IR: load (and merge pages) → overlays → resolve → validate → build.
    The paths of every file read (pages, overlays, files reached by `$ref`) are added to
    `inputs` when given. Validation runs alongside (`validate_alongside`), in `validator` when
    given; with `unfinished`, the function that waits for its findings (when it runs in another
    process) is added there for the caller to run later (rendering can go on meanwhile), else
    it is run before returning. `save_later` receives the cache writes that can wait (the
    YAML pieces', `load_document`; their references', `resolve_refs`; the IR memo's,
    `build_api`); `digests`: see `build_api`."""
    reporter.strict = options.strict
    paths = [spec_paths] if isinstance(spec_paths, Path) else list(spec_paths)
    if isinstance(display_names, str):
        display_names = [display_names]
    names = list(display_names) if display_names is not None else [str(p) for p in paths]
    pages = [load_document(path, name, save_later) for path, name in zip(paths, names)]
    document = merge_documents(pages, reporter)
    overlays = [load_document(path, str(path)) for path in options.overlays]
    document = apply_overlays(document, overlays, reporter)
    spec = resolve_refs(document, reporter, save_later)
    family = check_version(spec, reporter)
    reporter.raise_if_errors()
    assert family is not None
    if inputs is not None:
        inputs.extend(dict.fromkeys([*paths, *options.overlays,
                                     *(d.path for d in spec.documents.values())]))
    finish_validation: Callable[[], None] | None = None
    if options.validate:
        size = sum(len(d.text) for d in spec.documents.values())
        if size <= VALIDATE_LIMIT or options.strict or options.full_validation:
            finish_validation = validate_alongside(spec, family, reporter, validator)
            if unfinished is not None and finish_validation is not None:
                unfinished.append(finish_validation)
                finish_validation = None
        else:
            reporter.info(spec.root.display_name, "", f"openapi-spec-validator skipped: the spec "
                          f"is over {VALIDATE_LIMIT:,} characters (it takes seconds); run "
                          "`clientgen validate` or use --strict for its findings")
    try:
        reporter.raise_if_errors()  # under --strict, validation ran in line: its findings stop
        name = package or package_name_from_title(spec.root.data)
        sha256 = hashlib.sha256(document.text.encode("utf-8", "surrogatepass")).hexdigest()
        return build_api(spec, family, reporter, name, sha256, save_later=save_later,
                         digests=digests)
    finally:
        if finish_validation is not None:
            finish_validation()


def generate_package(
    spec_paths: Path | Sequence[Path], package: str | None, reporter: Reporter,
    options: Options = Options(), display_name: str | Sequence[str] | None = None,
    validator: ValidationWorker | None = None,
) -> tuple[str, dict[str, str]]:
    """(package name, {relative path: text}) for the spec (or pages of one spec); validated in
    `validator` when given (see `build_ir`)."""
    names = [display_name] if isinstance(display_name, str) else display_name
    inputs: list[Path] = []
    unfinished: list[Callable[[], None]] = []
    cache_writes: list[Callable[[], None]] = []
    digests = KnownDigests()
    try:
        with collector.paused():
            try:
                api = build_ir(spec_paths, package, reporter, options, names, inputs,
                               unfinished, validator, cache_writes, digests)
            except GenerationFailed:
                _run_cache_writes(cache_writes)  # the next run, once the spec is fixed
                raise
            # while the validator runs on the other core, rendering in two processes would
            # only slow it down: the package then renders here
            rendered, surface = _render_and_format(api, other_core_busy=bool(unfinished),
                                                   cache_writes=cache_writes, digests=digests)
    finally:
        for finish in unfinished:
            finish()
    header = header_line(api)
    files = {path: header + text if path.endswith(".py") else text
             for path, text in rendered.items()}
    files[SURFACE_FILE] = surface
    roots = [spec_paths] if isinstance(spec_paths, Path) else list(spec_paths)
    files[MANIFEST] = manifest_text(files, __version__, api.spec_sha256,
                                    freshness.fingerprint(roots, inputs, options.overlays,
                                                          options.key()))
    return api.package, files


# Below this many declarations and operations, starting another process costs more than it saves.
PARALLEL_RENDER_SIZE = 400


def _render_and_format(api: ir.Api, other_core_busy: bool = False,
                       cache_writes: Sequence[Callable[[], None]] = (),
                       digests: KnownDigests | None = None,
                       ) -> tuple[dict[str, str], str]:
    """The package's files rendered and formatted, and its surface (`surface_file`): a large
    package's parts (`RENDER_PARTS`) on two cores, the first part (about half the work) in a
    forked process that inherits the IR, the other two and the surface here meanwhile; the
    bytes are the same as in one process (each part renders on its own, and formatting is per
    unit). A regeneration too: with the views and formatted declarations of the earlier run,
    the fork still saved 40-60 ms of GitHub's 1.0 s. When the other core is busy, one process
    is faster. `cache_writes` (`build_ir`'s `save_later`) run in the forked process after its
    part, or here after rendering: no output waits for them. `digests`: the IR nodes' known
    digests (`KnownDigests`), for the views."""
    digests = digests if digests is not None else KnownDigests()
    size = len(api.declarations) + len(api.operations)
    first, *others = RENDER_PARTS
    two_processes = (
        size >= PARALLEL_RENDER_SIZE and available_workers() > 1 and hasattr(os, "fork")
        and not other_core_busy)
    freshness.generator_fingerprint()  # once, before a fork
    list_items = list_item_models(api)  # a fact of the whole API each part needs

    def first_then_cache_writes() -> dict[str, str]:
        formatted = _format_part(api, first, 1, list_items, digests)
        _run_cache_writes(cache_writes)
        return formatted

    receive = start_in_fork(first_then_cache_writes) if two_processes else None
    workers = 1 if two_processes or other_core_busy else None
    done = {part: _format_part(api, part, workers, list_items, digests)
            for part in (others if receive is not None else RENDER_PARTS)}
    surface = _surface(api, digests)
    if receive is not None:
        formatted = receive()
        if formatted is None:  # the process failed: its part, and the writes, done here
            formatted = _format_part(api, first, 1, list_items, digests)
            _run_cache_writes(cache_writes)
        done[first] = formatted
    else:
        _run_cache_writes(cache_writes)
    files: dict[str, str] = {}
    for part in RENDER_PARTS:
        for path, text in done[part].items():
            files[path] = files.get(path, "") + text
    return {path: files[path] for path in FILE_ORDER}, surface


def _surface(api: ir.Api, digests: KnownDigests) -> str:
    """The surface file, its unchanged entries' lines from the earlier run's (a pack)."""
    pack = pack_path("surface", api.package)
    earlier = read_pack(pack, _views_format()) if pack is not None else {}
    text, lines = surface_file(api, digests, earlier)
    if pack is not None and lines.keys() != earlier.keys():
        write_pack(pack, _views_format(), lines)
    return text


def _run_cache_writes(writes: Sequence[Callable[[], None]]) -> None:
    for write in writes:
        write()


def _format_part(api: ir.Api, part: str, workers: int | None, list_items: frozenset[str],
                 digests: KnownDigests) -> dict[str, str]:
    """One part rendered and formatted. Its views come from the earlier run's where nothing
    they depend on changed (a pack per part, rewritten when this run built any view)."""
    pack = pack_path("views", f"{api.package}#{part}")
    views = ViewBuilder(api, read_pack(pack, _views_format()) if pack is not None else None,
                        list_items, digests)
    rendered = render_part(api, part, views)
    memo = views.memo
    if pack is not None and memo is not None and memo.reused < len(memo.used):
        write_pack(pack, _views_format(), memo.used)
    return format_files(rendered, api.package, SPEC_INDEPENDENT_FILES, workers, part)


def _views_format() -> str:
    """What the cached views (and surface lines) depend on: the code that builds them (and
    black's version)."""
    return "clientgen views 1\n" + freshness.generator_fingerprint()


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
