"""The user's cache folder for work that is the same from run to run: black's output for a unit
of code and each file's formatted declarations (`format`), the parsed pieces of a large YAML
spec (`yamlchunks`), the views of each package's declarations and operations (`render.memo`).

Entries are written atomically and read optimistically: a cache that cannot be read or written
costs time, never correctness.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from pathlib import Path
from typing import Any, Callable


def cache_dir() -> Path | None:
    """`$CLIENTGEN_CACHE_DIR`, else the user's cache folder; `CLIENTGEN_CACHE_DIR=` disables."""
    configured = os.environ.get("CLIENTGEN_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "clientgen"


def pack_path(kind: str, name: str) -> Path | None:
    """Where the pack of `kind` for `name` (a package's file or part) is kept; None without a
    cache."""
    cache = cache_dir()
    if cache is None:
        return None
    return cache / kind / hashlib.sha256(name.encode()).hexdigest()


def store(entry: Path, content: str | bytes) -> None:
    """Write a cache entry atomically; a cache that cannot be written is no error."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-")
        if isinstance(content, str):
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(content)
        else:
            with os.fdopen(handle, "wb") as stream:
                stream.write(content)
        os.replace(temporary, entry)
    except OSError:
        pass


def write_now_or_later(write: Callable[[], None], later: list[Callable[[], None]] | None
                       ) -> None:
    """Run a cache write now, or add it to `later`, for the caller to run when it suits (the
    pipeline: on its other core, once the output no longer waits for it)."""
    if later is None:
        write()
    else:
        later.append(write)


def read_pack(path: Path | None, format: str) -> dict[str, Any]:
    """The entries of a pack (one `marshal` file of many entries, read at once) written in
    `format` (which names what the entries depend on); empty when there is none or it is of
    another format, Python or version."""
    if path is None:
        return {}
    try:
        pack = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if not isinstance(pack, dict) or pack.get("format") != format:
        return {}
    entries = pack.get("entries")
    return entries if isinstance(entries, dict) else {}


def write_pack(path: Path, format: str, entries: dict[str, Any]) -> None:
    """Store a pack (see `read_pack`); entries `marshal` cannot write leave no pack."""
    try:
        content = marshal.dumps({"format": format, "entries": entries})
    except ValueError:
        return
    store(path, content)
