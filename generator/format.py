"""Stage 6: format rendered Python with black, in process, through content-addressed caches.

black is pinned in pyproject.toml: the same input must give the same bytes on every machine.
Files are formatted in units (a statement, or a method of a large class; see `layout`): a unit
the renderer already wrote as black would is kept as it is, and each other unit is formatted by
black once, on every core when there are many, and cached under sha256(black version, mode,
source), so a unit that has not changed since the last run is never formatted again. Above
units, each file's formatted declarations (the pieces between the renderer's UNIT_BREAKs) are
kept in a pack keyed by their rendered text, so an unchanged declaration is not even scanned.
The output is the same bytes whichever path a unit takes.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path
from typing import Any, NamedTuple

from .cache import cache_dir, pack_path, read_pack, store, write_pack
from .collector import collecting
from .diagnostics import Diagnostic, GenerationFailed, Severity
from .forked import cores
from .freshness import black_version
from .layout import UNIT_BREAK, Unit, normalized_units

LINE_LENGTH = 100
# black itself is imported only when a unit needs it: most runs find every unit laid out as
# black would, or formatted in the cache, and importing black takes 0.1 s. Its version (pinned)
# and these options make the cache key; on that version black has `_format_str_once`.
_KEY_PREFIX = f"black {black_version} py311 line_length={LINE_LENGTH} once\n".encode()


@functools.cache
def _black() -> tuple[Any, Any]:
    """black's function that formats once, and its mode.

    One pass of black: `black.format_str` formats a second time whenever the first pass changed
    anything (always, for rendered code) to settle rare magic-trailing-comma interactions; on
    generated code the second pass has changed nothing we have seen (the goldens, the corpus)
    and costs as much as the first, which is most of the time a large spec takes. black is
    pinned, so the private function is there; the output is deterministic either way."""
    import black
    from black.mode import TargetVersion

    mode = black.Mode(target_versions={TargetVersion.PY311}, line_length=LINE_LENGTH)
    return getattr(black, "_format_str_once", black.format_str), mode


def format_files(files: dict[str, str], package: str,
                 verbatim: frozenset[str] = frozenset(), workers: int | None = None,
                 part: str = "") -> dict[str, str]:
    """Every `.py` file as black formats it. A file is cut into declarations where the renderer
    marked them (`UNIT_BREAK`; a file without marks is one declaration); a declaration
    formatted before is taken whole from the file's cache pack. The others go through units (`generator.layout`): the units the renderer already
    laid out as black would are kept; the others are formatted one by one through the cache, on
    every core when there are many. The bytes are the same whichever path a unit takes, pack,
    cache or black, one process or several. The files named in `verbatim` are rendered from a
    template that is already black's output whatever the spec (the tests hold it to that) and
    are kept as they are."""
    cache = cache_dir()
    plans: dict[str, list[_Declaration]] = {}
    jobs: dict[str, tuple[str, str]] = {}  # key -> (source for black, file name)
    formatted: dict[str, str] = {}
    pack_paths: dict[str, Path | None] = {}
    for path, text in files.items():
        if not path.endswith(".py") or path in verbatim:
            formatted[path] = text
            continue
        pack_path = pack_paths[path] = _pack_path(package, path, part)
        plan = _plan_declarations(text.split(UNIT_BREAK), read_pack(pack_path, _PACK_FORMAT),
                                  jobs, f"{package}/{path}")
        if plan is None:  # text the unit scanner does not understand: the file as one piece
            plan = _plan_declarations([text.replace(UNIT_BREAK, "")], {}, jobs,
                                      f"{package}/{path}")
            assert plan is not None
        plans[path] = plan
    done = _format_jobs(jobs, cache, workers or available_workers())
    for path, plan in plans.items():
        texts = [declaration.text(done) for declaration in plan]
        formatted[path] = "".join(texts)
        pack_path = pack_paths[path]
        if pack_path is not None and any(d.units is not None for d in plan):
            fresh = {declaration.key: text for declaration, text in zip(plan, texts)}
            write_pack(pack_path, _PACK_FORMAT, fresh)
    return {path: formatted[path] for path in files}


_PACK_FORMAT = "clientgen declarations 1\n" + _KEY_PREFIX.decode()


class _Declaration(NamedTuple):
    """One marked piece of a file: its formatted text from the pack, or its units, each kept
    as rendered (depth -1) or formatted by black under a key."""

    key: str
    cached: str | None
    units: list[tuple[str, str, int]] | None  # (blank lines before, text or key, depth)

    def text(self, done: dict[str, str]) -> str:
        if self.units is None:
            assert self.cached is not None
            return self.cached
        pieces = []
        for before, text_or_key, depth in self.units:
            pieces.append(before)
            pieces.append(text_or_key if depth < 0 else done[text_or_key][len(_WRAPPERS[depth]):])
        return "".join(pieces)


def _plan_declarations(pieces: list[str], pack: dict[str, str],
                       jobs: dict[str, tuple[str, str]], name: str) -> list[_Declaration] | None:
    plan = []
    for piece in pieces:
        key = hashlib.blake2b(piece.encode("utf-8", "surrogatepass"), digest_size=20).hexdigest()
        if not piece:  # before the first UNIT_BREAK of a part that starts with one
            plan.append(_Declaration(key, "", None))
            continue
        if key in pack:
            plan.append(_Declaration(key, pack[key], None))
            continue
        units = []
        # the blank lines that separate the declaration from the one before it, kept as they
        # are (as between units): black would drop them at the start of a piece
        code = piece.lstrip("\n")
        lead = piece[:len(piece) - len(code)]
        normalized, understood = normalized_units(code, LINE_LENGTH)
        if understood is not None:
            found = understood
        elif len(pieces) > 1:
            return None
        else:
            found = [Unit(normalized, "", 0, False)]  # only black understands it
        for number, unit in enumerate(found):
            before = lead + unit.before if number == 0 else unit.before
            if unit.settled:
                units.append((before, unit.text, -1))
                continue
            source = _WRAPPERS[unit.depth] + unit.text
            job = hashlib.sha256(_KEY_PREFIX + source.encode("utf-8")).hexdigest()
            jobs.setdefault(job, (source, name))
            units.append((before, job, unit.depth))
        plan.append(_Declaration(key, None, units))
    return plan


def _pack_path(package: str, path: str, part: str) -> Path | None:
    """A pack per file and render part: parts of one file format in different processes."""
    return pack_path("declarations", f"{package}/{path}#{part}")


# A class member is formatted inside a stand-in class, a statement of a method inside a
# stand-in method; black leaves their lines as they are, first in its output.
_MEMBER_WRAPPER = "class _:\n"
_WRAPPERS = ("", _MEMBER_WRAPPER, _MEMBER_WRAPPER + "    def _(self):\n")
# Below this many lines of cache misses, starting worker processes costs more than it saves.
_PARALLEL_LINES = 1500


def _format_jobs(jobs: dict[str, tuple[str, str]], cache: Path | None, workers: int
                 ) -> dict[str, str]:
    done: dict[str, str] = {}
    misses = []
    for key, (source, name) in jobs.items():
        entry = cache / "black" / key[:2] / key if cache is not None else None
        if entry is not None:
            try:
                done[key] = entry.read_text(encoding="utf-8")
                continue
            except (OSError, UnicodeDecodeError):
                pass
        misses.append((key, source, name))
    if workers > 1 and sum(source.count("\n") for _, source, _ in misses) >= _PARALLEL_LINES:
        results = _format_in_parallel(misses, workers)
    else:
        results = _format_batch(misses)
    for key, result in results:
        if isinstance(result, GenerationFailed):
            raise result
        done[key] = result
        if cache is not None:
            store(cache / "black" / key[:2] / key, result)
    return done


def available_workers() -> int:
    """Processes for formatting: `$CLIENTGEN_FORMAT_WORKERS`, else the cores this process may
    use."""
    configured = os.environ.get("CLIENTGEN_FORMAT_WORKERS", "")
    if configured.isdigit():
        return max(1, int(configured))
    return cores()


def _format_batch(batch: list[tuple[str, str, str]]) -> list[tuple[str, str | GenerationFailed]]:
    results: list[tuple[str, str | GenerationFailed]] = []
    for key, source, name in batch:
        try:
            results.append((key, format_source(source, name)))
        except GenerationFailed as failed:
            results.append((key, failed))
    return results


def _format_in_parallel(misses: list[tuple[str, str, str]], workers: int
                        ) -> list[tuple[str, str | GenerationFailed]]:
    """Format on `workers` processes: the units, largest first, dealt into small batches so
    the processes finish together."""
    import concurrent.futures
    import multiprocessing

    ordered = sorted(misses, key=lambda job: -len(job[1]))
    target = max(1, sum(len(job[1]) for job in ordered) // (workers * 8))
    batches: list[list[tuple[str, str, str]]] = [[]]
    size = 0
    for job in ordered:
        if size >= target:
            batches.append([])
            size = 0
        batches[-1].append(job)
        size += len(job[1])
    _black()  # imported here once, for the forked processes to inherit
    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    results: list[tuple[str, str | GenerationFailed]] = []
    with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
        for batch_results in pool.map(_format_batch, batches):
            results.extend(batch_results)
    return results


def format_source(text: str, name: str) -> str:
    from black.parsing import InvalidInput

    format_once, mode = _black()
    try:
        with collecting():
            return str(format_once(text, mode=mode))
    except InvalidInput as exc:
        raise GenerationFailed([Diagnostic(
            Severity.ERROR, name, "",
            f"internal error: the generated code does not parse ({exc}); please report this "
            "with the spec")]) from None
