"""`clientgen check` without rendering: is a package on disk what its inputs would produce?

Every package's manifest (`.clientgen-manifest.json`) records, beside the sha256 of each
generated file, the fingerprint of what produced it:

- `generator`: sha256 over clientgen's version, black's version, and every source file of
  `generator/` and of the templates (any of them may change the output);
- `options`: the options that decide the output;
- `roots` and `overlays`: the spec files named on the command line or in pyproject.toml, and
  `inputs`: the sha256 of every file the run read (those, and the files their `$ref`s reach),
  each path relative to the first spec's folder so the manifest is the same on every clone.

`check` answers "fresh" by comparing that fingerprint with the current one and the recorded
output hashes with the files on disk: a few file hashes, no parsing or rendering. Any difference
means a full render and diff, which prints the unified diff when the package is stale.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import os
from pathlib import Path
from typing import Any, Sequence

from . import __version__
from .writer import MANIFEST


def installed_version(distribution: str) -> str:
    """The installed version of a distribution whose top-level package has its name, from the
    name of the `.dist-info` folder beside that package; `importlib.metadata` where there is
    not exactly one. (Importing `importlib.metadata` took 60-73 ms here on a busy machine:
    more than rendering a small spec.)"""
    spec = importlib.util.find_spec(distribution)  # finds the package without importing it
    locations = spec.submodule_search_locations if spec is not None else None
    for location in locations or []:
        found = list(Path(location).parent.glob(f"{distribution}-*.dist-info"))
        if len(found) == 1:
            return found[0].name[len(distribution) + 1:-len(".dist-info")]
    from importlib.metadata import version

    return version(distribution)


# in the fingerprint, and in the formatter's cache keys
black_version = installed_version("black")

_CHUNK = 1 << 20


@functools.cache
def generator_fingerprint() -> str:
    """sha256 over the generator's version, its sources and templates, and black's version."""
    from .render import templates_dir

    digest = hashlib.sha256(
        f"clientgen {__version__}\nblack {black_version}\n".encode())
    package = Path(__file__).resolve().parent
    templates = Path(templates_dir())
    sources = [("generator", package, path) for path in package.rglob("*.py")]
    sources += [("templates", templates, path) for path in templates.glob("*.j2")]
    for label, folder, path in sorted(sources, key=lambda s: (s[0], s[2].relative_to(s[1]))):
        name = f"{label}/{path.relative_to(folder).as_posix()}"
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
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


def _relative(path: Path, base: Path) -> str:
    return Path(os.path.relpath(path.resolve(), base)).as_posix()


def fingerprint(roots: Sequence[Path], inputs: Sequence[Path], overlays: Sequence[Path],
                options_key: str) -> dict[str, Any]:
    """What produced a package, as the manifest records it."""
    base = roots[0].resolve().parent
    return {
        "generator": generator_fingerprint(),
        "options": options_key,
        "roots": [_relative(path, base) for path in roots],
        "overlays": [_relative(path, base) for path in overlays],
        "inputs": {_relative(path, base): file_sha256(path) for path in inputs},
    }


def is_fresh(package_dir: Path, roots: Sequence[Path], overlays: Sequence[Path],
             options_key: str) -> bool:
    """True only when the manifest's fingerprint is the current generator's with the same
    options, spec files and overlays, every input file it lists has the same sha256, and every
    generated file on disk matches the manifest."""
    try:
        manifest = json.loads((package_dir / MANIFEST).read_text(encoding="utf-8"))
        recorded = manifest["fingerprint"]
        outputs = manifest["files"]
        inputs = recorded["inputs"]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    if not roots or not isinstance(outputs, dict) or not isinstance(inputs, dict) or not inputs:
        return False
    base = roots[0].resolve().parent
    if (recorded.get("generator") != generator_fingerprint()
            or recorded.get("options") != options_key
            or recorded.get("roots") != [_relative(path, base) for path in roots]
            or recorded.get("overlays") != [_relative(path, base) for path in overlays]):
        return False
    for relative, expected in inputs.items():
        if not isinstance(relative, str) or expected is None:
            return False
        if file_sha256(base / relative) != expected:
            return False
    for relative, expected in outputs.items():
        if relative == MANIFEST:
            continue
        if not isinstance(relative, str) or file_sha256(package_dir / relative) != expected:
            return False
    return True
