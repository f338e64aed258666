"""Stage 6: format rendered Python with black, in process, through a content-addressed cache.

black is pinned in pyproject.toml: the same input must give the same bytes on every machine.
The cache maps sha256(black version, mode, source) to black's output, so a file that has not
changed since the last run is never formatted again; the output is the same either way.
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


def format_files(files: dict[str, str], package: str) -> dict[str, str]:
    cache = cache_dir()
    formatted = {}
    for path, text in files.items():
        if not path.endswith(".py"):
            formatted[path] = text
            continue
        formatted[path] = _format_cached(text, f"{package}/{path}", cache)
    return formatted


def _format_cached(text: str, name: str, cache: Path | None) -> str:
    key = hashlib.sha256(_KEY_PREFIX + text.encode("utf-8")).hexdigest()
    entry = cache / key[:2] / key if cache is not None else None
    if entry is not None:
        try:
            return entry.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            pass
    result = format_source(text, name)
    if entry is not None:
        _store(entry, result)
    return result


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
