"""`clientgen check` without rendering: is a package on disk what its inputs would produce?

A package is fresh when nothing that decides its bytes has changed since a run of this very
generator produced or verified it. After `generate` (or a `check` that found the package up to
date), a stamp is recorded in the cache folder under a key made of:

- the generator's fingerprint: its version, the sha256 of every source file of `generator/` and
  of the templates, black's version (a change to any of them may change the output);
- the package folder, its name and the options of the run;
- the package's manifest (`.clientgen-manifest.json`: the sha256 of every generated file).

The stamp holds the sha256 of every spec file the run loaded (the root spec and the files its
`$ref`s reach). `check` then answers "fresh" by hashing those spec files and the generated
files on disk; any difference, or no stamp (a fresh clone, another generator), means a full
render and diff, which prints the unified diff when the package is stale. The stamp lives in the
cache, not in the manifest, so a change to the generator's code does not touch every committed
manifest.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from pathlib import Path

from . import __version__
from .format import cache_dir
from .writer import MANIFEST

_CHUNK = 1 << 20


@functools.cache
def generator_fingerprint() -> str:
    """sha256 over the generator's version, its sources and templates, and black's version."""
    import black

    from .render import templates_dir

    digest = hashlib.sha256(f"clientgen {__version__}\nblack {black.__version__}\n".encode())
    package = Path(__file__).resolve().parent
    sources = sorted(package.rglob("*.py")) + sorted(Path(templates_dir()).glob("*.j2"))
    for path in sources:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def file_sha256(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def _stamp_path(package_dir: Path, package: str, options: str, manifest: str) -> Path | None:
    cache = cache_dir()
    if cache is None:
        return None
    key = hashlib.sha256("\0".join([
        generator_fingerprint(), str(package_dir.absolute()), package, options, manifest,
    ]).encode()).hexdigest()
    return cache / "fresh" / key


def record(package_dir: Path, package: str, options: str, files: dict[str, str],
           inputs: list[Path]) -> None:
    """Remember that `files` (as written to `package_dir`) are what `inputs` produce."""
    manifest = files.get(MANIFEST)
    if manifest is None:
        return
    stamp = _stamp_path(package_dir, package, options, manifest)
    if stamp is None:
        return
    hashes = {str(path.absolute()): file_sha256(path) for path in inputs}
    try:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=stamp.parent, prefix=".tmp-")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump({"inputs": hashes}, stream, sort_keys=True)
        os.replace(temporary, stamp)
    except OSError:
        pass  # a cache that cannot be written only makes the next check slower


def is_fresh(package_dir: Path, package: str, options: str) -> bool:
    """True only when a stamp vouches for the manifest on disk, every spec file it lists has
    the same sha256, and every generated file on disk matches the manifest."""
    try:
        manifest = (package_dir / MANIFEST).read_text(encoding="utf-8")
        outputs = json.loads(manifest)["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    stamp = _stamp_path(package_dir, package, options, manifest)
    if stamp is None:
        return False
    try:
        inputs = json.loads(stamp.read_text(encoding="utf-8"))["inputs"]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    if not isinstance(inputs, dict) or not isinstance(outputs, dict) or not inputs:
        return False
    for path, expected in inputs.items():
        if expected is None or file_sha256(Path(path)) != expected:
            return False
    for relative, expected in outputs.items():
        if relative == MANIFEST:
            continue
        if file_sha256(package_dir / relative) != expected:
            return False
    return True
