"""Stage 6: format rendered Python with black, in process, through a content-addressed cache.

black is pinned in pyproject.toml: the same input must give the same bytes on every machine.
Files are formatted in units (a statement, or a method of a large class; see `layout`): a unit
the renderer already wrote as black would is kept as it is, and each other unit is formatted by
black once, on every core when there are many, and cached under sha256(black version, mode,
source), so a unit that has not changed since the last run is never formatted again. The output
is the same bytes whichever path a unit takes.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import black
from black.mode import TargetVersion
from black.parsing import InvalidInput
from importlib.metadata import version as _package_version

black_version = _package_version("black")

from .diagnostics import Diagnostic, GenerationFailed, Severity
from .layout import normalize_docstrings, split_units

LINE_LENGTH = 100
_MODE = black.Mode(target_versions={TargetVersion.PY311}, line_length=LINE_LENGTH)
# One pass of black. `black.format_str` formats a second time whenever the first pass changed
# anything (always, for rendered code) to settle rare magic-trailing-comma interactions; on
# generated code the second pass has changed nothing we have seen (the goldens, the corpus) and
# costs as much as the first, which is most of the time a large spec takes. black is pinned, so
# the private function is there; the output is deterministic either way.
_format_once = getattr(black, "_format_str_once", None)
_KEY_PREFIX = (f"black {black_version} {_MODE!r} "
               f"{'once' if _format_once else 'format_str'}\n").encode()


def cache_dir() -> Path | None:
    """`$CLIENTGEN_CACHE_DIR`, else the user's cache folder; `CLIENTGEN_CACHE_DIR=` disables."""
    configured = os.environ.get("CLIENTGEN_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "clientgen" / "black"


def format_files(files: dict[str, str], package: str,
                 verbatim: frozenset[str] = frozenset(), workers: int | None = None
                 ) -> dict[str, str]:
    """Every `.py` file as black formats it, through units (`generator.layout`): the units the
    renderer already laid out as black would are kept; the others are formatted one by one
    through the cache, on every core when there are many. The bytes are the same whichever
    path a unit takes, cache or black, one process or several. The files named in `verbatim`
    are rendered from a template that is already black's output whatever the spec (the tests
    hold it to that) and are kept as they are."""
    cache = cache_dir()
    plans: dict[str, list[tuple[str, str, int]]] = {}  # path -> (before, text or key, depth)
    jobs: dict[str, tuple[str, str]] = {}  # key -> (source for black, file name)
    formatted: dict[str, str] = {}
    for path, text in files.items():
        if not path.endswith(".py") or path in verbatim:
            formatted[path] = text
            continue
        plan = plans[path] = []
        for unit in split_units(normalize_docstrings(text, LINE_LENGTH), LINE_LENGTH):
            if unit.settled:
                plan.append((unit.before, unit.text, -1))
                continue
            source = _WRAPPERS[unit.depth] + unit.text
            key = hashlib.sha256(_KEY_PREFIX + source.encode("utf-8")).hexdigest()
            jobs.setdefault(key, (source, f"{package}/{path}"))
            plan.append((unit.before, key, unit.depth))
    done = _format_jobs(jobs, cache, workers or available_workers())
    for path, plan in plans.items():
        pieces = []
        for before, text_or_key, depth in plan:
            pieces.append(before)
            if depth < 0:
                pieces.append(text_or_key)
            else:
                pieces.append(done[text_or_key][len(_WRAPPERS[depth]):])
        formatted[path] = "".join(pieces)
    return {path: formatted[path] for path in files}


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
        entry = cache / key[:2] / key if cache is not None else None
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
            _store(cache / key[:2] / key, result)
    return done


def available_workers() -> int:
    """Processes for formatting: `$CLIENTGEN_FORMAT_WORKERS`, else the cores this process may
    use."""
    configured = os.environ.get("CLIENTGEN_FORMAT_WORKERS", "")
    if configured.isdigit():
        return max(1, int(configured))
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


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
    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    results: list[tuple[str, str | GenerationFailed]] = []
    with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
        for batch_results in pool.map(_format_batch, batches):
            results.extend(batch_results)
    return results


def format_source(text: str, name: str) -> str:
    try:
        if _format_once is not None:
            return _format_once(text, mode=_MODE)  # type: ignore[no-any-return]
        return black.format_str(text, mode=_MODE)
    except InvalidInput as exc:
        raise GenerationFailed([Diagnostic(
            Severity.ERROR, name, "",
            f"internal error: the generated code does not parse ({exc}); please report this "
            "with the spec")]) from None


def _store(entry: Path, text: str) -> None:
    """Write a cache entry atomically; a cache that cannot be written is no error."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-")
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, entry)
    except OSError:
        pass
